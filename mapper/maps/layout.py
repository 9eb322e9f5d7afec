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
    import numpy as np

    order = sorted(graph.nodes, key=str)
    n = len(order)
    if n == 0:
        return {}
    if n == 1:
        return {order[0]: (0.0, 0.0)}
    index = {node: i for i, node in enumerate(order)}
    pull = np.zeros((n, n), dtype=np.float32)
    for u, v in graph.edges():
        if u != v:
            strength = 0.15 if centre in (u, v) else 1.0
            i, j = index[u], index[v]
            pull[i, j] = pull[j, i] = max(pull[i, j], strength)
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2), dtype=np.float32)
    k = 2.2 / math.sqrt(n)
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        # displacement_i = sum_j (pos_i - pos_j) * force_ij, without an n×n×2 array
        square = (pos**2).sum(axis=1)
        distance = np.sqrt(np.maximum(square[:, None] + square[None, :] - 2 * pos @ pos.T, 0))
        np.clip(distance, 0.01, None, out=distance)
        force = k * k / distance**2 - pull * distance / k
        np.fill_diagonal(force, 0)
        displacement = pos * force.sum(axis=1)[:, np.newaxis] - force @ pos
        length = np.sqrt((displacement**2).sum(axis=-1))
        length = np.where(length < 0.01, 0.1, length)
        pos += displacement * (temperature / length)[:, np.newaxis]
        temperature -= cooling
    pos -= pos.mean(axis=0)
    extent = float(np.abs(pos).max()) or 1.0
    pos *= (150.0 + 60.0 * math.sqrt(n)) / extent
    radii = [radius(node) for node in order] if radius is not None else None
    pos = separate(pos.astype(np.float64), fixed=index.get(centre), radii=radii)
    cx, cy = pos[index[centre]] if centre in index else (0.0, 0.0)
    return {
        node: (round(float(pos[i, 0] - cx), 1), round(float(pos[i, 1] - cy), 1))
        for node, i in index.items()
    }


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
    ``fixed`` row never moves). A few rounds leave no pair much closer than ``minimum``.
    """
    import numpy as np

    n = len(pos)
    if n < 2 or n > SEPARATION_LIMIT:
        return pos
    gap: Any = minimum  # one distance, or a matrix of them when the points have radii
    if radii is not None:
        r = np.asarray(radii, dtype=np.float64)
        gap = np.maximum(minimum, r[:, None] + r[None, :] + POINT_GAP)
    for _ in range(SEPARATION_ROUNDS):
        delta = pos[:, None, :] - pos[None, :, :]
        distance = np.sqrt((delta**2).sum(axis=-1))
        np.fill_diagonal(distance, 10 * float(np.max(gap)))
        close = distance < gap
        if not close.any():
            break
        safe = np.where(distance == 0, 1e-3, distance)
        push = np.where(close, (gap - distance) / (2 * safe), 0.0)
        # identical points: a fixed, seeded direction
        same = np.argwhere(distance == 0)
        for i, j in same:
            delta[i, j] = (1.0, 0.5) if i < j else (-1.0, -0.5)
        move = (delta * push[:, :, None]).sum(axis=1)
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
