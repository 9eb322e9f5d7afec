"""The scan's list of ties carries the change and end forms of one tie at a time: the chosen
one, or the one whose form failed (shown again with what was typed). Two forms per tie made a
scan of a few hundred points several megabytes."""

from __future__ import annotations

import re

from mapper.analysis.scan import theme_scan
from mapper.store import open_store


def _theme_with_most_ties(app):
    store = open_store(app.config["DATABASE_URL"])
    try:
        graph = store.project("demo")
        rows = [row for row in theme_scan(graph) if row.in_library]
        return max(rows, key=lambda row: sum(row.counts.values())).theme
    finally:
        store.close()


def _tie_section(page: str) -> str:
    return page.split('id="scan-ties"', 1)[1].split("</details>", 1)[0]


def test_rows_are_links_until_a_tie_is_chosen(demo_app):
    client = demo_app.test_client()
    theme = _theme_with_most_ties(demo_app)
    section = _tie_section(client.get(f"/scan/{theme}?ties=1").get_data(as_text=True))
    rows = re.findall(r'<tr id="row-([^"]+)"', section)
    assert len(rows) > 5
    assert "<form" not in section
    assert section.count('class="tie-edit"') == len(rows)
    chosen = rows[2]
    page = client.get(f"/scan/{theme}?tie={chosen}&ties=1").get_data(as_text=True)
    section = _tie_section(page)
    assert re.findall(r'<form id="([^"]+)"', section) == [f"tie-{chosen}", f"tie-{chosen}-end"]
    assert section.count('class="tie-edit"') == len(rows) - 1
    assert '<details id="scan-ties" class="scan-ties" open>' in page


def test_a_failed_change_shows_that_ties_forms_again_with_its_message(demo_app):
    client = demo_app.test_client()
    theme = _theme_with_most_ties(demo_app)
    section = _tie_section(client.get(f"/scan/{theme}?ties=1").get_data(as_text=True))
    chosen = re.findall(r'<tr id="row-([^"]+)"', section)[1]
    page = client.get(f"/scan/{theme}?tie={chosen}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    answer = client.post(
        f"/edit/ties/{chosen}",
        data={
            "csrf_token": token,
            "next": f"/scan/{theme}",
            "form_id": f"tie-{chosen}",
            "strength": "3",
            "on": "1999-01-01",  # before the tie began
        },
    )
    assert answer.status_code == 302
    again = client.get(answer.headers["Location"].split("#")[0]).get_data(as_text=True)
    section = _tie_section(again)
    assert f'<form id="tie-{chosen}" class="inline failed"' in section
    assert 'class="field-error"' in section
