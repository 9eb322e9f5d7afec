"""The "Warme contacten" pages, the conversation sheet, the log form and the JSON API, through
the real app (test client) on a real SQLite file. (The same in headless Chromium on the demo:
``tests/browser/test_warm_browser.py``.)"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from mapper.store import SQLiteStore
from tests.warm_town import build_town

DAY = "2026-06-01"


@pytest.fixture
def town(app, tmp_path):
    store = SQLiteStore(tmp_path / "app.db")
    ids = build_town(store, "demo")
    store.close()
    return ids


def open_store(tmp_path):
    return SQLiteStore(tmp_path / "app.db")


def ranked_ids(html: str) -> list[str]:
    return re.findall(r'<li class="warm-item" id="c-([^"]+)"', html)


def csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_pick_page_and_unknown_target_with_close_matches(client, town):
    page = client.get("/warm-contacts")
    assert page.status_code == 200
    assert "Warme contacten" in page.get_data(as_text=True)
    assert f"/warm-contacts/{town['duurzaam']}" in page.get_data(as_text=True)
    found = client.get("/warm-contacts?kind=theme&name=Duurzaamheid")
    assert found.status_code == 302 and found.headers["Location"].endswith(town["duurzaam"])
    missing = client.get("/warm-contacts?kind=theme&name=duurzaam")
    assert missing.status_code == 404
    html = missing.get_data(as_text=True)
    assert "Niet gevonden: duurzaam." in html
    assert "Bedoelde je:" in html and ">duurzaamheid</a>" in html


def test_ranking_page_shows_list_reasons_and_route_map(client, town):
    response = client.get(f"/warm-contacts/{town['duurzaam']}?as_of={DAY}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert set(ranked_ids(html)) == {town["jan"], town["fatma"], town["els"], town["piet"]}
    assert "Via via: Anna de Boer (bibliotheek) → Jan de Vries (Repair Café) → Fatma Yılmaz" in html
    assert "Directe band met de bibliotheek (zwak, handmatig)" in html
    assert '<script type="application/json" id="warm-data">' in html
    assert "/static/warm.js" in html and "vendor/vis-network/vis-network.min.js" in html
    # No inline script: every <script> either has a src or carries JSON data.
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    english = client.get(f"/warm-contacts/{town['duurzaam']}?as_of={DAY}&lang=en")
    assert "Warm contacts for duurzaamheid" in english.get_data(as_text=True)
    assert "Via: Anna de Boer (library)" in english.get_data(as_text=True)


def test_user_text_is_escaped(client, town, tmp_path):
    store = open_store(tmp_path)
    ws = store.workspace("demo")
    evil = ws.add_node(
        "Person",
        "<img src=x onerror=alert(1)>",
        since="2024-01-01",
        props={"lawful_basis": "consent", "data_source": "test"},
    )
    ws.add_tie("ACTIVE_ON", evil.id, town["duurzaam"], since="2024-01-01")
    ws.add_tie("KNOWS", town["anna"], evil.id, strength=0.6, since="2024-01-01")
    store.close()
    html = client.get(f"/warm-contacts/{town['duurzaam']}?as_of={DAY}").get_data(as_text=True)
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    sheet = client.get(f"/warm-contacts/{town['duurzaam']}/sheet/{evil.id}?as_of={DAY}")
    assert sheet.status_code == 200 and "<img src=x" not in sheet.get_data(as_text=True)


def test_conversation_sheet_has_werkblad_5(client, town):
    response = client.get(f"/warm-contacts/{town['duurzaam']}/sheet/{town['fatma']}?as_of={DAY}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for text in (
        "Gespreksvoorbereiding",
        "Fatma Yılmaz",
        "Repair Café (ambassadeur)",
        "Anna de Boer (bibliotheek) → Jan de Vries (Repair Café) → Fatma Yılmaz",
        "Jan de Vries kan je voorstellen.",
        "Hoe gaat je dag/week tot nu toe?",
        "Wat inspireert jou?",
        "Koester stiltes",
        "Let op lichaamstaal",
        "Gedeelde contacten",
        "Jan de Vries — bekend bij Anna de Boer",
        'name="csrf_token"',
        "Na het gesprek: leg het vast",
        "warm_sheet.js",
        "@media print",
    ):
        if text == "@media print":
            assert "warm.css" in html
            continue
        assert text in html, text
    assert client.get(f"/warm-contacts/{town['duurzaam']}/sheet/{town['anna']}").status_code == 404
    assert client.get(f"/warm-contacts/{town['duurzaam']}/sheet/per-nothere").status_code == 404
    assert client.get("/warm-contacts/thm-nothere").status_code == 404


def test_logging_a_conversation_changes_the_ranking(client, town, tmp_path):
    target, piet = town["duurzaam"], town["piet"]
    before = client.get(f"/warm-contacts/{target}?as_of={DAY}").get_data(as_text=True)
    sheet = client.get(f"/warm-contacts/{target}/sheet/{piet}?as_of={DAY}").get_data(as_text=True)
    form = {
        "staff": town["bas"],
        "on": DAY,
        "outcome": "follow-up",
        "strength": "derive",
        "notes": "Koffie op de <markt>",
        "csrf_token": csrf_token(sheet),
    }

    # Without the CSRF token nothing is written.
    refused = client.post(
        f"/warm-contacts/{target}/log/{piet}",
        data={k: v for k, v in form.items() if k != "csrf_token"},
    )
    # (400 from the app-wide check, or the form's own check sending you back to the sheet)
    assert refused.status_code == 400 or (
        refused.status_code == 302 and f"/sheet/{piet}" in refused.headers["Location"]
    )
    store = open_store(tmp_path)
    assert list(store.workspace("demo").contacts()) == []
    store.close()

    done = client.post(f"/warm-contacts/{target}/log/{piet}", data=form)
    assert done.status_code == 302
    assert done.headers["Location"].endswith(f"/warm-contacts/{target}?as_of={DAY}#c-{piet}")
    after = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Gesprek met Piet Jansen vastgelegd" in after
    assert ranked_ids(after).index(piet) < ranked_ids(before).index(piet)
    assert "Bas Smit kent Piet Jansen zelf (redelijk, afgeleid uit contactmomenten)" in after

    store = open_store(tmp_path)
    ws = store.workspace("demo")
    (contact,) = ws.contacts()
    assert (contact.a, contact.b, contact.on.isoformat()) == (town["bas"], piet, DAY)
    assert contact.notes == "Koffie op de <markt>" and contact.outcome == "follow-up"
    (tie,) = [
        t
        for t in ws.ties(node=piet, kind="KNOWS")
        if town["bas"] in (t.source, t.target) and t.until is None
    ]
    assert tie.strength is None and tie.props["strength_source"] == "derived"
    store.close()
    sheet_after = client.get(f"/warm-contacts/{target}/sheet/{piet}?as_of={DAY}")
    assert "Koffie op de &lt;markt&gt;" in sheet_after.get_data(as_text=True)

    # Setting the strength by hand: "zeer sterk" makes Bas's route the warmest.
    form["strength"], form["on"] = "5", "2026-06-02"
    assert client.post(f"/warm-contacts/{target}/log/{piet}", data=form).status_code == 302
    api = client.get("/api/warm-contacts?theme=duurzaamheid&date=2026-06-02&limit=50").json
    piet_item = next(i for i in api if i["id"] == piet)
    assert piet_item["warmth"] == 1.0 and piet_item["links"][0]["source"] == "hand-set"
    store = open_store(tmp_path)
    history = store.workspace("demo").tie_history(tie.id)
    store.close()
    assert [v.strength for v in history] == [None, 1.0]


def test_log_form_errors_are_shown_not_written(client, town, tmp_path):
    target, piet = town["duurzaam"], town["piet"]
    sheet = client.get(f"/warm-contacts/{target}/sheet/{piet}").get_data(as_text=True)
    bad = client.post(
        f"/warm-contacts/{target}/log/{piet}",
        data={"staff": town["jan"], "on": DAY, "strength": "keep", "csrf_token": csrf_token(sheet)},
        follow_redirects=True,
    )
    assert bad.status_code == 422  # the sheet again, with what was typed (web/forms.py)
    assert (
        "Not a valid choice" in bad.get_data(as_text=True)
        or "ongeldig" in bad.get_data(as_text=True).lower()
        or "Geen geldige" in bad.get_data(as_text=True)
    )
    store = open_store(tmp_path)
    assert list(store.workspace("demo").contacts()) == []
    store.close()


def test_json_api(client, town):
    response = client.get(f"/api/warm-contacts?theme=duurzaamheid&date={DAY}")
    assert response.status_code == 200
    items = response.json
    assert isinstance(items, list) and items
    assert [i["score"] for i in items] == sorted((i["score"] for i in items), reverse=True)
    for item in items:
        assert {"id", "name", "score", "warmth", "path", "reasons"} <= set(item)
    fatma = next(i for i in items if i["id"] == town["fatma"])
    assert [p["name"] for p in fatma["path"]] == ["Anna de Boer", "Jan de Vries", "Fatma Yılmaz"]
    assert fatma["warmth"] == pytest.approx(0.48)
    assert len(client.get("/api/warm-contacts?theme=duurzaamheid&limit=2").json) == 2
    person = client.get(f"/api/warm-contacts?person=Fatma%20Yilmaz&date={DAY}")
    assert person.status_code == 200
    assert {i["id"] for i in person.json} == {town["fatma"], town["jan"], town["piet"]}

    missing = client.get("/api/warm-contacts?organisation=Repair%20Cafe%20Noord")
    assert missing.status_code == 404
    assert missing.json["suggestions"] == ["Repair Café"]
    assert client.get("/api/warm-contacts").status_code == 400
    assert client.get("/api/warm-contacts?theme=x&person=y").status_code == 400
    bad = client.get("/api/warm-contacts?theme=duurzaamheid&limit=zero")
    assert bad.status_code == 400 and "limit 'zero'" in bad.json["error"]
    assert client.get("/api/warm-contacts?theme=duurzaamheid&date=1-6").status_code == 400


def test_demo_town_page_sheet_and_log(demo_client):
    pick = demo_client.get("/warm-contacts?kind=theme&name=duurzaamheid")
    assert pick.status_code == 302
    page_url = pick.headers["Location"]
    page = demo_client.get(page_url).get_data(as_text=True)
    ids = ranked_ids(page)
    assert len(ids) == 20
    last = ids[-1]
    theme_id = page_url.rsplit("/", 1)[1]
    sheet = demo_client.get(f"/warm-contacts/{theme_id}/sheet/{last}").get_data(as_text=True)
    staff = re.search(
        r'<select id="staff" name="staff"[^>]*>\s*<option (?:selected )?value="([^"]+)"', sheet
    ).group(1)
    today = dt.date.today().isoformat()
    done = demo_client.post(
        f"/warm-contacts/{theme_id}/log/{last}",
        data={"staff": staff, "on": today, "strength": "5", "csrf_token": csrf_token(sheet)},
    )
    assert done.status_code == 302 and "/sheet/" not in done.headers["Location"]
    after = ranked_ids(demo_client.get(done.headers["Location"]).get_data(as_text=True))
    assert after.index(last) < ids.index(last)


def test_target_without_people(client, town):
    html = client.get(f"/warm-contacts/{town['lezen']}").get_data(as_text=True)
    assert 'id="warm-empty"' in html and "warm.js" not in html
    assert client.get("/api/warm-contacts?theme=lezen").json == []
