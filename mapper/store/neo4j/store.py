"""The Cypher: :class:`Neo4jStore`, the store's primitives as parameterised statements.

Labels and relationship types in a statement come only from the model's enums (never from
user text); every value is a parameter; every statement is scoped to one workspace.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any

import networkx as nx

from ...audit import AuditEntry
from ...errors import ConflictError, NotFoundError, StoreUnavailableError
from ...model import Contact, Node, NodeKind, RelKind, Tie, WorkspaceInfo, check_date
from ..base import Record, Store, Workspace, _kinds_arg, check_slug, node_attrs, tie_attrs
from ..dump import WorkspaceDump
from . import schema
from .driver import _env, get_driver, parse_url
from .rows import (
    _chunks,
    _contact,
    _json,
    _node,
    _node_row,
    _record,
    _tie,
    _tie_props,
    _workspace,
)
from .transaction import Transactions, _CannotUndo, _retrying, _TxState

log = logging.getLogger(__name__)

#: Nodes (with their relationships) deleted per transaction when a workspace is deleted.
DELETE_BATCH = 10_000
#: Versions, contact moments and log entries written per transaction when a workspace is
#: loaded (``mapper migrate``, a restore); a smaller load is one transaction.
LOAD_BATCH = 20_000
#: A hidden, half-loaded workspace whose last batch is older than this (s) was interrupted.
STALE_LOAD_SECONDS = 600

ALL_NODE_KINDS = [k.value for k in NodeKind]
ALL_REL_KINDS = [k.value for k in RelKind]

_TIE_RETURN = (
    "RETURN r {.*} AS r, type(r) AS kind, a.id AS source, b.id AS target, elementId(r) AS eid"
)

#: All versions of some tie ids, whatever their kind: one index seek per relationship type.
_TIES_BY_ID = "\nUNION ALL\n".join(
    f"UNWIND $ids AS tid MATCH (a:Entity)-[r:{k.value}]->(b:Entity) "
    f"WHERE r.tie_id = tid AND r.workspace = $ws {_TIE_RETURN}"
    for k in RelKind
)

_VALID_ON = "(r.since IS NULL OR r.since <= $day) AND (r.until IS NULL OR r.until > $day)"


#: How long (s) a transaction is retried after a transient error before the error is shown.
RETRY_SECONDS = 10.0
#: How long (s) opening one connection may take.
CONNECTION_TIMEOUT = 5.0


def retry_seconds() -> float:
    """``MAPPER_NEO4J_RETRY_SECONDS`` if it is a number ≥ 0, else :data:`RETRY_SECONDS`.

    >>> retry_seconds() > 0
    True
    """
    try:
        value = float(os.environ.get("MAPPER_NEO4J_RETRY_SECONDS", RETRY_SECONDS))
    except ValueError:
        return RETRY_SECONDS
    return value if value >= 0 else RETRY_SECONDS


class Neo4jStore(Transactions, Store):
    """The store in a Neo4j 5 database, shared by many workspaces (libraries).

    Parameters
    ----------
    uri : str
        ``neo4j://``, ``neo4j+s://``, ``bolt://`` … address of the server or cluster.
    user, password : str, optional
        The login (default: ``MAPPER_NEO4J_USER``/``MAPPER_NEO4J_PASSWORD``, else
        ``NEO4J_USER``/``NEO4J_PASSWORD``). Without a user, no authentication is sent.
    database : str, optional
        The database to use (default: ``MAPPER_NEO4J_DATABASE``/``NEO4J_DATABASE``, else the
        server's default database).
    **config
        Passed to ``neo4j.GraphDatabase.driver`` when this process creates the driver.

    Raises
    ------
    StoreUnavailableError
        When the server cannot be reached or refuses the login.

    Examples
    --------
    Needs a running server, so not run as a doctest::

        store = Neo4jStore("neo4j://localhost:7687", user="neo4j", password="secret")
        ws = store.create_workspace("rijnstad", "Bibliotheek Rijnstad")
    """

    backend = "neo4j"

    def __init__(
        self,
        uri: str,
        *,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        **config: Any,
    ):
        self.uri = uri
        self.user = user if user is not None else _env("MAPPER_NEO4J_USER", "NEO4J_USER")
        password = (
            password if password is not None else _env("MAPPER_NEO4J_PASSWORD", "NEO4J_PASSWORD")
        )
        self.database = database or _env("MAPPER_NEO4J_DATABASE", "NEO4J_DATABASE") or None
        # A request should not hang while the driver retries a dead server: the driver's own
        # default retries for 30 s. Transient clashes (deadlocks, lock timeouts) clear well
        # within these seconds; MAPPER_NEO4J_RETRY_SECONDS sets them for a slow cluster.
        config.setdefault("max_transaction_retry_time", retry_seconds())
        config.setdefault("connection_timeout", CONNECTION_TIMEOUT)
        self.driver = get_driver(uri, self.user, password, **config)
        self._state = _TxState()
        self._closed = False
        self._ensure_schema()

    @classmethod
    def from_url(cls, url: str, **options: Any) -> Neo4jStore:
        """Open the store a URL names, e.g. ``neo4j+s://user:secret@host:7687?database=libs``.

        A login in the URL and a ``database`` query parameter are taken out of the address
        given to the driver (see :func:`parse_url`); ``options`` (``user``, ``password``,
        ``database``, driver settings) win over both, and the environment fills in what is
        still missing.
        """
        clean, user, password, database = parse_url(url)
        for key, value in (("user", user), ("password", password), ("database", database)):
            if options.get(key) is None:
                options[key] = value
        return cls(clean, **options)

    def __repr__(self) -> str:
        db = f", database={self.database!r}" if self.database else ""
        return f"Neo4jStore({self.uri!r}{db})"

    def close(self) -> None:
        """Forget this handle. The driver is shared by the process and stays open (see
        :func:`close_drivers`); an open transaction of this thread is rolled back."""
        state = self._state
        if state.tx is not None:
            self._end(state, commit=False)
        self._closed = True

    # ------------------------------------------------------------------ schema

    def _ensure_schema(self) -> None:
        schema.ensure_schema(self)

    def _create_schema(self) -> None:
        """Create the constraints and indexes (idempotent: ``IF NOT EXISTS``)."""
        schema.create_schema(self)

    # ------------------------------------------------------------------ workspaces

    def workspaces(self) -> list[WorkspaceInfo]:
        rows = self._read(
            "MATCH (w:Workspace) WHERE w.loading IS NULL RETURN w {.*} AS w ORDER BY w.slug"
        )
        return [_workspace(r["w"]) for r in rows]

    def _create_workspace(self, info: WorkspaceInfo) -> None:
        with self.atomic():
            if self._workspace_row(info.slug) is not None:
                raise ConflictError("workspace {slug!r} already exists", slug=info.slug)
            self._on_undo(
                lambda: self._write("MATCH (w:Workspace {slug: $ws}) DELETE w", ws=info.slug)
            )
            self._write(
                "CREATE (w:Workspace {slug: $ws, name: $name, created_at: $created_at,"
                " settings: $settings, audit_seq: 0})",
                ws=info.slug,
                name=info.name,
                created_at=info.created_at,
                settings=_json(info.settings),
            )

    def _workspace_row(self, slug: str) -> dict[str, Any] | None:
        """The workspace node's properties, also of one being loaded (``loading`` set)."""
        rows = self._read("MATCH (w:Workspace {slug: $ws}) RETURN w {.*} AS w", ws=slug)
        return dict(rows[0]["w"]) if rows else None

    def _get_workspace(self, slug: str) -> WorkspaceInfo | None:
        row = self._workspace_row(slug)
        return _workspace(row) if row is not None and row.get("loading") is None else None

    def _update_workspace(self, info: WorkspaceInfo) -> None:
        with self.atomic():
            old = self._get_workspace(info.slug)
            if old is not None:
                self._on_undo(lambda: self._set_workspace(old))
            self._set_workspace(info)

    def _set_workspace(self, info: WorkspaceInfo) -> None:
        self._write(
            "MATCH (w:Workspace {slug: $ws}) SET w.name = $name, w.settings = $settings",
            ws=info.slug,
            name=info.name,
            settings=_json(info.settings),
        )

    def delete_workspace(self, slug: str) -> None:
        """Delete a workspace with everything in it.

        Outside an ``atomic()`` block the records go in batches of :data:`DELETE_BATCH`
        nodes, each its own (retried) transaction, so that a province-sized workspace never
        needs one transaction bigger than a server allows (Aura caps a transaction's memory).
        The workspace node goes last: a delete that is interrupted leaves the workspace
        listed, partly emptied, and deleting it again finishes the job. Inside a block the
        whole delete is part of the block's one transaction.
        """
        self.get_workspace(slug)
        self._delete_contents(slug)
        self._write("MATCH (w:Workspace {slug: $ws}) DETACH DELETE w", ws=slug)

    def _delete_contents(self, slug: str) -> None:
        """Delete everything in a workspace, its node last (batched outside a block)."""
        labels = ("Entity", "NodeVersion", "Contact", "AuditEntry", "Record")  # fixed labels
        if self._state.tx is not None:
            self._on_undo(self._cannot_undo("deleting a workspace"))
            for label in labels:
                self._write(f"MATCH (n:{label} {{workspace: $ws}}) DETACH DELETE n", ws=slug)
        else:
            for label in labels:
                while True:
                    done = self._write(
                        f"MATCH (n:{label} {{workspace: $ws}}) WITH n LIMIT $batch "
                        "DETACH DELETE n RETURN count(*) AS n",
                        ws=slug,
                        batch=DELETE_BATCH,
                    )
                    if not done or done[0]["n"] < DELETE_BATCH:
                        break
        self._write("MATCH (w:Workspace {slug: $ws}) DETACH DELETE w", ws=slug)

    @staticmethod
    def _cannot_undo(what: str) -> Callable[[], None]:
        def step() -> None:
            raise _CannotUndo(f"{what} cannot be undone inside a nested block")

        return step

    # ------------------------------------------------------------------ nodes

    def _insert_nodes(self, workspace: str, nodes: list[Node]) -> None:
        if not nodes:
            return
        ids = [n.id for n in nodes]
        twice = sorted(i for i, count in Counter(ids).items() if count > 1)
        if twice:
            raise ConflictError("the same entity id is given twice: {ids}", ids=", ".join(twice))
        existing = self._existing_node_ids(workspace, ids)
        if existing:
            raise ConflictError(
                "an entity with id {ids} already exists",
                ids=", ".join(repr(i) for i in existing[:5]),
            )
        self._on_undo(lambda: self._delete_entities(workspace, ids))
        by_kind: dict[NodeKind, list[dict[str, Any]]] = {}
        for node in nodes:
            by_kind.setdefault(node.kind, []).append(_node_row(workspace, node))
        for kind, rows in by_kind.items():
            # The label comes from the NodeKind enum, never from user text.
            query = f"UNWIND $rows AS row CREATE (n:Entity:{NodeKind(kind).value}) SET n = row"
            for chunk in _chunks(rows):
                self._write(query, rows=chunk)

    def _existing_node_ids(self, workspace: str, ids: list[str]) -> list[str]:
        found: list[str] = []
        for chunk in _chunks(ids):
            rows = self._read(
                "UNWIND $ids AS nid MATCH (n:Entity {workspace: $ws, id: nid}) RETURN n.id AS id",
                ws=workspace,
                ids=chunk,
            )
            found += [r["id"] for r in rows]
        return sorted(found)

    def _delete_entities(self, workspace: str, ids: list[str]) -> None:
        for chunk in _chunks(ids):
            self._write(
                "UNWIND $ids AS nid MATCH (n:Entity {workspace: $ws, id: nid}) DETACH DELETE n",
                ws=workspace,
                ids=chunk,
            )

    def _insert_node_version(self, workspace: str, node: Node) -> None:
        previous = self._get_nodes(workspace, [node.id]).get(node.id)
        if previous is None:
            raise NotFoundError("no entity with id {node_id!r} in this workspace", node_id=node.id)
        if previous.version >= node.version:
            raise ConflictError(
                "entity {node_id!r} already has version {version} (cannot record version {new})",
                node_id=node.id,
                version=previous.version,
                new=node.version,
            )

        def undo() -> None:
            self._write(
                "MATCH (n:Entity {workspace: $ws, id: $id}) SET n += $row "
                "WITH n MATCH (v:NodeVersion {workspace: $ws, id: $id, version: $version}) "
                "DELETE v",
                ws=workspace,
                id=node.id,
                row=_node_row(workspace, previous),
                version=previous.version,
            )

        self._on_undo(undo)
        # The current version moves to a NodeVersion node; the Entity node takes the new one.
        # SET on the entity first: its write lock is held until the transaction ends.
        rows = self._write(
            "MATCH (n:Entity {workspace: $ws, id: $id}) "
            "SET n._lock = true REMOVE n._lock "
            "WITH n, properties(n) AS old "
            "CREATE (v:NodeVersion) SET v = old "
            "SET n += $row "
            "RETURN count(v) AS n",
            ws=workspace,
            id=node.id,
            row=_node_row(workspace, node),
        )
        if not rows or rows[0]["n"] != 1:
            raise NotFoundError("no entity with id {node_id!r} in this workspace", node_id=node.id)

    def _get_nodes(self, workspace: str, node_ids: list[str]) -> dict[str, Node]:
        out: dict[str, Node] = {}
        for chunk in _chunks(node_ids):
            for r in self._read(
                "UNWIND $ids AS nid MATCH (n:Entity {workspace: $ws, id: nid}) RETURN n {.*} AS n",
                ws=workspace,
                ids=chunk,
            ):
                out[r["n"]["id"]] = _node(r["n"])
        return out

    def _node_kinds(self, workspace: str, node_ids: set[str]) -> dict[str, NodeKind]:
        out: dict[str, NodeKind] = {}
        for chunk in _chunks(sorted(node_ids)):
            for r in self._read(
                "UNWIND $ids AS nid MATCH (n:Entity {workspace: $ws, id: nid}) "
                "RETURN n.id AS id, n.kind AS kind",
                ws=workspace,
                ids=chunk,
            ):
                out[r["id"]] = NodeKind(r["kind"])
        return out

    def _query_nodes(
        self, workspace: str, kinds: list[NodeKind] | None, as_of: dt.date | None
    ) -> Iterator[Node]:
        where = ["n.kind IN $kinds"]
        if as_of is not None:
            where.append(
                "(n.since IS NULL OR n.since <= $day) AND (n.until IS NULL OR n.until > $day)"
            )
        rows = self._read(
            f"MATCH (n:Entity {{workspace: $ws}}) WHERE {' AND '.join(where)} "
            "RETURN n {.*} AS n ORDER BY n.id",
            ws=workspace,
            kinds=[k.value for k in kinds] if kinds is not None else ALL_NODE_KINDS,
            day=as_of,
        )
        nodes = [_node(r["n"]) for r in rows]
        nodes.sort(key=lambda n: n.id)
        return iter(nodes)

    def _node_versions(self, workspace: str, node_id: str) -> list[Node]:
        rows = self._read(
            "MATCH (v:NodeVersion {workspace: $ws, id: $id}) RETURN v {.*} AS v "
            "UNION ALL "
            "MATCH (n:Entity {workspace: $ws, id: $id}) RETURN n {.*} AS v",
            ws=workspace,
            id=node_id,
        )
        return sorted((_node(r["v"]) for r in rows), key=lambda n: n.version)

    def _all_node_versions(self, workspace: str) -> list[Node]:
        rows = self._read(
            "MATCH (v:NodeVersion {workspace: $ws}) RETURN v {.*} AS v "
            "UNION ALL "
            "MATCH (n:Entity {workspace: $ws}) RETURN n {.*} AS v",
            ws=workspace,
        )
        return sorted((_node(r["v"]) for r in rows), key=lambda n: (n.id, n.version))

    @_retrying
    def update_node(self, workspace: str, node_id: str, **fields: Any) -> Node:
        with self.atomic():
            self._lock_node(workspace, node_id)
            return super().update_node(workspace, node_id, **fields)

    def _lock_node(self, workspace: str, node_id: str) -> None:
        """Take the entity's write lock before it is read (see the module docstring)."""
        if isinstance(node_id, str):
            self._write(
                "MATCH (n:Entity {workspace: $ws, id: $id}) SET n._lock = true REMOVE n._lock",
                ws=workspace,
                id=node_id,
            )

    # ------------------------------------------------------------------ ties

    def _tie_rows(self, workspace: str, tie_ids: list[str]) -> list[tuple[str, Tie]]:
        """(element id, tie version) for every version of the given ties."""
        out: list[tuple[str, Tie]] = []
        for chunk in _chunks(tie_ids):
            out += [(r["eid"], _tie(r)) for r in self._read(_TIES_BY_ID, ws=workspace, ids=chunk)]
        out.sort(key=lambda p: (p[1].id, p[1].version))
        return out

    def _insert_ties(self, workspace: str, ties: list[Tie]) -> None:
        if not ties:
            return
        keys = [(t.id, t.version) for t in ties]
        if len(set(keys)) != len(keys):
            raise ConflictError("the same tie version is given twice")
        stored = {
            (t.id, t.version): t.kind
            for _, t in self._tie_rows(workspace, sorted({t.id for t in ties}))
        }
        kinds = {tid: kind for (tid, _), kind in stored.items()}
        for tie in ties:
            if (tie.id, tie.version) in stored:
                raise ConflictError(
                    "a tie with id {tie_id!r} (version {version}) already exists",
                    tie_id=tie.id,
                    version=tie.version,
                )
            if kinds.get(tie.id, tie.kind) is not tie.kind:
                raise ConflictError(
                    "tie {tie_id!r} is a {stored} tie, not {kind}",
                    tie_id=tie.id,
                    stored=kinds[tie.id].value,
                    kind=tie.kind.value,
                )
        self._on_undo(lambda: self._delete_tie_versions(workspace, ties))
        by_kind: dict[RelKind, list[dict[str, Any]]] = {}
        for tie in ties:
            by_kind.setdefault(tie.kind, []).append(
                {"source": tie.source, "target": tie.target, "p": _tie_props(workspace, tie)}
            )
        for kind, rows in by_kind.items():
            # The relationship type comes from the RelKind enum, never from user text.
            query = (
                "UNWIND $rows AS row "
                "MATCH (a:Entity {workspace: $ws, id: row.source}) "
                "MATCH (b:Entity {workspace: $ws, id: row.target}) "
                f"CREATE (a)-[r:{RelKind(kind).value}]->(b) SET r = row.p "
                "RETURN count(r) AS n"
            )
            for chunk in _chunks(rows):
                done = self._write(query, ws=workspace, rows=chunk)
                if not done or done[0]["n"] != len(chunk):
                    raise NotFoundError("an end of one of these ties is not in this workspace")

    def _delete_tie_versions(self, workspace: str, ties: list[Tie]) -> None:
        keys = {(t.id, t.version) for t in ties}
        eids = [
            eid
            for eid, t in self._tie_rows(workspace, sorted({t.id for t in ties}))
            if (t.id, t.version) in keys
        ]
        self._delete_relationships(workspace, eids)

    def _delete_relationships(self, workspace: str, eids: list[str]) -> None:
        for chunk in _chunks(eids):
            self._write(
                "UNWIND $eids AS eid MATCH ()-[r]->() "
                "WHERE elementId(r) = eid AND r.workspace = $ws DELETE r",
                ws=workspace,
                eids=chunk,
            )

    def _version_eid(self, workspace: str, tie_id: str, version: int) -> tuple[str, Tie]:
        for eid, tie in self._tie_rows(workspace, [tie_id]):
            if tie.version == version:
                return eid, tie
        raise NotFoundError(
            "no tie with id {tie_id!r} (version {version}) in this workspace",
            tie_id=tie_id,
            version=version,
        )

    def _set_tie_fields(
        self, workspace: str, eid: str, until: dt.date | None, current: bool
    ) -> None:
        self._write(
            "MATCH ()-[r]->() WHERE elementId(r) = $eid AND r.workspace = $ws "
            "SET r.until = $until, r.current = $current",
            ws=workspace,
            eid=eid,
            until=until,
            current=current,
        )

    def _close_tie_version(self, workspace: str, tie_id: str, version: int, until: dt.date) -> None:
        eid, old = self._version_eid(workspace, tie_id, version)
        self._on_undo(lambda: self._set_tie_fields(workspace, eid, old.until, old.current))
        self._set_tie_fields(workspace, eid, until, False)

    def _set_tie_until(self, workspace: str, tie_id: str, version: int, until: dt.date) -> None:
        eid, old = self._version_eid(workspace, tie_id, version)
        self._on_undo(lambda: self._set_tie_fields(workspace, eid, old.until, old.current))
        self._set_tie_fields(workspace, eid, until, old.current)

    def _tie_versions(self, workspace: str, tie_id: str) -> list[Tie]:
        return [t for _, t in self._tie_rows(workspace, [tie_id])]

    def _lock_tie(self, workspace: str, tie_id: str) -> None:
        """Take the write lock of the tie's first version (which every version-changing
        write takes first) before the tie is read: see the module docstring."""
        if not isinstance(tie_id, str):
            return
        rows = self._tie_rows(workspace, [tie_id])
        if rows:
            self._write(
                "MATCH ()-[r]->() WHERE elementId(r) = $eid AND r.workspace = $ws "
                "SET r._lock = true REMOVE r._lock",
                ws=workspace,
                eid=rows[0][0],
            )

    @_retrying
    def change_tie(self, workspace: str, tie_id: str, **fields: Any) -> Tie:
        with self.atomic():
            self._lock_tie(workspace, tie_id)
            return super().change_tie(workspace, tie_id, **fields)

    @_retrying
    def end_tie(self, workspace: str, tie_id: str, **fields: Any) -> Tie:
        with self.atomic():
            self._lock_tie(workspace, tie_id)
            return super().end_tie(workspace, tie_id, **fields)

    @_retrying
    def reopen_tie(self, workspace: str, tie_id: str) -> Tie:
        with self.atomic():
            self._lock_tie(workspace, tie_id)
            return super().reopen_tie(workspace, tie_id)

    def _tie_query(
        self,
        match: str,
        kinds: list[RelKind] | None,
        as_of: dt.date | None,
        history: bool,
        extra: tuple[str, ...] = (),
        **params: Any,
    ) -> list[Tie]:
        where = ["r.workspace = $ws", "type(r) IN $kinds", *extra]
        if as_of is not None:
            where.append(_VALID_ON)
        elif not history:
            where.append("r.current = true")
        rows = self._read(
            f"{match} WHERE {' AND '.join(where)} {_TIE_RETURN}",
            kinds=[k.value for k in kinds] if kinds is not None else ALL_REL_KINDS,
            day=as_of,
            **params,
        )
        found = {(t.id, t.version): t for t in map(_tie, rows)}
        return [found[k] for k in sorted(found)]

    def _query_ties(
        self,
        workspace: str,
        node: str | None,
        kinds: list[RelKind] | None,
        as_of: dt.date | None,
        history: bool,
    ) -> Iterator[Tie]:
        if node is None:
            match = "MATCH (a:Entity {workspace: $ws})-[r]->(b:Entity {workspace: $ws})"
            return iter(self._tie_query(match, kinds, as_of, history, ws=workspace))
        out = self._tie_query(
            "MATCH (a:Entity {workspace: $ws, id: $node})-[r]->(b:Entity)",
            kinds,
            as_of,
            history,
            ws=workspace,
            node=node,
        ) + self._tie_query(
            "MATCH (a:Entity)-[r]->(b:Entity {workspace: $ws, id: $node})",
            kinds,
            as_of,
            history,
            ws=workspace,
            node=node,
        )
        found = {(t.id, t.version): t for t in out}
        return iter([found[k] for k in sorted(found)])

    def _ties_touching(self, workspace: str, node_ids: list[str], day: dt.date) -> list[Tie]:
        out: list[Tie] = []
        for chunk in _chunks(node_ids):
            out += self._tie_query(
                "UNWIND $ids AS nid MATCH (a:Entity {workspace: $ws, id: nid})-[r]->(b:Entity)",
                None,
                day,
                False,
                ws=workspace,
                ids=chunk,
            ) + self._tie_query(
                "UNWIND $ids AS nid MATCH (a:Entity)-[r]->(b:Entity {workspace: $ws, id: nid})",
                None,
                day,
                False,
                ws=workspace,
                ids=chunk,
            )
        found = {t.id: t for t in sorted(out, key=lambda t: (t.id, t.version))}
        return [found[k] for k in sorted(found)]

    def project(
        self,
        workspace: str,
        *,
        as_of: Any = None,
        kinds: Iterable[str | NodeKind] | None = None,
    ) -> nx.MultiDiGraph:
        """As :meth:`Store.project`, but only ties whose two ends are in the projection
        (of the given kinds, present on the day) are fetched from the server."""
        day = check_date(as_of, field="as_of") or dt.date.today()
        wanted = _kinds_arg(kinds)
        graph: nx.MultiDiGraph = nx.MultiDiGraph(workspace=workspace, as_of=day)
        for node in self._query_nodes(workspace, wanted, day):
            graph.add_node(node.id, **node_attrs(node))
        ends = (
            "a.kind IN $node_kinds AND b.kind IN $node_kinds",
            "(a.since IS NULL OR a.since <= $day) AND (a.until IS NULL OR a.until > $day)",
            "(b.since IS NULL OR b.since <= $day) AND (b.until IS NULL OR b.until > $day)",
        )
        node_kinds = [k.value for k in wanted] if wanted is not None else ALL_NODE_KINDS
        for tie in self._tie_query(
            "MATCH (a:Entity {workspace: $ws})-[r]->(b:Entity {workspace: $ws})",
            None,
            day,
            False,
            ends,
            ws=workspace,
            node_kinds=node_kinds,
        ):
            if tie.source in graph and tie.target in graph:
                graph.add_edge(tie.source, tie.target, key=tie.id, **tie_attrs(tie))
        return graph

    # ------------------------------------------------------------------ contacts

    def _insert_contacts(self, workspace: str, contacts: list[Contact]) -> None:
        if not contacts:
            return
        ids = [c.id for c in contacts]
        if len(set(ids)) != len(ids):
            raise ConflictError("the same contact moment id is given twice")
        for chunk in _chunks(ids):
            rows = self._read(
                "UNWIND $ids AS cid MATCH (c:Contact {workspace: $ws, id: cid}) RETURN c.id AS id",
                ws=workspace,
                ids=chunk,
            )
            if rows:
                raise ConflictError(
                    "a contact moment with id {id!r} already exists", id=rows[0]["id"]
                )
        self._on_undo(lambda: self._delete_contacts(workspace, ids))
        rows = [
            {
                "workspace": workspace,
                "id": c.id,
                "a": c.a,
                "b": c.b,
                "on_date": c.on,
                "mode": c.mode,
                "notes": c.notes,
                "outcome": c.outcome,
                "recorded_at": c.recorded_at,
            }
            for c in contacts
        ]
        for chunk in _chunks(rows):
            self._write(
                "UNWIND $rows AS row "
                "CREATE (c:Contact) SET c = row "
                "WITH c, row UNWIND [row.a, row.b] AS party "
                "MATCH (x:Entity {workspace: $ws, id: party}) "
                "CREATE (c)-[:INVOLVES]->(x)",
                ws=workspace,
                rows=chunk,
            )

    def _delete_contacts(self, workspace: str, ids: list[str]) -> None:
        for chunk in _chunks(ids):
            self._write(
                "UNWIND $ids AS cid MATCH (c:Contact {workspace: $ws, id: cid}) DETACH DELETE c",
                ws=workspace,
                ids=chunk,
            )

    def _query_contacts(
        self,
        workspace: str,
        node: str | None,
        between: tuple[str, str] | None,
        until: dt.date | None,
    ) -> Iterator[Contact]:
        where = []
        if node is not None:
            where.append("(c.a = $node OR c.b = $node)")
        if between is not None:
            where.append("((c.a = $x AND c.b = $y) OR (c.a = $y AND c.b = $x))")
        if until is not None:
            where.append("c.on_date <= $until")
        x, y = between if between is not None else (None, None)
        rows = self._read(
            "MATCH (c:Contact {workspace: $ws}) "
            + (f"WHERE {' AND '.join(where)} " if where else "")
            + "RETURN c {.*} AS c ORDER BY c.on_date, c.id",
            ws=workspace,
            node=node,
            x=x,
            y=y,
            until=until,
        )
        contacts = [_contact(r["c"]) for r in rows]
        contacts.sort(key=lambda c: (c.on, c.id))
        return iter(contacts)

    # ------------------------------------------------------------------ audit trail, erasure

    def _insert_audit(self, workspace: str, entries: list[AuditEntry]) -> None:
        if not entries:
            return
        rows = [
            {
                "workspace": workspace,
                "at": e.at,
                "actor": e.actor,
                "action": e.action,
                "target_type": e.target_type,
                "target_id": e.target_id,
                "label": e.label,
                "refs": list(e.refs),
                "detail": _json(e.detail),
            }
            for e in entries
        ]
        # The sequence counter lives on the workspace node; taking it locks the workspace's
        # audit trail until the transaction ends, so numbers are never handed out twice.
        for chunk in _chunks(rows):
            result = self._write(
                "MATCH (w:Workspace {slug: $ws}) "
                "SET w.audit_seq = coalesce(w.audit_seq, 0) + size($rows) "
                "WITH w.audit_seq - size($rows) AS base "
                "UNWIND range(0, size($rows) - 1) AS i "
                "CREATE (e:AuditEntry) SET e = $rows[i], e.seq = base + i + 1 "
                "RETURN min(e.seq) AS first, max(e.seq) AS last",
                ws=workspace,
                rows=chunk,
            )
            if result and result[0]["first"] is not None:
                first, last = result[0]["first"], result[0]["last"]
                self._on_undo(
                    lambda first=first, last=last: self._write(  # type: ignore[misc]
                        "MATCH (e:AuditEntry {workspace: $ws}) WHERE e.seq >= $first AND e.seq <= $last "
                        "DELETE e",
                        ws=workspace,
                        first=first,
                        last=last,
                    )
                )

    def _query_audit(
        self,
        workspace: str,
        entity: str | None,
        actions: list[str] | None,
        limit: int | None,
    ) -> list[AuditEntry]:
        where = []
        if entity is not None:
            where.append("$entity IN e.refs")
        if actions:
            where.append("e.action IN $actions")
        query = (
            "MATCH (e:AuditEntry {workspace: $ws}) "
            + (f"WHERE {' AND '.join(where)} " if where else "")
            + "RETURN e {.*} AS e ORDER BY e.seq DESC"
            + (" LIMIT $limit" if limit is not None else "")
        )
        rows = self._read(
            query,
            ws=workspace,
            entity=entity,
            actions=actions,
            limit=int(limit) if limit is not None else None,
        )
        return [
            AuditEntry(
                seq=m["seq"],
                at=m["at"],
                actor=m["actor"],
                action=m["action"],
                target_type=m["target_type"],
                target_id=m.get("target_id"),
                label=m.get("label"),
                refs=tuple(m.get("refs") or ()),
                detail=json.loads(m.get("detail") or "{}"),
            )
            for m in (r["e"] for r in rows)
        ]

    def _erase_node(self, workspace: str, node_id: str) -> dict[str, int]:
        with self.atomic():
            self._on_undo(self._cannot_undo("erasing an entity"))
            ties = self._query_ties(workspace, node_id, None, None, True)
            tie_versions = list(ties)
            tie_ids = sorted({t.id for t in tie_versions})
            contact_ids = [c.id for c in self._query_contacts(workspace, node_id, None, None)]
            refs = [node_id, *tie_ids, *contact_ids]
            audit = self._write(
                "MATCH (e:AuditEntry {workspace: $ws}) WHERE any(x IN e.refs WHERE x IN $refs) "
                "DELETE e RETURN count(*) AS n",
                ws=workspace,
                refs=refs,
            )
            self._delete_contacts(workspace, contact_ids)
            versions = self._write(
                "MATCH (v:NodeVersion {workspace: $ws, id: $id}) DELETE v RETURN count(*) AS n",
                ws=workspace,
                id=node_id,
            )
            # DETACH DELETE removes every version of every tie at either end.
            self._write(
                "MATCH (n:Entity {workspace: $ws, id: $id}) DETACH DELETE n",
                ws=workspace,
                id=node_id,
            )
        return {
            "versions": (versions[0]["n"] if versions else 0) + 1,
            "ties": len(tie_ids),
            "tie_versions": len(tie_versions),
            "contacts": len(contact_ids),
            "audit": audit[0]["n"] if audit else 0,
        }

    def _erase_tie(self, workspace: str, tie_id: str) -> dict[str, int]:
        # (owner: invite) for Store.erase_tie
        with self.atomic():
            self._on_undo(self._cannot_undo("erasing a tie"))
            rows = self._tie_rows(workspace, [tie_id])
            audit = self._write(
                "MATCH (e:AuditEntry {workspace: $ws}) WHERE $id IN e.refs "
                "DELETE e RETURN count(*) AS n",
                ws=workspace,
                id=tie_id,
            )
            self._delete_relationships(workspace, [eid for eid, _ in rows])
        return {"tie_versions": len(rows), "audit": audit[0]["n"] if audit else 0}

    # ------------------------------------------------------------------ records (owner: invite)

    def _put_record(self, workspace: str, record: Record) -> None:
        with self.atomic():
            old = self._get_record(workspace, record.collection, record.id)
            self._on_undo(
                lambda: (
                    self._set_record(workspace, old)
                    if old is not None
                    else self._delete_record(workspace, record.collection, record.id)
                )
            )
            self._set_record(workspace, record)

    def _set_record(self, workspace: str, record: Record) -> None:
        self._write(
            "MERGE (r:Record {workspace: $ws, collection: $collection, id: $id}) "
            "SET r.body = $body, r.refs = $refs, r.created_at = $created_at, "
            "r.updated_at = $updated_at",
            ws=workspace,
            collection=record.collection,
            id=record.id,
            body=_json(record.body),
            refs=list(record.refs),
            created_at=record.created_at,
            updated_at=record.updated_at,
        )

    def _get_record(self, workspace: str, collection: str, record_id: str) -> Record | None:
        rows = self._read(
            "MATCH (r:Record {workspace: $ws, collection: $collection, id: $id}) "
            "RETURN r {.*} AS r",
            ws=workspace,
            collection=collection,
            id=record_id,
        )
        return _record(rows[0]["r"]) if rows else None

    def _query_records(self, workspace: str, collection: str, ref: str | None) -> list[Record]:
        rows = self._read(
            "MATCH (r:Record {workspace: $ws, collection: $collection}) "
            "WHERE $ref IS NULL OR $ref IN r.refs "
            "RETURN r {.*} AS r ORDER BY r.created_at, r.id",
            ws=workspace,
            collection=collection,
            ref=ref,
        )
        return [_record(r["r"]) for r in rows]

    def _delete_record(self, workspace: str, collection: str, record_id: str) -> bool:
        self._on_undo(self._cannot_undo("deleting a record"))
        rows = self._write(
            "MATCH (r:Record {workspace: $ws, collection: $collection, id: $id}) "
            "DELETE r RETURN count(*) AS n",
            ws=workspace,
            collection=collection,
            id=record_id,
        )
        return bool(rows and rows[0]["n"])

    def _delete_records_naming(self, workspace: str, ref: str) -> int:
        self._on_undo(self._cannot_undo("deleting records"))
        rows = self._write(
            "MATCH (r:Record {workspace: $ws}) WHERE $ref IN r.refs DELETE r RETURN count(*) AS n",
            ws=workspace,
            ref=ref,
        )
        return rows[0]["n"] if rows else 0

    def _repoint_ties(
        self,
        workspace: str,
        old: str,
        new: str,
        ties: list[tuple[str, str]],
        contacts: list[tuple[str, str]],
    ) -> None:
        """For ``unmerge_nodes``: move the given ties (every version) and contact
        moments at ``old`` to ``new``; a relationship is deleted and created again, as in
        :meth:`_repoint_node`."""
        with self.atomic():
            self._on_undo(self._cannot_undo("undoing a merge"))
            ends = {"ws": workspace, "old": old, "new": new}
            outgoing = [t for t, end in ties if end == "source"]
            incoming = [t for t, end in ties if end == "target"]
            for kind in RelKind:  # types from the enum only
                for ids, pattern, create in (
                    (
                        outgoing,
                        f"(o:Entity {{workspace: $ws, id: $old}})-[r:{kind.value}]->(x:Entity)",
                        f"CREATE (n)-[moved:{kind.value}]->(x)",
                    ),
                    (
                        incoming,
                        f"(x:Entity)-[r:{kind.value}]->(o:Entity {{workspace: $ws, id: $old}})",
                        f"CREATE (x)-[moved:{kind.value}]->(n)",
                    ),
                ):
                    if ids:
                        self._write(
                            f"MATCH {pattern} WHERE r.tie_id IN $ids "
                            "WITH r, x, properties(r) AS p DELETE r "
                            "WITH x, p MATCH (n:Entity {workspace: $ws, id: $new}) "
                            f"{create} SET moved = p",
                            ids=ids,
                            **ends,
                        )
            ids = [c for c, _end in contacts]
            if ids:
                self._write(
                    "MATCH (c:Contact {workspace: $ws})-[i:INVOLVES]->"
                    "(:Entity {workspace: $ws, id: $old}) WHERE c.id IN $ids "
                    "MATCH (n:Entity {workspace: $ws, id: $new}) "
                    "DELETE i CREATE (c)-[:INVOLVES]->(n) "
                    "SET c.a = CASE WHEN c.a = $old THEN $new ELSE c.a END, "
                    "c.b = CASE WHEN c.b = $old THEN $new ELSE c.b END",
                    ids=ids,
                    **ends,
                )

    def _repoint_node(self, workspace: str, old: str, new: str) -> None:
        """For ``merge_nodes``: move every tie version and contact moment at ``old`` to
        ``new``; drop those joining the two; rename ``old`` in the audit trail; delete
        ``old`` with its history. A relationship cannot change its ends in Neo4j, so each is
        deleted and created again with the same type and properties."""
        with self.atomic():
            self._on_undo(self._cannot_undo("merging entities"))
            ends = {"ws": workspace, "old": old, "new": new}
            self._write(
                "MATCH (o:Entity {workspace: $ws, id: $old})-[r]-(n:Entity {workspace: $ws, id: $new}) "
                "WHERE type(r) IN $kinds DELETE r",
                kinds=ALL_REL_KINDS,
                **ends,
            )
            self._write(
                "MATCH (c:Contact {workspace: $ws}) "
                "WHERE (c.a = $old AND c.b = $new) OR (c.a = $new AND c.b = $old) DETACH DELETE c",
                **ends,
            )
            for kind in RelKind:  # types from the enum only
                for pattern, create in (
                    (
                        f"(o:Entity {{workspace: $ws, id: $old}})-[r:{kind.value}]->(x:Entity)",
                        f"CREATE (n)-[moved:{kind.value}]->(x)",
                    ),
                    (
                        f"(x:Entity)-[r:{kind.value}]->(o:Entity {{workspace: $ws, id: $old}})",
                        f"CREATE (x)-[moved:{kind.value}]->(n)",
                    ),
                ):
                    # Delete first, then create: the (workspace, tie_id, version) uniqueness
                    # constraint must never see the old and the moved copy at once.
                    self._write(
                        f"MATCH {pattern} WITH r, x, properties(r) AS p DELETE r "
                        "WITH x, p MATCH (n:Entity {workspace: $ws, id: $new}) "
                        f"{create} SET moved = p",
                        **ends,
                    )
            self._write(
                "MATCH (c:Contact {workspace: $ws})-[i:INVOLVES]->(:Entity {workspace: $ws, id: $old}) "
                "MATCH (n:Entity {workspace: $ws, id: $new}) "
                "DELETE i CREATE (c)-[:INVOLVES]->(n) "
                "SET c.a = CASE WHEN c.a = $old THEN $new ELSE c.a END, "
                "c.b = CASE WHEN c.b = $old THEN $new ELSE c.b END",
                **ends,
            )
            self._write(
                "MATCH (e:AuditEntry {workspace: $ws}) WHERE $old IN e.refs "
                "SET e.refs = [x IN e.refs | CASE WHEN x = $old THEN $new ELSE x END]",
                **ends,
            )
            self._write("MATCH (v:NodeVersion {workspace: $ws, id: $old}) DELETE v", **ends)
            self._write("MATCH (o:Entity {workspace: $ws, id: $old}) DETACH DELETE o", **ends)

    # ------------------------------------------------------------------ whole workspaces

    def load_workspace(self, dump: WorkspaceDump, *, slug: str | None = None) -> Workspace:
        """Create a workspace from a dump, verbatim (see :meth:`Store.load_workspace`).

        A dump of up to :data:`LOAD_BATCH` items is one transaction. A bigger one is written
        in batches, each its own transaction, so a province never needs one transaction
        larger than a server allows, yet it stays all or nothing to everyone else: the
        workspace is marked ``loading`` and no one sees it (``workspaces()``, ``workspace()``)
        until the last batch clears the mark. A load that fails part-way removes what it
        wrote; one that was killed leaves a hidden workspace, which the next load of that
        name removes first once it is :data:`STALE_LOAD_SECONDS` old.
        """
        size = len(dump.nodes) + len(dump.ties) + len(dump.contacts) + len(dump.audit)
        if self._state.tx is not None or size <= LOAD_BATCH:
            return self._load_at_once(dump, slug=slug)
        info = replace(dump.info, slug=check_slug(slug)) if slug is not None else dump.info
        check_slug(info.slug)
        self._begin_hidden_load(info)
        try:
            for step in self._load_steps(info.slug, dump):
                self._load_batch(info.slug, step)
            self._write("MATCH (w:Workspace {slug: $ws}) REMOVE w.loading", ws=info.slug)
        except BaseException:
            try:
                self._delete_contents(info.slug)
            except Exception:  # noqa: BLE001 - the first error is the one to report
                log.warning("could not remove the half-loaded workspace %r", info.slug)
            raise
        return Workspace(self, info.slug)

    @_retrying
    def _load_batch(self, workspace: str, step: Callable[[], None]) -> None:
        """One batch of a load in its own transaction, retried as a whole after a transient
        error; it also marks the hidden workspace as still being loaded."""
        step()
        self._write(
            "MATCH (w:Workspace {slug: $ws}) SET w.loading = $now", ws=workspace, now=time.time()
        )

    #: A load small enough for one transaction, retried as a whole like the other writes.
    _load_at_once = _retrying(Store.load_workspace)

    def _begin_hidden_load(self, info: WorkspaceInfo) -> None:
        """Create the workspace node marked ``loading``, after removing an interrupted load."""
        row = self._workspace_row(info.slug)
        if row is not None:
            if row.get("loading") is None:
                raise ConflictError("workspace {slug!r} already exists", slug=info.slug)
            if time.time() - float(row["loading"]) < STALE_LOAD_SECONDS:
                raise ConflictError("workspace {slug!r} is being loaded right now", slug=info.slug)
            self._delete_contents(info.slug)
        with self.atomic():
            self._create_workspace(info)
            self._write(
                "MATCH (w:Workspace {slug: $ws}) SET w.loading = $now",
                ws=info.slug,
                now=time.time(),
            )

    def _load_steps(self, workspace: str, dump: WorkspaceDump) -> Iterator[Callable[[], None]]:
        """The load as steps of at most :data:`LOAD_BATCH` items, in an order in which each
        step finds what it refers to: entities, their earlier versions, ties, contact
        moments, the log."""
        latest: dict[str, Node] = {}
        for node in dump.nodes:
            if node.id not in latest or node.version > latest[node.id].version:
                latest[node.id] = node
        entities = [latest[k] for k in sorted(latest)]
        older = [
            _node_row(workspace, n)
            for n in sorted(dump.nodes, key=lambda n: (n.id, n.version))
            if n.version < latest[n.id].version
        ]
        ties = sorted(dump.ties, key=lambda t: (t.id, t.version))
        audit = [replace(e, seq=None) for e in dump.audit]

        def write_older(rows: list[dict[str, Any]]) -> None:
            for chunk in _chunks(rows):
                self._write("UNWIND $rows AS row CREATE (v:NodeVersion) SET v = row", rows=chunk)

        for part in _chunks(entities, LOAD_BATCH):
            yield functools.partial(self._insert_nodes, workspace, part)
        for rows in _chunks(older, LOAD_BATCH):
            yield functools.partial(write_older, rows)
        for tie_part in _chunks(ties, LOAD_BATCH):
            yield functools.partial(self._insert_ties, workspace, tie_part)
        for contact_part in _chunks(list(dump.contacts), LOAD_BATCH):
            yield functools.partial(self._insert_contacts, workspace, contact_part)
        for audit_part in _chunks(audit, LOAD_BATCH):
            yield functools.partial(self._insert_audit, workspace, audit_part)

    def _load_versions(
        self, workspace: str, nodes: list[Node], ties: list[Tie], contacts: list[Contact]
    ) -> None:
        """Write history in bulk: each entity's latest version as its Entity node, earlier
        versions as NodeVersion nodes, then every tie version and contact moment."""
        latest: dict[str, Node] = {}
        for node in nodes:
            if node.id not in latest or node.version > latest[node.id].version:
                latest[node.id] = node
        self._insert_nodes(workspace, [latest[k] for k in sorted(latest)])
        older = [
            _node_row(workspace, n)
            for n in sorted(nodes, key=lambda n: (n.id, n.version))
            if n.version < latest[n.id].version
        ]
        for chunk in _chunks(older):
            self._write("UNWIND $rows AS row CREATE (v:NodeVersion) SET v = row", rows=chunk)
        self._insert_ties(workspace, sorted(ties, key=lambda t: (t.id, t.version)))
        self._insert_contacts(workspace, list(contacts))


# Public writes that run in their own transaction are retried as a whole after a transient
# failure (see the package docstring). update_node, change_tie, end_tie and reopen_tie are
# wrapped where they are defined above (they take a lock first); delete_workspace runs in
# batches, each batch its own retried transaction.
for _name in (
    "create_workspace",
    "update_workspace",
    "add_nodes",
    "add_ties",
    "add_contacts",
    "record_audit",
    "erase_node",
    "merge_nodes",
    "unmerge_nodes",
    "erase_tie",
    "put_record",
    "delete_record",
):
    if hasattr(Store, _name):
        setattr(Neo4jStore, _name, _retrying(getattr(Store, _name)))
del _name


def wait_for_server(url: str, *, timeout: float = 60.0, **options: Any) -> Neo4jStore:
    """Open the store, waiting up to ``timeout`` seconds for a server that is starting."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return Neo4jStore.from_url(url, **options)
        except StoreUnavailableError:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


__all__ = ["Neo4jStore", "wait_for_server"]
