"""Rendered pages kept per snapshot (web/page_cache.py): a kept page is served without
rendering it again, shows every write at once (through the app, through another store on the
file, from another process, by an import), is never handed to someone it was not made for
(another role, another language, another person's account corner), and carries the CSRF token
of the session that asks for it; messages meant for one request are never kept."""

from __future__ import annotations

import re
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import template_rendered

from mapper.store import open_store
from tests.privacy_helpers import CSRF_RE
from web import page_cache

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def rendered(app):
    """The names of the templates ``app`` renders inside the block."""
    names: list[str] = []

    def record(sender, template, context, **extra):  # type: ignore[no-untyped-def]
        names.append(template.name)

    template_rendered.connect(record, app)
    try:
        yield names
    finally:
        template_rendered.disconnect(record, app)


def text(client, path, **kwargs):
    response = client.get(path, **kwargs)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def token_of(page: str) -> str:
    match = CSRF_RE.search(page)
    assert match, "the page has a form"
    return match.group(1)


@pytest.fixture
def other(demo_app):
    store = open_store(demo_app.config["DATABASE_URL"])
    yield store
    store.close()


def a_theme(store):
    return sorted(store.nodes("demo", kind="Theme"), key=lambda n: n.name)[0]


def test_a_page_is_rendered_once_per_snapshot(demo_app, demo_client):
    first = text(demo_client, "/themes")
    with rendered(demo_app) as names:
        again = text(demo_client, "/themes")
    assert "themes.html" not in names  # served as kept
    assert names == ["auth/_userbar.html"]  # only the account corner, for this request
    assert without_tokens(again) == without_tokens(first)


def test_kept_pages_show_every_write_at_once(demo_app, demo_client, other, tmp_path):
    theme = a_theme(other)
    person = next(
        t.other(theme.id) for t in sorted(other.ties("demo", node=theme.id), key=lambda t: t.id)
    )
    paths = ("/", "/themes", "/frame", f"/scan/{theme.id}", f"/entity/{person}")
    for path in paths:
        text(demo_client, path)
        text(demo_client, path)  # kept now
    # through another store object on the same file
    other.add_node("demo", "Theme", "Thema Van Een Andere Store")
    assert "Thema Van Een Andere Store" in text(demo_client, "/themes")
    other.update_node("demo", person, name="Nieuwe Naam Van Elders")
    assert "Nieuwe Naam Van Elders" in text(demo_client, f"/entity/{person}")
    assert "Nieuwe Naam Van Elders" in text(demo_client, f"/scan/{theme.id}")
    # from another process
    url = demo_app.config["DATABASE_URL"]
    code = (
        "from mapper.store import open_store\n"
        f"s = open_store({url!r})\n"
        f"s.update_node('demo', {person!r}, name='Naam Uit Een Ander Proces')\n"
        "s.close()\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    assert "Naam Uit Een Ander Proces" in text(demo_client, f"/entity/{person}")
    assert "Naam Uit Een Ander Proces" in text(demo_client, f"/scan/{theme.id}")
    # an import (the command, in another process)
    sheet = tmp_path / "nieuw.csv"
    sheet.write_text(f"id;soort;naam;thema's\n;persoon;Importa Testpersoon;{theme.name}\n")
    mapper = Path(sys.executable).parent / "mapper"
    subprocess.run(
        [str(mapper), "import", "--database", url, "--workspace", "demo", str(sheet)],
        check=True,
        capture_output=True,
    )
    assert "Importa Testpersoon" in text(demo_client, f"/scan/{theme.id}")
    # through the app itself (a form)
    page = text(demo_client, "/themes")
    response = demo_client.post(
        "/edit/entities",
        data={
            "csrf_token": token_of(page),
            "form_id": "add-entity",
            "kind": "Organisation",
            "name": "Door De App Toegevoegd BV",
            "next": "/frame",
        },
    )
    assert response.status_code in (302, 303)
    assert "Door De App Toegevoegd BV" in text(demo_client, "/frame")


def test_each_session_gets_its_own_csrf_token(demo_app):
    first, second = demo_app.test_client(), demo_app.test_client()
    mine = text(first, "/themes")
    with rendered(demo_app) as names:
        theirs = text(second, "/themes")
    assert "themes.html" not in names  # the kept page, with the second session's token
    assert token_of(mine) != token_of(theirs)
    assert token_of(mine) not in theirs
    form = {"form_id": "add-entity", "kind": "Organisation", "next": "/themes"}
    refused = second.post(
        "/edit/entities", data={**form, "name": "X", "csrf_token": token_of(mine)}
    )
    assert refused.status_code == 400  # another session's token is no good
    for client, page, name in ((first, mine, "Eerste Sessie BV"), (second, theirs, "Tweede BV")):
        response = client.post(
            "/edit/entities", data={**form, "name": name, "csrf_token": token_of(page)}
        )
        assert response.status_code in (302, 303)


def without_tokens(page: str) -> str:
    """The page without its CSRF tokens (a new one each render; in forms and map data)."""
    for token in set(CSRF_RE.findall(page)):
        page = page.replace(token, "")
    return page


def test_roles_and_languages_never_share_a_page(login_app, auth, town):
    editor = auth.login("editor@alpha.nl")
    viewer = auth.login("viewer@alpha.nl")
    ids = town.ids["alpha"]
    paths = [
        "/",
        "/themes",
        "/frame",
        f"/scan/{ids['theme']}",
        f"/entity/{ids['person']}",
        f"/warm-contacts/{ids['theme']}",
        "/communities/",
        f"/communities/{ids['community']}",
    ]
    for path in paths:
        as_editor = [text(editor, path), text(editor, path)]  # the second one kept
        as_viewer = [text(viewer, path), text(viewer, path)]
        page_cache.forget()
        fresh = {"editor": text(editor, path), "viewer": text(viewer, path)}
        for page in as_editor:
            assert without_tokens(page) == without_tokens(fresh["editor"]), path
        for page in as_viewer:
            assert without_tokens(page) == without_tokens(fresh["viewer"]), path
        assert without_tokens(fresh["editor"]) != without_tokens(fresh["viewer"]), path
        assert ">Viewer<" in as_viewer[1] and ">Editor<" not in as_viewer[1], path
        assert ">Editor<" in as_editor[1] and ">Viewer<" not in as_editor[1], path
    for path in paths[1:4]:
        assert 'action="/edit/entities"' in text(editor, path), path  # an editor may add
        assert 'action="/edit/entities"' not in text(viewer, path), path  # a viewer may not
    english = text(editor, "/themes?lang=en")
    assert 'lang="en"' in english
    dutch_again = text(viewer, "/themes?lang=en")  # the same URL, another person
    assert 'lang="en"' in dutch_again  # they asked for English too
    assert 'lang="nl"' in text(viewer, "/themes?lang=nl")
    assert 'lang="en"' in text(editor, "/themes")  # the editor's choice stays theirs
    assert 'lang="nl"' in text(viewer, "/themes")


def test_a_message_for_one_request_is_never_kept(demo_app, demo_client):
    page = text(demo_client, "/themes")
    response = demo_client.post(
        "/edit/entities",
        data={
            "csrf_token": token_of(page),
            "form_id": "add-entity",
            "kind": "Organisation",
            "name": "Melding BV",
            "next": "/themes",
        },
    )
    assert response.status_code in (302, 303)
    saved = text(demo_client, "/themes")
    assert 'class="flash success"' in saved
    assert 'class="flash' not in text(demo_client, "/themes")  # shown once
    assert 'class="flash' not in text(demo_app.test_client(), "/themes")  # and to no one else


def test_etag_answers_not_modified_until_a_write(demo_app, demo_client, other):
    text(demo_client, "/themes")
    first = demo_client.get("/themes")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-store"  # pages hold personal data
    again = demo_client.get("/themes", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    other.add_node("demo", "Theme", "Na De ETag")
    changed = demo_client.get("/themes", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "Na De ETag" in changed.get_data(as_text=True)
    assert changed.headers["ETag"] != etag
    elsewhere = demo_app.test_client().get("/themes", headers={"If-None-Match": etag})
    assert elsewhere.status_code == 200  # another session's tag names another page


def test_kept_pages_stay_within_their_budget(demo_app, demo_client, monkeypatch):
    sizes = len(text(demo_client, "/themes")), len(text(demo_client, "/frame"))
    assert min(sizes) > 10_000
    monkeypatch.setattr(page_cache, "KEPT_BYTES", max(sizes) + 1_000)  # room for one, not both
    page_cache.forget()
    text(demo_client, "/themes")
    text(demo_client, "/frame")
    with rendered(demo_app) as names:
        text(demo_client, "/themes")
    assert "themes.html" in names  # dropped to keep /frame within the budget
    assert re.search(r"<html", text(demo_client, "/themes"))
