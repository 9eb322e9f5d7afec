"""The edit service on a real SQLite store: every change versioned, audited, all or nothing,
and undone by writing its reverse."""

from __future__ import annotations

import datetime as dt
import sys

import pytest

from mapper.errors import NotFoundError, ValidationError
from mapper.privacy import ORGANISATIONS_ONLY
from mapper.services import edit, quickadd
from mapper.store import SQLiteStore

TODAY = dt.date.today()


@pytest.fixture
def ws(tmp_path):
    store = SQLiteStore(tmp_path / "edit.db")
    store.actor = "anna@bieb.nl"
    yield store.create_workspace("w", "Bibliotheek W")
    store.close()


def test_add_entity_makes_its_ties_and_the_library_when_missing(ws):
    theme = edit.add_entity(ws, "thema", "duurzaamheid", library_theme=True)
    (library,) = ws.nodes(kind="Library")
    assert library.name == "Bibliotheek W"
    cafe = edit.add_entity(
        ws,
        "ORGANISATIE",
        "Repair Café",
        theme=theme.node.id,
        theme_strength=4,
        bond=True,
        bond_strength="zwak",
    )
    kinds = sorted((t.kind.value, t.strength, t.since) for t in cafe.ties)
    assert kinds == [("ACTIVE_ON", 0.8, TODAY), ("BOND_WITH", 0.4, TODAY)]
    assert len(list(ws.nodes(kind="Library"))) == 1  # made once
    entry = ws.audit(action="edit", limit=1)[0]
    assert entry.actor == "anna@bieb.nl" and entry.detail["op"] == "add"
    assert cafe.node.id in entry.refs and len(entry.detail["reverse"]) == 3


def test_a_failing_change_writes_nothing(ws):
    before = (ws.counts(), len(ws.audit()))
    with pytest.raises(edit.UnknownRef) as info:
        edit.add_entity(ws, "persoon", "Jan", channels=["Nergens"], bond=True)
    assert info.value.field == "channels" and info.value.value == "Nergens"
    with pytest.raises(ValidationError) as bad:
        edit.add_entity(ws, "persoon", "Jan", bond=True, bond_strength="7")
    assert bad.value.field == "bond_strength"
    assert (ws.counts(), len(ws.audit())) == before


def test_ties_are_turned_the_way_their_kind_allows(ws):
    fatma = edit.add_entity(ws, "persoon", "Fatma").node
    edit.add_entity(ws, "bibliotheek", "De Bieb")
    bond = edit.add_tie(ws, "band met", "Fatma", "De Bieb", strength="sterk").tie
    assert (ws.get_node(bond.source).kind.value, bond.target) == ("Library", fatma.id)
    with pytest.raises(edit.EditError) as info:
        edit.add_tie(ws, "KNOWS", "Fatma", "De Bieb")
    assert info.value.code == "tie_kinds" and info.value.params["source"] == "Person"
    with pytest.raises(edit.EditError, match="two different"):
        edit.add_tie(ws, "kent", "Fatma", fatma.id)


def test_undo_writes_the_reverse_of_each_kind_of_change(ws):
    jan = edit.add_entity(ws, "persoon", "Jan").node
    piet = edit.add_entity(ws, "persoon", "Piet", details={"neighbourhood": "Noord"}).node
    knows = edit.add_tie(ws, "kent", jan.id, piet.id, strength=2, since="2026-01-01").tie
    changed = edit.change_tie(ws, knows.id, strength=5, on="2026-06-01")
    ended = edit.end_tie(ws, knows.id, on="2026-09-01")
    renamed = edit.update_entity(ws, piet.id, name="Piet Bakker", details={"neighbourhood": ""})
    assert "neighbourhood" not in ws.get_node(piet.id).props

    edit.undo(ws, renamed.seq)
    assert ws.get_node(piet.id).name == "Piet" and ws.get_node(piet.id).props == {
        "neighbourhood": "Noord"
    }
    with pytest.raises(edit.EditError) as later:
        edit.undo(ws, changed.seq)  # the end came after it: undo that first
    assert later.value.code == "undo_conflict"
    edit.undo(ws, ended.seq)
    assert ws.get_tie(knows.id).until is None
    edit.undo(ws, changed.seq)
    versions = ws.tie_history(knows.id)
    assert [v.strength for v in versions] == [0.4, 1.0, 1.0, 0.4]
    # the change is reversed from the day the reopened version starts: the store never
    # rewrites a closed version
    assert ws.get_tie(knows.id).since == dt.date(2026, 9, 1)
    added = ws.audit(action="edit")[-1]  # the oldest: Jan added
    edit.undo(ws, added.seq)
    assert not ws.get_node(jan.id).valid_on(TODAY)  # valid nowhere now, still in history
    assert len(ws.node_history(jan.id)) == 2
    with pytest.raises(edit.EditError) as twice:
        edit.undo(ws, added.seq)
    assert twice.value.code == "undo_done"
    assert len(ws.audit(action="undo")) == 4


def test_only_the_author_undoes_and_only_within_the_hour(ws):
    change = edit.add_entity(ws, "thema", "lezen")
    with ws.store.acting_as("bram@bieb.nl"), pytest.raises(edit.EditError) as other:
        edit.undo(ws, change.seq)
    assert other.value.code == "undo_other"
    later = dt.datetime.now(dt.UTC) + edit.UNDO_WINDOW + dt.timedelta(minutes=1)
    with pytest.raises(edit.EditError) as late:
        edit.undo(ws, change.seq, now=later)
    assert late.value.code == "undo_late"
    recent = edit.recent_changes(ws, "anna@bieb.nl")
    assert [(r.seq, r.undoable) for r in recent] == [(change.seq, True)]
    assert edit.recent_changes(ws, "bram@bieb.nl")[0].undoable is False
    assert edit.recent_changes(ws, "anna@bieb.nl", now=later) == []
    with pytest.raises(NotFoundError):
        edit.undo(ws, 999_999)


def test_organisations_only_refuses_people_everywhere(ws):
    ws.store.update_workspace("w", settings={ORGANISATIONS_ONLY: True})
    with pytest.raises(edit.EditError) as info:
        edit.add_entity(ws, "persoon", "Jan")
    assert info.value.code == "organisations_only"
    lines = quickadd.check_lines(ws, "Jan, persoon\nBuurthuis, organisatie")
    assert [line.status for line in lines] == [quickadd.INVALID, quickadd.NEW]
    quickadd.add_lines(ws, lines)
    assert [n.name for n in ws.nodes()] == ["Buurthuis"]


def test_quick_add_is_one_change(ws):
    theme = edit.add_entity(ws, "thema", "lezen").node
    edit.add_entity(ws, "persoon", "Jan de Vries")
    lines = quickadd.check_lines(
        ws, "J. de Vries, persoon\njan  de vries, persoon\nLeesclub, organisatie\n\nLeesclub"
    )
    assert [(line.name, line.status) for line in lines] == [
        ("J. de Vries", "similar"),
        ("jan de vries", "exists"),
        ("Leesclub", "new"),
        ("Leesclub", "exists"),  # twice in the list
    ]
    change = quickadd.add_lines(ws, lines, theme=theme.id)
    assert sorted(n.name for n in change.nodes) == ["J. de Vries", "Leesclub"]
    assert {t.kind.value for t in change.ties} == {"ACTIVE_ON"}
    edit.undo(ws, change.seq)
    assert sorted(n.name for n in ws.nodes(as_of=TODAY)) == ["Jan de Vries", "lezen"]


def test_recent_changes_are_the_same_from_the_newest_entries_or_the_database(ws, monkeypatch):
    """The recent changes read from the newest audit entries (when the undo window lies
    among them) equal those the database finds for edits alone, for each entity, actor and
    moment."""
    undo_module = sys.modules["mapper.services.edit.undo"]

    jan = edit.add_entity(ws, "persoon", "Jan")
    edit.add_entity(ws, "thema", "lezen")
    ws.add_node("Person", "Niet via het werkblad")  # an entry that is no edit
    tie = edit.add_tie(ws, "kent", "Jan", "Niet via het werkblad", strength="sterk")
    with ws.store.acting_as("bram@bieb.nl"):
        edit.add_entity(ws, "persoon", "Piet")
    edit.undo(ws, tie.seq)
    ws.add_node("Person", "Nog een")
    jan_id = jan.node.id
    now = dt.datetime.now(dt.UTC)
    moments = [now, now + edit.UNDO_WINDOW / 2, now + edit.UNDO_WINDOW * 2]
    for entity in (None, jan_id, "nobody"):
        for actor in ("anna@bieb.nl", "bram@bieb.nl", None):
            for moment in moments:
                answers = []
                for probe in (1, 3, 10_000):  # 1: asks the database; 10 000: reads them all
                    monkeypatch.setattr(undo_module, "WINDOW_PROBE", probe)
                    answers.append(edit.recent_changes(ws, actor, entity=entity, now=moment))
                assert answers[0] == answers[1] == answers[2], (entity, actor, moment)
    recent = edit.recent_changes(ws, "anna@bieb.nl")
    assert len(recent) == 4 and [r.undone for r in recent].count(True) == 1
    assert edit.recent_changes(ws, "anna@bieb.nl", entity=jan_id)
