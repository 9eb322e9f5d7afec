"""Contract: ``project_around`` is the projection near the centres, on the day itself.

Hand-made town whose ties and entities start, end and change exactly on the day looked at
(and the day before), with ties among the outermost ring and a kind filter: every adapter's
neighbourhood equals ``project(as_of=..., kinds=...)`` restricted to the nodes within
``depth`` ties (``nx.ego_graph``, either direction), attributes included.
"""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pytest

DAY = "2024-06-01"
DAYS = ("2023-01-01", "2024-05-31", DAY, "2024-06-02", None)


def _town(ws):
    add = ws.add_node
    theme = add("Theme", "Lezen", id="thm-1")
    p = {i: add("Person", f"P{i}", id=f"per-{i}") for i in range(1, 8)}
    gone = add("Person", "Weg", id="per-gone", since="2024-01-01", until=DAY)
    late = add("Person", "Later", id="per-late", since=DAY)
    org = add("Organisation", "Club", id="org-1", props={"city": "Zwolle"})
    staff = add("Staff", "Anna", id="stf-1")
    ws.add_node("Library", "Bieb", id="lib-1")
    ws.add_tie("WORKS_AT", staff.id, "lib-1")
    tie = ws.add_tie
    tie("ACTIVE_ON", p[1].id, theme.id, since="2024-01-01", strength=0.8)
    tie("ACTIVE_ON", p[2].id, theme.id, since=DAY)  # starts on the day
    tie("ACTIVE_ON", p[3].id, theme.id, since="2024-01-01", until=DAY)  # ends on the day
    tie("ACTIVE_ON", gone.id, theme.id, since="2024-01-01")  # its entity ends on the day
    tie("ACTIVE_ON", late.id, theme.id)  # its entity starts on the day
    changed = tie("KNOWS", p[1].id, p[4].id, since="2024-01-01", strength=0.3)
    ws.change_tie(changed.id, on=DAY, strength=0.9)  # a new version from the day
    tie("KNOWS", p[5].id, p[2].id, since="2024-01-01", role=None)
    tie("KNOWS", p[3].id, p[6].id)
    tie("KNOWS", p[4].id, p[5].id)  # between two entities of the outer ring
    tie("KNOWS", p[6].id, p[7].id)
    tie("MEMBER_OF", p[4].id, org.id, role="member")
    tie("MEMBER_OF", p[7].id, org.id)
    tie("ACTIVE_ON", org.id, theme.id, until="2024-06-02")
    tie("BOND_WITH", staff.id, p[1].id, strength=0.5)
    tie("KNOWS", late.id, p[7].id, since=DAY)
    return theme


def _reference(ws, centres, depth, day, kinds):
    whole = ws.project(as_of=day, kinds=kinds)
    near: set[str] = set()
    for c in centres:
        if c in whole:
            near |= set(nx.ego_graph(whole, c, radius=depth, undirected=True))
    return whole, whole.subgraph(near)


def _same(got, whole, want):
    assert sorted(got.nodes) == sorted(want.nodes)
    assert sorted(got.edges(keys=True)) == sorted(want.edges(keys=True))
    for n in got:
        assert got.nodes[n] == whole.nodes[n]
    for u, v, key in got.edges(keys=True):
        assert got.edges[u, v, key] == whole.edges[u, v, key]
    assert got.graph == whole.graph


@pytest.mark.parametrize("kinds", [None, ["Person", "Theme"], ["Person", "Organisation", "Staff"]])
def test_project_around_equals_the_projection_restricted(ws, kinds):
    theme = _town(ws)
    centre_sets = ([theme.id], ["per-4"], ["per-7", "per-gone"], ["stf-1", "no-such-id"])
    for day in DAYS:
        for centres in centre_sets:
            for depth in (0, 1, 2, 3):
                got = ws.project_around(centres, depth=depth, as_of=day, kinds=kinds)
                whole, want = _reference(ws, centres, depth, day, kinds)
                _same(got, whole, want)


def test_project_around_on_the_day_sees_what_starts_and_not_what_ends(ws):
    theme = _town(ws)
    on_day = ws.project_around([theme.id], depth=1, as_of=DAY)
    before = ws.project_around([theme.id], depth=1, as_of="2024-05-31")
    assert set(on_day) == {theme.id, "per-1", "per-2", "per-late", "org-1"}
    assert set(before) == {theme.id, "per-1", "per-3", "per-gone", "org-1"}
    two = ws.project_around([theme.id], depth=2, as_of=DAY)
    # The changed tie is there once, in its version of the day.
    (key,) = two["per-1"]["per-4"]
    assert two["per-1"]["per-4"][key]["strength"] == 0.9
    assert two["per-1"]["per-4"][key]["version"] == 2
    assert two.has_edge("per-4", "per-5")  # both in the outer ring
    assert not two.has_node("org-1") or two.has_edge("org-1", theme.id)
    assert two.graph["as_of"] == dt.date(2024, 6, 1)
