"""A map over months: which points and ties are on it on each day, read from the history once.

The time slider of the scan and community maps moves through the months without reloading
the page: the server sends one set of points and ties (everything that is on the map on any of
the days) with, for each, the days it is present; the browser shows and hides them. Positions
are one per point for all days, so nobody jumps between months.

>>> import datetime as dt, networkx as nx
>>> H = nx.MultiDiGraph()
>>> H.add_node("t", kind="Theme", name="t", since=None, until=None)
>>> H.add_node("a", kind="Person", name="a", since=dt.date(2025, 1, 1), until=None)
>>> H.add_node("b", kind="Person", name="b", since=dt.date(2025, 3, 1), until=None)
>>> _ = H.add_edge("a", "t", key="1:1", kind="ACTIVE_ON", since=dt.date(2025, 1, 1), until=None)
>>> _ = H.add_edge("b", "t", key="2:1", kind="ACTIVE_ON", since=dt.date(2025, 3, 1), until=None)
>>> days = timeline_days(dt.date(2025, 1, 10), dt.date(2025, 3, 15), dt.date(2025, 3, 15))
>>> [d.isoformat() for d in days]
['2025-01-15', '2025-02-15', '2025-03-15']
>>> tl = map_timeline(H, days, lambda g: g)
>>> tl.node_days["a"], tl.node_days["b"], tl.edge_days[("b", "t")]
([0, 1, 2], [2], [2])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from ..model import add_months

#: The slider covers at most this many months (the most recent ones).
MAX_MONTHS = 24


def timeline_days(
    first: dt.date | None, last: dt.date, anchor: dt.date, *, max_months: int = MAX_MONTHS
) -> list[dt.date]:
    """The days of a slider: ``anchor`` moved by whole months, from the month of ``first``
    up to ``last`` (today), plus ``last`` itself; at most ``max_months`` of the latest.

    >>> [d.isoformat() for d in timeline_days(None, dt.date(2025, 5, 2), dt.date(2025, 5, 2))]
    ['2025-05-02']
    >>> [d.day for d in timeline_days(dt.date(2025, 4, 1), dt.date(2025, 5, 2), dt.date(2025, 4, 20))]
    [20, 2]
    >>> days = timeline_days(dt.date(2025, 4, 1), dt.date(2025, 6, 2), dt.date(1990, 1, 10))
    >>> [d.isoformat() for d in days]
    ['1990-01-10', '2025-04-10', '2025-05-10', '2025-06-02']
    """
    start = (first or min(anchor, last)).replace(day=1)
    anchor = min(anchor, last)
    days = {anchor, last}
    back = add_months(anchor, -1)
    while back >= start and len(days) < max_months:
        days.add(back)
        back = add_months(back, -1)
    ahead = add_months(anchor, 1)
    if ahead < start:  # an early anchor: the months from the first one on, in its rhythm
        months = (start.year - ahead.year) * 12 + start.month - ahead.month
        ahead = add_months(anchor, months + 1)
    while ahead <= last:
        days.add(ahead)
        ahead = add_months(ahead, 1)
    ordered = sorted(days)
    if len(ordered) > max_months:  # the latest months, and always the anchor
        ordered = sorted({anchor, *ordered[-(max_months - 1) :]})
    return ordered


def _same(attrs: dict) -> dict:
    return attrs


class DayGraphs:
    """Graphs as of a day from one history graph (``Store.project_history``), for many days.

    The nodes and tie versions are read from the history once; each day's graph is then
    built straight into networkx's adjacency dicts (the same dicts ``add_edges_from`` fills,
    each attribute dict a copy), which is about eight times faster than adding the edges one
    by one: a slider of 13 months over 1,500 points and 5,500 ties built its graphs in 0.7 s.
    """

    def __init__(self, history: nx.MultiDiGraph, nodes: Iterable[Any] | None = None) -> None:
        node_data = history.nodes
        wanted = history.nodes if nodes is None else [n for n in nodes if n in history]
        self.graph_attrs = dict(history.graph)
        self.nodes = [
            (n, node_data[n], node_data[n].get("since"), node_data[n].get("until")) for n in wanted
        ]
        keep = None if nodes is None else {n for n, *_ in self.nodes}
        self.edges = [
            (u, v, attrs.get("tie", key), attrs, attrs.get("since"), attrs.get("until"))
            for u, v, key, attrs in history.edges(keys=True, data=True)
            if keep is None or (u in keep and v in keep)
        ]

    def on(self, day: dt.date, *, copy: bool = True) -> nx.MultiDiGraph:
        """The nodes and tie versions valid on ``day`` (see :func:`graph_on`); with
        ``copy=False`` their attribute dicts are the history's own (to read, not to change)."""
        dup: Callable[[dict], dict] = dict if copy else _same
        graph: nx.MultiDiGraph = nx.MultiDiGraph()
        graph.graph.update(self.graph_attrs, as_of=day, history=False)
        # networkx's own storage: _node, and _succ/_pred sharing one key dict per pair
        node, succ, pred = graph._node, graph._succ, graph._pred  # type: ignore[attr-defined]
        for n, attrs, since, until in self.nodes:
            if (since is None or since <= day) and (until is None or day < until):
                node[n] = dup(attrs)
                succ[n] = {}
                pred[n] = {}
        for u, v, key, attrs, since, until in self.edges:
            if (
                u in node
                and v in node
                and (since is None or since <= day)
                and (until is None or day < until)
            ):
                keys = succ[u].get(v)
                if keys is None:
                    keys = succ[u][v] = pred[v][u] = {}
                keys[key] = dup(attrs)
        return graph


def subgraph_copy(graph: nx.MultiDiGraph, nodes: Iterable[Any]) -> nx.MultiDiGraph:
    """``graph.subgraph(nodes).copy()`` (the same nodes, ties, attributes and order), made
    straight into networkx's dicts: the copy through a subgraph view reads every tie through
    several view objects.

    >>> G = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("a", "b")])
    >>> S = subgraph_copy(G, ["a", "b"])
    >>> sorted(S.edges(keys=True)), S.edges["a", "b", 0] is G.edges["a", "b", 0]
    ([('a', 'b', 0), ('a', 'b', 1)], False)
    """
    inside = set(nodes)
    source_nodes = getattr(graph, "_node", None)
    source_succ = getattr(graph, "_succ", None)
    if type(graph) is not nx.MultiDiGraph or source_nodes is None or source_succ is None:
        return graph.subgraph(inside).copy()  # type: ignore[no-any-return]
    copy: nx.MultiDiGraph = nx.MultiDiGraph()
    copy.graph.update(graph.graph)
    node, succ, pred = copy._node, copy._succ, copy._pred  # type: ignore[attr-defined]
    for n, attrs in source_nodes.items():
        if n in inside:
            node[n] = dict(attrs)
            succ[n] = {}
            pred[n] = {}
    for u in node:
        for v, keys in source_succ[u].items():
            if v in node:
                copied = {key: dict(attrs) for key, attrs in keys.items()}
                succ[u][v] = copied
                pred[v][u] = copied
    return copy


def graph_on(
    history: nx.MultiDiGraph, day: dt.date, nodes: Iterable[Any] | None = None
) -> nx.MultiDiGraph:
    """The graph as of ``day`` from a history graph (``Store.project_history``): the nodes
    and tie versions valid that day (keyed by tie id), limited to ``nodes`` when given.

    >>> H = nx.MultiDiGraph()
    >>> H.add_node("a", since=dt.date(2025, 1, 1), until=None)
    >>> H.add_node("b", since=None, until=dt.date(2025, 6, 1))
    >>> _ = H.add_edge("a", "b", key="t1:1", tie="t1", since=None, until=dt.date(2025, 3, 1))
    >>> _ = H.add_edge("a", "b", key="t1:2", tie="t1", since=dt.date(2025, 3, 1), until=None)
    >>> g = graph_on(H, dt.date(2025, 4, 1))
    >>> sorted(g), list(g.edges(keys=True)), g.graph["as_of"]
    (['a', 'b'], [('a', 'b', 't1')], datetime.date(2025, 4, 1))
    >>> g["a"]["b"]["t1"]["since"]
    datetime.date(2025, 3, 1)
    >>> sorted(graph_on(H, dt.date(2025, 7, 1)))
    ['a']
    """
    return DayGraphs(history, nodes).on(day)


def _edges_of(shown: nx.MultiDiGraph) -> Iterable[tuple[Any, Any, Any, dict]]:
    """``shown.edges(keys=True, data=True)``, read from networkx's adjacency dicts when that
    is safe (a graph, or a node-induced subgraph view of one, as ``graph.subgraph(nodes)``
    gives): iterating a view edge by edge costs several times more."""
    base: Any = shown
    inside = None
    node_ok = getattr(shown, "_NODE_OK", None)
    if node_ok is not None:  # a subgraph view
        edge_ok = getattr(shown, "_EDGE_OK", None)
        base = getattr(shown, "_graph", None)
        inside = getattr(node_ok, "nodes", None)
        if (
            edge_ok is not nx.filters.no_filter
            or inside is None
            or base is None
            or getattr(base, "_NODE_OK", None) is not None
        ):
            return shown.edges(keys=True, data=True)  # type: ignore[no-any-return]
    succ = getattr(base, "_succ", None)
    if type(base) is not nx.MultiDiGraph or succ is None:
        return shown.edges(keys=True, data=True)  # type: ignore[no-any-return]
    if inside is None:
        return (
            (u, v, key, attrs)
            for u, nbrs in succ.items()
            for v, keys in nbrs.items()
            for key, attrs in keys.items()
        )
    return (  # in the graph's order, as the view would give them
        (u, v, key, attrs)
        for u, nbrs in succ.items()
        if u in inside
        for v, keys in nbrs.items()
        if v in inside
        for key, attrs in keys.items()
    )


def first_day(graph: nx.MultiDiGraph) -> dt.date | None:
    """The earliest ``since`` of the nodes and ties of ``graph`` (None if none has one)."""
    days: list[dt.date] = [d for _, d in graph.nodes(data="since") if isinstance(d, dt.date)]  # type: ignore[misc]
    days += [d for _, _, d in graph.edges(data="since") if isinstance(d, dt.date)]  # type: ignore[misc, var-annotated]
    return min(days) if days else None


@dataclass
class MapTimeline:
    """A map over ``days``: ``union`` holds every node and tie present on any day (with the
    attributes of its latest day), ``node_days`` / ``edge_days`` the indices of the days each
    is present on (edges by their sorted pair of end points, as the map draws pairs)."""

    days: list[dt.date]
    union: nx.MultiDiGraph
    node_days: dict[Any, list[int]] = field(default_factory=dict)
    edge_days: dict[tuple[str, str], list[int]] = field(default_factory=dict)


def map_timeline(
    history: nx.MultiDiGraph,
    days: list[dt.date],
    select: Callable[[nx.MultiDiGraph], nx.MultiDiGraph],
    *,
    nodes: Iterable[Any] | None = None,
    keep_day: dt.date | None = None,
) -> MapTimeline:
    """Apply ``select`` (graph as of a day → what the map shows) to every day of ``days``.

    Leading days on which nothing is shown are dropped (but never ``keep_day``), so the
    timeline starts at the first day with anything on the map.

    The graphs handed to ``select`` share their attribute dicts with ``history``: ``select``
    reads them (and may return a view or a copy), it never changes them.

    ``nodes`` limits the graphs handed to ``select`` (e.g. to a theme's ecosystem over all
    time), which keeps this fast on a large workspace.
    """
    graphs = DayGraphs(history, nodes)
    node_days: dict[Any, list[int]] = {}
    edge_days: dict[tuple[str, str], list[int]] = {}
    # the union, with the attributes of the latest day each is on (filled from the last day)
    union_nodes: dict[Any, dict] = {}
    union_edges: dict[tuple[Any, Any, Any], dict] = {}
    pair_of: dict[tuple[Any, Any], tuple[str, str]] = {}  # (u, v) → sorted pair of ids
    for index in range(len(days) - 1, -1, -1):
        shown = select(graphs.on(days[index], copy=False))
        for node, attrs in shown.nodes(data=True):
            if node not in union_nodes:
                union_nodes[node] = attrs
            node_days.setdefault(node, []).append(index)
        pairs = set()
        for u, v, key, attrs in _edges_of(shown):
            if u == v:
                continue
            if (u, v, key) not in union_edges:
                union_edges[(u, v, key)] = attrs
            pair = pair_of.get((u, v))
            if pair is None:
                a, b = str(u), str(v)
                pair = pair_of[(u, v)] = (a, b) if a <= b else (b, a)
            pairs.add(pair)
        for pair in pairs:
            edge_days.setdefault(pair, []).append(index)
    union: nx.MultiDiGraph = nx.MultiDiGraph(**history.graph)
    union.add_nodes_from(union_nodes.items())
    # the stubs know no (u, v, key, data) tuples
    edges: Any = ((u, v, key, attrs) for (u, v, key), attrs in union_edges.items())
    union.add_edges_from(edges)
    for values in (*node_days.values(), *edge_days.values()):
        values.reverse()
    # the slider starts at the first day with anything on the map
    start = min((v[0] for v in node_days.values() if v), default=0)
    if keep_day in days:
        start = min(start, days.index(keep_day))
    if start:
        days = days[start:]
        for values in (*node_days.values(), *edge_days.values()):
            values[:] = [i - start for i in values]
    return MapTimeline(days=days, union=union, node_days=node_days, edge_days=edge_days)


__all__ = [
    "MAX_MONTHS",
    "DayGraphs",
    "MapTimeline",
    "first_day",
    "graph_on",
    "map_timeline",
    "subgraph_copy",
    "timeline_days",
]
