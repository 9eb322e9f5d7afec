"""Kumu and Gephi (issue 16): a Kumu workbook imports after the type mapping (remembered),
obvious names map by themselves, and a workspace exports back in Kumu's format."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from mapper.cli import main
from mapper.io import export as exporter
from mapper.io import kumu
from mapper.io.plan import plan_import
from mapper.io.readers import read_bytes, read_file
from mapper.store import SQLiteStore

DATA = Path(__file__).parent.parent / "data"
MAPPING = {"element": {"Company": "Organisation"}, "connection": {"Personal": "KNOWS"}}


@pytest.fixture
def store():
    s = SQLiteStore(":memory:")
    s.create_workspace("demo", "Bibliotheek Rijnstad")
    yield s
    s.close()


def _ties(store, slug="demo"):
    names = {n.id: n.name for n in store.nodes(slug)}
    return {(t.kind.value, names[t.source], names[t.target], t.strength) for t in store.ties(slug)}


def test_the_mapping_step_proposes_the_obvious_and_asks_for_the_rest():
    found = read_file(DATA / "kumu.xlsx")
    assert [t.title for t in found.tables] == ["Elements", "Connections"] and not found.notes
    report = {(r.kind, r.raw): (r.count, r.proposal) for r in kumu.type_report(found)}
    assert report == {
        ("element", "Staff"): (1, "Staff"),
        ("element", "Person"): (3, "Person"),
        ("element", "Organization"): (1, "Organisation"),
        ("element", "Company"): (1, None),
        ("element", "Event"): (1, "Activity"),
        ("element", "Topic"): (1, "Theme"),
        ("connection", "Personal"): (1, None),
        ("connection", "Member"): (1, "MEMBER_OF"),
        ("connection", "organises"): (1, "ORGANISES"),
        ("connection", "active on"): (1, "ACTIVE_ON"),
    }


def test_without_a_mapping_the_unknown_types_are_reported(store):
    plan = plan_import(store, "demo", read_file(DATA / "kumu.xlsx"))
    bad = {(e.sheet, e.row, e.value) for e in plan.errors}
    assert ("Elements", 7, "Company") in bad and ("Connections", 3, "Personal") in bad


def test_a_kumu_workbook_imports_after_the_mapping(store):
    plan = plan_import(store, "demo", read_file(DATA / "kumu.xlsx"), type_mapping=MAPPING)
    assert plan.ok, plan.errors
    plan.apply()
    nodes = {n.name: n for n in store.nodes("demo")}
    assert {n: v.kind.value for n, v in nodes.items()} == {
        "Anna de Boer": "Staff",
        "Jan de Vries": "Person",
        "Fatma Yılmaz": "Person",
        "Piet Jansen": "Person",
        "Repair Café": "Organisation",
        "Groenbedrijf BV": "Organisation",
        "Duurzaamheidsmarkt": "Activity",
        "duurzaamheid": "Theme",
    }
    assert nodes["Jan de Vries"].props["tags"] == ["repair", "duurzaam"]
    assert nodes["Jan de Vries"].props["wijk"] == "Noord"
    assert nodes["Repair Café"].props["notes"] == "elke tweede zaterdag"
    assert _ties(store) == {
        ("KNOWS", "Anna de Boer", "Jan de Vries", 0.8),  # empty type, two people
        ("KNOWS", "Jan de Vries", "Fatma Yılmaz", 0.6),  # "Personal", To = a | list
        ("KNOWS", "Jan de Vries", "Piet Jansen", 0.6),
        ("MEMBER_OF", "Jan de Vries", "Repair Café", None),  # empty type, person → org
        ("MEMBER_OF", "Fatma Yılmaz", "Repair Café", None),  # written org → person
        ("MEMBER_OF", "Piet Jansen", "Groenbedrijf BV", 0.8),  # strength 4 of 1–5
        ("ORGANISES", "Piet Jansen", "Duurzaamheidsmarkt", None),
        ("ACTIVE_ON", "Repair Café", "duurzaamheid", None),
    }


def test_the_cli_remembers_the_mapping_for_the_next_import(tmp_path):
    runner = CliRunner()
    db = str(tmp_path / "k.db")
    file = str(DATA / "kumu.xlsx")
    dry = runner.invoke(main, ["import", file, "--database", db, "--dry-run"])
    assert dry.exit_code == 1
    assert "element type 'Company' (1×): not known" in dry.output
    assert "--map 'Company=KIND'" in dry.output
    assert "element type 'Organization' (1×) → Organisation" in dry.output
    args = ["import", file, "--database", db, "--map", "Company=organisatie", "--map"]
    result = runner.invoke(main, [*args, "Personal=kent"])
    assert result.exit_code == 0, result.output
    again = runner.invoke(main, ["import", file, "--database", db])
    assert again.exit_code == 0, again.output
    assert "element type 'Company' (1×) → Organisation" in again.output
    assert "nothing to change" in again.output


def test_an_empty_type_between_other_kinds_is_reported(store):
    data = b"Label,Type\nRepair Cafe,Organization\nduurzaamheid,Topic\n"
    connections = b"From,To\nRepair Cafe,duurzaamheid\n"
    found = read_bytes(data, "elements.csv")
    found.tables += read_bytes(connections, "connections.csv").tables
    plan = plan_import(store, "demo", found)
    [error] = plan.errors
    assert "has no type: give it one" in error.message and error.sheet == "connections.csv"


def test_kumu_round_trip(store, tmp_path):
    result = CliRunner().invoke(
        main, ["import", str(DATA / "undirected.graphml"), "--database", str(tmp_path / "t.db")]
    )
    assert result.exit_code == 0, result.output
    town = SQLiteStore(str(tmp_path / "t.db"))
    try:
        ws = town.workspace("demo")
        ws.update_node(
            ws.lookup("Jan de Vries", kind="Person").id, props={"tags": ["repair"], "wijk": "Noord"}
        )
        out = io.BytesIO()
        exporter.export(town, "demo", "kumu", out)
        wb = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
        assert wb.sheetnames == ["Elements", "Connections"]
        assert [c.value for c in wb["Elements"][1]][:3] == ["ID", "Label", "Type"]
        assert [c.value for c in wb["Connections"][1]][:3] == ["ID", "From", "To"]
        plan = plan_import(store, "demo", read_bytes(out.getvalue(), "kaart.xlsx"))
        assert plan.ok, plan.errors[:3]
        plan.apply()
        assert {(n.id, n.kind, n.name) for n in store.nodes("demo")} == {
            (n.id, n.kind, n.name) for n in town.nodes("demo")
        }
        assert {(t.id, t.kind, t.source, t.target, t.strength) for t in store.ties("demo")} == {
            (t.id, t.kind, t.source, t.target, t.strength) for t in town.ties("demo")
        }
        jan = store.workspace("demo").lookup("Jan de Vries", kind="Person")
        assert jan.props["tags"] == ["repair"] and jan.props["wijk"] == "Noord"
        again = plan_import(store, "demo", read_bytes(out.getvalue(), "kaart.xlsx"))
        assert again.changes_nothing()
    finally:
        town.close()


def test_cli_exports_kumu(tmp_path):
    runner = CliRunner()
    db = str(tmp_path / "t.db")
    runner.invoke(main, ["import", str(DATA / "directed.graphml"), "--database", db])
    out = tmp_path / "kaart-kumu.xlsx"
    result = runner.invoke(main, ["export", "--format", "kumu", "-o", str(out), "--database", db])
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(out).sheetnames == ["Elements", "Connections"]


def test_cli_imports_a_gephi_csv_pair(tmp_path):
    db = str(tmp_path / "g.db")
    nodes, edges = str(DATA / "gephi-nodes.csv"), str(DATA / "gephi-edges.csv")
    result = CliRunner().invoke(main, ["import", nodes, edges, "--database", db])
    assert result.exit_code == 0, result.output
    store = SQLiteStore(db)
    try:
        assert len(list(store.nodes("demo"))) == 12 and len(list(store.ties("demo"))) == 19
    finally:
        store.close()
