"""The whole history of a workspace as a read-only view over a :class:`Projection`'s memory
(:meth:`Projection.history`): every current node and every tie version, shaped as
:meth:`mapper.store.Store.project_history` gives it, without copying the graph.

A projection already holds every tie version between two current nodes (today's in its
graph, the others beside it, indexed by their ends), so the history of a node's ties is
found in its own adjacency and the off-today versions at it: a view answers what it is
asked (the ties of some nodes, a subgraph) in time proportional to that, and a write's new
projection has its own view at no cost (nothing is rebuilt, nothing is kept per snapshot
but the view object and, once someone iterates every node, the sorted list of their ids)."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from itertools import chain
from typing import TYPE_CHECKING, Any

import networkx as nx

if TYPE_CHECKING:
    from .projection import Projection


class _HistoryNodes(Mapping[Any, Any]):
    """Every current node of the projection (of the kinds asked for), by id; iterated in
    id order, as :meth:`Store.project_history` adds them."""

    __slots__ = ("_today", "_off", "_kinds", "_order", "_lock")

    def __init__(self, today: dict[Any, Any], off: dict[Any, Any], kinds: frozenset[str] | None):
        self._today, self._off, self._kinds = today, off, kinds
        self._order: list[Any] | None = None
        self._lock = threading.Lock()

    def __getitem__(self, n: Any) -> Any:
        d = self._today.get(n)
        if d is None:
            d = self._off[n]
        if self._kinds is not None and d["kind"] not in self._kinds:
            raise KeyError(n)
        return d

    def __contains__(self, n: object) -> bool:
        try:
            self[n]
        except (KeyError, TypeError):
            return False
        return True

    def order(self) -> list[Any]:
        """The ids, sorted (made once, when first asked for)."""
        if self._order is None:
            with self._lock:
                if self._order is None:
                    kinds = self._kinds
                    self._order = sorted(
                        n
                        for n, d in chain(self._today.items(), self._off.items())
                        if kinds is None or d["kind"] in kinds
                    )
        return self._order

    def __iter__(self) -> Iterator[Any]:
        return iter(self.order())

    def __len__(self) -> int:
        if self._kinds is None:
            return len(self._today) + len(self._off)
        return len(self.order())


class _HistoryAdjacency(Mapping[Any, Any]):
    """One side of the history's adjacency: node → {other end → {"<tie>:<version>": attrs}},
    worked out per node when asked (from today's adjacency and the versions beside it)."""

    __slots__ = ("_nodes", "_adj", "_off_ties", "_off_at", "_rel_kinds", "_out")

    def __init__(
        self,
        nodes: _HistoryNodes,
        adj: Mapping[Any, Any],
        p: Projection,
        rel_kinds: frozenset[str] | None,
        out: bool,
    ):
        self._nodes, self._adj, self._rel_kinds, self._out = nodes, adj, rel_kinds, out
        self._off_ties, self._off_at = p._off_ties, p._off_at

    def __getitem__(self, u: Any) -> dict[Any, dict[str, Any]]:
        nodes, rel_kinds = self._nodes, self._rel_kinds
        if u not in nodes:
            raise KeyError(u)
        rows = []
        for v, keydict in self._adj.get(u, {}).items():
            if v in nodes:
                for k, d in keydict.items():
                    if rel_kinds is None or d["kind"] in rel_kinds:
                        rows.append((k, d["version"], v, d))
        for k in self._off_at.get(u, ()):
            for s, t, d in self._off_ties[k]:
                if (s if self._out else t) != u:
                    continue
                v = t if self._out else s
                if v in nodes and (rel_kinds is None or d["kind"] in rel_kinds):
                    rows.append((k, d["version"], v, d))
        rows.sort(key=lambda r: (r[0], r[1]))
        inner: dict[Any, dict[str, Any]] = {}
        for k, version, v, d in rows:
            keydict = inner.get(v)
            if keydict is None:
                keydict = inner[v] = {}
            keydict[f"{k}:{version}"] = {"tie": k, **d}
        return inner

    def __iter__(self) -> Iterator[Any]:
        return iter(self._nodes)

    def __len__(self) -> int:
        return len(self._nodes)

    def __contains__(self, u: object) -> bool:
        return u in self._nodes


def history_view(
    p: Projection, kinds: frozenset[str] | None, rel_kinds: frozenset[str] | None
) -> nx.MultiDiGraph:
    """The history of ``p`` (node kinds ``kinds``, tie kinds ``rel_kinds``; None: all) as a
    frozen graph that reads the projection's own dicts. Equal to ``project_history`` with
    the same filters; every edge attribute dict is made afresh when asked for (never change
    one: they are read-only like the rest)."""
    nodes = _HistoryNodes(p.graph._node, p._off_nodes, kinds)  # type: ignore[attr-defined]  # networkx's own dicts, for speed
    view: nx.MultiDiGraph = nx.MultiDiGraph(workspace=p.workspace, as_of=None, history=True)
    succ = _HistoryAdjacency(nodes, p.graph._succ, p, rel_kinds, out=True)  # type: ignore[attr-defined]  # networkx's own dicts, for speed
    view._node = nodes  # type: ignore[attr-defined, assignment]
    view._adj = succ  # type: ignore[attr-defined, assignment]
    view._succ = succ  # type: ignore[attr-defined, assignment]
    view._pred = _HistoryAdjacency(nodes, p.graph._pred, p, rel_kinds, out=False)  # type: ignore[attr-defined, assignment]  # networkx's own dicts, for speed
    return nx.freeze(view)
