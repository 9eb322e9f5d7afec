"""The compact, integer-indexed warm graph gives exactly the ranking of the ordinary search:
the same routes, numbers, order (ties in score included) and explanations, on random graphs;
and the warm-contact service keeps one compact form per kept warm graph."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mapper.analysis.strength import FLOOR, STRENGTH_ATTR
from mapper.analysis.warm import INTRODUCTION_TIES, rank_warm_contacts, warm_routes
from mapper.analysis.warm.compact import CompactGraph
from mapper.errors import NotFoundError, ValidationError
from mapper.services import warm as service
from mapper.store import SQLiteStore
from tests.warm_town import build_town

TODAY = dt.date(2026, 6, 1)
#: Few distinct strengths, so that many routes, warmths and scores are equal.
STEPS = st.sampled_from([0.2, 0.4, 0.6, 0.8, 1.0])
STRENGTHS = st.one_of(STEPS, STEPS, st.none(), st.floats(min_value=0.0, max_value=1.0))
TIE_KINDS = ["KNOWS", "BOND_WITH", "MEMBER_OF", "ACTIVE_ON", "ORGANISES", "ATTENDS", "ABOUT"]
DAYS = st.sampled_from([None, dt.date(2025, 1, 1), TODAY, dt.date(2027, 1, 1)])


@st.composite
def towns(draw):
    """A random town: a library, staff, people (some with the same name), organisations, a
    theme and activities, random ties of every kind with parallel ties, ties in both
    directions, self-ties, unknown strengths and ties that start or end around today."""
    G = draw(st.sampled_from([nx.MultiDiGraph, nx.Graph, nx.DiGraph, nx.MultiGraph]))()
    ints = draw(st.booleans())  # integer ids sort differently as text ("10" < "9")

    def node(i):
        return i if ints else f"n{i}"

    kinds = ["Library", "Theme"]
    kinds += draw(st.lists(st.sampled_from(["Staff"]), min_size=1, max_size=3))
    kinds += draw(
        st.lists(
            st.sampled_from(["Person", "Person", "Person", "Organisation", "Activity"]),
            min_size=2,
            max_size=14,
        )
    )
    for i, kind in enumerate(kinds):
        name = draw(st.sampled_from(["Anna", "Jan", "Fatma", "Piet"])) if kind == "Person" else None
        G.add_node(node(i), kind=kind, name=name or f"{kind} {i}")
    n = len(kinds)
    for _ in range(draw(st.integers(0, 3 * n))):
        a, b = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        data = {"kind": draw(st.sampled_from(TIE_KINDS)), "strength": draw(STRENGTHS)}
        if draw(st.booleans()):
            data[STRENGTH_ATTR] = draw(STEPS)
        since, until = draw(DAYS), draw(DAYS)
        if since is not None:
            data["since"] = since
        if until is not None:
            data["until"] = until
        if data["kind"] == "MEMBER_OF":
            data["role"] = draw(st.sampled_from(["member", "ambassador", "board"]))
        G.add_edge(node(a), node(b), **data)
    targets = [v for v, k in G.nodes(data="kind") if k in ("Theme", "Organisation", "Person")]
    target = draw(st.sampled_from(targets))
    return G, target


def _as_dicts(G, ranked):
    return [c.as_dict(G) for c in ranked]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(towns(), st.integers(0, 4), st.sampled_from(["strength", STRENGTH_ATTR]), st.data())
def test_compact_ranking_equals_the_ordinary_one_and_the_reference(case, cutoff, weight, data):
    G, target = case
    default = data.draw(st.sampled_from([FLOOR, 0.5]))
    lang = data.draw(st.sampled_from(["nl", "en"]))
    options = dict(weight=weight, cutoff=cutoff, as_of=TODAY, limit=None, lang=lang)
    options["default"] = default
    compact = CompactGraph(
        G, weight=weight, as_of=TODAY, tie_kinds=INTRODUCTION_TIES, default=default
    )
    assert compact.usable
    fast = rank_warm_contacts(G, target, compact=compact, **options)
    ordinary = rank_warm_contacts(G, target, **options)
    reference = rank_warm_contacts(G, target, method="dijkstra", **options)
    # Everything a person reads: ids, scores, order, routes, links, reasons.
    assert _as_dicts(G, fast) == _as_dicts(G, ordinary)
    assert [c.route for c in fast] == [c.route for c in ordinary]
    assert [(c.id, c.score, c.warmth) for c in fast] == [
        (c.id, c.score, c.warmth) for c in reference
    ]
    limit = data.draw(st.integers(0, 5))
    options["limit"] = limit
    assert _as_dicts(G, rank_warm_contacts(G, target, compact=compact, **options)) == (
        _as_dicts(G, ordinary[:limit])
    )


@settings(max_examples=200, deadline=None)
@given(towns(), st.integers(0, 4), st.booleans(), st.data())
def test_compact_routes_equal_warm_routes(case, cutoff, strong_direct, data):
    G, _target = case
    nodes = sorted(G.nodes, key=str)
    sources = data.draw(st.lists(st.sampled_from(nodes), min_size=1, max_size=3))
    targets = data.draw(st.none() | st.sets(st.sampled_from(nodes)))
    options = dict(as_of=TODAY, default=FLOOR, tie_kinds=INTRODUCTION_TIES)
    expected = warm_routes(
        G, sources, cutoff=cutoff, targets=targets, strong_direct=strong_direct, **options
    )
    compact = CompactGraph(G, weight="strength", **options)
    got = compact.routes(sources, cutoff=cutoff, targets=targets, strong_direct=strong_direct)
    assert got.warmth == {n: r.warmth for n, r in expected.items()}
    assert {n: got.route(n) for n in got.warmth} == expected


def test_scores_that_tie_are_ordered_by_name_then_id_on_both():
    """Four people with the same route strengths and signals: the same score, so name then id
    decide; the compact form orders them the same way."""
    G = nx.MultiDiGraph()
    G.add_node("lib", kind="Library", name="Bieb")
    G.add_node("staff", kind="Staff", name="Anna")
    G.add_node("t", kind="Theme", name="lezen")
    for pid, name in [("p3", "Jan"), ("p1", "jan"), ("p2", "Els"), ("p10", "Jan")]:
        G.add_node(pid, kind="Person", name=name)
        G.add_edge(pid, "t", kind="ACTIVE_ON")
        G.add_edge("staff", pid, kind="KNOWS", strength=0.6)
    compact = CompactGraph(
        G, weight="strength", as_of=TODAY, tie_kinds=INTRODUCTION_TIES, default=FLOOR
    )
    fast = rank_warm_contacts(G, "t", as_of=TODAY, compact=compact)
    assert len({c.score for c in fast}) == 1
    assert [c.id for c in fast] == ["p2", "p1", "p10", "p3"]
    assert _as_dicts(G, fast) == _as_dicts(G, rank_warm_contacts(G, "t", as_of=TODAY))


def test_a_bad_strength_is_still_named_and_other_options_are_not_taken_for_the_form():
    G = nx.MultiDiGraph()
    G.add_node("staff", kind="Staff", name="Anna")
    G.add_node("t", kind="Theme", name="lezen")
    G.add_node("p", kind="Person", name="Jan")
    G.add_edge("p", "t", kind="ACTIVE_ON")
    G.add_edge("staff", "p", kind="KNOWS", strength=1.5)
    compact = CompactGraph(G, as_of=TODAY, tie_kinds=INTRODUCTION_TIES, default=FLOOR)
    assert not compact.usable
    with pytest.raises(ValidationError, match="strength 1.5"):
        rank_warm_contacts(G, "t", as_of=TODAY, weight="strength", compact=compact)
    G.edges["staff", "p", 0]["strength"] = 0.8
    other_day = CompactGraph(G, as_of=TODAY, tie_kinds=INTRODUCTION_TIES, default=FLOOR)
    assert not other_day.matches(
        G, weight="strength", day=dt.date(2020, 1, 1), tie_kinds=INTRODUCTION_TIES, default=FLOOR
    )
    with pytest.raises(ValidationError, match="cutoff -1"):
        rank_warm_contacts(G, "t", as_of=TODAY, cutoff=-1, compact=other_day)


def test_the_service_ranks_on_one_compact_form_per_kept_warm_graph(tmp_path):
    store = SQLiteStore(tmp_path / "town.db")
    try:
        ids = build_town(store)
        ws = store.workspace("demo")
        result = service.warm_contacts(ws, ids["duurzaam"], as_of=TODAY, limit=None)
        G = service.warm_graph(ws, as_of=TODAY)
        assert result.graph is G
        compact = service.compact_graph(G, as_of=TODAY)
        assert service.compact_graph(G, as_of=TODAY) is compact  # made once
        plain = rank_warm_contacts(
            G, ids["duurzaam"], weight=STRENGTH_ATTR, as_of=TODAY, limit=None
        )
        assert result.as_json() == [c.as_dict(G) for c in plain]
        # A graph of the caller's own is ranked without making a compact form for it.
        own = G.copy()
        service.warm_contacts(ws, ids["duurzaam"], as_of=TODAY, graph=own)
        assert own not in service._COMPACT
    finally:
        store.close()


def test_a_direct_strong_tie_wins_on_the_compact_form_too():
    G = nx.Graph()
    nx.add_path(G, ["staff", "a", "b", "c"], strength=1.0, kind="KNOWS")
    G.add_edge("staff", "c", strength=0.8, kind="KNOWS")
    G.add_edge("staff", "b", strength=0.4, kind="KNOWS")
    compact = CompactGraph(G, as_of=TODAY)
    for strong_direct in (True, False):
        got = compact.routes(["staff"], targets=["b", "c"], strong_direct=strong_direct)
        expected = warm_routes(G, ["staff"], targets=["b", "c"], strong_direct=strong_direct)
        assert {n: got.route(n) for n in "bc"} == expected
    got = compact.routes(["staff"], targets=["b", "c"])
    assert got.route("c").path == ("staff", "c") and got.warmth["c"] == 0.8
    assert got.route("b").path == ("staff", "a", "b") and got.warmth["b"] == 1.0


def test_the_compact_search_names_bad_input_as_warm_routes_does():
    G = nx.Graph()
    G.add_edge("staff", "a", strength=0.5)
    compact = CompactGraph(G, as_of=TODAY)
    with pytest.raises(ValidationError, match="cutoff -1"):
        compact.routes(["staff"], cutoff=-1)
    with pytest.raises(NotFoundError, match="source 'nobody'"):
        compact.routes(["nobody"])
    assert compact.routes(["staff", "staff"], targets=None).warmth == {"a": 0.5}


def test_the_compact_form_is_made_on_a_kept_graphs_second_ranking(tmp_path):
    """One ranking (a command) never pays for the compact form; the second uses it."""
    store = SQLiteStore(tmp_path / "town.db")
    try:
        ids = build_town(store)
        ws = store.workspace("demo")
        first = service.warm_contacts(ws, ids["duurzaam"], as_of=TODAY, limit=None)
        assert first.graph not in service._COMPACT
        second = service.warm_contacts(ws, ids["duurzaam"], as_of=TODAY, limit=None)
        assert second.graph is first.graph
        assert first.graph in service._COMPACT
        assert second.as_json() == first.as_json()
    finally:
        store.close()
