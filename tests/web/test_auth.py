"""Accounts, roles, workspaces and web security, through the real app with login required.

Every test here runs the app as a shared server would: no single-user mode, CSRF on. Rules are
taken from the app's own URL map, so pages other areas add are covered without naming them.
"""

from __future__ import annotations

import html
import re
import sqlite3
import time
from urllib.parse import quote, quote_plus

import pytest

from mapper.accounts import MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS, Accounts
from mapper.store import SQLiteStore
from tests.privacy_helpers import (
    CSRF_RE,
    INJECTIONS,
    PASSWORD,
    csrf_token,
    login,
    make_app,
    rule_urls,
)

SAFE = {"GET", "HEAD", "OPTIONS"}
#: Endpoints any logged-in account may post to, whatever its role (its own session/account).
ACCOUNT_ENDPOINTS = {
    "auth.login",
    "auth.logout",
    "auth.switch",
    "auth.token",
    "auth.password",
    "auth.accept",
    "auth.decline",
}


@pytest.fixture
def app(login_app):  # overrides the single-user app of fixtures_web: login required here
    return login_app


def client_from(app, address):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def rules(app, *, methods=None, with_args=None):
    out = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        if methods and not (rule.methods & methods):
            continue
        if with_args is not None and bool(rule.arguments) != with_args:
            continue
        out.append(rule)
    return sorted(out, key=lambda r: r.rule)


def alpha_values(town):
    return {"*": town.all_ids("alpha"), "#": [town.users["editor@alpha.nl"]]}


def beta_values(town):
    return {"*": town.all_ids("beta"), "#": [town.users["admin@beta.nl"]]}


def fresh_token(client):
    return csrf_token(client, "/account")


# --------------------------------------------------------------------------- login


def test_every_page_needs_login(app, town):
    client = app.test_client()
    checked = 0
    for rule in rules(app, methods={"GET"}):
        if rule.endpoint in ("auth.login", "api_entities.openapi") or rule.endpoint.startswith(
            "invite_public."
        ):
            continue  # public by design: the invitation form (tests/web/test_invite_web.py), the API's contract
        for url in rule_urls(app, rule, alpha_values(town)):
            response = client.get(url)
            checked += 1
            assert response.status_code in (302, 401), (url, response.status_code)
            if response.status_code == 302:
                assert response.headers["Location"].startswith("/login?next="), url
            assert b"Alfaweg" not in response.data, url
    assert checked >= 10


def test_api_without_login_answers_401_json(app):
    response = app.test_client().get("/", headers={"Accept": "application/json"})
    assert response.status_code == 401
    assert response.get_json()["error"] == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_login_then_logout(app):
    client = app.test_client()
    response = login(client, "editor@alpha.nl", next="/privacy/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/privacy/"
    assert client.get("/").status_code == 200
    response = client.post("/logout", data={"csrf_token": fresh_token(client)})
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_wrong_password_is_refused_without_saying_which_part(app):
    client = app.test_client()
    wrong_password = login(client, "editor@alpha.nl", "not the password")
    unknown_login = login(client, "nobody-at-all@alpha.nl", "not the password")
    assert wrong_password.status_code == unknown_login.status_code == 401
    assert b"editor@alpha.nl" in wrong_password.data  # the form keeps what was typed …
    text = wrong_password.get_data(as_text=True)
    assert "not the password" not in text  # … but never the password


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "https://evil.example/",
        "http:evil.example",
        "/\\evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
        "\\\\evil.example",
    ],
)
def test_next_cannot_redirect_to_another_site(app, target):
    client = app.test_client()
    response = login(client, "editor@alpha.nl", next=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    # And a logged-in visit to the login page with the same next stays home too.
    again = client.get("/login", query_string={"next": target})
    assert again.headers["Location"] == "/"


def test_failed_logins_are_rate_limited_per_account(app):
    client = app.test_client()
    for _ in range(MAX_FAILURES_PER_ACCOUNT):
        assert login(client, "viewer@alpha.nl", "wrong password!").status_code == 401
    # Now even the right password is refused for a while, with 429 …
    response = login(client, "viewer@alpha.nl")
    assert response.status_code == 429
    assert b"Traceback" not in response.data
    # … while another account (from the same address) still logs in.
    assert login(app.test_client(), "editor@alpha.nl").status_code == 302


def test_failed_logins_are_rate_limited_per_address(app):
    client = client_from(app, "10.1.2.3")
    for i in range(MAX_FAILURES_PER_ADDRESS):
        login(client, f"guess{i}@alpha.nl", "wrong password!")
    assert login(client, "editor@alpha.nl").status_code == 429
    elsewhere = client_from(app, "10.9.9.9")
    assert login(elsewhere, "editor@alpha.nl").status_code == 302


def test_session_expires(app, auth):
    client = auth.login("editor@alpha.nl")
    assert client.get("/").status_code == 200
    lifetime = app.permanent_session_lifetime.total_seconds()
    with client.session_transaction() as session:
        session["login_at"] = time.time() - lifetime - 1
    assert client.get("/").status_code == 302


def test_password_change_ends_other_sessions(app, town, auth):
    client = auth.login("editor@alpha.nl")
    with Accounts(town.path) as accounts:
        accounts.set_password("editor@alpha.nl", "a brand new password")
    assert client.get("/").status_code == 302


def test_session_cookie_flags(app):
    client = app.test_client()
    response = login(client, "editor@alpha.nl")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http on this machine
    secure = app.test_client()
    page = secure.get("/login", base_url="https://mapper.example").get_data(as_text=True)
    token = CSRF_RE.search(page).group(1)
    response = secure.post(
        "/login",
        base_url="https://mapper.example",
        headers={"Referer": "https://mapper.example/login"},
        data={"email": "editor@alpha.nl", "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    assert "Secure" in response.headers["Set-Cookie"]
    assert "max-age" in response.headers["Strict-Transport-Security"]


def test_security_headers(app, auth):
    client = auth.login("viewer@alpha.nl")
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    script_src = next(p for p in csp.split(";") if p.strip().startswith("script-src"))
    assert "unsafe-inline" not in script_src
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]
    assert response.headers["Cache-Control"] == "no-store"


# --------------------------------------------------------------------------- single-user mode


def test_single_user_mode_needs_loopback_binding_and_setting(town):
    local = make_app(town, SINGLE_USER=True, HOST="127.0.0.1").test_client()
    assert local.get("/").status_code == 200
    for app in (
        make_app(town, SINGLE_USER=True, HOST="0.0.0.0"),
        make_app(town, SINGLE_USER=True, HOST="192.168.1.10"),
        make_app(town, SINGLE_USER=False, HOST="127.0.0.1"),
        make_app(town, SINGLE_USER="0", HOST="127.0.0.1"),
    ):
        assert app.test_client().get("/").status_code == 302, app.config["HOST"]
    # Bound to loopback, but the request came from elsewhere or through a proxy: login.
    app = make_app(town, SINGLE_USER=True, HOST="127.0.0.1")
    remote = client_from(app, "10.0.0.5")
    assert remote.get("/").status_code == 302
    proxied = app.test_client()
    assert proxied.get("/", headers={"X-Forwarded-For": "203.0.113.7"}).status_code == 302


def test_single_user_mode_still_needs_csrf_tokens(town):
    client = make_app(town, SINGLE_USER=True, HOST="127.0.0.1").test_client()
    person = town.ids["alpha"]["person"]
    forged = client.post(f"/privacy/person/{person}/basis", data={"lawful_basis": "contract"})
    assert forged.status_code == 400
    token = csrf_token(client, f"/privacy/person/{person}")
    fine = client.post(
        f"/privacy/person/{person}/basis", data={"lawful_basis": "contract", "csrf_token": token}
    )
    assert fine.status_code == 302
    with SQLiteStore(town.path) as store:
        assert store.get_node("alpha", person).props["lawful_basis"] == "contract"
        assert store.audit("alpha", entity=person)[0].actor == "local"


def test_cli_serve_settings(tmp_path, monkeypatch):
    from mapper.cli.users import serve_settings

    url = f"sqlite:///{tmp_path / 'x.db'}"
    monkeypatch.delenv("MAPPER_SINGLE_USER", raising=False)
    monkeypatch.delenv("MAPPER_ACCOUNTS_PATH", raising=False)
    # Login unless single-user mode is asked for explicitly ...
    assert serve_settings(url, "127.0.0.1")["SINGLE_USER"] is False
    assert serve_settings(url, "127.0.0.1", True)["SINGLE_USER"] is True
    monkeypatch.setenv("MAPPER_SINGLE_USER", "1")
    assert serve_settings(url, "127.0.0.1")["SINGLE_USER"] is True
    assert serve_settings(url, "127.0.0.1", False)["SINGLE_USER"] is False  # the flag wins
    # ... and never off loopback, whatever is asked.
    assert serve_settings(url, "0.0.0.0")["SINGLE_USER"] is False
    assert serve_settings(url, "192.168.1.10", True)["SINGLE_USER"] is False
    with Accounts(tmp_path / "x.db") as accounts:
        accounts.add_user("a@b.nl", PASSWORD)
    monkeypatch.delenv("MAPPER_SINGLE_USER")
    assert serve_settings(url, "127.0.0.1")["SINGLE_USER"] is False


# --------------------------------------------------------------------------- roles


def test_viewer_can_read_but_every_post_is_refused(app, town, auth):
    client = auth.login("viewer@alpha.nl")
    assert client.get("/").status_code == 200
    assert client.get(f"/privacy/person/{town.ids['alpha']['person']}").status_code == 403
    token = fresh_token(client)
    posted = 0
    for rule in rules(app, methods={"POST"}):
        if rule.endpoint in ACCOUNT_ENDPOINTS or rule.endpoint.startswith("invite_public."):
            continue  # the public invitation form needs no role (tests/web/test_invite_web.py)
        for url in rule_urls(app, rule, alpha_values(town))[:2]:
            response = client.post(url, data={"csrf_token": token})
            posted += 1
            assert response.status_code == 403, (url, response.status_code)
    assert posted >= 5


def test_editor_writes_but_cannot_manage_users(app, town, auth):
    client = auth.login("editor@alpha.nl")
    person = town.ids["alpha"]["person"]
    token = fresh_token(client)
    response = client.post(
        f"/privacy/person/{person}/basis",
        data={"csrf_token": token, "lawful_basis": "public_task", "data_source": "bijeenkomst"},
    )
    assert response.status_code == 302
    with SQLiteStore(town.path) as store:
        node = store.get_node("alpha", person)
        assert node.props["lawful_basis"] == "public_task"
        assert store.audit("alpha", entity=person)[0].actor == "editor@alpha.nl"
    for rule in rules(app):
        if not rule.endpoint.startswith("admin."):
            continue
        for url in rule_urls(app, rule, alpha_values(town)):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = client.open(url, method=method, data={"csrf_token": token})
                assert response.status_code == 403, (method, url)
    # An editor cannot erase either.
    erase = client.post(
        f"/privacy/person/{person}/erase", data={"csrf_token": token, "confirm": "y"}
    )
    assert erase.status_code == 403
    with SQLiteStore(town.path) as store:
        assert store.get_node("alpha", person)


def test_admin_manages_users_of_own_workspace(app, town, auth):
    client = auth.login("admin@alpha.nl")
    page = client.get("/admin/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "editor@alpha.nl" in text and "admin@beta.nl" not in text
    token = fresh_token(client)
    with Accounts(town.path) as accounts:
        new = accounts.add_user("new@alpha.nl", PASSWORD, name="Nieuw")  # mapper user add
    response = client.post(
        "/admin/users",
        data={"csrf_token": token, "email": "new@alpha.nl", "role": "editor"},
    )
    assert response.status_code == 302
    with Accounts(town.path) as accounts:
        assert accounts.roles(new.id) == {}  # an invitation, until its holder accepts
    newcomer = auth.login("new@alpha.nl")
    page = newcomer.get("/account").get_data(as_text=True)
    (invitation,) = re.findall(r'action="/account/invitations/([^/"]+)/accept"', page)
    newcomer.post(
        f"/account/invitations/{invitation}/accept",
        data={"acc-csrf_token": CSRF_RE.search(page).group(1)},
    )
    with Accounts(town.path) as accounts:
        assert accounts.roles(new.id) == {"alpha": "editor"}
    viewer_id = town.users["viewer@alpha.nl"]
    client.post(
        f"/admin/users/{viewer_id}/role",
        data={f"u{viewer_id}-csrf_token": token, f"u{viewer_id}-role": "editor"},
    )
    with Accounts(town.path) as accounts:
        assert accounts.roles(viewer_id) == {"alpha": "editor"}
    # The admin of alpha cannot touch beta's admin: not found.
    beta_admin = town.users["admin@beta.nl"]
    response = client.post(f"/admin/users/{beta_admin}/remove", data={"csrf_token": token})
    assert response.status_code == 404
    with Accounts(town.path) as accounts:
        assert accounts.roles(beta_admin) == {"beta": "admin"}
    editor_id = town.users["editor@alpha.nl"]
    response = client.post(
        f"/admin/users/{editor_id}/remove", data={f"r{editor_id}-csrf_token": token}
    )
    assert response.status_code == 302
    with Accounts(town.path) as accounts:
        assert accounts.roles(editor_id) == {}
    # The last admin cannot remove themself.
    me = town.users["admin@alpha.nl"]
    client.post(
        f"/admin/users/{me}/role", data={f"u{me}-csrf_token": token, f"u{me}-role": "viewer"}
    )
    with Accounts(town.path) as accounts:
        assert accounts.roles(me) == {"alpha": "admin"}
    # The organisations-only setting is refused while people are held.
    client.post(
        "/admin/settings",
        data={"csrf_token": token, "organisations_only": "y", "review_months": "6"},
    )
    with SQLiteStore(town.path) as store:
        assert not store.get_workspace("alpha").settings.get("organisations_only")


def test_account_without_a_role_sees_nothing(app, auth):
    client = auth.login("nobody@alpha.nl")
    assert client.get("/").status_code == 403
    assert client.get("/account").status_code == 200


def test_workspace_switcher_only_offers_own_workspaces(app, town, auth):
    with Accounts(town.path) as accounts:
        accounts.set_role("viewer@alpha.nl", "beta", "editor")
    client = auth.login("viewer@alpha.nl")
    token = fresh_token(client)
    assert client.get("/privacy/").status_code == 403  # viewer in alpha
    client.post("/workspace", data={"ws-csrf_token": token, "ws-workspace": "beta"})
    assert client.get("/privacy/").status_code == 200  # editor in beta
    beta_person = town.ids["beta"]["person"]
    assert client.get(f"/privacy/person/{beta_person}").status_code == 200
    alpha_person = town.ids["alpha"]["person"]
    assert client.get(f"/privacy/person/{alpha_person}").status_code == 404


def test_switching_to_a_foreign_workspace_is_ignored(app, town, auth):
    client = auth.login("editor@alpha.nl")
    token = fresh_token(client)
    client.post("/workspace", data={"ws-csrf_token": token, "ws-workspace": "beta"})
    with client.session_transaction() as session:
        session["workspace"] = "beta"  # even a forged session value does not help
    response = client.get(f"/privacy/person/{town.ids['beta']['person']}")
    assert response.status_code == 404


# --------------------------------------------------------------------------- CSRF


def test_every_form_post_without_csrf_token_is_refused(app, town, auth):
    client = auth.login("admin@alpha.nl")
    posted = 0
    for rule in rules(app, methods={"POST"}):
        if rule.endpoint == "auth.login":
            continue
        for url in rule_urls(app, rule, alpha_values(town))[:2]:
            response = client.post(url, data={"confirm": "y", "role": "viewer"})
            posted += 1
            assert response.status_code == 400, (url, response.status_code)
            assert b"Traceback" not in response.data
    assert posted >= 8
    with SQLiteStore(town.path) as store:
        assert store.get_node("alpha", town.ids["alpha"]["person"])
    # The login form itself needs its token too.
    response = app.test_client().post(
        "/login", data={"email": "admin@alpha.nl", "password": PASSWORD}
    )
    assert response.status_code == 400


def test_api_token_works_without_csrf_and_respects_roles(app, town):
    person = town.ids["alpha"]["person"]
    editor = {"Authorization": f"Bearer {town.tokens['editor@alpha.nl']}"}
    client = app.test_client()
    assert client.get("/", headers=editor).status_code == 200
    response = client.post(
        f"/privacy/person/{person}/basis",
        headers=editor,
        data={"lawful_basis": "contract", "data_source": "api"},
    )
    assert response.status_code == 302
    viewer = {"Authorization": f"Bearer {town.tokens['viewer@alpha.nl']}"}
    assert (
        client.post(f"/privacy/person/{person}/basis", headers=viewer, data={}).status_code == 403
    )
    bad = client.get("/", headers={"Authorization": "Bearer cm_not-a-token"})
    assert bad.status_code == 401 and bad.get_json()["error"] == 401
    # A token never opens a session: the next request without it is anonymous.
    assert client.get("/").status_code == 302


# --------------------------------------------------------------------------- workspaces


@pytest.mark.parametrize("via", ["session", "token"])
def test_other_workspace_entities_are_not_found_everywhere(app, town, via, auth):
    """Every rule with an argument, filled with each of beta's ids, as alpha's admin: 404
    for every read; no write lands in beta; beta's texts never appear."""
    if via == "session":
        client = auth.login("admin@alpha.nl")
        headers, token = {}, fresh_token(client)
    else:
        client = app.test_client()
        headers, token = {"Authorization": f"Bearer {town.tokens['admin@alpha.nl']}"}, None
    with SQLiteStore(town.path) as store:
        before = len(store.audit("beta"))
    checked = 0
    for rule in rules(app, with_args=True):
        for url in rule_urls(app, rule, beta_values(town)):
            if "GET" in rule.methods:
                response = client.get(url, headers=headers)
                checked += 1
                assert response.status_code == 404, (url, response.status_code)
                for text in town.names["beta"]:
                    assert text.encode() not in response.data, (url, text)
            if "POST" in rule.methods:
                data = {"csrf_token": token, "confirm": "y", "role": "viewer"} if token else {}
                response = client.post(url, headers=headers, data=data)
                assert response.status_code in (404, 400), (url, response.status_code)
                for text in town.names["beta"]:
                    assert text.encode() not in response.data, (url, text)
    assert checked >= 8
    with SQLiteStore(town.path) as store:
        assert len(store.audit("beta")) == before
        assert store.get_node("beta", town.ids["beta"]["person"])


#: Query parameters pages and the API take an entity id in.
ID_PARAMS = (
    "target",
    "node",
    "id",
    "theme",
    "community",
    "person",
    "focus",
    "a",
    "b",
    "keep",
    "drop",
)
#: Query parameters pages search names with.
NAME_PARAMS = ("q", "query", "search", "name")


def test_pages_without_ids_show_nothing_of_other_workspace(app, town, auth):
    """Every page without path arguments, as alpha's admin (session and API token): nothing
    of beta shows, also when given beta's ids in the query string; given beta's names (a
    search), the answer is the same as for a name that exists nowhere."""
    client = auth.login("admin@alpha.nl")
    token = {"Authorization": f"Bearer {town.tokens['admin@alpha.nl']}"}

    def both(url, query):
        answers = (
            client.get(url, query_string=query),
            app.test_client().get(url, query_string=query, headers=token),
        )
        with client.session_transaction() as session:
            session.pop("_flashes", None)  # a message echoing the query is not a leak
        return answers

    def normal(response, name):
        text = CSRF_RE.sub("", response.get_data(as_text=True))
        for form in (name, quote_plus(name), quote(name), html.escape(name)):
            text = text.replace(form, "NAME")
        return response.status_code, text

    for rule in rules(app, methods={"GET"}, with_args=False):
        response = client.get(rule.rule)
        assert response.status_code < 500, rule.rule
        for text in town.names["beta"]:
            assert text.encode() not in response.data, (rule.rule, text)
        for beta_id in town.all_ids("beta"):
            for response in both(rule.rule, {p: beta_id for p in ID_PARAMS}):
                assert response.status_code < 500, (rule.rule, beta_id)
                for text in town.names["beta"]:
                    assert text.encode() not in response.data, (rule.rule, beta_id, text)
        for name in town.names["beta"]:
            nowhere = name.replace("Betastraat", "Nergenslaan")
            params = (*ID_PARAMS, *NAME_PARAMS)
            guessed = both(rule.rule, {p: name for p in params})
            control = both(rule.rule, {p: nowhere for p in params})
            for got, expected in zip(guessed, control):
                assert normal(got, name) == normal(expected, nowhere), (rule.rule, name)


# --------------------------------------------------------------------------- input as text


def test_sql_and_cypher_looking_input_is_plain_text(app, town, auth):
    with SQLiteStore(town.path) as store:
        ws = store.workspace("alpha")
        made = {text: ws.add_node("Organisation", f"Club {text}").id for text in INJECTIONS}
        counts = ws.counts()
        for text, node_id in made.items():
            assert [n.id for n in ws.find_nodes(f"Club {text}")] == [node_id]
        assert ws.find_nodes("' OR 1=1 --") == []
    client = auth.login("admin@alpha.nl")
    params = (
        "q",
        "query",
        "search",
        "kind",
        "theme",
        "filter",
        "as_of",
        "months",
        "lang",
        "community",
        "target",
        "limit",
    )
    for rule in rules(app, methods={"GET"}, with_args=False):
        for text in INJECTIONS:
            response = client.get(rule.rule, query_string={p: text for p in params})
            assert response.status_code < 500, (rule.rule, text)
            assert b"Traceback" not in response.data
    with SQLiteStore(town.path) as store:
        assert store.workspace("alpha").counts() == counts
        assert sqlite3.connect(town.path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# --------------------------------------------------------------------------- errors


def test_error_pages_show_no_internals(town):
    app = make_app(
        town,
        PROPAGATE_EXCEPTIONS=False,
        MAX_CONTENT_LENGTH=1024,
        SINGLE_USER=True,
        HOST="127.0.0.1",
    )

    @app.get("/test-crash")
    def crash():  # type: ignore[no-untyped-def]
        raise sqlite3.OperationalError("no such table: secret_internal_table")

    client = app.test_client()
    response = client.get("/test-crash")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    for leak in ("secret_internal_table", "Traceback", "sqlite", "OperationalError"):
        assert leak not in body
    assert "Er ging iets mis" in body  # Dutch by default
    english = client.get("/test-crash?lang=en").get_data(as_text=True)
    assert "Something went wrong" in english
    missing = client.get("/entity/per-000000000000?lang=nl")
    assert missing.status_code == 404 and "Niet gevonden" in missing.get_data(as_text=True)
    big = client.post("/admin/settings", data={"x": "y" * 5000})
    assert big.status_code == 413
    not_allowed = client.delete("/privacy/audit.csv")
    assert not_allowed.status_code == 405 and b"Traceback" not in not_allowed.data


def test_api_token_from_the_account_page(app, town, auth):
    client = auth.login("viewer@alpha.nl")
    page = client.get("/account").get_data(as_text=True)
    token = CSRF_RE.search(page).group(1)
    response = client.post("/account/token", data={"token-csrf_token": token})
    assert response.status_code == 200  # shown in this answer, never kept in the session
    shown = response.get_data(as_text=True)
    new = re.search(r'<code id="new-token">([^<]+)</code>', shown).group(1)
    assert "new-token" not in client.get("/account").get_data(as_text=True)  # shown once
    api = app.test_client()
    assert api.get("/", headers={"Authorization": f"Bearer {new}"}).status_code == 200
    old = town.tokens["viewer@alpha.nl"]
    assert api.get("/", headers={"Authorization": f"Bearer {old}"}).status_code == 401


def test_own_pages_have_unique_element_ids(app, town, auth):
    client = auth.login("admin@alpha.nl")
    person = town.ids["alpha"]["person"]
    for url in (
        "/admin/",
        "/admin/settings",
        "/account",
        "/privacy/",
        "/privacy/audit",
        f"/privacy/person/{person}",
        f"/privacy/person/{person}/erase",
        "/",
    ):
        ids = re.findall(r'\sid="([^"]+)"', client.get(url).get_data(as_text=True))
        duplicates = {i for i in ids if ids.count(i) > 1}
        assert not duplicates, (url, duplicates)
