"""The library's errors and an import's problems are said in the reader's language: Dutch on
the web by default, English with ``?lang=en``, and in the shell as ``MAPPER_LANGUAGE`` says.

The errors keep a message id and its values; these tests look at the sentences a person
reads, through the real app, the real command line and a real store.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from mapper.cli import main
from mapper.errors import StoreUnavailableError, ValidationError
from mapper.i18n import use_language
from mapper.io import ImportErrors, plan_import
from mapper.io.readers import read_file
from mapper.io.templates import parse_node_kind
from mapper.model import check_interval
from mapper.store import SQLiteStore, open_store
from tests.web.test_io_web import csrf, store_of, upload, wait_for


@pytest.fixture
def app(app, tmp_path):
    app.config["IMPORT_FOLDER"] = str(tmp_path / "imports")
    app.config["IMPORT_SYNCHRONOUS"] = True
    return app


def bad_workbook(path):
    """A scan with a bad cell on each of four rows (two sheets)."""
    wb = Workbook()
    people = wb.active
    people.title = "Individuen en organisaties"
    people.append(["soort", "naam", "thema's", "sterkte band"])
    people.append(["persoon", "Fatma Yılmaz", "taal", "3"])  # row 2: fine
    people.append(["persoonn", "Piet Jansen", "taal", ""])  # row 3: kind
    people.append(["persoon", "Kees Bakker", "", "vijftig"])  # row 4: not a number
    people.append(["persoon", "Jan de Vries", "", ""])  # row 5: fine
    ties = wb.create_sheet("Relaties")
    ties.append(["van", "naar", "soort relatie", "sinds"])
    ties.append(["Fatma Yılmaz", "Onbekende Persoon", "kent", ""])  # row 2: unknown name
    ties.append(["Fatma Yılmaz", "Jan de Vries", "kent", "2024-02-30"])  # row 3: no such date
    wb.save(path)
    return path


#: Per bad cell (sheet, row): what it says in Dutch and in English.
SAID = {
    ("Individuen en organisaties", 3): (
        "soort 'persoonn' is onbekend",
        "kind 'persoonn' is not known",
    ),
    ("Individuen en organisaties", 4): (
        "sterkte 'vijftig' is geen getal (gebruik 0–1 of 1–5)",
        "strength 'vijftig' is not a number (use 0–1 or 1–5)",
    ),
    ("Relaties", 3): (
        "sinds '2024-02-30' is geen datum",
        "since '2024-02-30' is not a date",
    ),
    ("Relaties", 2): (
        "niemand en niets heet 'Onbekende Persoon' in dit bestand of de werkruimte",
        "no entity called 'Onbekende Persoon' in this file or the workspace",
    ),
}


def _error_rows(html: str) -> dict[tuple[str, int], str]:
    """The preview's table of bad rows: (sheet, row) → the message cell, unescaped."""
    out = {}
    for row in re.findall(r'<tr class="io-error">(.*?)</tr>', html, re.S):
        cells = re.findall(r"<td>(.*?)</td>", row, re.S)
        out[cells[0], int(cells[1])] = cells[4].replace("&#39;", "'").replace("&#34;", '"')
    return out


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_import_page_reports_bad_cells_in_the_page_language(client, app, tmp_path, lang):
    if lang == "en":
        client.get("/io/?lang=en")  # the choice is remembered for the session
    store = store_of(app)
    before = store.dump_workspace("demo")
    data = bad_workbook(tmp_path / "scan.xlsx").read_bytes()
    preview_url = upload(client, data, "scan.xlsx").headers["Location"]
    page = client.get(preview_url)
    assert page.status_code == 422
    found = _error_rows(page.get_data(as_text=True))
    assert set(found) == set(SAID)
    for where, (dutch, english) in SAID.items():
        assert (dutch if lang == "nl" else english) in found[where], (where, found[where])
    if lang == "nl":  # no English sentence slips through on a Dutch page
        for message in found.values():
            assert not re.search(r"\b(is not|no entity|called)\b", message), message
    else:
        for message in found.values():
            assert not re.search(r"\b(is geen|onbekend|niemand)\b", message), message

    # Confirming anyway: the import (in a background thread) refuses, in the same language.
    token = csrf(client.get("/io/").get_data(as_text=True))
    response = client.post(preview_url, data={"csrf_token": token})
    assert response.status_code == 302
    state = wait_for(client, response.headers["Location"])
    assert state["state"] == "failed"
    if lang == "nl":
        assert "4 foute rij(en), er is niets geïmporteerd" in state["error"]
        assert "rij 3, kolom 'soort': soort 'persoonn' is onbekend" in state["error"]
    else:
        assert "4 bad row(s), nothing imported" in state["error"]
        assert "row 3, column 'soort': kind 'persoonn' is not known" in state["error"]
    assert store.dump_workspace("demo") == before  # nothing was written
    store.close()


def test_an_unreadable_file_is_said_in_the_page_language(client, app):
    preview_url = upload(client, b"fruit;kleur\nappel;rood\n", "fruit.csv").headers["Location"]
    dutch = client.get(preview_url).get_data(as_text=True)
    assert "werkblad &#39;fruit.csv&#39; lijkt niet op een sjabloon (kopjes: fruit, kleur)" in dutch
    english = client.get(preview_url + "?lang=en").get_data(as_text=True)
    assert "sheet &#39;fruit.csv&#39; does not look like a template" in english


def test_the_same_problem_in_both_languages(store, tmp_path):
    store.create_workspace("rijnstad")
    plan = plan_import(store, "rijnstad", read_file(bad_workbook(tmp_path / "scan.xlsx")))
    first = next(e for e in plan.errors if e.row == 3)
    with use_language("nl"):
        dutch = str(first)
    with use_language("en"):
        english = str(first)
    assert dutch.startswith("Individuen en organisaties, rij 3, kolom 'soort': ")
    assert "soort 'persoonn' is onbekend (gebruik " in dutch
    assert english.startswith("Individuen en organisaties, row 3, column 'soort': ")
    assert "kind 'persoonn' is not known (use " in english
    # the problem keeps its id and values, not a sentence
    assert first.message.msgid == "kind {text!r} is not known (use {words})"
    assert first.message.params["text"] == "persoonn"
    # all of them at once, as the error the import raises
    with pytest.raises(ImportErrors) as info:
        plan.apply()
    with use_language("nl"):
        assert str(info.value).startswith("4 foute rijen, er is niets geïmporteerd: ")
    with use_language("en"):
        assert str(info.value).startswith("4 bad rows, nothing imported: ")


def test_an_error_is_said_when_it_is_shown_not_when_it_is_raised():
    with use_language("en"), pytest.raises(ValidationError) as info:
        parse_node_kind("persoonn")
    err = info.value
    assert err.msgid == "kind {text!r} is not known (use {words})"
    assert err.message.startswith("kind 'persoonn' is not known")
    assert err.as_message().in_language("nl").startswith("soort 'persoonn' is onbekend")
    with use_language("nl"):
        assert str(err).startswith("soort 'persoonn' is onbekend")


def test_dates_in_an_error_are_written_the_readers_way():
    with pytest.raises(ValidationError) as info:
        check_interval(dt.date(2025, 3, 1), dt.date(2024, 12, 1))
    with use_language("nl"):
        assert str(info.value) == (
            "de einddatum 1 december 2024 ligt vóór de begindatum 1 maart 2025"
        )
    with use_language("en"):
        assert str(info.value) == "until 1 December 2024 lies before since 1 March 2025"


def test_the_cli_import_reports_bad_rows_in_dutch(tmp_path):
    db = tmp_path / "mapper.db"
    SQLiteStore(str(db)).create_workspace("rijnstad").store.close()
    path = bad_workbook(tmp_path / "scan.xlsx")
    args = ["import", str(path), "--database", str(db), "--workspace", "rijnstad"]
    dutch = CliRunner().invoke(main, args, env={"MAPPER_LANGUAGE": "nl"})
    assert dutch.exit_code == 1
    assert "Individuen en organisaties, rij 3, kolom 'soort': soort 'persoonn' is onbekend" in (
        dutch.output
    )
    assert "rij 4, kolom 'sterkte band': sterkte 'vijftig' is geen getal" in dutch.output
    assert "Relaties, rij 2, kolom 'naar': niemand en niets heet 'Onbekende Persoon'" in (
        dutch.output
    )
    english = CliRunner().invoke(main, args, env={"MAPPER_LANGUAGE": "en"})
    assert "Individuen en organisaties, row 3, column 'soort': kind 'persoonn' is not known" in (
        english.output
    )
    store = SQLiteStore(str(db))
    assert list(store.nodes("rijnstad")) == []  # nothing was written
    store.close()


def test_an_unreachable_neo4j_server_is_said_in_dutch():
    with pytest.raises(StoreUnavailableError) as info:
        open_store("neo4j://127.0.0.1:1")
    with use_language("nl"):
        assert str(info.value).startswith(
            "Neo4j op neo4j://127.0.0.1:1 is niet bereikbaar: draait de server, en kloppen de "
            "host en de poort?"
        )
    with use_language("en"):
        assert str(info.value).startswith("cannot reach Neo4j at neo4j://127.0.0.1:1")


@pytest.mark.neo4j
def test_a_wrong_neo4j_password_is_said_in_dutch(neo4j_server):
    with pytest.raises(StoreUnavailableError) as info:
        open_store(
            neo4j_server.uri,
            user=neo4j_server.user,
            password="not-the-password-" + uuid.uuid4().hex,
        )
    with use_language("nl"):
        assert f"Neo4j op {neo4j_server.uri} weigerde de inlog van gebruiker" in str(info.value)
        assert "controleer MAPPER_NEO4J_USER en MAPPER_NEO4J_PASSWORD" in str(info.value)


def test_kinds_in_an_import_problem_are_said_with_their_words(store, tmp_path):
    store.create_workspace("rijnstad")
    wb = Workbook()
    people = wb.active
    people.title = "Individuen en organisaties"
    people.append(["soort", "naam", "thema's"])
    people.append(["persoon", "Fatma Yılmaz", "taal"])
    ties = wb.create_sheet("Relaties")
    ties.append(["van", "naar", "soort relatie"])
    ties.append(["Fatma Yılmaz", "taal", "kent"])  # a theme is no one to know
    wb.save(tmp_path / "scan.xlsx")
    plan = plan_import(store, "rijnstad", read_file(tmp_path / "scan.xlsx"))
    (problem,) = plan.errors
    with use_language("nl"):
        assert "'taal' is een Thema; een relatie KNOWS loopt naar " in str(problem.message)
        assert "Persoon" in str(problem.message) and "Person " not in str(problem.message)
    with use_language("en"):
        assert "'taal' is a Theme; a KNOWS tie goes to " in str(problem.message)


def test_a_skipped_sheet_is_noted_in_the_readers_language_after_the_upload(tmp_path):
    import json

    from mapper.io.uploads import found_from_json, found_to_json

    wb = Workbook()
    people = wb.active
    people.title = "Individuen en organisaties"
    people.append(["soort", "naam"])
    people.append(["persoon", "Fatma Yılmaz"])
    fruit = wb.create_sheet("Fruit")
    fruit.append(["fruit", "kleur"])
    fruit.append(["appel", "rood"])
    wb.save(tmp_path / "scan.xlsx")
    found = read_file(tmp_path / "scan.xlsx")
    kept = found_from_json(json.loads(json.dumps(found_to_json(found))))  # as an upload keeps it
    (note,) = kept.notes
    with use_language("nl"):
        assert str(note).startswith("werkblad 'Fruit' overgeslagen: werkblad 'Fruit' lijkt niet")
    with use_language("en"):
        assert str(note).startswith("sheet 'Fruit' skipped: sheet 'Fruit' does not look like")
