"""Connectedness of a community, its series, what changed, SMART goals and the readiness check.

Known answers come from the hand-built "Leesclub" (tests/community_fixtures.py), whose
metrics on four dates are worked out by hand there; random graphs check that the one-sweep
series gives exactly what the per-date function gives.
"""

from __future__ import annotations

import datetime as dt
import random

import networkx as nx
import pytest

from mapper import communities as com
from mapper.analysis.community import (
    METRICS,
    community_changes,
    community_start,
    connectedness,
    connectedness_series,
    series_dates,
)
from mapper.analysis.goals import (
    add_measurement,
    check_goal_props,
    community_goals,
    goal_progress,
    goal_progress_series,
    smart_goal,
)
from mapper.analysis.readiness import QUESTIONS, check_answers, readiness
from mapper.errors import ConflictError, NotFoundError, ValidationError
from mapper.model import valid_on
from tests.community_fixtures import D1, D2, D3, D4, EXPECTED, build_leesclub


@pytest.fixture
def leesclub(store):
    ws = store.create_workspace("lees", "Bibliotheek Leesstad")
    ids = build_leesclub(ws)
    return ws, ids


def _close(point, expected):
    for key, value in expected.items():
        assert point[key] == pytest.approx(value), key


# --------------------------------------------------------------------------- known answers


@pytest.mark.parametrize("day", [D1, D2, D3, D4])
def test_metrics_on_a_day_match_the_hand_computed_values(leesclub, day):
    ws, ids = leesclub
    point = connectedness(ws.project_history(), ids["club"], as_of=day)
    assert point["date"] == day.isoformat()
    _close(point, EXPECTED[day])
    assert point["roles"] == {"builder": [ids["sanne"]], "connector": [], "driver": []}


@pytest.mark.parametrize("day", [D1, D2, D3, D4])
def test_a_projection_gives_the_same_metrics_as_the_history(leesclub, day):
    ws, ids = leesclub
    projected = connectedness(ws.project(as_of=day), ids["club"])
    history = connectedness(ws.project_history(), ids["club"], as_of=day)
    looking_back = {"activities_30d", "activities_90d"}
    assert {k: v for k, v in projected.items() if k not in looking_back} == {
        k: v for k, v in history.items() if k not in looking_back
    }
    if day == D4:  # Dirk organised the Boekenruil in April and has left by July:
        assert (projected["activities_90d"], history["activities_90d"]) == (0, 1)


def test_series_equals_the_per_date_results(leesclub):
    ws, ids = leesclub
    history = ws.project_history()
    days = series_dates("2024-12-01", "2025-08-15", every="week")
    series = connectedness_series(history, ids["club"], days)
    assert [p["date"] for p in series] == [d.isoformat() for d in days]
    assert series == [connectedness(history, ids["club"], as_of=d) for d in days]
    by_day = {p["date"]: p for p in connectedness_series(history, ids["club"], [D4, D1, D3, D2])}
    for day, expected in EXPECTED.items():
        _close(by_day[day.isoformat()], expected)


def test_series_dates_monthly_weekly_and_errors():
    assert series_dates("2025-01-31", "2025-03-31") == [
        dt.date(2025, 1, 31),
        dt.date(2025, 2, 28),
        dt.date(2025, 3, 31),
    ]
    assert len(series_dates("2025-01-01", "2026-12-01")) == 24
    assert series_dates("2025-01-01", "2025-01-20", every="week")[-1] == dt.date(2025, 1, 20)
    with pytest.raises(ValidationError, match="lies before"):
        series_dates("2025-02-01", "2025-01-01")
    with pytest.raises(ValidationError, match="'day'"):
        series_dates("2025-01-01", "2025-02-01", every="day")


def test_bad_community_is_named(leesclub):
    ws, ids = leesclub
    history = ws.project_history()
    with pytest.raises(NotFoundError, match="nope"):
        connectedness(history, "nope", as_of=D1)
    with pytest.raises(ValidationError, match="is a Person, not a community"):
        connectedness_series(history, ids["anna"], [D1])


def test_empty_community_gives_zeros_not_errors(store):
    ws = store.create_workspace("leeg")
    club = ws.add_node("Community", "Nog niemand").id
    point = connectedness(ws.project_history(), club, as_of="2025-01-01")
    assert point["members"] == 0 and point["density"] == 0.0 and point["components"] == 0
    assert point["average_strength"] is None and point["library_reach"] == 0.0
    assert community_start(ws.project_history(), club) is None


# --------------------------------------------------------------------------- sweep = per date


def _random_graph(seed: int, people: int = 24) -> nx.MultiDiGraph:
    """A random history graph: nodes and ties with random (sometimes empty or open)
    intervals, parallel and same-day ties, people, organisations, staff and activities."""
    r = random.Random(seed)
    base = dt.date(2024, 1, 1)

    def day():
        return base + dt.timedelta(days=r.randrange(0, 700)) if r.random() < 0.7 else None

    def interval():
        a, b = day(), day()
        if a and b and b < a:
            a, b = b, a
        return a, b

    G = nx.MultiDiGraph()
    G.add_node("com", kind="Community")
    G.add_node("lib", kind="Library")
    for i in range(3):
        s, u = interval()
        G.add_node(f"s{i}", kind="Staff", since=s, until=u)
    names = [f"p{i:02}" for i in range(people)]
    for p in names:
        s, u = interval() if r.random() < 0.3 else (None, None)
        G.add_node(
            p, kind=r.choice(["Person", "Person", "Person", "Organisation"]), since=s, until=u
        )
    k = 0
    for p in names:
        for _ in range(r.randrange(0, 3)):
            s, u = interval()
            k += 1
            G.add_edge(
                p,
                "com",
                key=f"t{k}",
                kind="MEMBER_OF",
                since=s,
                until=u,
                role=r.choice([None, "ambassador", "member"]),
            )
    for _ in range(people * 3):
        a, b = r.sample(names, 2)
        s, u = interval()
        k += 1
        G.add_edge(
            a,
            b,
            key=f"t{k}",
            kind=r.choice(["KNOWS", "KNOWS", "MEMBER_OF", "ATTENDS"]),
            since=s,
            until=u,
            strength=r.choice([None, 0.2, 0.4, 0.6, 0.8, 1.0]),
        )
    for _ in range(people):
        s, u = interval()
        k += 1
        G.add_edge(
            r.choice(["lib", "s0", "s1", "s2"]),
            r.choice(names),
            key=f"t{k}",
            kind=r.choice(["BOND_WITH", "KNOWS"]),
            since=s,
            until=u,
            strength=0.5,
        )
    for i in range(3):
        s, u = interval()
        k += 1
        G.add_edge(
            f"s{i}",
            "com",
            key=f"t{k}",
            kind="HAS_ROLE",
            since=s,
            until=u,
            role=r.choice(["builder", "connector", "driver"]),
        )
    for i in range(8):
        G.add_node(f"a{i}", kind="Activity", since=day(), props={})
        k += 1
        G.add_edge(r.choice(names + ["com"]), f"a{i}", key=f"t{k}", kind="ORGANISES")
    return G


@pytest.mark.parametrize("seed", range(40))
def test_sweep_equals_per_date_on_random_histories(seed):
    G = _random_graph(seed)
    days = series_dates("2023-12-01", "2026-02-01")
    assert connectedness_series(G, "com", days) == [connectedness(G, "com", as_of=d) for d in days]


def test_project_history_filtered_by_date_is_the_projection(ws):
    """Contract: for every adapter, the history graph filtered to a day is ``project``."""
    a = ws.add_node("Person", "Anna").id
    b = ws.add_node("Person", "Bart", since="2025-02-01").id
    c = ws.add_node("Person", "Cor", until="2025-06-01").id
    t = ws.add_tie("KNOWS", a, b, since="2025-01-01", strength=0.4).id
    ws.change_tie(t, on="2025-03-01", strength=0.8)
    ws.add_tie("KNOWS", a, c, since="2025-01-01", until="2025-04-01")
    history = ws.project_history()
    for day in (
        dt.date(2025, 1, 15),
        dt.date(2025, 3, 1),
        dt.date(2025, 5, 1),
        dt.date(2025, 7, 1),
    ):
        projected = ws.project(as_of=day)
        nodes = {n for n, d in history.nodes(data=True) if valid_on(d["since"], d["until"], day)}
        assert nodes == set(projected)
        edges = {
            (u, v, d["tie"], d["version"], d["strength"])
            for u, v, d in history.edges(data=True)
            if u in nodes and v in nodes and valid_on(d["since"], d["until"], day)
        }
        assert edges == {
            (u, v, k, d["version"], d["strength"])
            for u, v, k, d in projected.edges(keys=True, data=True)
        }


# --------------------------------------------------------------------------- what changed


def test_what_changed_between_two_dates(leesclub):
    ws, ids = leesclub
    history = ws.project_history()
    pair = lambda x, y: tuple(sorted((ids[x], ids[y])))  # noqa: E731
    changed = community_changes(history, ids["club"], D1, D3)
    assert changed["new_members"] == sorted([ids["dirk"], ids["eva"]])
    assert changed["lost_members"] == []
    assert changed["new_ties"] == sorted([pair("bart", "dirk"), pair("anna", "dirk")])
    assert changed["lost_ties"] == []
    assert changed["newly_bonded"] == [ids["bart"]]
    assert changed["weaker"] == [(pair("anna", "bart"), 0.8, 0.4)]
    assert changed["stronger"] == []
    later = community_changes(history, ids["club"], D3, D4)
    assert later["lost_members"] == [ids["dirk"]]
    assert later["lost_ties"] == sorted([pair("bart", "dirk"), pair("anna", "dirk")])
    assert later["new_members"] == later["new_ties"] == later["weaker"] == []
    described = com.describe(history, later)
    assert described["lost_members"] == [{"id": ids["dirk"], "name": "Dirk van Dam"}]


# --------------------------------------------------------------------------- SMART goals


def test_goal_flips_from_behind_to_met_on_the_day_the_fourth_member_joins(leesclub):
    ws, ids = leesclub
    history = ws.project_history()
    goal = smart_goal(history, ids["goal"])
    assert goal.community == ids["club"] and goal.start == dt.date(2025, 1, 1)
    before = goal_progress(history, goal, as_of="2025-03-31")
    on_the_day = goal_progress(history, goal, as_of="2025-04-01")
    assert before["status"] == "behind" and before["value"] == 3
    # the straight line from 2 members on 1 January to 4 on 30 April
    assert before["expected"] == pytest.approx(2 + 2 * 89 / 119)
    assert on_the_day["status"] == "met" and on_the_day["value"] == 4
    days = series_dates("2025-01-01", "2025-07-01", every="week")
    statuses = [p["status"] for p in goal_progress_series(history, goal, days)]
    assert statuses[0] == "on_track"  # at the start the value is on the line
    # after the deadline the value on the deadline counts: still met though Dirk left
    assert goal_progress(history, goal, as_of="2025-07-01")["status"] == "met"


def test_goal_missed_after_deadline_and_on_track_above_the_line(store):
    ws = store.create_workspace("doelen")
    ids = build_leesclub(ws)
    sgl = ws.add_node(
        "SmartGoal",
        "5 ambassadeurs",
        since="2025-01-01",
        props={"metric": "ambassadors", "target": 5, "deadline": "2025-03-01"},
    )
    ws.add_tie("PURSUES", ids["club"], sgl.id, since="2025-01-01")
    history = ws.project_history()
    assert goal_progress(history, sgl.id, as_of="2025-01-01")["status"] == "on_track"
    assert goal_progress(history, sgl.id, as_of="2025-02-01")["status"] == "behind"
    assert goal_progress(history, sgl.id, as_of="2025-03-02")["status"] == "missed"
    assert [g.name for g in community_goals(history, ids["club"])] == ["5 ambassadeurs", "4 leden"]


def test_manual_goal_uses_hand_entered_measurements(store):
    ws = store.create_workspace("handwerk")
    ids = build_leesclub(ws)
    props = {
        "metric": "manual",
        "target": 5,
        "deadline": "2025-12-31",
        "description": "5 leden die maandelijks posten",
    }
    props = add_measurement(props, "2025-02-01", 2)
    props = add_measurement(props, "2025-09-01", "5", note="telling in de Facebookgroep")
    sgl = ws.add_node("SmartGoal", "5 posters", props=check_goal_props(props), since="2025-01-01")
    ws.add_tie("PURSUES", ids["club"], sgl.id, since="2025-01-01")
    history = ws.project_history()
    got = {
        d: goal_progress(history, sgl.id, as_of=d)
        for d in ("2025-01-15", "2025-08-31", "2025-09-01")
    }
    assert got["2025-01-15"]["status"] == "unmeasured" and got["2025-01-15"]["manual"]
    assert got["2025-08-31"]["value"] == 2 and got["2025-08-31"]["status"] == "behind"
    assert got["2025-09-01"]["status"] == "met"
    # a measurement on the same day replaces the earlier one
    assert [m["value"] for m in add_measurement(props, "2025-09-01", 4)["measurements"]] == [
        2.0,
        4.0,
    ]


def test_goal_props_are_validated_with_the_bad_value_named():
    with pytest.raises(ValidationError, match="'popularity'"):
        check_goal_props({"metric": "popularity", "target": 1, "deadline": "2026-01-01"})
    with pytest.raises(ValidationError, match="'veel'"):
        check_goal_props({"metric": "members", "target": "veel", "deadline": "2026-01-01"})
    with pytest.raises(ValidationError, match="deadline"):
        check_goal_props({"metric": "members", "target": 5})
    assert (
        check_goal_props({"metric": "library_reach", "target": "60", "deadline": "2026-01-01"})[
            "target"
        ]
        == 0.6
    )
    with pytest.raises(ValidationError, match="more than 100%"):
        check_goal_props({"metric": "bonded", "target": 150, "deadline": "2026-01-01"})


# --------------------------------------------------------------------------- communities service


def test_profile_lists_members_with_joined_left_and_roles(leesclub):
    ws, ids = leesclub
    prof = com.profile(ws.project_history(), ids["club"], as_of=D4)
    rows = {r["name"]: r for r in prof["members"]}
    assert set(rows) == {"Anna de Vries", "Bart Jansen", "Dirk van Dam", "Eva Öztürk"}
    assert (
        rows["Dirk van Dam"]["left"] == dt.date(2025, 6, 1) and not rows["Dirk van Dam"]["current"]
    )
    assert rows["Anna de Vries"]["role"] == "ambassador" and rows["Anna de Vries"]["current"]
    assert rows["Eva Öztürk"]["joined"] == dt.date(2025, 4, 1)
    assert [r["name"] for r in prof["members"]][-1] == "Dirk van Dam"  # former members last
    assert prof["empty_roles"] == ["connector", "driver"]
    assert prof["roles"]["builder"][0]["name"] == "Sanne Bakker"
    early = com.profile(ws.project_history(), ids["club"], as_of=D1)
    assert {r["name"] for r in early["members"]} == {"Anna de Vries", "Bart Jansen"}


def test_roles_keep_history_and_allow_no_more_than_three_staff(leesclub):
    ws, ids = leesclub
    kees, lotte, mo, noor = (ws.add_node("Staff", n).id for n in ("Kees", "Lotte", "Mo", "Noor"))
    com.set_role(ws, ids["club"], "connector", kees, on="2025-02-01")
    com.set_role(ws, ids["club"], "driver", lotte, on="2025-02-01")
    com.set_role(ws, ids["club"], "driver", mo, on="2025-03-01")  # a hand-over
    history = ws.project_history()
    before = com.profile(history, ids["club"], as_of=dt.date(2025, 2, 15))
    after = com.profile(history, ids["club"], as_of=dt.date(2025, 3, 1))
    # the old holder's tie was ended on the day, not overwritten
    assert [h["id"] for h in before["roles"]["driver"]] == [lotte]
    assert [h["id"] for h in after["roles"]["driver"]] == [mo]
    assert after["staff_count"] == 3 and not after["too_many_staff"] and after["empty_roles"] == []
    # data from elsewhere may hold a fourth: it is flagged, and no role goes to a fifth
    ws.add_tie("HAS_ROLE", noor, ids["club"], role="connector", since="2025-03-01")
    flagged = com.profile(ws.project_history(), ids["club"], as_of=dt.date(2025, 3, 2))
    assert flagged["staff_count"] == 4 and flagged["too_many_staff"]
    extra = ws.add_node("Staff", "Olga").id
    with pytest.raises(ConflictError, match="no more than 3"):
        com.set_role(ws, ids["club"], "driver", extra, on="2025-04-01")
    with pytest.raises(ValidationError, match="'boss'"):
        com.set_role(ws, ids["club"], "boss", mo, on="2025-04-01")
    with pytest.raises(ValidationError, match="not library staff"):
        com.set_role(ws, ids["club"], "driver", ids["anna"], on="2025-04-01")
    com.set_role(ws, ids["club"], "driver", None, on="2025-05-01")  # leave the role empty
    assert com.profile(ws.project_history(), ids["club"], as_of=dt.date(2025, 5, 1))[
        "empty_roles"
    ] == ["driver"]


def test_members_join_leave_and_become_ambassador(leesclub):
    ws, ids = leesclub
    com.end_member(ws, ids["club"], ids["bart"], on="2025-08-01")
    com.set_member_role(ws, ids["club"], ids["eva"], "ambassador", on="2025-08-01")
    com.add_member(ws, ids["club"], ids["dirk"], since="2025-09-01")
    with pytest.raises(ConflictError, match="already a member"):
        com.add_member(ws, ids["club"], ids["dirk"], since="2025-10-01")
    with pytest.raises(ValidationError, match="not a member"):
        com.end_member(ws, ids["club"], ids["bart"], on="2025-09-01")
    history = ws.project_history()
    day = dt.date(2025, 9, 1)
    point = connectedness(history, ids["club"], as_of=day)
    assert point["members"] == 3 and point["ambassadors"] == 2  # Anna, Eva, Dirk again
    assert connectedness(history, ids["club"], as_of="2025-07-31")["ambassadors"] == 1


def test_definition_links_end_and_begin_on_the_day(leesclub):
    ws, ids = leesclub
    lezen = ws.add_node("Theme", "lezen").id
    taal = ws.add_node("Theme", "taal").id
    fb = ws.add_node("Channel", "Facebookgroep De Linde", props={"mode": "online"}).id
    com.update_definition(
        ws,
        ids["club"],
        on="2025-01-01",
        links={"themes": [lezen], "channels": [fb]},
        traits=["wonen in De Linde", " "],
        texts={"vision": "Samen lezen"},
    )
    com.update_definition(
        ws, ids["club"], on="2025-06-01", links={"themes": [taal]}, bond_type="geography"
    )
    history = ws.project_history()
    before = com.profile(history, ids["club"], as_of=dt.date(2025, 5, 1))
    after = com.profile(history, ids["club"], as_of=dt.date(2025, 6, 1))
    assert [t["name"] for t in before["themes"]] == ["lezen"]
    assert [t["name"] for t in after["themes"]] == ["taal"]
    assert [c["name"] for c in after["channels"]] == ["Facebookgroep De Linde"]
    node = ws.get_node(ids["club"])
    assert node.props["traits"] == ["wonen in De Linde"] and node.props["vision"] == "Samen lezen"
    assert node.props["bond_type"] == "geography" and len(ws.node_history(ids["club"])) == 3
    with pytest.raises(ValidationError, match="'tribe'"):
        com.update_definition(ws, ids["club"], on="2025-06-01", bond_type="tribe")
    with pytest.raises(ValidationError, match="is not a Theme"):
        com.update_definition(ws, ids["club"], on="2025-06-01", links={"themes": [fb]})


# --------------------------------------------------------------------------- readiness


def test_readiness_has_the_workbooks_eight_questions_and_blocks():
    assert len(QUESTIONS) == 8
    assert [q.block for q in QUESTIONS] == [
        "strategie",
        "strategie",
        "medewerkers",
        "samenwerking",
        "interne communicatie",
        "vestiging",
        "flexibiliteit",
        "tijd en geld",
    ]


def test_readiness_advice_follows_the_majority():
    keys = [q.key for q in QUESTIONS]
    five = readiness({k: i < 5 for i, k in enumerate(keys)})
    assert (five["yes"], five["no"], five["verdict"]) == (5, 3, "go_ahead")
    assert [w["block"] for w in five["to_work_on"]] == [
        "vestiging",
        "flexibiliteit",
        "tijd en geld",
    ]
    four = readiness({k: i < 4 for i, k in enumerate(keys)})
    assert four["verdict"] == "not_yet"
    partial = readiness({k: True for k in keys[:4]})
    assert (partial["unanswered"], partial["verdict"]) == (4, "incomplete")
    assert check_answers({"support": "ja", "venue": "nee", "skills": ""}) == {
        "support": True,
        "venue": False,
    }
    with pytest.raises(ValidationError, match="'budget'"):
        readiness({"budget": True})
    with pytest.raises(ValidationError, match="'misschien'"):
        readiness({"support": "misschien"})


def test_every_metric_is_in_a_point(leesclub):
    ws, ids = leesclub
    point = connectedness(ws.project_history(), ids["club"], as_of=D2)
    assert set(METRICS) <= set(point)


def test_benchmark_builder_makes_a_history_the_sweep_agrees_with(tmp_path):
    """The benchmark's community (small here, and not timed) has joins, leavers, changed and
    ended ties; the one-sweep series equals the per-date results on it."""
    import importlib.util
    from pathlib import Path

    from mapper.store import SQLiteStore

    path = Path(__file__).resolve().parent.parent.parent / "benchmarks" / "connectedness.py"
    spec = importlib.util.spec_from_file_location("bench_connectedness", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    community = bench.build(tmp_path / "bench.db", members=60, ties=300)
    store = SQLiteStore(tmp_path / "bench.db")
    try:
        history = store.project_history("bench")
    finally:
        store.close()
    days = series_dates(bench.START, bench.END)
    series = connectedness_series(history, community, days)
    assert series == [connectedness(history, community, as_of=d) for d in days]
    assert series[0]["members"] < series[-1]["members"] and series[-1]["ties"] > 0
