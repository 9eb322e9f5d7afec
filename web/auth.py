"""Accounts in the web app: the ``auth`` blueprint, the user bar's forms, and the rules every
request passes through. Its views are in :mod:`web.auth_login` (login, logout, the workspace
switcher) and :mod:`web.auth_account` (the account page, API tokens, passwords, invitations).

:func:`init_app` installs, for the whole app (so every page any area adds is covered):

- **authentication**: a session (after login) or an API token (``Authorization: Bearer …``);
  without either, a page redirects to the login page and the JSON API answers 401;
- **single-user mode**: no login, only when ``SINGLE_USER`` is set *and* the app is bound to
  a loopback address (``HOST``) *and* the request comes from the same machine without passing
  a proxy; anywhere else login is always required;
- **roles per workspace**: a viewer may only read (GET); an editor may also write (POST …),
  except on admin pages; an admin may do everything. A view can ask for more with
  :func:`requires_role`;
- **CSRF**: every state-changing request carries its CSRF token, except API requests that
  authenticate with a token (a browser never sends that header by itself);
- **sessions** kept on the server (a random id in the signed cookie, checked against the
  accounts file on every request), so logout, a password change, removal from a workspace
  and an admin's "end sessions" end them at once; they expire after ``SESSION_HOURS``
  (default 8);
  the session cookie is ``Secure`` whenever the request came over HTTPS (or ``SECURE_COOKIES``
  is set), always ``HttpOnly`` and ``SameSite=Lax``.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    redirect,
    request,
    session,
    url_for,
)
from flask.sessions import SecureCookieSessionInterface
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.exceptions import HTTPException
from wtforms import SelectField, SubmitField

from mapper.accounts import ROLE_RANK, Accounts, User, accounts_path

bp = Blueprint("auth", __name__)

#: Host names and addresses that mean "this machine only".
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
LOOPBACK_ADDRESSES = frozenset({"127.0.0.1", "::1"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
DEFAULT_SESSION_HOURS = 8
#: The account name used in single-user mode (and in the audit trail).
LOCAL_ACTOR = "local"

_TRUE = ("1", "true", "yes", "on")


def truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in _TRUE
    return bool(value)


# --------------------------------------------------------------------------- who is asking


@dataclass(frozen=True)
class LocalUser:
    """The one user of single-user mode: admin everywhere, no password."""

    id: int = 0
    email: str = LOCAL_ACTOR
    name: str | None = None
    display_name: str = LOCAL_ACTOR
    local: bool = True


def get_accounts() -> Accounts:
    """The accounts file, one handle per request."""
    if "accounts" not in g:
        g.accounts = Accounts(current_app.config["ACCOUNTS_PATH"])
    return g.accounts


def _close_accounts(exc: BaseException | None = None) -> None:
    accounts = g.pop("accounts", None)
    if accounts is not None:
        accounts.close()


def single_user_active() -> bool:
    """True if this request may go without login (see the module docstring)."""
    config = current_app.config
    if not truthy(config.get("SINGLE_USER")):
        return False
    if str(config.get("HOST") or "") not in LOOPBACK_HOSTS:
        return False
    if request.remote_addr not in LOOPBACK_ADDRESSES:
        return False
    # A reverse proxy on the same machine would make every visitor look local.
    return not (request.headers.get("X-Forwarded-For") or request.headers.get("Forwarded"))


def current_user() -> User | LocalUser | None:
    return g.get("user")


def current_role() -> str | None:
    """The user's role in the current workspace (None when not logged in)."""
    return g.get("role")


def user_workspaces() -> dict[str, str]:
    """Workspaces the current user may use, with their role there."""
    return dict(g.get("roles") or {})


def has_role(role: str) -> bool:
    current = current_role()
    return current is not None and ROLE_RANK[current] >= ROLE_RANK[role]


def requires_role(role: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a view as needing at least ``role`` in the current workspace (checked for every
    method by the app-wide hook).

    Example::

        @bp.post("/people/<node_id>/erase")
        @requires_role("admin")
        def erase(node_id): ...
    """
    if role not in ROLE_RANK:
        raise ValueError(f"unknown role {role!r}")

    def mark(view: Callable[..., Any]) -> Callable[..., Any]:
        view.required_role = role  # type: ignore[attr-defined]
        return view

    return mark


def public(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view as reachable without login (the login page itself)."""
    view.public = True  # type: ignore[attr-defined]
    return view


#: Least role per area (endpoint prefix), for every method: admin pages are for admins; the
#: privacy pages gather everything on one person, so they are not for viewers.
AREA_ROLES: dict[str, str] = {"admin.": "admin", "privacy.": "editor"}


def required_role_for(endpoint: str, method: str) -> str:
    """The least role a request needs: the view's own mark, else its area's
    (:data:`AREA_ROLES`), else editor for any change and viewer for reading."""
    view = current_app.view_functions.get(endpoint)
    marked = getattr(view, "required_role", None)
    if marked:
        return marked
    for prefix, role in AREA_ROLES.items():
        if endpoint.startswith(prefix):
            return role
    if method not in SAFE_METHODS:
        return "editor"
    return "viewer"


def is_api_request() -> bool:
    """A request for the JSON API (answered with JSON and 401, never a login redirect)."""
    if request.path.startswith("/api/") or request.headers.get("Authorization"):
        return True
    best = request.accept_mimetypes.best
    return best == "application/json"


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None (no open redirects).

    >>> [safe_next(t) for t in ("/kaart?x=1", "//evil.example", "https://evil.example/",
    ...                         "/\\\\evil.example", "/\\t/evil.example", "javascript:alert(1)")]
    ['/kaart?x=1', None, None, None, None, None]
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


# --------------------------------------------------------------------------- the app-wide hook


def _session_user() -> User | None:
    """The account of the session's id, if that session is still live on the server (logout,
    a password change, removal from a workspace and "end sessions" end it at once)."""
    session_id = session.get("sid")
    if not session_id:
        return None
    lifetime = current_app.permanent_session_lifetime.total_seconds()
    if time.time() - float(session.get("login_at", 0)) > lifetime:
        get_accounts().end_session(session_id)
        session.clear()
        return None
    user = get_accounts().session_user(str(session_id))
    if user is None or session.get("uid") != user.id:
        session.clear()
        return None
    return user


def start_session(user: User) -> None:
    """Log ``user`` in: a fresh server-side session, its id in the (signed) cookie."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    session.permanent = True
    session["sid"] = get_accounts().start_session(
        user.id, hours=float(current_app.config["SESSION_HOURS"])
    )
    session["uid"] = user.id
    session["login_at"] = time.time()


def _token_user() -> User | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        abort(401)
    user = get_accounts().user_by_token(token.strip())
    if user is None:
        abort(401)
    return user


def authenticate_request() -> Any:
    """Run before every request: who is asking, in which workspace, may they do this."""
    g.user, g.role, g.roles, g.token_auth = None, None, {}, False
    endpoint = request.endpoint
    if endpoint is None or endpoint == "static":
        return None
    view = current_app.view_functions.get(endpoint)
    if single_user_active():
        g.user = LocalUser()
        g.actor = LOCAL_ACTOR
        g.single_user = True
        g.role = "admin"
        g.roles = None  # every workspace of the store
        _csrf_protect()  # another site must not post to the librarian's own app either
        return None
    g.single_user = False
    if request.headers.get("Authorization"):
        user = _token_user()
        g.token_auth = True
    else:
        user = _session_user()
    if user is None:
        if getattr(view, "public", False):
            _csrf_protect()
            return None
        if is_api_request():
            abort(401)
        target = request.full_path if request.query_string else request.path
        return redirect(url_for("auth.login", next=target))
    g.user = user
    g.actor = user.email
    if "store" in g:
        g.store.actor = user.email
    g.roles = get_accounts().roles(user.id)
    slug = session.get("workspace")
    if slug not in g.roles:
        slug = next(iter(g.roles), None)
    g.workspace_slug = slug
    g.role = g.roles.get(slug) if slug else None
    if getattr(view, "public", False) or endpoint in ACCOUNT_ENDPOINTS:
        _csrf_protect()
        return None
    if g.role is None:
        abort(403)
    needed = required_role_for(endpoint, request.method)
    if ROLE_RANK[g.role] < ROLE_RANK[needed]:
        abort(403)
    _csrf_protect()
    return None


def _csrf_protect() -> None:
    if g.get("token_auth") or not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    from .extensions import csrf

    csrf.protect(apply_exemptions=True)  # honours views an area marked @csrf.exempt


class SessionInterface(SecureCookieSessionInterface):
    """The signed-cookie session, with ``Secure`` set whenever the request came over HTTPS
    (or ``SECURE_COOKIES`` / ``SESSION_COOKIE_SECURE`` says so)."""

    def get_cookie_secure(self, app: Any) -> bool:
        if app.config.get("SESSION_COOKIE_SECURE") or truthy(app.config.get("SECURE_COOKIES")):
            return True
        try:
            return bool(request.is_secure)
        except RuntimeError:  # pragma: no cover - outside a request
            return False


def _secure_headers(response: Any) -> Any:
    if request.is_secure:
        response.headers.setdefault(
            "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
        )
    if request.endpoint != "static" and g.get("user") is not None:
        # Pages hold personal data: keep them out of shared caches and the back button's.
        response.headers.setdefault("Cache-Control", "no-store")
    return response


#: Role names as shown to users.
ROLE_LABELS: dict[str, Any] = {
    "viewer": _l("viewer"),
    "editor": _l("editor"),
    "admin": _l("administrator"),
}


def role_label(role: str | None) -> str:
    return str(ROLE_LABELS.get(role or "", role or ""))


def _template_context() -> dict[str, Any]:
    user = g.get("user")
    role = g.get("role")
    logout_form = switch_form = None
    if user is not None:
        try:
            logout_form, switch_form = LogoutForm(prefix="logout"), _switch_form()
        except HTTPException:  # e.g. rendering the error page of a request body too large
            pass
    return {
        "current_user": user,
        "current_role": role,
        "can_edit": role is not None and ROLE_RANK[role] >= ROLE_RANK["editor"],
        "is_admin": role == "admin",
        "role_label": role_label,
        "single_user": bool(g.get("single_user")),
        "userbar_logout_form": logout_form,
        "userbar_switch_form": switch_form,
    }


def init_app(app: Any) -> None:
    """Install accounts, the app-wide rules and the session settings on ``app``."""
    config = app.config
    config.setdefault("SINGLE_USER", False)
    config.setdefault("HOST", None)
    config.setdefault("SECURE_COOKIES", False)
    config["SESSION_HOURS"] = float(config.get("SESSION_HOURS") or DEFAULT_SESSION_HOURS)
    config["PERMANENT_SESSION_LIFETIME"] = dt.timedelta(hours=config["SESSION_HOURS"])
    if not config.get("ACCOUNTS_PATH"):
        config["ACCOUNTS_PATH"] = accounts_path(config["DATABASE_URL"], app.instance_path)
    # CSRF is checked by authenticate_request (so that token requests can go without it).
    config["WTF_CSRF_CHECK_DEFAULT"] = False
    app.session_interface = SessionInterface()
    app.before_request(authenticate_request)
    app.after_request(_secure_headers)
    app.teardown_appcontext(_close_accounts)
    app.context_processor(_template_context)


# --------------------------------------------------------------------------- the user bar


class LogoutForm(FlaskForm):
    submit = SubmitField(_l("Log out"))


class SwitchForm(FlaskForm):
    workspace = SelectField(_l("Workspace"), choices=[])
    submit = SubmitField(_l("Switch"))


#: Views every logged-in account may use, whatever its role (or none) in the workspace.
ACCOUNT_ENDPOINTS = frozenset(
    {
        "auth.logout",
        "auth.switch",
        "auth.account",
        "auth.token",
        "auth.password",
        "auth.accept",
        "auth.decline",
    }
)


def select_choices(pairs: list[tuple[str, str]]) -> list[Any]:
    """``(value, label)`` pairs as WTForms choices: ``SelectChoice`` objects where WTForms
    has them (3.3 deprecates tuples), else the tuples themselves."""
    try:
        from wtforms import SelectChoice
    except ImportError:  # pragma: no cover - WTForms before 3.3
        return list(pairs)
    return [SelectChoice(value, label) for value, label in pairs]


def workspace_choices() -> list[tuple[str, str]]:
    from .db import get_store

    try:
        spaces = {w.slug: w.name for w in get_store().workspaces()}
    except Exception:  # noqa: BLE001 - the switcher must never break a page
        return []
    roles = g.get("roles")
    if roles is None:  # single-user mode: every workspace
        return sorted(spaces.items(), key=lambda kv: kv[1].casefold())
    return [(slug, spaces[slug]) for slug in roles if slug in spaces]


def _switch_form() -> SwitchForm | None:
    choices = workspace_choices()
    if len(choices) < 2:
        return None
    form = SwitchForm(prefix="ws")
    form.workspace.choices = select_choices(choices)
    current = g.get("workspace_slug") or session.get("workspace")
    form.workspace.data = current
    return form
