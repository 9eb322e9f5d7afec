"""The entities and ties API through the Flask test client, with an API token: werkblad 1–3
built, a strength changed, a tie ended, a change undone, the history read back; every
response checked against the OpenAPI document the app serves (jsonschema)."""

from __future__ import annotations

import datetime as dt

import pytest

from mapper.accounts import Accounts
from mapper.store import SQLiteStore
from web import create_app

jsonschema = pytest.importorskip("jsonschema")
referencing = pytest.importorskip("referencing")


@pytest.fixture
def api(tmp_path):
    path = tmp_path / "api.db"
    store = SQLiteStore(path)
    store.create_workspace("werkplaats", "Bibliotheek Werkplaats")
    store.create_workspace("elders", "Bibliotheek Elders")
    other = store.add_node("elders", "Organisation", "Vereniging Elders")
    store.close()
    tokens = {}
    with Accounts(path) as accounts:
        for email, role in (("editor@bieb.nl", "editor"), ("viewer@bieb.nl", "viewer")):
            accounts.add_user(email, "wachtwoord-lang-genoeg")
            accounts.set_role(email, "werkplaats", role)
            tokens[role] = accounts.issue_token(email)
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{path}",
            "WORKSPACE": "werkplaats",
            "SECRET_KEY": "test",
            "SINGLE_USER": False,
        }
    )
    return Api(app, tokens, other.id, path)


class Api:
    """Requests with a token, each response checked against the OpenAPI document."""

    def __init__(self, app, tokens, other_id, path):
        self.app, self.tokens, self.other_id, self.path = app, tokens, other_id, path
        self.client = app.test_client()
        self.spec = self.client.get("/api/openapi.json").get_json()
        resource = referencing.Resource.from_contents(
            self.spec, default_specification=referencing.jsonschema.DRAFT202012
        )
        self.registry = referencing.Registry().with_resource("urn:openapi", resource)
        self.checked = 0

    def call(self, method, url, *, json=None, role="editor", status=200):
        headers = {"Authorization": f"Bearer {self.tokens[role]}"}
        response = self.client.open(url, method=method, json=json, headers=headers)
        assert response.status_code == status, (method, url, response.get_json())
        self.check(method, url, response, json)
        return response.get_json()

    def operation(self, method, url):
        path = url.split("?")[0]
        for template, item in self.spec["paths"].items():
            parts, wanted = template.strip("/").split("/"), path.strip("/").split("/")
            if len(parts) == len(wanted) and all(
                p.startswith("{") or p == w for p, w in zip(parts, wanted, strict=True)
            ):
                return template, item[method.lower()]
        pytest.fail(f"{method} {path} is not in the OpenAPI document")

    def validate(self, schema, value):
        import json

        absolute = json.loads(
            json.dumps(schema).replace('"#/components', '"urn:openapi#/components')
        )
        validator = jsonschema.Draft202012Validator(
            absolute,
            registry=self.registry,
            format_checker=jsonschema.FormatChecker(),
        )
        validator.validate(value)

    def check(self, method, url, response, body):
        _template, op = self.operation(method, url)
        if body is not None and response.status_code < 400:
            self.validate(op["requestBody"]["content"]["application/json"]["schema"], body)
        described = op["responses"].get(str(response.status_code))
        assert described is not None, (method, url, response.status_code, "not documented")
        content = described.get("content", {}).get("application/json")
        if content:
            self.validate(content["schema"], response.get_json())
            self.checked += 1


def test_build_worksheets_through_the_api(api):
    today = dt.date.today().isoformat()
    theme = api.call(
        "POST",
        "/api/entities",
        json={"kind": "thema", "name": "Eenzaamheid", "library_theme": True},
        status=201,
    )
    assert [t["kind"] for t in theme["ties"]] == ["ACTIVE_ON"]  # the library works on it
    goals = [
        api.call(
            "POST",
            "/api/entities",
            json={"kind": "Goal", "name": name, "themes": ["Eenzaamheid"]},
            status=201,
        )
        for name in ("Iedereen doet mee", "Samen sterk in de wijk")
    ]
    assert all({t["kind"] for t in g["ties"]} == {"PURSUES", "ABOUT"} for g in goals)
    api.call(
        "POST",
        "/api/entities",
        json={
            "kind": "kanaal",
            "name": "Facebookgroep Noord",
            "theme": theme["id"],
            "details": {"mode": "online"},
        },
        status=201,
    )
    people = {}
    for kind, name, bond in (
        ("organisatie", "Repair Café Noord", "sterk"),
        ("Organisation", "Buurthuis De Kern", 0.6),
        ("ORGANISATIE", "Stichting Welzijn Noord", None),
        ("persoon", "Fatma Yılmaz", None),
        ("Person", "Jan de Vries", None),
        ("persoon", "Anna de Boer", None),
    ):
        made = api.call(
            "POST",
            "/api/entities",
            json={
                "kind": kind,
                "name": name,
                "theme": "Eenzaamheid",
                "theme_strength": 3,
                "bond": bond is not None,
                "bond_strength": bond,
                "details": {"lawful_basis": "consent"}
                if "persoon" in kind.lower() or kind == "Person"
                else {},
            },
            status=201,
        )
        people[name] = made["id"]
    activity = api.call(
        "POST",
        "/api/entities",
        json={
            "kind": "activiteit",
            "name": "Repair-middag",
            "theme": theme["id"],
            "organisers": ["Repair Café Noord"],
            "channels": ["Facebookgroep Noord"],
        },
        status=201,
    )
    ties = [
        ("kent", "Fatma Yılmaz", "Jan de Vries", "redelijk"),
        ("MEMBER_OF", "Jan de Vries", "Buurthuis De Kern", 0.6),
        ("ATTENDS", "Fatma Yılmaz", "Repair-middag", None),
        ("actief in", "Stichting Welzijn Noord", "Facebookgroep Noord", None),
        ("ACTIVE_IN", "Jan de Vries", "Facebookgroep Noord", None),
        ("organiseert", "Buurthuis De Kern", "Repair-middag", None),
        ("KNOWS", "Anna de Boer", "Fatma Yılmaz", 4),
        ("lid van", "Stichting Welzijn Noord", "Buurthuis De Kern", "zwak"),
    ]
    made_ties = {}
    for kind, source, target, strength in ties:
        tie = api.call(
            "POST",
            "/api/ties",
            json={"kind": kind, "source": source, "target": target, "strength": strength},
            status=201,
        )
        made_ties[(source, target)] = tie
    assert made_ties[("Fatma Yılmaz", "Jan de Vries")]["strength"] == 0.6

    listed = api.call("GET", "/api/entities?kind=persoon")
    assert [e["name"] for e in listed] == ["Anna de Boer", "Fatma Yılmaz", "Jan de Vries"]
    bonds = api.call("GET", "/api/ties?kind=BOND_WITH")
    assert len(bonds) == 2
    assert len(api.call("GET", f"/api/ties?node={activity['id']}")) == 5

    # change a strength, end a tie, undo the change
    knows = made_ties[("Fatma Yılmaz", "Jan de Vries")]
    changed = api.call("PATCH", f"/api/ties/{knows['id']}", json={"strength": "zeer sterk"})
    assert changed["strength"] == 1.0 and changed["version"] == 2
    channel = made_ties[("Jan de Vries", "Facebookgroep Noord")]
    ended = api.call("PATCH", f"/api/ties/{channel['id']}", json={"until": today})
    assert ended["until"] == today
    assert channel["id"] not in {t["id"] for t in api.call("GET", f"/api/ties?as_of={today}")}
    undone = api.call("POST", f"/api/changes/{changed['change']}/undo")
    assert undone["ties"] == [knows["id"]]
    history = api.call("GET", f"/api/ties/{knows['id']}")
    assert [v["strength"] for v in history["versions"]] == [0.6, 1.0, 0.6]
    api.call("POST", f"/api/changes/{changed['change']}/undo", status=409)

    # edit every field of a person; the old version stays in the history
    fatma = people["Fatma Yılmaz"]
    patched = api.call(
        "PATCH",
        f"/api/entities/{fatma}",
        json={
            "name": "Fatma Yilmaz-Bakker",
            "details": {
                "lawful_basis": "public_task",
                "data_source": "gesprek",
                "neighbourhood": "Noord",
            },
            "origin": "werkplaats",
        },
    )
    assert patched["version"] == 2 and patched["details"]["data_source"] == "gesprek"
    with SQLiteStore(api.path) as store:
        versions = store.node_history("werkplaats", fatma)
    assert [v.name for v in versions] == ["Fatma Yılmaz", "Fatma Yilmaz-Bakker"]

    # DELETE ends an entity on a date; it is still there, no longer valid
    gone = api.call("DELETE", f"/api/entities/{people['Anna de Boer']}?on={today}")
    assert gone["until"] == today and gone["valid"] is False
    assert "Anna de Boer" not in {
        e["name"] for e in api.call("GET", f"/api/entities?as_of={today}&kind=Person")
    }
    api.call("DELETE", f"/api/entities/{people['Anna de Boer']}?on={today}", status=409)
    one = api.call("GET", f"/api/entities/{activity['id']}?as_of={today}")
    assert {t["kind"] for t in one["ties"]} == {"ABOUT", "ORGANISES", "ACTIVE_IN", "ATTENDS"}
    assert api.checked >= 30


def test_api_errors_name_the_field_and_value(api):
    bad = api.call(
        "POST",
        "/api/entities",
        json={"kind": "Person", "name": "Jan", "theme_strength": 7},
        status=400,
    )
    assert bad["field"] == "theme_strength" and bad["value"] == 7
    assert "7" in bad["error"]
    bad = api.call("POST", "/api/entities", json={"kind": "vogel", "name": "Merel"}, status=400)
    assert bad["field"] == "kind" and bad["value"] == "vogel"
    bad = api.call("POST", "/api/entities", json={"name": "zonder soort"}, status=400)
    assert bad["field"] == "kind"
    bad = api.call(
        "POST",
        "/api/ties",
        json={"kind": "KNOWS", "source": "Niemand", "target": "Ook niet"},
        status=400,
    )
    assert bad["field"] == "source" and bad["value"] == "Niemand"
    api.call("GET", f"/api/entities/{api.other_id}", status=404)  # another workspace's id
    api.call("PATCH", "/api/ties/tie-000000000000", json={"strength": 1}, status=404)
    api.call("GET", "/api/entities?as_of=gisteren", status=400)
    # viewers read, editors write
    api.call("GET", "/api/entities", role="viewer")
    response = api.client.post(
        "/api/entities",
        json={"kind": "Theme", "name": "x"},
        headers={"Authorization": f"Bearer {api.tokens['viewer']}"},
    )
    assert response.status_code == 403
    assert api.client.get("/api/entities").status_code == 401


def test_organisations_only_workspace_refuses_people_through_the_api(api):
    from mapper.privacy import ORGANISATIONS_ONLY

    with SQLiteStore(api.path) as store:
        store.update_workspace("werkplaats", settings={ORGANISATIONS_ONLY: True})
    refused = api.call("POST", "/api/entities", json={"kind": "persoon", "name": "Jan"}, status=400)
    assert refused["field"] == "kind"
    assert "alleen organisaties" in refused["error"]
    api.call("POST", "/api/entities", json={"kind": "organisatie", "name": "Buurthuis"}, status=201)
