"""Every page usable by everyone (#15): axe-core finds no serious or critical violation on any
page of the demo town, in a real headless Chromium, logged in as an admin, and on the login
page logged out.

axe-core comes from the npm registry (tests/axe/package.json, pinned, with its lock file);
scripts/test.sh installs it with ``npm ci --prefix tests/axe``. The test reads the script
from there and injects it with execute_script: the app itself loads nothing from anywhere.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.demo_pages import browser_login, demo_login_app, demo_pages, wait_loaded

pytestmark = pytest.mark.browser

AXE_JS = Path(__file__).parent.parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
#: The impacts that fail the test; "moderate" and "minor" are reported only.
FAILING = ("serious", "critical")
#: WCAG 2.1 A and AA, and axe's best practices (landmarks, one main, skip link target...).
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


@pytest.fixture
def live_app(demo_db, tmp_path):
    return demo_login_app(demo_db, tmp_path)


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE_JS.exists():
        pytest.skip(
            f"axe-core is not installed at {AXE_JS}: run scripts/test.sh, or "
            "npm ci --prefix tests/axe"
        )
    return AXE_JS.read_text(encoding="utf-8")


def run_axe(browser, source: str) -> list[dict]:
    """axe's violations on the page the browser shows: rule id, impact, and each node's
    target (CSS selector) and summary."""
    browser.set_script_timeout(180)
    if not browser.execute_script("return !!window.axe"):
        browser.execute_script(source)
    result = browser.execute_async_script(
        """
        var done = arguments[arguments.length - 1];
        axe.run(document, arguments[0]).then(function (r) {
          done(r.violations.map(function (v) {
            return {id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(function (n) {
              return {target: n.target.join(' '), impact: n.impact,
                      summary: (n.failureSummary || '').slice(0, 300)};
            })};
          }));
        }, function (e) { done({error: String(e)}); });
        """,
        AXE_OPTIONS,
    )
    if isinstance(result, dict) and "error" in result:
        pytest.fail(f"axe failed: {result['error']}")
    return result


def failing_nodes(violations: list[dict]) -> list[tuple[str, str, str, str]]:
    """(rule, impact, target, summary) of every node whose impact is serious or critical."""
    return [
        (v["id"], node["impact"] or v["impact"], node["target"], node["summary"])
        for v in violations
        for node in v["nodes"]
        if (node["impact"] or v["impact"]) in FAILING
    ]


def test_no_serious_or_critical_violation_on_any_page(live_server, browser, axe_source):
    pages = demo_pages(live_server.app)
    assert len(pages) >= 30, pages
    by_rule: Counter[tuple[str, str]] = Counter()
    pages_by_rule: dict[str, set[str]] = {}
    failures: list[str] = []

    def check(url: str) -> None:
        wait_loaded(browser)
        for rule, impact, target, summary in failing_nodes(run_axe(browser, axe_source)):
            by_rule[(rule, impact)] += 1
            pages_by_rule.setdefault(rule, set()).add(url)
            failures.append(f"{url}: {rule} ({impact}) at {target}\n    {summary}")

    browser.delete_all_cookies()
    browser.get(live_server.url + "/login")
    check("/login (logged out)")
    browser_login(browser, live_server.url)
    for url in pages:
        browser.get(live_server.url + url)
        check(url)

    summary = "\n".join(
        f"  {rule} ({impact}): {count} nodes on {len(pages_by_rule[rule])} pages"
        for (rule, impact), count in sorted(by_rule.items())
    )
    print(f"\naxe on {len(pages) + 1} pages, serious or critical:\n{summary or '  none'}")
    assert not failures, (
        f"{len(failures)} serious or critical axe violations:\n{summary}\n" + "\n".join(failures)
    )


def test_every_chart_table_can_be_read_by_keyboard(live_server, browser):
    """Every chart's table is in the tab order and named, and one that scrolls scrolls with
    the arrow keys once focused."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    browser_login(browser, live_server.url)
    community = next(
        p
        for p in demo_pages(live_server.app)
        if p.startswith("/communities/com-") and p.count("/") == 2
    )
    scrolled = shown = 0
    for url in (community, community + "/aan-de-slag"):
        browser.get(live_server.url + url)
        wait_loaded(browser)
        boxes = browser.find_elements(By.CSS_SELECTOR, ".chart-table")
        assert boxes, f"{url} shows its charts' tables"
        for box in boxes:
            html = box.get_attribute("outerHTML")[:160]
            assert box.get_attribute("tabindex") == "0", html
            assert box.get_attribute("role") == "region", html
            assert box.get_attribute("aria-label"), html
            if box.get_property("scrollHeight") > box.get_property("clientHeight") + 1:
                browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
                browser.execute_script("arguments[0].focus()", box)
                assert browser.switch_to.active_element == box, html
                ActionChains(browser).send_keys(Keys.PAGE_DOWN).perform()
                WebDriverWait(browser, 5).until(
                    lambda d, box=box: d.execute_script("return arguments[0].scrollTop", box) > 0,
                    f"PAGE_DOWN did not scroll {html}",
                )
                scrolled += 1
            else:  # shown whole: every row of the table is on the page (#15)
                rows = box.find_elements(By.CSS_SELECTOR, "tbody tr")
                assert rows and all(r.is_displayed() for r in rows), html
                shown += 1
    assert scrolled + shown, "the community pages have chart tables to read"


def test_skip_link_and_visible_focus(live_server, browser):
    """The first Tab stop is "Naar de inhoud", shown when focused; following it puts the
    keyboard in the page's main content; what has the focus has a visible outline."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser_login(browser, live_server.url)
    browser.get(live_server.url + "/themes")
    wait_loaded(browser)
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    skip = browser.switch_to.active_element
    assert skip.text == "Naar de inhoud" and skip.is_displayed()
    assert skip.get_attribute("href").endswith("#main")
    outline = browser.execute_script("return getComputedStyle(arguments[0]).outlineStyle", skip)
    assert outline != "none"
    skip.send_keys(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("id") == "main"
    browser.switch_to.active_element.send_keys(Keys.TAB)
    inside = browser.execute_script(
        "return document.getElementById('main').contains(document.activeElement)"
    )
    assert inside, "after the skip link the next Tab stop is in the content"
    landmarks = browser.execute_script(
        "return ['header', 'nav', 'main'].map(function (t) {"
        " return document.querySelectorAll(t).length; })"
    )
    assert landmarks[0] >= 1 and landmarks[1] >= 1 and landmarks[2] == 1
