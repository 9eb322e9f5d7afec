"""In a real browser: the scan's long list of ties comes in place when the person opens it
(no navigation), and the map draws its ties with the styles sent once (#14)."""

from __future__ import annotations

import pytest

from mapper.analysis.scan import theme_scan
from mapper.store import open_store
from tests.browser.test_browser_scan import WAIT, wait_for_map
from web.views import SCAN_LAZY_ROWS

pytestmark = pytest.mark.browser


@pytest.fixture
def live_app(demo_app):
    """The demo town's largest library theme: its list of ties is long, so it comes lazily."""
    store = open_store(demo_app.config["DATABASE_URL"])
    try:
        rows = [r for r in theme_scan(store.project("demo")) if r.in_library]
        demo_app.config["TEST_THEME"] = max(rows, key=lambda r: sum(r.counts.values())).theme
    finally:
        store.close()
    return demo_app


def test_the_list_of_ties_comes_in_place_when_opened(live_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    url = f"{live_server.url}/scan/{live_server.app.config['TEST_THEME']}"
    browser.get(url)
    wait_for_map(browser)
    styled = browser.execute_script(
        "var e = window.scanMap.edges.get()[0]; return [e.style === undefined, "
        "Boolean(e.color && e.color.color), typeof e.width];"
    )
    assert styled == [True, True, "number"]
    ties = browser.find_element(By.ID, "scan-ties")
    assert ties.get_attribute("data-lazy") and not ties.find_elements(By.CSS_SELECTOR, "tr")
    browser.execute_script("document.getElementById('scan-ties').scrollIntoView();")
    ties.find_element(By.TAG_NAME, "summary").click()
    WebDriverWait(browser, WAIT).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, "#scan-ties tbody tr")) > SCAN_LAZY_ROWS
    )
    assert browser.current_url == url
    assert browser.execute_script("return document.getElementById('scan-ties').open")
    link = browser.find_element(By.CSS_SELECTOR, "#scan-ties a.tie-edit")
    assert "part=" not in link.get_attribute("href") and "ties=1" in link.get_attribute("href")
