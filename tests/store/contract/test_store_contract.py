"""The store contract: every adapter (SQLite in memory, SQLite file, Neo4j) must pass these.

Each test gets a fresh workspace ``ws`` in the adapter under test (see ``tests/conftest.py``);
on Neo4j it runs only when ``NEO4J_URI``/``NEO4J_USER``/``NEO4J_PASSWORD`` are set.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from mapper.errors import ConflictError, NotFoundError, ValidationError
from mapper.model import NodeKind, RelKind

D = dt.date.fromisoformat


def _town(ws):
    lib = ws.add_node("Library", "Bibliotheek Test", id="lib-1")
    anna = ws.add_node("Staff", "Anna Bakker", id="stf-anna")
    jan = ws.add_node("Person", "Jan de Vries", id="per-jan")
    fatma = ws.add_node("Person", "Fatma Yılmaz", id="per-fatma")
    theme = ws.add_node("Theme", "duurzaamheid", id="thm-duur")
    ws.add_tie("WORKS_AT", anna.id, lib.id, id="tie-works")
    return lib, anna, jan, fatma, theme


# ----------------------------------------------------------------------------- workspaces


def test_workspace_create_get_and_duplicate(any_store):
    slug = f"c-{uuid.uuid4().hex[:10]}"
    any_store.created_workspaces.append(slug)
    handle = any_store.create_workspace(slug, "Bibliotheek Één")
    assert handle.info.name == "Bibliotheek Één"
    assert slug in [w.slug for w in any_store.workspaces()]
    with pytest.raises(ConflictError):
        any_store.create_workspace(slug, "again")
    with pytest.raises(NotFoundError):
        any_store.workspace("no-such-workspace-" + uuid.uuid4().hex[:6])
    with pytest.raises(ValidationError):
        any_store.create_workspace("Bad Slug!")


def test_workspace_settings_update(ws):
    info = ws.store.update_workspace(ws.slug, settings={"organisations_only": True})
    assert info.settings["organisations_only"] is True
    assert ws.info.settings == {"organisations_only": True}


def test_workspaces_are_isolated(any_store, ws):
    other_slug = f"o-{uuid.uuid4().hex[:10]}"
    any_store.created_workspaces.append(other_slug)
    other = any_store.create_workspace(other_slug, "Other")
    jan = ws.add_node("Person", "Jan de Vries", id="per-same")
    # The same id may exist in another workspace, and they never see each other.
    other.add_node("Person", "Iemand Anders", id="per-same")
    assert ws.get_node("per-same").name == "Jan de Vries"
    assert other.get_node("per-same").name == "Iemand Anders"
    only_here = ws.add_node("Theme", "lezen")
    with pytest.raises(NotFoundError):
        other.get_node(only_here.id)
    with pytest.raises(NotFoundError):
        other.add_tie("ACTIVE_ON", "per-same", only_here.id)
    assert [n.id for n in other.nodes()] == ["per-same"]
    assert list(other.ties()) == []
    assert jan.id in ws.project()


def test_delete_workspace_removes_everything(any_store):
    slug = f"d-{uuid.uuid4().hex[:10]}"
    handle = any_store.create_workspace(slug)
    a = handle.add_node("Person", "A")
    t = handle.add_node("Theme", "T")
    handle.add_tie("ACTIVE_ON", a.id, t.id)
    any_store.delete_workspace(slug)
    assert slug not in [w.slug for w in any_store.workspaces()]
    with pytest.raises(NotFoundError):
        any_store.workspace(slug)


# ----------------------------------------------------------------------------- nodes


def test_add_and_get_node_round_trips_all_fields(ws):
    node = ws.add_node(
        "Organisation",
        "  Stichting   Repair Café ",
        props={"type": "stichting", "tags": ["reparatie", "duurzaam"], "founded": 2015},
        since="2015-03-01",
        origin="omgevingsscan 2025",
    )
    got = ws.get_node(node.id)
    assert got.kind is NodeKind.ORGANISATION
    assert got.name == "Stichting Repair Café"  # whitespace normalised
    assert got.props == {"type": "stichting", "tags": ["reparatie", "duurzaam"], "founded": 2015}
    assert got.since == D("2015-03-01") and got.until is None
    assert got.origin == "omgevingsscan 2025"
    assert got.version == 1
    assert node.id.startswith("org-")


def test_node_validation_names_the_bad_value(ws):
    with pytest.raises(ValidationError, match="unknown node kind 'Wizard'"):
        ws.add_node("Wizard", "Merlijn")
    with pytest.raises(ValidationError, match="name is empty"):
        ws.add_node("Person", "   ")
    with pytest.raises(ValidationError, match="since '2025-13-01' is not a date"):
        ws.add_node("Person", "X", since="2025-13-01")
    with pytest.raises(ValidationError, match="lies before"):
        ws.add_node("Person", "X", since="2025-02-01", until="2025-01-01")
    assert list(ws.nodes()) == []


def test_duplicate_node_id_conflicts_and_writes_nothing(ws):
    ws.add_node("Person", "A", id="per-a")
    with pytest.raises(ConflictError):
        ws.add_nodes(
            [
                {"kind": "Person", "name": "B", "id": "per-b"},
                {"kind": "Person", "name": "A2", "id": "per-a"},
            ]
        )
    assert [n.id for n in ws.nodes()] == ["per-a"]


def test_update_node_keeps_history(ws):
    node = ws.add_node("Person", "Jan de Vries", props={"wijk": "Centrum"})
    ws.update_node(node.id, name="Jan de Vries-Bos", props={"wijk": "Noord", "rol": "vrijwilliger"})
    ws.update_node(node.id, props={"rol": None})
    current = ws.get_node(node.id)
    assert current.name == "Jan de Vries-Bos"
    assert current.props == {"wijk": "Noord"}
    assert current.version == 3
    history = ws.node_history(node.id)
    assert [(v.version, v.name, v.props.get("wijk")) for v in history] == [
        (1, "Jan de Vries", "Centrum"),
        (2, "Jan de Vries-Bos", "Noord"),
        (3, "Jan de Vries-Bos", "Noord"),
    ]
    # Only the current version is listed among the nodes.
    assert [(n.id, n.version) for n in ws.nodes()] == [(node.id, 3)]


def test_nodes_filter_by_kind_and_date(ws):
    ws.add_node("Person", "Old", id="per-old", since="2020-01-01", until="2024-01-01")
    ws.add_node("Person", "New", id="per-new", since="2024-01-01")
    ws.add_node("Theme", "lezen", id="thm-lezen")
    assert [n.id for n in ws.nodes(kind="Person")] == ["per-new", "per-old"]
    assert [n.id for n in ws.nodes(kind=["Person", "Theme"], as_of="2023-12-31")] == [
        "per-old",
        "thm-lezen",
    ]
    assert [n.id for n in ws.nodes(as_of="2024-01-01")] == ["per-new", "thm-lezen"]


def test_find_and_lookup_by_name(ws):
    ws.add_node("Person", "Fatma Yılmaz", id="per-f")
    ws.add_node("Person", "Jan de Vries", id="per-j")
    ws.add_node("Organisation", "Jan de Vries Bouw", id="org-j")
    assert [n.id for n in ws.find_nodes("jan de vries")] == ["per-j", "org-j"]
    assert ws.lookup("fatma yilmaz", kind="Person").id == "per-f"
    with pytest.raises(NotFoundError) as info:
        ws.lookup("Fatma Yilmas", kind="Person")
    assert "Fatma Yılmaz" in info.value.suggestions


# ----------------------------------------------------------------------------- ties


def test_add_tie_round_trips_and_validates(ws):
    lib, anna, jan, fatma, theme = _town(ws)
    tie = ws.add_tie(
        "KNOWS",
        jan.id,
        fatma.id,
        strength=0.6,
        since="2024-05-01",
        origin="gesprek",
        props={"via": "taalcafé"},
    )
    got = ws.get_tie(tie.id)
    assert (got.kind, got.source, got.target, got.strength) == (
        RelKind.KNOWS,
        jan.id,
        fatma.id,
        0.6,
    )
    assert got.since == D("2024-05-01") and got.until is None and got.version == 1 and got.current
    assert got.origin == "gesprek" and got.props == {"via": "taalcafé"}

    with pytest.raises(ValidationError, match="strength 1.5 is not between 0 and 1"):
        ws.add_tie("KNOWS", jan.id, fatma.id, strength=1.5)
    with pytest.raises(ValidationError, match="unknown tie kind 'LOVES'"):
        ws.add_tie("LOVES", jan.id, fatma.id)
    with pytest.raises(ValidationError, match="cannot go from Person to Theme"):
        ws.add_tie("WORKS_AT", jan.id, theme.id)
    with pytest.raises(ValidationError, match="role 'king'"):
        ws.add_tie("MEMBER_OF", jan.id, lib.id.replace("lib", "x"), role="king")
    with pytest.raises(NotFoundError, match="per-nobody"):
        ws.add_tie("KNOWS", jan.id, "per-nobody")
    assert [t.id for t in ws.ties(kind="KNOWS")] == [tie.id]


def test_symmetric_kinds_accept_either_direction(ws):
    anna = ws.add_node("Staff", "Anna")
    jan = ws.add_node("Person", "Jan")
    ws.add_tie("KNOWS", jan.id, anna.id, strength=0.4)
    ws.add_tie("KNOWS", anna.id, jan.id, strength=0.4)
    assert len(list(ws.ties(node=jan.id))) == 2


def test_failed_batch_of_ties_writes_nothing(ws):
    lib, anna, jan, fatma, theme = _town(ws)
    before = list(ws.ties())
    with pytest.raises(ValidationError):
        ws.add_ties(
            [
                {"kind": "ACTIVE_ON", "source": jan.id, "target": theme.id, "strength": 0.5},
                {"kind": "ACTIVE_ON", "source": fatma.id, "target": theme.id, "strength": 0.5},
                {"kind": "ACTIVE_ON", "source": fatma.id, "target": jan.id},  # bad kinds
            ]
        )
    assert list(ws.ties()) == before


def test_atomic_block_rolls_back_everything_on_error(ws):
    with pytest.raises(RuntimeError):
        with ws.atomic():
            a = ws.add_node("Person", "Half", id="per-half")
            t = ws.add_node("Theme", "written", id="thm-half")
            ws.add_tie("ACTIVE_ON", a.id, t.id)
            raise RuntimeError("crash half-way")
    assert list(ws.nodes()) == []
    assert list(ws.ties()) == []


def test_nested_atomic_inner_failure_keeps_outer_work(ws):
    with ws.atomic():
        ws.add_node("Person", "Outer", id="per-outer")
        with pytest.raises(ValidationError):
            with ws.atomic():
                ws.add_node("Person", "Inner", id="per-inner")
                ws.add_node("Person", "", id="per-bad")
    assert [n.id for n in ws.nodes()] == ["per-outer"]


def test_change_tie_closes_old_version_and_opens_new(ws):
    lib, anna, jan, fatma, theme = _town(ws)
    tie = ws.add_tie("KNOWS", anna.id, jan.id, strength=0.4, since="2024-01-01", origin="scan")
    new = ws.change_tie(tie.id, on="2024-06-01", strength=0.8, origin="gesprek")
    assert new.version == 2 and new.since == D("2024-06-01") and new.strength == 0.8
    history = ws.tie_history(tie.id)
    assert [(v.version, v.strength, v.since, v.until, v.current) for v in history] == [
        (1, 0.4, D("2024-01-01"), D("2024-06-01"), False),
        (2, 0.8, D("2024-06-01"), None, True),
    ]
    assert history[0].origin == "scan" and history[1].origin == "gesprek"
    assert ws.get_tie(tie.id).version == 2
    # Only the latest version by default; every version with history=True.
    assert [(t.id, t.version) for t in ws.ties(kind="KNOWS")] == [(tie.id, 2)]
    assert [(t.id, t.version) for t in ws.ties(kind="KNOWS", history=True)] == [
        (tie.id, 1),
        (tie.id, 2),
    ]


def test_change_tie_rejects_dates_outside_the_tie(ws):
    lib, anna, jan, fatma, theme = _town(ws)
    tie = ws.add_tie("KNOWS", anna.id, jan.id, strength=0.4, since="2024-01-01")
    with pytest.raises(ValidationError, match="before the tie began"):
        ws.change_tie(tie.id, on="2023-12-31", strength=0.5)
    with pytest.raises(ValidationError, match="not between 0 and 1"):
        ws.change_tie(tie.id, on="2024-02-01", strength=-0.1)
    ws.end_tie(tie.id, on="2024-03-01")
    with pytest.raises(ValidationError, match="ended"):
        ws.change_tie(tie.id, on="2024-04-01", strength=0.5)
    assert len(ws.tie_history(tie.id)) == 1
    with pytest.raises(NotFoundError):
        ws.change_tie("tie-nope", on="2024-04-01", strength=0.5)


def test_end_tie_sets_until(ws):
    lib, anna, jan, fatma, theme = _town(ws)
    tie = ws.add_tie("ACTIVE_ON", jan.id, theme.id, strength=0.5, since="2024-01-01")
    ended = ws.end_tie(tie.id, on="2025-01-01")
    assert ended.until == D("2025-01-01")
    assert ws.get_tie(tie.id).until == D("2025-01-01")
    assert ws.get_tie(tie.id).current


def test_ties_as_of_a_date(ws):
    lib, anna, jan, fatma, theme = _town(ws)
    t1 = ws.add_tie("KNOWS", anna.id, jan.id, strength=0.2, since="2024-01-01")
    ws.change_tie(t1.id, on="2024-07-01", strength=0.9)
    t2 = ws.add_tie("ACTIVE_ON", fatma.id, theme.id, since="2024-03-01", until="2024-09-01")

    def at(day):
        return sorted(
            (t.id, t.version, t.strength) for t in ws.ties(as_of=day) if t.kind != RelKind.WORKS_AT
        )

    assert at("2023-12-31") == []
    assert at("2024-01-01") == [(t1.id, 1, 0.2)]
    assert at("2024-06-30") == sorted([(t1.id, 1, 0.2), (t2.id, 1, None)])
    assert at("2024-07-01") == sorted([(t1.id, 2, 0.9), (t2.id, 1, None)])
    assert at("2024-09-01") == [(t1.id, 2, 0.9)]


def test_ties_by_node(ws):
    lib, anna, jan, fatma, theme = _town(ws)
    a = ws.add_tie("KNOWS", jan.id, fatma.id)
    b = ws.add_tie("ACTIVE_ON", jan.id, theme.id)
    ws.add_tie("ACTIVE_ON", fatma.id, theme.id)
    assert sorted(t.id for t in ws.ties(node=jan.id)) == sorted([a.id, b.id])


# ----------------------------------------------------------------------------- contacts


def test_contacts_logged_and_queried(ws):
    lib, anna, jan, fatma, theme = _town(ws)
    c1 = ws.add_contact(
        anna.id,
        jan.id,
        on="2024-02-01",
        mode="conversation",
        notes="<b>koffie</b>",
        outcome="positief",
    )
    c2 = ws.add_contact(jan.id, fatma.id, on="2024-01-15", mode="meeting")
    ws.add_contact(anna.id, fatma.id, on="2024-03-01")
    assert [c.id for c in ws.contacts()][:2] == [c2.id, c1.id]  # by date
    assert [c.id for c in ws.contacts(between=(jan.id, anna.id))] == [c1.id]
    assert [c.id for c in ws.contacts(node=jan.id, until="2024-01-31")] == [c2.id]
    got = [c for c in ws.contacts() if c.id == c1.id][0]
    assert (got.on, got.mode, got.notes, got.outcome) == (
        D("2024-02-01"),
        "conversation",
        "<b>koffie</b>",
        "positief",
    )
    with pytest.raises(ValidationError):
        ws.add_contact(anna.id, anna.id, on="2024-01-01")
    with pytest.raises(NotFoundError):
        ws.add_contact(anna.id, "per-ghost", on="2024-01-01")
    with pytest.raises(ValidationError):
        ws.add_contact(anna.id, jan.id, on="gisteren")


# ----------------------------------------------------------------------------- projection


def test_projection_as_of_a_date(ws):
    lib, anna, jan, fatma, theme = _town(ws)
    late = ws.add_node("Person", "Late Comer", id="per-late", since="2025-01-01")
    k = ws.add_tie("KNOWS", anna.id, jan.id, strength=0.3, since="2024-01-01")
    ws.change_tie(k.id, on="2024-06-01", strength=0.7)
    ws.add_tie(
        "KNOWS", jan.id, late.id, strength=0.5, since="2024-01-01"
    )  # late not there yet in 2024
    ws.add_tie(
        "ACTIVE_ON", fatma.id, theme.id, strength=0.5, since="2024-02-01", until="2024-05-01"
    )

    g = ws.project(as_of="2024-03-01")
    assert set(g.nodes) == {lib.id, anna.id, jan.id, fatma.id, theme.id}
    assert g.nodes[jan.id]["kind"] == "Person" and g.nodes[jan.id]["name"] == "Jan de Vries"
    assert g.graph["as_of"] == D("2024-03-01")
    assert g.edges[anna.id, jan.id, k.id]["strength"] == 0.3
    assert g.has_edge(fatma.id, theme.id)
    assert not g.has_edge(jan.id, late.id)

    g2 = ws.project(as_of="2025-02-01")
    assert g2.edges[anna.id, jan.id, k.id]["strength"] == 0.7
    assert g2.edges[anna.id, jan.id, k.id]["version"] == 2
    assert not g2.has_edge(fatma.id, theme.id)
    assert g2.has_edge(jan.id, late.id)

    people = ws.project(as_of="2025-02-01", kinds=["Person", "Staff"])
    assert set(people.nodes) == {anna.id, jan.id, fatma.id, late.id}
    assert people.number_of_edges() == 2


def test_projection_defaults_to_today(ws):
    a = ws.add_node("Person", "A")
    b = ws.add_node("Person", "B")
    ws.add_tie("KNOWS", a.id, b.id, since=dt.date.today() + dt.timedelta(days=1))
    assert ws.project().number_of_edges() == 0
    assert ws.project(as_of=dt.date.today() + dt.timedelta(days=1)).number_of_edges() == 1


def test_counts(ws):
    lib, anna, jan, fatma, theme = _town(ws)
    ws.add_contact(anna.id, jan.id, on="2024-01-01")
    counts = ws.counts()
    assert counts["Person"] == 2 and counts["Staff"] == 1 and counts["Theme"] == 1
    assert counts["ties"] == 1 and counts["contacts"] == 1


def test_text_is_stored_verbatim(ws):
    nasty = "<img src=x onerror=alert(1)> '; DROP TABLE nodes; -- MATCH (n) DETACH DELETE n"
    node = ws.add_node("Person", nasty, props={"note": nasty})
    assert ws.get_node(node.id).name == nasty
    assert ws.get_node(node.id).props["note"] == nasty
    assert ws.find_nodes("DROP TABLE")[0].id == node.id
    assert len(list(ws.nodes())) == 1
