"""Empty states: a page with nothing to show yet says what to do next, instead of charts of
zeros; and count charts on the page have whole-number ticks. Through the real app on an empty
workspace."""

from __future__ import annotations

import re

import pytest

from mapper.store import open_store


def new_community(client) -> str:
    page = client.get("/communities/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/communities/", data={"csrf_token": token, "name": "Leesclub Zuid", "bond_type": ""}
    )
    assert response.status_code == 302
    return response.headers["Location"].split("?")[0].rsplit("/", 1)[-1]


def test_new_community_says_add_a_member_instead_of_charts(client):
    cid = new_community(client)
    html = client.get(f"/communities/{cid}").get_data(as_text=True)
    assert "Nog geen leden — voeg er een toe" in html
    assert '<svg class="chart"' not in html and 'class="chart-pair"' not in html
    # the sentence leads to the form to add someone, which is on the page
    assert 'href="#add-member"' in html and 'id="add-member"' in html


def test_empty_map_offers_to_add_someone_first(client):
    """Nobody in the map at all: the add-member form says so and links to adding and import."""
    cid = new_community(client)
    html = client.get(f"/communities/{cid}").get_data(as_text=True)
    form = html[
        html.index('id="add-member"') : html.index("</form>", html.index('id="add-member"'))
    ]
    assert "Er staat nog niemand op de kaart om toe te voegen." in form
    assert 'href="/io/"' in form


def test_community_with_a_member_shows_its_charts(app, client):
    cid = new_community(client)
    store = open_store(app.config["DATABASE_URL"])
    try:
        ws = store.workspace("demo")
        person = ws.add_node("Person", "Fatima").id
        ws.add_tie("MEMBER_OF", person, cid, since="2026-01-01")
    finally:
        store.close()
    html = client.get(f"/communities/{cid}").get_data(as_text=True)
    assert "Nog geen leden — voeg er een toe" not in html
    assert html.count('<svg class="chart"') == 8


@pytest.fixture
def empty_theme(app):
    store = open_store(app.config["DATABASE_URL"])
    try:
        return store.workspace("demo").add_node("Theme", "Duurzaamheid", since="2026-01-01").id
    finally:
        store.close()


def test_theme_without_anyone_says_what_to_do_next(app, client, empty_theme):
    html = client.get(f"/scan/{empty_theme}").get_data(as_text=True)
    assert "Nog niemand actief op dit thema — voeg iemand toe of importeer werkblad 3" in html
    block = html[
        html.index('id="theme-empty"') : html.index("</p>", html.index('id="theme-empty"'))
    ]
    assert 'href="/io/"' in block and f"theme={empty_theme}" in block
    assert 'href="#add-party-title"' in block and 'id="add-party-title"' in html


def test_theme_with_someone_has_no_empty_state(app, client, empty_theme):
    store = open_store(app.config["DATABASE_URL"])
    try:
        ws = store.workspace("demo")
        person = ws.add_node("Person", "Bram", since="2026-01-01").id
        ws.add_tie("ACTIVE_ON", person, empty_theme, since="2026-01-01")
    finally:
        store.close()
    html = client.get(f"/scan/{empty_theme}").get_data(as_text=True)
    assert 'id="theme-empty"' not in html


def test_community_page_count_charts_have_whole_ticks(demo_client):
    html = demo_client.get("/communities/").get_data(as_text=True)
    for cid in re.findall(r'href="/communities/(com-[^"/]+)"', html):
        page = demo_client.get(f"/communities/{cid}").get_data(as_text=True)
        # members, ties, separate groups, library roles filled: counts
        for index in (0, 1, 5, 7):
            start = page.index(f'id="chart-{index}"')
            block = page[start : page.index("</svg>", start)]
            ticks = re.findall(  # the y axis: each tick with its grid line
                r'<line class="grid"[^>]*></line>\s*<text class="tick"[^>]*>([^<]*)</text>', block
            )
            assert len(ticks) >= 2, (cid, index)
            assert all(re.fullmatch(r"\d+", t.strip()) for t in ticks), (cid, index, ticks)
