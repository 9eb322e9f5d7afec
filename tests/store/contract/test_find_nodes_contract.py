"""Name search (``find_nodes``, the pickers' search box) on every adapter: the same answers as
the reference implementation, :meth:`mapper.store.base.Store.find_nodes` (which folds and
ranks every entity in Python), on awkward names.

Neo4j answers with one Cypher statement with ``LIMIT`` on a stored search key; these names
are the ones where Cypher and Python disagree unless that key is exact: accents, ``ß``,
``ı``, ligatures, odd spacing, quotes and wildcards, and characters beyond U+FFFF (which
Neo4j sorts before U+E000..U+FFFF, Python after).
"""

from __future__ import annotations

import pytest

from mapper.store.base import Store

AWKWARD = [
    ("Person", "Zoë Bakker", "p-zoe1"),
    ("Person", "ZOE BAKKER", "p-zoe2"),
    ("Person", "zoe  bakker", "p-zoe0"),
    ("Organisation", "Zoé & Co", "o-zoe"),
    ("Person", "Straße", "p-strasse"),
    ("Person", "STRASSE", "p-strasse2"),
    ("Person", "Fatma Yılmaz", "p-fatma"),
    ("Person", "İlker Şahin", "p-ilker"),
    ("Person", "ﬁnn de Vries", "p-finn"),
    ("Person", 'O\'Brien "Bob"', "p-obrien"),
    ("Organisation", "100% Jan_de.Vries*", "o-pct"),
    ("Organisation", "back\\slash", "o-back"),
    ("Person", "x\U0001f600 emoji", "p-emoji"),
    ("Person", "x\ue000 private", "p-private"),
    ("Person", "x\uffee halfwidth", "p-halfwidth"),
    ("Person", "x\U00010000 linear b", "p-linear"),
    ("Theme", "中文 lezen", "t-zh"),
    ("Theme", "lezen", "t-lezen"),
    ("Theme", "Lezen", "t-lezen2"),
    ("Theme", "voorlezen", "t-voor"),
    # Same folded name: ties by id.
    ("Person", "Jan", "p-b"),
    ("Person", "Jan", "p-B"),
    ("Person", "JAN", "p-a"),
    ("Person", "jan", "p-A"),
    ("Person", "Jansen", "p-jansen"),
    ("Person", "Marjan", "p-marjan"),
]

QUERIES = [
    "zoe",
    "ZOË BAKKER",
    "zoe bakker",
    "  zoe   ",
    "ss",
    "strasse",
    "yilmaz",
    "ilker",
    "fi",
    "'",
    '"',
    "%",
    "_",
    ".",
    "*",
    "\\",
    "x",
    "\U0001f600",
    "\ue000",
    "中",
    "lezen",
    "LEZEN",
    "e",
    "a",
    "jan",
    "an",
    "nothing like this",
]


def _town(ws):
    ws.add_nodes([{"kind": k, "name": name, "id": node_id} for k, name, node_id in AWKWARD])


@pytest.mark.parametrize("limit", [1, 2, 3, 5, 20])
def test_find_nodes_answers_as_the_reference_on_awkward_names(ws, limit):
    _town(ws)
    for text in QUERIES:
        got = [n.id for n in ws.find_nodes(text, limit=limit)]
        reference = [n.id for n in Store.find_nodes(ws.store, ws.slug, text, limit=limit)]
        assert got == reference, (text, limit)


def test_find_nodes_by_kind_and_the_expected_order(ws):
    _town(ws)
    for kind in ("Person", ["Organisation", "Theme"], "Theme"):
        for text in ("zoe", "e", "lezen", "x", "jan"):
            got = [n.id for n in ws.find_nodes(text, kind=kind, limit=4)]
            reference = [
                n.id for n in Store.find_nodes(ws.store, ws.slug, text, kind=kind, limit=4)
            ]
            assert got == reference, (text, kind)
    # Exact first, then prefix, then substring; ties by folded name, then id (code points).
    assert [n.id for n in ws.find_nodes("jan", limit=10)] == [
        *("p-A", "p-B", "p-a", "p-b"),  # "jan"
        "p-jansen",  # "jansen"
        *("o-pct", "p-marjan"),  # "100% jan_de.vries*", "marjan"
    ]
    # U+FFEE folds to U+25CB; then U+E000; then U+10000 and U+1F600 (beyond U+FFFF).
    assert [n.id for n in ws.find_nodes("x", kind="Person")] == [
        "p-halfwidth",
        "p-private",
        "p-linear",
        "p-emoji",
    ]
    assert [n.id for n in ws.find_nodes("lezen", limit=2)] == ["t-lezen", "t-lezen2"]


def test_find_nodes_follows_renames_and_merges(ws):
    _town(ws)
    ws.update_node("p-marjan", name="Marjolein")
    assert "p-marjan" not in [n.id for n in ws.find_nodes("jan", limit=20)]
    assert [n.id for n in ws.find_nodes("marjolein")] == ["p-marjan"]
    ws.merge_nodes("p-zoe2", "p-zoe1")
    got = [n.id for n in ws.find_nodes("zoe")]
    assert got == [n.id for n in Store.find_nodes(ws.store, ws.slug, "zoe")]
    assert "p-zoe1" not in got and "p-zoe2" in got
