"""Warm contacts: known answers on hand-built graphs, property tests against brute force, and
the invariants (raising a tie on the best route never lowers warmth; expired ties never count).
"""

from __future__ import annotations

import datetime as dt
import math
import random

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mapper.analysis import strength as strength_mod
from mapper.analysis.strength import FLOOR, HALF_LIFE_DAYS, annotate_strengths, contact_strength
from mapper.analysis.warm import (
    DEFAULT_CUTOFF,
    ecosystem_signals,
    is_strong,
    rank_warm_contacts,
    route_graph,
    warm_routes,
    warmth,
)
from mapper.errors import NotFoundError, ValidationError
from mapper.model import Contact
from mapper.services.warm import log_conversation, resolve_target, warm_contacts
from tests.warm_town import build_town

TODAY = dt.date(2026, 6, 1)


# --------------------------------------------------------------------------- helpers


def graph(edges, **attrs):
    """An undirected graph from (u, v, strength) triples."""
    G = nx.Graph(**attrs)
    for u, v, s in edges:
        G.add_edge(u, v, strength=s)
    return G


def brute_force(G, sources, cutoff, *, strong_direct=True):
    """Best product of strengths over all simple paths of at most ``cutoff`` ties, by
    enumeration; with the rule that a direct strong tie wins."""
    out = {}
    for t in G:
        if t in sources:
            continue
        best, direct = 0.0, 0.0
        for s in sources:
            for path in nx.all_simple_paths(G, s, t, cutoff=cutoff):
                product = math.prod(G.edges[a, b]["strength"] for a, b in zip(path, path[1:]))
                best = max(best, product)
                if len(path) == 2:
                    direct = max(direct, product)
        if strong_direct and is_strong(direct):
            best = direct
        if best > 0:
            out[t] = best
    return out


STEPS = st.sampled_from([0.2, 0.4, 0.6, 0.8, 1.0])
STRENGTHS = st.one_of(STEPS, st.floats(min_value=0.01, max_value=1.0))


@st.composite
def small_graphs(draw, strengths=STRENGTHS):
    n = draw(st.integers(min_value=2, max_value=7))
    pairs = [(a, b) for a in range(n) for b in range(a + 1, n)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs)))
    G = nx.Graph()
    G.add_nodes_from(range(n))
    for a, b in chosen:
        G.add_edge(a, b, strength=draw(strengths))
    k = draw(st.integers(min_value=1, max_value=min(2, n - 1)))
    sources = draw(st.lists(st.integers(0, n - 1), min_size=k, max_size=k, unique=True))
    cutoff = draw(st.integers(min_value=0, max_value=4))
    return G, sources, cutoff


# --------------------------------------------------------------------------- known answers


def test_direct_strong_bond_beats_a_three_step_route():
    G = graph([("staff", "a", 1.0), ("a", "b", 1.0), ("b", "c", 1.0), ("staff", "c", 0.8)])
    route = warm_routes(G, ["staff"])["c"]
    assert route.path == ("staff", "c")
    assert route.warmth == pytest.approx(0.8)


def test_direct_weak_bond_beats_a_three_step_route_of_fair_ties():
    G = graph([("staff", "a", 0.6), ("a", "b", 0.6), ("b", "c", 0.6), ("staff", "c", 0.4)])
    route = warm_routes(G, ["staff"])["c"]
    assert route.path == ("staff", "c")
    assert route.warmth == pytest.approx(0.4)


def test_strong_two_step_route_beats_a_weak_direct_tie():
    G = graph([("staff", "a", 0.9), ("a", "c", 0.9), ("staff", "c", 0.4)])
    route = warm_routes(G, ["staff"])["c"]
    assert route.path == ("staff", "a", "c")
    assert route.warmth == pytest.approx(0.81)
    assert route.weakest == 0


def test_strong_two_step_route_does_not_beat_a_strong_direct_tie():
    G = graph([("staff", "a", 1.0), ("a", "c", 1.0), ("staff", "c", 0.8)])
    assert warm_routes(G, ["staff"])["c"].path == ("staff", "c")
    # ... unless the rule is switched off: then the product decides.
    assert warm_routes(G, ["staff"], strong_direct=False)["c"].path == ("staff", "a", "c")


def test_routes_longer_than_the_cutoff_are_not_warm():
    G = graph([("s", 1, 1.0), (1, 2, 1.0), (2, 3, 1.0), (3, 4, 1.0)])
    assert 4 not in warmth(G, ["s"])
    assert warmth(G, ["s"], cutoff=4)[4] == 1.0
    assert DEFAULT_CUTOFF == 3


def test_bounded_search_is_not_dijkstra_with_a_hop_cutoff():
    # The best route to x is 3 steps long and cannot be extended to t within 3 steps; the
    # 2-step route s-x-t through the weak direct tie must be found instead.
    G = graph([("s", "a", 1.0), ("a", "b", 1.0), ("b", "x", 1.0), ("s", "x", 0.3), ("x", "t", 1.0)])
    route = warm_routes(G, ["s"])["t"]
    assert route.path == ("s", "x", "t")
    assert route.warmth == pytest.approx(0.3)
    assert warm_routes(G, ["s"])["x"].path == ("s", "a", "b", "x")
    # The reference implementation agrees.
    assert warm_routes(G, ["s"], method="dijkstra")["t"].path == ("s", "x", "t")


def test_equal_routes_go_to_fewer_steps_then_smaller_ids():
    G = graph([("s", "b", 1.0), ("b", "t", 0.5), ("s", "a", 1.0), ("a", "t", 0.5), ("s", "t", 0.5)])
    assert warm_routes(G, ["s"])["t"].path == ("s", "t")
    G.remove_edge("s", "t")
    assert warm_routes(G, ["s"])["t"].path == ("s", "a", "t")


def test_multigraph_uses_the_strongest_parallel_tie_and_both_directions():
    G = nx.MultiDiGraph()
    G.add_edge("p", "s", kind="KNOWS", strength=0.2)
    G.add_edge("s", "p", kind="BOND_WITH", strength=0.6)
    assert warmth(G, ["s"]) == {"p": 0.6}
    assert warmth(G, ["s"], tie_kinds={"KNOWS"}) == {"p": 0.2}


def test_ties_without_strength_count_only_with_a_default():
    G = nx.Graph()
    G.add_edge("s", "p", strength=None)
    assert warmth(G, ["s"]) == {}
    assert warmth(G, ["s"], default=FLOOR) == {"p": FLOOR}


def test_bad_input_is_named():
    G = graph([("s", "p", 0.5)])
    with pytest.raises(ValidationError, match="cutoff -1"):
        warmth(G, ["s"], cutoff=-1)
    with pytest.raises(ValidationError, match="unknown method 'astar'"):
        warmth(G, ["s"], method="astar")
    with pytest.raises(NotFoundError, match="source 'nobody'"):
        warmth(G, ["nobody"])
    G.add_edge("p", "q", strength=1.5)
    with pytest.raises(ValidationError, match="strength 1.5"):
        warmth(G, ["s"])


# --------------------------------------------------------------------------- properties


@settings(max_examples=300, deadline=None)
@given(small_graphs())
def test_warmth_equals_brute_force_over_simple_paths(case):
    G, sources, cutoff = case
    for rule in (True, False):
        routes = warm_routes(G, sources, cutoff=cutoff, strong_direct=rule)
        expected = brute_force(G, sources, cutoff, strong_direct=rule)
        assert set(routes) == set(expected)
        for node, route in routes.items():
            assert route.warmth == pytest.approx(expected[node], rel=1e-12)
            # The route is a real path of at most cutoff ties, from a source, whose product
            # is its warmth.
            assert route.path[0] in sources and route.path[-1] == node
            assert len(set(route.path)) == len(route.path) and route.hops <= cutoff
            product = math.prod(
                G.edges[a, b]["strength"] for a, b in zip(route.path, route.path[1:])
            )
            assert route.warmth == pytest.approx(product, rel=1e-12)


@settings(max_examples=200, deadline=None)
@given(small_graphs(), st.data())
def test_warmth_for_chosen_targets_equals_brute_force(case, data):
    # With targets the last round is pulled from the targets' side and the round before it
    # keeps only their neighbourhood: the answers must not change.
    G, sources, cutoff = case
    targets = data.draw(st.sets(st.sampled_from(sorted(G.nodes))))
    expected = brute_force(G, sources, cutoff)
    routes = warm_routes(G, sources, cutoff=cutoff, targets=targets)
    assert set(routes) == {t for t in targets if t in expected}
    for node, route in routes.items():
        assert route.warmth == pytest.approx(expected[node], rel=1e-12)
        assert route.hops <= cutoff and route.path[0] in sources
    assert routes == {
        t: r for t, r in warm_routes(G, sources, cutoff=cutoff).items() if t in targets
    }


@settings(max_examples=150, deadline=None)
@given(small_graphs())
def test_reference_dijkstra_gives_the_same_warmth(case):
    G, sources, cutoff = case
    fast = warmth(G, sources, cutoff=cutoff)
    slow = warmth(G, sources, cutoff=cutoff, method="dijkstra")
    assert fast.keys() == slow.keys()
    for node in fast:
        assert fast[node] == pytest.approx(slow[node], rel=1e-12)


@settings(max_examples=200, deadline=None)
@given(small_graphs(), st.data())
def test_raising_a_tie_on_the_best_route_never_lowers_warmth(case, data):
    G, sources, cutoff = case
    routes = warm_routes(G, sources, cutoff=cutoff)
    if not routes:
        return
    node = data.draw(st.sampled_from(sorted(routes)))
    route = routes[node]
    i = data.draw(st.integers(0, route.hops - 1))
    a, b = route.path[i], route.path[i + 1]
    old = G.edges[a, b]["strength"]
    G.edges[a, b]["strength"] = data.draw(st.floats(min_value=old, max_value=1.0))
    assert warmth(G, sources, cutoff=cutoff)[node] >= route.warmth


@settings(max_examples=150, deadline=None)
@given(small_graphs(), st.data())
def test_expired_ties_never_count(case, data):
    G, sources, cutoff = case
    day = dt.date(2026, 1, 1)
    expired = []
    for a, b, d in G.edges(data=True):
        when = data.draw(st.sampled_from(["current", "ended", "ends-today", "future"]))
        if when == "ended":
            d["until"] = day - dt.timedelta(days=30)
        elif when == "ends-today":
            d["until"] = day
        elif when == "future":
            d["since"] = day + dt.timedelta(days=1)
        if when != "current":
            expired.append((a, b))
    pruned = G.copy()
    pruned.remove_edges_from(expired)
    assert warmth(G, sources, cutoff=cutoff, as_of=day) == warmth(
        pruned, sources, cutoff=cutoff, as_of=day
    )


@settings(max_examples=50, deadline=None)
@given(small_graphs(strengths=STEPS), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_insertion_order(case, rnd):
    G, sources, cutoff = case
    H = nx.Graph()
    nodes = list(G.nodes)
    rnd.shuffle(nodes)
    H.add_nodes_from(nodes)
    edges = list(G.edges(data=True))
    rnd.shuffle(edges)
    H.add_edges_from((b, a, d) for a, b, d in edges)
    assert warm_routes(G, sources, cutoff=cutoff) == warm_routes(H, sources, cutoff=cutoff)


# --------------------------------------------------------------------------- strength


def test_contact_strength_fades_with_the_documented_half_life():
    day = dt.date(2026, 1, 1)
    assert contact_strength([day], as_of=day) == 0.5
    one_half_life = day - dt.timedelta(days=HALF_LIFE_DAYS)
    assert contact_strength([one_half_life], as_of=day) == pytest.approx(1 / 3)
    assert contact_strength([day - dt.timedelta(days=5 * HALF_LIFE_DAYS)], as_of=day) == FLOOR
    # Contacts after the day do not count; more contacts never weaken a tie.
    assert contact_strength([day + dt.timedelta(days=1)], as_of=day) == FLOOR
    dates = [day - dt.timedelta(days=30 * i) for i in range(6)]
    values = [contact_strength(dates[:i], as_of=day) for i in range(1, 7)]
    assert values == sorted(values)
    with pytest.raises(ValidationError, match="half-life 0"):
        contact_strength([day], as_of=day, half_life=0)


def test_hand_set_strength_wins_over_contacts():
    G = nx.MultiDiGraph(as_of=TODAY)
    G.add_edge("s", "p", key="t1", kind="KNOWS", strength=0.4)
    G.add_edge("s", "q", key="t2", kind="KNOWS", strength=None)
    G.add_edge("s", "r", key="t3", kind="KNOWS", strength=None)
    met = [Contact(f"c{i}", "s", x, TODAY) for i, x in enumerate(["p", "p", "p", "q"])]
    annotate_strengths(G, met)
    assert G.edges["s", "p", "t1"]["warm_strength"] == 0.4
    assert G.edges["s", "p", "t1"]["strength_source"] == strength_mod.HAND_SET
    assert G.edges["s", "q", "t2"]["warm_strength"] == 0.5
    assert G.edges["s", "q", "t2"]["strength_source"] == strength_mod.DERIVED
    assert G.edges["s", "r", "t3"]["warm_strength"] == FLOOR
    assert G.edges["s", "r", "t3"]["strength_source"] == strength_mod.UNKNOWN


# --------------------------------------------------------------------------- ranking


def projection_town(store, day=TODAY):
    ids = build_town(store, "town")
    ws = store.workspace("town")
    return ws, ids, ws.project(as_of=day)


def test_rank_known_answers_on_the_small_town(store):
    ws, t, G = projection_town(store)
    ranked = rank_warm_contacts(G, t["duurzaam"], limit=None, as_of=TODAY)
    by_id = {c.id: c for c in ranked}
    assert set(by_id) == {t["jan"], t["fatma"], t["els"], t["piet"]}
    assert by_id[t["jan"]].warmth == pytest.approx(0.8)
    assert by_id[t["jan"]].path == [t["anna"], t["jan"]]
    fatma = by_id[t["fatma"]]
    assert fatma.warmth == pytest.approx(0.48)
    assert fatma.path == [t["anna"], t["jan"], t["fatma"]]
    assert fatma.reasons[0] == (
        "Via via: Anna de Boer (bibliotheek) → Jan de Vries (Repair Café) → Fatma Yılmaz"
    )
    assert fatma.reasons[1] == "Zwakste schakel: Jan de Vries → Fatma Yılmaz (redelijk, handmatig)"
    assert "Ambassadeur van Repair Café" in fatma.reasons
    assert fatma.introducer == t["jan"]
    els = by_id[t["els"]]
    assert els.path == [t["els"]] and els.via_library and els.warmth == pytest.approx(0.4)
    assert els.reasons[0] == "Directe band met de bibliotheek (zwak, handmatig)"
    piet = by_id[t["piet"]]
    assert piet.warmth == pytest.approx(0.8 * 0.6 * 0.2)
    assert "Organiseert Duurzaamheidsmarkt" in piet.reasons
    # Fatma knows Piet, whom the library does not reach warmly: that is her reach.
    assert fatma.reached == [t["piet"]] and fatma.reach > 0
    for c in ranked:
        assert c.score == pytest.approx(sum(c.contributions.values()))
        assert 0 <= c.score <= 1
        assert c.contributions["warmth"] == pytest.approx(0.5 * c.warmth)
    assert [c.score for c in ranked] == sorted((c.score for c in ranked), reverse=True)


def test_rank_as_dict_has_the_api_fields(store):
    ws, t, G = projection_town(store)
    item = rank_warm_contacts(G, t["duurzaam"], as_of=TODAY)[0].as_dict(G)
    for key in ("id", "name", "score", "warmth", "path", "reasons"):
        assert key in item
    assert all(set(p) >= {"id", "name"} for p in item["path"])


def test_expired_tie_never_counts_in_the_ranking(store):
    ws, t, G = projection_town(store)
    # Bas knew Piet well until 2021: the projection leaves the tie out ...
    assert not G.has_edge(t["bas"], t["piet"])
    # ... and the ranking ignores it even on a graph that still holds it.
    G.add_edge(
        t["bas"],
        t["piet"],
        key="old",
        kind="KNOWS",
        strength=1.0,
        since=dt.date(2020, 1, 1),
        until=dt.date(2021, 1, 1),
    )
    ranked = {c.id: c for c in rank_warm_contacts(G, t["duurzaam"], limit=None, as_of=TODAY)}
    assert ranked[t["piet"]].warmth == pytest.approx(0.096)
    assert t["bas"] not in ranked[t["piet"]].path


def test_targets_of_every_kind(store):
    ws, t, G = projection_town(store)
    org = rank_warm_contacts(G, t["repair"], limit=None, as_of=TODAY)
    assert {c.id for c in org} == {t["jan"], t["fatma"]}
    person = rank_warm_contacts(G, t["fatma"], limit=None, as_of=TODAY)
    assert {c.id for c in person} == {t["fatma"], t["jan"], t["piet"]}
    assert "Is Fatma Yılmaz zelf" in next(c for c in person if c.id == t["fatma"]).reasons
    with pytest.raises(ValidationError, match="is a Staff"):
        rank_warm_contacts(G, t["anna"], as_of=TODAY)
    with pytest.raises(NotFoundError):
        rank_warm_contacts(G, "thm-nothere", as_of=TODAY)
    signals = ecosystem_signals(G, t["duurzaam"], as_of=TODAY)
    assert {s.code for s in signals[t["fatma"]]} >= {"active_on", "ambassador", "central"}


def test_english_reasons(store):
    ws, t, G = projection_town(store)
    fatma = next(
        c
        for c in rank_warm_contacts(G, t["duurzaam"], as_of=TODAY, lang="en")
        if c.id == t["fatma"]
    )
    assert (
        fatma.reasons[0]
        == "Via: Anna de Boer (library) → Jan de Vries (Repair Café) → Fatma Yılmaz"
    )


def test_route_graph_holds_the_routes(store):
    ws, t, G = projection_town(store)
    ranked = rank_warm_contacts(G, t["duurzaam"], as_of=TODAY)
    H = route_graph(G, ranked)
    assert H.nodes[t["anna"]]["role"] == "staff"
    assert H.nodes[t["jan"]]["role"] == "candidate"
    assert H.nodes[t["lib"]]["role"] == "library"
    assert H.edges[t["jan"], t["fatma"]]["strength"] == 0.6


def test_ranking_is_deterministic_and_limited(store):
    ws, t, G = projection_town(store)
    a = [c.as_dict(G) for c in rank_warm_contacts(G, t["duurzaam"], as_of=TODAY)]
    b = [c.as_dict(G) for c in rank_warm_contacts(G.copy(), t["duurzaam"], as_of=TODAY)]
    assert a == b
    assert len(rank_warm_contacts(G, t["duurzaam"], as_of=TODAY, limit=2)) == 2
    with pytest.raises(ValidationError, match="limit -1"):
        rank_warm_contacts(G, t["duurzaam"], as_of=TODAY, limit=-1)


def test_dijkstra_method_ranks_the_same_on_a_random_town():
    rng = random.Random(7)
    G = nx.MultiDiGraph()
    G.add_node("lib", kind="Library", name="Bieb")
    G.add_node("theme", kind="Theme", name="lezen")
    for i in range(4):
        G.add_node(f"s{i}", kind="Staff", name=f"Staff {i}")
    for i in range(80):
        G.add_node(f"p{i:02d}", kind="Person", name=f"Persoon {i}")
        if rng.random() < 0.4:
            G.add_edge(f"p{i:02d}", "theme", kind="ACTIVE_ON")
    people = [n for n, k in G.nodes(data="kind") if k == "Person"]
    for _ in range(220):
        a, b = rng.sample(people + ["s0", "s1", "s2", "s3", "lib"], 2)
        kind = "BOND_WITH" if a.startswith(("s", "lib")) else "KNOWS"
        G.add_edge(a, b, kind=kind, strength=rng.choice([0.2, 0.4, 0.6, 0.8, 1.0, None]))
    fast = rank_warm_contacts(G, "theme", limit=None, as_of=TODAY)
    slow = rank_warm_contacts(G, "theme", limit=None, as_of=TODAY, method="dijkstra")
    assert [(c.id, c.score, c.warmth) for c in fast] == [(c.id, c.score, c.warmth) for c in slow]


# --------------------------------------------------------------------------- the store bridge


def test_warm_contacts_for_a_workspace_and_logging_changes_the_ranking(store):
    ids = build_town(store, "town")
    ws = store.workspace("town")
    theme = resolve_target(ws, "theme", "Duurzaamheid")
    before = {c.id: c for c in warm_contacts(ws, theme, as_of=TODAY, limit=None).contacts}
    assert before[ids["piet"]].warmth == pytest.approx(0.096)

    contact, tie = log_conversation(
        ws,
        staff=ids["bas"],
        person=ids["piet"],
        on=TODAY,
        notes="Koffie bij de markt",
        outcome="follow-up",
    )
    assert tie.strength is None and tie.props["strength_source"] == "derived"
    assert tie.origin == "conversation"
    after = {c.id: c for c in warm_contacts(ws, theme, as_of=TODAY, limit=None).contacts}
    assert after[ids["piet"]].warmth == pytest.approx(0.5)
    assert after[ids["piet"]].path == [ids["bas"], ids["piet"]]
    assert after[ids["piet"]].links[0]["source"] == "derived"
    assert after[ids["piet"]].score > before[ids["piet"]].score

    # A second conversation later opens a new version of the same tie (history kept).
    later = TODAY + dt.timedelta(days=7)
    _, tie2 = log_conversation(ws, staff=ids["bas"], person=ids["piet"], on=later)
    assert tie2.id == tie.id and tie2.version == 2
    assert [v.until for v in ws.tie_history(tie.id)] == [later, None]
    assert warm_contacts(ws, theme, as_of=later, limit=None).contacts

    # A hand-set strength wins over the contact log.
    _, tie3 = log_conversation(ws, staff=ids["bas"], person=ids["piet"], on=later, strength=0.2)
    assert tie3.strength == 0.2 and tie3.props["strength_source"] == "hand-set"
    piet = {c.id: c for c in warm_contacts(ws, theme, as_of=later, limit=None).contacts}
    assert piet[ids["piet"]].warmth == pytest.approx(0.2)


def test_log_conversation_is_all_or_nothing(store):
    ids = build_town(store, "town")
    ws = store.workspace("town")
    with pytest.raises(ValidationError, match="not a staff member"):
        log_conversation(ws, staff=ids["jan"], person=ids["piet"], on=TODAY)
    with pytest.raises(ValidationError, match="lies in the future"):
        log_conversation(
            ws, staff=ids["bas"], person=ids["piet"], on=dt.date.today() + dt.timedelta(days=1)
        )
    with pytest.raises(ValidationError, match="outcome 'great'"):
        log_conversation(ws, staff=ids["bas"], person=ids["piet"], on=TODAY, outcome="great")
    assert list(ws.contacts()) == []


def test_unknown_target_lists_close_matches(store):
    build_town(store, "town")
    ws = store.workspace("town")
    with pytest.raises(NotFoundError) as err:
        resolve_target(ws, "theme", "duurzaam")
    assert "duurzaamheid" in str(err.value)
    with pytest.raises(ValidationError):
        resolve_target(ws, "goal", "x")


def test_community_target_signals():
    G = nx.MultiDiGraph(as_of=TODAY)
    for n, kind in [
        ("lib", "Library"),
        ("anna", "Staff"),
        ("com", "Community"),
        ("thema", "Theme"),
        ("act", "Activity"),
        ("amb", "Person"),
        ("org", "Person"),
        ("fan", "Person"),
        ("old", "Person"),
    ]:
        G.add_node(n, kind=kind, name=n.title())
    G.add_edge("amb", "com", kind="MEMBER_OF", role="ambassador")
    G.add_edge("old", "com", kind="MEMBER_OF", until=dt.date(2025, 1, 1))  # left: not counted
    G.add_edge("com", "act", kind="ORGANISES")
    G.add_edge("org", "act", kind="ORGANISES")
    G.add_edge("com", "thema", kind="ABOUT")
    G.add_edge("fan", "thema", kind="ACTIVE_ON")
    G.add_edge("anna", "amb", kind="KNOWS", strength=0.8)
    G.add_edge("amb", "fan", kind="KNOWS", strength=0.5)
    signals = {p: {s.code for s in sigs} for p, sigs in ecosystem_signals(G, "com").items()}
    assert signals == {
        "amb": {"ambassador", "central"},
        "org": {"organises"},
        "fan": {"community_theme", "central"},
    }
    ranked = rank_warm_contacts(G, "com", limit=None)
    assert [c.id for c in ranked][0] == "amb"
    fan = next(c for c in ranked if c.id == "fan")
    assert fan.path == ["anna", "amb", "fan"] and fan.warmth == pytest.approx(0.4)
    assert "Actief op Thema, een thema van de community" in fan.reasons
