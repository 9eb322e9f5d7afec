"""The import corpus (``tests/data``, made by ``make_corpus.py`` the way the real tools write
files): every file imports into an empty workspace with the expected counts, the same town
comes out of every graph format, and a second import changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from mapper.i18n import use_language
from mapper.io.plan import plan_import
from mapper.io.readers import Found, read_file
from mapper.store import SQLiteStore

DATA = Path(__file__).parent.parent / "data"
KUMU_TYPES = {"element": {"Company": "Organisation"}, "connection": {"Personal": "KNOWS"}}

#: files → (format read, entities, ties, type mapping)
CORPUS = {
    ("undirected.graphml",): ("GraphML", 12, 19, None),
    ("directed.graphml",): ("GraphML", 12, 19, None),
    ("gephi.gexf",): ("GEXF", 12, 19, None),
    ("gephi-nodes.csv", "gephi-edges.csv"): ("CSV (comma, UTF-8)", 12, 19, None),
    ("kumu.xlsx",): ("Excel (XLSX)", 8, 8, KUMU_TYPES),
    ("individuen-en-organisaties.csv", "relaties.csv"): (
        "CSV (semicolon, Windows-1252)",
        10,
        15,
        None,
    ),
}


def _read(names: tuple[str, ...]) -> Found:
    found = [read_file(DATA / n) for n in names]
    return Found(found[0].format, [t for f in found for t in f.tables])


def _town(store: SQLiteStore) -> set[tuple[str, str, str, float | None]]:
    names = {n.id: n.name for n in store.nodes("demo")}
    out = set()
    for t in store.ties("demo"):
        a, b = names[t.source], names[t.target]
        if t.kind.value == "KNOWS":  # no direction: compare either way round
            a, b = sorted((a, b))
        out.add((t.kind.value, a, b, t.strength))
    return out


@pytest.fixture
def store():
    s = SQLiteStore(":memory:")
    s.create_workspace("demo", "Bibliotheek Rijnstad")
    yield s
    s.close()


@pytest.mark.parametrize("names", list(CORPUS), ids=lambda n: "+".join(n))
def test_corpus_file_imports_with_the_expected_counts(store, names):
    fmt, entities, ties, types = CORPUS[names]
    found = _read(names)
    with use_language("en"):
        assert str(found.format) == fmt
    plan = plan_import(store, "demo", found, type_mapping=types)
    assert plan.ok, plan.errors
    counts = plan.counts()
    assert (counts.get("entities_create"), counts.get("ties_create")) == (entities, ties)
    plan.apply()
    assert len(list(store.nodes("demo"))) == entities
    assert len(list(store.ties("demo"))) == ties
    assert plan_import(store, "demo", _read(names), type_mapping=types).changes_nothing()


@pytest.mark.parametrize(
    "names",
    [("undirected.graphml",), ("gephi.gexf",), ("gephi-nodes.csv", "gephi-edges.csv")],
    ids=lambda n: "+".join(n),
)
def test_every_graph_format_gives_the_same_town(names, tmp_path):
    towns = []
    for files in (("directed.graphml",), names):
        s = SQLiteStore(":memory:")
        s.create_workspace("demo")
        plan_import(s, "demo", _read(files)).apply()
        towns.append(_town(s))
        s.close()
    assert towns[0] == towns[1]


def test_dutch_excel_csv_keeps_its_accents_and_dutch_words(store):
    plan_import(store, "demo", _read(("individuen-en-organisaties.csv", "relaties.csv"))).apply()
    ties = _town(store)
    assert ("KNOWS", "Chloë van Dijk", "José Martínez", 0.6) in ties  # "redelijk", DD-MM-JJJJ
    assert ("MEMBER_OF", "Chloë van Dijk", "Stichting Groen Rijnstad", 0.8) in ties
    assert ("MEMBER_OF", "José Martínez", "Wijkcentrum De Brug", None) in ties  # a place
    assert ("ORGANISES", "Chloë van Dijk", "Repair Café", None) in ties
    assert ("ATTENDS", "José Martínez", "Repair Café", None) in ties
