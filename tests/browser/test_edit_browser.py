"""Werkblad 1–3 built in a real headless Chromium, in the browser only, in a new workspace:
two goals, a theme, six people and organisations (two with a bond with the library), an
activity, a channel and eight ties; then a strength changed, a tie ended, a change undone,
and every step found in the history. Everything typed is shown as text."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from mapper.i18n import format_date, use_language
from mapper.store import SQLiteStore, open_store
from tests.fixtures_web import SINGLE_USER
from web import create_app

pytestmark = pytest.mark.browser

WAIT = 30
XSS = "<img src=x onerror=alert(1)>"
XSS_TEXT = '<script>alert("beschrijving")</script><b class="xss">vet</b>'


@pytest.fixture
def live_app(tmp_path):
    """The app on a brand-new, empty workspace (as ``mapper init-workspace`` makes it)."""
    path = tmp_path / "werkplaats.db"
    store = SQLiteStore(path)
    store.create_workspace("werkplaats", "Bibliotheek Werkplaats")
    store.close()
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{path}",
            "WORKSPACE": "werkplaats",
            "SECRET_KEY": "test",
            **SINGLE_USER,
        }
    )


def assert_no_alert(browser) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    try:
        alert = browser.switch_to.alert
    except NoAlertPresentException:
        return
    text = alert.text
    alert.dismiss()
    pytest.fail(f"an alert fired: {text!r}")


class Sheet:
    """Filling in the worksheet forms like a person does: type, tick, choose, save."""

    def __init__(self, browser, base: str):
        self.b = browser
        self.base = base

    def open(self, path: str) -> None:
        self.b.get(self.base + path)
        assert_no_alert(self.b)

    def form(self, form_id: str):
        from selenium.webdriver.common.by import By

        element = self.b.find_element(By.ID, form_id)
        self.b.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
        return element

    def type(self, form_id: str, name: str, text: str) -> None:
        from selenium.webdriver.common.by import By

        field = self.form(form_id).find_element(By.NAME, name)
        field.clear()
        field.send_keys(text)

    def set_date(self, form_id: str, name: str, day: str) -> None:
        from selenium.webdriver.common.by import By

        field = self.form(form_id).find_element(By.NAME, name)
        self.b.execute_script("arguments[0].value = arguments[1];", field, day)

    def choose(self, form_id: str, name: str, *, value: str | None = None, text: str | None = None):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import Select

        select = Select(self.form(form_id).find_element(By.NAME, name))
        if value is not None:
            select.select_by_value(value)
        else:
            match = [o for o in select.options if o.text.startswith(text)]
            assert match, f"no option {text!r} in {name}: {[o.text for o in select.options]}"
            select.select_by_visible_text(match[0].text)

    def tick(self, form_id: str, name: str, label: str) -> None:
        from selenium.webdriver.common.by import By

        for box in self.form(form_id).find_elements(By.CSS_SELECTOR, f"input[name={name}]"):
            if box.find_element(By.XPATH, "..").text.strip() == label:
                if not box.is_selected():
                    box.click()
                return
        pytest.fail(f"no checkbox {label!r} for {name}")

    def pick_tie(self, tie_id: str) -> None:
        """Open a tie's change and end forms from the scan's list of ties (one tie at a time)."""
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait

        self.b.execute_script("document.getElementById('scan-ties').open = true;")
        # a long list comes when opened (scan_lazy.js): wait for its rows
        link = WebDriverWait(self.b, WAIT).until(
            lambda d: d.find_element(By.CSS_SELECTOR, f"#row-{tie_id} a.tie-edit")
        )
        self.b.execute_script("arguments[0].scrollIntoView({block: 'center'});", link)
        old = self.b.find_element(By.TAG_NAME, "html")
        link.click()
        WebDriverWait(self.b, WAIT).until(lambda d: _stale(old))
        WebDriverWait(self.b, WAIT).until(lambda d: d.find_elements(By.ID, f"tie-{tie_id}"))
        assert_no_alert(self.b)

    def save(self, form_id: str) -> str:
        """Submit the form; return the flashed message of the page it leads to."""
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait

        old = self.b.find_element(By.TAG_NAME, "html")
        self.form(form_id).find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        WebDriverWait(self.b, WAIT).until(lambda d: _stale(old))
        assert_no_alert(self.b)
        flashes = self.b.find_elements(By.CSS_SELECTOR, "p.flash")
        return " ".join(f.text for f in flashes)


def _stale(element) -> bool:
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException

    try:
        element.tag_name  # noqa: B018 - touching it tells whether the page changed
    except StaleElementReferenceException:
        return True
    except WebDriverException as exc:
        # Chromium sometimes says so in other words while the old page is being replaced.
        if "does not belong to the document" in str(exc):
            return True
        raise
    return False


def wait_for_map(browser) -> int:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    drawn = WebDriverWait(browser, WAIT).until(
        lambda d: d.find_element(By.ID, "scan-map").get_attribute("data-nodes-drawn")
    )
    return int(drawn)


def click_node(browser, node_id: str) -> None:
    """Click a point as a person does: the map is first moved so the point is in the middle
    (nothing of the map's own panels covers it there)."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    # Every point is clicked in the middle of the map: two clicks there within vis-network's
    # double-tap interval would read as one double click (which opens the entity page), and the
    # side panel the first click opens must have settled before the point is looked for.
    time.sleep(0.8)
    # ...and the point itself must be still: a map that is placing points it has just saved
    # (the first placements are posted after drawing) may still be moving them.
    last = None
    for _ in range(25):
        now = browser.execute_script(
            "var p = window.scanMap.network.getPositions([arguments[0]])[arguments[0]];"
            "return p ? [Math.round(p.x), Math.round(p.y)] : null;",
            node_id,
        )
        if now is not None and now == last:
            break
        last = now
        time.sleep(0.3)
    container = browser.find_element(By.ID, "scan-map")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", container)
    # The point is looked for the way the map finds what is clicked (map.pointAt: the drawn
    # point whose disc holds the pointer), zoomed in until that is this point.
    x, y = browser.execute_script(
        """
        var map = window.scanMap, net = map.network, box = arguments[1], id = arguments[0];
        var at = net.getPositions([id])[id], scales = [1.5, 2.5, 4], p = null;
        for (var i = 0; i < scales.length; i++) {
          net.moveTo({position: at, scale: scales[i], animation: false});
          p = net.canvasToDOM(at);
          if (String(map.pointAt(p)) === String(id)) { break; }
        }
        return [p.x - box.clientWidth / 2, p.y - box.clientHeight / 2];
        """,
        node_id,
        container,
    )
    ActionChains(browser).move_to_element_with_offset(container, round(x), round(y)).pause(
        0.2
    ).click().perform()


def test_build_worksheets_1_to_3_in_the_browser(live_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    sheet = Sheet(browser, live_server.url)
    today = dt.date.today().isoformat()
    url = live_server.app.config["DATABASE_URL"]

    # -- werkblad 1: the theme, then two goals about it
    sheet.open("/frame")
    sheet.type("add-theme", "name", "Eenzaamheid")
    sheet.type("add-theme", "detail_description", XSS_TEXT)
    assert "Opgeslagen" in sheet.save("add-theme")
    for goal in ("Iedereen doet mee", "Samen sterk in de wijk"):
        sheet.type("add-goal", "name", goal)
        sheet.tick("add-goal", "themes", "Eenzaamheid")
        assert "Opgeslagen" in sheet.save("add-goal")
    frame = browser.find_element(By.TAG_NAME, "main").text
    assert "Iedereen doet mee" in frame and "Samen sterk in de wijk" in frame
    # a goal renamed in place
    store = open_store(url)
    goal = store.lookup("werkplaats", "Samen sterk in de wijk", kind="Goal")
    store.close()
    browser.find_element(By.CSS_SELECTOR, f"#goal-{goal.id}-name").find_element(
        By.XPATH, "ancestor::details"
    ).find_element(By.TAG_NAME, "summary").click()
    sheet.type(f"goal-{goal.id}-name", "name", "Samen sterk in Noord")
    assert "Opgeslagen" in sheet.save(f"goal-{goal.id}-name")

    # -- werkblad 2: where the theme was seen in town
    sheet.open("/themes")
    sheet.choose("add-signal", "theme", text="Eenzaamheid")
    sheet.type("add-signal", "where", XSS)
    assert "Opgeslagen" in sheet.save("add-signal")
    assert f"{XSS} ({today})" in browser.find_element(By.TAG_NAME, "main").text

    store = open_store(url)
    theme = store.lookup("werkplaats", "Eenzaamheid", kind="Theme")
    store.close()

    # -- werkblad 3: a channel, six people and organisations, an activity
    scan = f"/scan/{theme.id}"
    sheet.open(scan)
    sheet.type("add-channel", "name", "Facebookgroep Noord")
    assert "Opgeslagen" in sheet.save("add-channel")
    parties = [
        ("Organisation", "Repair Café Noord", "4", "4"),
        ("Organisation", "Buurthuis De Kern", "3", None),
        ("Organisation", "Stichting Welzijn Noord", "2", None),
        ("Person", "Fatma Yılmaz", "5", None),
        ("Person", "Jan de Vries", "3", None),
        ("Person", XSS, "1", None),
    ]
    for kind, name, active, bond in parties:
        sheet.choose("add-party", "kind", value=kind)
        sheet.type("add-party", "name", name)
        sheet.choose("add-party", "theme_strength", value=active)
        if name == "Jan de Vries":
            sheet.tick("add-party", "channels", "Facebookgroep Noord")
        if bond:
            sheet.tick("add-party", "bond", "Ja, er is een band met de bibliotheek")
            sheet.choose("add-party", "bond_strength", value=bond)
        if kind == "Person":
            sheet.choose("add-party", "detail_lawful_basis", value="consent")
            sheet.type("add-party", "detail_data_source", f"workshop {XSS}")
        assert "Opgeslagen" in sheet.save("add-party")

    # a form with an error keeps what was typed, with the message next to the field
    sheet.type("add-party", "name", "x" * 201)
    sheet.type("add-party", "detail_description", "wat ik typte " + XSS_TEXT)
    sheet.save("add-party")
    assert browser.current_url.endswith("#add-party")
    error = browser.find_element(By.ID, "add-party-name-error")
    assert "Vul een naam in" in error.text
    assert browser.find_element(By.CSS_SELECTOR, "#add-party [name=name]").get_attribute(
        "aria-invalid"
    )
    assert (
        browser.find_element(By.CSS_SELECTOR, "#add-party [name=detail_description]").get_attribute(
            "value"
        )
        == "wat ik typte " + XSS_TEXT
    )
    assert browser.execute_script("return document.querySelectorAll('img, b.xss').length;") == 0

    sheet.open(scan)
    sheet.type("add-activity", "name", "Repair-middag")
    sheet.choose("add-activity", "organisers", text="Repair Café Noord")
    sheet.choose("add-activity", "channels", text="Facebookgroep Noord")
    assert "Opgeslagen" in sheet.save("add-activity")

    store = open_store(url)
    ids = {n.name: n.id for n in store.nodes("werkplaats")}
    store.close()

    # -- eight ties: the first picked on the map, the others chosen in the form
    wait_for_map(browser)
    pick = browser.find_element(By.ID, "pick-on-map")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", pick)
    pick.click()
    click_node(browser, ids["Fatma Yılmaz"])
    WebDriverWait(browser, WAIT).until(
        lambda d: (
            d.find_element(By.CSS_SELECTOR, "#add-tie [name=source]").get_attribute("value")
            == ids["Fatma Yılmaz"]
        )
    )
    # The second point is picked on the map too: Jan may sit beside the theme, whose big
    # diamond once took the click (vis-network's bounding-square hit test; see map.pointAt).
    click_node(browser, ids["Jan de Vries"])
    WebDriverWait(browser, WAIT).until(
        lambda d: (
            d.find_element(By.CSS_SELECTOR, "#add-tie [name=target]").get_attribute("value")
            == ids["Jan de Vries"]
        )
    )
    assert "/scan/" in browser.current_url  # picking did not open an entity page
    assert (
        browser.find_element(By.CSS_SELECTOR, "#add-tie [name=target]").get_attribute("value")
        == ids["Jan de Vries"]
    )
    sheet.choose("add-tie", "kind", value="KNOWS")
    sheet.choose("add-tie", "strength", value="3")
    assert "Opgeslagen" in sheet.save("add-tie")

    ties = [
        ("Jan de Vries", "MEMBER_OF", "Buurthuis De Kern", "3"),
        ("Fatma Yılmaz", "ATTENDS", "Repair-middag", "2"),
        ("Stichting Welzijn Noord", "ACTIVE_IN", "Facebookgroep Noord", ""),
        ("Buurthuis De Kern", "ORGANISES", "Repair-middag", ""),
        ("Stichting Welzijn Noord", "MEMBER_OF", "Buurthuis De Kern", "2"),
        (XSS, "KNOWS", "Fatma Yılmaz", "4"),
        # a bond chosen the other way round: the form turns it to go from the library
        ("Fatma Yılmaz", "BOND_WITH", "Bibliotheek Werkplaats", "4"),
    ]
    for source, kind, target, strength in ties:
        sheet.choose("add-tie", "source", value=ids[source])
        sheet.choose("add-tie", "kind", value=kind)
        sheet.choose("add-tie", "target", value=ids[target])
        sheet.choose("add-tie", "strength", value=strength)
        assert "Opgeslagen" in sheet.save("add-tie"), (source, kind, target)

    # a tie that cannot be: the message says so, and the choices are kept
    sheet.choose("add-tie", "source", value=ids["Facebookgroep Noord"])
    sheet.choose("add-tie", "kind", value="KNOWS")
    sheet.choose("add-tie", "target", value=ids["Repair-middag"])
    sheet.save("add-tie")
    assert (
        "kan niet tussen Kanaal en Activiteit"
        in browser.find_element(By.ID, "add-tie-kind-error").text
    )
    assert (
        browser.find_element(By.CSS_SELECTOR, "#add-tie [name=source]").get_attribute("value")
        == ids["Facebookgroep Noord"]
    )

    # -- the map and the tables show it all
    sheet.open(scan)
    drawn = wait_for_map(browser)
    assert drawn == 1 + 6 + 1 + 1 + 1  # theme, six, activity, channel, library
    people = browser.find_element(By.ID, "individuals").text
    organisations = browser.find_element(By.ID, "organisations").text
    for name in ("Fatma Yılmaz", "Jan de Vries", XSS):
        assert name in people
    for name in ("Repair Café Noord", "Buurthuis De Kern", "Stichting Welzijn Noord"):
        assert name in organisations
    assert "Facebookgroep Noord" in people  # Jan is active in it
    bonded = browser.find_elements(By.CSS_SELECTOR, "#organisations tr.bond, #individuals tr.bond")
    assert len(bonded) == 2  # Repair Café (in its form) and Fatma (by the tie added above)
    store = open_store(url)
    made = [t for t in store.ties("werkplaats") if t.kind.value not in ("PURSUES",)]
    store.close()
    # 2 goals about the theme, the library and the channel on it, 6 active on it, 1 bond in
    # a form, Jan's channel, the activity's organiser, channel and theme, and the eight ties
    assert len(made) == 2 + 2 + 6 + 1 + 1 + 3 + 8

    # -- change a strength (Fatma knows Jan: from "redelijk" to "zeer sterk")
    store = open_store(url)
    knows = next(
        t
        for t in store.ties("werkplaats", node=ids["Jan de Vries"], kind="KNOWS")
        if ids["Fatma Yılmaz"] in (t.source, t.target)
    )
    channel_tie = next(
        t for t in store.ties("werkplaats", node=ids["Jan de Vries"], kind="ACTIVE_IN")
    )
    store.close()
    # Only the chosen tie carries its forms: the other rows are a link each.
    assert not browser.find_elements(By.ID, f"tie-{knows.id}")
    sheet.pick_tie(knows.id)
    assert len(browser.find_elements(By.CSS_SELECTOR, "#scan-ties form")) == 2
    sheet.choose(f"tie-{knows.id}", "strength", value="5")
    assert "Opgeslagen" in sheet.save(f"tie-{knows.id}")
    # -- end a tie (Jan no longer in the Facebook group, from today)
    sheet.pick_tie(channel_tie.id)
    assert "Opgeslagen" in sheet.save(f"tie-{channel_tie.id}-end")
    assert "Facebookgroep Noord" not in browser.find_element(By.ID, "individuals").text

    # -- undo: the strength change goes back, as a new version
    recent = browser.find_element(By.ID, "recent-changes")
    rows = recent.find_elements(By.TAG_NAME, "li")
    changed = next(r for r in rows if "verbinding gewijzigd" in r.text)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", changed)
    old = browser.find_element(By.TAG_NAME, "html")
    changed.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, WAIT).until(lambda d: _stale(old))
    assert "Ongedaan gemaakt" in browser.find_element(By.CSS_SELECTOR, "p.flash").text
    assert "ongedaan gemaakt" in browser.find_element(By.ID, "recent-changes").text

    # -- entity page: edit every field of a person, then find every step in the history
    sheet.open(f"/entity/{ids['Fatma Yılmaz']}")
    sheet.choose("edit-entity", "detail_lawful_basis", value="public_task")
    sheet.type("edit-entity", "detail_data_source", "gesprek in de bibliotheek")
    sheet.type("edit-entity", "detail_neighbourhood", "Noord")
    sheet.type("edit-entity", "origin", XSS)
    assert "Opgeslagen" in sheet.save("edit-entity")
    details = browser.find_element(By.CSS_SELECTOR, "dl.details").text
    assert "Noord" in details and "gesprek in de bibliotheek" in details
    history = browser.find_element(By.ID, "node-history").text
    assert "workshop " + XSS in history and "gesprek in de bibliotheek" in history
    tie_rows = [
        r.text
        for r in browser.find_elements(By.CSS_SELECTOR, "#tie-history tbody tr")
        if "Jan de Vries" in r.text and "kent" in r.text
    ]
    assert len(tie_rows) == 3, tie_rows  # redelijk, zeer sterk (replaced), redelijk again
    assert sum("zeer sterk" in r for r in tie_rows) == 1
    audit = browser.find_element(By.CSS_SELECTOR, "section.audit").text
    assert "toegevoegd" in audit and "gewijzigd" in audit

    sheet.open(f"/entity/{ids['Jan de Vries']}")
    ended = [
        r.text
        for r in browser.find_elements(By.CSS_SELECTOR, "#tie-history tbody tr")
        if "Facebookgroep Noord" in r.text
    ]
    with use_language("nl"):
        written = format_date(dt.date.today())  # dates on the pages are written out
    assert ended and "beëindigd" in ended[0] and written in ended[0]

    # everything typed is shown as text, and nothing ran
    for path in ("/frame", "/themes", scan, f"/entity/{theme.id}", f"/entity/{ids[XSS]}"):
        sheet.open(path)
        assert browser.execute_script("return document.querySelectorAll('img, b.xss').length;") == 0
        assert_no_alert(browser)
    sheet.open(f"/entity/{theme.id}")
    assert XSS_TEXT in browser.find_element(By.CSS_SELECTOR, "dl.details").text
    sheet.open(f"/entity/{ids[XSS]}")
    assert browser.find_element(By.CSS_SELECTOR, "h1 .entity-name").text == XSS


def test_quick_add_shows_what_exists_and_adds_the_rest(live_server, browser):
    from selenium.webdriver.common.by import By

    store = open_store(live_server.app.config["DATABASE_URL"])
    store.add_node("werkplaats", "Organisation", "Stichting Repair Café")
    store.add_node("werkplaats", "Person", "Anna de Boer")
    store.close()
    sheet = Sheet(browser, live_server.url)
    sheet.open("/quick-add")
    sheet.type(
        "quick-add",
        "names",
        "Repair Cafe, organisatie\nAnna de Boer, persoon\nBuurthuis De Kern\n" + XSS + ", persoon",
    )
    sheet.save("quick-add")
    rows = {
        r.get_attribute("id"): r.get_attribute("class")
        for r in browser.find_elements(By.CSS_SELECTOR, "#quick-lines tbody tr")
    }
    assert rows == {"line-1": "similar", "line-2": "exists", "line-3": "new", "line-4": "new"}
    assert "Stichting Repair Café" in browser.find_element(By.ID, "line-1").text
    assert XSS in browser.find_element(By.ID, "line-4").text
    old = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.CSS_SELECTOR, "button[value=add]").click()
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, WAIT).until(lambda d: _stale(old))
    assert "Opgeslagen" in browser.find_element(By.CSS_SELECTOR, "p.flash").text
    store = open_store(live_server.app.config["DATABASE_URL"])
    names = sorted(n.name for n in store.nodes("werkplaats"))
    store.close()
    assert names == sorted(["Stichting Repair Café", "Anna de Boer", "Buurthuis De Kern", XSS])
    assert browser.execute_script("return document.querySelectorAll('img').length;") == 0
    assert_no_alert(browser)
