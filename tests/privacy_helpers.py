"""Helpers for the accounts, security and privacy tests: two seeded workspaces with accounts
in every role, login through the real login form, and URLs for every rule of the app."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mapper.accounts import Accounts
from mapper.store import SQLiteStore
from web import create_app

PASSWORD = "correct horse battery"
CSRF_RE = re.compile(r'name="[\w-]*csrf_token" type="hidden" value="([^"]+)"')

#: Texts that look like SQL or Cypher; they must be stored, searched and shown as plain text.
INJECTIONS = (
    "' OR '1'='1",
    "Robert'); DROP TABLE nodes;--",
    '" OR 1=1 --',
    "MATCH (n) DETACH DELETE n",
    "}) RETURN n //",
    "%_%",
)


@dataclass
class Town:
    """What :func:`seed_two_workspaces` made."""

    path: Path
    ids: dict[str, dict[str, str]] = field(default_factory=dict)  # workspace -> name -> id
    names: dict[str, list[str]] = field(default_factory=dict)  # workspace -> texts held
    users: dict[str, int] = field(default_factory=dict)  # email -> user id
    tokens: dict[str, str] = field(default_factory=dict)  # email -> API token

    def all_ids(self, workspace: str) -> list[str]:
        return list(self.ids[workspace].values())


def seed_workspace(store: SQLiteStore, slug: str, tag: str) -> tuple[dict[str, str], list[str]]:
    """A small town whose every text carries ``tag`` (so a leak is easy to spot)."""
    ws = store.create_workspace(slug, f"Bibliotheek {tag}")
    lib = ws.add_node("Library", f"Bibliotheek {tag}")
    staff = ws.add_node("Staff", f"Medewerker {tag}")
    theme = ws.add_node("Theme", f"Thema {tag}")
    org = ws.add_node("Organisation", f"Vereniging {tag}", props={"description": f"over {tag}"})
    person = ws.add_node(
        "Person",
        f"Persoon {tag}",
        props={"lawful_basis": "consent", "data_source": f"gesprek {tag}"},
        origin="scan",
    )
    other = ws.add_node("Person", f"Buur {tag}")
    community = ws.add_node("Community", f"Community {tag}")
    activity = ws.add_node("Activity", f"Activiteit {tag}")
    channel = ws.add_node("Channel", f"Kanaal {tag}")
    ws.add_tie("WORKS_AT", staff.id, lib.id)
    ws.add_tie("ACTIVE_ON", person.id, theme.id, strength=0.6, since="2024-01-01")
    knows = ws.add_tie("KNOWS", person.id, other.id, strength=0.4, since="2024-01-01")
    ws.change_tie(knows.id, on="2024-06-01", strength=0.8)
    ws.add_tie("MEMBER_OF", person.id, org.id, role="ambassador")
    ws.add_tie("MEMBER_OF", other.id, community.id)
    ws.add_tie("BOND_WITH", staff.id, person.id, strength=0.8)
    ws.add_tie("ORGANISES", org.id, activity.id)
    ws.add_tie("ACTIVE_IN", org.id, channel.id)
    ws.add_tie("ABOUT", community.id, theme.id)
    ws.add_contact(staff.id, person.id, on="2024-05-01", notes=f"koffie met {tag}")
    ids = {
        "library": lib.id,
        "staff": staff.id,
        "theme": theme.id,
        "organisation": org.id,
        "person": person.id,
        "other": other.id,
        "community": community.id,
        "activity": activity.id,
        "channel": channel.id,
        "tie": knows.id,
    }
    return ids, [f"Persoon {tag}", f"Vereniging {tag}", f"koffie met {tag}", f"Buur {tag}"]


def seed_two_workspaces(tmp_path: Path) -> Town:
    """Workspaces ``alpha`` and ``beta`` in one SQLite file, and accounts:
    admin/editor/viewer of alpha, admin of beta, and one with no role at all."""
    path = tmp_path / "town.db"
    store = SQLiteStore(path)
    town = Town(path=path)
    for slug, tag in (("alpha", "Alfaweg"), ("beta", "Betastraat")):
        town.ids[slug], town.names[slug] = seed_workspace(store, slug, tag)
    store.close()
    with Accounts(path) as accounts:
        for email, workspace, role in (
            ("admin@alpha.nl", "alpha", "admin"),
            ("editor@alpha.nl", "alpha", "editor"),
            ("viewer@alpha.nl", "alpha", "viewer"),
            ("admin@beta.nl", "beta", "admin"),
            ("nobody@alpha.nl", None, None),
        ):
            user = accounts.add_user(email, PASSWORD, name=email.split("@")[0].title())
            if workspace:
                accounts.set_role(email, workspace, role)
            town.users[email] = user.id
            town.tokens[email] = accounts.issue_token(email)
    return town


def make_app(town: Town, **config: Any):
    """The app on the town, with login required (no single-user mode)."""
    settings = {
        "TESTING": True,
        "DATABASE_URL": f"sqlite:///{town.path}",
        "WORKSPACE": "alpha",
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": True,
        "SINGLE_USER": False,
        "TRUSTED_HOSTS": "mapper.example",  # the HTTPS tests' host (web/security.py)
    }
    settings.update(config)
    return create_app(settings)


def csrf_token(client, path: str = "/account") -> str:
    """A CSRF token for the client's session, read from a page's form."""
    html = client.get(path).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client, email: str, password: str = PASSWORD, *, next: str | None = None):
    token = csrf_token(client, "/login")
    data = {"email": email, "password": password, "csrf_token": token}
    if next is not None:
        data["next"] = next
    return client.post("/login", data=data)


def rule_urls(app, rule, values: dict[str, list[Any]]) -> list[str]:
    """URLs for ``rule`` with each argument taken from ``values`` (by argument name, else
    from ``values["*"]``); every combination for one-argument rules, else the first value of
    each argument combined with each value of the first."""
    args = sorted(rule.arguments)
    if not args:
        return [rule.rule]
    choices = {}
    for arg in args:
        converter = rule._converters.get(arg)
        items = getattr(converter, "items", None)
        if items:
            choices[arg] = sorted(items)
        elif type(converter).__name__ in ("IntegerConverter",):
            choices[arg] = values.get(arg) or values.get("#") or [1]
        else:
            choices[arg] = values.get(arg) or values["*"]
    first, rest = args[0], args[1:]
    urls = []
    with app.test_request_context():
        for value in choices[first]:
            params = {first: value, **{a: choices[a][0] for a in rest}}
            try:
                urls.append(rule.build(params, append_unknown=False)[1])
            except Exception:  # noqa: BLE001 - a value the converter refuses
                continue
    return urls
