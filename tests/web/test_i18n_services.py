"""The service layer's errors reach people in their language: Dutch by default on the web,
English with ``?lang=en``, and either in the library with ``use_language``. The errors carry
an English message id and its values (dates written out when shown), never a finished
sentence. Real SQLite, the real Flask app through its test client, CSRF on where the app's
own tests have it on."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re

import pytest

from mapper import invitations as inv
from mapper import workplan
from mapper.analysis.goals import check_goal_props
from mapper.errors import ValidationError
from mapper.i18n import use_language
from mapper.model import MAX_TEXT_LENGTH
from mapper.services.warm import log_conversation
from mapper.store import SQLiteStore
from tests.warm_town import build_town
from tests.web.test_community_web import community_ids, submit

CSRF_RE = r'name="csrf_token" type="hidden" value="([^"]+)"'


def flashed(page: str) -> str:
    """The page's text with HTML entities made plain (what a person reads)."""
    return htmllib.unescape(page)


# --------------------------------------------------------------------------- library


def test_an_error_keeps_its_id_and_values_and_reads_in_either_language():
    with pytest.raises(ValidationError) as caught:
        check_goal_props({"metric": "members", "target": "veel", "deadline": "2026-12-31"})
    err = caught.value
    assert err.msgid == "{name} {given!r} is not a number"
    assert err.params["given"] == "veel" and err.field == "target"
    with use_language("nl"):
        assert str(err) == "de streefwaarde 'veel' is geen getal"
    with use_language("en"):
        assert str(err) == "the target 'veel' is not a number"


def test_dates_in_a_message_are_written_the_readers_way_when_shown():
    with pytest.raises(ValidationError) as caught:
        workplan.check_agreement({"task": "Zaal", "since": "2026-03-01", "until": "2026-02-01"})
    err = caught.value
    assert err.msgid == "the end date {until} lies before the start date {since}"
    with use_language("nl"):
        assert err.message == "de einddatum 1 februari 2026 ligt vóór de begindatum 1 maart 2026"
    with use_language("en"):
        assert err.message == "the end date 1 February 2026 lies before the start date 1 March 2026"
    # the same error object, shown later in another language
    assert err.as_message().in_language("nl").startswith("de einddatum 1 februari")


def test_field_words_are_translated_not_shown_as_codes():
    with pytest.raises(ValidationError) as caught:
        workplan.check_evaluation(
            {"date": "2026-05-01", "went_well": "x" * (MAX_TEXT_LENGTH + 1), "score": "4"}
        )
    with use_language("nl"):
        assert str(caught.value).startswith("wat goed ging is te lang")
    with use_language("en"):
        assert str(caught.value).startswith("what went well is too long")


def test_consent_text_keeps_its_dutch_wording_and_reads_in_english():
    nl = inv.CONSENT_TEXT["nl"]
    en = inv.CONSENT_TEXT.get("en", inv.CONSENT_TEXT["nl"])
    assert [h for h, _ in nl] == [
        "Wat we bewaren",
        "Waarom",
        "Hoe lang",
        "Wie het ziet",
        "Intrekken",
    ]
    assert [h for h, _ in en][0] == "What we keep"
    assert "{library} brengt in kaart" in nl[1][1] and "{library} maps" in en[1][1]
    assert set(inv.CONSENT_TEXT) == {"nl", "en"}


def test_an_invitation_error_in_the_library(tmp_path):
    store = SQLiteStore(tmp_path / "x.db")
    ws = store.create_workspace("x", "Bibliotheek X")
    theme = ws.add_node("Theme", "duurzaamheid")
    with pytest.raises(ValidationError) as caught:
        inv.create_invitation(ws, theme.id, until="2026-01-01", today="2026-03-01")
    with use_language("nl"):
        assert str(caught.value) == "de einddatum 1 januari 2026 ligt in het verleden"
    with use_language("en"):
        assert str(caught.value) == "the end date 1 January 2026 lies in the past"
    made = inv.create_invitation(ws, theme.id, name="Avond", max_answers=1, today="2026-03-01")
    answer = {"as": "person", "name": "Jan", "consent_map": True}
    inv.submit_answer(ws, made.token, answer, today="2026-03-02")
    with pytest.raises(inv.InvitationClosed) as closed:
        inv.submit_answer(ws, made.token, answer, today="2026-03-02")
    assert closed.value.reason == "full"
    with use_language("nl"):
        assert str(closed.value) == "de uitnodiging 'Avond' is vol"
    with use_language("en"):
        assert str(closed.value) == "the invitation 'Avond' is full"
    store.close()


# --------------------------------------------------------------------------- web


def _bad_goal(client, cid: str, lang: str = "") -> str:
    page = client.get(f"/communities/{cid}{lang}").get_data(as_text=True)
    answer = submit(
        client,
        page,
        "add-goal",
        goal__name="Veel",
        goal__metric="members",
        goal__target="veel",
        goal__deadline="2026-12-31",
    )
    assert answer.status_code == 422  # the same page again, with what was typed
    return flashed(answer.get_data(as_text=True))


def test_a_smart_goal_with_a_bad_target_is_refused_in_dutch(demo_app):
    cid = community_ids(demo_app)["Taalmaatjes Rijnstad"]
    page = _bad_goal(demo_app.test_client(), cid)
    assert "de streefwaarde 'veel' is geen getal" in page
    assert "is not a number" not in page


def test_a_smart_goal_with_a_bad_target_is_refused_in_english(demo_app):
    cid = community_ids(demo_app)["Taalmaatjes Rijnstad"]
    page = _bad_goal(demo_app.test_client(), cid, "?lang=en")
    assert "the target 'veel' is not a number" in page
    assert "geen getal" not in page


def test_a_member_leaving_who_is_no_member_names_the_day(demo_app):
    """A date in a community error is written out in the reader's language, not ISO."""
    from mapper import communities as com

    cid = community_ids(demo_app)["Taalmaatjes Rijnstad"]
    store = SQLiteStore(demo_app.config["DATABASE_URL"].removeprefix("sqlite:///"))
    ws = store.workspace("demo")
    member = next(n for n in ws.nodes(kind="Person") if n.name)
    with pytest.raises(ValidationError) as caught:
        com.end_member(ws, cid, member.id, on="2001-02-03")
    store.close()
    with use_language("nl"):
        assert "3 februari 2001" in str(caught.value)
    with use_language("en"):
        assert "3 February 2001" in str(caught.value)


@pytest.fixture
def warm_town(app, tmp_path):
    store = SQLiteStore(tmp_path / "app.db")
    ids = build_town(store, "demo")
    store.close()
    return ids


@pytest.mark.parametrize(
    "lang, expected, other",
    [
        ("", "de datum van het gesprek, {nl}, ligt in de toekomst", "lies in the future"),
        ("?lang=en", "the conversation date {en} lies in the future", "in de toekomst"),
    ],
)
def test_a_conversation_dated_in_the_future_is_refused(
    client, warm_town, tmp_path, lang, expected, other
):
    from babel.dates import format_date

    target, piet = warm_town["duurzaam"], warm_town["piet"]
    future = dt.date.today() + dt.timedelta(days=30)
    sheet_url = f"/warm-contacts/{target}/sheet/{piet}"
    sheet = client.get(sheet_url + lang).get_data(as_text=True)
    response = client.post(
        f"/warm-contacts/{target}/log/{piet}",
        data={
            "staff": warm_town["bas"],
            "on": future.isoformat(),
            "outcome": "follow-up",
            "strength": "derive",
            "notes": "",
            "csrf_token": re.search(CSRF_RE, sheet).group(1),
        },
    )
    assert response.status_code == 422  # the sheet again, with what was typed
    page = flashed(response.get_data(as_text=True))
    written = {
        "nl": format_date(future, format="long", locale="nl_NL"),
        "en": format_date(future, format="long", locale="en_GB"),
    }
    assert expected.format(**written) in page
    assert other not in page
    store = SQLiteStore(tmp_path / "app.db")
    assert list(store.workspace("demo").contacts()) == []  # nothing was written
    store.close()


def test_the_library_call_behind_the_log_form_reads_the_same(tmp_path):
    store = SQLiteStore(tmp_path / "t.db")
    ids = build_town(store, "demo")
    ws = store.workspace("demo")
    with pytest.raises(ValidationError) as caught:
        log_conversation(ws, staff=ids["bas"], person=ids["piet"], on="2999-01-01")
    assert caught.value.msgid == "the conversation date {day} lies in the future"
    with use_language("nl"):
        assert str(caught.value) == "de datum van het gesprek, 1 januari 2999, ligt in de toekomst"
    store.close()


def test_an_invitation_with_an_end_date_in_the_past_is_refused(tmp_path):
    from tests.privacy_helpers import csrf_token, login, make_app, seed_two_workspaces

    town = seed_two_workspaces(tmp_path)
    app = make_app(town, INVITE_MIN_SECONDS=0)
    editor = app.test_client()
    login(editor, "editor@alpha.nl")
    for lang, expected, other in (
        (
            "",
            "De uitnodiging is niet gemaakt: de einddatum 1 januari 2020 ligt in het verleden",
            "lies in the past",
        ),
        (
            "?lang=en",
            "The invitation was not made: the end date 1 January 2020 lies in the past",
            "verleden",
        ),
    ):
        token = csrf_token(editor, "/invitations/" + lang)
        response = editor.post(
            "/invitations/",
            data={
                "csrf_token": token,
                "target": town.ids["alpha"]["theme"],
                "name": "Te laat",
                "until": "2020-01-01",
            },
            follow_redirects=True,
        )
        page = flashed(response.get_data(as_text=True))
        assert expected in page, lang
        assert other not in page


# --------------------------------------------------------------------------- texts


def test_report_words_and_dates_in_either_language(demo_db):
    from mapper import report
    from mapper.store import SQLiteStore as Store

    store = Store(demo_db)
    ws = store.workspace("demo")
    data = report.community_report(ws, "Taalmaatjes Rijnstad", as_of=dt.date(2026, 11, 1))
    store.close()
    nl = report.render_html(data, lang="nl")
    en = report.render_html(data, lang="en")
    assert "Stand op 1 november 2026" in nl and "Leden" in nl and "2026-11-01" not in nl
    assert "Position as of 1 November 2026" in en and "Members" in en
    assert report.WORDS["nl"]["bond_type"] == "Gemeenschappelijk kenmerk"
    with use_language("nl"):
        assert report.fmt("library_reach", 0.456) == "46%"
        assert report.fmt("density", 0.5) == "0,50"


def test_calendar_feed_speaks_the_readers_language():
    from mapper import content_calendar as cc

    items = [
        {
            "id": "a1",
            "community": "com-1",
            "community_name": "Taalmaatjes",
            "title": "Blog",
            "kind": "event",
            "date": "2026-11-03",
            "status": "planned",
        }
    ]
    checkpoints = [{"id": "c1", "date": "2026-12-01", "community": "com-1", "community_name": "X"}]
    nl = cc.to_ical("K", items, checkpoints=checkpoints, lang="nl").decode()
    en = cc.to_ical("K", items, checkpoints=checkpoints, lang="en").decode()
    assert "Soort: evenement" in nl and "Status: gepland" in nl and "Meetmoment X" in nl
    assert "Kind: event" in en and "Status: planned" in en and "Measurement moment X" in en
    with use_language("nl"):
        assert "Meetmoment X" in cc.to_ical("K", [], checkpoints=checkpoints).decode()


def test_readiness_questions_and_advice_in_either_language():
    from mapper.analysis.readiness import QUESTIONS, readiness

    q = QUESTIONS[0]
    assert q.block == "strategie" and q.nl.startswith("Is er ondersteuning van de directie")
    with use_language("en"):
        assert q.building_block == "strategy" and q.text.startswith("Does the management")
        advice = readiness({"support": False})["to_work_on"][0]
        assert advice["advice"].startswith("Discuss with the management")
    with use_language("nl"):
        advice = readiness({"support": False})["to_work_on"][0]
        assert advice["advice"].startswith("Bespreek met de directie")
        assert advice["building_block"] == "strategie"


@pytest.mark.parametrize(
    "lang, expected, other",
    [
        ("", "link 'ftp://x.nl/a' is geen webadres (https://…)", "is not a web address"),
        ("?lang=en", "link 'ftp://x.nl/a' is not a web address (https://…)", "geen webadres"),
    ],
)
def test_an_outcome_with_a_bad_link_is_refused_on_the_aan_de_slag_page(
    demo_app, lang, expected, other
):
    from mapper import communities as com

    demo_app.config["WTF_CSRF_ENABLED"] = True
    store = SQLiteStore(demo_app.config["DATABASE_URL"].removeprefix("sqlite:///"))
    taal = com.community(store.workspace("demo"), "Taalmaatjes Rijnstad")
    store.close()
    client = demo_app.test_client()
    url = f"/communities/{taal.id}/aan-de-slag"
    page = client.get(url + lang).get_data(as_text=True)
    token = re.search(r'name="outcome-csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        f"{url}/outcomes",
        data={
            "outcome-csrf_token": token,
            "outcome-what": "Woordenlijst",
            "outcome-date": "2026-11-01",
            "outcome-link": "ftp://x.nl/a",
        },
    )
    assert response.status_code == 422
    shown = flashed(response.get_data(as_text=True))
    assert expected in shown
    assert other not in shown


def test_edit_service_errors_keep_their_code_and_read_in_either_language(tmp_path):
    from mapper.services import edit

    store = SQLiteStore(tmp_path / "e.db")
    ws = store.create_workspace("e", "Bibliotheek E")
    node = ws.add_node("Organisation", "Repair Café", until="2026-01-01")
    with pytest.raises(edit.EditError) as caught:
        edit.end_entity(ws, node.id, on="2026-06-01")
    err = caught.value
    assert err.code == "entity_ended" and err.msgid == "{name!r} ended already on {day}"
    with use_language("nl"):
        assert str(err) == "'Repair Café' is al beëindigd op 1 januari 2026"
        assert str(err.params["day"]) == "1 januari 2026"  # what the web's own words show
    with use_language("en"):
        assert str(err) == "'Repair Café' ended already on 1 January 2026"
    with pytest.raises(edit.UnknownRef) as unknown:
        edit.resolve(ws, "Repair Cafe Noord", field="source")
    with use_language("nl"):
        assert str(unknown.value).startswith("niemand en niets met de naam 'Repair Cafe Noord'")
    store.close()
