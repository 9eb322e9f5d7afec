"""Honest templates (issue 16): example rows skipped and said so, the help sheet read
silently, every bad cell of a row reported."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from click.testing import CliRunner

from mapper.cli import main
from mapper.io import export as exporter
from mapper.io.plan import plan_import
from mapper.io.readers import read_bytes
from mapper.io.templates import SHEETS
from mapper.store import SQLiteStore


@pytest.fixture
def store():
    s = SQLiteStore(":memory:")
    s.create_workspace("demo", "Bibliotheek Rijnstad")
    yield s
    s.close()


def _template_with_my_rows(fmt: str) -> bytes:
    """The template as downloaded, with the person's own rows added below the examples."""
    out = io.BytesIO()
    exporter.write_templates(fmt, out)
    if fmt == "csv":
        return out.getvalue()
    wb = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    wb["Individuen en organisaties"].append(
        ["", "persoon", "Fatma Yılmaz", "", "", "", "duurzaamheid", "ja", "3"]
    )
    wb["Relaties"].append(["", "Fatma Yılmaz", "Stichting Groen", "lid van"])
    wb["Individuen en organisaties"].append(["", "organisatie", "Stichting Groen"])
    mine = io.BytesIO()
    wb.save(mine)
    return mine.getvalue()


def test_example_rows_are_skipped_and_said_so(store):
    found = read_bytes(_template_with_my_rows("xlsx"), "omgevingsscan.xlsx")
    assert found.notes == []  # the Uitleg sheet is the template's own: nothing to say
    plan = plan_import(store, "demo", found)
    assert plan.ok, plan.errors
    examples = sum(len(s.example) for s in SHEETS.values())
    skipped = [n for n in plan.summary()["notes"] if "example row of the template" in n]
    assert len(skipped) == examples
    assert any("Jan de Vries" in n and "row 2" in n for n in skipped)
    plan.apply()
    names = {n.name for n in store.nodes("demo")}
    assert {"Fatma Yılmaz", "Stichting Groen", "duurzaamheid"} <= names
    assert not names & {"Jan de Vries", "Stichting Repair Café", "Anna Bakker", "Repair Café"}


def test_the_empty_template_imports_nothing(store):
    out = io.BytesIO()
    exporter.write_templates("csv", out)
    plan = plan_import(store, "demo", read_bytes(out.getvalue(), "sjabloon.zip"))
    assert plan.ok and plan.changes_nothing() and plan.entities == []


def test_an_old_template_without_the_mark_is_still_recognised(store):
    sheet = SHEETS["entities"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(sheet.headers)
    writer.writerow(["", *sheet.example[0][1:]])  # a template from before the mark: no id
    writer.writerow(["", "persoon", "Piet Jansen"])
    data = buffer.getvalue()
    plan = plan_import(store, "demo", read_bytes(data.encode(), "individuen.csv"))
    assert [e.name for e in plan.entities] == ["Piet Jansen"]
    assert "example row of the template (Jan de Vries)" in plan.summary()["notes"][0]


def test_a_plain_row_like_a_short_example_is_imported(store):
    data = b"soort;naam\nthema;duurzaamheid\n"
    plan = plan_import(store, "demo", read_bytes(data, "overige.csv"))
    assert [e.name for e in plan.entities] == ["duurzaamheid"] and not plan.notes


def test_every_bad_cell_of_a_row_is_reported(store):
    data = b"soort;naam;band met bibliotheek;sterkte band\npersoonn;Jan;misschien;7\n"
    plan = plan_import(store, "demo", read_bytes(data, "individuen.csv"))
    assert [(e.row, e.column) for e in plan.errors] == [
        (2, "soort"),
        (2, "band met bibliotheek"),
        (2, "sterkte band"),
    ]
    assert "'7'" in str(plan.errors[2])


def test_the_cli_dry_run_names_the_skipped_rows(tmp_path):
    file = tmp_path / "omgevingsscan.xlsx"
    file.write_bytes(_template_with_my_rows("xlsx"))
    result = CliRunner().invoke(
        main, ["import", str(file), "--dry-run", "--database", str(tmp_path / "x.db")]
    )
    assert result.exit_code == 0, result.output
    assert "note: Individuen en organisaties, row 2: example row" in result.output
    assert "Uitleg" not in result.output
