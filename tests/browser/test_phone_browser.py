"""The app on a phone (#15), in a real headless Chromium emulating a 360 × 740 phone: no page
of the demo is wider than the screen (a wide table scrolls inside its own box), the menu is
folded away behind a "Menu" button and opens on a tap, and without the menu's script the
menu is still there.
"""

from __future__ import annotations

import pytest

from tests.demo_pages import browser_login, demo_login_app, demo_pages, wait_loaded
from tests.fixtures_web import CHROMEDRIVER, browser_missing_reason, chromium_options

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740, "pixelRatio": 2, "mobile": True, "touch": True}
#: How tall the header may be with the menu folded away.
FOLDED_HEADER = 120

#: What is wider than the screen on a page: the widest elements that stick out (for the
#: failure message), and the page's own scroll width against the screen's. The screen is the
#: layout viewport's width: on a phone ``window.innerWidth`` grows with a page that is too wide
#: (the browser zooms out), so it cannot be the yardstick.
OVERFLOW_JS = """
var w = document.documentElement.clientWidth, out = [];
var head = document.querySelector('header.site');
document.querySelectorAll('body *').forEach(function (el) {
  var r = el.getBoundingClientRect();
  if (r.right > w + 1 && r.width > 0) {
    var inside = false, p = el.parentElement;
    while (p && p !== document.body) {
      var s = getComputedStyle(p);
      if (s.overflowX !== 'visible' && p.getBoundingClientRect().right <= w + 1) { inside = true; break; }
      p = p.parentElement;
    }
    if (!inside) out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
      ' ' + Math.round(r.right));
  }
});
return {scroll: document.documentElement.scrollWidth, inner: w,
        header: head ? head.getBoundingClientRect().height : 0,
        out: out.slice(0, 6)};
"""


@pytest.fixture
def live_app(demo_db, tmp_path):
    return demo_login_app(demo_db, tmp_path)


@pytest.fixture
def phone(tmp_path):
    """Headless Chromium emulating a 360 × 740 phone (touch, device pixel ratio 2)."""
    reason = browser_missing_reason()
    if reason:
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = chromium_options(tmp_path / "chromium-phone")
    options.add_experimental_option(
        "mobileEmulation",
        {
            "deviceMetrics": PHONE,
            "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 "
            "(KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36",
        },
    )
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def header_height(driver) -> float:
    return driver.execute_script(
        "return document.querySelector('header.site').getBoundingClientRect().height"
    )


def test_no_page_is_wider_than_the_phone(live_server, phone):
    pages = demo_pages(live_server.app)
    phone.delete_all_cookies()
    too_wide, headers = {}, {}

    def look(url: str) -> None:
        wait_loaded(phone)
        seen = phone.execute_script(OVERFLOW_JS)
        if seen["header"]:  # a printable sheet or report has no site header
            headers[url] = round(seen["header"])
        # A page without a viewport tag is laid out 980 px wide: too wide too.
        if max(seen["scroll"], seen["inner"]) > PHONE["width"] + 1:
            too_wide[url] = seen

    phone.get(live_server.url + "/login")
    look("/login (logged out)")
    browser_login(phone, live_server.url)
    for url in pages:
        phone.get(live_server.url + url)
        look(url)
    print(f"\n{len(too_wide)} of {len(pages) + 1} pages wider than a {PHONE['width']} px phone")
    for url, seen in too_wide.items():
        print(f"  {url}: {seen['scroll']} px; {', '.join(seen['out'])}")
    print(f"header height: {min(headers.values())}-{max(headers.values())} px")
    assert not too_wide, "\n".join(
        f"{url}: {seen['scroll']} px wide; sticking out: {', '.join(seen['out'])}"
        for url, seen in too_wide.items()
    )


def test_menu_is_folded_on_a_phone_and_opens_on_a_tap(live_server, phone):
    from selenium.webdriver.common.by import By

    browser_login(phone, live_server.url)
    for url in ("/", "/themes", "/communities/"):
        phone.get(live_server.url + url)
        wait_loaded(phone)
        toggle = phone.find_element(By.CSS_SELECTOR, "header.site button.menu-toggle")
        nav = phone.find_element(By.CSS_SELECTOR, "header.site nav")
        assert toggle.is_displayed() and toggle.text.strip() == "Menu"
        assert toggle.get_attribute("aria-expanded") == "false"
        assert not nav.is_displayed()
        assert header_height(phone) < FOLDED_HEADER, url
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
        links = [a for a in nav.find_elements(By.TAG_NAME, "a") if a.is_displayed()]
        assert len(links) >= 5, "the open menu shows the pages"
        assert phone.find_element(By.CSS_SELECTOR, "header.site .lang").is_displayed()
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "false"
        assert not nav.is_displayed()
    # Open, a link leads to its page, and the menu is folded again there.
    toggle = phone.find_element(By.CSS_SELECTOR, "header.site button.menu-toggle")
    toggle.click()
    phone.find_element(By.CSS_SELECTOR, "header.site nav a[href='/themes']").click()
    wait_loaded(phone)
    assert phone.current_url.endswith("/themes")
    assert not phone.find_element(By.CSS_SELECTOR, "header.site nav").is_displayed()


def test_menu_works_from_the_keyboard(live_server, phone):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser_login(phone, live_server.url)
    phone.get(live_server.url + "/")
    wait_loaded(phone)
    body = phone.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)  # first stop: the skip link
    skip = phone.switch_to.active_element
    assert skip.get_attribute("href").endswith("#main") and skip.is_displayed()
    toggle = phone.find_element(By.CSS_SELECTOR, "header.site button.menu-toggle")
    toggle.send_keys(Keys.ENTER)
    assert toggle.get_attribute("aria-expanded") == "true"
    toggle.send_keys(Keys.ESCAPE)
    assert toggle.get_attribute("aria-expanded") == "false"


def test_menu_is_there_without_its_script(live_server, phone):
    """Progressive: when the menu's script does not run, the menu is simply shown."""
    from selenium.webdriver.common.by import By

    phone.execute_cdp_cmd("Network.enable", {})
    phone.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*/static/site.js*"]})
    browser_login(phone, live_server.url)
    phone.get(live_server.url + "/")
    wait_loaded(phone)
    assert not phone.find_element(By.CSS_SELECTOR, "header.site button.menu-toggle").is_displayed()
    nav = phone.find_element(By.CSS_SELECTOR, "header.site nav")
    links = [a for a in nav.find_elements(By.TAG_NAME, "a") if a.is_displayed()]
    assert len(links) >= 5
    assert phone.execute_script(OVERFLOW_JS)["scroll"] <= PHONE["width"] + 1


def test_menu_is_open_on_a_wide_screen(live_server, browser):
    from selenium.webdriver.common.by import By

    browser_login(browser, live_server.url)
    browser.get(live_server.url + "/")
    wait_loaded(browser)
    assert not browser.find_element(
        By.CSS_SELECTOR, "header.site button.menu-toggle"
    ).is_displayed()
    assert browser.find_element(By.CSS_SELECTOR, "header.site nav").is_displayed()
    assert header_height(browser) < FOLDED_HEADER
