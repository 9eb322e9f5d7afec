"""What a person sees, in a real headless Chromium: text that looks like HTML or script, in
every text field the app stores, is shown as text on every page, and no dialog ever fires.

The pages come from the app's own URL map (every GET page, and every page about one entity
filled with each seeded entity's id), so pages other areas add are covered automatically.
Login goes through the real login form: the app runs with login required.
"""

from __future__ import annotations

import pytest

from mapper.accounts import Accounts
from mapper.store import SQLiteStore
from tests.privacy_helpers import PASSWORD, login, make_app, rule_urls

pytestmark = pytest.mark.browser

MARKER_CLASS = "xss-marker"


def payload(field: str) -> str:
    """Text that becomes a visible element, a script and a failing image if it is ever
    inserted as HTML instead of text."""
    return (
        f'<b class="{MARKER_CLASS}">{field}</b><script>alert("{field}")</script>'
        f"<img src=x onerror=\"alert('{field}')\">\"'><svg onload=alert(1)>"
    )


@pytest.fixture
def xss_town(tmp_path):
    path = tmp_path / "xss.db"
    store = SQLiteStore(path)
    ws = store.create_workspace("xss", payload("workspace")[:190])
    ids = {}
    for kind in (
        "Library",
        "Staff",
        "Theme",
        "Person",
        "Organisation",
        "Activity",
        "Channel",
        "Community",
        "Goal",
        "SmartGoal",
    ):
        node = ws.add_node(
            kind,
            payload(f"name-{kind}")[:190],
            props={
                "description": payload(f"description-{kind}"),
                "notes": payload("notes"),
                "data_source": payload("data_source"),
                "lawful_basis": "consent",
                "where": payload("where"),
                "mode": "online",
                "bond_type": "affinity",
            },
            origin=payload(f"origin-{kind}")[:190],
        )
        ids[kind] = node.id
    ws.update_node(ids["Person"], name=payload("renamed-person")[:190])
    ties = [
        ("WORKS_AT", "Staff", "Library", None),
        ("ACTIVE_ON", "Person", "Theme", None),
        ("MEMBER_OF", "Person", "Community", "ambassador"),
        ("MEMBER_OF", "Person", "Organisation", "member"),
        ("KNOWS", "Staff", "Person", None),
        ("BOND_WITH", "Library", "Organisation", None),
        ("ORGANISES", "Organisation", "Activity", None),
        ("ACTIVE_IN", "Organisation", "Channel", None),
        ("ABOUT", "Community", "Theme", None),
        ("PURSUES", "Library", "Goal", None),
        ("HAS_ROLE", "Staff", "Community", "builder"),
    ]
    for kind, source, target, role in ties:
        tie = ws.add_tie(
            kind,
            ids[source],
            ids[target],
            strength=0.6,
            since="2024-01-01",
            role=role,
            origin=payload(f"tie-origin-{kind}")[:190],
            props={"note": payload(f"tie-note-{kind}")},
        )
    ws.change_tie(tie.id, on="2024-06-01", strength=0.8, origin=payload("changed-tie")[:190])
    ws.add_contact(
        ids["Staff"],
        ids["Person"],
        on="2024-05-01",
        mode="conversation",
        notes=payload("contact-notes"),
        outcome=payload("contact-outcome"),
    )
    ws.add_contact(
        ids["Person"],
        ids["Organisation"],
        on="2024-07-01",
        mode=payload("contact-mode")[:190],
        notes=payload("contact-notes-2"),
    )
    store.close()
    with Accounts(path) as accounts:
        accounts.add_user("admin@xss.nl", PASSWORD, name=payload("account-name")[:190])
        accounts.set_role("admin@xss.nl", "xss", "admin")
    return path, ids


@pytest.fixture
def live_app(xss_town):
    path, _ids = xss_town
    return make_app(type("T", (), {"path": path})(), WORKSPACE="xss")


def html_pages(app, ids):
    """Every page (GET, HTML) the admin can open: rules without arguments, and rules with
    arguments filled with each seeded id."""
    client = app.test_client()
    assert login(client, "admin@xss.nl").status_code == 302
    pages = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint == "static" or "GET" not in rule.methods:
            continue
        for url in rule_urls(app, rule, {"*": list(ids.values()), "#": [1]}):
            response = client.get(url)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            if "attachment" in response.headers.get("Content-Disposition", ""):
                continue
            pages.append(url)
    return pages


def assert_no_dialog(browser, url):
    from selenium.common.exceptions import NoAlertPresentException

    try:
        alert = browser.switch_to.alert
    except NoAlertPresentException:
        return
    text = alert.text
    alert.dismiss()
    raise AssertionError(f"a dialog fired on {url}: {text!r}")


def test_html_in_every_text_field_shows_as_text(live_server, browser, xss_town):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    _path, ids = xss_town
    pages = html_pages(live_server.app, ids)
    assert len(pages) >= 8, pages
    assert any(ids["Person"] in url for url in pages)

    browser.get(live_server.url + "/login")
    browser.find_element(By.NAME, "email").send_keys("admin@xss.nl")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form.login [type=submit]").click()
    WebDriverWait(browser, 10).until(EC.url_changes(live_server.url + "/login"))
    assert "/login" not in browser.current_url

    shown_as_text = 0
    for url in pages:
        browser.get(live_server.url + url)
        WebDriverWait(browser, 10).until(
            lambda d: d.execute_script("return document.readyState") == "complete"
        )
        assert_no_dialog(browser, url)
        injected = browser.find_elements(By.CLASS_NAME, MARKER_CLASS)
        assert injected == [], f"HTML from stored text became elements on {url}"
        assert browser.find_elements(By.CSS_SELECTOR, "img[src='x']") == [], url
        body = browser.find_element(By.TAG_NAME, "body").text
        if f'<b class="{MARKER_CLASS}">' in body:
            shown_as_text += 1
    assert shown_as_text >= len(pages) // 2, "the stored texts should be visible as text"
    # The person's own page shows the person's (renamed) name literally.
    browser.get(f"{live_server.url}/privacy/person/{ids['Person']}")
    assert payload("renamed-person")[:60] in browser.find_element(By.TAG_NAME, "body").text
    assert_no_dialog(browser, "privacy person page")


def test_login_form_and_error_pages_in_the_browser(live_server, browser):
    from selenium.webdriver.common.by import By

    browser.get(live_server.url + "/")
    assert "/login?next=" in browser.current_url
    browser.find_element(By.NAME, "email").send_keys("admin@xss.nl")
    browser.find_element(By.NAME, "password").send_keys("wrong password!")
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    submit = browser.find_element(By.CSS_SELECTOR, "form.login [type=submit]")
    submit.click()
    WebDriverWait(browser, 15).until(EC.staleness_of(submit))  # the answer page has loaded
    assert "Onjuist e-mailadres of wachtwoord" in browser.find_element(By.TAG_NAME, "body").text
    browser.get(live_server.url + "/login?next=https://evil.example/")
    browser.find_element(By.NAME, "email").send_keys("admin@xss.nl")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    submit = browser.find_element(By.CSS_SELECTOR, "form.login [type=submit]")
    submit.click()
    WebDriverWait(browser, 15).until(EC.staleness_of(submit))
    assert browser.current_url.startswith(live_server.url), browser.current_url
    assert "/login" not in browser.current_url, browser.current_url
    browser.get(live_server.url + '/entity/"><script>alert(1)</script>')
    assert_no_dialog(browser, "404 page")
    assert "Niet gevonden" in browser.find_element(By.TAG_NAME, "body").text
