"""What the pages derive from the shared projection and keep across requests (web/db.py
``derived``: the theme scan, the counts, the warm-contact rankings, the recent changes and an
entity's audit entries) equals what a fresh projection gives, after writes through the app's
store, through another store object on the same file (another process's writes are noticed
the same way: by the change mark) and after contact moments; and the pages show the writes at
once."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from mapper.analysis.scan import theme_scan
from mapper.analysis.strength import annotate_strengths
from mapper.services.warm import warm_contacts
from mapper.store import open_store
from web import db as web_db
from web import edit as web_edit
from web import views
from web import warm as web_warm


@pytest.fixture
def other(demo_app):
    """Another store on the app's file: writes the app did not make itself."""
    store = open_store(demo_app.config["DATABASE_URL"])
    yield store
    store.close()


def fresh_graph(store):
    return store.project("demo", as_of=dt.date.today())


def rows_picture(rows):
    return [
        (r.theme, r.name, r.status, sorted(r.goals), dict(r.counts), r.in_library, r.in_town)
        for r in rows
    ]


def derived_now(app, compute):
    """``compute()`` inside a request of the app (what a page would see now)."""
    with app.test_request_context("/"):
        app.preprocess_request()
        try:
            return compute()
        finally:
            app.do_teardown_request()
            app.do_teardown_appcontext()


def a_theme(store):
    return sorted(store.nodes("demo", kind="Theme"), key=lambda n: n.name)[0]


def a_person_on(store, theme_id):
    for tie in sorted(store.ties("demo", node=theme_id), key=lambda t: t.id):
        other_end = tie.other(theme_id)
        if store.get_node("demo", other_end).kind.value == "Person":
            return other_end
    raise AssertionError("a person on the theme")


def writes(store, theme_id):
    """One of each kind of write a page must notice."""
    person = a_person_on(store, theme_id)
    org = sorted(store.nodes("demo", kind="Organisation"), key=lambda n: n.id)[0]
    today = dt.date.today()
    yield "new theme", lambda: store.add_node("demo", "Theme", "Zz nieuw thema")
    yield (
        "tie to the theme",
        lambda: store.add_tie(
            "demo", "ACTIVE_ON", org.id, theme_id, strength=0.8, since=today - dt.timedelta(1)
        ),
    )
    tie = next(t for t in store.ties("demo", node=person) if t.until is None)
    yield "strength changed", lambda: store.change_tie("demo", tie.id, on=today, strength=0.2)
    yield "tie ended", lambda: store.end_tie("demo", tie.id, on=today)
    staff = sorted(store.nodes("demo", kind="Staff"), key=lambda n: n.id)[0]
    yield (
        "contact moment",
        lambda: store.add_contact("demo", staff.id, person, on=today, mode="in_person"),
    )
    tied = {t.other(staff.id) for t in store.ties("demo", node=staff.id)}
    stranger = next(
        n.id
        for n in sorted(store.nodes("demo", kind="Person"), key=lambda n: n.id)
        if n.id not in tied and n.id != person
    )
    yield (
        "a tie whose strength comes from the contact log",
        lambda: store.add_tie(
            "demo", "KNOWS", staff.id, stranger, strength=None, since=today - dt.timedelta(30)
        ),
    )
    yield (
        "contact moment on that tie",
        lambda: store.add_contact("demo", staff.id, stranger, on=today, mode="in_person"),
    )
    yield "renamed", lambda: store.update_node("demo", person, name="Hernoemd Persoon")
    yield "ended", lambda: store.update_node("demo", org.id, until=today)
    yield "erased", lambda: store.erase_node("demo", stranger)


def test_derived_views_equal_a_fresh_projection_after_every_write(demo_app, other):
    theme = a_theme(other)
    day = dt.date.today()

    def check():
        graph = fresh_graph(other)
        got = derived_now(demo_app, lambda: views.scan_rows(day))
        assert rows_picture(got) == rows_picture(theme_scan(graph))
        counts = derived_now(demo_app, views.workspace_counts)
        assert counts == other.counts("demo")
        total = derived_now(demo_app, views.entity_total)
        assert total == sum(v for k, v in counts.items() if k not in ("ties", "contacts"))
        ranked = derived_now(
            demo_app,
            lambda: web_warm.ranking(web_db.current_workspace(), theme, day, 20),
        )
        fresh = graph.copy()
        annotate_strengths(fresh, other.contacts("demo", until=day), as_of=day)
        expected = warm_contacts(other.workspace("demo"), theme, as_of=day, limit=20, graph=fresh)
        assert [(c.id, round(c.score, 9)) for c in ranked.contacts] == [
            (c.id, round(c.score, 9)) for c in expected.contacts
        ]

    check()
    for what, write in writes(other, theme.id):
        write()
        try:
            check()
        except AssertionError as exc:
            raise AssertionError(f"after: {what}") from exc


def test_a_kept_value_is_kept_while_nothing_is_written(demo_app):
    day = dt.date.today()
    first = derived_now(demo_app, lambda: views.scan_rows(day))
    again = derived_now(demo_app, lambda: views.scan_rows(day))
    assert again is first  # one computation for every request on the same snapshot


def test_scan_ties_equal_the_edit_helper(demo_app, other):
    graph = fresh_graph(other)
    theme = a_theme(other)
    nodes = {theme.id, *graph.predecessors(theme.id), *graph.successors(theme.id)}
    with demo_app.test_request_context("/"):
        assert views.scan_ties(graph, nodes) == web_edit.scan_ties(graph, nodes)
        assert views.scan_ties(graph, []) == []


def page_text(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_pages_show_another_writers_changes_at_once(demo_client, other):
    theme = a_theme(other)
    person = a_person_on(other, theme.id)
    for path in ("/", "/themes", f"/entity/{person}", f"/warm-contacts/{theme.id}"):
        page_text(demo_client, path)  # computed and kept
    other.add_node("demo", "Theme", "Thema van een ander proces")
    assert "Thema van een ander proces" in page_text(demo_client, "/themes")
    other.update_node("demo", person, name="Nieuwe Naam Van Elders")
    assert "Nieuwe Naam Van Elders" in page_text(demo_client, f"/entity/{person}")
    assert "Nieuwe Naam Van Elders" in page_text(demo_client, f"/warm-contacts/{theme.id}")
    # the entity's audit entries (kept per snapshot) show the rename
    entity = page_text(demo_client, f"/entity/{person}")
    assert len(re.findall(r"Nieuwe Naam Van Elders", entity)) >= 2


def test_recent_changes_show_an_edit_made_through_the_app(demo_client, other):
    theme = a_theme(other)
    page_text(demo_client, "/frame")
    page = page_text(demo_client, "/themes")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token, "the page has a form"
    response = demo_client.post(
        "/edit/entities",
        data={
            "csrf_token": token.group(1),
            "form_id": "add-entity",
            "kind": "Organisation",
            "name": "Recente Wijziging BV",
            "next": "/themes",
        },
    )
    assert response.status_code in (302, 303), response.status_code
    assert theme.id  # the demo has themes
    assert "Recente Wijziging BV" in page_text(demo_client, "/frame").split("recent-changes")[-1]


def picture(G):
    nodes = {n: dict(d) for n, d in G.nodes(data=True)}
    edges = {(u, v, k): dict(d) for u, v, k, d in G.edges(keys=True, data=True)}
    return dict(G.graph), nodes, edges


@pytest.mark.parametrize("days_back", [0, 200])
def test_warm_view_equals_a_copied_and_annotated_graph_after_writes(demo_app, other, days_back):
    """The warm graph the pages rank on (a view over the shared projection) equals
    mapper.services.warm.warm_graph (a copy with strengths written in), after each write."""
    from mapper.services.warm import warm_graph

    day = dt.date.today() - dt.timedelta(days=days_back)
    theme = a_theme(other)

    def check():
        view = derived_now(demo_app, lambda: web_warm.warm_view(web_db.current_workspace(), day))
        copied = warm_graph(other.workspace("demo"), as_of=day)
        assert picture(view) == picture(copied)
        some = sorted(copied.nodes)[:40]
        for n in some:
            assert {
                (v, k, d[web_warm.STRENGTH_ATTR])
                for _, v, k, d in view.out_edges(n, keys=True, data=True)
            } == {
                (v, k, d[web_warm.STRENGTH_ATTR])
                for _, v, k, d in copied.out_edges(n, keys=True, data=True)
            }
            assert sorted(view.predecessors(n)) == sorted(copied.predecessors(n))

    check()
    for what, write in writes(other, theme.id):
        write()
        try:
            check()
        except AssertionError as exc:
            raise AssertionError(f"after: {what}") from exc


def test_theme_scan_is_carried_over_a_write_not_made_again(demo_app, other, monkeypatch):
    """After a write the theme scan is the old one with the touched themes' rows made again
    (web/carry.py), equal to a fresh scan; the whole scan is made only the first time."""
    day = dt.date.today()
    made = []
    real = views.theme_scan
    monkeypatch.setattr(views, "theme_scan", lambda g: made.append(1) or real(g))
    derived_now(demo_app, lambda: views.scan_rows(day))
    assert made == [1]
    theme = a_theme(other)
    goal = next(
        t.source
        for t in other.ties("demo", kind="ABOUT")
        if other.get_node("demo", t.source).kind.value == "Goal"
    )
    more = [
        ("goal renamed", lambda: other.update_node("demo", goal, name="Aa hernoemd doel")),
        ("theme ended", lambda: other.update_node("demo", theme.id, until=day)),
    ]
    for what, write in [*writes(other, theme.id), *more]:
        write()
        got = derived_now(demo_app, lambda: views.scan_rows(day))
        assert rows_picture(got) == rows_picture(theme_scan(fresh_graph(other))), what
    assert made == [1]  # every later scan carried over
