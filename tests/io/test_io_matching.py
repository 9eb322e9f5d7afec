"""Sensible matching (issue 16): a place that is an organisation is that organisation; a
person's activities are taken part in unless the row says organiser; both in the dry run."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from mapper.cli import main
from mapper.io.plan import plan_import
from mapper.io.readers import read_bytes
from mapper.store import SQLiteStore

HEADER = "soort;naam;waar actief online;waar actief offline;activiteiten\n"


@pytest.fixture
def store():
    s = SQLiteStore(":memory:")
    s.create_workspace("demo", "Bibliotheek Rijnstad")
    yield s
    s.close()


def _plan(store, body: str):
    return plan_import(store, "demo", read_bytes((HEADER + body).encode(), "scan.csv"))


def _ties(store):
    names = {n.id: (n.kind.value, n.name) for n in store.nodes("demo")}
    return {(t.kind.value, names[t.source][1], names[t.target]) for t in store.ties("demo")}


def test_a_place_that_is_an_existing_organisation_is_that_organisation(store):
    brug = store.add_node("demo", "Organisation", "Wijkcentrum De Brug")
    plan = _plan(store, "persoon;Jan de Vries;;wijkcentrum de brug;\n")
    assert plan.ok, plan.errors
    assert any("'Wijkcentrum De Brug'" not in n and "is an organisation" in n for n in plan.notes)
    plan.apply()
    assert _ties(store) == {("MEMBER_OF", "Jan de Vries", ("Organisation", "Wijkcentrum De Brug"))}
    assert [n.id for n in store.nodes("demo", kind="Organisation")] == [brug.id]
    assert list(store.nodes("demo", kind="Channel")) == []


def test_a_place_that_is_an_organisation_in_the_same_file(store):
    plan = _plan(
        store,
        "persoon;Jan de Vries;;Wijkcentrum De Brug;\norganisatie;Wijkcentrum De Brug;;;\n",
    )
    plan.apply()
    assert ("MEMBER_OF", "Jan de Vries", ("Organisation", "Wijkcentrum De Brug")) in _ties(store)
    assert list(store.nodes("demo", kind="Channel")) == []


def test_an_existing_channel_wins_and_a_new_place_is_a_channel(store):
    store.add_node("demo", "Channel", "Facebook-groep Rijnstad", props={"mode": "online"})
    store.add_node("demo", "Organisation", "Facebook-groep Rijnstad")
    plan = _plan(store, "persoon;Jan de Vries;Facebook-groep Rijnstad;Bibliotheekplein;\n")
    plan.apply()
    assert _ties(store) == {
        ("ACTIVE_IN", "Jan de Vries", ("Channel", "Facebook-groep Rijnstad")),
        ("ACTIVE_IN", "Jan de Vries", ("Channel", "Bibliotheekplein")),
    }


def test_a_person_takes_part_unless_the_row_says_organiser(store):
    plan = _plan(
        store,
        "persoon;Jan de Vries;;;Repair Café, Klusavond (organisator)\n"
        "organisatie;Stichting Groen;;;Boomfeestdag, Repair Café (deelnemer)\n",
    )
    assert plan.ok, plan.errors
    plan.apply()
    assert _ties(store) == {
        ("ATTENDS", "Jan de Vries", ("Activity", "Repair Café")),
        ("ORGANISES", "Jan de Vries", ("Activity", "Klusavond")),
        ("ORGANISES", "Stichting Groen", ("Activity", "Boomfeestdag")),
        ("ATTENDS", "Stichting Groen", ("Activity", "Repair Café")),
    }


def test_the_dry_run_shows_both(tmp_path):
    file = tmp_path / "scan.csv"
    file.write_text(
        HEADER + "organisatie;Wijkcentrum De Brug;;;\npersoon;Jan;;Wijkcentrum De Brug;Taalcafé\n",
        encoding="cp1252",
    )
    result = CliRunner().invoke(
        main, ["import", str(file), "--dry-run", "--database", str(tmp_path / "x.db")]
    )
    assert result.exit_code == 0, result.output
    assert "'Wijkcentrum De Brug' is an organisation: Jan becomes a member of it" in result.output
    assert "new tie: Jan is member of Wijkcentrum De Brug" in result.output
    assert "new tie: Jan takes part in Taalcafé" in result.output
