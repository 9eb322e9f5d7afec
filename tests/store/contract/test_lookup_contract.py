"""``lookup`` (the one entity of a kind with a name: the command line's names, the import's
references) on every adapter: an exact match of the folded name (case, accents, spacing, ß,
ı and ligatures do not count; wildcard characters are text), the kind filter, and the errors
for several matches and for none, in Dutch, with suggestions. It reads what the indexed name
search gives (SQLite's ``nodes_folded``, Neo4j's ``name_key``), never the whole workspace.
"""

from __future__ import annotations

import pytest

from mapper.errors import NotFoundError
from mapper.i18n import use_language
from mapper.store import SQLiteStore
from tests.store.contract.test_find_nodes_contract import AWKWARD, _town

#: (name asked for, kind, the id found)
FOUND = [
    ("zoé & co", "Organisation", "o-zoe"),
    ("ZOÉ  &  CO", ["Person", "Organisation"], "o-zoe"),
    ("fatma yilmaz", "Person", "p-fatma"),
    ("FATMA YILMAZ", "Person", "p-fatma"),
    ("ilker sahin", "Person", "p-ilker"),
    ("finn de vries", "Person", "p-finn"),  # the ligature ﬁ is f + i
    ('o\'brien "bob"', "Person", "p-obrien"),
    ("100% JAN_DE.VRIES*", "Organisation", "o-pct"),
    ("BACK\\SLASH", "Organisation", "o-back"),
    ("X\U0001f600 EMOJI", "Person", "p-emoji"),
    ("x\U00010000 linear b", "Person", "p-linear"),
    ("中文 LEZEN", "Theme", "t-zh"),
    ("voorlezen", "Theme", "t-voor"),
    ("jansen", "Person", "p-jansen"),
]

#: (name asked for, kind, the ids the error lists, in order)
AMBIGUOUS = [
    ("Zoe Bakker", "Person", ["p-zoe0", "p-zoe1", "p-zoe2"]),
    ("strasse", "Person", ["p-strasse", "p-strasse2"]),
    ("STRAẞE", "Person", ["p-strasse", "p-strasse2"]),
    ("lezen", "Theme", ["t-lezen", "t-lezen2"]),
    ("jan", "Person", ["p-A", "p-B", "p-a", "p-b"]),
]

#: Names no entity of the kind has (a wildcard is a character, not a pattern).
MISSING = [
    ("%", "Organisation"),
    ("_", "Organisation"),
    ("*", "Organisation"),
    ("100_ JAN%DE.VRIES*", "Organisation"),
    ("100% jan_de.vries", "Organisation"),
    ("zoe", "Person"),  # a prefix is not the name
    ("lezen", "Person"),  # the name, but not of this kind
    ("Zoé & Co", "Person"),
    ("\U0001f600", "Person"),
    ("", "Person"),
    ("   ", "Person"),
]


def test_lookup_finds_the_one_entity_of_the_folded_name(ws):
    _town(ws)
    for name, kind, node_id in FOUND:
        assert ws.lookup(name, kind=kind).id == node_id, name


def test_lookup_of_a_name_several_entities_have_lists_them_in_dutch(ws):
    _town(ws)
    names = {node_id: ws.get_node(node_id).name for _kind, _name, node_id in AWKWARD}
    for name, kind, ids in AMBIGUOUS:
        with pytest.raises(NotFoundError) as info:
            ws.lookup(name, kind=kind)
        listed = ", ".join(f"{names[i]} ({i})" for i in ids)
        with use_language("nl"):
            assert info.value.message == f"{name!r} kan meer dan één betekenen: {listed}"
        with use_language("en"):
            assert info.value.message == f"{name!r} is ambiguous: {listed}"


def test_lookup_lists_at_most_five_of_many(ws):
    ws.add_nodes([{"kind": "Person", "name": "Sam", "id": f"p-sam{i}"} for i in range(8)])
    with pytest.raises(NotFoundError) as info:
        ws.lookup("sam", kind="Person")
    assert [f"p-sam{i}" in info.value.message for i in range(8)] == [True] * 5 + [False] * 3


def test_lookup_of_a_missing_name_says_so_in_dutch(ws):
    _town(ws)
    words = {"Organisation": "Organisatie", "Person": "Persoon"}  # the model's labels
    for name, kind in MISSING:
        with pytest.raises(NotFoundError) as info:
            ws.lookup(name, kind=kind)
        with use_language("nl"):
            assert info.value.message.startswith(f"geen {words[kind]} met de naam {name!r}")
    with pytest.raises(NotFoundError) as info:
        ws.lookup("lezen", kind=["Person", "Organisation"])
    with use_language("nl"):
        assert info.value.message.startswith("geen Persoon of Organisatie met de naam 'lezen'")
    with use_language("en"):
        assert info.value.message.startswith("no Person or Organisation called 'lezen'")
    with pytest.raises(NotFoundError) as info:
        ws.lookup("lezen", kind=["Staff", "SmartGoal"])
    with use_language("nl"):
        assert info.value.message == "geen Medewerker of SMART-doel met de naam 'lezen'"


def test_lookup_suggests_close_and_containing_names(ws):
    _town(ws)
    cases = [
        ("Fatma Yilmas", "Person", "Fatma Yılmaz"),  # a typo in the last word
        ("Fatmah Yilmaz", "Person", "Fatma Yılmaz"),  # ... in the first
        ("Lezne", "Theme", "lezen"),  # a one-word name
        ("Zoé & Compagnie", "Organisation", "Zoé & Co"),
        ("%", "Organisation", "100% Jan_de.Vries*"),  # holds it
        ("straße", "Organisation", None),  # nothing of this kind
    ]
    for name, kind, expected in cases:
        with pytest.raises(NotFoundError) as info:
            ws.lookup(name, kind=kind)
        suggestions = info.value.suggestions
        assert len(suggestions) <= 5
        if expected is None:
            assert suggestions == [], name
        else:
            assert expected.casefold() in [s.casefold() for s in suggestions], (name, suggestions)
            with use_language("nl"):
                assert "(bedoelde je: " in info.value.message
    with pytest.raises(NotFoundError) as info:
        ws.lookup("Fatma Yilmas", kind="Theme")
    assert info.value.suggestions == []  # the kind filter holds for suggestions too


def test_lookup_suggests_a_close_name_among_many_alike(ws):
    """The suggestions come from a bounded read (pairs of the name's words, their starts),
    yet find the one name close to a typo among many that share its words."""
    alike = [f"Jan Aa {i:02d}" for i in range(80)] + [f"Vrijheid {i:02d}" for i in range(80)]
    alike += [f"Ade {i:02d}" for i in range(80)]
    ws.add_nodes([{"kind": "Person", "name": n, "id": f"p-{i}"} for i, n in enumerate(alike)])
    ws.add_node("Person", "Jan de Vries", id="p-jan")
    with pytest.raises(NotFoundError) as info:
        ws.lookup("Jan de Vris", kind="Person")
    assert info.value.suggestions[0] == "Jan de Vries"
    assert len(info.value.suggestions) <= 5


def test_lookup_follows_renames(ws):
    _town(ws)
    ws.update_node("p-fatma", name="Fatma Yıldız")
    assert ws.lookup("fatma yildiz", kind="Person").id == "p-fatma"
    with pytest.raises(NotFoundError) as info:
        ws.lookup("Fatma Yılmaz", kind="Person")
    assert "Fatma Yıldız" in info.value.suggestions


def test_lookup_never_reads_every_node(ws, monkeypatch):
    """The primitives that read all of a workspace's nodes are not called: not for a match,
    not for several, not for none."""
    _town(ws)
    store = ws.store
    calls: list[str] = []
    for primitive in ("_query_nodes", "_graph_rows", "_all_node_versions"):
        if hasattr(store, primitive):
            real = getattr(store, primitive)

            def spy(*args, _real=real, _name=primitive, **kwargs):
                calls.append(_name)
                return _real(*args, **kwargs)

            monkeypatch.setattr(store, primitive, spy)
    assert list(ws.nodes(kind="Theme"))  # the spies see a full read
    assert calls == ["_query_nodes"]
    calls.clear()
    assert ws.lookup("fatma yilmaz", kind="Person").id == "p-fatma"
    for name in ("jan", "Fatma Yilmas", "nothing like this"):
        with pytest.raises(NotFoundError):
            ws.lookup(name, kind="Person")
    assert calls == []


def test_sqlite_lookup_reads_the_folded_name_index_only(tmp_path):
    """Every statement a lookup runs on SQLite reads nodes through ``nodes_folded`` or by id:
    the number of rows it reads does not grow with the workspace."""
    store = SQLiteStore(tmp_path / "big.db")
    try:
        ws = store.create_workspace("w")
        ws.add_nodes(
            [{"kind": "Person", "name": f"Iemand {i}", "id": f"p-{i}"} for i in range(3000)]
        )
        _town(ws)
        statements: list[str] = []
        store.conn.set_trace_callback(statements.append)
        assert ws.lookup("Fatma Yilmaz", kind="Person").id == "p-fatma"
        with pytest.raises(NotFoundError):
            ws.lookup("Fatma Yilmas", kind="Person")
        store.conn.set_trace_callback(None)
        reads = [s for s in statements if "FROM nodes" in s]
        assert reads
        for sql in reads:
            assert "INDEXED BY nodes_folded" in sql or " id IN (" in sql or "id = " in sql, sql
        plans = [
            store.conn.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()
            for sql in reads
            if "INDEXED BY nodes_folded" in sql
        ]
        assert all("nodes_folded" in str(plan) for plan in plans)
    finally:
        store.close()
