"""Fixtures for the web app: an app on an empty store, an app on the demo town, a client.

Imported by ``tests/conftest.py``. The browser fixtures (headless Chromium) live here too.
"""

from __future__ import annotations

import pytest

from mapper.store import SQLiteStore
from web import create_app


@pytest.fixture
def app(tmp_path):
    """The app on an empty workspace ``demo`` in a fresh SQLite file."""
    url = f"sqlite:///{tmp_path / 'app.db'}"
    store = SQLiteStore(tmp_path / "app.db")
    store.create_workspace("demo", "Bibliotheek Test")
    store.close()
    return create_app(
        {"TESTING": True, "DATABASE_URL": url, "WORKSPACE": "demo", "SECRET_KEY": "test",
         "WTF_CSRF_ENABLED": True}
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


@pytest.fixture
def demo_app(demo_db, tmp_path):
    """The app on a private copy of the seeded demo town."""
    import shutil

    path = tmp_path / "demo.db"
    shutil.copy(demo_db, path)
    return create_app(
        {"TESTING": True, "DATABASE_URL": f"sqlite:///{path}", "WORKSPACE": "demo",
         "SECRET_KEY": "test"}
    )


@pytest.fixture
def demo_client(demo_app):
    return demo_app.test_client()
