"""Every page of the seeded demo town, for the accessibility and phone browser tests.

The demo is served with login required and an admin account, so the admin, privacy and team
pages are there too. The pages are found by following the links of the app itself from the
overview (through the Flask test client, so it is quick), keeping a few URLs per endpoint:
a page another area adds is covered as soon as something links to it.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from mapper.accounts import Accounts
from tests.privacy_helpers import PASSWORD, login, make_app

ADMIN = "admin@demo.nl"
#: How many different URLs of one endpoint are looked at (two theme scans, two communities...).
PER_ENDPOINT = 2
#: Endpoints whose pages are not pages for a person (data, downloads) or act on a GET.
SKIP_ENDPOINTS = {"static"}
SKIP_SUFFIXES = (".csv", ".ics", ".json", ".png", ".svg", ".pdf", ".xlsx", ".zip", ".txt")
#: The pages the brief names: the crawl must reach each of these endpoints.
REQUIRED = {
    "main.index",
    "main.frame",
    "main.themes",
    "main.scan_pick",
    "main.scan",
    "main.entity",
    "warm.pick",
    "warm.page",
    "community.index",
    "community.page",
    "aandeslag.page",
    "team.index",
    "verslag.library_report",
    "io.index",
    "privacy.index",
    "admin.users",
}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def demo_login_app(demo_db: Path, tmp_path: Path):
    """The app on a private copy of the demo town with login required and one admin."""
    path = tmp_path / "demo-a11y.db"
    shutil.copy(demo_db, path)
    with Accounts(path) as accounts:
        accounts.add_user(ADMIN, PASSWORD, name="Beheerder Demo")
        accounts.set_role(ADMIN, "demo", "admin")
    town = type("T", (), {"path": path})()
    return make_app(town, WORKSPACE="demo", WTF_CSRF_ENABLED=True)


def demo_pages(app) -> list[str]:
    """Every HTML page reachable by links from the overview (logged in as the admin), at
    most :data:`PER_ENDPOINT` URLs per endpoint, in the order they were found."""
    client = app.test_client()
    assert login(client, ADMIN).status_code == 302
    adapter = app.url_map.bind("localhost")
    seen: set[str] = set()
    per_endpoint: dict[str, int] = defaultdict(int)
    pages: list[str] = []
    queue = ["/"]
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        try:
            endpoint, _args = adapter.match(path, method="GET")
        except Exception:  # noqa: BLE001 - not a page of the app (or a redirect rule)
            continue
        if endpoint in SKIP_ENDPOINTS or endpoint.startswith("api_") or ".api" in endpoint:
            continue
        if path.endswith(SKIP_SUFFIXES) or per_endpoint[endpoint] >= PER_ENDPOINT:
            continue
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        if "attachment" in response.headers.get("Content-Disposition", ""):
            continue
        per_endpoint[endpoint] += 1
        pages.append(path)
        parser = _Links()
        parser.feed(response.get_data(as_text=True))
        for href in parser.hrefs:
            parts = urlsplit(urljoin("http://localhost" + path, href))
            if parts.netloc == "localhost" and parts.path not in seen:
                queue.append(parts.path)
    missing = REQUIRED - {adapter.match(p, method="GET")[0] for p in pages}
    assert not missing, f"the crawl did not reach: {sorted(missing)}"
    return pages


def browser_login(browser, base_url: str) -> None:
    """Log in as the admin through the real login form."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(base_url + "/login")
    browser.find_element(By.NAME, "email").send_keys(ADMIN)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form.login [type=submit]").click()
    WebDriverWait(browser, 15).until(EC.url_changes(base_url + "/login"))
    if "/login" in browser.current_url:
        pytest.fail("login through the form failed")


def wait_loaded(browser) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 20).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )
