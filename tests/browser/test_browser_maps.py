"""Maps people can read, keep and present (#14), in a real headless Chromium: the page never
jumps, a click opens the side panel, dragged positions are kept through a reload and an
import, the time slider changes the month in place, and a saved view brings back its filters,
focus and date."""

from __future__ import annotations

import time

import pytest

from mapper.analysis.scan import theme_scan
from mapper.io import import_file
from mapper.store import open_store
from tests.browser.test_browser_scan import WAIT, wait_for_map

pytestmark = pytest.mark.browser


@pytest.fixture
def live_app(demo_app):
    """The demo town; a library theme with a modest map (some people, quick to draw) is the
    one the tests map."""
    store = open_store(demo_app.config["DATABASE_URL"])
    try:
        rows = [r for r in theme_scan(store.project("demo")) if r.in_library]
        row = min(
            (r for r in rows if r.counts["Person"] >= 8), key=lambda r: (r.counts["Person"], r.name)
        )
    finally:
        store.close()
    demo_app.config["TEST_THEME"] = row.theme
    demo_app.config["TEST_THEME_NAME"] = row.name
    return demo_app


def open_scan(browser, live_server, query: str = "") -> int:
    browser.get(f"{live_server.url}/scan/{live_server.app.config['TEST_THEME']}{query}")
    return wait_for_map(browser)


def settled_offset(browser, node_id: str) -> tuple[int, int]:
    """Where a node is drawn, relative to the centre of the map element, once still (with the
    map scrolled to the top of the window, so the whole map is in view)."""
    browser.execute_script("document.getElementById('scan-map').scrollIntoView({block: 'start'});")
    previous = None
    for _ in range(50):
        current = tuple(
            round(v)
            for v in browser.execute_script(
                """
                var net = window.scanMap.network, box = document.getElementById('scan-map');
                var p = net.canvasToDOM(net.getPositions([arguments[0]])[arguments[0]]);
                return [p.x - box.clientWidth / 2, p.y - box.clientHeight / 2];
                """,
                node_id,
            )
        )
        if current == previous:
            return current
        previous = current
        time.sleep(0.1)
    return previous


def a_person_on_the_map(browser) -> str:
    """A person drawn on the map (not inside a cluster), far enough from the edge to click."""
    return browser.execute_script(
        """
        var map = window.scanMap, net = map.network, box = document.getElementById('scan-map');
        var ids = map.nodes.getIds({filter: function (n) {
          return !n.hidden && n.kind === 'Person'; }});
        var best = null, bestGap = -1;
        ids.forEach(function (id) {
          if (net.body.nodeIndices.indexOf(id) === -1) { return; }
          var p = net.canvasToDOM(net.getPositions([id])[id]);
          if (p.x < 40 || p.y < 40 || p.x > box.clientWidth - 40 || p.y > box.clientHeight - 40) {
            return; }
          var gap = Infinity;
          ids.forEach(function (other) {
            if (other === id) { return; }
            var q = net.canvasToDOM(net.getPositions([other])[other]);
            gap = Math.min(gap, Math.hypot(p.x - q.x, p.y - q.y));
          });
          if (gap > bestGap) { best = id; bestGap = gap; }
        });
        return best;
        """
    )


def canvas_position(browser, node_id: str) -> tuple[float, float]:
    x, y = browser.execute_script(
        "var p = window.scanMap.network.getPositions([arguments[0]])[arguments[0]];"
        "return [p.x, p.y];",
        node_id,
    )
    return x, y


def moved_points(before: dict, after: dict, tolerance: float = 0.2) -> list:
    """The points of ``before`` that are elsewhere (or gone) in ``after``."""
    return [
        n
        for n, (x, y) in before.items()
        if n not in after or abs(after[n][0] - x) > tolerance or abs(after[n][1] - y) > tolerance
    ]


def test_pointer_on_the_map_never_scrolls_the_page(live_server, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    open_scan(browser, live_server)
    # the map fits the window
    height, window = browser.execute_script(
        "return [document.getElementById('scan-map').clientHeight, window.innerHeight];"
    )
    assert 300 <= height <= window
    # scroll so that the bottom of the map is out of view: focusing it would scroll the page
    browser.execute_script(
        "var box = document.getElementById('scan-map').getBoundingClientRect();"
        "window.scrollTo(0, window.scrollY + box.top - 300);"
    )
    time.sleep(0.3)
    before = browser.execute_script("return window.scrollY;")
    bottom = browser.execute_script(
        "return document.getElementById('scan-map').getBoundingClientRect().bottom;"
    )
    assert before > 0 and bottom > window
    container = browser.find_element(By.ID, "scan-map")
    top = -container.size["height"] // 2 + 60
    ActionChains(browser).move_to_element_with_offset(container, 0, top).pause(0.3).move_by_offset(
        40, 20
    ).pause(0.3).move_by_offset(-80, 10).pause(0.5).perform()
    assert browser.execute_script("return window.scrollY;") == before
    # the canvas did not take the focus on hover
    assert browser.execute_script(
        "return !document.getElementById('scan-map').contains(document.activeElement);"
    )


def test_first_click_opens_the_side_panel_and_the_map_stays(live_server, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    open_scan(browser, live_server)
    url = browser.current_url
    person = a_person_on_the_map(browser)
    name = browser.execute_script("return window.scanMap.data.names[arguments[0]];", person)
    x, y = settled_offset(browser, person)
    browser.execute_script("window.__samePage = true;")
    container = browser.find_element(By.ID, "scan-map")
    ActionChains(browser).move_to_element_with_offset(container, x, y).click().perform()
    panel = browser.find_element(By.ID, "map-panel")
    WebDriverWait(browser, WAIT).until(lambda d: panel.is_displayed())
    assert browser.find_element(By.ID, "map-panel-name").text == name
    assert browser.current_url == url
    assert browser.execute_script("return window.__samePage === true;")
    # details, ties, measures explained in Dutch, and the actions
    assert browser.find_elements(By.CSS_SELECTOR, "#map-panel-ties li")
    measures = browser.find_element(By.ID, "map-panel-measures").text
    assert "Verbinder" in measures and "kortste routes" in measures
    assert f"/entity/{person}" in browser.find_element(By.ID, "map-panel-open").get_attribute(
        "href"
    )
    assert f"/warm-contacts/{person}" in browser.find_element(
        By.ID, "map-panel-warm"
    ).get_attribute("href")
    # focus two steps from the panel: fewer points, none of them moved
    full = int(container.get_attribute("data-nodes-drawn"))
    still = canvas_position(browser, person)
    browser.find_element(By.CSS_SELECTOR, ".panel-step[data-steps='1']").click()
    one = int(container.get_attribute("data-nodes-drawn"))
    browser.find_element(By.CSS_SELECTOR, ".panel-step[data-steps='2']").click()
    two = int(container.get_attribute("data-nodes-drawn"))
    assert 2 <= one <= two <= full and one < full
    assert canvas_position(browser, person) == still
    assert "steps=2" in browser.current_url and f"focus={person}" in browser.current_url


def drag(browser, node_id: str, dx: int, dy: int) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    container = browser.find_element(By.ID, "scan-map")
    x, y = settled_offset(browser, node_id)
    ActionChains(browser).move_to_element_with_offset(container, x, y).click_and_hold().pause(
        0.2
    ).move_by_offset(dx // 3, dy // 3).pause(0.1).move_by_offset(dx // 3, dy // 3).pause(
        0.1
    ).move_by_offset(dx - 2 * (dx // 3), dy - 2 * (dy // 3)).pause(0.2).release().perform()


def test_dragged_positions_are_kept_through_a_reload_and_an_import(live_server, browser):
    from selenium.webdriver.support.ui import WebDriverWait

    open_scan(browser, live_server)
    # the page keeps the places it was first drawn with (a POST; opening it wrote nothing)
    WebDriverWait(browser, WAIT).until(
        lambda d: d.execute_script(
            "return document.getElementById('scan-map').dataset.placedSaved;"
        )
    )
    person = a_person_on_the_map(browser)
    others = browser.execute_script(
        "return window.scanMap.nodes.getIds({filter: function (n) { return !n.hidden; }})"
        ".slice(0, 40);"
    )
    start = canvas_position(browser, person)
    drag(browser, person, 90, 60)
    WebDriverWait(browser, WAIT).until(
        lambda d: d.execute_script(
            "return document.getElementById('scan-map').dataset.savedPositions;"
        )
    )
    moved = canvas_position(browser, person)
    assert abs(moved[0] - start[0]) + abs(moved[1] - start[1]) > 30
    before = {n: canvas_position(browser, n) for n in others if n != person}

    # a reload: the dragged point is where it was left, the others where they were
    open_scan(browser, live_server)
    assert canvas_position(browser, person) == pytest.approx(moved, abs=0.2)
    assert moved_points(before, {n: canvas_position(browser, n) for n in before}) == []

    # an import adds people to the theme: nobody already on the map moves
    theme = live_server.app.config["TEST_THEME_NAME"]
    store = open_store(live_server.app.config["DATABASE_URL"])
    try:
        people = "soort;naam\npersoon;Nieuwe Buur Een\npersoon;Nieuwe Buur Twee\n"
        ties = (
            "van;naar;soort relatie;sterkte\n"
            f"Nieuwe Buur Een;{theme};actief op;3\nNieuwe Buur Twee;{theme};actief op;4\n"
        )
        import_file(store, "demo", people.encode(), filename="mensen.csv")
        import_file(store, "demo", ties.encode(), filename="relaties.csv")
    finally:
        store.close()
    open_scan(browser, live_server)
    names = browser.execute_script("return Object.values(window.scanMap.data.names);")
    assert "Nieuwe Buur Een" in names and "Nieuwe Buur Twee" in names
    assert canvas_position(browser, person) == pytest.approx(moved, abs=0.2)
    assert moved_points(before, {n: canvas_position(browser, n) for n in before}) == []


def test_the_slider_changes_the_month_without_a_navigation(live_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    drawn = open_scan(browser, live_server)
    slider = browser.find_element(By.ID, "map-slider")
    assert slider.is_displayed()
    browser.execute_script("window.__samePage = true;")
    navigations = browser.execute_script(
        "return performance.getEntriesByType('navigation').length;"
    )
    today = browser.find_element(By.ID, "map-day").get_attribute("data-day")
    person = a_person_on_the_map(browser)
    where = canvas_position(browser, person)
    slider.click()
    for _ in range(12):  # a year back, a month at a time, with the keyboard
        slider.send_keys(Keys.ARROW_LEFT)
    WebDriverWait(browser, WAIT).until(
        lambda d: d.find_element(By.ID, "map-day").get_attribute("data-day") != today
    )
    earlier = browser.find_element(By.ID, "map-day").get_attribute("data-day")
    assert earlier < today
    assert browser.execute_script("return window.__samePage === true;")
    assert (
        browser.execute_script("return performance.getEntriesByType('navigation').length;")
        == navigations
    )
    assert f"as_of={earlier}" in browser.current_url
    container = browser.find_element(By.ID, "scan-map")
    assert container.get_attribute("data-day") == earlier
    assert int(container.get_attribute("data-nodes-drawn")) < drawn  # the town grew since
    # points on the map in both months did not move
    if browser.execute_script("return window.scanMap.isPresent(arguments[0]);", person):
        assert canvas_position(browser, person) == where
    # play runs from the first month to today, and stops there
    browser.execute_script("document.getElementById('map-play').dataset.delay = '60';")
    slider.send_keys(Keys.END)
    browser.find_element(By.ID, "map-play").click()
    WebDriverWait(browser, WAIT).until(
        lambda d: d.find_element(By.ID, "map-play").get_attribute("aria-pressed") == "false"
    )
    assert browser.find_element(By.ID, "map-day").get_attribute("data-day") == today
    assert browser.execute_script("return window.__samePage === true;")


def test_a_saved_view_restores_filters_focus_and_date(live_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    open_scan(browser, live_server, "?kind=Person&kind=Organisation&kind=Library&min=2")
    slider = browser.find_element(By.ID, "map-slider")
    browser.execute_script(
        "var s = document.getElementById('map-slider'); s.value = String(Number(s.max) - 3);"
        "s.dispatchEvent(new Event('input'));"
    )
    day = browser.find_element(By.ID, "map-day").get_attribute("data-day")
    person = a_person_on_the_map(browser)
    browser.execute_script("window.scanMap.select([arguments[0]]);", person)
    browser.find_element(By.ID, "map-steps").send_keys("2")
    browser.execute_script(
        "document.getElementById('map-steps').value = '2';"
        "document.getElementById('map-focus').disabled = false;"
    )
    browser.find_element(By.ID, "map-focus").click()
    focused = browser.find_element(By.ID, "scan-map").get_attribute("data-nodes-drawn")
    assert slider.get_attribute("value")
    browser.find_element(By.CSS_SELECTOR, "details.save-view summary").click()
    browser.find_element(By.ID, "view-title").send_keys("Mensen rond de bieb")
    browser.find_element(By.ID, "view-text").send_keys("Voor het overleg met de gemeente.")
    browser.find_element(By.ID, "view-save").click()
    WebDriverWait(browser, WAIT).until(lambda d: "/maps/views" in d.current_url)
    link = browser.find_element(By.LINK_TEXT, "Mensen rond de bieb")
    link.click()
    wait_for_map(browser)
    url = browser.current_url
    assert f"as_of={day}" in url and f"focus={person}" in url and "steps=2" in url
    assert "min=2" in url and "kind=Organisation" in url
    assert (
        browser.find_element(By.CSS_SELECTOR, "input[name=kind][value=Activity]").is_selected()
        is False
    )
    assert browser.find_element(By.CSS_SELECTOR, "input[name=kind][value=Person]").is_selected()
    assert browser.find_element(By.CSS_SELECTOR, "select[name=min]").get_attribute("value") == "2"
    assert browser.find_element(By.ID, "map-day").get_attribute("data-day") == day
    assert browser.find_element(By.ID, "map-steps").get_attribute("value") == "2"
    WebDriverWait(browser, WAIT).until(
        lambda d: d.find_element(By.ID, "scan-map").get_attribute("data-nodes-drawn") == focused
    )
    assert "Mensen rond de bieb" in browser.find_element(By.CSS_SELECTOR, ".saved-view-note").text
    # the views in a row are a presentation: the slide shows its title and text, no menus
    browser.get(f"{live_server.url}/maps/present/1")
    wait_for_map(browser)
    assert browser.find_element(By.CSS_SELECTOR, ".slide-title").text == "Mensen rond de bieb"
    assert not browser.find_element(By.CSS_SELECTOR, "header.site").is_displayed()


#: For every bonded point drawn on the map now: its id and the colour of the canvas pixel at
#: its centre (the kind colour, when the ring is outside the point), and the rings drawn.
BOND_PIXELS_JS = """
var map = window.scanMap, net = map.network, canvas = document.querySelector('#scan-map canvas');
var ctx = canvas.getContext('2d'), ratio = canvas.width / canvas.clientWidth, out = [];
net.body.nodeIndices.forEach(function (id) {
  var m = map.meta[id], n = net.body.nodes[id];
  if (!m || !m.bond || n.options.hidden) { return; }
  var p = net.canvasToDOM({x: n.x, y: n.y});
  if (p.x < 0 || p.y < 0 || p.x > canvas.clientWidth || p.y > canvas.clientHeight) { return; }
  var px = ctx.getImageData(Math.round(p.x * ratio), Math.round(p.y * ratio), 1, 1).data;
  out.push([id, m.colour.background, [px[0], px[1], px[2]]]);
});
return [out, map.bondRings];
"""


def test_a_bonded_point_keeps_its_kind_colour_inside_its_ring(live_server, browser):
    open_scan(browser, live_server)
    bonded, rings = browser.execute_script(BOND_PIXELS_JS)
    assert bonded, "the demo's scan has people and organisations with a bond"
    assert rings >= len(bonded)
    kept = []
    for _id, colour, pixel in bonded:
        want = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
        kept.append(sum(abs(a - b) for a, b in zip(pixel, want)) < 90)
    # the centre of (nearly) every bonded point is its kind colour: another point's label may
    # be drawn across one
    assert sum(kept) >= max(1, 0.8 * len(kept)), bonded
