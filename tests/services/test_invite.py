"""Invitations in the library (mapper.invitations) and on the command line: answers, consent,
moderation beside near-duplicates, the policy for people named by others, withdrawal that
erases (down to the file's bytes), and what it gives back."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from mapper import invitations as inv
from mapper.cli import main
from mapper.errors import NotFoundError, ValidationError
from mapper.privacy import access_export
from mapper.store import SQLiteStore
from tests.services.test_privacy import raw_bytes

SECRET = "Quirinus Zwanenburg"  # a name that occurs nowhere else


@pytest.fixture
def town(tmp_path):
    store = SQLiteStore(tmp_path / "town.db")
    ws = store.create_workspace("rijnstad", "Bibliotheek Rijnstad")
    ids = {
        "theme": ws.add_node("Theme", "duurzaamheid").id,
        "repair": ws.add_node("Organisation", "Stichting Repair Café").id,
        "fatma": ws.add_node("Person", "Fatma Yılmaz", props={"lawful_basis": "consent"}).id,
        "jan": ws.add_node("Person", "Jan de Vries", props={"lawful_basis": "consent"}).id,
        "fb": ws.add_node("Channel", "Facebookgroep Groen Rijnstad", props={"mode": "online"}).id,
    }
    ws.add_tie("ACTIVE_ON", ids["repair"], ids["theme"])
    ws.add_tie("ACTIVE_ON", ids["fatma"], ids["theme"])
    ws.add_tie("ACTIVE_IN", ids["repair"], ids["fb"])
    yield store, ws, ids
    store.close()


def answer(**changes):
    base = {
        "as": "person",
        "name": SECRET,
        "about": f"{SECRET} repareert fietsen",
        "online": "Facebookgroep Groen Rijnstad, Instagram Fietsfix",
        "offline": "Buurthuis De Kolk",
        "activities": "Fietsenspreekuur",
        "known_orgs": "Repair Cafe, Fietsersbond Rijnstad",
        "known_people": "Piet Pieterse",
        "contact": True,
        "email": "quirinus@example.nl",
        "consent_map": True,
        "consent_ties": True,
    }
    base.update(changes)
    return base


def test_nothing_is_stored_without_consent(town):
    store, ws, ids = town
    made = inv.create_invitation(ws, ids["theme"], name="Duurzaam")
    with pytest.raises(inv.ConsentMissing):
        inv.submit_answer(ws, made.token, answer(consent_map=False))
    assert ws.records("answer") == []
    assert inv.get_invitation(ws, made.id).received == 0


def test_without_consent_for_ties_no_names_are_kept(town):
    store, ws, ids = town
    made = inv.create_invitation(ws, ids["theme"], shown=[ids["fatma"], ids["repair"]])
    answer_id, _ = inv.submit_answer(
        ws, made.token, answer(consent_ties=False, known=[ids["fatma"]])
    )
    kept = ws.get_record("answer", answer_id).body["answer"]
    assert kept["known"] == [] and kept["known_orgs"] == [] and kept["known_people"] == []


def test_only_listed_names_can_be_picked(town):
    store, ws, ids = town
    made = inv.create_invitation(ws, ids["theme"], shown=[ids["repair"]])
    answer_id, _ = inv.submit_answer(ws, made.token, answer(known=[ids["repair"], ids["jan"]]))
    assert ws.get_record("answer", answer_id).body["answer"]["known"] == [ids["repair"]]


def test_closed_expired_and_full_invitations_take_no_answers(town):
    store, ws, ids = town
    expired = inv.create_invitation(ws, ids["theme"], until="2020-01-31", today="2020-01-01")
    with pytest.raises(inv.InvitationClosed) as caught:
        inv.submit_answer(ws, expired.token, answer())
    assert caught.value.reason == "expired"
    full = inv.create_invitation(ws, ids["theme"], max_answers=1)
    inv.submit_answer(ws, full.token, answer())
    with pytest.raises(inv.InvitationClosed) as caught:
        inv.submit_answer(ws, full.token, answer())
    assert caught.value.reason == "full"
    closed = inv.update_invitation(ws, inv.create_invitation(ws, ids["theme"]).id, closed=True)
    with pytest.raises(inv.InvitationClosed):
        inv.submit_answer(ws, closed.token, answer())
    assert len(ws.records("answer")) == 1
    with pytest.raises(ValidationError):
        inv.create_invitation(ws, ids["theme"], until="2020-01-01")  # in the past
    with pytest.raises(ValidationError):
        inv.create_invitation(ws, ids["repair"])  # not a theme or community
    with pytest.raises(ValidationError):
        inv.create_invitation(ws, ids["theme"], max_answers=0)


def test_text_is_cleaned_and_limited(town):
    store, ws, ids = town
    made = inv.create_invitation(ws, ids["theme"])
    answer_id, _ = inv.submit_answer(ws, made.token, answer(name="  Jan\x00\u202e Test "))
    assert ws.get_record("answer", answer_id).body["answer"]["name"] == "Jan Test"
    with pytest.raises(ValidationError):
        inv.submit_answer(ws, made.token, answer(about="x" * (inv.MAX_TEXT + 1)))
    with pytest.raises(ValidationError):
        inv.submit_answer(ws, made.token, answer(online=",".join(f"k{i}" for i in range(11))))
    with pytest.raises(ValidationError):
        inv.submit_answer(ws, made.token, answer(email="not-an-address"))


def test_review_proposes_near_duplicates(town):
    store, ws, ids = town
    made = inv.create_invitation(ws, ids["theme"])
    answer_id, _ = inv.submit_answer(ws, made.token, answer())
    items = {i.key: i for i in inv.review_answer(ws, answer_id)}
    assert items["self"].default == "new" and items["self"].matches == []
    assert items["online:0"].default == ids["fb"]  # the same name: proposed as the same one
    assert [m.id for m in items["known_orgs:0"].matches] == [ids["repair"]]  # near-duplicate
    assert items["known_orgs:0"].default == "new"  # near is only proposed, never chosen
    assert "known_people:0" not in items  # the default policy keeps no typed people


def test_accept_writes_consent_source_and_audit(town):
    store, ws, ids = town
    made = inv.create_invitation(ws, ids["theme"], name="Duurzaam Rijnstad", shown=[ids["fatma"]])
    answer_id, _ = inv.submit_answer(
        ws, made.token, answer(known=[ids["fatma"]]), today="2026-03-02"
    )
    with store.acting_as("anna@bieb.nl"):
        report = inv.accept_answer(
            ws, answer_id, choices={"known_orgs:0": ids["repair"]}, edits={"name": SECRET + " Jr."}
        )
    person = ws.get_node(report["respondent"])
    assert person.name == SECRET + " Jr."
    assert person.props["lawful_basis"] == "consent"
    assert person.props["consent_version"] == inv.CONSENT_VERSION
    assert person.origin == "uitnodiging Duurzaam Rijnstad, 2026-03-02"
    ties = {(t.kind.value, t.target) for t in ws.ties(node=person.id)}
    assert ("ACTIVE_ON", ids["theme"]) in ties
    assert ("KNOWS", ids["fatma"]) in ties
    assert ("MEMBER_OF", ids["repair"]) in ties  # "Repair Cafe" chosen as the existing one
    assert ("ACTIVE_IN", ids["fb"]) in ties  # the same channel, matched by name
    for tie in ws.ties(node=person.id):
        assert tie.props["lawful_basis"] == "consent"
        assert tie.props["invitation"] == made.id
        assert tie.origin.startswith("uitnodiging Duurzaam Rijnstad")
    names = {ws.get_node(n).name for n in report["nodes"]}
    assert names == {
        SECRET + " Jr.",
        "Instagram Fietsfix",
        "Buurthuis De Kolk",
        "Fietsenspreekuur",
        "Fietsersbond Rijnstad",
    }
    assert "Piet Pieterse" not in {n.name for n in ws.nodes()}
    entries = ws.audit(entity=person.id)
    assert entries and all(e.actor == "anna@bieb.nl" for e in entries)
    assert any(e.detail.get("invitation") == made.id for e in entries)
    # the raw answer is no longer kept once accepted: only the ids it added
    kept = ws.get_record("answer", answer_id).body
    assert "answer" not in kept and kept["status"] == "accepted"
    assert SECRET not in json.dumps(kept)
    with pytest.raises(ValidationError):
        inv.accept_answer(ws, answer_id)
    summary = inv.invitation_summary(ws, ids["theme"])
    assert summary["received"] == 1 and summary["accepted"] == 1
    assert set(summary["ties"]) == set(report["ties"])


def test_named_people_policy(town):
    store, ws, ids = town
    for policy, people, orgs in (("none", 0, 0), ("organisations", 0, 2), ("review", 1, 2)):
        store.update_workspace(ws.slug, settings={inv.NAMED_PEOPLE: policy})
        made = inv.create_invitation(ws, ids["theme"])
        answer_id, _ = inv.submit_answer(ws, made.token, answer(name=f"Persoon {policy}"))
        kept = ws.get_record("answer", answer_id).body["answer"]
        assert len(kept["known_people"]) == people and len(kept["known_orgs"]) == orgs
        report = inv.accept_answer(ws, answer_id, choices={"known_orgs:0": "skip"})
        named = [ws.get_node(n) for n in report["nodes"] if ws.get_node(n).name == "Piet Pieterse"]
        assert len(named) == people
    flagged = named[0]
    assert "lawful_basis" not in flagged.props and flagged.props["needs_review"]
    assert flagged.origin.startswith("uitnodiging ")


def test_organisations_only_workspace_answers_for_organisations(tmp_path):
    store = SQLiteStore(":memory:")
    ws = store.create_workspace("orgs", "Org", settings={"organisations_only": True})
    theme = ws.add_node("Theme", "lezen")
    made = inv.create_invitation(ws, theme.id)
    with pytest.raises(ValidationError):
        inv.submit_answer(ws, made.token, answer())
    answer_id, _ = inv.submit_answer(
        ws, made.token, answer(**{"as": "organisation", "name": "Leesclub"})
    )
    report = inv.accept_answer(ws, answer_id)
    assert ws.get_node(report["respondent"]).kind.value == "Organisation"
    assert not list(ws.nodes(kind="Person"))


def test_reject_erases_the_answer_from_the_file(town, tmp_path):
    store, ws, ids = town
    made = inv.create_invitation(ws, ids["theme"])
    answer_id, _ = inv.submit_answer(ws, made.token, answer())
    assert SECRET.encode() in raw_bytes(tmp_path / "town.db")
    inv.reject_answer(ws, answer_id)
    assert ws.get_record("answer", answer_id) is None
    assert SECRET.encode() not in raw_bytes(tmp_path / "town.db")


def test_withdrawal_erases_what_the_answer_added_and_only_that(town, tmp_path):
    store, ws, ids = town
    made = inv.create_invitation(ws, ids["theme"], shown=[ids["fatma"]])
    answer_id, token = inv.submit_answer(ws, made.token, answer(known=[ids["fatma"]]))
    report = inv.accept_answer(ws, answer_id, choices={"known_orgs:0": ids["repair"]})
    # someone else's tie to a channel the answer added keeps that channel on the map
    insta = next(n for n in report["nodes"] if ws.get_node(n).name == "Instagram Fietsfix")
    ws.add_tie("ACTIVE_IN", ids["repair"], insta)
    before = {t.id for t in ws.ties()} - set(report["ties"])
    person = report["respondent"]
    assert SECRET.encode() in raw_bytes(tmp_path / "town.db")
    done = inv.withdraw_answer(ws, token)
    assert done["status"] == "accepted" and done["compacted"] is True
    assert done["erased_ties"] == len(report["ties"])
    with pytest.raises(NotFoundError):
        ws.get_node(person)
    assert {t.id for t in ws.ties()} == before  # others' ties kept
    assert ws.get_node(insta).name == "Instagram Fietsfix"  # still tied to the Repair Café
    remaining = {n.name for n in ws.nodes()}
    assert "Buurthuis De Kolk" not in remaining and "Fietsenspreekuur" not in remaining
    assert ws.get_node(ids["fatma"]) and ws.get_node(ids["repair"])
    assert ws.get_record("answer", answer_id) is None
    for needle in (SECRET.encode(), person.encode(), b"quirinus@example.nl"):
        assert needle not in raw_bytes(tmp_path / "town.db"), needle
    with pytest.raises(NotFoundError):
        inv.withdraw_answer(ws, token)


def test_withdrawing_a_pending_answer_deletes_it(town):
    store, ws, ids = town
    made = inv.create_invitation(ws, ids["theme"])
    answer_id, token = inv.submit_answer(ws, made.token, answer())
    assert inv.withdraw_answer(ws, token)["status"] == "pending"
    assert ws.records("answer") == []


def test_access_export_holds_answers_naming_someone(town):
    store, ws, ids = town
    made = inv.create_invitation(ws, ids["theme"], shown=[ids["fatma"]])
    answer_id, _ = inv.submit_answer(ws, made.token, answer(known=[ids["fatma"]]))
    export = access_export(store, ws.slug, ids["fatma"])
    assert [a["id"] for a in export["answers"]] == [answer_id]
    assert "withdraw" not in export["answers"][0]
    report = inv.accept_answer(ws, answer_id)
    mine = access_export(store, ws.slug, report["respondent"])
    assert [a["id"] for a in mine["answers"]] == [answer_id]
    assert access_export(store, ws.slug, ids["jan"])["answers"] == []


def test_erasing_the_person_removes_the_answer_record(town):
    store, ws, ids = town
    made = inv.create_invitation(ws, ids["theme"])
    answer_id, token = inv.submit_answer(ws, made.token, answer())
    report = inv.accept_answer(ws, answer_id)
    assert ws.erase_node(report["respondent"])["records"] == 1
    with pytest.raises(NotFoundError):
        inv.withdraw_answer(ws, token)


def test_another_workspace_does_not_know_the_token(town):
    store, ws, ids = town
    other = store.create_workspace("elders", "Elders")
    made = inv.create_invitation(ws, ids["theme"])
    with pytest.raises(NotFoundError):
        inv.submit_answer(other, made.token, answer())
    _, token = inv.submit_answer(ws, made.token, answer())
    with pytest.raises(NotFoundError):
        inv.withdraw_answer(other, token)


def test_qr_codes_are_png_and_svg():
    link = "http://127.0.0.1:5000/doe-mee/demo/abc"
    assert inv.qr_code(link, "png").startswith(b"\x89PNG\r\n\x1a\n")
    svg = inv.qr_code(link, "svg")
    assert svg.startswith(b"<svg") and b"<script" not in svg
    with pytest.raises(ValidationError):
        inv.qr_code(link, "gif")


def test_cli_invite_prints_the_link_and_writes_the_qr_code(tmp_path):
    db = tmp_path / "cli.db"
    store = SQLiteStore(db)
    ws = store.create_workspace("w", "Bieb W")
    ws.add_node("Theme", "duurzaamheid")
    ws.add_node("Community", "Taalmaatjes")
    ws.add_node("Organisation", "Repair Café")
    store.close()
    runner = CliRunner()
    base = ["--database", str(db), "--workspace", "w"]
    result = runner.invoke(
        main,
        [
            "invite",
            *base,
            "--theme",
            "duurzaamheid",
            "--until",
            "2099-12-31",
            "--max",
            "5",
            "--base-url",
            "https://kaart.bieb.nl/",
            "--show",
            "Repair Café",
            "--qr",
            str(tmp_path / "q.svg"),
        ],
    )
    assert result.exit_code == 0, result.output
    link = result.stdout.strip()
    assert link.startswith("https://kaart.bieb.nl/doe-mee/w/")
    assert (tmp_path / "q.svg").read_bytes().startswith(b"<svg")
    store = SQLiteStore(db)
    (made,) = inv.invitations(store.workspace("w"))
    assert link.endswith(made.token) and made.max_answers == 5
    assert made.until.isoformat() == "2099-12-31" and len(made.shown) == 1
    store.close()
    result = runner.invoke(main, ["invite", *base, "--community", "Taalmaatjes"])
    assert result.exit_code == 0 and "/doe-mee/w/" in result.stdout
    assert runner.invoke(main, ["invite", *base]).exit_code != 0
    missing = runner.invoke(main, ["invite", *base, "--theme", "nergens"])
    assert missing.exit_code == 1 and "no Theme called 'nergens'" in missing.output


def test_a_community_invitation_makes_members(town):
    store, ws, ids = town
    community = ws.add_node("Community", "Zaadjesclub")
    ws.add_tie("ABOUT", community.id, ids["theme"])
    made = inv.create_invitation(ws, community.id)
    answer_id, _ = inv.submit_answer(ws, made.token, answer(activities="Zadenruil"))
    report = inv.accept_answer(ws, answer_id)
    me = report["respondent"]
    kinds = {(t.kind.value, t.target) for t in ws.ties(node=me)}
    assert ("MEMBER_OF", community.id) in kinds
    activity = next(n for n in report["nodes"] if ws.get_node(n).name == "Zadenruil")
    assert {(t.kind.value, t.target) for t in ws.ties(node=activity)} >= {("ABOUT", ids["theme"])}
    assert inv.invitation_summary(ws, community.id)["accepted"] == 1


def test_withdrawal_keeps_someone_who_was_already_on_the_map(town):
    store, ws, ids = town
    made = inv.create_invitation(ws, ids["theme"])
    answer_id, token = inv.submit_answer(ws, made.token, answer(name="Jan de Vries"))
    items = {i.key: i for i in inv.review_answer(ws, answer_id)}
    assert items["self"].default == ids["jan"]  # the same name: proposed as the same one
    report = inv.accept_answer(ws, answer_id)
    assert report["respondent"] == ids["jan"] and not report["respondent_new"]
    assert ws.get_node(ids["jan"]).version == 1  # the answer's details are on its ties
    inv.withdraw_answer(ws, token)
    assert ws.get_node(ids["jan"]).name == "Jan de Vries"
    assert list(ws.ties(node=ids["jan"])) == []


def test_readable_access_export_shows_answers_as_text(town):
    from mapper.privacy import export_html

    store, ws, ids = town
    made = inv.create_invitation(ws, ids["theme"], shown=[ids["fatma"]])
    inv.submit_answer(ws, made.token, answer(known=[ids["fatma"]], about="<b>vet</b>"))
    page = export_html(access_export(store, ws.slug, ids["fatma"]))
    assert "Antwoorden op uitnodigingen" in page and SECRET in page
    assert "<b>vet</b>" not in page and "&lt;b&gt;vet&lt;/b&gt;" in page
