"""The dashboard, werkblad 1–3 and the entity pages, through the Flask test client on the
demo town."""

from __future__ import annotations

import json
import re

import pytest
from markupsafe import escape

from mapper.analysis.scan import theme_scan
from mapper.store import open_store

XSS = "<img src=x onerror=alert(1)>"
PAGES = ["/", "/frame", "/themes", "/scan/"]
URL_RE = re.compile(r"""https?://[^\s"'<>)]+""")
SCRIPT_RE = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)


@pytest.fixture
def demo_store(demo_app):
    store = open_store(demo_app.config["DATABASE_URL"])
    yield store
    store.close()


@pytest.fixture
def library_themes(demo_store):
    rows = theme_scan(demo_store.project("demo"))
    themes = [row for row in rows if row.in_library]
    assert themes, "the demo town has library themes"
    return themes


def scan_data(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="scan-data">(.*?)</script>', page, re.S)
    assert match, "the scan page carries its map data"
    data = json.loads(match.group(1))
    # the data carries every month of the time slider: keep what is on the map on its day
    day = data["day"]
    data["nodes"] = [n for n in data["nodes"] if day in n["days"]]
    data["edges"] = [e for e in data["edges"] if day in e["days"]]
    return data


def check_page_rules(response) -> str:
    """Rules every page keeps: CSP sent, no inline script, nothing from another host."""
    assert response.status_code == 200
    csp = response.headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in csp and "default-src 'self'" in csp
    page = response.get_data(as_text=True)
    for attrs, body in SCRIPT_RE.findall(page):
        assert "src=" in attrs or 'type="application/json"' in attrs, attrs
        if "src=" in attrs:
            assert not body.strip()
    for url in URL_RE.findall(page):
        assert url.startswith("http://localhost/"), f"link to another host: {url}"
    assert not re.search(r"<img\b", page, re.I), "no image tags at all, so none from user text"
    return page


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_every_page_opens(demo_client, path, lang):
    page = check_page_rules(demo_client.get(f"{path}?lang={lang}"))
    assert f'<html lang="{lang}">' in page


def test_dutch_by_default_english_on_request(demo_client):
    page = demo_client.get("/").get_data(as_text=True)
    assert "Werkblad 3 · Omgevingsscan" in page and "De kapstok" in page
    page = demo_client.get("/?lang=en").get_data(as_text=True)
    assert "Worksheet 3 · Environment scan" in page
    # the choice is remembered, and the switch leads back
    page = demo_client.get("/themes").get_data(as_text=True)
    assert "Theme scan" in page and "?lang=nl" in page


def test_navigation_lists_the_worksheets(demo_client):
    page = demo_client.get("/").get_data(as_text=True)
    nav = page.split("<nav", 1)[1].split("</nav>", 1)[0]
    for href, word in [
        ("/frame", "1 · De kapstok"),
        ("/themes", "2 · Themascan"),
        ("/scan/", "3 · Omgevingsscan"),
    ]:
        assert f'href="{href}"' in nav and word in nav


def test_frame_shows_goals_and_the_themes_they_serve(demo_client, demo_store, library_themes):
    page = demo_client.get("/frame").get_data(as_text=True)
    graph = demo_store.project("demo")
    for row in library_themes:
        assert str(escape(row.name)) in page
        for goal in row.goals:
            assert str(escape(graph.nodes[goal]["name"])) in page


def test_theme_scan_shows_both_columns_with_overlap_and_gaps(demo_client, demo_store):
    page = demo_client.get("/themes").get_data(as_text=True)
    rows = theme_scan(demo_store.project("demo"))
    assert "Thema’s van de bibliotheek" in page and "Thema’s in de stad" in page
    for row in rows:
        assert f'/scan/{row.theme}"' in page
    assert page.count('class="badge both"') >= sum(r.status == "both" for r in rows)
    if any(r.status == "library" for r in rows):
        assert "gat: niet gezien in de stad" in page
    if any(r.status == "town" for r in rows):
        assert "gat: niet in de kapstok" in page


def test_scan_of_every_library_theme_has_map_and_tables(demo_client, library_themes):
    for row in library_themes:
        page = check_page_rules(demo_client.get(f"/scan/{row.theme}"))
        data = scan_data(page)
        ids = {node["id"] for node in data["nodes"]}
        assert row.theme in ids and len(ids) > 1, row.name
        assert ids <= set(data["links"])  # (the links cover every month of the slider)
        assert all(edge["from"] in ids and edge["to"] in ids for edge in data["edges"])
        assert 'id="individuals"' in page or "Niemand van deze soort" in page
        assert "Individuen" in page and "Organisaties" in page
        # the table behind the map lists every node on the map
        table = page.split('id="map-table"', 1)[1].split("</table>", 1)[0]
        assert table.count('<th scope="row">') == len(ids)
        for node_id in ids:
            assert f'href="/entity/{node_id}"' in page
        assert "vis-network.min.js" in page and "/static/scan.js" in page


def test_scan_tables_show_channels_activities_and_bonds(demo_client, demo_store, library_themes):
    graph = demo_store.project("demo")
    bonded_somewhere = False
    for row in library_themes:
        page = demo_client.get(f"/scan/{row.theme}").get_data(as_text=True)
        data = scan_data(page)
        bonded = [n for n in data["nodes"] if n["label"].startswith("★")]
        if bonded:
            bonded_somewhere = True
            assert 'class="bond"' in page and "Band met de bibliotheek" in page
        for node in bonded:
            assert "Band met de bibliotheek" in node["title"]
    assert bonded_somewhere, "the demo town has people with a bond with the library"
    assert graph.number_of_nodes() > 0


def test_scan_filters(demo_client, library_themes):
    theme = max(library_themes, key=lambda r: r.counts["Person"]).theme
    full = scan_data(demo_client.get(f"/scan/{theme}").get_data(as_text=True))
    people = scan_data(demo_client.get(f"/scan/{theme}?kind=Person").get_data(as_text=True))
    assert 1 < len(people["nodes"]) < len(full["nodes"])
    assert all(n["shape"] == "dot" for n in people["nodes"] if n["id"] != theme)
    bond = scan_data(demo_client.get(f"/scan/{theme}?bond=1").get_data(as_text=True))
    assert len(bond["nodes"]) < len(full["nodes"])
    strong = scan_data(demo_client.get(f"/scan/{theme}?min=5").get_data(as_text=True))
    assert len(strong["nodes"]) < len(full["nodes"])
    person = next(n["id"] for n in full["nodes"] if n["id"] != theme)
    # the focus is drawn by the browser (hide or fade the rest, 1–3 steps) on the whole map
    focus = scan_data(demo_client.get(f"/scan/{theme}?focus={person}").get_data(as_text=True))
    assert focus["focus"] == person and focus["steps"] == 1
    assert {n["id"] for n in focus["nodes"]} == {n["id"] for n in full["nodes"]}
    two = scan_data(demo_client.get(f"/scan/{theme}?focus={person}&steps=2").get_data(as_text=True))
    assert two["steps"] == 2


@pytest.mark.parametrize(
    "query, message",
    [
        ("as_of=31-12-2024", "is geen datum"),
        ("min=9", "geen stap van 1 tot 5"),
        ("focus=per-nobody", "Kan niet inzoomen"),
        ("kind=Martian", "Onbekende soort"),
    ],
)
def test_bad_filter_values_are_named_not_fatal(demo_client, library_themes, query, message):
    response = demo_client.get(f"/scan/{library_themes[0].theme}?{query}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page


def test_as_of_date_and_month_steps(demo_client, library_themes):
    theme = library_themes[0].theme
    page = demo_client.get(f"/scan/{theme}?as_of=2025-03-31").get_data(as_text=True)
    assert 'value="2025-03-31"' in page
    assert "as_of=2025-02-28" in page and "as_of=2025-04-30" in page
    now = scan_data(demo_client.get(f"/scan/{theme}").get_data(as_text=True))
    early = demo_client.get(f"/scan/{theme}?as_of=1990-01-01")
    assert early.status_code == 200
    page = early.get_data(as_text=True)
    if "bestond op 1 januari 1990 nog niet" not in page:  # the theme is older than its people
        assert len(scan_data(page)["nodes"]) < len(now["nodes"])


def test_every_entity_page_opens(demo_client, demo_store):
    nodes = list(demo_store.nodes("demo"))
    assert len(nodes) > 200
    for node in nodes:
        response = demo_client.get(f"/entity/{node.id}")
        assert response.status_code == 200, node
        page = response.get_data(as_text=True)
        assert str(escape(node.name)) in page


def test_entity_page_shows_ties_history_and_contacts(demo_client, demo_store):
    changed = next(t for t in demo_store.ties("demo", history=True) if t.version > 1)
    page = demo_client.get(f"/entity/{changed.source}").get_data(as_text=True)
    history = page.split('id="tie-history"', 1)[1].split("</table>", 1)[0]
    assert "vervangen" in history  # the closed version is still shown
    assert f'href="/entity/{changed.target}"' in page
    contact = next(iter(demo_store.contacts("demo")))
    page = demo_client.get(f"/entity/{contact.a}").get_data(as_text=True)
    assert contact.on.isoformat() in page.split('id="contacts"', 1)[1]


def test_unknown_entity_and_theme_are_404(demo_client, demo_store):
    assert demo_client.get("/entity/per-doesnotexist").status_code == 404
    assert demo_client.get("/scan/thm-doesnotexist").status_code == 404
    person = next(iter(demo_store.nodes("demo", kind="Person")))
    assert demo_client.get(f"/scan/{person.id}").status_code == 404


def test_user_text_is_escaped_everywhere(demo_client, demo_store, library_themes):
    theme = library_themes[0].theme
    library = next(iter(demo_store.nodes("demo", kind="Library")))
    evil = demo_store.add_node("demo", "Person", XSS, props={"note": XSS})
    demo_store.add_tie("demo", "ACTIVE_ON", evil.id, theme, strength=0.6, since="2020-01-01")
    demo_store.add_tie("demo", "BOND_WITH", library.id, evil.id, strength=0.8, since="2020-01-01")
    for url in [f"/scan/{theme}", f"/entity/{evil.id}", f"/scan/{theme}?focus={evil.id}"]:
        page = check_page_rules(demo_client.get(url))
        assert XSS not in page
        assert str(escape(XSS)) in page
    data = scan_data(demo_client.get(f"/scan/{theme}").get_data(as_text=True))
    node = next(n for n in data["nodes"] if n["id"] == evil.id)
    assert node["label"] == f"★ {XSS}" and node["title"].startswith(XSS)


def test_too_many_nodes_asks_to_filter_and_keeps_the_tables(
    demo_client, library_themes, monkeypatch
):
    import web.views

    monkeypatch.setattr(web.views, "MAX_MAP_NODES", 5)
    row = library_themes[0]
    page = check_page_rules(demo_client.get(f"/scan/{row.theme}"))
    assert 'id="scan-data"' not in page and 'id="scan-map"' not in page
    assert "meer dan de 5 die een kaart leesbaar kan tonen" in page
    assert 'id="map-table"' in page and "Individuen" in page


def test_every_message_of_these_pages_has_a_dutch_translation():
    """Messages in web/views.py, the page templates and the map words are all in Dutch."""
    from pathlib import Path

    from mapper.maps import KIND_LABELS, REL_LABELS
    from mapper.model import CONTACT_MODES, ROLES
    from web.i18n import load_catalog

    root = Path(__file__).resolve().parent.parent.parent / "web"
    files = [root / "views.py", root / "templates" / "base.html"] + [
        p
        for p in (root / "templates").glob("*.html")
        if p.name.startswith(("index", "frame", "themes", "scan", "entity"))
    ]
    message = re.compile(r"""\b_l?\(\s*(["'])((?:(?!\1).)+)\1""")
    wanted = {m.group(2) for path in files for m in message.finditer(path.read_text())}
    wanted |= set(KIND_LABELS.values()) | set(REL_LABELS.values())
    wanted |= {role for roles in ROLES.values() for role in roles} | set(CONTACT_MODES)
    assert len(wanted) > 150
    catalog = load_catalog("nl")
    missing = sorted(m for m in wanted if not (catalog.get(m) and catalog.get(m).string))
    assert missing == []


def test_pages_of_an_empty_workspace(client):
    for path in PAGES:
        check_page_rules(client.get(path))
    assert "Nog geen thema’s" in client.get("/").get_data(as_text=True)


def test_scan_of_a_theme_before_it_existed(app, client):
    store = open_store(app.config["DATABASE_URL"])
    try:
        theme = store.add_node("demo", "Theme", "voorleesochtend", since="2025-01-01")
    finally:
        store.close()
    page = check_page_rules(client.get(f"/scan/{theme.id}?as_of=2024-06-01"))
    assert "Dit thema bestond op 1 juni 2024 nog niet." in page
    assert 'id="scan-data"' not in page
    page = check_page_rules(client.get(f"/scan/{theme.id}?as_of=2025-06-01"))
    assert [n["id"] for n in scan_data(page)["nodes"]] == [theme.id]
