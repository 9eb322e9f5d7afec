"""``mapper warm-contacts`` through Click's CliRunner, on a real SQLite file."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from mapper.cli import main
from mapper.store import SQLiteStore
from tests.warm_town import build_town


@pytest.fixture
def town(tmp_path):
    path = tmp_path / "town.db"
    store = SQLiteStore(path)
    ids = build_town(store, "demo")
    store.close()
    return f"sqlite:///{path}", ids


#: The runs speak English unless a test asks for Dutch (the locale of the machine is not the
#: test's business).
ENGLISH = {"MAPPER_LANGUAGE": "en"}
DUTCH = {"MAPPER_LANGUAGE": "nl"}


def run(url, *args, env=ENGLISH):
    return CliRunner(env=env).invoke(main, ["warm-contacts", "--database", url, *args])


def test_json_is_a_list_best_first_with_the_api_fields(town):
    url, ids = town
    result = run(url, "--theme", "duurzaamheid", "--format", "json", "--date", "2026-06-01")
    assert result.exit_code == 0, result.output
    items = json.loads(result.output)
    assert [i["score"] for i in items] == sorted((i["score"] for i in items), reverse=True)
    by_id = {i["id"]: i for i in items}
    assert set(by_id) == {ids["jan"], ids["fatma"], ids["els"], ids["piet"]}
    fatma = by_id[ids["fatma"]]
    assert fatma["warmth"] == pytest.approx(0.48)
    assert [p["name"] for p in fatma["path"]] == ["Anna de Boer", "Jan de Vries", "Fatma Yılmaz"]
    assert [p["id"] for p in by_id[ids["els"]]["path"]] == [ids["els"]]
    for item in items:
        assert 0 <= item["score"] <= 1 and 0 <= item["warmth"] <= 1
        assert isinstance(item["reasons"], list) and item["reasons"]


def test_table_shows_route_and_reasons(town):
    url, _ = town
    result = run(url, "--theme", "Duurzaamheid", "--date", "2026-06-01", "--limit", "2", env=DUTCH)
    assert result.exit_code == 0, result.output
    assert "Warme contacten voor duurzaamheid (thema), 1 juni 2026" in result.output
    assert "Anna de Boer → Jan de Vries → Fatma Yılmaz" in result.output
    assert "Zwakste schakel: Jan de Vries → Fatma Yılmaz" in result.output
    assert result.output.count("\n  1  ") == 1 and "\n  3  " not in result.output


@pytest.mark.parametrize(
    "option, name",
    [("--organisation", "Repair Café"), ("--person", "Fatma Yilmaz"), ("--community", None)],
)
def test_other_targets(town, option, name):
    url, ids = town
    if name is None:  # no community in the small town: a clear error, no traceback
        result = run(url, option, "Samen Sterk")
        assert result.exit_code == 1
        assert "no Community called 'Samen Sterk'" in result.output
        return
    result = run(url, option, name, "--format", "json", "--date", "2026-06-01")
    assert result.exit_code == 0, result.output
    assert ids["fatma"] in {i["id"] for i in json.loads(result.output)}


def test_unknown_target_lists_close_matches(town):
    url, _ = town
    result = run(url, "--theme", "duurzaam")
    assert result.exit_code == 1
    assert "no Theme called 'duurzaam'" in result.output  # the shell's language: English
    assert "(did you mean: duurzaamheid?)" in result.output
    assert "Traceback" not in result.output
    dutch = CliRunner().invoke(
        main,
        ["warm-contacts", "--database", url, "--theme", "duurzaam"],
        env={"MAPPER_LANGUAGE": "nl"},
    )
    assert dutch.exit_code == 1
    assert "bedoelde je: duurzaamheid?" in dutch.output


def test_exactly_one_target(town):
    url, _ = town
    assert run(url).exit_code == 2
    both = run(url, "--theme", "duurzaamheid", "--person", "Jan de Vries")
    assert both.exit_code == 2 and "exactly one target" in both.output


def test_date_before_the_ties_began(town):
    url, _ = town
    result = run(url, "--theme", "duurzaamheid", "--date", "2023-06-01")
    assert result.exit_code == 1
    assert "did not exist on 1 June 2023" in result.output
    bad = run(url, "--theme", "duurzaamheid", "--date", "1-6-2026")
    assert bad.exit_code == 2


def test_help_has_an_example():
    result = CliRunner(env=ENGLISH).invoke(main, ["warm-contacts", "--help"])
    assert result.exit_code == 0
    assert "Example: mapper warm-contacts --theme" in result.output
