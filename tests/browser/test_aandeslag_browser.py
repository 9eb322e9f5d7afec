"""The content calendar and the report in a real headless Chromium: plan a communication
moment, see it in the month view, mark it done, subscribe to the feed; open the report,
see its charts and figures, download the PDF and read its text. Nothing is loaded from
anywhere but the app."""

from __future__ import annotations

import io
import urllib.request
from urllib.parse import urlsplit

import pytest
from icalendar import Calendar
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from mapper import communities as com
from mapper.store import open_store
from tests.fixtures_web import network_requests
from tests.services.test_aandeslag import pdf_missing_reason

pytestmark = pytest.mark.browser

WAIT = 30
DAY = "2026-11-01"


def _community(app, name):
    store = open_store(app.config["DATABASE_URL"])
    try:
        return com.community(store.workspace("demo"), name)
    finally:
        store.close()


def _local_only(live_server, browser):
    for url in network_requests(browser):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https", "ws", "wss"):
            continue  # data:, blob:, Chromium's own chrome:// pages
        assert parts.netloc == live_server.netloc, f"request left the app: {url}"


def _set_date(browser, element, value: str) -> None:
    browser.execute_script("arguments[0].value = arguments[1];", element, value)


def test_calendar_plan_view_mark_done_and_feed(live_server, browser):
    taal = _community(live_server.app, "Taalmaatjes Rijnstad")
    browser.get(f"{live_server.url}/communities/{taal.id}/kalender?month=2026-10")
    grid = WebDriverWait(browser, WAIT).until(EC.presence_of_element_located((By.ID, "month-grid")))
    assert "Blog: zo oefenen wij samen" in grid.text
    assert browser.find_element(By.ID, "month-title").text == "oktober 2026"
    # 12 October 2026 is a Monday: the blog sits in the first column
    cells = [c for c in browser.find_elements(By.CSS_SELECTOR, "#month-grid tbody td")]
    blog_cell = next(c for c in cells if "Blog: zo oefenen wij samen" in c.text)
    assert blog_cell.find_element(By.CLASS_NAME, "daynum").text == "12"
    assert cells.index(blog_cell) % 7 == 0

    browser.find_element(By.ID, "content-title").send_keys("Video: <b>maatjes</b> aan het woord")
    Select(browser.find_element(By.ID, "content-kind")).select_by_value("video")
    _set_date(browser, browser.find_element(By.ID, "content-date"), "2027-01-20")
    owner = Select(browser.find_element(By.ID, "content-owner"))
    fatma = next(o for o in owner.options if o.text.startswith("Fatma"))
    owner.select_by_value(fatma.get_attribute("value"))
    browser.find_element(By.ID, "content-submit").click()
    WebDriverWait(browser, WAIT).until(
        EC.text_to_be_present_in_element((By.ID, "month-title"), "januari 2027")
    )
    assert "Toegevoegd aan de contentkalender." in browser.page_source
    grid = browser.find_element(By.ID, "month-grid")
    assert "Video: <b>maatjes</b> aan het woord" in grid.text  # shown as text
    row = next(
        r
        for r in browser.find_elements(By.CSS_SELECTOR, "#content-table tbody tr")
        if "maatjes" in r.text
    )
    assert "gepland" in row.find_element(By.CLASS_NAME, "status").text
    row.find_element(By.TAG_NAME, "button").click()
    WebDriverWait(browser, WAIT).until(
        EC.text_to_be_present_in_element((By.TAG_NAME, "main"), "Status gewijzigd.")
    )
    row = next(
        r
        for r in browser.find_elements(By.CSS_SELECTOR, "#content-table tbody tr")
        if "maatjes" in r.text
    )
    assert "gedaan" in row.find_element(By.CLASS_NAME, "status").text
    _local_only(live_server, browser)

    feed = browser.find_element(By.ID, "ics-link").get_attribute("href")
    with urllib.request.urlopen(feed, timeout=WAIT) as response:
        assert response.headers["Content-Type"].startswith("text/calendar")
        cal = Calendar.from_ical(response.read())
    event = next(e for e in cal.walk("VEVENT") if "maatjes" in str(e["SUMMARY"]))
    assert event.decoded("DTSTART").isoformat() == "2027-01-20"
    assert str(event["STATUS"]) == "CONFIRMED"


def test_report_page_charts_figures_and_pdf(live_server, browser):
    from pypdf import PdfReader

    samen = _community(live_server.app, "Samen in de Wijk")
    browser.get(f"{live_server.url}/communities/{samen.id}/aan-de-slag?as_of={DAY}")
    WebDriverWait(browser, WAIT).until(EC.presence_of_element_located((By.ID, "pulse-warning")))
    assert "De bibliotheek trekt alleen" in browser.find_element(By.ID, "pulse-warning").text
    browser.find_element(By.ID, "report-link").click()
    WebDriverWait(browser, WAIT).until(EC.presence_of_element_located((By.ID, "pdf-link")))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Samen in de Wijk"
    charts = browser.find_elements(By.CSS_SELECTOR, "svg.chart")
    assert len(charts) == 3 and all(c.size["width"] > 200 for c in charts)
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "30 buren doen mee" in body
    assert "De bibliotheek trekt alleen" in body
    _local_only(live_server, browser)

    pdf_url = browser.find_element(By.ID, "pdf-link").get_attribute("href")
    reason = pdf_missing_reason()
    if reason:
        pytest.skip(reason)
    with urllib.request.urlopen(pdf_url, timeout=WAIT) as response:
        assert response.headers["Content-Type"] == "application/pdf"
        data = response.read()
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)
    assert "Samen in de Wijk" in text and "30 buren doen mee" in text

    browser.get(f"{live_server.url}/verslag/?as_of={DAY}")
    summary = WebDriverWait(browser, WAIT).until(EC.presence_of_element_located((By.ID, "summary")))
    for name in ("Taalmaatjes Rijnstad", "Repair & Reuse Rijnstad", "Samen in de Wijk"):
        assert name in summary.text
    assert len(browser.find_elements(By.CSS_SELECTOR, "section.community")) == 3
