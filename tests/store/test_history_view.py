"""The whole history kept with the shared projection (``Projection.history()``, a view over
its memory, mapper/graph/history.py) equals ``store.project_history`` after every kind of
write, with and without kind filters, node for node and tie version for tie version (keys,
attributes, order); the snapshot before a write keeps its own history; each snapshot knows
which nodes its writes touched (``touched_since``), and the history around the communities
carried over from the snapshot before (``carry_over``) equals the one walked afresh."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pytest

from mapper import communities as com
from mapper import workplan
from mapper.community_history import carry_over, community_history_from
from tests.store import test_projection_cache as base
from tests.store.test_projection_cache import DAYS, _in_another_process, _some, _tie_of, picture

# the demo town on a fixed "today", a fresh copy per test (fixtures of the projection tests)
_today = base._today
demo_file = base.demo_file
store = base.store

FILTERS = [
    {},
    {"tie_kinds": ["MEMBER_OF", "KNOWS"], "kinds": ["Person", "Community"]},
    {"tie_kinds": ["BOND_WITH"]},
    {"kinds": ["Staff", "Library", "Person"]},
]


def assert_history_same(store, slug="demo"):
    """The projection's history equals the store's, for every filter: as a whole, in node
    order, each node's ties in both directions in order, and a subgraph's copy."""
    p = store.projection(slug)
    for kw in FILTERS:
        got, fresh = p.history(**kw), store.project_history(slug, **kw)
        assert picture(got) == picture(fresh), kw
        assert list(got.nodes) == list(fresh.nodes)
        assert len(got) == len(fresh) and got.number_of_edges() == fresh.number_of_edges()
        for n in list(fresh.nodes)[::7]:
            assert list(got.out_edges(n, keys=True, data=True)) == list(
                fresh.out_edges(n, keys=True, data=True)
            ), n
            assert list(got.in_edges(n, keys=True, data=True)) == list(
                fresh.in_edges(n, keys=True, data=True)
            ), n
            assert (n in got) and got.degree(n) == fresh.degree(n)
        some = list(fresh.nodes)[::3]
        assert picture(got.subgraph(some).copy()) == picture(fresh.subgraph(some).copy())
        assert "no-such-node" not in got
        with pytest.raises(nx.NetworkXError, match="[Ff]rozen"):
            got.add_node("x")
    assert p.history() is p.history()  # made once per snapshot and filter
    counts = {k: v for k, v in store.counts(slug).items() if v and k != "contacts"}
    assert {k: v for k, v in p.counts().items() if v} == counts | {"ties": counts.get("ties", 0)}
    assert store.contact_count(slug) == store.counts(slug)["contacts"]


def changed_nodes(before: nx.MultiDiGraph, after: nx.MultiDiGraph) -> set:
    """The nodes whose attributes or tie versions differ between two history graphs."""
    out = {n for n in set(before) | set(after) if before.nodes.get(n) != after.nodes.get(n)}
    b = {k: (u, v, d) for u, v, k, d in before.edges(keys=True, data=True)}
    a = {k: (u, v, d) for u, v, k, d in after.edges(keys=True, data=True)}
    for k in set(a) | set(b):
        if a.get(k) != b.get(k):
            for u, v, _d in filter(None, (a.get(k), b.get(k))):
                out.update((u, v))
    return out


def community_keys(store, slug="demo"):
    """The community histories the web pages ask for: each community with its calendar's
    owners, and all of them at once."""
    ws = store.workspace(slug)
    nodes = com.communities(ws)
    keys = [
        ([n.id], [i["owner"] for i in workplan.records(n, "calendar") if i.get("owner")])
        for n in nodes
    ]
    return [*keys, ([n.id for n in nodes], [])]


def writes(store):
    people = _some(store, "Person")
    theme = _some(store, "Theme")[0]
    ws = store.workspace("demo")
    club = com.communities(ws)[0].id
    member = next(
        t.source for t in store.ties("demo", node=club, kind="MEMBER_OF") if t.target == club
    )
    outsider = next(
        p.id for p in people if not any(t.target == club for t in store.ties("demo", node=p.id))
    )
    staff = _some(store, "Staff")[0]
    return [
        (
            "node created",
            lambda: store.add_node("demo", "Person", "Nieuwe Buur", since="2026-01-01"),
        ),
        (
            "node created later",
            lambda: store.add_node("demo", "Person", "Later", since="2027-01-01"),
        ),
        ("node renamed", lambda: store.update_node("demo", people[4].id, name="Andere Naam")),
        ("member renamed", lambda: store.update_node("demo", member, name="Lid Hernoemd")),
        ("node ended", lambda: store.update_node("demo", people[5].id, until="2026-06-01")),
        ("node back", lambda: store.update_node("demo", people[5].id, until=None)),
        ("node starts later", lambda: store.update_node("demo", people[6].id, since="2027-01-01")),
        (
            "tie added",
            lambda: store.add_tie("demo", "ACTIVE_ON", people[0].id, theme.id, strength=0.4),
        ),
        (
            "tie version from a day",
            lambda: store.change_tie(
                "demo", _tie_of(store, people[1]).id, on="2026-01-15", strength=0.9
            ),
        ),
        (
            "tie version in the future",
            lambda: store.change_tie(
                "demo", _tie_of(store, people[2]).id, on="2027-02-01", strength=0.2
            ),
        ),
        (
            "tie closed",
            lambda: store.end_tie("demo", _tie_of(store, people[3]).id, on="2026-05-01"),
        ),
        ("member joins", lambda: com.add_member(ws, club, outsider, since=dt.date(2026, 10, 1))),
        (
            "library bond",
            lambda: store.add_tie("demo", "BOND_WITH", staff.id, people[7].id, strength=0.8),
        ),
        ("contact", lambda: store.add_contact("demo", people[7].id, people[8].id, on="2026-10-01")),
        ("settings", lambda: store.update_workspace("demo", settings={"review_months": 6})),
        ("node erased", lambda: store.erase_node("demo", people[9].id)),
        ("nodes merged", lambda: store.merge_nodes("demo", people[10].id, people[11].id)),
    ]


def test_history_equals_project_history_at_the_start(store):
    assert_history_same(store)


def test_history_follows_every_kind_of_write(store):
    keys = community_keys(store)
    carried = {"whole": 0, "patched": 0, "walked": 0}
    for name, write in writes(store):
        before = store.projection("demo")
        old = before.history()
        old_picture = picture(old)
        olds = [nx.freeze(community_history_from(old, ids, also=also)) for ids, also in keys]
        write()
        after = store.projection("demo")
        assert after is not before, name
        assert_history_same(store)
        assert picture(before.history()) == old_picture, name  # the old snapshot's history
        new = after.history()
        touched = after.touched_since(before.mark)
        if touched is None:  # built again (a merge): nothing carried over
            assert name == "nodes merged"
            continue
        assert changed_nodes(old, new) <= touched, name
        for (ids, also), was in zip(keys, olds):
            fresh = community_history_from(new, ids, also=also)
            got = carry_over(was, new, touched, ids, also=also)
            if got is None:
                carried["walked"] += 1
                continue
            carried["whole" if got is was else "patched"] += 1
            assert list(got.nodes(data=True)) == list(fresh.nodes(data=True)), name
            assert list(got.edges(keys=True, data=True)) == list(
                fresh.edges(keys=True, data=True)
            ), name
    # each way was taken at least once (else this test proves less than it says)
    assert all(carried.values()), carried


def test_touched_since_spans_several_writes_and_no_other_lineage(store):
    people = _some(store, "Person")
    p0 = store.projection("demo")
    store.update_node("demo", people[0].id, name="Een")
    store.update_node("demo", people[1].id, name="Twee")
    p2 = store.projection("demo")
    assert p2.touched_since(p0.mark) == {people[0].id, people[1].id}
    assert p2.touched_since(p2.mark) == frozenset()
    assert p2.touched_since("a mark it never had") is None
    assert p2.lineage is p0.lineage
    store.merge_nodes("demo", people[2].id, people[3].id)  # built again
    p3 = store.projection("demo")
    assert p3.lineage is not p0.lineage
    assert p3.touched_since(p2.mark) is None


def test_history_follows_writes_by_another_process(store):
    store.projection("demo")
    people = _some(store, "Person")
    person, other = people[0], people[1]
    before = store.projection("demo")
    _in_another_process(
        store.path,
        f"""
        s.update_node("demo", {person.id!r}, name="Van Buiten")
        t = next(t for t in s.ties("demo", node={person.id!r}) if t.until is None)
        s.change_tie("demo", t.id, on="2026-10-31", strength=1.0)
        n = s.add_node("demo", "Person", "Nieuw Van Buiten", since="2025-01-01")
        s.add_tie("demo", "KNOWS", n.id, {other.id!r}, strength=0.6, since="2025-02-01")
        s.end_tie("demo", t.id, on="2027-01-01")
        """,
    )
    after = store.projection("demo")
    assert after is not before
    assert_history_same(store)
    assert changed_nodes(before.history(), after.history()) <= after.touched_since(before.mark)


def test_history_after_an_import(store, tmp_path):
    from mapper.io.plan import plan_import
    from mapper.io.readers import read_file

    store.projection("demo")
    csv = tmp_path / "relaties.csv"
    csv.write_text(
        "soort;naam;thema's\npersoon;Geïmporteerde Persoon;duurzaamheid\n", encoding="utf-8"
    )
    plan_import(store, "demo", read_file(csv)).apply()
    assert_history_same(store)
    assert "Geïmporteerde Persoon" in {
        d["name"] for d in store.projection("demo").history().nodes.values()
    }


def test_as_of_views_unchanged_beside_the_history(store):
    p = store.projection("demo")
    p.history()
    for day in DAYS:
        assert picture(p.as_of(day)) == picture(store.project("demo", as_of=day)), day
