"""Fixtures for the web app: an app on an empty store, an app on the demo town, a client.

Imported by ``tests/conftest.py``. The browser fixtures (headless Chromium) live here too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mapper.store import SQLiteStore
from web import create_app

#: These fixtures run the app in single-user mode (no login: bound to 127.0.0.1, and the
#: test client's requests come from 127.0.0.1). Login and roles are tested with their own
#: apps in tests/web/test_auth.py.
SINGLE_USER = {"SINGLE_USER": True, "HOST": "127.0.0.1"}


@pytest.fixture
def app(tmp_path):
    """The app on an empty workspace ``demo`` in a fresh SQLite file."""
    url = f"sqlite:///{tmp_path / 'app.db'}"
    store = SQLiteStore(tmp_path / "app.db")
    store.create_workspace("demo", "Bibliotheek Test")
    store.close()
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "WORKSPACE": "demo",
            "SECRET_KEY": "test",
            "WTF_CSRF_ENABLED": True,
            **SINGLE_USER,
        }
    )


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    """A SQLite file with the demo town seeded once per test session (copy it to write)."""
    from seeds.demo import seed_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    store = SQLiteStore(path)
    seed_demo(store, "demo")
    store.close()
    return path


def demo_copy(demo_db, tmp_path) -> Path:
    """A private copy of the seeded demo town's file, to write to."""
    import shutil

    return Path(shutil.copy(demo_db, tmp_path / "demo.db"))


@pytest.fixture
def demo_ws(demo_db, tmp_path):
    """The workspace ``demo`` in a private copy of the seeded demo town (closed afterwards)."""
    store = SQLiteStore(demo_copy(demo_db, tmp_path))
    yield store.workspace("demo")
    store.close()


@pytest.fixture
def demo_app(demo_db, tmp_path):
    """The app on a private copy of the seeded demo town."""
    path = demo_copy(demo_db, tmp_path)
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{path}",
            "WORKSPACE": "demo",
            "SECRET_KEY": "test",
            **SINGLE_USER,
        }
    )


@pytest.fixture
def demo_client(demo_app):
    return demo_app.test_client()


# --------------------------------------------------------------------------- browser (owner: web)
# A real headless Chromium driving the app served on 127.0.0.1 from a thread. Reuse them:
#   @pytest.mark.browser
#   def test_x(live_server, browser):
#       browser.get(live_server.url + "/some/page")
# Override ``live_app`` in a test module to serve another app than the demo town.

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def browser_missing_reason() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    import importlib.util
    import os

    if importlib.util.find_spec("selenium") is None:
        return "browser test skipped: selenium is not installed (pip install -e '.[test]')"
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not os.access(path, os.X_OK):
            return f"browser test skipped: {path} not found (apt-get install {package})"
    return None


class LiveServer:
    """The app served on a free port of 127.0.0.1 in a background thread."""

    def __init__(self, app, host: str, port: int):
        self.app = app
        self.host = host
        self.port = port
        self.url = f"http://{host}:{port}"
        self.netloc = f"{host}:{port}"

    def __repr__(self) -> str:
        return f"<LiveServer {self.url}>"


@pytest.fixture
def live_app(demo_app):
    """The app ``live_server`` serves: the demo town. Override it in a module to change."""
    return demo_app


@pytest.fixture
def live_server(live_app):
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(live_app, "127.0.0.1", server.server_port)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def chromium_options(profile: Path, *extra: str):
    """Options for Debian's headless Chromium as every browser test runs it: nothing fetched
    from the internet, a profile of its own in ``profile``, plus the ``extra`` arguments."""
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        f"--user-data-dir={profile}",
        *extra,
    ):
        options.add_argument(arg)
    return options


@pytest.fixture
def browser(tmp_path):
    """Headless Chromium (selenium) that records every network request in its performance
    log (see :func:`network_requests`). Skips with the reason when Chromium is missing."""
    reason = browser_missing_reason()
    if reason:
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = chromium_options(tmp_path / "chromium-profile", "--window-size=1440,1000")
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def network_requests(driver) -> list[str]:
    """URLs of every request the page made since the last call (drains the performance log)."""
    import json

    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls
