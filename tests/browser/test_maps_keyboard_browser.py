"""Maps without a mouse, and what a person reaches for next (#14, #15), in a real headless
Chromium on the demo town: the points by keyboard and as a list, tie kinds shown or hidden in
place from the legend, grouping by organisation, and the tables beside the map following the
time slider without a reload."""

from __future__ import annotations

import re

import pytest

from tests.browser.test_browser_maps import live_app, open_scan  # noqa: F401 - the module's app
from tests.browser.test_browser_scan import WAIT

pytestmark = pytest.mark.browser


def active_id(browser) -> str:
    return browser.execute_script("return document.activeElement && document.activeElement.id;")


def key_point(browser) -> str | None:
    return browser.execute_script("return document.getElementById('scan-map').dataset.keyPoint;")


def panel_name(browser) -> str:
    return browser.execute_script(
        "var p = document.getElementById('map-panel');"
        "return p.hidden ? null : document.getElementById('map-panel-name').textContent;"
    )


def test_the_points_can_be_reached_with_the_keyboard(live_server, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    open_scan(browser, live_server)
    names = browser.execute_script("return window.scanMap.data.names;")
    theme = live_server.app.config["TEST_THEME"]
    # Tab from the control before the map lands on the map (it is in the tab order)
    browser.execute_script("document.getElementById('map-slider').focus();")
    ActionChains(browser).send_keys(Keys.TAB).perform()
    assert active_id(browser) == "scan-map"
    scroll = browser.execute_script("return window.scrollY;")
    # the first arrow key goes to the centre of the map, and opens it beside the map
    ActionChains(browser).send_keys(Keys.ARROW_RIGHT).perform()
    WebDriverWait(browser, WAIT).until(lambda d: key_point(d) == theme)
    assert panel_name(browser) == names[theme]
    # further arrow keys go from point to point, each opened in the panel and announced
    visited = {theme}
    for key in (Keys.ARROW_RIGHT, Keys.ARROW_DOWN, Keys.ARROW_LEFT, Keys.ARROW_UP) * 2:
        ActionChains(browser).send_keys(key).perform()
        visited.add(key_point(browser))
    visited.discard(None)
    assert len(visited) >= 3
    point = key_point(browser)
    assert panel_name(browser) == names[point]
    status = browser.execute_script("return document.getElementById('map-status').textContent;")
    assert names[point] in status
    # the arrow keys moved through the map, not the page
    assert browser.execute_script("return window.scrollY;") == scroll
    assert active_id(browser) == "scan-map"
    # Enter goes into the point's details; Escape there closes them and comes back
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    assert active_id(browser) == "map-panel-open"
    assert f"/entity/{point}" in browser.execute_script(
        "return document.activeElement.getAttribute('href');"
    )
    ActionChains(browser).send_keys(Keys.ESCAPE).perform()
    assert panel_name(browser) is None and active_id(browser) == "scan-map"
    # the keys are explained on the page, and the map says how to read them
    assert (
        browser.execute_script(
            "return document.getElementById('scan-map').getAttribute('aria-describedby');"
        )
        == "map-keys"
    )
    assert "pijltjestoetsen" in browser.execute_script(
        "return document.getElementById('map-keys').textContent;"
    )


def test_the_points_as_a_list_open_the_side_panel(live_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    drawn = open_scan(browser, live_server)
    select = Select(browser.find_element(By.ID, "map-point"))
    options = [o for o in select.options if o.get_attribute("value")]
    assert len(options) == drawn  # every point on the map for the day, and only those
    shown = browser.execute_script(
        "return window.scanMap.nodes.getIds({filter: function (n) { return !n.hidden; }});"
    )
    assert {o.get_attribute("value") for o in options} == set(shown)
    person = next(
        o.get_attribute("value") for o in options if o.get_attribute("value").startswith("per-")
    )
    select.select_by_value(person)
    name = browser.execute_script("return window.scanMap.data.names[arguments[0]];", person)
    WebDriverWait(browser, WAIT).until(lambda d: panel_name(d) == name)
    assert key_point(browser) == person
    assert browser.execute_script("return window.scanMap.state.selected;") == [person]


def visible_edges(browser) -> dict:
    return browser.execute_script(
        "var out = {}; window.scanMap.edges.forEach(function (e) {"
        " out[e.id] = !e.hidden; }); return out;"
    )


def test_tie_kinds_are_hidden_and_shown_in_place_and_kept_in_the_address(live_server, browser):
    from selenium.webdriver.common.by import By

    open_scan(browser, live_server)
    browser.execute_script("window.__samePage = true;")
    kinds = browser.execute_script(
        "var out = {}; window.scanMap.data.edges.forEach(function (e) {"
        " out[e.id] = e.kinds; }); return out;"
    )
    knows_only = [e for e, k in kinds.items() if k == ["KNOWS"]]
    mixed = [e for e, k in kinds.items() if "KNOWS" in k and len(k) > 1]
    assert knows_only, "the demo theme has acquaintance ties"
    before = visible_edges(browser)
    box = browser.find_element(By.CSS_SELECTOR, "input.tie-toggle[value=KNOWS]")
    box.click()
    after = visible_edges(browser)
    assert all(not after[e] for e in knows_only)
    assert all(after[e] == before[e] for e in mixed)  # another kind of tie keeps them drawn
    assert all(after[e] == before[e] for e, k in kinds.items() if "KNOWS" not in k)
    assert "hide_ties=KNOWS" in browser.current_url
    assert browser.execute_script("return window.__samePage === true;")
    # the address (and so a saved view) brings it back
    open_scan(browser, live_server, "?" + browser.current_url.split("?", 1)[1])
    box = browser.find_element(By.CSS_SELECTOR, "input.tie-toggle[value=KNOWS]")
    assert not box.is_selected()
    assert visible_edges(browser) == after
    box.click()
    assert visible_edges(browser) == before and "hide_ties" not in browser.current_url


def test_grouping_by_organisation_is_chosen_and_kept(live_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    drawn = open_scan(browser, live_server)
    assert drawn <= 300
    container = browser.find_element(By.ID, "scan-map")
    assert container.get_attribute("data-clusters") in (None, "0")  # small: no groups
    Select(browser.find_element(By.ID, "map-cluster")).select_by_value("organisation")
    groups = browser.execute_script(
        "var c = window.scanMap.clusters(), out = [];"
        "Object.keys(c).forEach(function (k) { out.push([c[k].key, c[k].caption,"
        " c[k].members]); }); return out;"
    )
    assert groups, "the demo theme has organisations with members on the map"
    names = browser.execute_script("return window.scanMap.data.names;")
    for key, caption, members in groups:
        org = key.split("|", 1)[1]
        assert caption == f"{len(members)} · {names[org]}"
        assert org not in members  # the organisation itself stays a point beside its group
    assert "cluster=organisation" in browser.current_url
    open_scan(browser, live_server, "?cluster=organisation")
    assert browser.find_element(By.ID, "map-cluster").get_attribute("value") == "organisation"
    assert int(browser.find_element(By.ID, "scan-map").get_attribute("data-clusters")) == len(
        groups
    )


def count_in(html_or_text: str) -> int:
    return int(re.search(r"\((\d+)\)", html_or_text).group(1))


def test_the_tables_follow_the_slider_without_a_reload(live_server, browser):
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    open_scan(browser, live_server)
    browser.execute_script("window.__samePage = true;")
    navigations = browser.execute_script(
        "return performance.getEntriesByType('navigation').length;"
    )
    today_count = count_in(browser.find_element(By.ID, "individuals-title").text)
    browser.execute_script(
        "var s = document.getElementById('map-slider'); s.value = String(Number(s.max) - 12);"
        "s.dispatchEvent(new Event('input'));"
    )
    day = browser.find_element(By.ID, "map-day").get_attribute("data-day")
    WebDriverWait(browser, WAIT).until(
        lambda d: d.find_element(By.ID, "scan-map").get_attribute("data-tables-day") == day
    )
    note = browser.find_element(By.ID, "map-tables-day").text
    label = browser.find_element(By.ID, "map-day").text
    assert note == f"De tabellen tonen de stand van {label}."
    assert not re.search(r"\d{4}-\d{2}-\d{2}", label)  # a date written out, not ISO
    # the tables are those of that day, as the server gives them for it
    page = (
        live_server.app.test_client()
        .get(f"/scan/{live_server.app.config['TEST_THEME']}?as_of={day}")
        .get_data(as_text=True)
    )
    expected = count_in(re.search(r'id="individuals-title">(.*?)</h2>', page, re.S).group(1))
    shown = count_in(browser.find_element(By.ID, "individuals-title").text)
    assert shown == expected < today_count
    assert browser.execute_script("return window.__samePage === true;")
    assert (
        browser.execute_script("return performance.getEntriesByType('navigation').length;")
        == navigations
    )
    # back to today: the tables of today again
    browser.execute_script(
        "var s = document.getElementById('map-slider'); s.value = s.max;"
        "s.dispatchEvent(new Event('input'));"
    )
    WebDriverWait(browser, WAIT, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: count_in(d.find_element(By.ID, "individuals-title").text) == today_count
    )


def test_the_community_figures_and_table_follow_the_slider(live_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from tests.web.test_community_web import community_ids

    cid = community_ids(live_server.app)["Taalmaatjes Rijnstad"]
    browser.get(f"{live_server.url}/communities/{cid}/map")
    WebDriverWait(browser, WAIT).until(
        lambda d: d.find_element(By.ID, "scan-map").get_attribute("data-nodes-drawn")
    )
    browser.execute_script("window.__samePage = true;")
    members_now = browser.find_element(By.ID, "now-members").text
    rows_now = len(browser.find_elements(By.CSS_SELECTOR, "#map-table tbody tr"))
    browser.execute_script(
        "var s = document.getElementById('map-slider'); s.value = '0';"
        "s.dispatchEvent(new Event('input'));"
    )
    day = browser.find_element(By.ID, "map-day").get_attribute("data-day")
    WebDriverWait(browser, WAIT).until(
        lambda d: d.find_element(By.ID, "scan-map").get_attribute("data-tables-day") == day
    )
    page = (
        live_server.app.test_client()
        .get(f"/communities/{cid}/map?as_of={day}")
        .get_data(as_text=True)
    )
    expected = re.search(r'id="now-members">(.*?)</dd>', page, re.S).group(1).strip()
    assert browser.find_element(By.ID, "now-members").text == expected != members_now
    rows = len(browser.find_elements(By.CSS_SELECTOR, "#map-table tbody tr"))
    body = page.split('id="map-table"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert rows == body.count("<tr") < rows_now
    assert "De tabellen tonen de stand van" in browser.find_element(By.ID, "map-tables-day").text
    assert browser.execute_script("return window.__samePage === true;")
