"""The community map in a real headless Chromium: it draws, steps a month back and plays
through the months in place; the community page's charts are drawn; nothing is loaded from
anywhere but the app."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest

from mapper.i18n import format_date, use_language
from tests.fixtures_web import network_requests
from tests.web.test_community_web import community_ids


@pytest.mark.browser
def test_community_map_draws_and_steps_a_month_back(live_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    cid = community_ids(live_server.app)["Taalmaatjes Rijnstad"]
    browser.get(f"{live_server.url}/communities/{cid}/map?as_of=2026-06-01")
    drawn = int(
        WebDriverWait(browser, 30).until(
            lambda d: d.find_element(By.ID, "scan-map").get_attribute("data-nodes-drawn")
        )
    )
    rows = len(browser.find_elements(By.CSS_SELECTOR, "#map-table tbody tr"))
    assert drawn == rows > 10
    browser.find_element(By.CSS_SELECTOR, "a[rel=prev]").click()
    WebDriverWait(browser, 30).until(lambda d: "2026-05-01" in d.current_url)
    earlier = int(
        WebDriverWait(browser, 30).until(
            lambda d: d.find_element(By.ID, "scan-map").get_attribute("data-nodes-drawn")
        )
    )
    assert earlier <= drawn
    # "play" runs through the months in place (no reload), from the community's first month
    # on the map, and stops today
    browser.execute_script(
        "window.__samePage = true; document.getElementById('map-play').dataset.delay = '40';"
    )
    browser.find_element(By.ID, "map-play").click()
    WebDriverWait(browser, 30).until(
        lambda d: d.find_element(By.ID, "map-play").get_attribute("aria-pressed") == "true"
    )
    WebDriverWait(browser, 60).until(
        lambda d: d.find_element(By.ID, "map-play").get_attribute("aria-pressed") == "false"
    )
    with use_language("nl"):
        today = format_date(dt.date.today())
    assert browser.find_element(By.ID, "map-day").text == today  # play ran to today
    assert browser.execute_script("return window.__samePage === true;")
    # the first month link opens the map on the community's first day, not an error
    browser.find_element(By.CSS_SELECTOR, "nav.months a").click()
    WebDriverWait(browser, 30).until(
        lambda d: d.find_element(By.ID, "scan-map").get_attribute("data-nodes-drawn")
    )
    assert not browser.find_elements(By.CSS_SELECTOR, "p.flash.error")
    browser.get(f"{live_server.url}/communities/{cid}")
    charts = browser.find_elements(By.CSS_SELECTOR, "svg.chart polyline")
    assert charts and all(c.is_displayed() for c in charts[:3])
    hosts = {urlsplit(u).netloc for u in network_requests(browser) if u.startswith("http")}
    assert hosts <= {live_server.netloc}
