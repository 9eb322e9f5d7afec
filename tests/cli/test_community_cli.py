"""`mapper connectedness`, `mapper goals` and `mapper community-changes` through Click."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from mapper.analysis.community import connectedness, series_dates
from mapper.cli import main
from mapper.store import SQLiteStore
from tests.community_fixtures import D2, EXPECTED, build_leesclub

REQUIRED_KEYS = {
    "date",
    "members",
    "ties",
    "density",
    "average_strength",
    "components",
    "library_reach",
    "bonded",
    "ambassadors",
    "activities_90d",
}


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "lees.db"
    store = SQLiteStore(path)
    ws = store.create_workspace("lees", "Bibliotheek Leesstad")
    ids = build_leesclub(ws)
    history = ws.project_history()
    store.close()
    return str(path), ids, history


#: The runs speak English (the locale of the machine is not the test's business).
ENGLISH = {"MAPPER_LANGUAGE": "en"}


def run(*args: str):
    return CliRunner(env=ENGLISH).invoke(main, list(args), catch_exceptions=False)


def test_json_is_a_list_of_points_with_the_documented_keys(db):
    path, ids, history = db
    result = run(
        "connectedness",
        "--database",
        path,
        "--workspace",
        "lees",
        "--community",
        "leesclub de linde",
        "--from",
        "2025-01-01",
        "--to",
        "2025-07-01",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    points = json.loads(result.output)
    assert [p["date"] for p in points] == [
        d.isoformat() for d in series_dates("2025-01-01", "2025-07-01")
    ]
    for point in points:
        assert set(point) >= REQUIRED_KEYS
        assert point == connectedness(history, ids["club"], as_of=point["date"])
    april = next(p for p in points if p["date"] == D2.isoformat())
    assert april["members"] == EXPECTED[D2]["members"] and april["library_reach"] == pytest.approx(
        0.75
    )


def test_weekly_points_and_community_by_id(db):
    path, ids, _ = db
    result = run(
        "connectedness",
        "--database",
        path,
        "--workspace",
        "lees",
        "--community",
        ids["club"],
        "--from",
        "2025-03-01",
        "--to",
        "2025-03-31",
        "--every",
        "week",
        "--format",
        "json",
    )
    assert [p["date"] for p in json.loads(result.output)] == [
        "2025-03-01",
        "2025-03-08",
        "2025-03-15",
        "2025-03-22",
        "2025-03-29",
        "2025-03-31",
    ]


def test_table_shows_a_row_per_date_with_percentages(db):
    path, _, _ = db
    result = run(
        "connectedness",
        "--database",
        path,
        "--workspace",
        "lees",
        "--community",
        "Leesclub De Linde",
        "--from",
        "2025-02-01",
        "--to",
        "2025-04-01",
    )
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("Leesclub De Linde")
    assert "1 February 2025 … 1 April 2025, every month" in lines[0]
    assert "members" in lines[1] and "reach" in lines[1]
    rows = [line.split() for line in lines[3:]]
    # Dates written out (day, month, year), then the figures.
    assert [r[:3] for r in rows] == [
        ["1", "Feb", "2025"],
        ["1", "Mar", "2025"],
        ["1", "Apr", "2025"],
    ]
    assert rows[-1][3] == "4" and "75%" in rows[-1]  # four members, 75% within reach


def test_unknown_community_and_bad_dates_are_one_clear_line(db):
    path, _, _ = db
    result = CliRunner(env=ENGLISH).invoke(
        main,
        ["connectedness", "--database", path, "--workspace", "lees", "--community", "Leesclub"],
    )
    assert result.exit_code == 1
    assert (
        "no Community called 'Leesclub'" in result.output and "Leesclub De Linde" in result.output
    )
    result = CliRunner(env=ENGLISH).invoke(
        main,
        [
            "connectedness",
            "--database",
            path,
            "--workspace",
            "lees",
            "--community",
            "Leesclub De Linde",
            "--from",
            "2025-05-01",
            "--to",
            "2025-01-01",
        ],
    )
    assert result.exit_code == 1 and "lies before the start" in result.output
    assert "Traceback" not in result.output
    result = CliRunner(env=ENGLISH).invoke(
        main,
        [
            "connectedness",
            "--database",
            path,
            "--workspace",
            "lees",
            "--community",
            "Leesclub De Linde",
            "--every",
            "day",
        ],
    )
    assert result.exit_code == 2 and "'day' is not one of" in result.output


def test_goals_and_changes_commands(db):
    path, _, _ = db
    result = run(
        "goals",
        "--database",
        path,
        "--workspace",
        "lees",
        "--community",
        "Leesclub De Linde",
        "--as-of",
        "2025-03-31",
        "--format",
        "json",
    )
    (goal,) = json.loads(result.output)
    assert (goal["goal"], goal["value"], goal["status"]) == ("4 leden", 3, "behind")
    result = run(
        "goals",
        "--database",
        path,
        "--workspace",
        "lees",
        "--community",
        "Leesclub De Linde",
        "--as-of",
        "2025-04-01",
    )
    assert "4 leden" in result.output and "met" in result.output
    result = run(
        "community-changes",
        "--database",
        path,
        "--workspace",
        "lees",
        "--community",
        "Leesclub De Linde",
        "--from",
        "2025-05-01",
        "--to",
        "2025-07-01",
    )
    assert "Members who left (1)" in result.output and "Dirk van Dam" in result.output
    result = run(
        "community-changes",
        "--database",
        path,
        "--workspace",
        "lees",
        "--community",
        "Leesclub De Linde",
        "--from",
        "2025-02-01",
        "--to",
        "2025-05-01",
        "--format",
        "json",
    )
    (weaker,) = json.loads(result.output)["weaker"]
    assert {weaker["a"], weaker["b"]} == {"Anna de Vries", "Bart Jansen"}
    assert (weaker["before"], weaker["after"]) == (0.8, 0.4)
