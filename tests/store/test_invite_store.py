"""The store's records (invitations and answers beside the graph) and tie erasure, on every
adapter (Neo4j when configured)."""

from __future__ import annotations

import pytest

from mapper.errors import NotFoundError, ValidationError


def test_records_are_kept_per_workspace(ws, any_store):
    record = ws.put_record("invitation", "inv-1", {"name": "Duurzaam"}, refs=["thm-1"])
    assert record.body == {"name": "Duurzaam"} and record.refs == ("thm-1",)
    again = ws.put_record("invitation", "inv-1", {"name": "Duurzaam 2"})
    assert again.created_at == record.created_at
    assert ws.get_record("invitation", "inv-1").body == {"name": "Duurzaam 2"}
    assert ws.get_record("answer", "inv-1") is None
    other = any_store.create_workspace(ws.slug + "-b", "B")
    any_store.created_workspaces.append(other.slug)
    assert other.get_record("invitation", "inv-1") is None
    assert other.records("invitation") == []
    ws.put_record("answer", "ans-1", {"a": 1}, refs=["per-1"])
    ws.put_record("answer", "ans-2", {"a": 2})
    assert [r.id for r in ws.records("answer")] == ["ans-1", "ans-2"]
    assert [r.id for r in ws.records("answer", ref="per-1")] == ["ans-1"]
    assert ws.delete_record("answer", "ans-1") is True
    assert ws.delete_record("answer", "ans-1") is False
    assert [r.id for r in ws.records("answer")] == ["ans-2"]


def test_records_refuse_unknown_collections_and_ids(ws):
    with pytest.raises(ValidationError):
        ws.put_record("secrets", "x-1", {})
    with pytest.raises(ValidationError):
        ws.put_record("answer", "not an id", {})


def test_erasing_a_node_deletes_records_naming_it(ws):
    person = ws.add_node("Person", "Zebedeus Invitee")
    ws.put_record("answer", "ans-1", {"name": "Zebedeus Invitee"}, refs=[person.id])
    ws.put_record("answer", "ans-2", {"name": "someone else"})
    report = ws.erase_node(person.id)
    assert report["records"] == 1
    assert [r.id for r in ws.records("answer")] == ["ans-2"]


def test_erase_tie_removes_every_version_and_its_audit(ws):
    a = ws.add_node("Person", "A")
    b = ws.add_node("Person", "B")
    tie = ws.add_tie("KNOWS", a.id, b.id, strength=0.4, since="2025-01-01")
    ws.change_tie(tie.id, on="2025-06-01", strength=0.8)
    keep = ws.add_tie("ACTIVE_ON", a.id, ws.add_node("Theme", "lezen").id)
    report = ws.erase_tie(tie.id)
    assert report["kind"] == "KNOWS" and report["tie_versions"] == 2
    assert report["audit"] == 2
    with pytest.raises(NotFoundError):
        ws.tie_history(tie.id)
    assert [t.id for t in ws.ties(node=a.id)] == [keep.id]
    assert ws.audit(entity=tie.id) == []
    erased = ws.audit(action="erase")[0]
    assert erased.target_type == "tie" and erased.refs == () and erased.target_id is None


def test_deleting_a_workspace_deletes_its_records(any_store):
    ws = any_store.create_workspace("t-records-del", "T")
    ws.put_record("answer", "ans-1", {"a": 1})
    any_store.delete_workspace("t-records-del")
    again = any_store.create_workspace("t-records-del", "T")
    any_store.created_workspaces.append("t-records-del")
    assert again.records("answer") == []


def test_an_answer_from_submission_to_withdrawal_on_every_adapter(ws):
    from mapper import invitations as inv

    theme = ws.add_node("Theme", "duurzaamheid")
    org = ws.add_node("Organisation", "Repair Café")
    made = inv.create_invitation(ws, theme.id, name="Avond", shown=[org.id])
    answer_id, token = inv.submit_answer(
        ws,
        made.token,
        {
            "as": "person",
            "name": "Zebedeus Invitee",
            "online": "Groen online",
            "known": [org.id],
            "consent_map": True,
            "consent_ties": True,
        },
    )
    assert [r.id for r in inv.pending_answers(ws)] == [answer_id]
    report = inv.accept_answer(ws, answer_id)
    person = ws.get_node(report["respondent"])
    assert person.props["lawful_basis"] == "consent"
    assert {t.kind.value for t in ws.ties(node=person.id)} == {
        "ACTIVE_ON",
        "ACTIVE_IN",
        "MEMBER_OF",
    }
    done = inv.withdraw_answer(ws, token)
    assert done["erased_ties"] == 3 and done["erased_nodes"] == 2  # the person, the channel
    assert {n.name for n in ws.nodes()} == {"duurzaamheid", "Repair Café"}
    assert ws.records("answer") == []
