"""Graph rows without value objects: a whole workspace's (``_graph_rows``, for the shared
projection and ``project``) and the neighbourhood of some entities (``project_around``): per
hop one statement that expands the ring's relationships, with the day and the kinds tested
by the server, and answers with two compact lists (the tie rows, the rows of the entities at
their other ends) instead of a record per tie."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from operator import itemgetter
from typing import Any

import neo4j

from ...model import NodeKind
from ..base import Store
from .nodes import ALL_NODE_KINDS
from .ties import ALL_REL_KINDS
from .transaction import DRIVER_ERRORS, Transactions, translate

#: Ids per statement (one statement per hop on anything but a huge neighbourhood).
AROUND_BATCH = 5_000

_PRESENT = "({v}.since IS NULL OR {v}.since <= $day) AND ({v}.until IS NULL OR {v}.until > $day)"
_NODE_ROW = "[{v}.id, {v}.kind, {v}.name, {v}.props, toString({v}.since), toString({v}.until)]"
_TIE_ROW = (
    "[r.tie_id, r.version, type(r), startNode(r).id, endNode(r).id, r.strength, "
    "toString(r.since), toString(r.until), r.role, r.origin]"
)
_RING = "UNWIND $ids AS nid MATCH (x:Entity {workspace: $ws, id: nid})"

#: The centres: node rows of those present on the day, of the kinds.
_NODES = (
    f"UNWIND $ids AS nid MATCH (n:Entity {{workspace: $ws, id: nid}}) "
    f"WHERE n.kind IN $kinds AND {_PRESENT.format(v='n')} "
    f"RETURN collect({_NODE_ROW.format(v='n')}) AS nodes"
)
#: One hop: every tie valid on the day between the ring and an entity present on the day
#: (of the kinds), and those entities.
_STEP = (
    f"{_RING}-[r]-(y:Entity) "
    f"WHERE r.workspace = $ws AND {_PRESENT.format(v='r')} "
    f"AND y.kind IN $kinds AND {_PRESENT.format(v='y')} "
    f"WITH collect({_TIE_ROW}) AS ties, collect(DISTINCT y) AS ends "
    f"RETURN ties, [y IN ends | {_NODE_ROW.format(v='y')} + [elementId(y)]] AS nodes"
)
#: The last ring's ties among itself (each found once, from its start), the ring given by
#: the element ids of its entities: a node is found by its element id without an index, and
#: comparing element ids reads no property (``y.id IN $ring`` made this 2-3x slower).
_INNER = (
    "UNWIND $eids AS eid MATCH (x:Entity) WHERE elementId(x) = eid "
    "MATCH (x)-[r]->(y:Entity) "
    f"WHERE elementId(y) IN $ring AND r.workspace = $ws AND {_PRESENT.format(v='r')} "
    "RETURN collect([r.tie_id, r.version, type(r), x.id, y.id, r.strength, "
    "toString(r.since), toString(r.until), r.role, r.origin]) AS ties"
)
#: The ties valid on the day with an end in the ring (the centres' ties at depth 0).
_TOUCHING = (
    f"{_RING}-[r]-(y:Entity) WHERE r.workspace = $ws AND {_PRESENT.format(v='r')} "
    f"RETURN collect({_TIE_ROW}) AS ties"
)


#: Every entity of a workspace (of the kinds; with a day, those present on it), as rows.
_ALL_NODES = (
    "MATCH (n:Entity {workspace: $ws}) WHERE n.kind IN $kinds {present} "
    "RETURN n.id, n.kind, n.name, n.props, toString(n.since), toString(n.until)"
)
#: Every tie version of a workspace (with a day, those valid on it), as rows.
_ALL_TIES = (
    "MATCH (a:Entity {workspace: $ws})-[r]->(b:Entity) "
    "WHERE r.workspace = $ws AND type(r) IN $rel_kinds {present} "
    "RETURN r.tie_id, r.version, type(r), a.id, b.id, r.strength, "
    "toString(r.since), toString(r.until), r.role, r.origin"
)


def _batches(ids: list[str]) -> list[list[str]]:
    return [ids[i : i + AROUND_BATCH] for i in range(0, len(ids), AROUND_BATCH)]


def _kind_values(kinds: list[NodeKind] | None) -> list[str]:
    return [k.value for k in kinds] if kinds is not None else ALL_NODE_KINDS


class AroundCypher(Transactions, Store):
    """The neighbourhood statements of :class:`~mapper.store.neo4j.Neo4jStore` (a mixin):
    :meth:`Store.project_around`'s hooks, each one statement per :data:`AROUND_BATCH` ids,
    an index seek on ``(workspace, id)`` per id."""

    def _graph_rows(
        self,
        workspace: str,
        *,
        as_of: dt.date | None = None,
        kinds: list[NodeKind] | None = None,
    ) -> tuple[list[Any], list[Any]]:
        """As :meth:`Store._graph_rows`: two streamed statements in one read transaction
        (nodes and ties of the same moment), a record per row and no value objects; the
        ties by id and version, as the default gives them."""
        day = " AND " + _PRESENT if as_of is not None else ""
        nodes_q = _ALL_NODES.replace("{present}", day.format(v="n"))
        ties_q = _ALL_TIES.replace("{present}", day.format(v="r"))
        params: dict[str, Any] = {
            "ws": workspace,
            "kinds": _kind_values(kinds),
            "rel_kinds": ALL_REL_KINDS,
            "day": as_of,
        }

        def work(tx: Any) -> tuple[list[Any], list[Any]]:
            return list(tx.run(nodes_q, params)), list(tx.run(ties_q, params))

        if self._state.tx is not None:
            nodes, ties = self._read(nodes_q, **params), self._read(ties_q, **params)
        else:
            try:
                with self.driver.session(
                    database=self.database,
                    default_access_mode=neo4j.READ_ACCESS,
                    bookmark_manager=self.driver.execute_query_bookmark_manager,
                ) as session:
                    nodes, ties = session.execute_read(work)
            except DRIVER_ERRORS as exc:
                raise translate(exc) from None
        nodes.sort(key=itemgetter(0))
        ties.sort(key=itemgetter(0, 1))
        return nodes, ties

    def _around_nodes(
        self, workspace: str, node_ids: list[str], day: dt.date, kinds: list[NodeKind] | None
    ) -> list[Any]:
        out: list[Any] = []
        for chunk in _batches(node_ids):
            rows = self._read(_NODES, ws=workspace, ids=chunk, kinds=_kind_values(kinds), day=day)
            out += rows[0][0]
        return out

    def _around_step(
        self,
        workspace: str,
        ring: list[str],
        known: Collection[str],
        day: dt.date,
        kinds: list[NodeKind] | None,
    ) -> tuple[list[Any], list[Any]]:
        ties: list[Any] = []
        nodes: list[Any] = []
        for chunk in _batches(ring):
            rows = self._read(_STEP, ws=workspace, ids=chunk, kinds=_kind_values(kinds), day=day)
            ties += rows[0][0]
            nodes += rows[0][1]
        return ties, nodes

    def _around_inner(self, workspace: str, ring: list[Any], day: dt.date) -> list[Any]:
        if any(len(r) < 7 for r in ring):  # not all from _around_step: by their ids
            return self._around_ties(workspace, [r[0] for r in ring], day, inner=True)
        eids = [r[6] for r in ring]
        out: list[Any] = []
        for chunk in _batches(eids):
            out += self._read(_INNER, ws=workspace, eids=chunk, ring=eids, day=day)[0][0]
        return out

    def _around_ties(
        self,
        workspace: str,
        node_ids: list[str],
        day: dt.date,
        *,
        inner: bool = False,
    ) -> list[Any]:
        out: list[Any] = []
        for chunk in _batches(node_ids):
            rows = self._read(_TOUCHING, ws=workspace, ids=chunk, day=day)
            out += rows[0][0]
        if inner:
            ring = set(node_ids)
            out = [t for t in out if t[3] in ring and t[4] in ring]
        return out
