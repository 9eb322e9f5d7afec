"""A lighter scan page (#14): the ties' drawing options are sent once (a style table the
ties refer to), and a long points table and list of ties come as a summary with a link (the
whole page with the part, without JavaScript) and alone as ``?part=...`` when opened."""

from __future__ import annotations

import json
import re

from mapper.analysis.scan import theme_scan
from mapper.store import open_store
from web.maps import EDGE_STYLE_KEYS
from web.views import SCAN_LAZY_ROWS


def _big_theme(app):
    store = open_store(app.config["DATABASE_URL"])
    try:
        rows = [row for row in theme_scan(store.project("demo")) if row.in_library]
        return max(rows, key=lambda row: sum(row.counts.values())).theme
    finally:
        store.close()


def _details(page: str, marker: str) -> str:
    return page.split(marker, 1)[1].split("</details>", 1)[0]


def test_tie_styles_are_sent_once_and_every_tie_refers_to_one(demo_app):
    client = demo_app.test_client()
    page = client.get(f"/scan/{_big_theme(demo_app)}").get_data(as_text=True)
    raw = re.search(r'<script type="application/json" id="scan-data">(.*?)</script>', page, re.S)
    data = json.loads(raw.group(1))
    styles = data["edgeStyles"]
    assert data["edges"] and len(styles) < len(data["edges"])
    for edge in data["edges"]:
        assert not set(EDGE_STYLE_KEYS) & set(edge)
        assert 0 <= edge["style"] < len(styles)
    assert all("color" in style and "width" in style for style in styles)
    assert len({json.dumps(s, sort_keys=True) for s in styles}) == len(styles)


def test_a_long_list_of_ties_comes_when_opened_with_the_same_rows(demo_app):
    client = demo_app.test_client()
    theme = _big_theme(demo_app)
    page = client.get(f"/scan/{theme}").get_data(as_text=True)
    lazy = _details(page, 'id="scan-ties"')
    assert f'data-lazy="/scan/{theme}?part=ties"' in lazy
    assert "<tr id=" not in lazy and 'href="?ties=1#scan-ties"' in lazy  # works without JS
    inline = _details(client.get(f"/scan/{theme}?ties=1").get_data(as_text=True), 'id="scan-ties"')
    part = client.get(f"/scan/{theme}?part=ties")
    assert part.status_code == 200 and "<html" not in part.get_data(as_text=True)
    fetched = _details(part.get_data(as_text=True), 'id="scan-ties"')
    rows = re.findall(r'<tr id="row-([^"]+)"', inline)
    assert len(rows) > SCAN_LAZY_ROWS
    assert re.findall(r'<tr id="row-([^"]+)"', fetched) == rows
    assert "part=" not in fetched  # its links lead to the page, not to the part
    assert len(page) < len(client.get(f"/scan/{theme}?ties=1").get_data(as_text=True))


def test_the_points_table_part_has_the_rows_of_the_page_with_the_table(demo_app):
    client = demo_app.test_client()
    theme = _big_theme(demo_app)
    with_table = client.get(f"/scan/{theme}?table=1").get_data(as_text=True)
    part = client.get(f"/scan/{theme}?part=table").get_data(as_text=True)
    assert "<html" not in part
    body = with_table.split('id="map-table"', 1)[1].split("</table>", 1)[0]
    fetched = part.split('id="map-table"', 1)[1].split("</table>", 1)[0]
    assert body.count("<tr") > 1 and fetched == body
    page = client.get(f"/scan/{theme}").get_data(as_text=True)
    table = _details(page, '<details class="map-table"')
    if body.count("<tr") - 1 > SCAN_LAZY_ROWS:
        assert "data-lazy=" in table and 'id="map-table"' not in table
    else:
        assert 'id="map-table"' in table
