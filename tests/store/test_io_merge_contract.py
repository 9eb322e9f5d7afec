"""Merge and undo of a merge behave the same on every store adapter (issue 16)."""

from __future__ import annotations


def test_merge_then_unmerge_restores_both_on_every_store(ws):
    jan = ws.add_node("Person", "Jan de Vries", props={"notes": "vrijwilliger"})
    dup = ws.add_node("Person", "J. de Vries", props={"phone": "06-1234"})
    cafe = ws.add_node("Organisation", "Repair Café")
    theme = ws.add_node("Theme", "duurzaamheid")
    ws.add_tie("MEMBER_OF", dup.id, cafe.id, strength=0.8, since="2024-01-01")
    ws.add_tie("ACTIVE_ON", jan.id, theme.id)
    ws.add_tie("KNOWS", jan.id, dup.id, strength=0.6)
    ws.add_contacts([dict(a=dup.id, b=cafe.id, on="2024-05-01", mode="conversation")])
    ties = {(t.id, t.kind, t.source, t.target, t.strength) for t in ws.ties()}
    contacts = {(c.id, c.a, c.b) for c in ws.contacts()}
    merged = ws.merge_nodes(jan.id, dup.id)
    assert "Samengevoegd met J. de Vries" in merged.props["notes"]
    assert {t.source for t in ws.ties(kind="MEMBER_OF")} == {jan.id}
    [entry] = ws.audit(action="merge")
    kept, back = ws.unmerge_nodes(entry.seq)
    assert (kept.props, back.props, back.name) == (
        {"notes": "vrijwilliger"},
        {"phone": "06-1234"},
        "J. de Vries",
    )
    assert {(t.id, t.kind, t.source, t.target, t.strength) for t in ws.ties()} == ties
    assert {(c.id, c.a, c.b) for c in ws.contacts()} == contacts
