"""Fixtures for the web layer's tests: two workspaces with accounts of every role, the app on
them with login required, and ``auth`` to log test clients in and out through the real forms
(as the Flask tutorial's ``AuthActions``).

    def test_editor_sees_the_scan(auth):
        client = auth.login("editor@alpha.nl")
        assert client.get("/themes").status_code == 200
        auth.logout(client)

The single-user app and the demo town (``app``, ``client``, ``demo_client``) come from
``tests/fixtures_web.py`` through the root conftest.
"""

from __future__ import annotations

import pytest

from tests.privacy_helpers import PASSWORD, Town, csrf_token, login, make_app, seed_two_workspaces


class AuthActions:
    """Log in and out of ``app`` through its own ``/login`` and ``/logout`` forms (CSRF on)."""

    def __init__(self, app) -> None:
        self.app = app

    def client(self, address: str | None = None):
        """A fresh, logged-out test client (from ``address`` when given)."""
        client = self.app.test_client()
        if address is not None:
            client.environ_base["REMOTE_ADDR"] = address
        return client

    def login(self, email: str, password: str = PASSWORD, *, client=None, next: str | None = None):
        """A client logged in as ``email`` (a new one unless ``client`` is given); fails the test
        when the login is refused."""
        client = client if client is not None else self.client()
        response = login(client, email, password, next=next)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    def attempt(self, client, email: str, password: str = PASSWORD):
        """The answer to one login attempt, whatever it is (for tests of refusals)."""
        return login(client, email, password)

    def logout(self, client):
        """Log ``client`` out through the form on its account page; the answer."""
        return client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})


@pytest.fixture
def town(tmp_path) -> Town:
    """Workspaces ``alpha`` and ``beta`` with an account of every role (tests/privacy_helpers)."""
    return seed_two_workspaces(tmp_path)


@pytest.fixture
def login_app(town):
    """The app on ``town`` as a shared server runs it: login required, CSRF on."""
    return make_app(town)


@pytest.fixture
def auth(login_app) -> AuthActions:
    return AuthActions(login_app)
