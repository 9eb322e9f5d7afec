"""The browser layer: every test here drives a real headless Chromium and is marked ``browser``
(``-m "not browser"`` leaves them out). The fixtures (``browser``, ``live_server``, ``live_app``)
live in ``tests/fixtures_web.py``, beside the app fixtures they share with ``tests/web/`` (which
holds no browser test)."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
