"""Name search (``find_nodes``) in every adapter: the answers of the reference scan in
:meth:`mapper.store.base.Store.find_nodes`, on awkward names, with kinds, limits and paging.

SQLite answers from an index of folded names (``mapper/store/sqlite/queries.py``); these tests
hold it to the reference, which reads every node in Python.
"""

from __future__ import annotations

import sqlite3

import pytest

from mapper.store import SQLiteStore
from mapper.store.base import Store

NAMES = [
    ("Person", "Jan de Vries"),
    ("Person", "jan"),
    ("Person", "JAN"),
    ("Person", "Jansen"),
    ("Organisation", "Jan de Vries Bouw"),
    ("Person", "Fatma Yılmaz"),
    ("Person", "Émile Zola"),
    ("Person", "emile zola"),
    ("Person", "Bjørn Ødegård"),
    ("Person", "Straße"),
    ("Organisation", "100% Zeker"),
    ("Organisation", "a_b c"),
    ("Organisation", "ab c"),
    ("Person", "O'Brien"),
    ("Organisation", 'Stichting "Lezen"'),
    ("Organisation", "  Veel   spaties  "),
    ("Theme", "duurzaamheid"),
    ("Theme", "Duurzaamheid en wonen"),
    ("Person", "Zoë"),
    ("Person", "zoe"),
]

QUERIES = [
    "jan",
    "JAN",
    "jan de vries",
    "  Jan   de  ",
    "emile",
    "ÉMILE ZOLA",
    "bjorn odegard",
    "strasse",
    "yilmaz",
    "%",
    "_",
    "a_b",
    "'",
    '"',
    "o'brien",
    "veel spaties",
    "duurzaam",
    "zoe",
    "e",
    "",
    "   ",
    "geen treffer",
    "' OR 1=1 --",
]


@pytest.fixture
def town(ws):
    ws.add_nodes(
        [dict(kind=kind, name=name, id=f"n-{i:02d}") for i, (kind, name) in enumerate(NAMES)]
    )
    return ws


def reference(ws, text, **options):
    """The reference answer: the base class's scan over every node."""
    return [n.id for n in Store.find_nodes(ws.store, ws.slug, text, **options)]


@pytest.mark.parametrize("text", QUERIES)
def test_find_nodes_gives_the_reference_answers(town, text):
    assert [n.id for n in town.find_nodes(text, limit=50)] == reference(town, text, limit=50)


def test_find_nodes_ranks_exact_then_prefix_then_substring(town):
    # exact ("jan", "JAN", by id), then prefixes by folded name, then substrings
    found = [n.id for n in town.find_nodes("jan", limit=50)]
    assert found[:2] == ["n-01", "n-02"]  # "jan", "JAN": exact, by id
    assert found[2:] == ["n-00", "n-04", "n-03"]  # "jan de vries", "... bouw", "jansen"
    assert [n.id for n in town.find_nodes("emile zola")] == ["n-06", "n-07"]
    assert [n.id for n in town.find_nodes("zola")] == ["n-06", "n-07"]  # substrings


def test_find_nodes_treats_like_wildcards_and_quotes_as_text(town):
    assert [n.name for n in town.find_nodes("%")] == ["100% Zeker"]
    assert [n.name for n in town.find_nodes("_")] == ["a_b c"]
    assert [n.name for n in town.find_nodes("'")] == ["O'Brien"]
    assert [n.name for n in town.find_nodes('"lezen"')] == ['Stichting "Lezen"']
    assert town.find_nodes("' OR 1=1 --") == []
    assert town.find_nodes("") == [] and town.find_nodes("  ") == []


def test_find_nodes_by_kind_limit_and_offset(town):
    everything = reference(town, "e", limit=100)
    assert len(everything) > 6
    pages = [
        [n.id for n in town.find_nodes("e", limit=4, offset=start)]
        for start in range(0, len(everything), 4)
    ]
    assert [i for page in pages for i in page] == everything
    assert town.find_nodes("e", limit=4, offset=len(everything)) == []
    assert town.find_nodes("e", limit=0) == []
    orgs = [n.id for n in town.find_nodes("jan", kind="Organisation")]
    assert orgs == ["n-04"] == reference(town, "jan", kind="Organisation")
    both = [n.id for n in town.find_nodes("e", kind=["Theme", "Organisation"], limit=50)]
    assert both == reference(town, "e", kind=["Theme", "Organisation"], limit=50)
    assert {town.get_node(i).kind.value for i in both} <= {"Theme", "Organisation"}


def test_find_nodes_follows_renames_and_erasure(town):
    town.update_node("n-03", name="Petra Jansen-Ünal")
    assert [n.id for n in town.find_nodes("unal")] == ["n-03"]
    assert [n.id for n in town.find_nodes("jansen")] == ["n-03"]
    assert "n-03" not in [n.id for n in town.find_nodes("jan", limit=50)][:2]
    assert [n.id for n in town.find_nodes("jan", limit=50)] == reference(town, "jan", limit=50)
    town.erase_node("n-01")
    assert [n.id for n in town.find_nodes("jan", limit=50)] == reference(town, "jan", limit=50)
    assert "n-01" not in [n.id for n in town.find_nodes("jan", limit=50)]


def test_a_file_made_before_name_search_gets_its_folded_names(tmp_path):
    path = tmp_path / "old.db"
    store = SQLiteStore(path)
    ws = store.create_workspace("w")
    ws.add_nodes(
        [dict(kind=kind, name=name, id=f"n-{i:02d}") for i, (kind, name) in enumerate(NAMES)]
    )
    ws.update_node("n-00", name="Jan de Vries-Özil")
    store.close()
    conn = sqlite3.connect(path)  # as a file of the previous release: no column, no index
    conn.execute("DROP INDEX nodes_folded")
    conn.execute("ALTER TABLE nodes DROP COLUMN folded")
    conn.commit()
    conn.close()
    store = SQLiteStore(path)
    try:
        ws = store.workspace("w")
        for text in QUERIES + ["ozil"]:
            assert [n.id for n in ws.find_nodes(text, limit=50)] == reference(ws, text, limit=50)
        assert [n.id for n in ws.find_nodes("ozil")] == ["n-00"]
    finally:
        store.close()


def test_paging_across_the_prefix_and_substring_matches(ws):
    # SQLite reads the prefix matches as one range of its index, then the substrings; a name
    # that goes on with the last code point after the prefix sorts past that range's end
    for i, name in enumerate(["jan\U0010ffffx", "jan", "janz", "xjan", "jan\U0010ffff", "jana"]):
        ws.add_node("Person", name, id=f"p-{i}")
    assert [n.id for n in ws.find_nodes("jan")] == ["p-1", "p-5", "p-2", "p-4", "p-0", "p-3"]
    for limit in range(1, 8):
        for offset in range(7):
            assert [n.id for n in ws.find_nodes("jan", limit=limit, offset=offset)] == reference(
                ws, "jan", limit=limit, offset=offset
            )
