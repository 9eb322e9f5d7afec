"""The community page at the size of a province: the member picker is a search box, not a select
of everyone (its suggestions come from a small JSON endpoint; without JavaScript a GET search
shows the matches), and the member table is shown a page at a time. Through the real app on
real SQLite, in single-user mode and with login required (workspace access)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from mapper.store import SQLiteStore
from tests.fixtures_web import SINGLE_USER
from tests.privacy_helpers import login, make_app, seed_two_workspaces
from tests.web.test_community_web import submit
from web import create_app

XSS = "<script>alert('x')</script> Jansen"
PEOPLE = 600


class _Selects(HTMLParser):
    """Every select of a page: its id and the values of its options."""

    def __init__(self) -> None:
        super().__init__()
        self.selects: dict[str, list[str]] = {}
        self.current: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "select":
            self.current = a.get("id") or a.get("name") or f"select-{len(self.selects)}"
            self.selects[self.current] = []
        elif tag == "option" and self.current is not None:
            self.selects[self.current].append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self.current = None


def selects(html: str) -> dict[str, list[str]]:
    parser = _Selects()
    parser.feed(html)
    return parser.selects


@pytest.fixture
def town(tmp_path):
    """A workspace with many people: a community with 120 members and 600 people besides."""
    path = tmp_path / "town.db"
    store = SQLiteStore(path)
    ws = store.create_workspace("demo", "Bibliotheek Groot")
    club = ws.add_node("Community", "Buurtclub").id
    ws.add_node("Staff", "Sam Medewerker")
    with store.bulk_write(ties=200):
        members = [
            n.id
            for n in ws.add_nodes({"kind": "Person", "name": f"Lid {i:03d}"} for i in range(120))
        ]
        ws.add_ties(
            {"kind": "MEMBER_OF", "source": m, "target": club, "since": "2025-01-01"}
            for m in members
        )
        others = ws.add_nodes(
            [{"kind": "Person", "name": f"Jan {i:03d}"} for i in range(PEOPLE)]
            + [{"kind": "Organisation", "name": "Jan Bakker Stichting"}]
        )
    evil = ws.add_node("Person", XSS).id
    store.close()
    return {
        "path": path,
        "club": club,
        "members": members,
        "others": [n.id for n in others],
        "evil": evil,
    }


@pytest.fixture
def client(town):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{town['path']}",
            "WORKSPACE": "demo",
            "SECRET_KEY": "test",
            "WTF_CSRF_ENABLED": True,
            **SINGLE_USER,
        }
    )
    return app.test_client()


def test_the_page_has_no_select_of_everyone(client, town):
    html = client.get(f"/communities/{town['club']}").get_data(as_text=True)
    found = selects(html)
    assert found["member"] == []  # nothing searched yet: no one offered
    # no select anywhere lists the workspace's people: the change form lists the members
    assert max(len(v) for v in found.values()) <= 120
    assert html.count("<option") < 200
    assert 'id="member-q"' in html and 'type="search"' in html
    assert "/member-search" in html and "community_search.js" in html


def test_a_get_search_shows_the_matches_to_choose_from(client, town):
    html = client.get(f"/communities/{town['club']}?member_q=jan").get_data(as_text=True)
    offered = selects(html)["member"]
    assert 0 < len(offered) <= 20
    assert set(offered) <= set(town["others"]) | {town["evil"]}
    assert 'value="jan"' in html  # the box keeps what was typed
    # the organisation is found too, and the script-like name is shown as text
    html = client.get(f"/communities/{town['club']}?member_q=Jansen").get_data(as_text=True)
    assert selects(html)["member"] == [town["evil"]]
    assert XSS not in html and "&lt;script&gt;alert(" in html
    # current members are not offered
    html = client.get(f"/communities/{town['club']}?member_q=Lid 00").get_data(as_text=True)
    assert selects(html)["member"] == []
    assert "Niemand heeft die naam" in html


def test_choosing_a_match_adds_the_member(client, town):
    html = client.get(f"/communities/{town['club']}?member_q=Bakker").get_data(as_text=True)
    (org,) = selects(html)["member"]
    response = submit(client, html, "add-member", since="2026-01-05")
    assert response.status_code == 302
    store = SQLiteStore(town["path"])
    try:
        ties = list(store.workspace("demo").ties(node=org, kind="MEMBER_OF"))
    finally:
        store.close()
    assert [(t.target, t.since.isoformat()) for t in ties] == [(town["club"], "2026-01-05")]


def test_a_posted_member_that_is_no_person_is_refused(client, town):
    html = client.get(f"/communities/{town['club']}?member_q=jan").get_data(as_text=True)
    response = submit(client, html, "add-member", member=town["club"], since="2026-01-05")
    assert response.status_code == 422


def test_search_endpoint_returns_matching_people_limited(client, town):
    url = f"/communities/{town['club']}/member-search"
    response = client.get(url + "?q=jan")
    assert response.status_code == 200 and response.mimetype == "application/json"
    found = response.get_json()
    assert len(found) == 20  # 601 match: the limit holds
    assert all("jan" in f["name"].casefold() for f in found)
    assert {f["kind"] for f in found} <= {"Person", "Organisation"}
    assert found[0]["name"] == "Jan 000"  # prefix matches by name first
    assert len(client.get(url + "?q=jan&limit=3").get_json()) == 3
    assert len(client.get(url + "?q=jan&limit=5000").get_json()) == 20
    assert client.get(url + "?q=").get_json() == []
    # current members are left out; the organisation is found by part of its name
    assert client.get(url + "?q=Lid 001").get_json() == []
    (org,) = client.get(url + "?q=bakker").get_json()
    assert org["kind"] == "Organisation" and org["kind_label"] == "Organisatie"


def test_search_endpoint_answers_text_as_json_not_markup(client, town):
    response = client.get(f"/communities/{town['club']}/member-search?q=Jansen")
    (found,) = response.get_json()
    assert found == {
        "id": town["evil"],
        "name": XSS,
        "kind": "Person",
        "kind_label": "Persoon",
    }
    assert response.mimetype == "application/json"
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    # what the script does with it: textContent, never innerHTML
    static = client.get("/static/community_search.js")
    script = static.get_data(as_text=True)
    static.close()
    assert "textContent" in script and "innerHTML" not in script


def test_search_endpoint_of_something_else_is_not_found(client, town):
    assert client.get(f"/communities/{town['evil']}/member-search?q=jan").status_code == 404
    assert client.get("/communities/nope/member-search?q=jan").status_code == 404


def test_search_endpoint_respects_workspace_access(tmp_path):
    town = seed_two_workspaces(tmp_path)
    app = make_app(town)
    alpha = town.ids["alpha"]["community"]
    beta = town.ids["beta"]["community"]
    anonymous = app.test_client()
    response = anonymous.get(f"/communities/{alpha}/member-search?q=Persoon")
    assert response.status_code in (302, 401)
    assert b"Alfaweg" not in response.data
    viewer = app.test_client()
    assert login(viewer, "viewer@alpha.nl").status_code == 302
    found = viewer.get(f"/communities/{alpha}/member-search?q=Persoon").get_json()
    assert [f["name"] for f in found] == ["Persoon Alfaweg"]
    # another workspace's community is not found, and its people never come back
    assert viewer.get(f"/communities/{beta}/member-search?q=Persoon").status_code == 404
    for text in ("Betastraat", "Persoon", "Buur"):
        body = viewer.get(f"/communities/{alpha}/member-search?q={text}").get_data(as_text=True)
        assert "Betastraat" not in body


def test_the_member_table_is_paginated(client, town):
    url = f"/communities/{town['club']}"
    seen: list[str] = []
    html = client.get(url).get_data(as_text=True)
    for page in (1, 2, 3):
        table = html[
            html.index('<table id="member-table">') : html.index(
                "</table>", html.index('<table id="member-table">')
            )
        ]
        rows = re.findall(r'<th scope="row"><a href="/entity/([^"]+)"', table)
        assert len(rows) == (50 if page < 3 else 20)
        seen += rows
        if page < 3:
            link = re.search(r'<a rel="next" href="([^"]+)"', html)
            assert link, page
            html = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert sorted(seen) == sorted(town["members"])
    assert 'rel="next"' not in html and 'rel="prev"' in html
    assert "Leden 101–120 van 120" in html
    # a page past the end, or not a number, shows the nearest page
    assert client.get(url + "?members_page=99").status_code == 200
    assert client.get(url + "?members_page=x").status_code == 200
