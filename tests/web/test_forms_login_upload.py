"""The login form and the import's upload form go through the one form helper
(``web/forms.py`` ``handle()``): a form that fails shows the same page again (422; a wrong
password 401) with the Dutch message next to its field or at the top of the form, keeps what
was typed (never a password, never a chosen file) and writes nothing."""

from __future__ import annotations

import io
import re
from html import unescape
from pathlib import Path

import pytest

from tests.privacy_helpers import (
    CSRF_RE,
    PASSWORD,
    csrf_token,
    login,
    make_app,
    seed_two_workspaces,
)

REQUIRED = "Dit veld is vereist."  # WTForms' own Dutch
NOT_SAVED = "Niet opgeslagen: wat je invulde staat er nog"


@pytest.fixture
def town(tmp_path):
    return seed_two_workspaces(tmp_path)


@pytest.fixture
def app(town, tmp_path):
    return make_app(town, IMPORT_FOLDER=str(tmp_path / "imports"))


def field_html(html: str, name: str) -> str:
    """The field wrapper (``div.field``) of the control named ``name``."""
    for block in re.findall(r'<div class="field[^"]*">.*?</div>', html, flags=re.S):
        if f'name="{name}"' in block:
            return block
    raise AssertionError(f"no field wrapper for {name!r}")


# --------------------------------------------------------------------------- login


def post_login(client, **data):
    return client.post("/login", data={"csrf_token": csrf_token(client, "/login"), **data})


def test_a_login_without_password_shows_the_form_again_with_the_address_kept(app):
    client = app.test_client()
    answer = post_login(client, email="editor@alpha.nl", password="")
    assert answer.status_code == 422
    html = unescape(answer.get_data(as_text=True))
    password = field_html(html, "password")
    assert REQUIRED in password and 'aria-invalid="true"' in password
    assert 'value="editor@alpha.nl"' in field_html(html, "email")
    assert NOT_SAVED in html
    assert client.get("/").status_code == 302  # not logged in


def test_a_wrong_password_answers_401_on_the_form_and_never_sends_the_password_back(app):
    client = app.test_client()
    answer = post_login(client, email="editor@alpha.nl", password="not the password")
    assert answer.status_code == 401
    html = unescape(answer.get_data(as_text=True))
    top = re.search(r'<div class="form-errors" role="alert">.*?</div>', html, flags=re.S)
    assert top and "Onjuist e-mailadres of wachtwoord." in top.group(0)
    assert 'value="editor@alpha.nl"' in field_html(html, "email")
    assert "not the password" not in html
    assert client.get("/").status_code == 302  # not logged in


def test_the_login_form_in_english_on_request(app):
    client = app.test_client()
    page = client.get("/login?lang=en").get_data(as_text=True)
    token = CSRF_RE.search(page).group(1)
    answer = client.post(
        "/login?lang=en", data={"csrf_token": token, "email": "x@alpha.nl", "password": "wrong!"}
    )
    assert answer.status_code == 401
    assert "Wrong e-mail address or password." in unescape(answer.get_data(as_text=True))


def test_the_right_password_still_logs_in_and_goes_where_it_was_asked(app):
    client = app.test_client()
    answer = login(client, "editor@alpha.nl", PASSWORD, next="/io/")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/io/")
    assert client.get("/io/").status_code == 200


# --------------------------------------------------------------------------- upload


@pytest.fixture
def editor(app):
    client = app.test_client()
    assert login(client, "editor@alpha.nl").status_code == 302
    return client


def post_upload(client, data: bytes | None, filename: str = "scan.csv"):
    form: dict = {"csrf_token": csrf_token(client, "/io/")}
    if data is not None:
        form["file"] = (io.BytesIO(data), filename)
    return client.post("/io/upload", data=form, content_type="multipart/form-data")


def uploads_kept(app) -> list[Path]:
    folder = Path(app.config["IMPORT_FOLDER"])
    return sorted(folder.glob("*.json")) if folder.exists() else []


def test_an_upload_without_a_file_shows_the_page_again_with_the_message_by_the_field(app, editor):
    answer = post_upload(editor, None)
    assert answer.status_code == 422
    html = unescape(answer.get_data(as_text=True))
    assert "Kies een bestand." in field_html(html, "file")
    assert NOT_SAVED in html
    assert uploads_kept(app) == []


def test_an_upload_of_the_wrong_kind_of_file_is_refused_by_the_field(app, editor):
    answer = post_upload(editor, b"MZ\x90\x00", "program.exe")
    assert answer.status_code == 422
    file_field = field_html(unescape(answer.get_data(as_text=True)), "file")
    assert "Gebruik een Excel-bestand (.xlsx), CSV" in file_field
    assert 'aria-invalid="true"' in file_field
    assert uploads_kept(app) == []


def test_an_upload_larger_than_the_setting_is_refused_by_the_field(app, editor):
    app.config["IMPORT_MAX_BYTES"] = 100
    answer = post_upload(editor, b"soort;naam\n" + b"persoon;Jan\n" * 20)
    assert answer.status_code == 422
    assert "Het bestand is te groot." in field_html(unescape(answer.get_data(as_text=True)), "file")
    assert uploads_kept(app) == []


def test_a_good_upload_goes_on_to_its_preview(app, editor):
    answer = post_upload(editor, "soort;naam\npersoon;José\n".encode("cp1252"))
    assert answer.status_code == 302 and "/io/preview/" in answer.headers["Location"]
    assert len(uploads_kept(app)) == 2  # what the upload is, and what was read
    assert editor.get(answer.headers["Location"]).status_code == 200


# --------------------------------------------------------------------------- a new password


def post_password(client, **data):
    token = csrf_token(client, "/account")
    return client.post("/account/password", data={"pw-csrf_token": token, **data})


def test_a_short_new_password_shows_the_account_page_again_with_the_message_by_it(app, editor):
    answer = post_password(editor, **{"pw-current": PASSWORD, "pw-new": "short"})
    assert answer.status_code == 422
    html = unescape(answer.get_data(as_text=True))
    assert "Een nieuw wachtwoord heeft minstens 10 tekens nodig." in field_html(html, "pw-new")
    assert "short" not in field_html(html, "pw-new")  # a password is never sent back
    assert login(app.test_client(), "editor@alpha.nl", PASSWORD).status_code == 302  # unchanged


def test_a_wrong_current_password_is_said_by_that_field(app, editor):
    answer = post_password(editor, **{"pw-current": "not it at all", "pw-new": "long enough now"})
    assert answer.status_code == 422
    html = unescape(answer.get_data(as_text=True))
    assert 'aria-invalid="true"' in field_html(html, "pw-current")
    assert "Het huidige wachtwoord klopt niet." in field_html(html, "pw-current")
    assert login(app.test_client(), "editor@alpha.nl", "long enough now").status_code == 401


def test_a_good_new_password_is_taken(app, editor):
    answer = post_password(editor, **{"pw-current": PASSWORD, "pw-new": "a brand new password"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/account")
    assert login(app.test_client(), "editor@alpha.nl", "a brand new password").status_code == 302
