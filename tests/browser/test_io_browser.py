"""What a person sees when importing, in a real headless Chromium: the dry-run preview with
every bad row, and the progress page (static JS polling) ending in the result."""

from __future__ import annotations

import pytest

from mapper.store import SQLiteStore
from tests.fixtures_web import SINGLE_USER

pytestmark = pytest.mark.browser


@pytest.fixture
def live_app(tmp_path):
    from web import create_app

    path = tmp_path / "live.db"
    store = SQLiteStore(path)
    store.create_workspace("demo", "Bibliotheek Test")
    store.close()
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{path}",
            "WORKSPACE": "demo",
            "SECRET_KEY": "test",
            "IMPORT_FOLDER": str(tmp_path / "imports"),
            **SINGLE_USER,
        }
    )


def _upload(browser, live_server, path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(live_server.url + "/io/?lang=nl")
    browser.find_element(By.ID, "file").send_keys(str(path))
    browser.find_element(By.CSS_SELECTOR, "form.io-upload button[type=submit]").click()
    WebDriverWait(browser, 30).until(EC.url_contains("/io/preview/"))
    WebDriverWait(browser, 30).until(EC.presence_of_element_located((By.TAG_NAME, "h1")))


def test_preview_shows_bad_rows_then_a_good_file_imports_with_progress(
    live_server, browser, tmp_path
):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    bad = tmp_path / "scan.csv"
    bad.write_bytes("soort;naam;sterkte band\npersoon;Jan;7\nvogel;Tweety;\n".encode("cp1252"))
    _upload(browser, live_server, bad)
    rows = browser.find_elements(By.CSS_SELECTOR, "tr.io-error")
    texts = [[td.text for td in row.find_elements(By.TAG_NAME, "td")] for row in rows]
    assert texts[0][:4] == ["scan.csv", "2", "sterkte band", "7"]
    assert "ligt niet tussen 0 en 1 of 1–5" in texts[0][4]  # in Dutch, the default
    assert texts[1][:3] == ["scan.csv", "3", "soort"]
    assert "2 foute rijen" in browser.find_element(By.ID, "errors-h").text

    good = tmp_path / "goed.csv"
    good.write_bytes("soort;naam;thema's\npersoon;Zoë Müller;duurzaamheid\n".encode("cp1252"))
    _upload(browser, live_server, good)
    assert "Windows-1252" in browser.page_source
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(browser, 30).until(EC.presence_of_element_located((By.ID, "io-result")))
    assert "Het importeren is klaar." in browser.find_element(By.ID, "io-status").text
    store = SQLiteStore(live_server.app.config["DATABASE_URL"].removeprefix("sqlite:///"))
    assert store.lookup("demo", "Zoë Müller", kind="Person")
    store.close()
    # (the preview with bad rows answers 422 on purpose; that is logged as a network error)
    errors = [
        e for e in browser.get_log("browser") if e["level"] == "SEVERE" and e["source"] != "network"
    ]
    assert errors == []
