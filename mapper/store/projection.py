"""Graphs from :class:`~mapper.store.base.Store`: the projection as of a day, the shared
in-memory projection and its catch-up from the audit trail, the whole history, counts, and
the neighbourhood of some nodes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Any

from .. import audit as _audit
from ..errors import ValidationError
from ..model import NodeKind, RelKind, Tie, check_date
from .nodes import NodesAPI
from .ties import TiesAPI
from .values import _kinds_arg, node_attrs, tie_attrs

if TYPE_CHECKING:  # networkx is imported when a graph is built, not with the store
    import networkx as nx


class ProjectionAPI(NodesAPI, TiesAPI):
    """The graph-reading methods of a :class:`~mapper.store.base.Store`."""

    def project(
        self,
        workspace: str,
        *,
        as_of: Any = None,
        kinds: Iterable[str | NodeKind] | None = None,
    ) -> nx.MultiDiGraph:
        """The workspace as a networkx ``MultiDiGraph`` as of a date (default: today).

        Nodes carry ``kind``, ``name``, ``props``, ``since``, ``until``; edges are keyed by
        tie id and carry ``kind``, ``strength``, ``since``, ``until``, ``role``, ``origin``,
        ``version``. Only nodes and tie versions valid on the date are included, and a tie is
        only included when both its ends are. ``kinds`` limits the node kinds. A fresh graph,
        the caller's own; :meth:`projection` gives the shared one.
        """
        from .. import graph as _graph

        day = check_date(as_of, field="as_of") or dt.date.today()
        nodes, ties = self._graph_rows(workspace, as_of=day, kinds=_kinds_arg(kinds))
        return _graph.build_graph(nodes, ties, workspace=workspace, as_of=day)

    def projection(self, workspace: str) -> Any:
        """The workspace's shared in-memory projection (:class:`mapper.graph.Projection`):
        one per workspace and process, shared by every thread and request, kept current by
        this process's writes and built again after another process's. Read-only.

        ``projection(ws).as_of(day)`` equals ``project(ws, as_of=day)`` (for today it is the
        same frozen graph every time; for another day a view over the same memory).

        Inside a transaction that has changed the workspace, the projection is this
        transaction's own (built from what it sees, its uncommitted writes included) and not
        shared: the shared one only ever holds committed data (a rollback would otherwise
        leave it showing what was never saved)."""
        from .. import graph as _graph
        from . import journal

        self.get_workspace(workspace)
        if journal.changing(self, workspace):
            nodes, ties = self._graph_rows(workspace)
            return _graph.Projection.build(
                nodes,
                ties,
                workspace=workspace,
                today=dt.date.today(),
                mark=self._change_mark(workspace),
            )
        return _graph.shared_projection(
            self._projection_key(),
            workspace,
            mark=lambda: self._change_mark(workspace),
            load=lambda: self._graph_rows(workspace),
            catch_up=lambda mark: self._changes_since(workspace, mark),
        )

    def _audit_after(
        self, workspace: str, seq: Any, limit: int
    ) -> list[tuple[str, str, str | None]] | None:
        """``(action, target_type, target_id)`` of the audit entries after ``seq``, oldest
        first, at most ``limit``; None if the adapter cannot tell."""
        entries = self._query_audit(workspace, None, None, limit)
        newer = [e for e in entries if e.seq is not None and e.seq > seq]
        if len(newer) == len(entries) == limit:
            return None  # perhaps more than that
        return [(e.action, e.target_type, e.target_id) for e in reversed(newer)]

    def _changes_since(self, workspace: str, mark: Any) -> list[Any] | None:
        """What changed in the graph since ``mark`` (another process's writes), read from
        the audit trail: each node or tie an entry names is read again. None when that cannot
        be told precisely (an erasure or a merge, or more entries than are worth it): then the
        projection is built again."""
        from .. import graph as _graph

        newer = self._audit_after(workspace, mark, _graph.MAX_APPLY + 1)
        if newer is None or len(newer) > _graph.MAX_APPLY:
            return None
        nodes: set[str] = set()
        ties: set[str] = set()
        for action, target_type, target_id in newer:
            if action in (_audit.MERGE, _audit.ERASE, _audit.DELETE):
                return None
            if target_type == "node" and target_id:
                nodes.add(target_id)
            elif target_type == "tie" and target_id:
                ties.add(target_id)
        found = self._get_nodes(workspace, sorted(nodes))
        if len(found) != len(nodes):
            return None
        changes: list[Any] = [("nodes", [found[n] for n in sorted(found)])]
        for tie_id in sorted(ties):
            changes.append(("tie_versions", tie_id, self._tie_versions(workspace, tie_id)))
        return changes

    def _projection_key(self) -> Any:
        """What identifies this store's data across store objects of the process (for
        sharing a projection); adapters refine it (SQLite: the file's real path)."""
        return (self.backend, repr(self))

    def _change_mark(self, workspace: str) -> Any:
        """A value that changes whenever the workspace changes, by any process: the sequence
        number of its newest audit-trail entry (every write adds one; erasing adds one too)."""
        newest = self._query_audit(workspace, None, None, 1)
        return newest[0].seq if newest else 0

    def _graph_rows(
        self,
        workspace: str,
        *,
        as_of: dt.date | None = None,
        kinds: list[NodeKind] | None = None,
    ) -> tuple[Iterable[Any], Iterable[Any]]:
        """Rows for :mod:`mapper.graph`: current node versions ``(id, kind, name, props,
        since, until)`` and tie versions ``(id, version, kind, source, target, strength,
        since, until, role, origin)``; with ``as_of``, at least those valid that day (else
        every version). Adapters may read them without building value objects."""
        nodes = [
            (n.id, n.kind.value, n.name, n.props, n.since, n.until)
            for n in self._query_nodes(workspace, kinds, as_of)
        ]
        ties = [
            (
                t.id,
                t.version,
                t.kind.value,
                t.source,
                t.target,
                t.strength,
                t.since,
                t.until,
                t.role,
                t.origin,
            )
            for t in self._query_ties(workspace, None, None, as_of, as_of is None)
        ]
        return nodes, ties

    def project_history(
        self,
        workspace: str,
        *,
        kinds: Iterable[str | NodeKind] | None = None,
        tie_kinds: Iterable[str | RelKind] | None = None,
    ) -> nx.MultiDiGraph:
        """The workspace with its whole history, as one networkx ``MultiDiGraph``.

        Every node (its current version, with its validity interval ``since``/``until``) and
        every *version* of every tie between two of those nodes. Edges are keyed
        ``"<tie id>:<version>"`` and carry ``tie`` (the tie id) besides the attributes of
        :meth:`project`. Filtering the edges and nodes by ``since <= day < until`` gives the
        graph as of ``day``; the time-series analyses (``mapper.analysis.community``) read
        this once and evaluate many dates in memory. ``kinds``/``tie_kinds`` limit what is read.
        """
        import networkx as nx

        graph: nx.MultiDiGraph = nx.MultiDiGraph(workspace=workspace, as_of=None, history=True)
        for node in self.nodes(workspace, kind=kinds):
            graph.add_node(node.id, **node_attrs(node))
        for tie in self.ties(workspace, kind=tie_kinds, history=True):
            if tie.source in graph and tie.target in graph:
                graph.add_edge(
                    tie.source,
                    tie.target,
                    key=f"{tie.id}:{tie.version}",
                    tie=tie.id,
                    **tie_attrs(tie),
                )
        return graph

    def counts(self, workspace: str) -> dict[str, int]:
        """Number of current nodes per kind, current ties, and contact moments."""
        out: dict[str, int] = {k.value: 0 for k in NodeKind}
        for node in self.nodes(workspace):
            out[node.kind.value] += 1
        out["ties"] = sum(1 for _ in self.ties(workspace))
        out["contacts"] = sum(1 for _ in self.contacts(workspace))
        return out

    def contact_count(self, workspace: str) -> int:
        """Number of contact moments (``counts(workspace)["contacts"]`` alone)."""
        return sum(1 for _ in self.contacts(workspace))

    def project_around(
        self,
        workspace: str,
        node_ids: Iterable[str],
        *,
        depth: int = 1,
        as_of: Any = None,
        kinds: Iterable[str | NodeKind] | None = None,
    ) -> nx.MultiDiGraph:
        """The neighbourhood of some nodes as a networkx ``MultiDiGraph``, as of a date.

        Fetches only what it needs (hop by hop), not the whole workspace. The result equals
        the subgraph of ``project(as_of=..., kinds=...)`` induced by every node within
        ``depth`` ties (either direction) of one of the given nodes, as found by
        ``nx.ego_graph(..., radius=depth, undirected=True)``: those nodes and every tie valid
        on the date among them.

        Parameters
        ----------
        node_ids : iterable of str
            The centres (e.g. a theme's id, or a community's members). Ids that are not
            present on the date are ignored.
        depth : int
            How many ties away from a centre to go (0: the centres alone).
        as_of : date or ISO text, optional
            The day to look at (default: today).
        kinds : iterable of node kinds, optional
            Only nodes of these kinds take part (also as steps on the way).
        """
        if isinstance(depth, bool) or not isinstance(depth, int) or depth < 0:
            raise ValidationError(
                "depth {depth!r} is not a whole number >= 0", field="depth", depth=depth
            )
        day = check_date(as_of, field="as_of") or dt.date.today()
        wanted = _kinds_arg(kinds)
        # Plain rows throughout (see _graph_rows): the centres, then per hop the ties touching
        # the ring and the nodes at their other ends (_around_step). Of the last ring's ties
        # only those within the ring are asked for: a tie from it to the ring before was read
        # with that ring, and the rest lead outwards (on a province, nearly all of them).
        keep: dict[str, Any] = {
            r[0]: r
            for r in self._around_nodes(
                workspace, sorted({i for i in node_ids if isinstance(i, str)}), day, wanted
            )
        }
        frontier = sorted(keep)
        ties: dict[str, Any] = {}
        for _ in range(depth):
            if not frontier:
                break
            touching, ends = self._around_step(workspace, frontier, keep.keys(), day, wanted)
            for row in touching:
                ties[row[0]] = row
            added = {r[0]: r for r in ends if r[0] not in keep}
            keep.update(added)
            frontier = sorted(added)
        if frontier:
            for row in self._around_inner(workspace, [keep[i] for i in frontier], day):
                ties[row[0]] = row
        from .. import graph as _graph

        return _graph.build_graph(
            [keep[i][:6] for i in sorted(keep)],
            [ties[i] for i in sorted(ties)],
            workspace=workspace,
            as_of=day,
        )

    def _around_step(
        self,
        workspace: str,
        ring: list[str],
        known: Collection[str],
        day: dt.date,
        kinds: list[NodeKind] | None,
    ) -> tuple[Iterable[Any], Iterable[Any]]:
        """One hop of :meth:`project_around`: tie rows (as :meth:`_graph_rows`) of the tie
        versions valid on ``day`` with an end in ``ring`` (a tie may come twice; its other end
        may be absent), and node rows of at least those other ends, not in ``known``, that
        are present on ``day`` and of the given kinds (known ones may come too; an adapter
        may add columns after the six, for its :meth:`_around_inner`). Adapters may answer
        with one query."""
        touching = list(self._around_ties(workspace, ring, day))
        ends = {e for row in touching for e in (row[3], row[4])}
        return touching, self._around_nodes(workspace, sorted(ends - set(known)), day, kinds)

    def _around_inner(self, workspace: str, ring: list[Any], day: dt.date) -> Iterable[Any]:
        """Tie rows of the tie versions valid on ``day`` with both ends in the last ring,
        given as its node rows (those of :meth:`_around_step`, with any columns an adapter
        added after the six of :meth:`_graph_rows`)."""
        return self._around_ties(workspace, [r[0] for r in ring], day, inner=True)

    def _around_nodes(
        self, workspace: str, node_ids: list[str], day: dt.date, kinds: list[NodeKind] | None
    ) -> Iterable[Any]:
        """Node rows (as :meth:`_graph_rows`) of those of ``node_ids`` present on ``day``,
        of the given kinds. Adapters may answer with one query and no value objects."""
        if not node_ids:
            return []
        allowed = set(kinds or NodeKind)
        return [
            (n.id, n.kind.value, n.name, n.props, n.since, n.until)
            for n in self._get_nodes(workspace, node_ids).values()
            if n.kind in allowed and n.valid_on(day)
        ]

    def _around_ties(
        self,
        workspace: str,
        node_ids: list[str],
        day: dt.date,
        *,
        inner: bool = False,
    ) -> Iterable[Any]:
        """Tie rows (as :meth:`_graph_rows`) of the tie versions valid on ``day`` with one
        of ``node_ids`` at an end (a tie may come twice), or with ``inner`` at both ends.
        Adapters may answer with one query per side and no value objects."""
        inside = set(node_ids) if inner else None
        return [
            (
                t.id,
                t.version,
                t.kind.value,
                t.source,
                t.target,
                t.strength,
                t.since,
                t.until,
                t.role,
                t.origin,
            )
            for t in self._ties_touching(workspace, node_ids, day)
            if inside is None or (t.source in inside and t.target in inside)
        ]

    def _ties_touching(self, workspace: str, node_ids: list[str], day: dt.date) -> list[Tie]:
        """Tie versions valid on ``day`` with one of ``node_ids`` at either end, by id.

        Adapters may override this with a single query; the default asks per node."""
        found: dict[str, Tie] = {}
        for node_id in node_ids:
            for tie in self._query_ties(workspace, node_id, None, day, False):
                found[tie.id] = tie
        return [found[k] for k in sorted(found)]
