"""The scan map over months is kept across a write that touched none of the points it could
show (web/maps.py ``timeline_map``), and made again after one that did: after each write the
map the app serves equals the one it makes with nothing kept."""

from __future__ import annotations

import datetime as dt

import pytest

from mapper.analysis.scan import ecosystem, theme_scan
from mapper.store import open_store
from tests.web.test_maps_web import scan_json
from web import carry, page_cache
from web import maps as web_maps


@pytest.fixture
def other(demo_app):
    """Another store on the app's file: writes the app did not make itself."""
    store = open_store(demo_app.config["DATABASE_URL"])
    yield store
    store.close()


def scan_data(client, theme_id):
    answer = client.get(f"/scan/{theme_id}")
    assert answer.status_code == 200
    data = scan_json(answer.get_data(as_text=True))
    data.pop("csrf", None)
    return data


def test_scan_map_after_writes_equals_a_fresh_one(demo_app, demo_client, other, monkeypatch):
    rows = [r for r in theme_scan(other.project("demo")) if r.in_library]
    theme = max(rows, key=lambda r: (r.counts["Person"], r.name)).theme
    universe = ecosystem(other.project_history("demo"), theme)
    people = sorted(n.id for n in other.nodes("demo", kind="Person"))
    inside = [p for p in people if p in universe]
    outside = [p for p in people if p not in universe]
    assert inside and outside, "the demo town has people on and off the theme's map"
    made = []
    real = web_maps._timeline_data
    monkeypatch.setattr(web_maps, "_timeline_data", lambda *a, **k: made.append(1) or real(*a, **k))
    scan_data(demo_client, theme)
    writes = [
        (
            "a name off the map",
            False,
            lambda: other.update_node("demo", outside[0], name="Ver Weg"),
        ),
        (
            "a new person",
            False,
            lambda: other.add_node("demo", "Person", "Nieuw", since="2025-01-01"),
        ),
        (
            "a name on the map",
            True,
            lambda: other.update_node("demo", inside[0], name="Op De Kaart"),
        ),
        (
            "a tie from the map to outside it",
            True,
            lambda: other.add_tie("demo", "KNOWS", inside[1], outside[1], strength=0.5),
        ),
        (
            "someone joins the theme",
            True,
            lambda: other.add_tie(
                "demo", "ACTIVE_ON", outside[2], theme, strength=0.6, since=dt.date(2025, 3, 1)
            ),
        ),
        ("a setting", False, lambda: other.update_workspace("demo", settings={"review_months": 6})),
    ]
    for name, changes_map, write in writes:
        write()
        made.clear()
        served = scan_data(demo_client, theme)
        assert made == ([1] if changes_map else []), name
        carry._LAST.pop("maps", None)  # the map kept across writes
        page_cache.forget()  # the kept page too: the next request makes the map (and keeps it)
        assert served == scan_data(demo_client, theme), name  # as made with nothing kept
    assert "Op De Kaart" in served["names"].values()
