"""Per-point measures shown on a map: ties, brokers (betweenness), isolated people, bridges.

Computed with networkx on the map's own points and ties (direction ignored), so a measure
always describes what the person sees. The explanations for the side panel are in the web
layer (translated); here are only the numbers.

>>> import networkx as nx
>>> G = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "d")])
>>> G.add_node("e", kind="Person")
>>> m = point_measures(G)
>>> m["b"]["ties"], m["b"]["bridge"], m["a"]["bridge"], m["e"]["isolated"]
(2, True, False, True)
>>> m["b"]["broker"] > m["a"]["broker"]
True

References
----------
.. [1] Brandes, U., "A Faster Algorithm for Betweenness Centrality", Journal of Mathematical
   Sociology 25(2), 2001.
"""

from __future__ import annotations

import random
from collections import deque
from typing import Any

import networkx as nx

#: Above this many points betweenness is estimated from this many sampled sources (seeded).
BETWEENNESS_SAMPLE = 60
#: Seed of that sample, so the numbers are the same on every visit.
MEASURE_SEED = 20240601
#: Kinds whose ties say nothing about how connected a person is (the centre is left out too).
CONTEXT_KINDS = frozenset({"Theme", "Library", "Goal", "SmartGoal"})


def point_measures(graph: nx.Graph, *, centre: Any = None) -> dict[Any, dict[str, Any]]:
    """For every node: ``ties`` (distinct neighbours), ``broker`` (betweenness, 0–1,
    normalised, rounded), ``bridge`` (an articulation point: without it the map falls apart)
    and ``isolated`` (a person with no tie to anyone on the map but the centre).

    ``centre`` (the theme or community every point hangs from) is left out of betweenness and
    bridges, since it would connect everyone and hide the real go-betweens.
    """
    simple: nx.Graph = nx.Graph()
    simple.add_nodes_from(graph.nodes)
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    core = simple.copy()
    if centre is not None and centre in core:
        core.remove_node(centre)
    n = core.number_of_nodes()
    if n > 2:
        k = BETWEENNESS_SAMPLE if n > BETWEENNESS_SAMPLE * 2 else None
        broker = betweenness(core, k=k, seed=MEASURE_SEED)
        bridges = set(nx.articulation_points(core))
    else:
        broker, bridges = dict.fromkeys(core, 0.0), set()
    out: dict[Any, dict[str, Any]] = {}
    for node in simple:
        kind = graph.nodes[node].get("kind") if node in graph.nodes else None
        others = [
            m
            for m in simple[node]
            if m != centre and graph.nodes[m].get("kind") not in CONTEXT_KINDS
        ]
        out[node] = {
            "ties": simple.degree(node),
            "broker": round(float(broker.get(node, 0.0)), 4),
            "bridge": node in bridges,
            "isolated": kind == "Person" and not others,
        }
    return out


def betweenness(graph: nx.Graph, *, k: int | None = None, seed: int = MEASURE_SEED) -> dict:
    """Normalised betweenness of an undirected graph: ``nx.betweenness_centrality(graph,
    k=k, seed=seed)`` (the same sampled sources, the same numbers), by Brandes' algorithm on
    integer indices, about twice as fast as networkx's on a map of 1,500 points.

    With ``k`` sampled sources a source's own count is scaled by ``k - 1`` sources and the
    others' by ``k``, as networkx does since 3.5 (a source is never an end point of its
    own paths).

    >>> G = nx.path_graph(["a", "b", "c", "d"])
    >>> betweenness(G) == nx.betweenness_centrality(G)
    True
    """
    nodes = list(graph)
    n = len(nodes)
    if n < 3:
        return dict.fromkeys(nodes, 0.0)
    index = {node: i for i, node in enumerate(nodes)}
    adjacency = [[index[m] for m in graph[node] if m != node] for node in nodes]
    if k is None or k >= n:
        k = None
        sources = list(range(n))
    else:
        sources = [index[node] for node in random.Random(seed).sample(nodes, k)]
    total = [0.0] * n
    for s in sources:
        sigma = [0] * n
        sigma[s] = 1
        distance = [-1] * n
        distance[s] = 0
        before: list[list[int]] = [[] for _ in range(n)]
        order = []
        queue = deque([s])
        while queue:
            v = queue.popleft()
            order.append(v)
            further, paths = distance[v] + 1, sigma[v]
            for w in adjacency[v]:
                if distance[w] < 0:
                    distance[w] = further
                    queue.append(w)
                if distance[w] == further:
                    sigma[w] += paths
                    before[w].append(v)
        delta = [0.0] * n
        for w in reversed(order):
            share = (1 + delta[w]) / sigma[w]
            for v in before[w]:
                delta[v] += sigma[v] * share
            if w != s:
                total[w] += delta[w]
    pairs = n - 1  # end points other than the point itself
    if k is None:
        return {node: total[i] / (pairs * (pairs - 1)) for i, node in enumerate(nodes)}
    sampled = set(sources)
    own = 1 / ((k - 1) * (pairs - 1)) if k > 1 else float("nan")
    other = 1 / (k * (pairs - 1))
    return {node: total[i] * (own if i in sampled else other) for i, node in enumerate(nodes)}


__all__ = ["betweenness", "point_measures"]
