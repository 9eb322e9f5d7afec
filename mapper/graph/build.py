"""Building a graph from rows of nodes and tie versions, and what "valid on day X" means.

:func:`build_graph` is the one place that turns rows into a ``MultiDiGraph`` (used by
:meth:`mapper.store.Store.project` of every adapter); the helpers here (dates parsed once per
distinct text, properties decoded only when not empty, the garbage collector paused) are
shared with :mod:`mapper.graph.projection`.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import networkx as nx

#: ``datetime.date`` or ISO text or None.
NodeRow = tuple[Any, Any, Any, Any, Any, Any]
#: ``(id, version, kind, source, target, strength, since, until, role, origin)``.
TieRow = tuple[Any, Any, Any, Any, Any, Any, Any, Any, Any, Any]

#: A journaled change (see :meth:`Projection.apply`): ``(what, *arguments)``.
Change = tuple[Any, ...]

#: Workspaces kept in memory per process (least recently used beyond this are dropped).
MAX_SHARED = 4
#: A transaction that writes more tie versions than this is not applied change by change;
#: the projection is built again instead (an import).
MAX_APPLY = 20_000


def valid_on(since: dt.date | None, until: dt.date | None, day: dt.date) -> bool:
    """Whether something valid from ``since`` up to, not including, ``until`` holds on ``day``.

    ``None`` is an open end. This is the one definition every projection uses.

    >>> import datetime as dt
    >>> valid_on(dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 1, 31))
    True
    >>> valid_on(dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 2, 1))
    False
    >>> valid_on(None, None, dt.date(1900, 1, 1))
    True
    """
    return (since is None or since <= day) and (until is None or day < until)


def _valid(attrs: Mapping[str, Any], day: dt.date) -> bool:
    since, until = attrs["since"], attrs["until"]
    return (since is None or since <= day) and (until is None or day < until)


class _Dates(dict[Any, Any]):
    """ISO text → ``date``, parsed once per distinct text (a million ties share few dates)."""

    def __missing__(self, text: Any) -> Any:
        value = dt.date.fromisoformat(text) if isinstance(text, str) else text
        self[text] = value
        return value


def _props(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        return json.loads(value) if value != "{}" else {}
    return dict(value) if value else {}


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: building a graph makes millions of dicts that it
    would only scan over and over (none of them form cycles worth collecting)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _node_attrs(row: NodeRow, dates: _Dates) -> dict[str, Any]:
    _id, kind, name, props, since, until = row
    return {
        "kind": getattr(kind, "value", kind),
        "name": name,
        "props": _props(props),
        "since": dates[since],
        "until": dates[until],
    }


def _tie_attrs(row: TieRow, dates: _Dates) -> dict[str, Any]:
    _id, version, kind, _s, _t, strength, since, until, role, origin = row
    return {
        "kind": getattr(kind, "value", kind),
        "strength": strength,
        "since": dates[since],
        "until": dates[until],
        "role": role,
        "origin": origin,
        "version": version,
    }


def fill(
    graph: nx.MultiDiGraph,
    nodes: Iterable[tuple[Any, dict[str, Any]]],
    edges: Iterable[tuple[Any, Any, Any, dict[str, Any]]],
) -> None:
    """Add ``(id, attrs)`` nodes, then ``(u, v, key, attrs)`` edges between them, to an
    empty plain ``MultiDiGraph``, as ``add_nodes_from`` and ``add_edges_from`` would, but
    straight into networkx's adjacency dicts: those two make views and copies for every
    edge (about 7 µs each, half of a ``project_around``'s time on a province). The attribute
    dicts are the graph's own from now on (they are not copied), and each edge key comes once.

    >>> G = nx.MultiDiGraph()
    >>> fill(G, [("a", {"kind": "Person"}), ("b", {})], [("a", "b", "t1", {"strength": 0.5})])
    >>> G["a"]["b"]["t1"], list(G.predecessors("b")), G.nodes["a"]
    ({'strength': 0.5}, ['a'], {'kind': 'Person'})
    """
    factories = ("node_attr_dict_factory", "adjlist_inner_dict_factory", "edge_key_dict_factory")
    plain = (
        type(graph) is nx.MultiDiGraph
        and not graph
        and all(getattr(graph, f) is dict for f in factories)
    )
    if not plain:  # a subclass or custom factories: networkx's own way
        graph.add_nodes_from(nodes)
        graph.add_edges_from(edges)  # type: ignore[arg-type]  # the stubs know no (u, v, key, data)
        return
    node, succ, pred = graph._node, graph._succ, graph._pred  # type: ignore[attr-defined]  # networkx's own dicts, for speed
    for n, attrs in nodes:
        if n is None:
            raise ValueError("None cannot be a node")
        node[n] = attrs
        succ[n] = {}
        pred[n] = {}
    for u, v, key, attrs in edges:
        out = succ[u]
        keydict = out.get(v)
        if keydict is None:
            keydict = out[v] = pred[v][u] = {}
        keydict[key] = attrs
    clear = getattr(nx, "_clear_cache", None)
    if clear is not None:
        clear(graph)


def build_graph(
    nodes: Iterable[NodeRow],
    ties: Iterable[TieRow],
    *,
    workspace: str,
    as_of: dt.date,
) -> nx.MultiDiGraph:
    """The graph of a workspace on day ``as_of`` from its rows, as :meth:`Store.project` gives it.

    Parameters
    ----------
    nodes : iterable of NodeRow
        Current node versions (those not valid on ``as_of`` are left out here).
    ties : iterable of TieRow
        Tie versions (those not valid on ``as_of``, or with an end that is not in the graph,
        are left out here); at most one version of a tie is valid on a day.
    workspace : str
        Kept in ``graph.graph["workspace"]``.
    as_of : date
        The day; kept in ``graph.graph["as_of"]``.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes carry ``kind``, ``name``, ``props``, ``since``, ``until``; edges are keyed by tie
        id and carry ``kind``, ``strength``, ``since``, ``until``, ``role``, ``origin``,
        ``version``.

    Examples
    --------
    >>> import datetime as dt
    >>> G = build_graph(
    ...     [("p1", "Person", "Jan", "{}", None, None), ("t1", "Theme", "lezen", "{}", None, None)],
    ...     [("tie-1", 1, "ACTIVE_ON", "p1", "t1", 0.6, "2025-01-01", None, None, None)],
    ...     workspace="demo", as_of=dt.date(2025, 6, 1))
    >>> G["p1"]["t1"]["tie-1"]["strength"], G.graph["as_of"]
    (0.6, datetime.date(2025, 6, 1))
    """
    dates = _Dates({None: None})
    graph: nx.MultiDiGraph = nx.MultiDiGraph(workspace=workspace, as_of=as_of)
    with _no_gc():
        present: dict[Any, dict[str, Any]] = {}
        for row in nodes:
            attrs = _node_attrs(row, dates)
            if _valid(attrs, as_of):
                present[row[0]] = attrs
        edges = []
        for tie in ties:
            if tie[3] in present and tie[4] in present:
                attrs = _tie_attrs(tie, dates)
                if _valid(attrs, as_of):
                    edges.append((tie[3], tie[4], tie[0], attrs))
        fill(graph, present.items(), edges)
    return graph


# ---------------------------------------------------------------------------- sharing
