"""The routing algorithm: the warmest route of at most ``cutoff`` ties from the library and
its staff (bounded multi-source Bellman–Ford in product form), and the slow reference
(networkx Dijkstra over (node, steps) states). See :mod:`mapper.analysis.warm`."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import networkx as nx

from ...errors import NotFoundError, ValidationError
from .common import DEFAULT_CUTOFF, DIGITS, _day, _incident_fn, _key, is_strong


def _strength_fn(
    weight: str | Callable[[Any, Any, dict[str, Any]], float | None],
    day: dt.date,
    tie_kinds: Collection[str] | None,
    default: float | None,
) -> Callable[[Any, Any, dict[str, Any]], float | None]:
    """The strength of one edge for routing, or None when it does not count."""
    if callable(weight):
        return weight

    def strength(u: Any, v: Any, d: dict[str, Any]) -> float | None:
        if tie_kinds is not None and d.get("kind") not in tie_kinds:
            return None
        since, until = d.get("since"), d.get("until")
        if (since is not None and since > day) or (until is not None and until <= day):
            return None
        s = d.get(weight)
        if s is None:
            return default
        if not 0.0 <= s <= 1.0:
            raise ValidationError(
                "strength {s!r} on the tie {u!r}–{v!r} is not between 0 and 1",
                field=weight,
                value=s,
                s=s,
                u=u,
                v=v,
            )
        return s

    return strength


def _neighbours_fn(
    G: nx.Graph,
    weight: str | Callable[[Any, Any, dict[str, Any]], float | None],
    day: dt.date,
    tie_kinds: Collection[str] | None,
    default: float | None,
) -> Callable[[Any], Iterator[tuple[Any, float]]]:
    """A function giving (neighbour, strength) for every counting tie at a node.

    The same rules as :func:`_strength_fn`, written out in one generator per node for the
    string-attribute case: this is the inner loop of the search.
    """
    if callable(weight):
        incident = _incident_fn(G)

        def via_callable(v: Any) -> Iterator[tuple[Any, float]]:
            for u, d in incident(v):
                s = weight(v, u, d)
                if s:
                    yield u, s

        return via_callable
    multi = G.is_multigraph()
    adjs = (G._succ, G._pred) if G.is_directed() else (G._adj,)  # type: ignore[attr-defined]  # networkx's own dicts, for speed
    kinds = None if tie_kinds is None else frozenset(tie_kinds)

    def neighbours(v: Any) -> Iterator[tuple[Any, float]]:
        for adj in adjs:
            for u, dd in adj[v].items():
                for d in dd.values() if multi else (dd,):
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
                        raise ValidationError(
                            "strength {s!r} on the tie {u!r}–{v!r} is not between 0 and 1",
                            field=weight,
                            value=s,
                            s=s,
                            u=v,
                            v=u,
                        )
                    if s:
                        yield u, s

    return neighbours


# --------------------------------------------------------------------------- routes


@dataclass(frozen=True)
class Route:
    """The warmest route to a node: the nodes from the source to it, and each tie's strength.

    ``warmth`` is the product of ``strengths`` (left to right).
    """

    warmth: float
    path: tuple[Any, ...]
    strengths: tuple[float, ...]

    @property
    def hops(self) -> int:
        return len(self.strengths)

    @property
    def weakest(self) -> int | None:
        """Index of the weakest tie on the route (the first of equals); None for no ties."""
        if not self.strengths:
            return None
        return min(range(len(self.strengths)), key=lambda i: (self.strengths[i], i))


def warm_routes(
    G: nx.Graph,
    sources: Iterable[Any],
    *,
    weight: str | Callable[[Any, Any, dict[str, Any]], float | None] = "strength",
    cutoff: int = DEFAULT_CUTOFF,
    targets: Iterable[Any] | None = None,
    tie_kinds: Collection[str] | None = None,
    as_of: Any = None,
    default: float | None = None,
    strong_direct: bool = True,
    method: str = "layered",
) -> dict[Any, Route]:
    """The warmest route of at most ``cutoff`` ties from any of ``sources`` to each node.

    Parameters
    ----------
    G : networkx graph
        Any networkx graph; ties are followed in both directions, and of parallel ties the
        strongest counts.
    sources : iterable of nodes
        Where routes start (the library and its staff).
    weight : str or callable
        Edge attribute holding the strength (0–1), or a function ``(u, v, data)`` returning the
        strength or None to leave the tie out (as in networkx).
    cutoff : int
        Longest route, in ties (default 3).
    targets : iterable of nodes, optional
        Only routes to these nodes are wanted (much faster). Default: every node reached.
    tie_kinds : collection of str, optional
        Only ties whose ``kind`` attribute is one of these count (default: all).
    as_of : date or ISO text, optional
        Ties whose ``since``/``until`` attributes exclude this day do not count (default: the
        graph's ``as_of`` attribute, else today).
    default : float, optional
        Strength of a tie without one (default None: such ties do not count).
    strong_direct : bool
        Apply the rule that a direct strong tie always wins (see the module notes).
    method : {"layered", "dijkstra"}
        The bounded multi-source search (default), or the slow reference: networkx Dijkstra
        from every source separately over the graph expanded into (node, steps) states.

    Returns
    -------
    dict
        Node → :class:`Route`, for the nodes reached (sources excluded).

    Raises
    ------
    NotFoundError
        If a source is not in ``G``.
    ValidationError
        On a negative ``cutoff``, an unknown ``method`` or a strength outside 0–1.

    Examples
    --------
    A direct strong tie beats a chain with a higher product; a weak one does not:

    >>> G = nx.Graph()
    >>> nx.add_path(G, ["staff", "a", "b", "c"], strength=1.0)
    >>> G.add_edge("staff", "c", strength=0.8)
    >>> G.add_edge("staff", "b", strength=0.4)
    >>> r = warm_routes(G, ["staff"])
    >>> r["c"].path, r["b"].path
    (('staff', 'c'), ('staff', 'a', 'b'))
    """
    if not isinstance(cutoff, int) or isinstance(cutoff, bool) or cutoff < 0:
        raise ValidationError(
            "cutoff {cutoff!r} must be a whole number ≥ 0",
            field="cutoff",
            value=cutoff,
            cutoff=cutoff,
        )
    if method not in ("layered", "dijkstra"):
        raise ValidationError(
            "unknown method {method!r} (allowed: layered, dijkstra)",
            field="method",
            value=method,
            method=method,
        )
    source_list = list(dict.fromkeys(sources))
    for s in source_list:
        if s not in G:
            raise NotFoundError("source {source!r} is not in the graph", source=s)
    target_set = None if targets is None else {t for t in targets if t in G}
    day = _day(G, as_of)
    if method == "dijkstra":
        strength = _strength_fn(weight, day, tie_kinds, default)
        found = _dijkstra_routes(G, source_list, strength, _incident_fn(G), cutoff, target_set)
    else:
        neighbours = _neighbours_fn(G, weight, day, tie_kinds, default)
        found = _layered_routes(source_list, neighbours, cutoff, target_set)
    out: dict[Any, Route] = {}
    for node, (best, direct) in found.items():
        if strong_direct and direct is not None and best.hops > 1 and is_strong(direct.warmth):
            best = direct
        out[node] = best
    return out


def warmth(G: nx.Graph, sources: Iterable[Any], **options: Any) -> dict[Any, float]:
    """The warmth (best product of strengths within ``cutoff`` ties) of each node reached.

    Takes the options of :func:`warm_routes`.

    >>> G = nx.path_graph(4)
    >>> nx.set_edge_attributes(G, 0.5, "strength")
    >>> warmth(G, [0])
    {1: 0.5, 2: 0.25, 3: 0.125}
    """
    return {n: r.warmth for n, r in warm_routes(G, sources, **options).items()}


def _best_link(
    u: Any, v: Any, strength: Callable[..., float | None], incident: Callable[..., Iterable]
) -> float:
    best = 0.0
    for w, d in incident(u):
        if w == v:
            s = strength(u, v, d)
            if s is not None and s > best:
                best = s
    return best


def _route_from(
    path: list[Any], strength: Callable[..., float | None], incident: Callable[..., Iterable]
) -> Route:
    strengths = tuple(_best_link(a, b, strength, incident) for a, b in zip(path, path[1:]))
    value = 1.0
    for s in strengths:
        value *= s
    return Route(value, tuple(path), strengths)


def _layered_routes(
    sources: list[Any],
    neighbours: Callable[[Any], Iterator[tuple[Any, float]]],
    cutoff: int,
    targets: set[Any] | None,
) -> dict[Any, tuple[Route, Route | None]]:
    """Bounded Bellman–Ford in product form: ``layers[h]`` holds the nodes whose best value
    improved in round ``h``, with (value, predecessor, strength of the last tie)."""
    best: dict[Any, float] = {s: 1.0 for s in sources}
    layers: list[dict[Any, tuple[float, Any, float]]] = [{s: (1.0, None, 1.0) for s in sources}]
    frontier = layers[0]
    # With targets, the last round is pulled from the targets' side, and the round before it
    # only needs to record the targets and their neighbours.
    target_ties: dict[Any, list[tuple[Any, float]]] = {}
    needed: set[Any] | None = None
    if targets is not None and cutoff >= 1:
        target_ties = {t: list(neighbours(t)) for t in targets}
        needed = set(targets)
        for ties in target_ties.values():
            needed.update(u for u, _ in ties)
    for h in range(1, cutoff + 1):
        if not frontier:
            break
        improved: dict[Any, tuple[float, Any, float]] = {}
        if needed is not None and h == cutoff:
            for t, ties in target_ties.items():
                current: float = best.get(t, 0.0)
                chosen: Any = None
                used = 0.0
                for u, s in ties:
                    fu = frontier.get(u)
                    if fu is None:
                        continue
                    val = fu[0] * s
                    if val > current or (
                        val == current and chosen is not None and _key(u) < _key(chosen)
                    ):
                        current, chosen, used = val, u, s
                if chosen is not None:
                    improved[t] = (current, chosen, used)
        else:
            only = needed if h == cutoff - 1 else None
            for u, (value_u, _, _) in frontier.items():
                for v, s in neighbours(u):
                    if only is not None and v not in only:
                        continue
                    val = value_u * s
                    cur = improved.get(v)
                    if cur is None:
                        if val > best.get(v, 0.0):
                            improved[v] = (val, u, s)
                    elif val > cur[0] or (val == cur[0] and _key(u) < _key(cur[1])):
                        improved[v] = (val, u, s)
        for v, entry in improved.items():
            best[v] = entry[0]
        layers.append(improved)
        frontier = improved

    source_set = set(sources)
    wanted = targets if targets is not None else best.keys()
    out: dict[Any, tuple[Route, Route | None]] = {}
    for node in wanted:
        if node in source_set or node not in best:
            continue
        top = max(h for h in range(len(layers)) if node in layers[h])
        route = _trace(layers, node, top)
        direct = _trace(layers, node, 1) if len(layers) > 1 and node in layers[1] else None
        out[node] = (route, direct)
    return out


def _trace(layers: list[dict[Any, tuple[float, Any, float]]], node: Any, h: int) -> Route:
    """The route to ``node`` as found in round ``h`` (or the last round before it that
    improved the node), following the predecessors back through earlier rounds."""
    path, strengths = [node], []
    while True:
        while node not in layers[h]:
            h -= 1
        _, pred, s = layers[h][node]
        if pred is None:
            break
        path.append(pred)
        strengths.append(s)
        node, h = pred, h - 1
    path.reverse()
    strengths.reverse()
    value = 1.0
    for s in strengths:
        value *= s
    return Route(value, tuple(path), tuple(strengths))


class _HopLayered(nx.Graph):
    """A read-only view of a graph as (node, steps) states for networkx's Dijkstra: state
    ``(v, h)`` has an arc to ``(u, h + 1)`` for every counting tie v–u while ``h < cutoff``,
    weighted ``-log(strength)`` of the strongest such tie."""

    def __init__(
        self,
        G: nx.Graph,
        cutoff: int,
        strength: Callable[..., float | None],
        incident: Callable[..., Iterable],
    ):
        super().__init__()
        base = G

        class _Adj(dict):  # type: ignore[type-arg]
            def __getitem__(self, state: tuple[Any, int]) -> dict[Any, float]:
                v, h = state
                if h >= cutoff:
                    return {}
                arcs: dict[Any, float] = {}
                for u, d in incident(v):
                    s = strength(v, u, d)
                    if s and s > arcs.get((u, h + 1), 0.0):
                        arcs[(u, h + 1)] = s
                return arcs

        class _Nodes(dict):  # type: ignore[type-arg]
            def __contains__(self, state: object) -> bool:
                return (
                    isinstance(state, tuple)
                    and len(state) == 2
                    and state[0] in base
                    and 0 <= state[1] <= cutoff
                )

        self._adj = _Adj()
        self._node = _Nodes()


def _dijkstra_routes(
    G: nx.Graph,
    sources: list[Any],
    strength: Callable[..., float | None],
    incident: Callable[..., Iterable],
    cutoff: int,
    targets: set[Any] | None,
) -> dict[Any, tuple[Route, Route | None]]:
    layered = _HopLayered(G, cutoff, strength, incident)
    source_set = set(sources)
    best: dict[Any, Route] = {}
    direct: dict[Any, Route] = {}

    def better(new: Route, old: Route | None) -> bool:
        if old is None:
            return True
        a, b = round(new.warmth, DIGITS), round(old.warmth, DIGITS)
        if a != b:
            return a > b
        return (new.hops, [_key(n) for n in new.path]) < (old.hops, [_key(n) for n in old.path])

    for s in sources:
        _, paths = nx.single_source_dijkstra(  # type: ignore[misc]
            layered,
            (s, 0),
            weight=lambda u, v, p: -math.log(p),  # type: ignore[arg-type]  # p is the edge's weight here
        )
        for (node, h), states in paths.items():  # type: ignore[union-attr]
            if h == 0 or node in source_set or (targets is not None and node not in targets):
                continue
            route = _route_from([n for n, _ in states], strength, incident)
            if better(route, best.get(node)):
                best[node] = route
            if h == 1 and better(route, direct.get(node)):
                direct[node] = route
    return {n: (r, direct.get(n)) for n, r in best.items()}
