"""The import's fast paths (issue 12) write exactly what the plain paths write.

- Writing: the import hands SQLite the fields of each new tie (``add_tie_rows``), and SQLite
  builds the ``ties`` and audit rows straight from them (``_insert_tie_rows``), each date's
  text once; the plain path builds a :class:`~mapper.model.Tie` per row for ``add_ties`` and
  an :class:`~mapper.audit.AuditEntry` per tie for ``_insert_audit`` (the store's default,
  which the Neo4j store uses), with every date converted on its own.
- Planning: each distinct kind, strength and date text of a tie row is parsed once, and each
  distinct name of a tie's end resolved once, and a row of a ties sheet that only repeats
  what earlier rows had is planned from those memos (``plan/tie_sheet.py``); the plain path
  plans every row cell by cell.

Every corpus file (``tests/data``) and a generated town with many repeated names are imported
both ways into real SQLite files; the ``nodes``, ``ties``, ``audit`` and ``audit_refs`` rows are
compared with ids and times replaced by what they name. Bad cells repeated on several rows are
reported on every row, in Dutch, and nothing is written.
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from mapper.i18n import use_language
from mapper.io.plan import ImportPlan, plan_import
from mapper.io.plan.base import _no_gc
from mapper.io.readers import Found, read_bytes, read_file
from mapper.model import Tie
from mapper.store import SQLiteStore
from mapper.store.core import StoreCore
from mapper.store.sqlite import schema

DATA = Path(__file__).parent.parent / "data"
KUMU_TYPES = {"element": {"Company": "Organisation"}, "connection": {"Personal": "KNOWS"}}
CORPUS = [
    ("undirected.graphml",),
    ("directed.graphml",),
    ("gephi.gexf",),
    ("gephi-nodes.csv", "gephi-edges.csv"),
    ("kumu.xlsx",),
    ("individuen-en-organisaties.csv", "relaties.csv"),
]


class PlainStore(SQLiteStore):
    """SQLite with the plain write path: a Tie per row through add_ties, an AuditEntry per
    tie, every date converted."""

    _insert_tie_audit = StoreCore._insert_tie_audit

    def add_tie_rows(self, workspace: str, rows: list[tuple[Any, ...]]) -> int:
        return len(self.add_ties(workspace, [Tie(*row) for row in rows]))

    def _insert_ties(self, workspace: str, ties: list[Tie]) -> None:
        rows = [
            (
                workspace,
                t.id,
                t.version,
                int(t.current),
                t.kind.value,
                t.source,
                t.target,
                t.strength,
                schema._d(t.since),
                schema._d(t.until),
                t.role,
                t.origin,
                schema.json.dumps(t.props, ensure_ascii=False) if t.props else "{}",
                t.recorded_at,
            )
            for t in ties
        ]
        schema._insert_many(
            self.conn, f"INSERT INTO ties(workspace, {schema.TIE_COLS}) VALUES", 14, rows
        )


class _NoMemo(dict):  # type: ignore[type-arg]
    """A memo that keeps nothing: every row parsed and resolved on its own."""

    def __setitem__(self, key: Any, value: Any) -> None:
        pass


def plain_plan(store: SQLiteStore, found: Found, types: dict[str, Any]) -> ImportPlan:
    """plan_import without the per-text memos."""
    plan = ImportPlan(store, "demo", found, "import")
    plan._parsed = _NoMemo()
    plan._resolved = _NoMemo()
    plan.type_mapping = dict(types)
    with _no_gc():
        plan.build()
    return plan


def _read(names: tuple[str, ...]) -> Found:
    found = [read_file(DATA / n) for n in names]
    return Found(found[0].format, [t for f in found for t in f.tables])


def written(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """The rows an import wrote, ids named by what they are (kind and name; a tie by its kind
    and ends' names), times left out, sorted."""
    con = sqlite3.connect(path)
    names = {i: f"{k}:{n}" for i, k, n in con.execute("SELECT id, kind, name FROM nodes")}
    for i, k, s, t in con.execute("SELECT id, kind, source, target FROM ties"):
        names[i] = f"{k}:{names[s]}->{names[t]}"

    def name(value: Any) -> Any:
        return names.get(value, value) if isinstance(value, str) else value

    out: dict[str, list[tuple[Any, ...]]] = {}
    for table, drop in (
        ("nodes", {"recorded_at"}),
        ("ties", {"recorded_at"}),
        ("audit", {"seq", "at"}),
        ("audit_refs", {"seq"}),
    ):
        cols = [r[1] for r in con.execute(f"PRAGMA table_info({table})") if r[1] not in drop]
        rows = []
        for row in con.execute(f"SELECT {', '.join(cols)} FROM {table}"):
            values = [name(v) for v in row]
            if table == "audit":
                refs = cols.index("refs")
                values[refs] = " ".join(name(r) for r in row[refs].split())
            rows.append(tuple(values))
        out[table] = sorted(rows, key=repr)
    con.close()
    return out


def import_both(
    tmp_path: Path, found: Found, types: dict[str, Any] | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    types = types or {}
    results = []
    for label, cls, make in (
        ("fast", SQLiteStore, lambda s, f, t: plan_import(s, "demo", f, type_mapping=t)),
        ("plain", PlainStore, plain_plan),
    ):
        store = cls(tmp_path / f"{label}.db")
        store.create_workspace("demo", "Bibliotheek Rijnstad")
        plan = make(store, found, types)
        assert plan.ok, plan.errors[:3]
        plan.apply()
        store.close()
        results.append(written(tmp_path / f"{label}.db"))
    return results[0], results[1]


@pytest.mark.parametrize("names", CORPUS, ids=lambda n: "+".join(n))
def test_fast_import_writes_the_same_rows_as_the_plain_one(tmp_path, names):
    types = KUMU_TYPES if names == ("kumu.xlsx",) else None
    fast, plain = import_both(tmp_path, _read(names), types)
    assert fast["ties"], "the corpus file has ties"
    assert [r for r in fast["audit"] if r[3] == "tie"], "one audit entry per tie"
    assert fast == plain


def town_csv(people: int, orgs: int, ties: int, seed: int = 7) -> bytes:
    """A Relaties sheet naming each person many times, with repeated kinds, strengths, dates."""
    rng = random.Random(seed)
    persons = [f"Persoon {i:03d}" for i in range(people)]
    clubs = [f"Vereniging {i:02d}" for i in range(orgs)]
    lines = ["van;naar;soort relatie;sterkte;sinds;tot"]
    seen: set[tuple[str, str]] = set()
    while len(lines) <= ties:
        a = rng.choice(persons)
        if rng.random() < 0.7:
            b, kind = rng.choice(persons), rng.choice(["kent", "KNOWS"])
        else:
            b, kind = rng.choice(clubs), "lid van"
        key = (min(a, b), max(a, b)) if kind != "lid van" else (a, b)
        if a == b or key in seen:
            continue
        seen.add(key)
        strength = rng.choice(["1", "3", "5", "0,8", "sterk", ""])
        since = rng.choice(["2020-01-01", "01-03-2024", "", "2019-06-15"])
        until = rng.choice(["", "", "2030-01-01"])
        lines.append(f"{a};{b};{kind};{strength};{since};{until}")
    return ("\n".join(lines) + "\n").encode()


def entities_csv(people: int, orgs: int) -> bytes:
    lines = ["soort;naam"]
    lines += [f"persoon;Persoon {i:03d}" for i in range(people)]
    lines += [f"organisatie;Vereniging {i:02d}" for i in range(orgs)]
    return ("\n".join(lines) + "\n").encode()


def test_fast_import_of_a_town_with_repeated_names_writes_the_same_rows(tmp_path):
    found = [
        read_bytes(entities_csv(60, 8), "individuen-en-organisaties.csv"),
        read_bytes(town_csv(60, 8, 600), "relaties.csv"),
    ]
    fast, plain = import_both(
        tmp_path, Found(found[0].format, [t for f in found for t in f.tables])
    )
    assert len(fast["ties"]) == 600
    assert fast == plain


def test_fast_import_of_rows_of_every_shape_writes_the_same_rows(tmp_path):
    """The shortcut for simple tie rows (``plan/tie_sheet.py``) next to rows it hands back:
    roles, sources, ids and extra cells filled on some rows, both dates, blank and short
    rows, cells of spaces, a kind with a role, and the template's example row."""
    rng = random.Random(3)
    lines = ["van;naar;soort relatie;sterkte;sinds;tot;rol;bron;id;extra"]
    for i in range(400):
        a, b = f"Persoon {rng.randrange(30):03d}", f"Persoon {rng.randrange(30, 60):03d}"
        kind, role = "kent", ""
        if i % 7 == 0:
            b, kind = f"Vereniging {rng.randrange(8):02d}", "lid van"
            role = rng.choice(["", "bestuur", "vrijwilliger"])
        since = rng.choice(["2020-01-01", "", "2019-06-15"])
        until = "2030-01-01" if i % 11 == 0 else ""
        origin = "gesprek" if i % 13 == 0 else ""
        extra = '"{""hobby"": ""schaken""}"' if i % 17 == 0 else ""
        tie_id = f"tie-file{i:04d}" if i % 19 == 0 else ""
        lines.append(
            f"{a};{b};{kind};{rng.choice(['3', ''])};{since};{until};{role};{origin}"
            f";{tie_id};{extra}"
        )
        if i % 50 == 0:
            c, d = f"Persoon {i % 30:03d}", f"Persoon {30 + i % 30:03d}"
            lines += [";;;;;;;;;", "  ;  ;  ", f"{c};{d};kent", f"{d};{c};  kent ;3"]
    # the template's own example row (no row of the file is marked): noted, skipped
    lines.append("Jan de Vries;Stichting Repair Café;lid van;4;2024-03-01;;vrijwilliger;gesprek;;")
    found = [
        read_bytes(entities_csv(60, 8), "individuen-en-organisaties.csv"),
        read_bytes(("\n".join(lines) + "\n").encode(), "relaties.csv"),
    ]
    both = Found(found[0].format, [t for f in found for t in f.tables])
    store = SQLiteStore(tmp_path / "plan.db")
    store.create_workspace("demo", "Bibliotheek Rijnstad")
    fast_plan, plain = plan_import(store, "demo", both), plain_plan(store, both, {})
    store.close()
    assert [str(e) for e in fast_plan.errors] == [str(e) for e in plain.errors]
    assert fast_plan.note_codes == plain.note_codes
    assert any(code == "example_row" for code, _ in fast_plan.note_codes)
    assert fast_plan.ok, [str(e) for e in fast_plan.errors]
    fast, plain_rows = import_both(tmp_path, both)
    assert len(fast["ties"]) > 300
    assert fast == plain_rows


def test_repeated_bad_cells_are_reported_on_every_row_in_dutch(tmp_path):
    """The memos keep only good answers: a bad name, kind, strength or date repeated on
    several rows is reported on each of them, and nothing is written."""
    relaties = (
        b"van;naar;soort relatie;sterkte;sinds\n"
        b"Persoon 000;Niemand;kent;3;2020-01-01\n"  # 2: unknown name
        b"Persoon 001;Niemand;kent;3;2020-01-01\n"  # 3: the same unknown name
        b"Persoon 000;Persoon 001;kent;3;2020-01-01\n"  # 4: good (fills the memos)
        b"Persoon 002;Persoon 001;kenn;3;2020-01-01\n"  # 5: unknown kind
        b"Persoon 003;Persoon 001;kenn;3;2020-01-01\n"  # 6: the same unknown kind
        b"Persoon 004;Persoon 001;kent;9;2020-01-01\n"  # 7: strength out of range
        b"Persoon 005;Persoon 001;kent;9;2020-13-01\n"  # 8: the same strength, a bad date
        b"Persoon 006;Persoon 001;kent;3;2020-13-01\n"  # 9: the same bad date
        b"Persoon 000;Vereniging 00;kent;3;2020-01-01\n"  # 10: an organisation cannot know
        b"Persoon 001;Vereniging 00;kent;3;2020-01-01\n"  # 11: the same end again
    )
    found = [
        read_bytes(entities_csv(8, 1), "individuen-en-organisaties.csv"),
        read_bytes(relaties, "relaties.csv"),
    ]
    store = SQLiteStore(tmp_path / "bad.db")
    store.create_workspace("demo", "Bibliotheek Rijnstad")
    plan = plan_import(store, "demo", Found(found[0].format, [t for f in found for t in f.tables]))
    with use_language("nl"):
        errors = [(e.row, e.column, str(e.message)) for e in plan.errors]
    rows = sorted({(row, column) for row, column, _ in errors})
    assert rows == [
        (2, "naar"),
        (3, "naar"),
        (5, "soort relatie"),
        (6, "soort relatie"),
        (7, "sterkte"),
        (8, "sinds"),
        (8, "sterkte"),
        (9, "sinds"),
        (10, "naar"),
        (11, "naar"),
    ]
    by_row = {(row, column): text for row, column, text in errors}
    assert "Niemand" in by_row[2, "naar"] and by_row[2, "naar"] == by_row[3, "naar"]
    assert "in dit bestand of de werkruimte" in by_row[2, "naar"]  # said in Dutch
    assert by_row[7, "sterkte"] == by_row[8, "sterkte"]
    assert by_row[5, "soort relatie"] == by_row[6, "soort relatie"]
    with pytest.raises(Exception, match="nothing imported|niets ge"):
        plan.apply()
    assert store.counts("demo")["ties"] == 0
    assert not list(store.nodes("demo"))
    store.close()
