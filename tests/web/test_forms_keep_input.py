"""Forms that keep what was typed: every form posted with bad input, through the real app with
login required (an editor; an administrator for the users page).

For each form: the answer is the same page again with status 422 (not a redirect that loses
the input), the typed values are in the fields (``value=``, the textarea's text, the selected
option, the checked radio button), the Dutch message sits next to its field (inside the same
field wrapper, ``aria-describedby`` pointing at it, ``aria-invalid``), and nothing was written
to the store.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import sqlite3
from html import unescape
from html.parser import HTMLParser
from typing import Any

import pytest

from mapper import communities as com
from mapper.accounts import Accounts
from mapper.analysis.readiness import QUESTIONS
from mapper.store import open_store
from tests.privacy_helpers import CSRF_RE, PASSWORD, login
from web import create_app

#: The tables a form writes to (the audit of reads and the sessions are left out).
WRITTEN = (
    "nodes",
    "ties",
    "contacts",
    "records",
    "workspaces",
    "accounts_members",
    "accounts_invitations",
)
EDITOR, ADMIN = "editor@demo.nl", "admin@demo.nl"
#: The page said so in Dutch: the form was not saved, what was typed is still there.
NOT_SAVED = "Niet opgeslagen: wat je invulde staat er nog"
REQUIRED = "Dit veld is vereist."  # WTForms' own Dutch


@pytest.fixture
def db(demo_db, tmp_path):
    """A private copy of the demo town, with an editor and an administrator."""
    path = tmp_path / "demo.db"
    shutil.copy(demo_db, path)
    with Accounts(path) as accounts:
        for email, role in ((EDITOR, "editor"), (ADMIN, "admin")):
            accounts.add_user(email, PASSWORD, name=role.title())
            accounts.set_role(email, "demo", role)
    return path


@pytest.fixture
def app(db):
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{db}",
            "WORKSPACE": "demo",
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": True,
            "SINGLE_USER": False,
        }
    )


def client_as(app, email):
    client = app.test_client()
    assert login(client, email).status_code == 302
    return client


@pytest.fixture
def editor(app):
    return client_as(app, EDITOR)


@pytest.fixture
def admin(app):
    return client_as(app, ADMIN)


def fingerprint(path) -> str:
    """A hash of every row a form could write."""
    digest = hashlib.sha256()
    with sqlite3.connect(path) as conn:
        for table in WRITTEN:
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1"):  # noqa: S608
                digest.update(repr(row).encode())
    return digest.hexdigest()


def ids(app) -> dict[str, str]:
    store = open_store(app.config["DATABASE_URL"])
    try:
        ws = store.workspace("demo")
        out = {n.name: n.id for n in com.communities(ws)}
        out |= {n.name: n.id for n in ws.nodes(kind="Staff")}
        out |= {n.name: n.id for n in ws.nodes(kind="Person")}
        out |= {n.name: n.id for n in ws.nodes(kind="Theme")}
        return out
    finally:
        store.close()


# --------------------------------------------------------------------------- reading the page


class Fields(HTMLParser):
    """Every form control of a page by id: its tag and attributes, its selected options, its
    text (a textarea), and the field wrapper (``div.field``/``fieldset``) it sits in."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: dict[str, dict[str, Any]] = {}
        self.by_id: dict[str, dict[str, Any]] = {}  # any element with an id: its text, wrapper
        self.stack: list[int | None] = []  # the wrapper each open div/fieldset is in
        self.count = 0
        self.select: dict[str, Any] | None = None
        self.text_of: list[dict[str, Any]] = []
        self.radios: dict[str, list[tuple[str, bool]]] = {}

    def wrapper(self) -> int | None:
        return self.stack[-1] if self.stack else None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        classes = a.get("class", "").split()
        if (tag == "div" and "field" in classes) or tag == "fieldset":
            self.count += 1
            self.stack.append(self.count)
        elif tag == "div":
            self.stack.append(self.wrapper())  # a plain div: still in the same wrapper
        element = {"tag": tag, "attrs": a, "text": "", "wrapper": self.wrapper(), "selected": []}
        if a.get("id"):
            self.by_id[a["id"]] = element
        if tag in ("input", "select", "textarea") and a.get("id"):
            self.controls[a["id"]] = element
        if tag == "input" and a.get("type") == "radio":
            self.radios.setdefault(a.get("name", ""), []).append(
                (a.get("value", ""), "checked" in a)
            )
        if tag == "select":
            self.select = element
        elif tag == "option" and self.select is not None and "selected" in a:
            self.select["selected"].append(a.get("value", ""))
        if tag not in ("input", "br", "img", "meta", "link"):
            self.text_of.append(element)

    def handle_endtag(self, tag):
        if tag in ("div", "fieldset") and self.stack:
            self.stack.pop()
        if tag == "select":
            self.select = None
        for index in range(len(self.text_of) - 1, -1, -1):
            if self.text_of[index]["tag"] == tag:
                del self.text_of[index:]
                break

    def handle_data(self, data):
        for element in self.text_of:
            element["text"] += data


def page_of(response) -> Fields:
    parser = Fields()
    parser.feed(response.get_data(as_text=True))
    return parser


def assert_kept(page: Fields, field_id: str, typed: str) -> None:
    """The control ``field_id`` shows ``typed``: as its value, its text or its selected option."""
    control = page.controls[field_id]
    if control["tag"] == "select":
        assert control["selected"] == [typed], (field_id, control["selected"])
    elif control["tag"] == "textarea":
        assert control["text"].strip() == typed, (field_id, control["text"])
    else:
        assert unescape(control["attrs"].get("value", "")) == typed, (field_id, control["attrs"])


def assert_message_by(page: Fields, field_id: str, words: str) -> None:
    """The message ``words`` (Dutch) is beside the field: in its wrapper, pointed at."""
    control = page.by_id[field_id]
    attrs = control["attrs"]
    assert attrs.get("aria-invalid") == "true", (field_id, attrs)
    error_id = f"{field_id}-error"
    assert error_id in attrs.get("aria-describedby", "").split(), (field_id, attrs)
    message = page.by_id[error_id]
    assert words in message["text"], (field_id, message["text"])
    assert message["wrapper"] is not None and message["wrapper"] == control["wrapper"]


def form_data(response, form_id: str) -> dict[str, Any]:
    """The fields a browser would send for the form ``form_id`` as the page shows it."""
    from tests.web.test_community_web import _FormParser

    parser = _FormParser(form_id)
    parser.feed(response.get_data(as_text=True))
    assert parser.found, form_id
    return {k: v for k, v in parser.fields.items() if v is not None}


def refused(response) -> Fields:
    assert response.status_code == 422, (response.status_code, response.headers.get("Location"))
    html = response.get_data(as_text=True)
    assert NOT_SAVED in html
    return page_of(response)


# --------------------------------------------------------------------------- the forms


def test_new_community_keeps_name_and_bond(app, editor, db):
    before = fingerprint(db)
    page = editor.get("/communities/")
    data = form_data(page, "new-community") | {"name": "x" * 201, "bond_type": "identity"}
    response = editor.post("/communities/", data=data)
    fields = refused(response)
    assert_kept(fields, "name", "x" * 201)
    assert_kept(fields, "bond_type", "identity")
    assert_message_by(fields, "name", "200")  # "Veld kan niet langer zijn dan 200 karakters."
    assert "Field cannot" not in fields.by_id["name-error"]["text"]  # Dutch, not English
    assert fingerprint(db) == before


def test_smart_goal_keeps_what_was_typed(app, editor, db):
    cid = ids(app)["Taalmaatjes Rijnstad"]
    before = fingerprint(db)
    page = editor.get(f"/communities/{cid}")
    data = form_data(page, "add-goal") | {
        "goal-name": "Dertig taalmaatjes",
        "goal-metric": "ties",
        "goal-direction": "at_most",
        "goal-target": "",
        "goal-deadline": "2026-12-31",
        "goal-description": "Samen met de wijkteams",
    }
    response = editor.post(f"/communities/{cid}/goals", data=data)
    fields = refused(response)
    for field_id, typed in (
        ("goal-name", "Dertig taalmaatjes"),
        ("goal-metric", "ties"),
        ("goal-direction", "at_most"),
        ("goal-deadline", "2026-12-31"),
        ("goal-description", "Samen met de wijkteams"),
    ):
        assert_kept(fields, field_id, typed)
    assert_message_by(fields, "goal-target", REQUIRED)
    assert "open" in fields.by_id["add-goal"]["attrs"] or response.get_data(as_text=True).count(
        '<details class="panel" open>'
    )
    # a target the library refuses: its message goes to the target field, the text stays
    data["goal-target"] = "veel"
    fields = refused(editor.post(f"/communities/{cid}/goals", data=data))
    assert_kept(fields, "goal-target", "veel")
    assert_message_by(fields, "goal-target", "veel")
    assert fingerprint(db) == before


def test_member_form_keeps_person_role_and_date(app, editor, db):
    names = ids(app)
    cid = names["Samen in de Wijk"]
    before = fingerprint(db)
    page = editor.get(f"/communities/{cid}?member_q=e")  # the member picker is a search
    data = form_data(page, "add-member")
    choices = re.findall(
        r'<option value="([^"]+)"',
        page.get_data(as_text=True).split('id="member"', 1)[1].split("</select>", 1)[0],
    )
    assert len(choices) > 2
    data |= {"member": choices[2], "role": "ambassador", "since": "2026-02-31"}
    fields = refused(editor.post(f"/communities/{cid}/members", data=data))
    assert_kept(fields, "member", choices[2])
    assert_kept(fields, "role", "ambassador")
    assert_kept(fields, "since", "2026-02-31")
    assert_message_by(fields, "since", "datum")  # "Geen geldige datumwaarde."
    assert fingerprint(db) == before


def test_member_change_form_has_its_own_ids(app, editor, db):
    cid = ids(app)["Samen in de Wijk"]
    before = fingerprint(db)
    page = editor.get(f"/communities/{cid}")
    data = form_data(page, "change-member") | {"change": "ambassador", "on": ""}
    fields = refused(editor.post(f"/communities/{cid}/members/change", data=data))
    assert_kept(fields, "change-member-change", "ambassador")
    assert_kept(fields, "change-member-member", data["member"])
    assert_message_by(fields, "change-member-on", REQUIRED)
    assert "member-error" not in fields.by_id  # the add form is shown fresh, without errors
    assert fingerprint(db) == before


def test_role_form_keeps_staff_and_date(app, editor, db):
    names = ids(app)
    cid = names["Samen in de Wijk"]
    before = fingerprint(db)
    data = form_data(editor.get(f"/communities/{cid}"), "role-form-driver") | {
        "driver-staff": names["Priya Ramdin"],
        "driver-on": "morgen",
    }
    fields = refused(editor.post(f"/communities/{cid}/roles/driver", data=data))
    assert_kept(fields, "driver-staff", names["Priya Ramdin"])
    assert_kept(fields, "driver-on", "morgen")
    assert_message_by(fields, "driver-on", "datum")
    assert fingerprint(db) == before


def test_definition_form_keeps_every_text(app, editor, db):
    cid = ids(app)["Repair & Reuse Rijnstad"]
    before = fingerprint(db)
    data = form_data(editor.get(f"/communities/{cid}/edit"), "definition-form") | {
        "name": "",
        "norms": "Iedereen helpt iedereen",
        "vision": "Niets gaat weg wat nog kan",
    }
    fields = refused(editor.post(f"/communities/{cid}/edit", data=data))
    assert_kept(fields, "norms", "Iedereen helpt iedereen")
    assert_kept(fields, "vision", "Niets gaat weg wat nog kan")
    assert_message_by(fields, "name", REQUIRED)
    assert fingerprint(db) == before


def test_readiness_keeps_the_answers_given(app, editor, db):
    before = fingerprint(db)
    page = editor.get("/readiness")
    token = CSRF_RE.search(page.get_data(as_text=True)).group(1)
    answers = {q.key: ("yes" if i % 2 else "no") for i, q in enumerate(QUESTIONS)}
    bad = QUESTIONS[0].key
    answers[bad] = "misschien"
    fields = refused(editor.post("/readiness", data={"csrf_token": token, **answers}))
    for q in QUESTIONS[1:]:
        assert (answers[q.key], True) in fields.radios[q.key], q.key
    assert not any(checked for _v, checked in fields.radios[bad])
    fieldset = fields.by_id[f"{bad}-error"]
    assert "keuze" in fieldset["text"].casefold()  # "Geen geldige keuze."
    assert 'aria-invalid="true"' not in editor.get("/readiness").get_data(as_text=True)
    assert fingerprint(db) == before


def test_conversation_log_keeps_notes_and_outcome(app, editor, db):
    pick = editor.get("/warm-contacts").get_data(as_text=True)
    link = re.search(r'href="(/warm-contacts/[^"/?#]+)', pick)
    assert link, "a target to pick"
    page = editor.get(unescape(link.group(1))).get_data(as_text=True)
    sheet_url = re.search(r'href="(/warm-contacts/[^"]+/sheet/[^"?#]+)', page)
    assert sheet_url, "a candidate with a sheet"
    sheet = editor.get(unescape(sheet_url.group(1)))
    data = form_data(sheet, "log-form")
    action = re.search(r'action="(/warm-contacts/[^"]+/log/[^"]+)"', sheet.get_data(as_text=True))
    notes = "Koffie gedronken; <b>wil</b> meedoen aan het taalcafé"
    data |= {"on": "", "notes": notes, "outcome": data.get("outcome") or ""}
    outcomes = re.findall(
        r'<option value="([^"]+)"',
        sheet.get_data(as_text=True).split('id="outcome"', 1)[1].split("</select>", 1)[0],
    )
    data["outcome"] = outcomes[0]
    data["strength"] = "derive"
    before = fingerprint(db)  # (the pages keep their map layout: taken after reading them)
    response = editor.post(unescape(action.group(1)), data=data)
    fields = refused(response)
    assert_kept(fields, "notes", notes)
    assert_kept(fields, "outcome", outcomes[0])
    assert_kept(fields, "strength", "derive")
    assert_message_by(fields, "on", REQUIRED)
    html = response.get_data(as_text=True)
    assert "<b>wil</b>" not in html and "&lt;b&gt;wil&lt;/b&gt;" in html  # text, never markup
    assert fingerprint(db) == before


def test_upload_form_says_the_file_must_be_chosen_again(app, editor, db):
    before = fingerprint(db)
    page = editor.get("/io/").get_data(as_text=True)
    token = CSRF_RE.search(page).group(1)
    response = editor.post(
        "/io/upload",
        data={"csrf_token": token, "file": (io.BytesIO(b"%PDF-1.4"), "scan.pdf")},
        content_type="multipart/form-data",
    )
    fields = refused(response)
    assert_message_by(fields, "file", "Excel")
    hint = fields.by_id["file-hint"]["text"]
    assert (
        "kies het opnieuw" in hint
        and "file-hint" in fields.by_id["file"]["attrs"]["aria-describedby"].split()
    )
    # no file at all
    fields = refused(editor.post("/io/upload", data={"csrf_token": token}))
    assert_message_by(fields, "file", "Kies een bestand.")
    assert fingerprint(db) == before


def test_invite_form_keeps_address_and_role(app, admin, db):
    before = fingerprint(db)
    page = admin.get("/admin/")
    html = page.get_data(as_text=True)
    token = CSRF_RE.search(html).group(1)
    response = admin.post(
        "/admin/users", data={"csrf_token": token, "email": "geen adres", "role": "viewer"}
    )
    fields = refused(response)
    assert_kept(fields, "email", "geen adres")
    assert_kept(fields, "role", "viewer")
    assert_message_by(fields, "email", "Dat is geen e-mailadres.")
    assert fingerprint(db) == before


def test_role_change_keeps_the_choice_and_says_why(app, admin, db):
    before = fingerprint(db)
    with Accounts(db) as accounts:
        me = next(u for u, _r in accounts.members("demo") if u.email == ADMIN)
    html = admin.get("/admin/").get_data(as_text=True)
    token = CSRF_RE.search(html).group(1)
    response = admin.post(
        f"/admin/users/{me.id}/role",
        data={f"u{me.id}-csrf_token": token, f"u{me.id}-role": "viewer"},
    )
    fields = refused(response)
    assert_kept(fields, f"u{me.id}-role", "viewer")
    assert_message_by(fields, f"u{me.id}-role", "laatste beheerder")
    assert fingerprint(db) == before


def test_agreement_form_keeps_task_and_hours(app, editor, db):
    cid = ids(app)["Samen in de Wijk"]
    before = fingerprint(db)
    page = editor.get(f"/communities/{cid}/aan-de-slag")
    html = page.get_data(as_text=True)
    token = CSRF_RE.search(html).group(1)
    data = {
        "agreement-csrf_token": token,
        "agreement-task": "Nieuwsbrief maken",
        "agreement-hours": "veel",
        "agreement-since": "2026-11-01",
    }
    who = re.findall(
        r'<option value="([^"]+)"', html.split('id="agreement-who"', 1)[1].split("</select>", 1)[0]
    )
    data["agreement-who"] = who[0]
    fields = refused(editor.post(f"/communities/{cid}/aan-de-slag/agreements", data=data))
    assert_kept(fields, "agreement-task", "Nieuwsbrief maken")
    assert_kept(fields, "agreement-hours", "veel")
    assert_kept(fields, "agreement-who", who[0])
    assert_message_by(fields, "agreement-hours", "veel")
    assert fingerprint(db) == before


def test_privacy_settings_keep_the_choice_and_say_why(app, admin, db):
    before = fingerprint(db)
    token = CSRF_RE.search(admin.get("/admin/settings").get_data(as_text=True)).group(1)
    response = admin.post(
        "/admin/settings",
        data={"csrf_token": token, "organisations_only": "y", "review_months": "7"},
    )
    fields = refused(response)  # the demo town holds people: refused
    assert "checked" in fields.controls["organisations_only"]["attrs"]
    assert_kept(fields, "review_months", "7")
    assert_message_by(fields, "organisations_only", "Wis die eerst")
    fields = refused(
        admin.post("/admin/settings", data={"csrf_token": token, "review_months": "999"})
    )
    assert_kept(fields, "review_months", "999")
    assert_message_by(fields, "review_months", "120")
    assert fingerprint(db) == before
