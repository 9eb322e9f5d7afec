"""Positions of the points on a map: a seeded force-directed layout, and stable placement.

A map keeps its layout. :func:`layout_positions` lays out a graph from scratch (seeded, so
the same graph always gets the same picture); :func:`stable_positions` starts from positions
stored earlier and only places the points that have none yet, each next to its neighbours
that have one, without moving anything else. The web app stores the result per map and per
workspace, so between two dates or two filters of the same map a point stays where it was.

>>> import networkx as nx
>>> G = nx.path_graph(["a", "b", "c"])
>>> first = stable_positions(G, {})
>>> G.add_edge("c", "d")
>>> again = stable_positions(G, first)
>>> all(again[n] == first[n] for n in first), "d" in again
(True, True)
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Mapping
from typing import Any

import networkx as nx

#: Seed of the server-side layout, so every visit shows the same map.
LAYOUT_SEED = 20240601
#: Iterations of the server-side layout.
LAYOUT_ITERATIONS = 60
#: Two points closer than this (screen units at zoom 1) are pushed apart after the layout.
MIN_DISTANCE = 34.0
#: Rounds of pushing overlapping points apart.
SEPARATION_ROUNDS = 16
#: Space left between the edges of two points (with known radii).
POINT_GAP = 6.0
#: A fresh layout of this many points is spread evenly over its disc (see _even_out). Above,
#: the browser groups most points anyway, and evenly spread groups cost it more: each group's
#: points have ties all over the map, which vis-network clones for every group (1,500
#: points: 1.9 s instead of 1.2 s to group in a loaded Chromium).
EVEN_FROM = 100
EVEN_UP_TO = 600
#: Above this many points the pairwise separation (n² memory) is skipped.
SEPARATION_LIMIT = 2500
#: How far from its neighbours a newly placed point lands.
PLACE_RADIUS = 70.0
#: Angles tried around the neighbours before a new point settles for a crowded place.
PLACE_TRIES = 24

Position = tuple[float, float]


def layout_positions(
    graph: nx.Graph,
    *,
    centre: Any = None,
    seed: int = LAYOUT_SEED,
    iterations: int = LAYOUT_ITERATIONS,
    weight: str | None = None,
    radius: Callable[[Any], float] | None = None,
) -> dict[Any, Position]:
    """Deterministic positions in screen units (about 100 px between neighbours).

    The Fruchterman–Reingold force-directed layout of networkx's ``spring_layout`` (the same
    forces and cooling), computed densely with numpy for every size: networkx switches to a
    much slower solver from 500 nodes on. Direction and parallel ties are ignored; ties to
    ``centre`` pull weakly so the centre does not swallow the map, and ``centre`` is moved to
    the origin. Afterwards points closer than :data:`MIN_DISTANCE` (or, with ``radius`` giving
    each node's drawn radius, closer than their radii and a gap) are pushed apart, so no two
    points are drawn on top of each other. ``weight`` is ignored (reserved).

    >>> G = nx.path_graph(3)
    >>> layout_positions(G, centre=1)[1]
    (0.0, 0.0)
    >>> layout_positions(G) == layout_positions(G)
    True

    References
    ----------
    .. [1] Fruchterman, T. M. J., and Reingold, E. M., "Graph Drawing by Force-directed
       Placement", Software: Practice and Experience 21(11), 1991.
    """
    from threadpoolctl import threadpool_limits

    # one BLAS thread: the matrix products here are small (n×4 by 4×n), and OpenBLAS's own
    # threads cost ten times the CPU on a shared machine, spinning while they wait
    with threadpool_limits(limits=1, user_api="blas"):
        return _layout(graph, centre=centre, seed=seed, iterations=iterations, radius=radius)


def _layout(
    graph: nx.Graph,
    *,
    centre: Any,
    seed: int,
    iterations: int,
    radius: Callable[[Any], float] | None,
) -> dict[Any, Position]:
    import numpy as np

    order = sorted(graph.nodes, key=str)
    n = len(order)
    if n == 0:
        return {}
    if n == 1:
        return {order[0]: (0.0, 0.0)}
    index = {node: i for i, node in enumerate(order)}
    pulls: dict[tuple[int, int], float] = {}  # each pair once, with its strongest pull
    for u, v in graph.edges():
        if u != v:
            i, j = sorted((index[u], index[v]))
            pulls[(i, j)] = max(pulls.get((i, j), 0.0), 0.15 if centre in (u, v) else 1.0)
    ends = np.array(list(pulls), dtype=np.intp).reshape(-1, 2)
    first, second = ends[:, 0], ends[:, 1]
    strength = np.array(list(pulls.values()), dtype=np.float32)
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2), dtype=np.float32)
    k = 2.2 / math.sqrt(n)
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        # Fruchterman-Reingold: displacement_i = sum_j (pos_i - pos_j) * force_ij with
        # force = k²/d² (every pair pushes) - pull·d/k (only the ties pull). The push is one
        # n×n pass from the squared distances (no square root, no n×n×2 array); the pull is
        # worked out per tie.
        push = _squared_distances(pos)
        np.maximum(push, 1e-4, out=push)  # distances of at least 0.01
        np.divide(k * k, push, out=push)
        np.fill_diagonal(push, 0)
        displacement = pos * push.sum(axis=1)[:, np.newaxis] - push @ pos
        if len(strength):
            delta = pos[first] - pos[second]
            distance = np.maximum(np.sqrt((delta**2).sum(axis=1)), 0.01)
            pulled = delta * (strength * distance / k)[:, np.newaxis]
            np.subtract.at(displacement, first, pulled)
            np.add.at(displacement, second, pulled)
        length = np.sqrt((displacement**2).sum(axis=-1))
        length = np.where(length < 0.01, 0.1, length)
        pos += displacement * (temperature / length)[:, np.newaxis]
        temperature -= cooling
    pos -= pos.mean(axis=0)
    extent = float(np.abs(pos).max()) or 1.0
    pos *= (150.0 + 60.0 * math.sqrt(n)) / extent
    if EVEN_FROM <= n <= EVEN_UP_TO:
        pos = _even_out(pos, float(150.0 + 60.0 * math.sqrt(n)))
    radii = [radius(node) for node in order] if radius is not None else None
    pos = separate(pos.astype(np.float64), fixed=index.get(centre), radii=radii)
    cx, cy = pos[index[centre]] if centre in index else (0.0, 0.0)
    return {
        node: (round(float(pos[i, 0] - cx), 1), round(float(pos[i, 1] - cy), 1))
        for node, i in index.items()
    }


def _even_out(pos: Any, outer: float) -> Any:
    """Spread the points evenly over a disc of radius ``outer``, each keeping its direction
    from the middle and its order of distance (so neighbours stay neighbours).

    A force layout of a few hundred points packs the well-connected ones into a dense core
    and throws the points with one tie far out; fitted to the screen, the core was a
    hairball a third of the map wide. Here the k-th nearest of n points to the middle goes
    to radius ``outer * sqrt((k + 0.5) / n)``: equal area, so equal room, per point.
    """
    import numpy as np

    n = len(pos)
    middle = pos.mean(axis=0)
    offset = pos - middle
    distance = np.sqrt((offset**2).sum(axis=1))
    rank = np.empty(n, dtype=np.float64)
    rank[np.argsort(distance, kind="stable")] = np.arange(n)
    target = outer * np.sqrt((rank + 0.5) / n)
    scale = np.where(distance > 1e-9, target / np.maximum(distance, 1e-9), 0.0)
    return middle + offset * scale[:, np.newaxis]


def _squared_distances(pos: Any) -> Any:
    """The n×n matrix of squared distances between the rows of ``pos`` (n×2), in one matrix
    product: [x, y, x²+y², 1] · [-2x, -2y, 1, x²+y²] is |p_i|² + |p_j|² - 2 p_i·p_j."""
    import numpy as np

    square = (pos**2).sum(axis=1)[:, np.newaxis]
    ones = np.ones_like(square)
    left = np.hstack([pos, square, ones])
    right = np.hstack([-2 * pos, ones, square])
    return left @ right.T


def separate(
    pos: Any,
    *,
    minimum: float = MIN_DISTANCE,
    fixed: int | None = None,
    radii: list[float] | None = None,
) -> Any:
    """Push apart points (rows of a numpy array) closer than ``minimum`` (or than the sum of
    their ``radii`` and a gap); returns the array.

    Each round moves both points of every too-close pair half the shortfall apart (the
    ``fixed`` row never moves; two points on the same spot part along a fixed direction). A
    few rounds leave no pair much closer than ``minimum``. The close pairs are found from
    the squared distances in one n×n pass a round, then moved pair by pair.
    """
    import numpy as np

    n = len(pos)
    if n < 2 or n > SEPARATION_LIMIT:
        return pos
    r = np.asarray(radii if radii is not None else np.zeros(n), dtype=np.float64)
    widest = max(minimum, 2 * float(r.max()) + POINT_GAP) if radii is not None else minimum
    for _ in range(SEPARATION_ROUNDS):
        # candidates from a float32 matrix (with room for its rounding), then exact distances
        near = _squared_distances(pos.astype(np.float32))
        i, j = np.nonzero(np.triu(near < widest * widest * 1.05 + 1.0, 1))
        if len(i) == 0:
            break
        gap: Any = np.maximum(minimum, r[i] + r[j] + POINT_GAP) if radii is not None else minimum
        delta = pos[i] - pos[j]
        distance = np.sqrt((delta**2).sum(axis=1))
        close = distance < gap
        if not close.any():
            break
        i, j, delta, distance = i[close], j[close], delta[close], distance[close]
        gap = gap[close] if radii is not None else gap
        shortfall = gap - distance
        same = distance == 0
        delta[same] = (1.0, 0.5)  # the lower row goes this way, the other the opposite way
        distance[same] = math.hypot(1.0, 0.5)
        half = shortfall / (2 * distance)
        move = np.zeros_like(pos)
        np.add.at(move, i, delta * half[:, np.newaxis])
        np.subtract.at(move, j, delta * half[:, np.newaxis])
        if fixed is not None:
            move[fixed] = 0
        pos = pos + move
    return pos


def _angle(node: Any) -> float:
    """A fixed angle per node id, so a new point lands on the same side on every visit."""
    digest = hashlib.sha1(str(node).encode("utf-8")).digest()
    return (int.from_bytes(digest[:4], "big") / 2**32) * 2 * math.pi


def stable_positions(
    graph: nx.Graph,
    stored: Mapping[Any, Position] | Mapping[Any, list[float]],
    *,
    centre: Any = None,
    radius: Callable[[Any], float] | None = None,
) -> dict[Any, Position]:
    """Positions for every node of ``graph``, keeping those already in ``stored``.

    With nothing stored, the whole graph is laid out by :func:`layout_positions`. Otherwise a
    node without a stored position is placed, in order of how many placed neighbours it has,
    on a ring of :data:`PLACE_RADIUS` around the mean of its placed neighbours (at an angle
    fixed by its id, turned until the place is free); a group of new nodes with no placed
    neighbour at all is laid out on its own and set beside the map. Stored positions of
    nodes not in ``graph`` are left out of the result; stored nodes never move.

    >>> G = nx.Graph([("a", "b")])
    >>> pos = stable_positions(G, {"a": (0.0, 0.0)})
    >>> pos["a"], round(math.dist(pos["a"], pos["b"]))
    ((0.0, 0.0), 70)
    """
    placed: dict[Any, Position] = {
        node: (float(stored[node][0]), float(stored[node][1])) for node in graph if node in stored
    }
    if not placed:
        return layout_positions(graph, centre=centre, radius=radius)
    if len(placed) == len(graph):  # everyone has a place already
        return placed
    simple: nx.Graph = nx.Graph(graph)
    todo = {n for n in simple if n not in placed}
    size = radius or (lambda node: 0.0)
    while todo:
        counts = {n: sum(1 for m in simple[n] if m in placed) for n in todo}
        best = max(counts.values())
        if best == 0:
            _place_group(simple.subgraph(todo), placed, radius)
            break
        for node in sorted((n for n in todo if counts[n] == best), key=str):
            around = [placed[m] for m in simple[node] if m in placed]
            cx = sum(p[0] for p in around) / len(around)
            cy = sum(p[1] for p in around) / len(around)
            placed[node] = _free_spot(cx, cy, _angle(node), placed, node, size)
            todo.discard(node)
    return {n: placed[n] for n in graph}


def _free_spot(
    cx: float,
    cy: float,
    angle: float,
    placed: Mapping[Any, Position],
    node: Any = None,
    size: Callable[[Any], float] = lambda node: 0.0,
) -> Position:
    """A place on a ring around (cx, cy) where ``node`` is drawn clear of every placed point:
    at least :data:`MIN_DISTANCE` from each, and with ``size`` giving drawn radii, their two
    radii and :data:`POINT_GAP` (a small point placed inside a big one's square could not be
    clicked). The ring widens when the first tries are taken.

    >>> big = {"theme": (0.0, 0.0)}
    >>> spot = _free_spot(0.0, 0.0, 0.0, big, "jan", lambda n: 48.0 if n == "theme" else 11.0)
    >>> math.dist(spot, big["theme"]) >= 48 + 11 + POINT_GAP
    True
    """
    own = size(node)
    others = [(p, size(other)) for other, p in placed.items()]
    spot = (cx, cy)
    for attempt in range(PLACE_TRIES):
        ring = PLACE_RADIUS * (1 + attempt // 8 * 0.6)
        turn = angle + attempt * (2 * math.pi / 8) + attempt // 8 * 0.4
        spot = (round(cx + ring * math.cos(turn), 1), round(cy + ring * math.sin(turn), 1))
        if all(math.dist(spot, p) >= max(MIN_DISTANCE, own + r + POINT_GAP) for p, r in others):
            return spot
    return spot


def _place_group(
    group: nx.Graph, placed: dict[Any, Position], radius: Callable[[Any], float] | None
) -> None:
    """Lay out nodes with no placed neighbour on their own, to the right of the map."""
    own = layout_positions(group, radius=radius)
    right = max(p[0] for p in placed.values()) + 2 * PLACE_RADIUS
    left = min(p[0] for p in own.values())
    middle = sum(p[1] for p in placed.values()) / len(placed)
    for node, (x, y) in own.items():
        placed[node] = (round(x - left + right, 1), round(y + middle, 1))


__all__ = [
    "LAYOUT_ITERATIONS",
    "LAYOUT_SEED",
    "MIN_DISTANCE",
    "layout_positions",
    "separate",
    "stable_positions",
]
