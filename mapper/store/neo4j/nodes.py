"""Entities: their current version (``:Entity``) and earlier ones (``:NodeVersion``)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from ...errors import ConflictError, NotFoundError
from ...model import Node, NodeKind
from ..base import Store, _kinds_arg, fold
from .rows import (
    _chunks,
    _node,
    _node_row,
    name_key,
)
from .transaction import Transactions, _retrying

ALL_NODE_KINDS = [k.value for k in NodeKind]


class NodeCypher(Transactions, Store):
    """The entity statements of :class:`~mapper.store.neo4j.Neo4jStore` (a mixin)."""

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

    def find_nodes(
        self,
        workspace: str,
        text: str,
        *,
        kind: str | NodeKind | Iterable[str | NodeKind] | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> list[Node]:
        """As :meth:`Store.find_nodes` (exact, then prefix, then substring matches of the
        folded name; ties by folded name, then id), in one statement with ``LIMIT`` on the
        entities' search keys (``name_key``, text-indexed) instead of a scan of every entity.

        The keys sort as Python sorts folded names (see
        :func:`~mapper.store.neo4j.rows.name_key`), and ids are ASCII (``ID_RE``), which
        both sort by code point, so the statement's order and cut are the reference's.
        """
        wanted = fold(text)
        if not wanted:
            return []
        kinds = _kinds_arg(kind)
        if any(isinstance(v, bool) or not isinstance(v, int) for v in (limit, offset)) or (
            limit < 1 or offset < 0
        ):
            return super().find_nodes(workspace, text, kind=kind, limit=limit, offset=offset)
        rows = self._read(
            "MATCH (n:Entity {workspace: $ws}) WHERE n.name_key CONTAINS $key "
            "AND n.kind IN $kinds "
            "WITH n, CASE WHEN n.name_key = $key THEN 0 "
            "WHEN n.name_key STARTS WITH $key THEN 1 ELSE 2 END AS rank "
            "RETURN n {.*} AS n ORDER BY rank, n.name_key, n.id SKIP $offset LIMIT $limit",
            ws=workspace,
            key=name_key(text),
            kinds=[k.value for k in kinds] if kinds is not None else ALL_NODE_KINDS,
            limit=limit,
            offset=offset,
        )
        return [_node(r["n"]) for r in rows]

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
