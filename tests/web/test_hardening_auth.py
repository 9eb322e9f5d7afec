"""Races and leaks in accounts (issue 13, defects 2, 3, 5, 14, 15): the login limit under real
parallel requests against the served app, the Host header in every mode, sessions that end
at once (logout, password change, removal, "end sessions"), API tokens revoked by a password
change, invitations that tell nothing, and ``no-store`` on every page.
"""

from __future__ import annotations

import http.client
import re
import threading
from contextlib import contextmanager
from http.cookies import SimpleCookie

import pytest
from werkzeug.serving import make_server

from mapper.accounts import MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS, Accounts
from tests.privacy_helpers import (
    CSRF_RE,
    PASSWORD,
    csrf_token,
    login,
    make_app,
    seed_two_workspaces,
)


@pytest.fixture
def town(tmp_path):
    return seed_two_workspaces(tmp_path)


@pytest.fixture
def app(town):
    return make_app(town)


@contextmanager
def served(app):
    """The real app on a free port of 127.0.0.1, one thread per request."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        thread.join(10)


class Browser:
    """One visitor with its own cookie jar, speaking HTTP to the served app."""

    def __init__(self, port: int, host: str | None = None):
        self.port = port
        self.host = host
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str, dict]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {}
        if self.host:
            headers["Host"] = self.host
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for value in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(value)
            for key, morsel in jar.items():
                self.cookies[key] = morsel.value
        conn.close()
        return response.status, text, dict(response.headers)

    def token(self, path: str) -> str:
        _status, text, _headers = self.request("GET", path)
        return CSRF_RE.search(text).group(1)


def _form(**fields: str) -> str:
    from urllib.parse import urlencode

    return urlencode(fields)


def _parallel(jobs):
    """Run the callables at once (released together by a barrier); their results in order."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(i, job):
        barrier.wait()
        results[i] = job()

    threads = [threading.Thread(target=run, args=(i, j)) for i, j in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    return results


def _login_jobs(port, attempts):
    """Each attempt ``(email, password)`` as a visitor who has fetched the login form."""
    jobs = []
    for email, password in attempts:
        browser = Browser(port)
        token = browser.token("/login")
        body = _form(email=email, password=password, csrf_token=token)
        jobs.append(lambda b=browser, body=body: b.request("POST", "/login", body)[0])
    return jobs


# --------------------------------------------------------------------------- 2: the login limit


def test_100_parallel_wrong_passwords_for_one_account_get_5_evaluated(app, town):
    with served(app) as port:
        statuses = _parallel(_login_jobs(port, [("viewer@alpha.nl", "wrong password!")] * 100))
    evaluated = sum(1 for s in statuses if s != 429)
    assert statuses.count(401) == evaluated
    assert evaluated == MAX_FAILURES_PER_ACCOUNT, statuses
    assert statuses.count(429) == 100 - MAX_FAILURES_PER_ACCOUNT


def test_the_right_password_among_40_parallel_guesses_does_not_reset_the_count(app, town):
    attempts = [("editor@alpha.nl", "wrong password!")] * 40
    attempts[29] = ("editor@alpha.nl", PASSWORD)
    with served(app) as port:
        statuses = _parallel(_login_jobs(port, attempts))
    evaluated = [s for s in statuses if s != 429]
    wrong = sum(1 for s in evaluated if s == 401)
    # At most MAX wrong guesses are evaluated. The right one is released once it succeeds
    # (Accounts.reserve_attempt), so if it comes early one more wrong guess may be evaluated
    # after it, and never more than that.
    assert wrong <= MAX_FAILURES_PER_ACCOUNT, statuses
    assert len(evaluated) <= MAX_FAILURES_PER_ACCOUNT + 1, statuses
    with Accounts(town.path) as accounts:
        # every evaluated wrong guess still counts: a success cleared nothing
        assert accounts.failures("login:editor@alpha.nl") == wrong


def test_parallel_guesses_from_one_address_get_20_evaluated(app, town):
    attempts = [(f"guess{i % 30}@alpha.nl", "wrong password!") for i in range(60)]
    with served(app) as port:
        statuses = _parallel(_login_jobs(port, attempts))
    assert sum(1 for s in statuses if s != 429) == MAX_FAILURES_PER_ADDRESS, statuses


def test_the_current_password_check_is_held_to_the_same_limit(app, town):
    with served(app) as port:
        browser = Browser(port)
        token = browser.token("/login")
        body = _form(email="editor@alpha.nl", password=PASSWORD, csrf_token=token)
        assert browser.request("POST", "/login", body)[0] == 302
        token = browser.token("/account")
        body = _form(**{"pw-csrf_token": token, "pw-current": "wrong guess!", "pw-new": "x" * 12})
        statuses = _parallel([lambda: browser.request("POST", "/account/password", body)[0]] * 30)
    evaluated = sum(1 for s in statuses if s != 429)
    assert evaluated == MAX_FAILURES_PER_ACCOUNT, statuses
    with Accounts(town.path) as accounts:
        assert accounts.failures("login:editor@alpha.nl") == MAX_FAILURES_PER_ACCOUNT


# --------------------------------------------------------------------------- 3: trusted hosts


@pytest.fixture
def single_user_app(town):
    return make_app(town, SINGLE_USER=True, HOST="127.0.0.1")


def test_dns_rebinding_gets_400_in_single_user_mode(single_user_app, town):
    person = town.ids["alpha"]["person"]
    path = f"/privacy/person/{person}/export.json"
    with served(single_user_app) as port:
        status, text, _ = Browser(port, host="evil.example").request("GET", path)
        assert status == 400 and "Persoon" not in text
        status, _text, _ = Browser(port, host=f"evil.example:{port}").request("GET", path)
        assert status == 400
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}", "[::1]"):
            assert Browser(port, host=host).request("GET", path)[0] == 200, host


@pytest.mark.parametrize("mode", ["single-user", "login"])
def test_a_foreign_host_gets_400_in_every_mode(town, mode):
    settings = {"SINGLE_USER": mode == "single-user", "HOST": "127.0.0.1"}
    client = make_app(town, **settings).test_client()
    for path in ("/", "/login", "/static/app.css", "/no/such/page"):
        assert client.get(path, headers={"Host": "evil.example"}).status_code == 400, path


def test_configured_host_names_are_accepted(town):
    app = make_app(town, TRUSTED_HOSTS="mapper.bieb.nl, .regio.nl", HOST="0.0.0.0")
    client = app.test_client()
    assert client.get("/login", headers={"Host": "mapper.bieb.nl"}).status_code == 200
    assert client.get("/login", headers={"Host": "a.regio.nl:8000"}).status_code == 200
    assert client.get("/login", headers={"Host": "regio.nl.evil.example"}).status_code == 400
    assert client.get("/login", headers={"Host": "0.0.0.0"}).status_code == 400


# --------------------------------------------------------------------------- 5: sessions


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _replay(app, cookie: str):
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other.get("/")


def test_a_cookie_replayed_after_logout_is_dead(app):
    client = app.test_client()
    assert login(client, "editor@alpha.nl").status_code == 302
    cookie = _cookie(client)
    assert _replay(app, cookie).status_code == 200
    client.post("/logout", data={"logout-csrf_token": csrf_token(client, "/account")})
    response = _replay(app, cookie)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_password_change_ends_other_sessions_and_revokes_the_token(app, town):
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, "editor@alpha.nl")
    login(phone, "editor@alpha.nl")
    bearer = {"Authorization": f"Bearer {town.tokens['editor@alpha.nl']}"}
    assert app.test_client().get("/api/warm-contacts", headers=bearer).status_code != 401
    token = csrf_token(laptop, "/account")
    laptop.post(
        "/account/password",
        data={"pw-csrf_token": token, "pw-current": PASSWORD, "pw-new": "a brand new password"},
    )
    assert laptop.get("/").status_code == 200  # this browser goes on
    assert phone.get("/").status_code == 302  # the other session has ended
    assert app.test_client().get("/api/warm-contacts", headers=bearer).status_code == 401


def test_removal_and_end_sessions_end_them_at_once(app, town):
    viewer, editor = app.test_client(), app.test_client()
    login(viewer, "viewer@alpha.nl")
    login(editor, "editor@alpha.nl")
    admin = app.test_client()
    login(admin, "admin@alpha.nl")
    token = csrf_token(admin, "/admin/")
    editor_id, viewer_id = town.users["editor@alpha.nl"], town.users["viewer@alpha.nl"]
    admin.post(f"/admin/users/{editor_id}/sessions/end", data={f"s{editor_id}-csrf_token": token})
    assert editor.get("/").status_code == 302
    assert viewer.get("/").status_code == 200
    admin.post(f"/admin/users/{viewer_id}/remove", data={f"r{viewer_id}-csrf_token": token})
    assert viewer.get("/").status_code == 302


def test_a_new_token_is_never_put_in_the_session_cookie(app):
    from flask.sessions import SecureCookieSessionInterface

    client = app.test_client()
    login(client, "editor@alpha.nl")
    response = client.post("/account/token", data={"token-csrf_token": csrf_token(client)})
    assert response.status_code == 200
    shown = re.search(r'<code id="new-token">(cm_[^<]+)</code>', response.get_data(as_text=True))
    assert shown
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    assert shown.group(1) not in str(serializer.loads(_cookie(client)))
    assert response.headers["Cache-Control"] == "no-store"
    again = client.get("/account").get_data(as_text=True)
    assert shown.group(1) not in again  # shown once only


# --------------------------------------------------------------------------- 14: invitations


def test_inviting_a_known_or_unknown_address_gives_the_same_answer(app, town):
    admin = app.test_client()
    login(admin, "admin@alpha.nl")
    answers = []
    for email in ("admin@beta.nl", "nobody-here@beta.nl"):
        token = csrf_token(admin, "/admin/")
        response = admin.post(
            "/admin/users", data={"csrf_token": token, "email": email, "role": "viewer"}
        )
        page = admin.get(response.headers["Location"]).get_data(as_text=True)
        flashes = re.findall(r'class="flash[^"]*"[^>]*>(.*?)</', page, re.S)
        answers.append((response.status_code, [f.replace(email, "EMAIL") for f in flashes]))
    assert answers[0] == answers[1]
    assert answers[0][0] == 302 and len(answers[0][1]) == 1
    with Accounts(town.path) as accounts:  # nothing granted yet
        assert accounts.roles(town.users["admin@beta.nl"]) == {"beta": "admin"}


def test_the_account_holder_accepts_an_invitation(app, town):
    admin = app.test_client()
    login(admin, "admin@alpha.nl")
    admin.post(
        "/admin/users",
        data={
            "csrf_token": csrf_token(admin, "/admin/"),
            "email": "admin@beta.nl",
            "role": "viewer",
        },
    )
    other = app.test_client()
    login(other, "admin@beta.nl")
    page = other.get("/account").get_data(as_text=True)
    (inv,) = re.findall(r"/account/invitations/([^/]+)/accept", page)
    # someone else cannot accept it for them
    editor = app.test_client()
    login(editor, "editor@alpha.nl")
    stolen = editor.post(
        f"/account/invitations/{inv}/accept", data={"acc-csrf_token": csrf_token(editor)}
    )
    assert stolen.status_code == 404
    other.post(f"/account/invitations/{inv}/accept", data={"acc-csrf_token": csrf_token(other)})
    with Accounts(town.path) as accounts:
        assert accounts.roles(town.users["admin@beta.nl"]) == {"alpha": "viewer", "beta": "admin"}


# --------------------------------------------------------------------------- 15: no-store


def test_every_response_with_personal_data_is_no_store(app, town):
    client = app.test_client()
    login(client, "editor@alpha.nl")
    person = town.ids["alpha"]["person"]
    for path in (
        "/",
        "/io/export?format=xlsx",
        "/io/export?format=csv",
        f"/privacy/person/{person}/export.json",
        f"/entity/{person}",
        "/privacy/audit.csv",
        "/login",
    ):
        response = client.get(path)
        assert response.headers.get("Cache-Control") == "no-store", (path, response.headers)
        response.close()
    with client.get("/static/app.css") as static:
        assert static.headers.get("Cache-Control") != "no-store"
