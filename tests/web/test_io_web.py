"""The import and export pages through the real app and its test client (CSRF on)."""

from __future__ import annotations

import io
import re

import networkx as nx
import pytest

from mapper.io import export as exporter
from mapper.store import SQLiteStore


@pytest.fixture
def app(app, tmp_path):
    """The app on an empty workspace, with uploads kept in this test's own folder."""
    app.config["IMPORT_FOLDER"] = str(tmp_path / "imports")
    return app


def csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


def upload(client, data: bytes, filename: str):
    page = client.get("/io/")
    assert page.status_code == 200
    token = csrf(page.get_data(as_text=True))
    return client.post(
        "/io/upload",
        data={"csrf_token": token, "file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def wait_for(client, progress_url: str, timeout: float = 60) -> dict:
    """Poll an import's progress JSON (the import runs in a background thread) until it ends."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        state = client.get(progress_url + ".json").get_json()
        if state["state"] != "running" or time.monotonic() > deadline:
            return state
        time.sleep(0.05)


def store_of(app) -> SQLiteStore:
    return SQLiteStore(app.config["DATABASE_URL"].removeprefix("sqlite:///"))


BAD = (
    b"soort;naam;thema's;sterkte band\n"
    b"persoon;Jan de Vries;duurzaamheid;4\n"
    b"persoon;Piet <b>Jansen</b>;duurzaamheid;7\n"
    b"vogel;Tweety;;\n"
)


def test_upload_without_csrf_token_is_refused(client, app):
    from pathlib import Path

    response = client.post(
        "/io/upload", data={"file": (io.BytesIO(b"x"), "a.csv")}, content_type="multipart/form-data"
    )
    # refused by the app-wide check (400) or by the form's own token check (back to the form)
    assert response.status_code == 400 or response.headers["Location"].endswith("/io/")
    folder = Path(app.config["IMPORT_FOLDER"])
    assert not folder.exists() or not any(folder.iterdir())


def test_the_preview_shows_every_bad_row_and_nothing_is_written(client, app):
    response = upload(client, BAD, "scan.csv")
    assert response.status_code == 302
    preview_url = response.headers["Location"]
    assert re.match(r"^/io/preview/[A-Za-z0-9_-]{22,}$", preview_url)
    page = client.get(preview_url)
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    rows = re.findall(r'<tr class="io-error">(.*?)</tr>', html, re.S)
    assert len(rows) == 2
    cells = [re.findall(r"<td>(.*?)</td>", r, re.S) for r in rows]
    assert cells[0][:4] == ["scan.csv", "3", "sterkte band", "7"]
    # the problem in Dutch, the web's default language
    assert "sterkte &#39;7&#39; ligt niet tussen 0 en 1 of 1–5" in cells[0][4]
    assert cells[1][:3] == ["scan.csv", "4", "soort"]
    # user text is escaped, never rendered as HTML
    assert "<b>Jansen</b>" not in html and "Piet &lt;b&gt;Jansen&lt;/b&gt;" in html
    assert "Importeren</button>" not in html  # no confirm button with errors
    # confirming anyway writes nothing
    token = preview_url.rsplit("/", 1)[1]
    response = client.post(
        preview_url, data={"csrf_token": csrf(client.get("/io/").get_data(as_text=True))}
    )
    assert response.status_code == 302
    state = wait_for(client, response.headers["Location"])
    assert (
        state["state"] == "failed" and "2 foute rij(en), er is niets geïmporteerd" in state["error"]
    )
    assert "nothing was written" in client.get(response.headers["Location"] + "?lang=en").get_data(
        as_text=True
    )
    store = store_of(app)
    assert store.counts("demo")["Person"] == 0
    store.close()
    assert token


def test_preview_then_confirm_imports_with_progress(client, app):
    data = (
        "soort;naam;thema's;band met bibliotheek;sterkte band\n"
        "persoon;Jan de Vries;duurzaamheid;ja;4\n"
        "organisatie;Stichting Repair Café;duurzaamheid;;\n"
    ).encode("cp1252")
    preview_url = upload(client, data, "scan.csv").headers["Location"]
    page = client.get(preview_url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "CSV (puntkomma, Windows-1252)" in html  # Dutch by default (test_io_formats.py)
    assert "Stichting Repair Café" in html
    assert re.search(r'class="n-create">4<', html)  # 2 entities, a theme, the library
    store = store_of(app)
    assert store.counts("demo")["Person"] == 0  # the preview wrote nothing
    store.close()
    response = client.post(preview_url, data={"csrf_token": csrf(html)})
    assert response.status_code == 302
    progress_url = response.headers["Location"]
    state = wait_for(client, progress_url)
    assert state["state"] == "done", state
    assert state["result"]["entities_created"] == 4
    page = client.get(progress_url).get_data(as_text=True)
    assert "io_progress.js" in page and 'id="io-result"' in page
    store = store_of(app)
    jan = store.lookup("demo", "Jan de Vries", kind="Person")
    (bond,) = store.ties("demo", node=jan.id, kind="BOND_WITH")
    assert bond.strength == 0.8
    store.close()
    # the uploaded file is gone after the import; a second confirm is not possible
    assert client.get(preview_url).status_code == 404


def test_proposals_are_shown_and_can_be_accepted(client, app):
    store = store_of(app)
    jan = store.add_node("demo", "Person", "Jan de Vries")
    store.close()
    preview_url = upload(
        client, b"soort;naam;thema's\npersoon;J. de Vries;lezen\n", "s.csv"
    ).headers["Location"]
    html = client.get(preview_url).get_data(as_text=True)
    select = re.search(r'<select id="choice-1" name="([^"]+)">', html)
    assert select and f'value="{jan.id}"' in html
    response = client.post(
        preview_url, data={"csrf_token": csrf(html), select.group(1).replace("&#39;", "'"): jan.id}
    )
    assert wait_for(client, response.headers["Location"])["state"] == "done"
    store = store_of(app)
    assert [n.name for n in store.nodes("demo", kind="Person")] == ["Jan de Vries"]
    (tie,) = store.ties("demo", kind="ACTIVE_ON")
    assert tie.source == jan.id
    store.close()


def test_a_client_sent_path_or_bad_token_is_not_found(client):
    assert client.get("/io/preview/..%2F..%2Fsecret_key").status_code == 404
    assert client.get("/io/preview/" + "a" * 30).status_code == 404
    assert client.get("/io/progress/" + "b" * 30 + ".json").status_code == 404


def test_wrong_file_type_and_unreadable_file(client):
    response = upload(client, b"%PDF", "scan.pdf")
    # the upload page again (422), the message by the file field (web/forms.py)
    assert response.status_code == 422 and 'id="file-error"' in response.get_data(as_text=True)
    preview_url = upload(client, b"fruit;kleur\nappel;rood\n", "fruit.csv").headers["Location"]
    page = client.get(preview_url)
    assert page.status_code == 422
    assert "lijkt niet op een sjabloon" in page.get_data(as_text=True)


def test_template_and_export_downloads(client, app):
    response = client.get("/io/template.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    from mapper.io.readers import read_bytes

    found = read_bytes(response.data, "t.xlsx")
    assert {t.sheet.key for t in found.tables} == set(exporter.SHEETS)
    assert client.get("/io/template.zip").data[:2] == b"PK"
    assert client.get("/io/template.exe").status_code == 404
    store = store_of(app)
    a = store.add_node("demo", "Person", "Jan de Vries")
    t = store.add_node("demo", "Theme", "lezen")
    store.add_tie("demo", "ACTIVE_ON", a.id, t.id, strength=0.4)
    store.close()
    graph = nx.read_graphml(io.BytesIO(client.get("/io/export?format=graphml").data))
    assert graph.nodes[a.id]["name"] == "Jan de Vries"
    data = client.get(f"/io/export?format=json&theme={t.id}").get_json()
    assert {n["name"] for n in data["nodes"]} == {"Jan de Vries", "lezen"}
    assert client.get("/io/export?format=exe").status_code == 400


def test_duplicates_are_compared_confirmed_merged_and_undone(client, app):
    store = store_of(app)
    store.add_node("demo", "Organisation", "Stichting Repair Café", props={"data_source": "krant"})
    b = store.add_node("demo", "Organisation", "Repair Cafe")
    t = store.add_node("demo", "Theme", "duurzaamheid")
    store.add_tie("demo", "ACTIVE_ON", b.id, t.id)
    store.close()
    html = client.get("/io/duplicates").get_data(as_text=True)
    assert "Stichting Repair Café" in html and "Repair Cafe" in html
    assert '<form method="post" action="/io/merge"' not in html  # no one-click merge
    assert f'href="/entity/{b.id}"' in html  # names are links
    compare = re.search(r'href="(/io/merge/[^"]+)"', html).group(1)
    page = client.get(compare).get_data(as_text=True)
    assert "Vergelijken voor het samenvoegen" in page and "Wat samenvoegen doet" in page
    assert "data_source: krant" in page and "is actief op" in page  # the tie kind in words
    form = re.search(r'<form method="post" action="/io/merge">(.*?)</form>', page, re.S).group(1)
    fields = dict(re.findall(r'name="([^"]+)" type="hidden" value="([^"]+)"', form))
    assert (
        client.post(
            "/io/merge", data={k: v for k, v in fields.items() if k != "csrf_token"}
        ).status_code
        == 400
    )
    assert client.post("/io/merge", data=fields).status_code == 302
    store = store_of(app)
    [org] = store.nodes("demo", kind="Organisation")
    assert org.id == fields["keep"]
    (tie,) = store.ties("demo", kind="ACTIVE_ON")
    assert tie.source == fields["keep"]
    store.close()
    html = client.get("/io/duplicates").get_data(as_text=True)
    assert "Onlangs samengevoegd" in html
    undo = re.search(
        r'<form method="post" action="/io/unmerge" class="inline">(.*?)</form>', html, re.S
    )
    fields = dict(re.findall(r'name="([^"]+)" type="hidden" value="([^"]+)"', undo.group(1)))
    assert client.post("/io/unmerge", data=fields).status_code == 302
    store = store_of(app)
    assert len(list(store.nodes("demo", kind="Organisation"))) == 2
    (tie,) = store.ties("demo", kind="ACTIVE_ON")
    assert tie.source == b.id
    store.close()
    assert "Compare" in client.get("/io/duplicates?lang=en").get_data(as_text=True)


@pytest.mark.parametrize(
    "lang,word", [("nl", "Importeren en exporteren"), ("en", "Import and export")]
)
def test_pages_speak_dutch_by_default_and_english_on_request(client, lang, word):
    html = client.get(f"/io/?lang={lang}").get_data(as_text=True)
    assert word in html
