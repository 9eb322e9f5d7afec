"""Merging you can trust (issue 16): family members are not duplicates by name alone, ties
between the two become a note, a merge can be undone, and the CLI asks before it merges."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from mapper.cli import main
from mapper.errors import ConflictError
from mapper.io.matching import find_duplicates
from mapper.store import SQLiteStore


@pytest.fixture
def ws():
    store = SQLiteStore(":memory:")
    ws = store.create_workspace("demo", "Bibliotheek Rijnstad")
    yield ws
    store.close()


def _pairs(ws):
    found = find_duplicates(ws.nodes(), ties=ws.ties())
    return {(frozenset((a.name, b.name)), why) for a, b, why in found}


def test_family_members_are_not_duplicates_without_other_evidence(ws):
    elif_ = ws.add_node("Person", "Elif Demir")
    emre = ws.add_node("Person", "Emre Demir")
    ws.add_node("Person", "E. Demir")
    family = frozenset(("Elif Demir", "Emre Demir"))
    assert family not in {names for names, _ in _pairs(ws)}
    assert {why for _, why in _pairs(ws)} == {"similar name"}  # E. Demir ~ each of them
    club = ws.add_node("Organisation", "Turkse Vrouwenvereniging")
    ws.add_tie("MEMBER_OF", elif_.id, club.id)
    ws.add_tie("MEMBER_OF", emre.id, club.id)
    assert (family, "same organisation") in _pairs(ws)


def test_the_same_e_mail_is_evidence(ws):
    ws.add_node("Person", "Jan de Vries", props={"email": "jan@example.nl"})
    ws.add_node("Person", "Johan de Vries", props={"email": "Jan@Example.nl"})
    assert _pairs(ws) == {(frozenset(("Jan de Vries", "Johan de Vries")), "same e-mail")}


def _town(ws):
    jan = ws.add_node("Person", "Jan de Vries", props={"notes": "vrijwilliger"})
    dup = ws.add_node("Person", "J. de Vries", props={"phone": "06-1234"})
    cafe = ws.add_node("Organisation", "Repair Café")
    theme = ws.add_node("Theme", "duurzaamheid")
    ws.add_tie("MEMBER_OF", dup.id, cafe.id, strength=0.8, since="2024-01-01")
    ws.add_tie("ACTIVE_ON", jan.id, theme.id)
    between = ws.add_tie("KNOWS", jan.id, dup.id, strength=0.6)
    ws.add_contacts([dict(a=dup.id, b=cafe.id, on="2024-05-01", mode="conversation")])
    return jan, dup, cafe, between


def test_ties_between_the_two_become_a_note(ws):
    jan, dup, cafe, between = _town(ws)
    node = ws.merge_nodes(jan.id, dup.id)
    assert "Samengevoegd met J. de Vries" in node.props["notes"]
    assert "kent (sterkte 0.6)" in node.props["notes"]
    assert node.props["notes"].startswith("vrijwilliger\n")
    assert node.props["merged_from"][-1]["between"][0]["kind"] == "KNOWS"
    assert between.id not in {t.id for t in ws.ties(history=True)}


def test_a_merge_can_be_undone(ws):
    jan, dup, cafe, between = _town(ws)
    before_ties = {(t.id, t.kind, t.source, t.target, t.strength) for t in ws.ties()}
    before_contacts = {(c.id, c.a, c.b) for c in ws.contacts()}
    ws.merge_nodes(jan.id, dup.id)
    [merge] = ws.audit(action="merge")
    kept, back = ws.unmerge_nodes(merge.seq)
    assert (back.id, back.name, back.props) == (dup.id, "J. de Vries", {"phone": "06-1234"})
    assert kept.props == {"notes": "vrijwilliger"}
    assert {(t.id, t.kind, t.source, t.target, t.strength) for t in ws.ties()} == before_ties
    assert {(c.id, c.a, c.b) for c in ws.contacts()} == before_contacts
    with pytest.raises(ConflictError):
        ws.unmerge_nodes(merge.seq)


def test_the_cli_asks_before_merging_and_can_undo(tmp_path):
    db = str(tmp_path / "m.db")
    store = SQLiteStore(db)
    ws = store.create_workspace("demo")
    jan, dup, cafe, _ = _town(ws)
    store.close()
    runner = CliRunner()
    refused = runner.invoke(main, ["merge", jan.id, dup.id, "--database", db], input="n\n")
    assert refused.exit_code == 1
    assert "J. de Vries goes into Jan de Vries" in refused.output
    assert "1 tie between them (KNOWS) becomes a note" in refused.output
    assert "not merged" in refused.output
    done = runner.invoke(main, ["merge", jan.id, dup.id, "--database", db, "--yes"])
    assert done.exit_code == 0 and "merged into Jan de Vries" in done.output
    assert "mapper unmerge" in done.output
    seq = done.output.split("mapper unmerge ")[1].split()[0]
    undone = runner.invoke(main, ["unmerge", seq, "--database", db])
    assert undone.exit_code == 0, undone.output
    assert "J. de Vries is back" in undone.output
