"""The community pages on the demo town through the Flask test client: definition, members,
roles, SMART goals, charts with tables, what changed, the map with its month step, the
readiness check — and every form posted with its CSRF token. (The community map in headless
Chromium: ``tests/browser/test_community_browser.py``.)"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from mapper import communities as com
from mapper.analysis.community import community_changes, connectedness_series, series_dates
from mapper.analysis.readiness import QUESTIONS, SETTINGS_KEY
from mapper.i18n import format_date, use_language
from mapper.store import open_store

XSS = "<img src=x onerror=alert(1)>"


def store_of(app):
    return open_store(app.config["DATABASE_URL"])


def community_ids(app) -> dict[str, str]:
    store = store_of(app)
    try:
        return {n.name: n.id for n in com.communities(store.workspace("demo"))}
    finally:
        store.close()


class _FormParser(HTMLParser):
    """The fields of one form in a page, with the values a browser would send by default."""

    def __init__(self, form_id: str | None):
        super().__init__()
        self.form_id, self.inside, self.found = form_id, False, False
        self.action: str | None = None
        self.fields: dict[str, Any] = {}
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if (
            tag == "form"
            and not self.found
            and (self.form_id is None or a.get("id") == self.form_id)
        ):
            self.inside, self.found, self.action = True, True, a.get("action")
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.setdefault(name, []).append(a.get("value", "on"))
            elif kind != "submit":
                self.fields[name] = a.get("value", "")
        elif tag == "select" and name:
            self.select = name
            self.fields.setdefault(name, None)
        elif tag == "option" and self.select:
            if self.fields[self.select] is None or "selected" in a:
                self.fields[self.select] = a.get("value", "")
        elif tag == "textarea" and name:
            self.textarea = name
            self.fields[name] = ""

    def handle_data(self, data):
        if self.inside and self.textarea:
            self.fields[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def submit(client, html: str, form_id: str | None = None, url: str | None = None, **changes: Any):
    """POST the form ``form_id`` of ``html`` as a browser would, with some fields changed
    (``None`` leaves a field out); field names are given with ``-`` as ``__``."""
    parser = _FormParser(form_id)
    parser.feed(html)
    assert parser.found, form_id
    data = {k: v for k, v in parser.fields.items() if v is not None}
    for key, value in changes.items():
        key = key.replace("__", "-")
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return client.post(url or parser.action, data=data)


@pytest.fixture
def ids(demo_app):
    return community_ids(demo_app)


# --------------------------------------------------------------------------- reading


def test_communities_list_has_the_three_demo_communities(demo_client, ids):
    html = demo_client.get("/communities/").get_data(as_text=True)
    assert len(ids) == 3
    for _name, cid in ids.items():
        assert f'href="/communities/{cid}"' in html
    table = html[html.index('<table id="communities">') : html.index("</table>")]
    assert table.count('<th scope="row">') == 3
    assert "Binnen twee stappen van de bibliotheek" in table  # Dutch by default


def test_community_page_has_definition_members_roles_goals_and_charts(demo_client, ids):
    cid = ids["Taalmaatjes Rijnstad"]
    response = demo_client.get(f"/communities/{cid}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for text in (
        "Definitie",
        "Leden",
        "Rollen van de bibliotheek",
        "SMART-doelen",
        "Verbondenheid door de tijd",
        "identiteit (wie mensen zijn)",
        "Iedereen in Rijnstad kan meedoen",
        "Minstens 50 leden aan het eind van het jaar",
    ):
        assert text in html, text
    assert html.count('<svg class="chart"') >= 8 + 2  # eight connectedness charts, two goals
    # every chart has a table beside it
    assert html.count('class="chart-pair"') == html.count('class="chart-table"')
    assert "bouwer" in html and "verbinder" in html and "aanjager" in html


def test_chart_tables_hold_the_series(demo_app, demo_client, ids):
    cid = ids["Repair & Reuse Rijnstad"]
    html = demo_client.get(f"/communities/{cid}?from=2025-06-01&to=2026-06-01&lang=en").get_data(
        as_text=True
    )
    store = store_of(demo_app)
    try:
        history = com.load_history(store.workspace("demo"))
    finally:
        store.close()
    points = connectedness_series(history, cid, series_dates("2025-06-01", "2026-06-01"))
    block = html[html.index('id="chart-0"') : html.index('id="chart-1"')]
    rows = re.findall(
        r'<tr><th scope="row">([^<]+)</th><td class="num">([0-9,.]+)</td><td class="num">([0-9,.]+)</td>',
        block,
    )
    with use_language("en"):  # the dates written out, as the page (in English) shows them
        expected = [(format_date(p["date"]), p["members"], p["ambassadors"]) for p in points]
    assert [(d, int(m), int(a)) for d, m, a in rows] == expected
    assert len(re.findall(r"<circle ", block)) == 2 * len(points)
    assert points[-1]["members"] > points[0]["members"]  # the demo history shows growth


def test_empty_driver_role_is_flagged(demo_client, ids):
    html = demo_client.get(f"/communities/{ids['Samen in de Wijk']}").get_data(as_text=True)
    driver = html[html.index('id="role-driver"') :]
    driver = driver[: driver.index("</li>")]
    assert "Niemand heeft deze rol." in driver and 'class="role empty"' in html


def test_english_interface(demo_client, ids):
    html = demo_client.get(f"/communities/{ids['Samen in de Wijk']}?lang=en").get_data(as_text=True)
    assert (
        "Library roles" in html
        and "Nobody has this role." in html
        and "Connectedness over time" in html
    )


def test_goal_status_is_shown(demo_client, ids):
    html = demo_client.get(
        f"/communities/{ids['Samen in de Wijk']}?as_of=2026-11-01&lang=en"
    ).get_data(as_text=True)
    goal = html[html.index('class="goal ') :]
    assert "30 buren doen mee" in goal
    assert re.search(r"badge status (met|on_track|behind|missed)", goal)


def test_changes_page_lists_what_changed(demo_app, demo_client, ids):
    cid = ids["Samen in de Wijk"]
    html = demo_client.get(
        f"/communities/{cid}/changes?from=2026-05-01&to=2026-11-01&lang=en"
    ).get_data(as_text=True)
    store = store_of(demo_app)
    try:
        history = com.load_history(store.workspace("demo"))
    finally:
        store.close()
    expected = com.describe(history, community_changes(history, cid, "2026-05-01", "2026-11-01"))
    assert expected["new_members"] and expected["new_ties"]  # the demo's history shows change
    keys = list(expected)
    for key, following in zip(keys, keys[1:] + [None]):
        section = html[
            html.index(f'id="{key}"') : html.index(f'id="{following}"') if following else None
        ]
        assert f'<span class="badge">{len(expected[key])}</span>' in section
        for row in expected[key]:
            name = row.get("name") or row["a"]
            assert name.replace("'", "&#39;") in section, (key, name)


def test_map_as_of_a_date_with_month_steps(demo_client, ids):
    cid = ids["Taalmaatjes Rijnstad"]
    response = demo_client.get(f"/communities/{cid}/map?as_of=2026-03-01")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="scan-data"' in html and "scan.js" in html
    assert f"/communities/{cid}/map?as_of=2026-02-01" in html  # a month earlier
    assert f"/communities/{cid}/map?as_of=2026-04-01" in html  # a month later
    assert 'aria-current="page">mrt 2026</a>' in html
    earlier = demo_client.get(f"/communities/{cid}/map?as_of=2024-06-01").get_data(as_text=True)
    assert earlier.count("<tr") < html.count("<tr")  # fewer on the map two years earlier
    before = demo_client.get(
        f"/communities/{ids['Samen in de Wijk']}/map?as_of=2024-01-01"
    ).get_data(as_text=True)
    assert "bestond op 1 januari 2024 nog niet" in before


def test_bad_dates_are_flashed_not_errors(demo_client, ids):
    cid = ids["Taalmaatjes Rijnstad"]
    response = demo_client.get(f"/communities/{cid}?from=gisteren&every=day&lang=en")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "gisteren is not a date" in html and "Step day is not month or week" in html
    assert demo_client.get("/communities/com-doesnotexist").status_code == 404


# --------------------------------------------------------------------------- forms


def test_post_without_csrf_token_changes_nothing(demo_app, demo_client, ids):
    cid = ids["Samen in de Wijk"]
    store = store_of(demo_app)
    try:
        staff = next(iter(store.workspace("demo").nodes(kind="Staff"))).id
    finally:
        store.close()
    html = demo_client.get(f"/communities/{cid}").get_data(as_text=True)
    response = submit(
        demo_client,
        html,
        "role-form-driver",
        driver__csrf_token=None,
        driver__staff=staff,
        driver__on="2026-11-01",
    )
    # refused by the app's CSRF check (400), or else by the form itself (error, redirect)
    assert response.status_code in (400, 302)
    if response.status_code == 302:
        page = demo_client.get(response.headers["Location"]).get_data(as_text=True)
        assert "CSRF" in page
    html = demo_client.get(f"/communities/{cid}").get_data(as_text=True)
    assert 'class="role empty" id="role-driver"' in html


def test_role_form_fills_the_empty_role_and_keeps_history(demo_app, demo_client, ids):
    cid = ids["Samen in de Wijk"]
    html = demo_client.get(f"/communities/{cid}").get_data(as_text=True)
    store = store_of(demo_app)
    try:
        ws = store.workspace("demo")
        staff = {n.name: n.id for n in ws.nodes(kind="Staff")}
    finally:
        store.close()
    response = submit(
        demo_client,
        html,
        "role-form-driver",
        driver__staff=staff["Priya Ramdin"],
        driver__on="2026-11-10",
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("#roles")
    page = demo_client.get(f"/communities/{cid}?as_of=2026-11-10").get_data(as_text=True)
    driver = page[page.index('id="role-driver"') :]
    assert "Priya Ramdin" in driver[: driver.index("</li>")]
    # hand the role over: the first holder's tie ends, it is not overwritten
    page = demo_client.get(f"/communities/{cid}").get_data(as_text=True)
    submit(
        demo_client,
        page,
        "role-form-driver",
        driver__staff=staff["Anouk de Groot"],
        driver__on="2026-11-20",
    )
    store = store_of(demo_app)
    try:
        ties = [
            t
            for t in store.workspace("demo").ties(node=cid, kind="HAS_ROLE", history=True)
            if t.role == "driver"
        ]
    finally:
        store.close()
    assert {
        (t.source, t.since.isoformat(), t.until.isoformat() if t.until else None) for t in ties
    } == {
        (staff["Priya Ramdin"], "2026-11-10", "2026-11-20"),
        (staff["Anouk de Groot"], "2026-11-20", None),
    }


def test_member_forms_add_and_record_leaving(demo_app, demo_client, ids):
    cid = ids["Samen in de Wijk"]
    store = store_of(demo_app)
    try:
        ws = store.workspace("demo")
        evil = ws.add_node("Person", XSS).id
    finally:
        store.close()
    html = demo_client.get(f"/communities/{cid}").get_data(as_text=True)
    response = submit(
        demo_client, html, "add-member", member=evil, role="ambassador", since="2026-11-05"
    )
    assert response.status_code == 302
    page = demo_client.get(f"/communities/{cid}?as_of=2026-11-06").get_data(as_text=True)
    assert XSS not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    response = submit(
        demo_client, page, "change-member", member=evil, change="leave", on="2026-11-08"
    )
    assert response.status_code == 302
    store = store_of(demo_app)
    try:
        (tie,) = [t for t in store.workspace("demo").ties(node=evil, kind="MEMBER_OF")]
    finally:
        store.close()
    assert (tie.since, tie.until, tie.role) == (
        dt.date(2026, 11, 5),
        dt.date(2026, 11, 8),
        "ambassador",
    )


def test_definition_form_saves_through_the_store(demo_app, demo_client, ids):
    cid = ids["Repair & Reuse Rijnstad"]
    html = demo_client.get(f"/communities/{cid}/edit").get_data(as_text=True)
    parser = _FormParser("definition-form")
    parser.feed(html)
    assert parser.fields["themes"] and parser.fields["channels"], "the current links are ticked"
    assert (
        parser.fields["name"] == "Repair & Reuse Rijnstad"
        and parser.fields["bond_type"] == "affinity"
    )
    # untick the channels, keep the rest as the form shows it
    response = submit(
        demo_client,
        html,
        "definition-form",
        url=f"/communities/{cid}/edit",
        channels=None,
        own_goals="Elke maand een reparatiemiddag",
        norms="Iedereen helpt iedereen",
        vision=XSS,
        on="2026-11-01",
    )
    assert response.status_code == 302
    page = demo_client.get(f"/communities/{cid}").get_data(as_text=True)
    assert "Iedereen helpt iedereen" in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    store = store_of(demo_app)
    try:
        ws = store.workspace("demo")
        versions = ws.node_history(cid)
        channels = [t for t in ws.ties(node=cid, kind="ACTIVE_IN") if t.source == cid]
    finally:
        store.close()
    assert len(versions) == 2 and versions[-1].props["norms"] == "Iedereen helpt iedereen"
    assert channels and all(t.until == dt.date(2026, 11, 1) for t in channels)  # unticked: ended


def add_goal(client, html: str, name: str, metric: str, target: str):
    """Post the page's SMART goal form: ``name`` measured by ``metric`` to ``target`` in 2026."""
    return submit(
        client,
        html,
        "add-goal",
        goal__name=name,
        goal__metric=metric,
        goal__target=target,
        goal__start="2026-01-01",
        goal__deadline="2026-12-31",
    )


def test_goal_forms_add_a_goal_and_a_hand_measurement(demo_client, ids):
    cid = ids["Taalmaatjes Rijnstad"]
    html = demo_client.get(f"/communities/{cid}").get_data(as_text=True)
    response = add_goal(demo_client, html, "5 leden die maandelijks posten", "manual", "5")
    assert response.status_code == 302
    page = demo_client.get(f"/communities/{cid}?lang=en").get_data(as_text=True)
    goal = page[page.index("<h3>5 leden die maandelijks posten") :]
    assert "not measured yet" in goal[:400] and "hand-entered measurements" in goal[:2000]
    goal_id = re.search(r'action="/goals/([^"]+)/measurements"', goal).group(1)
    response = submit(
        demo_client,
        page,
        f"measure-{goal_id}",
        **{
            f"m-{goal_id}-date": "2026-06-01",
            f"m-{goal_id}-value": "5",
            f"m-{goal_id}-note": "telling",
        },
    )
    assert response.status_code == 302
    page = demo_client.get(f"/communities/{cid}?lang=en").get_data(as_text=True)
    goal = page[page.index("<h3>5 leden die maandelijks posten") :]
    assert "badge status met" in goal[:600]
    # a bad target is refused with the value named
    html = demo_client.get(f"/communities/{cid}?lang=en").get_data(as_text=True)
    response = submit(
        demo_client,
        html,
        "add-goal",
        goal__name="Veel",
        goal__metric="members",
        goal__target="veel",
        goal__deadline="2026-12-31",
    )
    # shown again at once (422), with what was typed, not after a redirect
    assert response.status_code == 422
    assert "target &#39;veel&#39; is not a number" in response.get_data(as_text=True)


def test_a_goal_chart_escapes_its_name_and_has_its_table(demo_client, ids):
    """The goal's name is the chart's name (its SVG title) and its table's: shown as text.
    Each dot of the chart is a row of the table beside it."""
    cid = ids["Taalmaatjes Rijnstad"]
    html = demo_client.get(f"/communities/{cid}").get_data(as_text=True)
    name = f'{XSS}"></title></svg><b>'
    response = add_goal(demo_client, html, name, "members", "40")
    assert response.status_code == 302
    page = demo_client.get(f"/communities/{cid}").get_data(as_text=True)
    assert XSS not in page and "<b>" not in page
    shown = "&lt;img src=x onerror=alert(1)&gt;&#34;&gt;&lt;/title&gt;&lt;/svg&gt;&lt;b&gt;"
    start = page.index(f">{shown}</title>")  # the chart's name
    pair = page[page.rindex('<div class="chart-pair">', 0, start) : page.index("</table>", start)]
    assert f">{shown}</title>" in pair and f'aria-label="Metingen van {shown}"' in pair
    dots = re.findall(r"<circle [^>]*><title>([^<]+): gemeten (\d+)</title>", pair)
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td class="num">(\d+)</td>', pair)
    assert dots and len(dots) == len(rows)
    assert [v for _d, v in dots] == [v for _d, v in rows]


def test_new_community_form(demo_client):
    html = demo_client.get("/communities/").get_data(as_text=True)
    response = submit(
        demo_client, html, "new-community", name="Leesclub Zuid", bond_type="geography"
    )
    assert response.status_code == 302
    page = demo_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Leesclub Zuid" in page and "geografie" in page


def test_readiness_check_is_answered_and_stored_per_library(demo_app, demo_client):
    html = demo_client.get("/readiness").get_data(as_text=True)
    assert html.count("<fieldset>") == 8 and "bouwsteen" in html
    answers = {q.key: ("yes" if i < 5 else "no") for i, q in enumerate(QUESTIONS)}
    response = submit(demo_client, html, "readiness-form", url="/readiness", **answers)
    assert response.status_code == 302
    page = demo_client.get("/readiness").get_data(as_text=True)
    assert "je kunt aan de slag" in page
    assert "Kijk of er een plek is waar een community kan samenkomen" in page  # advice for "venue"
    store = store_of(demo_app)
    try:
        stored = store.get_workspace("demo").settings[SETTINGS_KEY]
    finally:
        store.close()
    assert sum(stored["answers"].values()) == 5 and len(stored["answers"]) == 8
    # without the CSRF token nothing is stored (refused by the app, or by the form)
    response = demo_client.post("/readiness", data={q.key: "no" for q in QUESTIONS})
    assert response.status_code in (400, 200)
    store = store_of(demo_app)
    try:
        assert store.get_workspace("demo").settings[SETTINGS_KEY] == stored
    finally:
        store.close()


# --------------------------------------------------------------------------- translations


def test_every_message_has_a_dutch_translation():
    from babel.messages.extract import extract_from_file
    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parent.parent.parent / "web"
    translated = set()
    for name in ("community.po", "forms.po"):  # forms.po: the forms' and empty states' words
        with open(root / "translations" / "nl" / name, "rb") as fh:
            translated |= {m.id for m in read_po(fh) if m.id and m.string}
    files = [("python", p) for p in sorted(root.glob("community*.py"))] + [
        ("jinja2.ext:babel_extract", p)
        for p in sorted((root / "templates" / "community").glob("*.html"))
    ]
    missing = []
    for method, path in files:
        options = {"extensions": "jinja2.ext.i18n"} if method != "python" else {}
        for _, message, _, _ in extract_from_file(
            method, str(path), keywords={"_": None, "_l": None}, options=options
        ):
            if message not in translated:
                missing.append((path.name, message))
    assert not missing
