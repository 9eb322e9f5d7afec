"""Kept positions (#14), through the real app on a real SQLite file: a GET never writes, a
position is saved per point (a merge, never the whole map replaced), first placements never
overwrite a position someone set, and two people dragging different points at the same time
both keep theirs."""

from __future__ import annotations

import json
import re
import threading

import pytest

from mapper.analysis.scan import theme_scan
from mapper.store import open_store
from web.map_layouts import layout_setting

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def scan_json(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="scan-data">(.*?)</script>', page, re.S)
    assert match, "the scan page carries its map data"
    return json.loads(match.group(1))


@pytest.fixture
def theme(demo_app):
    store = open_store(demo_app.config["DATABASE_URL"])
    try:
        rows = [r for r in theme_scan(store.project("demo")) if r.in_library]
        return min((r for r in rows if r.counts["Person"] >= 8), key=lambda r: r.counts["Person"])
    finally:
        store.close()


def workspace_state(app) -> tuple:
    """Everything a GET could have written: the workspace settings and the audit trail."""
    store = open_store(app.config["DATABASE_URL"])
    try:
        ws = store.workspace("demo")
        return json.dumps(ws.info.settings, sort_keys=True), len(ws.audit(limit=100000))
    finally:
        store.close()


def kept(app, map_key: str) -> dict:
    store = open_store(app.config["DATABASE_URL"])
    try:
        raw = store.workspace("demo").info.settings.get(layout_setting(map_key)) or {}
        return {k: tuple(v) for k, v in (raw.get("positions") or {}).items()}
    finally:
        store.close()


def page_and_token(client, theme_id: str) -> tuple[dict, str]:
    page = client.get(f"/scan/{theme_id}").get_data(as_text=True)
    return scan_json(page), CSRF.search(page).group(1)


def test_a_get_never_writes_and_the_page_asks_to_keep_new_points(demo_app, theme):
    client = demo_app.test_client()
    before = workspace_state(demo_app)
    data, token = page_and_token(client, theme.theme)
    client.get(f"/scan/{theme.theme}?kind=Person")
    client.get(f"/scan/{theme.theme}?as_of={data['days'][0]}")
    assert workspace_state(demo_app) == before, "a GET wrote to the store"
    assert client.get("/maps/layout").status_code == 405
    # nothing is kept yet, so the page lists every point as newly placed, for its script
    assert data["canEdit"] and set(data["unsaved"]) == {n["id"] for n in data["nodes"]}
    placed = {n["id"]: [n["x"], n["y"]] for n in data["nodes"]}
    body = {"map": data["map"], "placed": placed}
    assert client.post("/maps/layout", json=body).status_code == 400  # no CSRF token
    answer = client.post("/maps/layout", json=body, headers={"X-CSRFToken": token})
    assert answer.status_code == 200 and answer.get_json() == {"saved": len(placed)}
    again, _ = page_and_token(client, theme.theme)
    assert again["unsaved"] == []
    assert {n["id"]: [n["x"], n["y"]] for n in again["nodes"]} == placed


def test_a_first_placement_never_overwrites_a_kept_position(demo_app, theme):
    client = demo_app.test_client()
    data, token = page_and_token(client, theme.theme)
    node = next(n["id"] for n in data["nodes"] if n["kind"] == "Person")
    headers = {"X-CSRFToken": token}
    client.post(
        "/maps/layout", json={"map": data["map"], "positions": {node: [500, 600]}}, headers=headers
    )
    # a page opened before the drag still holds the computed place and sends it as new
    stale = {n["id"]: [n["x"], n["y"]] for n in data["nodes"]}
    client.post("/maps/layout", json={"map": data["map"], "placed": stale}, headers=headers)
    positions = kept(demo_app, data["map"])
    assert positions[node] == (500.0, 600.0)
    assert len(positions) == len(stale)


def test_two_people_dragging_different_points_at_once_both_keep_theirs(demo_app, theme):
    """Two clients (two sessions, two CSRF tokens), each dragging its own points one by one,
    at the same moment: every position of both is kept (saving merges per point)."""
    clients = [demo_app.test_client(), demo_app.test_client()]
    pages = [page_and_token(c, theme.theme) for c in clients]
    data = pages[0][0]
    people = sorted(n["id"] for n in data["nodes"] if not n["centre"])
    assert len(people) >= 8
    halves = [people[0::2], people[1::2]]
    rounds = 12
    start = threading.Barrier(2)
    failures: list[str] = []

    def drag(index: int) -> None:
        client, (_, token) = clients[index], pages[index]
        start.wait()
        for step in range(rounds):
            for offset, node in enumerate(halves[index]):
                spot = [1000.0 * (index + 1) + step, 10.0 * offset]
                answer = client.post(
                    "/maps/layout",
                    json={"map": data["map"], "positions": {node: spot}},
                    headers={"X-CSRFToken": token},
                )
                if answer.status_code != 200:
                    failures.append(f"{node}: {answer.status_code}")

    threads = [threading.Thread(target=drag, args=(i,)) for i in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    positions = kept(demo_app, data["map"])
    for index, half in enumerate(halves):
        for offset, node in enumerate(half):
            assert positions.get(node) == (1000.0 * (index + 1) + rounds - 1, 10.0 * offset), node
    # and the map shows them
    shown = {n["id"]: (n["x"], n["y"]) for n in page_and_token(clients[1], theme.theme)[0]["nodes"]}
    assert all(shown[n] == positions[n] for n in people)
