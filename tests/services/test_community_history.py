"""The history read around the communities (mapper.community_history) answers every community
question exactly as the whole workspace's history does: on the demo town (every community,
every date of its series), on the hand-built Leesclub, and on cases built to catch what a
neighbourhood read could miss (reach through someone who is not a member, an activity of a
member who left, a goal, a staff member's bond, other people's ties)."""

from __future__ import annotations

import datetime as dt

import pytest

from mapper import communities as com
from mapper import workplan
from mapper.analysis.community import (
    community_changes,
    community_start,
    connectedness,
    connectedness_series,
    series_dates,
)
from mapper.analysis.goals import community_goals, goal_progress_series
from mapper.analysis.pulse import pulse
from mapper.community_history import community_history, goal_community
from mapper.store import SQLiteStore
from tests.community_fixtures import build_leesclub


def answers(G, cid: str, dates: list[dt.date], calendar=()) -> dict:
    """Everything the community pages and the CLI ask of a history graph."""
    first = community_start(G, cid)
    out = {
        "pulse": [
            pulse(G, cid, as_of=d, calendar=calendar) for d in dates[:: max(1, len(dates) // 3)]
        ],
        "start": first,
        "series": connectedness_series(G, cid, dates),
        "points": [connectedness(G, cid, as_of=d) for d in dates[:: max(1, len(dates) // 6)]],
        "profiles": [com.profile(G, cid, as_of=d) for d in dates[:: max(1, len(dates) // 4)]],
        "goals": [(goal, goal_progress_series(G, goal, dates)) for goal in community_goals(G, cid)],
    }
    if len(dates) > 1:
        changes = community_changes(G, cid, dates[0], dates[-1])
        out["changes"] = (changes, com.describe(G, changes))
    return out


def dates_of(G, cid: str) -> list[dt.date]:
    first = community_start(G, cid) or dt.date(2024, 1, 1)
    start = first - dt.timedelta(days=40)
    return series_dates(start, dt.date.today() + dt.timedelta(days=400), every="week")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from seeds.demo import seed_demo

    store = SQLiteStore(tmp_path_factory.mktemp("hist") / "demo.db")
    seed_demo(store, "demo")
    yield store.workspace("demo")
    store.close()


def test_demo_town_every_community_same_answers(demo):
    full = com.load_history(demo)
    communities = com.communities(demo)
    assert len(communities) == 3
    for node in communities:
        calendar = workplan.records(node, "calendar")
        owners = [item.get("owner") for item in calendar]
        part = community_history(demo, [node.id], also=owners)
        assert part.number_of_edges() < full.number_of_edges()
        dates = dates_of(full, node.id)
        assert answers(part, node.id, dates, calendar) == answers(full, node.id, dates, calendar)


def test_demo_town_all_communities_at_once(demo):
    full = com.load_history(demo)
    ids = [n.id for n in com.communities(demo)]
    both = community_history(demo, ids)
    today = dt.date.today()
    for cid in ids:
        assert connectedness(both, cid, as_of=today) == connectedness(full, cid, as_of=today)
    # it is a part of the whole history: the same nodes and edges with the same attributes
    for n, attrs in both.nodes(data=True):
        assert full.nodes[n] == attrs
    for u, v, key, attrs in both.edges(keys=True, data=True):
        assert full.edges[u, v, key] == attrs


def test_leesclub_same_answers(store):
    ws = store.create_workspace("lees", "Bibliotheek Leesstad")
    ids = build_leesclub(ws)
    full = ws.project_history()
    part = community_history(ws, [ids["club"]])
    dates = dates_of(full, ids["club"])
    assert answers(part, ids["club"], dates) == answers(full, ids["club"], dates)


def test_what_a_neighbourhood_read_could_miss(store):
    ws = store.create_workspace("t", "Test")
    lib = ws.add_node("Library", "Bieb").id
    staff = ws.add_node("Staff", "Sam").id
    club = ws.add_node("Community", "Club").id
    other_club = ws.add_node("Community", "Other").id
    ann, bob, cas, dirk, eve = (
        ws.add_node("Person", n).id for n in ["Ann", "Bob", "Cas", "Dirk", "Eve"]
    )
    org = ws.add_node("Organisation", "Buurthuis").id
    act = ws.add_node("Activity", "Repair café", props={"dates": ["2025-03-01", "2025-06-01"]}).id
    ws.add_tie("MEMBER_OF", ann, club, since="2025-01-01")
    ws.add_tie("MEMBER_OF", bob, club, since="2025-01-01", until="2025-05-01", role="ambassador")
    ws.add_tie("MEMBER_OF", org, club, since="2025-02-01")
    ws.add_tie("MEMBER_OF", eve, other_club, since="2025-01-01")
    ws.add_tie("KNOWS", ann, bob, since="2025-01-15", strength=0.6)
    # reach: Ann knows Cas (not a member), Cas has a bond with the library
    ws.add_tie("KNOWS", ann, cas, since="2025-02-01")
    ws.add_tie("BOND_WITH", lib, cas, since="2025-03-01")
    # Dirk belongs to the member organisation... and the organisation is bonded via staff
    ws.add_tie("MEMBER_OF", dirk, org, since="2025-01-01")
    ws.add_tie("BOND_WITH", staff, org, since="2025-04-01")
    # Bob organises an activity, then leaves; Eve's ties have nothing to do with the club
    ws.add_tie("ORGANISES", bob, act, since="2025-01-01")
    ws.add_tie("KNOWS", eve, dirk, since="2025-01-01")
    ws.add_tie("BOND_WITH", lib, eve, since="2025-01-01")
    ws.add_tie("HAS_ROLE", staff, club, since="2025-01-01", role="builder")
    tie = ws.add_tie("KNOWS", ann, staff, since="2025-05-01", strength=0.2)
    ws.change_tie(tie.id, on="2025-08-01", strength=0.9)  # a second version
    goal = ws.add_node(
        "SmartGoal",
        "Twenty members",
        props={"metric": "members", "target": 20, "deadline": "2026-01-01"},
        since="2025-01-01",
    ).id
    ws.add_tie("PURSUES", club, goal, since="2025-01-01")
    # the pulse: a session the library organises about the club's theme counts for the library;
    # a calendar item owned by someone outside the club is looked up by kind
    theme = ws.add_node("Theme", "Repareren").id
    ws.add_tie("ABOUT", club, theme, since="2025-01-01")
    talk = ws.add_node("Activity", "Lezing", props={"dates": ["2025-04-10"]}).id
    ws.add_tie("ORGANISES", lib, talk, since="2025-01-01")
    ws.add_tie("ABOUT", talk, theme, since="2025-01-01")
    calendar = [{"id": "c1", "date": "2025-04-02", "owner": eve}]
    full = ws.project_history(tie_kinds=com.HISTORY_TIE_KINDS)
    part = community_history(ws, [club], also=[eve])
    lib_side = pulse(part, club, as_of=dt.date(2025, 4, 30), calendar=calendar)[-1]
    assert lib_side == pulse(full, club, as_of=dt.date(2025, 4, 30), calendar=calendar)[-1]
    assert lib_side["library"] == 1 and lib_side["members"] == 1, lib_side
    assert answers(part, club, series_dates("2024-12-01", "2026-02-01"), calendar) == answers(
        full, club, series_dates("2024-12-01", "2026-02-01"), calendar
    )
    part = community_history(ws, [club])
    assert eve not in part  # the other community's member: not read
    dates = series_dates("2024-12-01", "2026-02-01", every="week")
    assert answers(part, club, dates) == answers(full, club, dates)
    point = connectedness(part, club, as_of="2025-04-15")
    # Ann is reached only through Cas's bond, read from the library's side
    assert (point["bonded"], point["library_reach"], point["activities_90d"]) == (0, 0.5, 1)
    assert goal_community(ws, goal) == [club]
