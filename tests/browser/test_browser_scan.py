"""The environment-scan map in a real headless Chromium: drawn, text shown as text, nothing
loaded from anywhere but the app."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest

from mapper.analysis.scan import theme_scan
from mapper.store import open_store
from tests.fixtures_web import network_requests

pytestmark = pytest.mark.browser

XSS = "<img src=x onerror=alert(1)>"
WAIT = 30


@pytest.fixture
def live_app(demo_app):
    """The demo town plus a person whose name is an XSS attempt, active on the library theme
    with the most people, with a bond with the library."""
    store = open_store(demo_app.config["DATABASE_URL"])
    try:
        rows = [r for r in theme_scan(store.project("demo")) if r.in_library]
        theme = max(rows, key=lambda r: (r.counts["Person"], r.name)).theme
        library = next(iter(store.nodes("demo", kind="Library")))
        evil = store.add_node("demo", "Person", XSS)
        store.add_tie("demo", "ACTIVE_ON", evil.id, theme, strength=0.8, since="2020-01-01")
        store.add_tie("demo", "BOND_WITH", library.id, evil.id, strength=0.8, since="2020-01-01")
    finally:
        store.close()
    demo_app.config["TEST_THEME"] = theme
    demo_app.config["TEST_XSS_ID"] = evil.id
    return demo_app


def wait_for_map(browser) -> int:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    drawn = WebDriverWait(browser, WAIT).until(
        lambda d: d.find_element(By.ID, "scan-map").get_attribute("data-nodes-drawn")
    )
    return int(drawn)


def assert_no_alert(browser) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    try:
        alert = browser.switch_to.alert
    except NoAlertPresentException:
        return
    text = alert.text
    alert.dismiss()
    pytest.fail(f"an alert fired: {text!r}")


def node_offset(browser, node_id: str) -> tuple[int, int]:
    """Where a node is drawn, relative to the centre of the map element (for ActionChains)."""
    return tuple(
        round(v)
        for v in browser.execute_script(
            """
            var net = window.scanMap.network, box = document.getElementById('scan-map');
            box.scrollIntoView({block: 'start'});
            var p = net.canvasToDOM(net.getPositions([arguments[0]])[arguments[0]]);
            return [p.x - box.clientWidth / 2, p.y - box.clientHeight / 2];
            """,
            node_id,
        )
    )


def test_scan_map_draws_shows_text_as_text_and_stays_local(live_server, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    theme = live_server.app.config["TEST_THEME"]
    evil_id = live_server.app.config["TEST_XSS_ID"]
    network_requests(browser)  # start with an empty log
    browser.get(f"{live_server.url}/scan/{theme}")
    drawn = wait_for_map(browser)
    # the JSON carries every month of the slider; drawn are the points of the page's day
    expected = browser.execute_script(
        "var d = JSON.parse(document.getElementById('scan-data').textContent);"
        "return d.nodes.filter(function (n) { return n.days.indexOf(d.day) !== -1; }).length;"
    )
    assert drawn == expected > 10
    assert (
        browser.execute_script(
            "return window.scanMap.nodes.get({filter: function (n) { return !n.hidden; }}).length;"
        )
        == drawn
    )
    # physics is off once the map has settled: it does not keep moving
    assert browser.execute_script("return window.scanMap.network.physics.physicsEnabled;") is False

    # the XSS name is shown as text, in the tables and in the tooltip, and nothing ran
    assert_no_alert(browser)
    assert browser.find_elements(By.LINK_TEXT, XSS), "the name is shown literally as a link"
    assert browser.execute_script("return document.querySelectorAll('img').length;") == 0
    x, y = node_offset(browser, evil_id)
    container = browser.find_element(By.ID, "scan-map")
    ActionChains(browser).move_to_element_with_offset(container, x + 30, y + 30).pause(
        0.2
    ).move_to_element_with_offset(container, x, y).perform()
    tooltip = WebDriverWait(browser, WAIT).until(
        lambda d: next(
            (
                t
                for t in d.find_elements(By.CSS_SELECTOR, "div.vis-tooltip")
                if t.is_displayed() and XSS in t.text
            ),
            None,
        )
    )
    assert "Band met de bibliotheek" in tooltip.text
    # innerText turns line breaks into <br>; anything else would be markup from the data
    assert (
        browser.execute_script(
            "return document.querySelectorAll('div.vis-tooltip *:not(br)').length;"
        )
        == 0
    )
    assert_no_alert(browser)

    # search finds a node, opens its side panel and offers to focus on its neighbourhood
    search = browser.find_element(By.ID, "map-search")
    search.send_keys("onerror")
    browser.find_element(By.ID, "map-find").click()
    assert browser.find_element(By.ID, "map-focus").is_enabled()
    assert browser.execute_script("return window.scanMap.network.getSelectedNodes();") == [evil_id]
    assert browser.find_element(By.ID, "map-status").text == XSS

    # a double click on the node opens its entity page (once the zoom to it has finished)
    search.send_keys(Keys.ESCAPE)
    previous = None
    for _ in range(50):
        current = node_offset(browser, evil_id)
        if current == previous:
            break
        previous = current
        time.sleep(0.1)
    x, y = current
    ActionChains(browser).move_to_element_with_offset(container, x, y).double_click().perform()
    WebDriverWait(browser, WAIT).until(lambda d: f"/entity/{evil_id}" in d.current_url)
    assert browser.find_element(By.CSS_SELECTOR, "h1 .entity-name").text == XSS
    assert_no_alert(browser)

    # every request went to the app itself
    requests = network_requests(browser)
    assert any(url.endswith("/vis-network.min.js") for url in requests)
    # (chrome:// and data: URLs are the browser's own pages and inline images, not network)
    foreign = [
        url
        for url in requests
        if urlsplit(url).scheme not in ("data", "chrome", "about")
        and urlsplit(url).netloc != live_server.netloc
    ]
    assert foreign == []
    assert [u for u in requests if u.startswith("http")], "the log recorded the app's requests"


def test_focus_button_shows_the_neighbourhood(live_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    theme = live_server.app.config["TEST_THEME"]
    evil_id = live_server.app.config["TEST_XSS_ID"]
    browser.get(f"{live_server.url}/scan/{theme}")
    full = wait_for_map(browser)
    browser.find_element(By.ID, "map-search").send_keys(XSS)
    browser.find_element(By.ID, "map-find").click()
    browser.find_element(By.ID, "map-focus").click()
    # the focus is drawn in place (no reload) and kept in the address
    WebDriverWait(browser, WAIT).until(lambda d: f"focus={evil_id}" in d.current_url)
    focused = int(browser.find_element(By.ID, "scan-map").get_attribute("data-nodes-drawn"))
    assert 2 <= focused < full
    # the address is a link to the focus: opened afresh, it shows the same
    browser.get(browser.current_url)
    WebDriverWait(browser, WAIT).until(
        lambda d: (
            d.find_element(By.ID, "scan-map").get_attribute("data-nodes-drawn") == str(focused)
        )
    )
    # the filter form applies itself: untick people
    browser.find_element(By.CSS_SELECTOR, "input[name=kind][value=Person]").click()
    WebDriverWait(browser, WAIT).until(lambda d: "kind=" in d.current_url)
    wait_for_map(browser)
    assert_no_alert(browser)
