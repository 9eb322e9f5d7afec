"""Taking maps along (#14), in a real headless Chromium: the print style of the map pages
(map, legend and tables; no menus, forms or buttons), the conversation preparation sheet on at
most two A4 pages, and the map as PNG and SVG."""

from __future__ import annotations

import base64
import re

import pytest

from mapper.analysis.scan import theme_scan
from mapper.services.warm import warm_contacts
from mapper.store import open_store
from tests.browser.test_browser_scan import wait_for_map

pytestmark = pytest.mark.browser

A4 = {"paperWidth": 8.27, "paperHeight": 11.69, "printBackground": True}


@pytest.fixture
def live_app(demo_app):
    store = open_store(demo_app.config["DATABASE_URL"])
    try:
        rows = [r for r in theme_scan(store.project("demo")) if r.in_library]
        row = min(
            (r for r in rows if r.counts["Person"] >= 8), key=lambda r: (r.counts["Person"], r.name)
        )
        ws = store.workspace("demo")
        best = warm_contacts(ws, ws.get_node(row.theme), limit=1).contacts[0]
    finally:
        store.close()
    demo_app.config["TEST_THEME"] = row.theme
    demo_app.config["TEST_PERSON"] = best.id
    return demo_app


def pdf_pages(browser) -> int:
    pdf = base64.b64decode(browser.execute_cdp_cmd("Page.printToPDF", A4)["data"])
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def shown_in_print(browser, selector: str) -> list[bool]:
    return browser.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0]))"
        ".map(function (e) { return getComputedStyle(e).display !== 'none'; });",
        selector,
    )


def test_map_pages_print_the_map_legend_and_tables_without_menus(live_server, browser):
    theme = live_server.app.config["TEST_THEME"]
    browser.get(f"{live_server.url}/scan/{theme}")
    wait_for_map(browser)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        for hidden in ("header.site", "#scan-filters", ".map-tools", ".map-controls", ".map-time"):
            assert shown_in_print(browser, hidden) in ([], [False]), hidden
        assert not any(shown_in_print(browser, "main button"))
        for kept in ("#scan-map", "aside.legend", "#individuals", "#organisations"):
            assert shown_in_print(browser, kept) == [True], kept
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert pdf_pages(browser) >= 1


def test_the_preparation_sheet_prints_on_at_most_two_a4_pages(live_server, browser):
    theme = live_server.app.config["TEST_THEME"]
    person = live_server.app.config["TEST_PERSON"]
    browser.get(f"{live_server.url}/warm-contacts/{theme}/sheet/{person}")
    assert browser.find_elements("css selector", "h1")
    assert 1 <= pdf_pages(browser) <= 2


def test_the_map_downloads_as_png_and_svg(live_server, browser):
    theme = live_server.app.config["TEST_THEME"]
    browser.get(f"{live_server.url}/scan/{theme}")
    wait_for_map(browser)
    size = browser.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "window.scanMap.png(null, function (blob) { done([blob.type, blob.size]); });"
    )
    assert size[0] == "image/png" and size[1] > 5000
    svg = browser.execute_script("return window.scanMap.svg(null);")
    assert svg.startswith("<svg") and svg.count("<circle") >= 5 and "<line" in svg
    # labels are text in the SVG, escaped, never markup
    assert "<text" in svg and "<script" not in svg
