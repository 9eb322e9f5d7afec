"""The demo town (seeds/demo.py): sizes, determinism, history, names and the theme ecosystems."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter

import networkx as nx
import pytest
from networkx.algorithms import community as nx_community

from mapper.errors import ConflictError
from mapper.model import ROLES, NodeKind, check_tie_kinds
from mapper.store import SQLiteStore
from seeds.demo import DEFAULT_TODAY, HISTORY_MONTHS, XSS_NAME, add_months, seed_demo

WS = "demo"
START = add_months(DEFAULT_TODAY, -HISTORY_MONTHS)


@pytest.fixture(scope="module")
def seeded():
    """One in-memory store with the demo town, shared by the read-only tests here."""
    store = SQLiteStore(":memory:")
    counts = seed_demo(store, WS)
    yield store, counts
    store.close()


@pytest.fixture(scope="module")
def graph(seeded):
    store, _ = seeded
    return store.project(WS, as_of=DEFAULT_TODAY)


def _content(store: SQLiteStore, workspace: str) -> tuple[list, list, list]:
    """Everything in a workspace except the ``recorded_at`` timestamps."""
    nodes = [
        (n.id, n.kind, n.name, n.props, n.since, n.until, n.origin, n.version)
        for n in store.nodes(workspace)
    ]
    ties = [
        (
            t.id,
            t.version,
            t.kind,
            t.source,
            t.target,
            t.strength,
            t.since,
            t.until,
            t.role,
            t.origin,
            t.props,
            t.current,
        )
        for t in store.ties(workspace, history=True)
    ]
    contacts = [
        (c.id, c.a, c.b, c.on, c.mode, c.notes, c.outcome) for c in store.contacts(workspace)
    ]
    return nodes, ties, contacts


def _members(graph: nx.MultiDiGraph, community: str, role: str | None = None) -> list[str]:
    return [
        u
        for u, _, data in graph.in_edges(community, data=True)
        if data["kind"] == "MEMBER_OF"
        and graph.nodes[u]["kind"] == "Person"
        and (role is None or data["role"] == role)
    ]


# --------------------------------------------------------------------------- sizes


def test_counts_meet_the_minimums(seeded):
    store, counts = seeded
    assert counts == {
        **store.counts(WS),
        "tie_changes": counts["tie_changes"],
        "ties_ended": counts["ties_ended"],
    }
    assert counts["Library"] == 1
    assert 6 <= counts["Staff"] <= 8
    assert counts["Person"] >= 150
    assert counts["Organisation"] >= 40
    assert counts["Activity"] >= 30
    assert counts["Channel"] >= 10
    assert counts["Community"] == 3
    assert counts["SmartGoal"] >= 3
    assert counts["Goal"] >= 4 and counts["Theme"] >= 8
    assert counts["contacts"] >= 300
    assert counts["tie_changes"] >= 50 and counts["ties_ended"] >= 20


def test_channels_are_online_and_offline(seeded):
    store, _ = seeded
    modes = Counter(n.props["mode"] for n in store.nodes(WS, kind="Channel"))
    assert modes["online"] >= 4 and modes["offline"] >= 3
    media = {n.props["medium"] for n in store.nodes(WS, kind="Channel")}
    assert {
        "Facebook-groep",
        "WhatsApp-groep",
        "meetup.com",
        "KennisCloud",
        "lokale krant",
    } <= media


def test_entities_carry_their_documented_props(seeded):
    store, _ = seeded
    assert all(n.props.get("type") for n in store.nodes(WS, kind="Organisation"))
    for act in store.nodes(WS, kind="Activity"):
        assert act.props["schedule"] and act.props["place"] and act.since is not None
    assert any(
        a.until is not None and a.until <= DEFAULT_TODAY for a in store.nodes(WS, kind="Activity")
    )
    for person in store.nodes(WS, kind="Person"):
        assert person.props["lawful_basis"] in ("consent", "legitimate_interest")
        assert person.props["data_source"]
    for goal in store.nodes(WS, kind="SmartGoal"):
        assert goal.props["metric"] in ("members", "ambassadors", "activities_per_month")
        assert isinstance(goal.props["target"], int)
        assert dt.date.fromisoformat(goal.props["deadline"]) > DEFAULT_TODAY


def test_ids_are_readable_and_prefixed(seeded):
    store, _ = seeded
    for node in store.nodes(WS):
        assert re.fullmatch(r"[a-z]{3}-[0-9a-f]{12}", node.id), node.id
    assert store.lookup(WS, "Fatma Yılmaz", kind="Person").id.startswith("per-")


# --------------------------------------------------------------------------- determinism


def test_two_seeds_give_the_same_town():
    first, second = SQLiteStore(":memory:"), SQLiteStore(":memory:")
    try:
        seed_demo(first, WS)
        seed_demo(second, "other")
        a, b = _content(first, WS), _content(second, "other")
        assert a == b
        assert len(a[0]) > 250 and len(a[1]) > 2000 and len(a[2]) > 300
    finally:
        first.close()
        second.close()


def test_today_moves_the_whole_history():
    today = dt.date(2025, 3, 31)
    with SQLiteStore(":memory:") as store:
        seed_demo(store, WS, today=today)
        days = [c.on for c in store.contacts(WS)]
        assert min(days) >= add_months(today, -HISTORY_MONTHS) and max(days) < today
        changed = [t.since for t in store.ties(WS, history=True) if t.version > 1]
        assert changed and max(changed) < today
        assert store.get_workspace(WS).settings["demo_today"] == today.isoformat()


def test_seeding_an_existing_workspace_writes_nothing(seeded, tmp_path):
    with SQLiteStore(tmp_path / "x.db") as store:
        store.create_workspace(WS, "Bestaand")
        with pytest.raises(ConflictError):
            seed_demo(store, WS)
        assert sum(store.counts(WS)[k.value] for k in NodeKind) == 0
        assert store.get_workspace(WS).name == "Bestaand"


# --------------------------------------------------------------------------- validity


def test_every_tie_fits_the_model(seeded):
    store, _ = seeded
    kinds = {n.id: n.kind for n in store.nodes(WS)}
    for tie in store.ties(WS, history=True):
        check_tie_kinds(tie.kind, kinds[tie.source], kinds[tie.target])
        assert tie.role is None or tie.role in ROLES[tie.kind]
        assert tie.strength is None or 0 <= tie.strength <= 1
        assert tie.since is not None and tie.since < DEFAULT_TODAY
        assert tie.until is None or tie.since < tie.until <= DEFAULT_TODAY
        for end in (tie.source, tie.target):  # no tie outlives or predates its ends
            node = store.get_node(WS, end)
            assert node.since is None or node.since <= tie.since
            assert node.until is None or (tie.until is not None and tie.until <= node.until)


def test_contacts_fall_inside_the_window_and_name_both_sides(seeded):
    store, _ = seeded
    kinds = {n.id: n.kind for n in store.nodes(WS)}
    contacts = list(store.contacts(WS))
    assert all(START <= c.on < DEFAULT_TODAY for c in contacts)
    months = Counter((c.on.year, c.on.month) for c in contacts)
    assert len(months) == HISTORY_MONTHS  # every month has contact moments
    pairs = Counter(tuple(sorted((kinds[c.a].value, kinds[c.b].value))) for c in contacts)
    assert pairs[("Person", "Staff")] >= 200 and pairs[("Person", "Person")] >= 100
    assert all(c.notes and c.mode for c in contacts)


# --------------------------------------------------------------------------- history


def test_ties_change_and_end_over_the_months(seeded):
    store, _ = seeded
    history = list(store.ties(WS, history=True))
    changed = {t.id for t in history if t.version > 1}
    assert len(changed) >= 50
    by_id: dict[str, list] = {}
    for tie in history:
        by_id.setdefault(tie.id, []).append(tie)
    for tie_id in changed:  # each change closed the old version on the day the new one began
        old, new = by_id[tie_id][-2:]
        assert old.until == new.since and not old.current and new.current
    ended = [t for t in store.ties(WS) if t.until is not None]
    assert len(ended) >= 20
    starts = Counter(t.since.year for t in history if t.version == 1)
    assert len(starts) >= 5  # ties began in many different years


def test_communities_grow_over_24_months(seeded, graph):
    store, _ = seeded
    then = store.project(WS, as_of=START)
    half = store.project(WS, as_of=add_months(DEFAULT_TODAY, -12))
    communities = {n.name: n.id for n in store.nodes(WS, kind="Community")}
    assert set(communities) == {
        "Taalmaatjes Rijnstad",
        "Repair & Reuse Rijnstad",
        "Samen in de Wijk",
    }
    size_then = {
        name: len(_members(then, cid)) if cid in then else 0 for name, cid in communities.items()
    }
    size_half = {
        name: len(_members(half, cid)) if cid in half else 0 for name, cid in communities.items()
    }
    size_now = {name: len(_members(graph, cid)) for name, cid in communities.items()}
    for name in communities:
        assert size_then[name] <= size_half[name] < size_now[name], name
    assert sum(size_now.values()) >= 2 * sum(size_then.values()) + 30
    # Some members left: an ended MEMBER_OF tie to each community.
    for cid in communities.values():
        left = [t for t in store.ties(WS, node=cid, kind="MEMBER_OF") if t.until is not None]
        assert left, cid


def test_communities_have_ambassadors_roles_and_smart_goals(seeded, graph):
    store, _ = seeded
    communities = {n.name: n for n in store.nodes(WS, kind="Community")}
    roles = {}
    for name, com in communities.items():
        assert com.props["bond_type"] in ("geography", "identity", "affinity")
        assert com.props["traits"]
        assert _members(graph, com.id, "ambassador"), name
        roles[name] = sorted(
            d["role"] for _, _, d in graph.in_edges(com.id, data=True) if d["kind"] == "HAS_ROLE"
        )
        out = [
            (graph.nodes[v]["kind"], d["kind"]) for _, v, d in graph.out_edges(com.id, data=True)
        ]
        assert ("Theme", "ABOUT") in out and ("Goal", "SERVES") in out
        assert ("SmartGoal", "PURSUES") in out
    assert {c.props["bond_type"] for c in communities.values()} == {
        "geography",
        "identity",
        "affinity",
    }
    assert roles["Taalmaatjes Rijnstad"] == ["builder", "connector", "driver"]
    assert roles["Samen in de Wijk"] == ["builder", "connector"]  # the driver is missing
    # An ambassador became one after joining (a role change in history).
    promoted = [
        t for t in store.ties(WS, kind="MEMBER_OF") if t.role == "ambassador" and t.version > 1
    ]
    assert promoted


# --------------------------------------------------------------------------- names


def test_names_look_like_a_mixed_dutch_town(seeded):
    store, _ = seeded
    names = [n.name for n in store.nodes(WS, kind=["Person", "Staff"])]
    assert len(names) == len(set(names))
    for particle in (" de ", " van ", " van der ", " van den ", " ter "):
        assert any(particle in f" {name} " for name in names), particle
    accented = [
        n
        for n in names
        if any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", n))
        or "ı" in n
        or "ł" in n.lower()
    ]
    assert len(accented) >= 20
    for name in (
        "Eline Çelik",
        "Fatma Yılmaz",
        "René de Bruijn",
        "Daniël Bakker",
        "Chloë van Dijk",
    ):
        assert name in names
    assert any(name.startswith("Zoë ") for name in names)
    assert XSS_NAME not in names and not any("<" in name for name in names)


def test_knows_network_has_communities_and_bridges(graph):
    people = nx.Graph()
    people.add_nodes_from(n for n, d in graph.nodes(data=True) if d["kind"] == "Person")
    people.add_edges_from(
        (u, v)
        for u, v, d in graph.edges(data=True)
        if d["kind"] == "KNOWS" and u in people and v in people
    )
    assert people.number_of_edges() >= 2 * people.number_of_nodes()
    giant = max(nx.connected_components(people), key=len)
    assert len(giant) >= 0.9 * people.number_of_nodes()  # bridges join the circles
    parts = nx_community.greedy_modularity_communities(people)
    assert nx_community.modularity(people, parts) > 0.4  # clustered, not random noise
    assert len([p for p in parts if len(p) >= 10]) >= 4


# --------------------------------------------------------------------------- the theme scans


def _library_themes(graph: nx.MultiDiGraph) -> set[str]:
    library = next(n for n, d in graph.nodes(data=True) if d["kind"] == "Library")
    goals = [v for _, v, d in graph.out_edges(library, data=True) if d["kind"] == "PURSUES"]
    return {v for g in goals for _, v, d in graph.out_edges(g, data=True) if d["kind"] == "ABOUT"}


def test_theme_scan_shows_overlap_and_gaps(graph):
    library = _library_themes(graph)
    themes = {n: d for n, d in graph.nodes(data=True) if d["kind"] == "Theme"}
    in_town = {n for n, d in themes.items() if d["props"].get("signals")}
    assert len(library & in_town) >= 5  # overlap
    assert in_town - library  # the town has themes the library does not pursue
    assert library - in_town  # and the library one the town does not show
    names = {themes[n]["name"] for n in in_town - library}
    assert {"sport en bewegen", "mobiliteit"} <= names
    signals = {s for d in themes.values() for s in d["props"].get("signals", [])}
    assert {"lokale krant", "Facebook", "meetup.com", "collega's"} <= signals


def test_every_library_theme_has_an_ecosystem(graph):
    bonded = {v for u, v, d in graph.edges(data=True) if d["kind"] == "BOND_WITH"}
    for theme in _library_themes(graph):
        around = Counter()
        with_bond = 0
        for u, _, d in graph.in_edges(theme, data=True):
            kind = graph.nodes[u]["kind"]
            if (d["kind"], kind) in {
                ("ACTIVE_ON", "Person"),
                ("ACTIVE_ON", "Organisation"),
                ("ABOUT", "Activity"),
            }:
                around[kind] += 1
                with_bond += u in bonded
        name = graph.nodes[theme]["name"]
        assert around["Person"] >= 5 and around["Organisation"] >= 1, name
        assert around["Activity"] >= 1, name
        assert with_bond >= 1, name


def test_fewer_than_half_have_a_bond(graph):
    bonded = {v for u, v, d in graph.edges(data=True) if d["kind"] == "BOND_WITH"}
    for kind in ("Person", "Organisation"):
        all_of_kind = [n for n, d in graph.nodes(data=True) if d["kind"] == kind]
        share = len(bonded & set(all_of_kind)) / len(all_of_kind)
        assert 0.1 <= share < 0.5, (kind, share)


def test_staff_know_residents_and_work_at_the_library(graph):
    staff = [n for n, d in graph.nodes(data=True) if d["kind"] == "Staff"]
    for s in staff:
        kinds = Counter(
            (d["kind"], graph.nodes[v]["kind"]) for _, v, d in graph.out_edges(s, data=True)
        ) + Counter((d["kind"], graph.nodes[u]["kind"]) for u, _, d in graph.in_edges(s, data=True))
        assert kinds[("WORKS_AT", "Library")] == 1
        assert kinds[("KNOWS", "Person")] >= 5
        assert graph.nodes[s]["props"]["job_title"]
    titles = {graph.nodes[s]["props"]["job_title"] for s in staff}
    assert {"community librarian", "leesconsulent"} <= titles


def test_contacts_happen_between_people_who_know_each_other(seeded):
    store, _ = seeded
    since: dict[tuple[str, str], dt.date] = {}
    for tie in store.ties(WS, kind="KNOWS", history=True):
        pair = tuple(sorted((tie.source, tie.target)))
        since[pair] = min(tie.since, since.get(pair, tie.since))
    for contact in store.contacts(WS):
        pair = tuple(sorted((contact.a, contact.b)))
        assert pair in since and since[pair] <= contact.on, contact


def test_some_residents_are_reachable_only_via_via(seeded, graph):
    from seeds.demo import VIA_VIA

    store, _ = seeded
    staff = {n.id for n in store.nodes(WS, kind="Staff")}
    names = {
        "kees": "Kees Dekker",
        "tesfay": "Tesfay Ghebremedhin",
        "agnieszka": "Agnieszka Wiśniewska",
    }
    assert set(VIA_VIA) == set(names)
    knows = nx.Graph(
        (u, v) for u, v, d in graph.edges(data=True) if d["kind"] in ("KNOWS", "BOND_WITH")
    )
    for name in names.values():
        person = store.lookup(WS, name, kind="Person").id
        assert not set(knows[person]) & staff, name  # no staff member knows them directly
        hops = min(nx.shortest_path_length(knows, s, person) for s in staff if s in knows)
        assert hops == 2, name  # but someone a staff member knows does


def test_a_bad_today_is_named_and_writes_nothing():
    from mapper.errors import ValidationError

    with SQLiteStore(":memory:") as store:
        with pytest.raises(ValidationError, match="gisteren"):
            seed_demo(store, WS, today="gisteren")
        assert store.workspaces() == []
