"""The compact form of a warm graph: nodes as integers, the introduction ties of one day as a
CSR adjacency (numpy arrays), and the bounded search of :mod:`.routes` run on it vectorised.

:class:`CompactGraph` is built once per graph and day (the warm-contact service keeps one per
cached warm graph) and gives :func:`~mapper.analysis.warm.rank_warm_contacts` the same routes
as :func:`~mapper.analysis.warm.routes.warm_routes` would, with the same ties broken the same
way, so the ranking, its numbers and its explanations are unchanged:

* every counting tie (kind, valid on the day, strength or ``default``, not 0) becomes two
  arcs, and of parallel ties between two nodes only the strongest is kept: the search only
  ever uses the strongest one;
* a round relaxes all arcs out of the frontier at once; per reached node the highest product
  wins, equal products go to the predecessor whose id sorts first (as text), and only
  products above the node's best so far count, exactly as in ``_layered_routes``;
* with candidates given, the round before the last keeps only the candidates and their
  neighbours, and the last round is pulled from the candidates' side;
* products are computed in the same order with the same floats, so warmth values are
  identical, not merely close.

When the graph has something the compact form does not model (a strength outside 0–1, which
the search reports only when it reaches the tie, or two nodes whose ids read the same as
text), :attr:`CompactGraph.usable` is False and the ranking takes the ordinary search.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> _ = G.add_edge("anna", "jan", kind="KNOWS", strength=0.8)
>>> _ = G.add_edge("jan", "fatma", kind="KNOWS", strength=0.6)
>>> C = CompactGraph(G, weight="strength", as_of="2026-06-01")
>>> C.usable, C.n, int(C.indptr[-1])
(True, 3, 4)
>>> r = C.routes(["anna"], targets=["fatma"])
>>> r.route("fatma").path, r.warmth["fatma"]
(('anna', 'jan', 'fatma'), 0.48)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from typing import Any

import networkx as nx
import numpy as np

from ...errors import NotFoundError, ValidationError
from .common import DEFAULT_CUTOFF, SOURCE_KINDS, _day, _key, is_strong
from .routes import Route

#: An empty index array.
_NONE = np.zeros(0, dtype=np.int64)


class CompactGraph:
    """Integer-indexed nodes and a CSR adjacency of the counting ties of ``G`` on one day.

    Parameters are those of :func:`~mapper.analysis.warm.routes.warm_routes` (``weight`` an
    attribute name). Made for a graph that no longer changes (a frozen warm graph): read-only
    once built and safe to share between threads.
    """

    def __init__(
        self,
        G: nx.Graph,
        *,
        weight: str = "strength",
        as_of: Any = None,
        tie_kinds: Collection[str] | None = None,
        default: float | None = None,
    ):
        self.graph = G
        self.weight = weight
        self.day: dt.date = _day(G, as_of)
        self.tie_kinds = None if tie_kinds is None else frozenset(tie_kinds)
        self.default = default
        self.nodes: list[Any] = list(G._node)  # type: ignore[attr-defined]  # networkx's own dict, for speed
        self.n = len(self.nodes)
        self.index: dict[Any, int] = {v: i for i, v in enumerate(self.nodes)}
        keys = [_key(v) for v in self.nodes]
        self.usable = len(set(keys)) == len(keys)
        #: Position of each node's id (as text) in sorted order: ties go to the smaller.
        self.keyrank = np.empty(self.n, dtype=np.int64)
        self.keyrank[sorted(range(self.n), key=keys.__getitem__)] = np.arange(self.n)
        kinds = G._node  # type: ignore[attr-defined]  # networkx's own dict, for speed
        #: The library and its staff, by id: where the ranking's routes start by default.
        self.sources: list[Any] = sorted(
            (v for v in self.nodes if kinds[v].get("kind") in SOURCE_KINDS), key=_key
        )
        src, dst, strength = self._arcs(G)
        # Both directions, of parallel arcs only the strongest, sorted by (from, to).
        a = np.concatenate([src, dst])
        b = np.concatenate([dst, src])
        s = np.concatenate([strength, strength])
        keep = a != b
        a, b, s = a[keep], b[keep], s[keep]
        order = np.lexsort((-s, b, a))
        a, b, s = a[order], b[order], s[order]
        first = np.ones(len(a), dtype=bool)
        first[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
        a, b, s = a[first], b[first], s[first]
        self.indptr = np.zeros(self.n + 1, dtype=np.int64)
        np.cumsum(np.bincount(a, minlength=self.n), out=self.indptr[1:])
        self.indices = b
        self.data = s

    def _arcs(self, G: nx.Graph) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(from, to, strength) of every counting tie, once per tie; marks the form unusable
        on a strength outside 0–1 (the ordinary search raises when it meets the tie)."""
        index, weight, day = self.index, self.weight, self.day
        kinds, default = self.tie_kinds, self.default
        src: list[int] = []
        dst: list[int] = []
        strengths: list[float] = []
        if G.is_directed():  # each tie once in the successor dicts: read them directly
            multi = G.is_multigraph()
            pairs = (
                (iu, index[v], dd.values() if multi else (dd,))
                for u, nbrs in G._succ.items()  # type: ignore[attr-defined]  # networkx's own dicts, for speed
                for iu in (index[u],)
                for v, dd in nbrs.items()
            )
        else:
            pairs = ((index[u], index[v], (d,)) for u, v, d in G.edges(data=True))
        for iu, iv, ties in pairs:
            for d in ties:
                if kinds is not None and d.get("kind") not in kinds:
                    continue
                since, until = d.get("since"), d.get("until")
                if (since is not None and since > day) or (until is not None and until <= day):
                    continue
                s = d.get(weight)
                if s is None:
                    s = default
                    if s is None:
                        continue
                elif not 0.0 <= s <= 1.0:
                    self.usable = False
                    continue
                if s:
                    src.append(iu)
                    dst.append(iv)
                    strengths.append(s)
        return (
            np.array(src, dtype=np.int64),
            np.array(dst, dtype=np.int64),
            np.array(strengths, dtype=np.float64),
        )

    def matches(
        self,
        G: nx.Graph,
        *,
        weight: Any,
        day: dt.date,
        tie_kinds: Collection[str] | None,
        default: float | None,
    ) -> bool:
        """True when this form was built for ``G`` with these options (and is usable)."""
        kinds = None if tie_kinds is None else frozenset(tie_kinds)
        return (
            self.usable
            and self.graph is G
            and self.n == G.number_of_nodes()
            and self.weight == weight
            and self.day == day
            and self.tie_kinds == kinds
            and self.default == default
        )

    def arcs_of(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For the nodes ``rows``: (which row, arc position) of each of their arcs."""
        starts = self.indptr[rows]
        counts = self.indptr[rows + 1] - starts
        total = int(counts.sum())
        if total == 0:
            return _NONE, _NONE
        which = np.repeat(np.arange(len(rows)), counts)
        offsets = np.cumsum(counts) - counts
        pos = np.arange(total) - np.repeat(offsets - starts, counts)
        return which, pos

    def routes(
        self,
        sources: Iterable[Any],
        *,
        cutoff: int = DEFAULT_CUTOFF,
        targets: Iterable[Any] | None = None,
        strong_direct: bool = True,
    ) -> CompactRoutes:
        """The warmest routes from ``sources``, as :func:`warm_routes` finds them (the same
        errors for a bad ``cutoff`` or an unknown source)."""
        if not isinstance(cutoff, int) or isinstance(cutoff, bool) or cutoff < 0:
            raise ValidationError(
                "cutoff {cutoff!r} must be a whole number ≥ 0",
                field="cutoff",
                value=cutoff,
                cutoff=cutoff,
            )
        index = self.index
        source_list = list(dict.fromkeys(sources))
        for s in source_list:
            if s not in index:
                raise NotFoundError("source {source!r} is not in the graph", source=s)
        src = np.array([index[s] for s in source_list], dtype=np.int64)
        n = self.n
        best = np.zeros(n)
        best[src] = 1.0
        layer0 = (np.zeros(n), np.full(n, -1, dtype=np.int64), np.zeros(n))
        layer0[0][src] = 1.0
        layers = [layer0]
        frontier = src
        tgt: np.ndarray | None = None
        needed: np.ndarray | None = None
        if targets is not None:
            tgt = np.unique(np.array([index[t] for t in targets if t in index], dtype=np.int64))
            if cutoff >= 1:
                needed = np.zeros(n, dtype=bool)
                needed[tgt] = True
                needed[self.indices[self.arcs_of(tgt)[1]]] = True
        for h in range(1, cutoff + 1):
            if len(frontier) == 0:
                break
            prev = layers[-1][0]
            if needed is not None and h == cutoff:
                which, pos = self.arcs_of(tgt)  # type: ignore[arg-type]
                to, frm = tgt[which], self.indices[pos]  # type: ignore[index]
                ok = prev[frm] > 0.0
                to, frm, s = to[ok], frm[ok], self.data[pos[ok]]
            else:
                which, pos = self.arcs_of(frontier)
                frm, to, s = frontier[which], self.indices[pos], self.data[pos]
                if needed is not None and h == cutoff - 1:
                    ok = needed[to]
                    frm, to, s = frm[ok], to[ok], s[ok]
            val = prev[frm] * s
            ok = val > best[to]
            frm, to, s, val = frm[ok], to[ok], s[ok], val[ok]
            order = np.lexsort((self.keyrank[frm], -val, to))
            to_sorted = to[order]
            first = np.ones(len(order), dtype=bool)
            first[1:] = to_sorted[1:] != to_sorted[:-1]
            chosen = order[first]
            improved = to[chosen]
            layer = (np.zeros(n), np.full(n, -1, dtype=np.int64), np.zeros(n))
            layer[0][improved] = val[chosen]
            layer[1][improved] = frm[chosen]
            layer[2][improved] = s[chosen]
            best[improved] = val[chosen]
            layers.append(layer)
            frontier = improved
        return CompactRoutes(self, layers, src, tgt, best, strong_direct)


class CompactRoutes:
    """The result of :meth:`CompactGraph.routes`: the warmth of every wanted node reached
    (``warmth``, node → float, sources excluded) and its :class:`Route` on demand."""

    def __init__(
        self,
        graph: CompactGraph,
        layers: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
        sources: np.ndarray,
        targets: np.ndarray | None,
        best: np.ndarray,
        strong_direct: bool,
    ):
        self.compact = graph
        self.layers = layers
        wanted = np.flatnonzero(best > 0.0) if targets is None else targets[best[targets] > 0.0]
        is_source = np.zeros(graph.n, dtype=bool)
        is_source[sources] = True
        wanted = wanted[~is_source[wanted]]
        #: The round in which each wanted node was last improved (its route's length).
        top = np.zeros(len(wanted), dtype=np.int64)
        for h in range(1, len(layers)):
            top[layers[h][0][wanted] > 0.0] = h
        value = np.array([layers[h][0][i] for h, i in zip(top.tolist(), wanted.tolist())])
        if strong_direct and len(layers) > 1 and len(wanted):
            direct = layers[1][0][wanted]
            chain = (top > 1) & (direct > 0.0)
            for j in np.flatnonzero(chain).tolist():
                if is_strong(float(direct[j])):
                    top[j] = 1
                    value[j] = direct[j]
        nodes = graph.nodes
        self._top = dict(zip(wanted.tolist(), top.tolist()))
        #: Node → warmth of its route.
        self.warmth: dict[Any, float] = {
            nodes[i]: v for i, v in zip(wanted.tolist(), value.tolist())
        }
        #: Dense warmth by node index (0 for nodes not wanted or not reached).
        self.warmth_array = np.zeros(graph.n)
        self.warmth_array[wanted] = value

    def route(self, node: Any) -> Route | None:
        """The route to ``node`` (None when it was not reached or not wanted)."""
        found = self.compact.index.get(node)
        h = self._top.get(found) if found is not None else None
        if found is None or h is None:
            return None
        i: int = found
        nodes, layers = self.compact.nodes, self.layers
        path, strengths = [i], []
        while h > 0:
            _val, pred, s = layers[h]
            strengths.append(float(s[i]))
            i = int(pred[i])
            path.append(i)
            h -= 1
        path.reverse()
        strengths.reverse()
        value = 1.0
        for s_ in strengths:
            value *= s_
        return Route(value, tuple(nodes[j] for j in path), tuple(strengths))
