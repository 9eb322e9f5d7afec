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

from ..model import add_months, valid_on

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


def graph_on(
    history: nx.MultiDiGraph, day: dt.date, nodes: Iterable[Any] | None = None
) -> nx.MultiDiGraph:
    """The graph as of ``day`` from a history graph (``Store.project_history``): the nodes
    and tie versions valid that day, limited to ``nodes`` when given."""
    wanted = history.nodes if nodes is None else [n for n in nodes if n in history]
    graph: nx.MultiDiGraph = nx.MultiDiGraph()
    graph.graph.update(history.graph, as_of=day, history=False)
    node_data = history.nodes
    graph.add_nodes_from(
        (n, node_data[n])
        for n in wanted
        if valid_on(node_data[n].get("since"), node_data[n].get("until"), day)
    )
    present = graph._node  # type: ignore[attr-defined]  # a fast membership test on the new graph
    graph.add_edges_from(  # type: ignore[misc]  # the stubs know no (u, v, key, data)
        (u, v, attrs.get("tie", key), attrs)  # type: ignore[misc]
        for u, v, key, attrs in history.edges(keys=True, data=True)
        if u in present and v in present and valid_on(attrs.get("since"), attrs.get("until"), day)
    )
    return graph


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

    ``nodes`` limits the graphs handed to ``select`` (e.g. to a theme's ecosystem over all
    time), which keeps this fast on a large workspace.
    """
    keep = None if nodes is None else list(nodes)
    union: nx.MultiDiGraph = nx.MultiDiGraph(**history.graph)
    node_days: dict[Any, list[int]] = {}
    edge_days: dict[tuple[str, str], list[int]] = {}
    for index in range(len(days) - 1, -1, -1):
        shown = select(graph_on(history, days[index], keep))
        for node, attrs in shown.nodes(data=True):
            if node not in union:
                union.add_node(node, **attrs)
            node_days.setdefault(node, []).append(index)
        pairs = set()
        for u, v, key, attrs in shown.edges(keys=True, data=True):
            if u == v:
                continue
            if not union.has_edge(u, v, key):
                union.add_edge(u, v, key=key, **attrs)
            a, b = sorted((str(u), str(v)))
            pairs.add((a, b))
        for pair in pairs:
            edge_days.setdefault(pair, []).append(index)
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


__all__ = ["MAX_MONTHS", "MapTimeline", "first_day", "graph_on", "map_timeline", "timeline_days"]
