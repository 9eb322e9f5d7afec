"""Workspaces: listing, creating and changing them, deleting one in batches, and loading a
whole one from a dump (in batches, hidden until complete).
"""

from __future__ import annotations

import collections
import functools
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from typing import Any

from ... import graph as _graph
from ...errors import ConflictError, NotFoundError
from ...model import Contact, Node, NodeKind, RelKind, Tie, WorkspaceInfo
from ..base import Store, Workspace, check_slug
from ..dump import WorkspaceDump
from .rows import (
    _chunks,
    _create_ties_query,
    _json,
    _node_row,
    _ties_by_kind,
    _workspace,
)
from .transaction import Transactions, TransactionTooBigError, _retrying

log = logging.getLogger(__name__)

#: Nodes (with their relationships) deleted per transaction when a workspace is deleted.
DELETE_BATCH = 10_000
#: Versions, contact moments and log entries written per transaction when a workspace is
#: loaded (``mapper migrate``, a restore); a smaller load is one transaction.
LOAD_BATCH = 20_000
#: Rows per ``UNWIND`` statement of a batched load (bigger than the store's BATCH_SIZE:
#: fewer round trips, and a statement this size still needs only a few MB on the server).
LOAD_STATEMENT = 5_000
#: A hidden, half-loaded workspace whose last batch is older than this (s) was interrupted.
STALE_LOAD_SECONDS = 600


class WorkspaceCypher(Transactions, Store):
    """The workspace statements of :class:`~mapper.store.neo4j.Neo4jStore` (a mixin)."""

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
        """The workspace; inside an explicit ``atomic()`` block a read *for update*.

        Neo4j reads at read committed, so a block that reads the settings, merges into them
        and writes them back (a map's positions: ``web.maps.save_layout``) would lose what a
        concurrent block wrote in between. Inside an explicit block the workspace's write
        lock is therefore taken before it is read, so such blocks run one after another, as
        on SQLite, whose block holds the database's write lock from its start. (A managed
        write only checks that the workspace exists; :meth:`update_workspace` locks itself.)
        """
        state = self._state
        if state.tx is not None and not state.managed:
            self._lock_workspace(slug)
        row = self._workspace_row(slug)
        return _workspace(row) if row is not None and row.get("loading") is None else None

    def _lock_workspace(self, slug: str) -> None:
        """Take the workspace node's write lock (held until the transaction ends)."""
        if isinstance(slug, str):
            self._write(
                "MATCH (w:Workspace {slug: $ws}) SET w._lock = true REMOVE w._lock", ws=slug
            )

    @_retrying
    def update_workspace(
        self, slug: str, *, name: str | None = None, settings: Mapping[str, Any] | None = None
    ) -> WorkspaceInfo:
        """As :meth:`Store.update_workspace`, with the workspace locked before it is read,
        so two processes changing settings at once both keep their change."""
        with self.atomic():
            self._lock_workspace(slug)
            return super().update_workspace(slug, name=name, settings=settings)

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
            steps = collections.deque(self._load_steps(info.slug, dump))
            while steps:
                write, items = steps.popleft()
                try:
                    self._load_batch(info.slug, functools.partial(write, items))
                except TransactionTooBigError:
                    # The server caps a transaction's memory (Aura, managed servers): the
                    # batch was rolled back whole; write it as two halves instead.
                    if len(items) < 2:
                        raise
                    half = len(items) // 2
                    steps.extendleft([(write, items[half:]), (write, items[:half])])
                    log.info("a load batch of %d items was too big; halved", len(items))
            self._write("MATCH (w:Workspace {slug: $ws}) REMOVE w.loading", ws=info.slug)
            # Written past the journal (not by its primitives): no projection may keep
            # what it saw of the name before.
            _graph.invalidate(self._projection_key(), info.slug)
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

    def _load_steps(
        self, workspace: str, dump: WorkspaceDump
    ) -> Iterator[tuple[Callable[[list[Any]], None], list[Any]]]:
        """The load as steps ``(write, items)`` of at most :data:`LOAD_BATCH` items, in an
        order in which each step finds what it refers to: entities, their earlier versions,
        ties, contact moments, the log (a step's items may be split, in order, and written
        as two steps).

        The workspace is new and hidden, so nothing in it can clash with the dump: the dump
        is checked here, once, in memory (:func:`_check_dump`), and the steps only write
        (``UNWIND`` statements of :data:`LOAD_STATEMENT` rows, no reads before writes)."""
        _check_dump(dump)
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
            for chunk in _chunks(rows, LOAD_STATEMENT):
                self._write("UNWIND $rows AS row CREATE (v:NodeVersion) SET v = row", rows=chunk)

        steps: list[tuple[Callable[[list[Any]], None], list[Any]]] = [
            (functools.partial(self._create_entities, workspace), entities),
            (write_older, older),
            (functools.partial(self._create_ties, workspace), ties),
            (functools.partial(self._insert_contacts, workspace), list(dump.contacts)),
            (functools.partial(self._insert_audit, workspace), audit),
        ]
        for write, items in steps:
            for part in _chunks(items, LOAD_BATCH):
                yield write, part

    def _create_entities(self, workspace: str, nodes: list[Node]) -> None:
        """Write entities into a workspace being loaded (checked by :func:`_check_dump`)."""
        by_kind: dict[NodeKind, list[dict[str, Any]]] = {}
        for node in nodes:
            by_kind.setdefault(node.kind, []).append(_node_row(workspace, node))
        for kind, rows in by_kind.items():
            # The label comes from the NodeKind enum, never from user text.
            query = f"UNWIND $rows AS row CREATE (n:Entity:{NodeKind(kind).value}) SET n = row"
            for chunk in _chunks(rows, LOAD_STATEMENT):
                self._write(query, rows=chunk)

    def _create_ties(self, workspace: str, ties: list[Tie]) -> None:
        """Write tie versions into a workspace being loaded (checked by :func:`_check_dump`);
        an end that is not there is an error (NotFoundError)."""
        for kind, rows in _ties_by_kind(workspace, ties).items():
            query = _create_ties_query(kind)
            for chunk in _chunks(rows, LOAD_STATEMENT):
                done = self._write(query, ws=workspace, rows=chunk)
                if not done or done[0]["n"] != len(chunk):
                    raise NotFoundError("an end of one of these ties is not in this workspace")

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


def _check_dump(dump: WorkspaceDump) -> None:
    """What the store would otherwise refuse while writing, checked in memory before a
    batched load: an entity version or tie version given twice, a tie whose versions are
    of different kinds, a contact moment given twice (ConflictError)."""
    nodes = {(n.id, n.version) for n in dump.nodes}
    if len(nodes) != len(dump.nodes):
        raise ConflictError("the same entity version is given twice")
    ties = {(t.id, t.version) for t in dump.ties}
    if len(ties) != len(dump.ties):
        raise ConflictError("the same tie version is given twice")
    kinds: dict[str, RelKind] = {}
    for tie in dump.ties:
        if kinds.setdefault(tie.id, tie.kind) is not tie.kind:
            raise ConflictError(
                "tie {tie_id!r} is a {stored} tie, not {kind}",
                tie_id=tie.id,
                stored=kinds[tie.id].value,
                kind=tie.kind.value,
            )
    if len({c.id for c in dump.contacts}) != len(dump.contacts):
        raise ConflictError("the same contact moment id is given twice")
