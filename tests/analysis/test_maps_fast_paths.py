"""The fast paths of a map's data (#14): each gives what the plain networkx way gives.

A scan map of 1,500 points took seconds on the server; the parts made faster are the graphs
of the slider's months (built straight into networkx's dicts), reading a selection's ties,
the copy of a theme's history, betweenness, and the force layout. Each is checked here
against the slow, obvious way on random histories and graphs.
"""

from __future__ import annotations

import datetime as dt
import math
import random

import networkx as nx
import pytest

from mapper.analysis.scan import ecosystem
from mapper.maps import MIN_DISTANCE, layout_positions, map_timeline, scan_selection, separate
from mapper.maps.layout import POINT_GAP
from mapper.maps.measures import betweenness
from mapper.maps.timeline import DayGraphs, _edges_of, graph_on, subgraph_copy
from mapper.model import valid_on

DAYS = [dt.date(2025, 1, 1) + dt.timedelta(days=30 * i) for i in range(14)]
KINDS = ["Person", "Organisation", "Activity", "Channel"]
TIES = ["KNOWS", "ACTIVE_ON", "MEMBER_OF", "ACTIVE_IN", "ATTENDS", "ABOUT", "BOND_WITH"]


def random_day(rng: random.Random) -> dt.date | None:
    return None if rng.random() < 0.3 else rng.choice(DAYS)


def random_history(seed: int, size: int = 40) -> nx.MultiDiGraph:
    """A history graph as ``Store.project_history`` gives one: nodes with since/until, and
    tie versions keyed ``tie:version`` with the tie id in ``tie``."""
    rng = random.Random(seed)
    history = nx.MultiDiGraph(workspace="w", history=True)
    history.add_node("theme", kind="Theme", name="thema", since=None, until=None)
    history.add_node("lib", kind="Library", name="bieb", since=None, until=None)
    for i in range(size):
        since = random_day(rng)
        until = rng.choice(DAYS) if rng.random() < 0.2 else None
        if since and until and until <= since:
            until = None
        history.add_node(f"n{i}", kind=rng.choice(KINDS), name=f"N {i}", since=since, until=until)
    nodes = list(history)
    for t in range(size * 3):
        u, v = rng.sample(nodes, 2)
        kind = rng.choice(TIES)
        start = random_day(rng)
        for version in range(1, rng.choice([1, 1, 2, 3]) + 1):
            end = (start or DAYS[0]) + dt.timedelta(days=rng.randrange(20, 200))
            history.add_edge(
                u,
                v,
                key=f"t{t}:{version}",
                tie=f"t{t}",
                kind=kind,
                strength=rng.choice([None, 0.2, 0.6, 1.0]),
                since=start,
                until=end if rng.random() < 0.5 else None,
            )
            start = end
    return history


def graph_on_by_hand(history: nx.MultiDiGraph, day: dt.date, nodes=None) -> nx.MultiDiGraph:
    """The graph as of ``day`` the slow way, with networkx's add_nodes_from/add_edges_from."""
    wanted = history.nodes if nodes is None else [n for n in nodes if n in history]
    graph = nx.MultiDiGraph()
    graph.graph.update(history.graph, as_of=day, history=False)
    data = history.nodes
    graph.add_nodes_from(
        (n, data[n]) for n in wanted if valid_on(data[n].get("since"), data[n].get("until"), day)
    )
    graph.add_edges_from(
        (u, v, a.get("tie", k), a)
        for u, v, k, a in history.edges(keys=True, data=True)
        if u in graph and v in graph and valid_on(a.get("since"), a.get("until"), day)
    )
    return graph


def same_graph(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> bool:
    """The same nodes, ties, attributes and graph attributes, in the same order, in both
    directions (successors and predecessors)."""
    return (
        a.graph == b.graph
        and list(a.nodes(data=True)) == list(b.nodes(data=True))
        and list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))
        and list(a.in_edges(keys=True, data=True)) == list(b.in_edges(keys=True, data=True))
    )


@pytest.mark.parametrize("seed", range(8))
def test_the_graph_of_a_day_is_what_networkx_builds(seed):
    history = random_history(seed)
    some = [n for n in history if n != "n3"][::2]
    graphs, limited = DayGraphs(history), DayGraphs(history, some)
    for day in [DAYS[0] - dt.timedelta(days=1), *DAYS]:
        assert same_graph(graphs.on(day), graph_on_by_hand(history, day))
        assert same_graph(limited.on(day), graph_on_by_hand(history, day, some))
        assert same_graph(graph_on(history, day), graph_on_by_hand(history, day))


def test_a_day_graph_copies_attributes_unless_asked_not_to():
    history = random_history(1)
    day = DAYS[-1]
    copied, shared = DayGraphs(history).on(day), DayGraphs(history).on(day, copy=False)
    u, v, key = next(iter(copied.edges(keys=True)))
    tie = copied[u][v][key]["tie"]
    original = next(a for _, _, a in history.edges(u, data=True) if a == copied[u][v][key])
    assert original["tie"] == tie
    assert copied[u][v][key] == original and copied[u][v][key] is not original
    assert copied.nodes[u] is not history.nodes[u]
    assert shared.nodes[u] is history.nodes[u]
    assert any(a is original for a in shared[u][v].values())
    copied.nodes[u]["name"] = "changed"
    assert history.nodes[u]["name"] != "changed"


@pytest.mark.parametrize("seed", range(6))
def test_reading_the_ties_of_a_selection_gives_what_its_edges_give(seed):
    graph = graph_on_by_hand(random_history(seed), DAYS[-1])
    rng = random.Random(seed)
    nodes = rng.sample(list(graph), len(graph) // 2)
    view = graph.subgraph(nodes)
    shapes = {
        "graph": graph,
        "subgraph view": view,
        "subgraph of a subgraph view": view.subgraph(nodes[: len(nodes) // 2]),
        "edge subgraph": graph.edge_subgraph(list(graph.edges(keys=True))[::3]),
        "reverse view": graph.reverse(copy=False),
        "frozen copy": nx.freeze(nx.MultiDiGraph(graph)),
        "restricted view": nx.restricted_view(graph, nodes[:3], []),
    }
    for name, shown in shapes.items():
        fast, slow = list(_edges_of(shown)), list(shown.edges(keys=True, data=True))
        if name == "graph":
            assert fast == slow
        # a view of a small part iterates its set of nodes (an order that changes between
        # processes); the fast way keeps the graph's order
        assert sorted(fast, key=repr) == sorted(slow, key=repr), name


@pytest.mark.parametrize("seed", range(6))
def test_the_copy_of_part_of_the_history_is_the_subgraph_copy(seed):
    history = random_history(seed)
    nodes = random.Random(seed).sample(list(history), 25) + ["not a node"]
    fast, slow = subgraph_copy(history, nodes), history.subgraph(nodes).copy()
    assert same_graph(fast, slow)
    u, v, key = next(iter(fast.edges(keys=True)))
    assert fast[u][v][key] is not history[u][v][key]
    assert fast.nodes[u] is not history.nodes[u]
    assert fast._succ[u][v] is fast._pred[v][u]  # one key dict per pair, as networkx has it


def test_a_timeline_is_the_same_as_selecting_every_day_by_hand():
    history = random_history(3, size=60)
    history.add_edges_from(
        (f"n{i}", "theme", {"kind": "ACTIVE_ON", "since": DAYS[i % 14], "until": None})
        for i in range(0, 60, 2)
    )
    timeline = map_timeline(history, DAYS, lambda g: scan_selection(g, "theme", copy=False))
    assert timeline.days == DAYS[len(DAYS) - len(timeline.days) :]
    for index, day in enumerate(timeline.days):
        shown = scan_selection(graph_on_by_hand(history, day), "theme")
        assert {n for n, days in timeline.node_days.items() if index in days} == set(shown)
        pairs = {tuple(sorted((str(u), str(v)))) for u, v in shown.edges() if u != v}
        assert {p for p, days in timeline.edge_days.items() if index in days} == pairs
        assert set(shown) == ecosystem(graph_on_by_hand(history, day), "theme")
    assert set(timeline.union) == set(timeline.node_days)


@pytest.mark.parametrize("seed", range(25))
def test_betweenness_is_networkx_betweenness(seed):
    rng = random.Random(seed)
    graph = nx.gnm_random_graph(rng.randrange(3, 60), rng.randrange(2, 150), seed=seed)
    graph = nx.relabel_nodes(graph, {i: f"p{i}" for i in graph})
    exact = nx.betweenness_centrality(graph)
    assert betweenness(graph).keys() == exact.keys()
    assert all(math.isclose(betweenness(graph)[n], exact[n], abs_tol=1e-12) for n in graph)


@pytest.mark.skipif(
    tuple(int(p) for p in nx.__version__.split(".")[:2]) < (3, 5),
    reason="networkx scales sampled betweenness this way since 3.5",
)
@pytest.mark.parametrize("seed", range(10))
def test_sampled_betweenness_is_networkx_sampled_betweenness(seed):
    graph = nx.relabel_nodes(nx.gnm_random_graph(80, 200, seed=seed), str)
    for k in (2, 10, 40):
        ours, theirs = (
            betweenness(graph, k=k, seed=seed),
            nx.betweenness_centrality(graph, k=k, seed=seed),
        )
        assert all(math.isclose(ours[n], theirs[n], abs_tol=1e-12) for n in graph)


def test_separating_leaves_every_pair_clear_and_the_fixed_point_in_place():
    import numpy as np

    rng = np.random.default_rng(5)
    pos = rng.random((300, 2)) * 1000
    pos[7] = pos[8]  # two on one spot
    radii = list(rng.choice([8.0, 11.0, 14.0], 300))
    apart = separate(pos.copy(), fixed=0, radii=radii)
    assert (apart[0] == pos[0]).all()
    gap = np.maximum(MIN_DISTANCE, np.add.outer(radii, radii) + POINT_GAP)
    distance = np.sqrt(((apart[:, None] - apart[None]) ** 2).sum(-1))
    np.fill_diagonal(distance, np.inf)
    assert (distance > 0.8 * gap).all(), "no two points are drawn on top of each other"
    assert np.abs(apart[7] - apart[8]).sum() > MIN_DISTANCE * 0.8
    assert np.abs(apart - pos).max() < 200, "nobody is flung far off"


def test_the_layout_keeps_neighbours_near_and_is_the_same_every_time():
    graph = nx.relabel_nodes(nx.connected_watts_strogatz_graph(400, 4, 0.05, seed=3), str)
    graph.add_edges_from([("c", n) for n in graph if int(n) % 10 == 0])
    first, again = layout_positions(graph, centre="c"), layout_positions(graph, centre="c")
    assert first == again and first["c"] == (0.0, 0.0)
    tied = [math.dist(first[u], first[v]) for u, v in graph.edges() if "c" not in (u, v)]
    rng = random.Random(1)
    pairs = [rng.sample(sorted(graph), 2) for _ in range(500)]
    anyone = [math.dist(first[u], first[v]) for u, v in pairs]
    assert sorted(tied)[len(tied) // 2] < sorted(anyone)[len(anyone) // 2] / 3
