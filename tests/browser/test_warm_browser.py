"""The "Warme contacten" page in a real headless Chromium on the demo: pick a theme, see the
ranking and its map, open the conversation sheet (printed: only the sheet), log a
conversation and see the ranking change; nothing is loaded from anywhere but the app."""

from __future__ import annotations

import pytest


@pytest.mark.browser
def test_in_the_browser_page_map_sheet_and_log(live_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import Select, WebDriverWait

    from tests.fixtures_web import network_requests

    wait = WebDriverWait(browser, 20)
    browser.get(live_server.url + "/warm-contacts")
    browser.find_element(By.NAME, "name").send_keys("duurzaamheid")
    browser.find_element(By.CSS_SELECTOR, "form.warm-pick button").click()
    wait.until(EC.presence_of_element_located((By.ID, "warm-list")))
    wait.until(lambda d: d.find_element(By.ID, "warm-map").get_attribute("data-nodes-drawn"))
    assert int(browser.find_element(By.ID, "warm-map").get_attribute("data-nodes-drawn")) > 20
    items = browser.find_elements(By.CSS_SELECTOR, "li.warm-item")
    before = [i.get_attribute("data-id") for i in items]
    last = before[-1]
    assert "Via via:" in browser.find_element(By.ID, "warm-list").text

    items[-1].find_element(By.LINK_TEXT, "Gesprek voorbereiden").click()
    wait.until(EC.presence_of_element_located((By.ID, "log-form")))
    assert "Koester stiltes" in browser.find_element(By.ID, "sheet").text
    # Printed, the sheet is only the sheet: no menu, no form.
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert not browser.find_element(By.CSS_SELECTOR, "header.site").is_displayed()
    assert not browser.find_element(By.ID, "log-form").is_displayed()
    assert browser.find_element(By.ID, "questions").is_displayed()
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    Select(browser.find_element(By.ID, "strength")).select_by_value("5")
    Select(browser.find_element(By.ID, "outcome")).select_by_value("follow-up")
    browser.find_element(By.ID, "notes").send_keys("Koffie gedronken; wil meedoen.")
    browser.find_element(By.ID, "submit").click()
    wait.until(EC.presence_of_element_located((By.ID, "warm-list")))
    assert "vastgelegd" in browser.find_element(By.CSS_SELECTOR, "p.flash").text
    after = [
        i.get_attribute("data-id") for i in browser.find_elements(By.CSS_SELECTOR, "li.warm-item")
    ]
    assert after.index(last) < before.index(last)
    # Nothing was loaded from anywhere but the app itself.
    for url in network_requests(browser):
        if url.startswith(("http:", "https:", "ws:", "wss:")):
            assert url.startswith(live_server.url + "/"), url
    severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not severe, severe
