"""The Kumu type mapping step in the browser (issue 16): proposed, chosen, imported and
remembered for the next upload."""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import urlencode

from tests.web.test_io_web import app, csrf, store_of, upload, wait_for  # noqa: F401 - fixture

KUMU = (Path(__file__).parent.parent / "data" / "kumu.xlsx").read_bytes()


def test_the_mapping_step_imports_a_kumu_workbook_and_is_remembered(client, app):  # noqa: F811
    preview_url = upload(client, KUMU, "kaart.xlsx").headers["Location"]
    page = client.get(preview_url)
    html = page.get_data(as_text=True)
    assert page.status_code == 422  # Company and Personal are not known yet
    assert "Welke soort is elk type?" in html
    assert re.search(
        r'name="type:element:Organization">.*?value="Organisation" selected', html, re.S
    )
    assert 'name="type:element:Company"' in html and "nog onbekend" in html
    query = urlencode({"type:element:Company": "Organisation", "type:connection:Personal": "KNOWS"})
    page = client.get(f"{preview_url}?{query}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200, html
    fields = dict(re.findall(r'<input type="hidden" name="(type:[^"]+)" value="([^"]+)">', html))
    assert fields == {"type:element:Company": "Organisation", "type:connection:Personal": "KNOWS"}
    response = client.post(preview_url, data={"csrf_token": csrf(html), **fields})
    state = wait_for(client, response.headers["Location"])
    assert state["state"] == "done", state
    assert state["result"]["entities_created"] == 8 and state["result"]["ties_created"] == 8
    store = store_of(app)
    assert store.lookup("demo", "Groenbedrijf BV", kind="Organisation")
    store.close()
    # the next upload of the same kind of file maps Company and Personal by itself
    again = upload(client, KUMU, "kaart.xlsx").headers["Location"]
    page = client.get(again)
    assert page.status_code == 200
    assert "Everything in this file is already in the workspace" in client.get(
        again + "?lang=en"
    ).get_data(as_text=True)


def test_an_undirected_graphml_upload_keeps_its_direction_column(client, app):  # noqa: F811
    data = (Path(__file__).parent.parent / "data" / "undirected.graphml").read_bytes()
    preview_url = upload(client, data, "kaart.graphml").headers["Location"]
    page = client.get(preview_url)
    assert page.status_code == 200, page.get_data(as_text=True)[-2000:]
    html = page.get_data(as_text=True)
    assert re.search(r'class="n-create">12<', html)


def test_the_export_page_offers_kumu(client, app):  # noqa: F811
    assert 'value="kumu"' in client.get("/io/").get_data(as_text=True)
    response = client.get("/io/export?format=kumu")
    assert response.status_code == 200
    assert "kumu.xlsx" in response.headers["Content-Disposition"]


def test_the_preview_says_in_dutch_which_example_rows_are_skipped(client, app):  # noqa: F811
    from mapper.io import export as exporter

    out = io.BytesIO()
    exporter.write_templates("xlsx", out)
    page = client.get(upload(client, out.getvalue(), "sjabloon.xlsx").headers["Location"])
    html = page.get_data(as_text=True)
    assert "Individuen en organisaties, rij 2: een voorbeeldrij van het sjabloon" in html
    assert "Jan de Vries" in html and "Uitleg" not in html
