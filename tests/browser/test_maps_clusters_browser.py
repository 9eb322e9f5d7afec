"""A map above the cluster limit (#14), in a real headless Chromium: the rest of the points
are grouped into clusters by default, every point keeps the place the server gave it when the
month changes and when a group is opened, and the places are the same after a reload."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from mapper.store import SQLiteStore
from tests.fixtures_web import SINGLE_USER
from web import create_app

pytestmark = pytest.mark.browser

WAIT = 90  # a map of some 360 points on a loaded machine
PEOPLE = 330
ORGANISATIONS = 30


@pytest.fixture
def live_app(tmp_path):
    """A workspace whose one theme has about 360 points, their ties begun over 6 months."""
    path = tmp_path / "groot.db"
    store = SQLiteStore(path)
    store.create_workspace("groot", "Bibliotheek Groot")
    ws = store.workspace("groot")
    rng = random.Random(14)
    library = ws.add_node("Library", "Bibliotheek Groot")
    theme = ws.add_node("Theme", "samen lezen")
    people = ws.add_nodes([{"kind": "Person", "name": f"Lezer {i}"} for i in range(PEOPLE)])
    orgs = ws.add_nodes(
        [{"kind": "Organisation", "name": f"Leesclub {i}"} for i in range(ORGANISATIONS)]
    )
    today = dt.date.today()
    ties = []
    for i, p in enumerate(people):
        ties.append(dict(kind="ACTIVE_ON", source=p.id, target=theme.id, strength=0.6))
        ties.append(dict(kind="KNOWS", source=p.id, target=people[(i + 1) % PEOPLE].id))
        ties.append(dict(kind="MEMBER_OF", source=p.id, target=rng.choice(orgs).id))
        if i % 15 == 0:
            ties.append(dict(kind="BOND_WITH", source=library.id, target=p.id, strength=0.8))
    for o in orgs:
        ties.append(dict(kind="ACTIVE_ON", source=o.id, target=theme.id, strength=0.6))
    for tie in ties:
        tie["since"] = today - dt.timedelta(days=rng.randrange(180))
    ws.add_ties(ties)
    store.close()
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{path}",
            "WORKSPACE": "groot",
            "SECRET_KEY": "test",
            **SINGLE_USER,
        }
    )
    app.config["TEST_THEME"] = theme.id
    return app


def open_map(browser, live_server) -> int:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.set_page_load_timeout(WAIT)
    browser.set_script_timeout(WAIT)
    browser.get(f"{live_server.url}/scan/{live_server.app.config['TEST_THEME']}")
    drawn = WebDriverWait(browser, WAIT).until(
        lambda d: d.find_element(By.ID, "scan-map").get_attribute("data-nodes-drawn")
    )
    return int(drawn)


#: Every point's place on the canvas now, and the place the server sent.
PLACES_JS = """
var map = window.scanMap, net = map.network, now = {}, sent = {};
var at = net.getPositions(map.nodes.getIds());
map.data.nodes.forEach(function (n) {
  sent[n.id] = [n.x, n.y]; now[n.id] = [at[n.id].x, at[n.id].y]; });
return [now, sent];
"""


def misplaced(now: dict, sent: dict, tolerance: float = 1.0) -> list[str]:
    """Points not where the server put them (vis-network keeps whole units: it reads a
    position with parseInt, and getPositions rounds)."""
    return [
        n
        for n, (x, y) in sent.items()
        if abs(now[n][0] - x) > tolerance or abs(now[n][1] - y) > tolerance
    ]


def test_a_large_map_is_grouped_and_every_point_keeps_its_place(live_server, browser):
    from selenium.webdriver.common.by import By

    drawn = open_map(browser, live_server)
    assert drawn > 300
    container = browser.find_element(By.ID, "scan-map")
    groups = int(container.get_attribute("data-clusters") or 0)
    assert groups > 0, "above the limit the rest of the points is grouped by default"
    now, sent = browser.execute_script(PLACES_JS)
    assert misplaced(now, sent) == []

    # the months change in place: the groups are opened and made again, nobody moves
    days = browser.execute_script("return window.scanMap.days.length;")
    assert days > 2
    for index in (0, days // 2, days - 1):
        browser.execute_script("window.scanMap.setDay(arguments[0]);", index)
    assert int(container.get_attribute("data-clusters") or 0) > 0
    now, sent = browser.execute_script(PLACES_JS)
    assert misplaced(now, sent) == [], "a point moved when the month changed"

    # a group opened with a click shows its points where they belong, not in one pile
    members = browser.execute_script(
        """
        var map = window.scanMap, net = map.network, c = map.clusters();
        var cid = Object.keys(c)[0], members = c[cid].members.slice();
        net.moveTo({position: net.getPositions([cid])[cid], scale: 1, animation: false});
        net.emit('click', {nodes: [cid], edges: []});
        return members;
        """
    )
    assert len(members) >= 4
    now, sent = browser.execute_script(PLACES_JS)
    assert misplaced(now, sent) == []
    spots = {tuple(now[m]) for m in members}
    assert len(spots) == len(members), "the points of an opened group are each in their place"

    # after a reload the map is the same
    before = now
    open_map(browser, live_server)
    after, sent_again = browser.execute_script(PLACES_JS)
    assert sent_again == sent
    assert misplaced(after, before) == [], "a point moved after a reload"
