"""A read-only view of a graph with more attributes on every edge, each edge worked out when
it is first read (and then kept), so making the view costs nothing and a search that reads a
neighbourhood pays only for that neighbourhood.

Used for the warm-contact graph (every tie with its effective strength from the contact log)
on top of the shared projection, instead of copying the whole graph for every snapshot.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import networkx as nx

#: ``annotate(source, target, attrs)`` → the attributes the view shows for that edge.
Annotate = Callable[[Any, Any, Mapping[str, Any]], dict[str, Any]]


class _Adjacency(Mapping[Any, Any]):
    """``node → {other end → {key: attrs}}`` over a base adjacency (successors, or with
    ``reverse`` predecessors), each node's row made on first use."""

    __slots__ = (
        "_base",
        "_annotate",
        "_edges",
        "_rows",
        "_reverse",
        "_old_base",
        "_old_rows",
        "_dirty",
    )

    def __init__(
        self,
        base: Mapping[Any, Any],
        annotate: Annotate,
        edges: dict[tuple[Any, Any, Any], dict[str, Any]],
        *,
        reverse: bool,
        like: _Adjacency | None = None,
        dirty: frozenset[Any] = frozenset(),
    ):
        self._base, self._annotate, self._edges = base, annotate, edges
        self._rows: dict[Any, dict[Any, dict[Any, dict[str, Any]]]] = {}
        self._reverse = reverse
        # The rows of an earlier view over an earlier snapshot: a node whose base row is the
        # very same object there (copy-on-write snapshots share what a write did not touch)
        # and that is not ``dirty`` has the same row here.
        self._old_base = like._base if like is not None else None
        self._old_rows = like._rows if like is not None else None
        self._dirty = dirty

    def _attrs(self, source: Any, target: Any, key: Any, data: Mapping[str, Any]) -> Any:
        edge = (source, target, key)
        attrs = self._edges.get(edge)
        if attrs is None:
            attrs = self._edges.setdefault(edge, self._annotate(source, target, data))
        return attrs

    def __getitem__(self, u: Any) -> dict[Any, dict[Any, dict[str, Any]]]:
        row = self._rows.get(u)
        if row is None and self._old_rows is not None and u not in self._dirty:
            old = self._old_rows.get(u)
            if old is not None and self._old_base.get(u) is self._base[u]:  # type: ignore[union-attr]
                row = self._rows[u] = old
        if row is None:
            row = {}
            for v, keydict in self._base[u].items():
                s, t = (v, u) if self._reverse else (u, v)
                row[v] = {k: self._attrs(s, t, k, d) for k, d in keydict.items()}
            self._rows[u] = row
        return row

    def __iter__(self) -> Iterator[Any]:
        return iter(self._base)

    def __len__(self) -> int:
        return len(self._base)

    def __contains__(self, u: object) -> bool:
        return u in self._base


def annotated_view(
    graph: nx.MultiDiGraph,
    annotate: Annotate,
    *,
    like: nx.MultiDiGraph | None = None,
    dirty: Iterable[Any] = (),
) -> nx.MultiDiGraph:
    """A frozen view of ``graph`` (a directed multigraph) whose edge ``(u, v, key)`` carries
    ``annotate(u, v, attrs)`` instead of ``attrs``; nodes and graph attributes are ``graph``'s.

    ``annotate`` must not change ``attrs`` (return a new dict) and must give the same answer
    whenever it is asked (it is asked at most once per edge and direction).

    ``like``, an earlier view made by this function over an earlier snapshot of the same
    graph, lends its worked-out rows: a node's edges are taken from it when the node's
    adjacency is the same object in both snapshots (as :class:`mapper.graph.Projection`'s
    copy-on-write snapshots share what a write did not touch), unless the node is in
    ``dirty`` (nodes whose edges ``annotate`` now answers differently for).

    >>> G = nx.MultiDiGraph(as_of="today")
    >>> G.add_edge("a", "b", key="t1", strength=0.5)
    't1'
    >>> H = annotated_view(G, lambda u, v, d: {**d, "double": d["strength"] * 2})
    >>> H["a"]["b"]["t1"]["double"], H.pred["b"]["a"]["t1"] is H["a"]["b"]["t1"]
    (1.0, True)
    >>> "double" in G["a"]["b"]["t1"], H.graph["as_of"], nx.is_frozen(H)
    (False, 'today', True)
    """
    edges: dict[tuple[Any, Any, Any], dict[str, Any]] = {}
    view: nx.MultiDiGraph = nx.MultiDiGraph()
    view.graph = dict(graph.graph)
    view._node = graph._node  # type: ignore[attr-defined]  # networkx's own dicts, for speed
    stale = frozenset(dirty)
    old_succ = like._succ if isinstance(getattr(like, "_succ", None), _Adjacency) else None  # type: ignore[union-attr]
    old_pred = like._pred if isinstance(getattr(like, "_pred", None), _Adjacency) else None  # type: ignore[union-attr]
    succ = _Adjacency(graph._succ, annotate, edges, reverse=False, like=old_succ, dirty=stale)  # type: ignore[attr-defined]  # networkx's own dicts, for speed
    view._adj = succ  # type: ignore[attr-defined]  # networkx's own dicts, for speed
    view._succ = succ  # type: ignore[attr-defined]  # networkx's own dicts, for speed
    view._pred = _Adjacency(graph._pred, annotate, edges, reverse=True, like=old_pred, dirty=stale)  # type: ignore[attr-defined]  # networkx's own dicts, for speed
    return nx.freeze(view)
