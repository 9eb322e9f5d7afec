"""Maps that are kept (#14), through the real app: positions stay put between dates, filters and
imports; dragged positions are posted with a CSRF token and kept; saved views have their own
link; the layout helpers keep what is stored."""

from __future__ import annotations

import json
import math
import re

import networkx as nx
import pytest

from mapper.analysis.scan import theme_scan
from mapper.maps import MIN_DISTANCE, layout_positions, stable_positions
from mapper.store import open_store

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def scan_json(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="scan-data">(.*?)</script>', page, re.S)
    assert match, "the scan page carries its map data"
    return json.loads(match.group(1))


def places(data: dict, *, on_day: bool = True) -> dict:
    day = data["day"]
    return {n["id"]: (n["x"], n["y"]) for n in data["nodes"] if not on_day or day in n["days"]}


def keep_placed(client, page: str) -> dict:
    """What a map page's script does once drawn: post the points it placed first (POST with
    its CSRF token; reading the page wrote nothing). Returns the page's map data."""
    data = scan_json(page)
    if data["unsaved"]:
        placed = {n["id"]: [n["x"], n["y"]] for n in data["nodes"] if n["id"] in data["unsaved"]}
        answer = client.post(
            "/maps/layout",
            json={"map": data["map"], "placed": placed},
            headers={"X-CSRFToken": CSRF.search(page).group(1)},
        )
        assert answer.status_code == 200
    return data


@pytest.fixture
def theme(demo_app):
    store = open_store(demo_app.config["DATABASE_URL"])
    try:
        rows = [r for r in theme_scan(store.project("demo")) if r.in_library]
        return max(rows, key=lambda r: (r.counts["Person"], r.name))
    finally:
        store.close()


def test_points_keep_their_place_between_dates_and_filters(demo_client, theme):
    now = scan_json(demo_client.get(f"/scan/{theme.theme}").get_data(as_text=True))
    assert len(now["days"]) > 6 and now["day"] == len(now["days"]) - 1
    # the months of the slider grow towards today: fewer points a year ago
    present = [sum(1 for n in now["nodes"] if i in n["days"]) for i in range(len(now["days"]))]
    assert present[0] < present[-1]
    earlier = scan_json(
        demo_client.get(f"/scan/{theme.theme}?as_of={now['days'][-13]}").get_data(as_text=True)
    )
    people = scan_json(demo_client.get(f"/scan/{theme.theme}?kind=Person").get_data(as_text=True))
    a, b, c = places(now), places(earlier), places(people)
    for other in (b, c):
        common = set(a) & set(other)
        assert len(common) > 5
        assert all(math.dist(a[n], other[n]) < 10 for n in common)
    # no two points on top of each other
    spots = list(a.values())
    close = sum(
        1
        for i, p in enumerate(spots)
        for q in spots[i + 1 :]
        if math.dist(p, q) < MIN_DISTANCE * 0.5
    )
    assert close == 0


def test_dragged_positions_are_kept_for_everyone_with_a_csrf_token(demo_client, theme):
    page = demo_client.get(f"/scan/{theme.theme}").get_data(as_text=True)
    data = keep_placed(demo_client, page)
    token = CSRF.search(page).group(1)
    node = next(n["id"] for n in data["nodes"] if n["kind"] == "Person")
    body = {"map": data["map"], "positions": {node: [1234.5, -987.6]}}
    # without the token: refused, nothing kept
    refused = demo_client.post("/maps/layout", json=body)
    assert refused.status_code == 400
    kept = demo_client.post("/maps/layout", json=body, headers={"X-CSRFToken": token})
    assert kept.status_code == 200 and kept.get_json() == {"saved": 1}
    again = scan_json(demo_client.get(f"/scan/{theme.theme}").get_data(as_text=True))
    assert places(again)[node] == (1234.5, -987.6)
    others = {k: v for k, v in places(data).items() if k != node}
    assert {k: v for k, v in places(again).items() if k != node} == others
    # bad positions are refused with a message, not stored
    for bad in ({node: [1, "x"]}, {node: [1]}, {node: [1e12, 0]}, []):
        response = demo_client.post(
            "/maps/layout",
            json={"map": data["map"], "positions": bad},
            headers={"X-CSRFToken": token},
        )
        assert response.status_code == 400 and response.get_json()["error"]


def test_new_points_from_an_import_do_not_move_the_others(demo_app, demo_client, theme):
    data = keep_placed(demo_client, demo_client.get(f"/scan/{theme.theme}").get_data(as_text=True))
    before = places(data)
    store = open_store(demo_app.config["DATABASE_URL"])
    try:
        friend = next(n["id"] for n in data["nodes"] if n["kind"] == "Person" and n["id"] in before)
        new = store.add_node("demo", "Person", "Nieuwkomer")
        store.add_tie("demo", "ACTIVE_ON", new.id, theme.theme, strength=0.6)
        store.add_tie("demo", "KNOWS", new.id, friend, strength=0.6)
    finally:
        store.close()
    after = places(scan_json(demo_client.get(f"/scan/{theme.theme}").get_data(as_text=True)))
    assert new.id in after
    assert {k: after[k] for k in before} == before


def test_saved_views_have_their_own_link(demo_client, theme):
    page = demo_client.get(f"/scan/{theme.theme}").get_data(as_text=True)
    token = CSRF.search(page).group(1)
    url = f"/scan/{theme.theme}?kind=Person&as_of=2026-01-05&focus=x&steps=2&view=old"
    saved = demo_client.post(
        "/maps/views", data={"csrf_token": token, "title": "Voor de wethouder", "url": url}
    )
    assert saved.status_code == 302
    listing = demo_client.get("/maps/views").get_data(as_text=True)
    assert "Voor de wethouder" in listing
    view_id = re.search(r'href="/maps/views/([0-9a-f]+)"', listing).group(1)
    opened = demo_client.get(f"/maps/views/{view_id}")
    assert opened.status_code == 302
    target = opened.headers["Location"]
    assert target.startswith(f"/scan/{theme.theme}?")
    for part in ("kind=Person", "as_of=2026-01-05", "focus=x", "steps=2", f"view={view_id}"):
        assert part in target
    assert "view=old" not in target
    assert demo_client.get("/maps/present/1").headers["Location"].endswith("present=1")
    assert demo_client.get("/maps/present/2").status_code == 404
    # only this app's map pages can be saved
    for bad in ("https://example.org/scan/x", "//example.org/scan/x", "/admin/users"):
        demo_client.post("/maps/views", data={"csrf_token": token, "title": "x", "url": bad})
    assert demo_client.get("/maps/views").get_data(as_text=True).count('href="/maps/views/') == 1
    deleted = demo_client.post(f"/maps/views/{view_id}/delete", data={"csrf_token": token})
    assert deleted.status_code == 302
    assert demo_client.get(f"/maps/views/{view_id}").status_code == 404


def test_stable_positions_keep_what_is_stored_and_place_new_points_near_neighbours():
    graph = nx.karate_club_graph()
    first = layout_positions(graph, centre=0)
    assert stable_positions(graph, first) == first
    graph.add_edge(5, "new")
    graph.add_edge("new", 6)
    graph.add_edge("lonely-a", "lonely-b")
    again = stable_positions(graph, first)
    assert all(again[n] == first[n] for n in first)
    middle = ((first[5][0] + first[6][0]) / 2, (first[5][1] + first[6][1]) / 2)
    assert math.dist(again["new"], middle) < 200
    # a group with no placed neighbour goes beside the map, not on top of it
    right = max(x for x, _ in first.values())
    assert again["lonely-a"][0] > right and again["lonely-b"][0] > right
    assert stable_positions(graph, again) == again


def test_the_focus_links_of_the_worksheet_keep_the_filters(demo_client, theme):
    """Each row's ◎ link is this page's address with its filters and ``focus`` set to the
    row (made once for the table, not with url_for per row)."""
    from html import unescape
    from urllib.parse import parse_qs, urlsplit

    day = "2026-06-01"
    page = demo_client.get(
        f"/scan/{theme.theme}?kind=Person&kind=Organisation&min=2&as_of={day}"
    ).get_data(as_text=True)
    found = re.findall(
        r'<th scope="row"><a href="/entity/([^"]+)">[^<]*</a>\s*<a class="focus" href="([^"]+)"',
        page,
    )
    assert len(found) == page.count('<a class="focus"') > 5
    for row, href in found:
        link = unescape(href)
        parts = urlsplit(link)
        assert parts.path == f"/scan/{theme.theme}"
        query = parse_qs(parts.query)
        assert query["kind"] == ["Person", "Organisation"] and query["min"] == ["2"]
        assert query["as_of"] == [day] and query["focus"] == [row]
        assert demo_client.get(link).status_code == 200
