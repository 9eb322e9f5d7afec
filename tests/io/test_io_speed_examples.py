"""The import's fast paths (issue 12) give the answers of the plain ones: the example-row check
with pre-folded examples and an ASCII fold, the scan for marked example rows, and the kinds
a tie may join made once per kind."""

from __future__ import annotations

import csv
import io
import itertools
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from mapper.io.found import Table
from mapper.io.plan import plan_import
from mapper.io.readers import read_bytes, read_file
from mapper.io.templates import (
    MIN_EXAMPLE_CELLS,
    SHEETS,
    fast_fold,
    fold,
    is_example,
    is_marked,
)
from mapper.store import SQLiteStore

DATA = Path(__file__).parent.parent / "data"


def _plain_is_example(sheet: Any, record: dict[str, Any], *, by_content: bool = True) -> bool:
    """The check as it was before the fast path: every example cell folded for every row."""

    def cell(value: Any) -> str:
        return fold(str(value)).strip() if value is not None else ""

    if is_marked(record):
        return True
    return by_content and any(
        all(
            cell(record.get(column.field)) == cell(value)
            for column, value in zip(sheet.columns, example)
            if column.field != "id"
        )
        for example in sheet.example
        if sum(1 for v in example[1:] if v) >= MIN_EXAMPLE_CELLS
    )


TEXTS = [
    "",
    " ",
    "Jan de Vries",
    "  JAN   de  VRIES ",
    "jan\tde\nvries",
    "a\x1cb\x1fc",  # ASCII separators str.split() treats as whitespace
    "Zoë",
    "ZOË",
    "Zoe\u0308",
    "Yılmaz",
    "Straße",
    "ﬁets",  # a ligature NFKD spells out
    "Øre",
    "Łódź",
    "café ",
    "\u00a0Jan\u2003Smit",
    "VOORBEELD",
    "①",
]


@pytest.mark.parametrize("value", TEXTS)
def test_fast_fold_is_fold(value):
    assert fast_fold(value) == fold(value)
    assert fast_fold(value) == fold(value).strip()


def test_fast_fold_is_fold_for_every_ascii_character():
    for code in range(128):
        for value in (chr(code), f"A{chr(code)}b", f" {chr(code)}Z "):
            assert fast_fold(value) == fold(value), repr(value)


def _variants(value: str) -> list[Any]:
    """A cell as people write it back: other case, accents removed or added, spaces, a number."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c))
    out: list[Any] = [value, value.upper(), f"  {value} ", plain, value + "x", None, ""]
    if value.strip().isdigit():
        out.append(int(value))
        out.append(float(value))
    return out


@pytest.mark.parametrize("key", list(SHEETS))
def test_example_check_agrees_with_the_plain_check_on_the_template_examples(key):
    sheet = SHEETS[key]
    fields = [c.field for c in sheet.columns]
    checked = 0
    for example in sheet.example:
        base = dict(zip(fields, example))
        base["id"] = ""
        assert is_example(sheet, base) == _plain_is_example(sheet, base)
        for name, value in base.items():
            if name == "id":
                continue
            for variant in _variants(str(value)):
                record = {**base, name: variant}
                for by_content in (True, False):
                    got = is_example(sheet, record, by_content=by_content)
                    want = _plain_is_example(sheet, record, by_content=by_content)
                    assert got == want, (record, by_content)
                    checked += 1
        # every column changed at once, two at a time
        for a, b in itertools.combinations([f for f in fields if f != "id"], 2):
            record = {**base, a: str(base[a]).upper(), b: f" {base[b]} "}
            assert is_example(sheet, record) == _plain_is_example(sheet, record)
    assert checked or not sheet.example


def _corpus_tables() -> list[Table]:
    tables: list[Table] = []
    for path in sorted(DATA.iterdir()):
        if path.is_file() and path.suffix in (".csv", ".xlsx", ".graphml", ".gexf"):
            tables += read_file(path).tables
    return tables


def test_example_check_agrees_with_the_plain_check_on_the_corpus():
    tables = _corpus_tables()
    assert tables
    seen = 0
    for table in tables:
        for _, rec in table.records():
            for by_content in (True, False):
                assert is_example(table.sheet, rec, by_content=by_content) == _plain_is_example(
                    table.sheet, rec, by_content=by_content
                )
            seen += 1
    assert seen > 30


def test_cells_of_a_field_are_what_records_give():
    for table in _corpus_tables():
        fields = {c.field for c in table.columns if c is not None}
        for name in fields | {"id", "not-a-field"}:
            by_records = {row: rec.get(name) for row, rec in table.records()}
            cells = list(table.cells(name))
            if name not in fields:
                assert cells == []
                continue
            assert len(cells) == len(table.rows)
            for row, value in by_records.items():
                assert cells[row - table.first_row] == value


def _graph(store: SQLiteStore) -> set[tuple[Any, ...]]:
    names = {n.id: (n.kind.value, n.name) for n in store.nodes("demo")}
    return {
        (t.kind.value, names[t.source], names[t.target], t.strength) for t in store.ties("demo")
    }


def test_example_rows_skipped_by_content_and_by_mark_as_before():
    """An old template (no marks): a row repeating an example is skipped; with one marked row
    in the file, only marked rows are (a row whose mark was removed is the person's own)."""
    sheet = SHEETS["entities"]
    fields = [c.field for c in sheet.columns]
    example = dict(zip(fields, sheet.example[0]))
    header = [c.header for c in sheet.columns]

    def row(rec: dict[str, Any]) -> list[str]:
        return [str(rec.get(f) or "") for f in fields]

    def csv_bytes(*rows: list[str]) -> bytes:
        out = io.StringIO()
        csv.writer(out, delimiter=";").writerows(rows)
        return out.getvalue().encode()

    unmarked = {**example, "id": ""}
    shouted = {k: str(v).upper() for k, v in unmarked.items()}
    mine = {**unmarked, "name": "Fatma Yılmaz"}
    old = csv_bytes(header, row(unmarked), row(shouted), row(mine))
    store = SQLiteStore(":memory:")
    store.create_workspace("demo", "Bibliotheek Rijnstad")
    plan = plan_import(store, "demo", read_bytes(old, "individuen-en-organisaties.csv"))
    assert not plan.errors
    assert [code for code, _ in plan.note_codes].count("example_row") == 2
    assert {e.name for e in plan.entities if not e.implicit} == {"Fatma Yılmaz"}

    marked = {**example, "id": "Voorbeeld"}
    new = csv_bytes(header, row(marked), row(unmarked))
    plan = plan_import(store, "demo", read_bytes(new, "individuen-en-organisaties.csv"))
    assert [code for code, _ in plan.note_codes].count("example_row") == 1
    assert example["name"] in {e.name for e in plan.entities if not e.implicit}
    store.close()


def test_corpus_imports_the_same_graph_twice_over_and_changes_nothing_the_second_time():
    found = read_file(DATA / "individuen-en-organisaties.csv")
    ties = read_file(DATA / "relaties.csv")
    found.tables += ties.tables
    store = SQLiteStore(":memory:")
    store.create_workspace("demo", "Bibliotheek Rijnstad")
    plan = plan_import(store, "demo", found)
    assert not plan.errors
    plan.apply()
    first = _graph(store)
    assert len(first) >= 10
    again = plan_import(store, "demo", found)
    assert again.changes_nothing()
    assert _graph(store) == first
    store.close()


def test_an_empty_name_index_finds_nothing_and_a_filled_one_still_does():
    from mapper.io.matching import NameIndex
    from mapper.model import NodeKind

    index = NameIndex()
    assert index.near("Jan de Vries", NodeKind.PERSON) == []
    index.add("per-1", NodeKind.PERSON, "Jan de Vries")
    assert index.near("J. de Vries", NodeKind.PERSON) == ["per-1"]
    assert index.near("Jan de Vires", NodeKind.PERSON) == ["per-1"]
