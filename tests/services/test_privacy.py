"""Audit trail, privacy fields, review list, access export and erasure (AVG): in the store,
on the raw bytes of the SQLite file, and through the web app with login required."""

from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from mapper.audit import ACTIONS, audit_rows
from mapper.cli import main
from mapper.errors import ConflictError, MapperError, NotFoundError, ValidationError
from mapper.privacy import (
    access_export,
    export_html,
    export_json,
    last_contact,
    review_cutoff,
    review_list,
)
from mapper.store import SQLiteStore
from mapper.store.base import Store
from tests.privacy_helpers import csrf_token, login, make_app, seed_two_workspaces

SECRET = "Zebedeus Qwertyman"  # a name that occurs nowhere else
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def everything_about(store, slug):
    """A person held in every way the store can hold someone; returns their id and the ids
    of what was made about them."""
    ws = store.workspace(slug)
    with store.acting_as("anna@bibliotheek.nl"):
        person = ws.add_node(
            "Person",
            SECRET,
            props={
                "lawful_basis": "consent",
                "data_source": "Repair Café 2024",
                "note": f"{SECRET} fixes bikes",
            },
            origin="omgevingsscan",
        )
        friend = ws.add_node("Person", "Fatma Yılmaz")
        org = ws.add_node("Organisation", "Repair Café Rijnstad")
        staff = ws.add_node("Staff", "Anna (bieb)")
        theme = ws.add_node("Theme", "duurzaamheid")
        ws.update_node(person.id, name=f"{SECRET} Jr.", props={"phone": "06-12345678"})
        knows = ws.add_tie(
            "KNOWS",
            person.id,
            friend.id,
            strength=0.4,
            since="2024-01-01",
            origin="gesprek",
            props={"how": f"{SECRET} met at the café"},
        )
        ws.change_tie(knows.id, on="2024-06-01", strength=0.8, origin="tweede gesprek")
        member = ws.add_tie("MEMBER_OF", person.id, org.id, role="volunteer", origin="ledenlijst")
        ws.end_tie(member.id, on="2025-01-01")
        bond = ws.add_tie("BOND_WITH", staff.id, person.id, strength=0.6)
        ws.add_tie("ACTIVE_ON", friend.id, theme.id)  # not about the person
        c1 = ws.add_contact(
            staff.id,
            person.id,
            on="2024-03-01",
            mode="conversation",
            notes=f"talked with {SECRET}",
            outcome="will help",
        )
        c2 = ws.add_contact(person.id, friend.id, on="2024-09-15", notes="coffee")
        ws.add_contact(staff.id, friend.id, on="2024-10-01", notes="about the theme")
    return {
        "person": person.id,
        "friend": friend.id,
        "org": org.id,
        "staff": staff.id,
        "ties": {knows.id, member.id, bond.id},
        "contacts": {c1.id, c2.id},
    }


# --------------------------------------------------------------------------- audit trail


def test_every_write_is_audited_with_its_actor(ws):
    """On every adapter (the ``ws`` fixture runs the store contract's adapters)."""
    made = everything_about(ws.store, ws.slug)
    entries = ws.audit()
    assert entries[-1].action == "create" and entries[-1].target_type == "workspace"
    assert entries[-1].actor == "system"
    mine = [e for e in entries if e.target_type != "workspace"]
    assert {e.actor for e in mine} == {"anna@bibliotheek.nl"}
    assert {e.action for e in mine} == {"create", "update", "change", "end"}
    about = ws.audit(entity=made["person"])
    # 1 create + 1 update of the node, 3 ties created, 1 changed, 1 ended, 2 contacts.
    assert len(about) == 9
    assert [e.seq for e in about] == sorted((e.seq for e in about), reverse=True)
    update = next(e for e in about if e.action == "update")
    assert update.detail["changed"] == ["name", "props.phone"]
    assert ws.audit(action="end")[0].detail == {"on": "2025-01-01", "version": 1}
    assert len(ws.audit(limit=3)) == 3


def test_a_failed_write_leaves_no_audit_entry(ws):
    a = ws.add_node("Person", "A")
    before = len(ws.audit())
    with pytest.raises(NotFoundError):
        ws.add_ties(
            [
                {"kind": "KNOWS", "source": a.id, "target": a.id},
                {"kind": "KNOWS", "source": a.id, "target": "per-missing"},
            ]
        )
    with pytest.raises(ValidationError):
        ws.add_nodes(
            [
                {"kind": "Person", "name": "B"},
                {"kind": "Person", "name": "C", "props": {"lawful_basis": "because"}},
            ]
        )
    assert len(ws.audit()) == before
    assert [n.name for n in ws.nodes()] == ["A"]


def test_record_audit_for_writes_made_elsewhere(store):
    ws = store.create_workspace("w")
    a, b = ws.add_node("Person", "A"), ws.add_node("Person", "B")
    with store.acting_as("merge-tool"):
        entry = ws.record_audit(
            "merge",
            target_type="node",
            target_id=a.id,
            refs=[b.id],
            label="A",
            detail={"merged": [b.id]},
        )
    assert entry.refs == (a.id, b.id)
    assert ws.audit(entity=b.id)[0].action == "merge"
    assert ws.audit(entity=b.id)[0].actor == "merge-tool"
    with pytest.raises(ValidationError, match="'explode'"):
        ws.record_audit("explode", target_type="node")
    assert set(ACTIONS) >= {"create", "update", "merge", "erase"}
    assert store.actor is None  # acting_as restores the previous actor


def test_audit_rows_for_csv(store):
    ws = store.create_workspace("w")
    ws.add_node("Organisation", '=HYPERLINK("http://x")')
    rows = audit_rows(ws.audit())
    assert rows[0][:3] == ["at", "actor", "action"]
    assert [r[2] for r in rows[1:]] == ["create", "create"]


def test_an_adapter_without_audit_primitives_still_works():
    """The defaults in Store keep an adapter that lacks the new primitives working, and
    refuse erasure rather than pretend."""
    store = SQLiteStore(":memory:")
    for name in ("_insert_audit", "_query_audit", "_erase_node", "_compact"):
        setattr(store, name, getattr(Store, name).__get__(store))
    ws = store.create_workspace("w")
    node = ws.add_node("Person", "A")
    assert ws.audit() == []
    with pytest.raises(MapperError, match="cannot erase"):
        ws.erase_node(node.id)
    assert ws.get_node(node.id)


# --------------------------------------------------------------------------- privacy fields


def test_lawful_basis_is_checked(store):
    ws = store.create_workspace("w")
    with pytest.raises(ValidationError, match="'because'"):
        ws.add_node("Person", "A", props={"lawful_basis": "because"})
    node = ws.add_node("Person", "A", props={"lawful_basis": "public_task"})
    with pytest.raises(ValidationError):
        ws.update_node(node.id, props={"lawful_basis": "whatever"})
    assert ws.get_node(node.id).props["lawful_basis"] == "public_task"


def test_organisations_only_refuses_people_at_the_store(store):
    ws = store.create_workspace("w", settings={"organisations_only": True})
    with pytest.raises(ValidationError, match="organisations only"):
        ws.add_node("Person", "Jan")
    with pytest.raises(ValidationError):
        ws.add_nodes([{"kind": "Organisation", "name": "Club"}, {"kind": "Person", "name": "Jan"}])
    assert list(ws.nodes()) == []
    ws.add_node("Organisation", "Club")
    ws.add_node("Staff", "Anna")
    other = store.create_workspace("v")
    other.add_node("Person", "Piet")
    with pytest.raises(ConflictError, match="1 people"):
        store.update_workspace("v", settings={"organisations_only": True})
    assert not store.get_workspace("v").settings.get("organisations_only")


def test_last_contact_and_review_list(store):
    ws = store.create_workspace("w")
    made = everything_about(store, "w")
    assert ws.last_contact(made["person"]) == dt.date(2024, 9, 15)
    assert last_contact(store, "w", made["person"]) == dt.date(2024, 9, 15)
    assert last_contact(store, "w", made["org"]) is None
    never = ws.add_node("Person", "Nooit Gesproken")
    # A year after the last contacts, with a 6-month period: the person (Sept 2024) and
    # the friend (Oct 2024) are up for review; the person added today is not yet.
    items = review_list(store, "w", months=6, today=dt.date(2025, 9, 30))
    assert [i.node.id for i in items] == [made["person"], made["friend"]]
    assert items[0].lawful_basis == "consent" and items[0].data_source == "Repair Café 2024"
    # Much later, the never-contacted person comes first.
    later = review_list(store, "w", months=6, today=dt.date.today() + dt.timedelta(days=400))
    assert later[0].node.id == never.id and later[0].last_contact is None
    assert review_list(store, "w", months=24, today=dt.date(2025, 9, 30)) == []
    store.update_workspace("w", settings={"review_months": 6})
    assert len(review_list(store, "w", today=dt.date(2025, 9, 30))) == 2
    with pytest.raises(ValidationError):
        review_cutoff(dt.date(2025, 1, 1), 0)


# --------------------------------------------------------------------------- access export


def test_access_export_holds_every_item_on_the_person(ws):
    made = everything_about(ws.store, ws.slug)
    pid = made["person"]
    data = json.loads(export_json(access_export(ws.store, ws.slug, pid)))
    assert data["entity"]["name"] == f"{SECRET} Jr."
    assert [v["version"] for v in data["versions"]] == [1, 2]
    assert data["versions"][0]["name"] == SECRET
    held_ties = {(t.id, t.version) for t in ws.ties(node=pid, history=True)}
    assert {(t["id"], t["version"]) for t in data["ties"]} == held_ties
    assert {t["id"] for t in data["ties"]} == made["ties"]
    assert {c["id"] for c in data["contacts"]} == made["contacts"]
    assert {c["id"] for c in data["contacts"]} == {c.id for c in ws.contacts(node=pid)}
    assert {(a["seq"]) for a in data["audit"]} == {e.seq for e in ws.audit(entity=pid)}
    assert data["lawful_basis"] == "consent"
    assert data["last_contact"] == "2024-09-15"
    assert set(data["sources"]) == {
        "omgevingsscan",
        "Repair Café 2024",
        "gesprek",
        "tweede gesprek",
        "ledenlijst",
    }
    others = {t["other"]["name"] for t in data["ties"]}
    assert others == {"Fatma Yılmaz", "Repair Café Rijnstad", "Anna (bieb)"}
    assert "duurzaamheid" not in export_json(data)  # the friend's own tie is not theirs


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_readable_export_shows_everything_as_text(store):
    ws = store.create_workspace("w")
    made = everything_about(store, "w")
    ws.add_contact(made["staff"], made["person"], on="2024-11-01", notes=XSS)
    page = export_html(access_export(store, "w", made["person"]), lang="nl")
    parser = _Text()
    parser.feed(page)
    text = "".join(parser.text)
    assert "script" not in parser.tags and "img" not in parser.tags
    assert XSS in text
    for expected in (
        SECRET,
        "talked with",
        "coffee",
        "Fatma Yılmaz",
        "Repair Café 2024",
        "toestemming",
        "ledenlijst",
        "anna@bibliotheek.nl",
        "06-12345678",
    ):
        assert expected in text, expected


# --------------------------------------------------------------------------- erasure


def raw_bytes(path: Path) -> bytes:
    """Every byte of the database and its -wal/-shm/-journal files."""
    return b"".join(p.read_bytes() for p in sorted(path.parent.glob(path.name + "*")))


def test_erasure_removes_the_person_from_the_store(ws):
    file_store = ws.store
    made = everything_about(file_store, ws.slug)
    pid = made["person"]
    friend_ties_before = [
        t for t in ws.ties(node=made["friend"]) if pid not in (t.source, t.target)
    ]
    with file_store.acting_as("privacy@bieb.nl"):
        report = ws.erase_node(pid)
    compacted = report.pop("compacted")
    assert report == {
        "kind": "Person",
        "versions": 2,
        "ties": 3,
        "tie_versions": 4,
        "contacts": 2,
        "audit": 9,
    }
    assert compacted is (file_store.backend == "sqlite")
    with pytest.raises(NotFoundError):
        ws.node_history(pid)
    for tie_id in made["ties"]:
        with pytest.raises(NotFoundError):
            ws.tie_history(tie_id)
    assert list(ws.ties(node=pid, history=True)) == []
    assert list(ws.contacts(node=pid)) == []
    assert ws.audit(entity=pid) == []
    # Others keep what is theirs.
    assert [t for t in ws.ties(node=made["friend"])] == friend_ties_before
    assert [c.notes for c in ws.contacts()] == ["about the theme"]
    erased = ws.audit(action="erase")
    assert len(erased) == 1
    entry = erased[0]
    assert entry.target_id is None and entry.label is None and entry.refs == ()
    assert entry.actor == "privacy@bieb.nl" and entry.detail["kind"] == "Person"
    assert pid not in json.dumps([e.as_dict() for e in ws.audit()])


def test_erasure_removes_the_name_from_the_file_bytes(tmp_path):
    path = tmp_path / "town.db"
    store = SQLiteStore(path)
    ws = store.create_workspace("w")
    made = everything_about(store, "w")
    # Some churn, so old pages and WAL frames hold copies of the name.
    for i in range(30):
        ws.update_node(made["person"], props={"counter": i})
    needles = [
        SECRET.encode(),
        b"06-12345678",
        f"talked with {SECRET}".encode(),
        made["person"].encode(),
    ]
    before = raw_bytes(path)
    assert all(n in before for n in needles)  # the check below can fail
    report = ws.erase_node(made["person"])
    assert report["compacted"] is True
    after = raw_bytes(path)  # the store is still open: -wal and -shm exist
    assert Path(str(path) + "-wal").exists()
    for needle in needles:
        assert needle not in after, needle
    assert b"Fatma" in after  # the rest is still there
    store.close()
    for needle in needles:
        assert needle not in raw_bytes(path)


def test_erasure_inside_a_transaction_is_not_compacted(file_store):
    ws = file_store.create_workspace("w")
    node = ws.add_node("Person", "A")
    with file_store.atomic():
        report = ws.erase_node(node.id)
    assert report["compacted"] is False
    assert file_store.compact() is True


# --------------------------------------------------------------------------- web


@pytest.fixture
def town(tmp_path):
    return seed_two_workspaces(tmp_path)


@pytest.fixture
def web_app(town):
    return make_app(town)


def logged_in(app, email):
    client = app.test_client()
    assert login(client, email).status_code == 302
    return client


def test_web_access_export_download(web_app, town):
    person = town.ids["alpha"]["person"]
    client = logged_in(web_app, "editor@alpha.nl")
    response = client.get(f"/privacy/person/{person}/export.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.get_data(as_text=True))
    assert data["entity"]["name"] == "Persoon Alfaweg"
    assert [c["notes"] for c in data["contacts"]] == ["koffie met Alfaweg"]
    with SQLiteStore(town.path) as store:
        assert len(data["ties"]) == sum(1 for _ in store.ties("alpha", node=person, history=True))
    html_page = client.get(f"/privacy/person/{person}/export.html?lang=en")
    assert b"Everything the library holds on Persoon Alfaweg" in html_page.data
    assert b"koffie met Alfaweg" in html_page.data


def test_web_erasure_needs_admin_and_confirmation(web_app, town):
    person = town.ids["alpha"]["person"]
    client = logged_in(web_app, "admin@alpha.nl")
    page = client.get(f"/privacy/person/{person}/erase")
    assert page.status_code == 200 and b"Persoon Alfaweg" in page.data
    token = csrf_token(client)
    unconfirmed = client.post(f"/privacy/person/{person}/erase", data={"csrf_token": token})
    assert unconfirmed.status_code == 200  # the form again; nothing erased
    with SQLiteStore(town.path) as store:
        assert store.get_node("alpha", person)
    done = client.post(
        f"/privacy/person/{person}/erase", data={"csrf_token": token, "confirm": "y"}
    )
    assert done.status_code == 302 and done.headers["Location"] == "/privacy/"
    assert client.get(f"/privacy/person/{person}").status_code == 404
    client.get("/")  # the request that erased has closed its store
    for needle in (b"Persoon Alfaweg", b"koffie met Alfaweg", person.encode()):
        assert needle not in raw_bytes(town.path), needle
    with SQLiteStore(town.path) as store:
        entry = store.audit("alpha", action="erase")[0]
        assert entry.actor == "admin@alpha.nl"
        assert store.get_node("beta", town.ids["beta"]["person"])  # beta untouched


def test_web_review_list_and_audit_pages(web_app, town):
    client = logged_in(web_app, "editor@alpha.nl")
    review = client.get("/privacy/?months=1")
    assert review.status_code == 200
    assert b"Persoon Alfaweg" in review.data  # last contact 2024-05-01
    text = client.get("/privacy/audit").get_data(as_text=True)
    assert "Persoon Alfaweg" in text and "Betastraat" not in text
    csv_text = client.get("/privacy/audit.csv").get_data(as_text=True)
    assert csv_text.lstrip("\ufeff").startswith("Wanneer,Wie,Wat er gebeurde")
    assert "Betastraat" not in csv_text
    person = town.ids["alpha"]["person"]
    entity_csv = client.get(f"/privacy/entity/{person}/audit.csv").get_data(as_text=True)
    assert "Persoon Alfaweg" in entity_csv and "Buur Alfaweg" not in entity_csv
    page = client.get(f"/privacy/person/{person}").get_data(as_text=True)
    # the audit partial lists who made the entries, in words ("system" is the app itself)
    assert "de applicatie zelf" in page and ">system<" not in page
    # Every entity's own page shows its audit trail (privacy/_audit.html).
    entity_page = client.get(f"/entity/{person}").get_data(as_text=True)
    assert 'id="audit-heading"' in entity_page and "de applicatie zelf" in entity_page
    assert "Toestemming".lower() in entity_page.lower()  # lawful basis of the person


def test_csv_export_defuses_formulas(web_app, town):
    with SQLiteStore(town.path) as store:
        store.add_node("alpha", "Organisation", '=HYPERLINK("http://evil.example","x")')
    client = logged_in(web_app, "editor@alpha.nl")
    csv_text = client.get("/privacy/audit.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in csv_text
    assert re.search(r'(^|,)"?=HYPERLINK', csv_text, re.M) is None


def test_organisations_only_setting_through_admin_page(tmp_path):
    store = SQLiteStore(tmp_path / "orgs.db")
    store.create_workspace("orgs", "Bibliotheek Zonder Namen")
    store.close()
    from mapper.accounts import Accounts

    with Accounts(tmp_path / "orgs.db") as accounts:
        accounts.add_user("admin@orgs.nl", "correct horse battery")
        accounts.set_role("admin@orgs.nl", "orgs", "admin")
    from web import create_app

    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'orgs.db'}",
            "SECRET_KEY": "t",
            "WORKSPACE": "orgs",
        }
    )
    client = app.test_client()
    assert login(client, "admin@orgs.nl").status_code == 302
    token = csrf_token(client)
    response = client.post(
        "/admin/settings",
        data={"csrf_token": token, "organisations_only": "y", "review_months": "18"},
    )
    assert response.status_code == 302
    with SQLiteStore(tmp_path / "orgs.db") as store:
        assert store.get_workspace("orgs").settings == {
            "organisations_only": True,
            "review_months": 18,
        }
        with pytest.raises(ValidationError):
            store.add_node("orgs", "Person", "Jan")


# --------------------------------------------------------------------------- CLI


def test_cli_users_and_privacy(tmp_path):
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()
    env = {"MAPPER_ACCOUNTS_PATH": "", "MAPPER_SINGLE_USER": ""}
    assert runner.invoke(main, ["init-workspace", "rijnstad", "--database", db]).exit_code == 0
    result = runner.invoke(
        main,
        [
            "user",
            "add",
            "anna@bieb.nl",
            "--workspace",
            "rijnstad",
            "--role",
            "admin",
            "--password",
            "een lang wachtwoord",
            "--database",
            db,
        ],
        env=env,
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        main,
        [
            "user",
            "add",
            "anna@bieb.nl",
            "--workspace",
            "nowhere",
            "--password",
            "een lang wachtwoord",
            "--database",
            db,
        ],
        env=env,
    )
    assert result.exit_code == 1 and "nowhere" in result.output
    result = runner.invoke(
        main,
        [
            "user",
            "set-role",
            "anna@bieb.nl",
            "--workspace",
            "rijnstad",
            "--role",
            "editor",
            "--database",
            db,
        ],
        env=env,
    )
    assert result.exit_code == 0
    listed = runner.invoke(main, ["user", "list", "--database", db], env=env)
    assert "anna@bieb.nl  rijnstad: editor" in listed.output
    short = runner.invoke(
        main,
        ["user", "set-password", "anna@bieb.nl", "--password", "kort", "--database", db],
        env=env,
    )
    assert short.exit_code == 1 and "10 characters" in short.output
    with SQLiteStore(tmp_path / "cli.db") as store:
        node = store.add_node("rijnstad", "Person", SECRET)
    exported = runner.invoke(
        main,
        [
            "privacy",
            "export",
            node.id,
            "--format",
            "json",
            "--database",
            db,
            "--workspace",
            "rijnstad",
        ],
    )
    assert json.loads(exported.output)["entity"]["name"] == SECRET
    erased = runner.invoke(
        main, ["privacy", "erase", node.id, "--yes", "--database", db, "--workspace", "rijnstad"]
    )
    assert erased.exit_code == 0 and "file compacted: yes" in erased.output
    assert SECRET.encode() not in raw_bytes(tmp_path / "cli.db")
    compacted = runner.invoke(main, ["privacy", "compact", "--database", db])
    assert compacted.exit_code == 0 and "compacted" in compacted.output
    review = runner.invoke(
        main, ["privacy", "review", "--months", "1", "--database", db, "--workspace", "rijnstad"]
    )
    assert review.exit_code == 0 and "0 to review" in review.output


def test_audit_limit_must_be_positive(ws):
    """A negative LIMIT means "all" in SQLite but is an error in Cypher: refuse it the same way."""
    from mapper.errors import ValidationError

    ws.add_node("Person", "Jan de Vries")
    assert len(ws.audit(limit=1)) == 1
    for bad in (0, -1, "5", True):
        with pytest.raises(ValidationError, match="limit"):
            ws.audit(limit=bad)
