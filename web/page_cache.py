"""Rendered pages kept per snapshot of the workspace, shared by every request that sees it.

The heavy read pages (:data:`CACHED_ENDPOINTS`) are rendered once per snapshot of the
workspace, named by its change mark (:func:`snapshot_mark`, the newest audit entry: any write,
through this process or another, an import, an erasure, moves it), and per everything else the
page depends on: the URL with its query, the language, the workspace, the role and mode of the
person asking, today's date and the path prefix behind a proxy (:func:`page_key`). The next
request with the same key gets the kept text, with what is personal put back for this request:

* the CSRF token: the real token of the render is replaced by a marker when the page is kept,
  and the marker by this session's own token when it is served (so tokens stay per session);
* the account corner of the header (``auth/_userbar.html``: the name, the workspace switcher,
  the logout form), rendered again for each request; a page in which it cannot be found
  exactly once is not kept;
* flash messages and a failed form's values: a request that has any, or a page that shows
  any, is never served from or kept in the cache.

The markers are random per process, so no text a user typed can contain one. A new mark
drops the pages of the snapshot before; at most :data:`KEPT_BYTES` of pages are kept per
workspace (the least recently used go first), for :data:`KEPT_WORKSPACES` workspaces. The mark
is read with one query and names the data, not the projection object, so a kept page is
found without asking for the shared projection.

Each kept page also gets an ``ETag`` naming its snapshot, key, user and session: a client
that sends it back in ``If-None-Match`` gets ``304 Not Modified``. Pages stay
``Cache-Control: no-store`` (:func:`web.security.no_store`: they hold personal data), so a
browser does not keep them; scripts that ask the API again may.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, current_app, g, render_template, request, session
from flask.globals import request_ctx
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from werkzeug.exceptions import HTTPException

from mapper.store import Workspace

from .db import current_workspace
from .edit_state import STATE_KEY

#: The pages kept per snapshot: each reads only the workspace's data (whose every change moves
#: the snapshot), the request's URL and the asker's language and role.
CACHED_ENDPOINTS = frozenset(
    {
        "main.index",
        "main.frame",
        "main.themes",
        "main.scan",
        "main.entity",
        "warm.page",
        "warm.api",
        "community.index",
        "community.page",
    }
)
#: Bytes of kept pages per workspace (a province's scan page is a few MB): with
#: :data:`KEPT_WORKSPACES`, at most 128 MB of a server's memory.
KEPT_BYTES = 32 * 1024 * 1024
#: Seconds a request waits for another that is rendering the same page before rendering it
#: itself (twenty clients after a write would otherwise each render it at once).
WAIT_SECONDS = 30.0

_TOKEN = "cm-csrf-" + secrets.token_hex(16)
_USERBAR = "cm-userbar-" + secrets.token_hex(16)
_SESSION_ONE_SHOT = ("_flashes", STATE_KEY)


@dataclass(frozen=True)
class Page:
    """A kept rendering: the text with markers, and what the response said it was."""

    body: str
    mimetype: str
    csrf: bool
    userbar: bool


class _Kept:
    """The pages of one snapshot, least recently used first, with their total size."""

    def __init__(self) -> None:
        self.pages: OrderedDict[Any, Page] = OrderedDict()
        self.size = 0
        self.pending: dict[Any, threading.Event] = {}

    def get(self, key: Any) -> Page | None:
        page = self.pages.get(key)
        if page is not None:
            self.pages.move_to_end(key)
        return page

    def put(self, key: Any, page: Page) -> None:
        old = self.pages.pop(key, None)
        if old is not None:
            self.size -= len(old.body)
        if len(page.body) > KEPT_BYTES:
            return
        self.pages[key] = page
        self.size += len(page.body)
        while self.size > KEPT_BYTES:
            _, dropped = self.pages.popitem(last=False)
            self.size -= len(dropped.body)


#: (database, workspace) → (its change mark, the pages of that snapshot), least recently used
#: first: a write moves the mark, and the pages of the snapshot before go.
_SNAPSHOTS: OrderedDict[tuple[Any, str], tuple[Any, _Kept]] = OrderedDict()
_LOCK = threading.Lock()
#: Workspaces whose pages are kept at once (a process usually serves one or a few).
KEPT_WORKSPACES = 4


def snapshot_mark(ws: Workspace) -> Any:
    """What changes whenever the workspace does, by any process: its newest audit entry
    (every write adds one, as the shared projection's own change mark)."""
    newest = ws.store.audit(ws.slug, limit=1)
    if not newest:
        return None
    entry = newest[0]
    return (entry.seq, entry.at, entry.action, entry.target_type, entry.target_id)


def _snapshot() -> tuple[Any, _Kept]:
    ws = current_workspace()
    mark = snapshot_mark(ws)
    where = (current_app.config["DATABASE_URL"], ws.slug)
    with _LOCK:
        held = _SNAPSHOTS.get(where)
        if held is None or held[0] != mark:
            held = _SNAPSHOTS[where] = (mark, _Kept())
        _SNAPSHOTS.move_to_end(where)
        while len(_SNAPSHOTS) > KEPT_WORKSPACES:
            _SNAPSHOTS.popitem(last=False)
    return held


def page_key() -> tuple[Any, ...]:
    """What this request's page depends on besides the snapshot."""
    return (
        current_app.extensions["page_cache"],
        request.endpoint,
        request.script_root,
        request.full_path,
        str(get_locale()),
        current_workspace().slug,
        g.get("role"),
        bool(g.get("single_user")),
        g.get("user") is None,
        bool(g.get("token_auth")),
        dt.date.today(),
    )


def _etag(mark: Any, key: tuple[Any, ...]) -> str:
    user = g.get("user")
    parts = (
        current_app.config["DATABASE_URL"],
        mark,
        key,
        getattr(user, "id", None),
        repr(sorted((g.get("roles") or {}).items())),
        session.get("csrf_token"),
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def serve_kept() -> Any:
    """Before a request (after authentication): the kept page, or nothing to render it."""
    if request.method not in ("GET", "HEAD") or request.endpoint not in CACHED_ENDPOINTS:
        return None
    if any(session.get(name) for name in _SESSION_ONE_SHOT):
        return None
    try:
        mark, kept = _snapshot()
        key = page_key()
    except HTTPException:
        return None  # no workspace to show: the view says so as it always does
    etag = _etag(mark, key)
    while True:
        with _LOCK:
            page = kept.get(key)
            waiting = None if page is not None else kept.pending.get(key)
            if page is None and waiting is None:
                # this request renders it; the others with the same key wait for it
                kept.pending[key] = g.page_rendering = threading.Event()
                g.page_cache = (kept, key, etag)
                return None
        if page is not None:
            return _respond(page, etag)
        assert waiting is not None
        if not waiting.wait(WAIT_SECONDS):
            return None  # render it here too
        with _LOCK:
            if kept.get(key) is None:
                return None  # it was not kept (it showed a message): render it here


def _respond(page: Page, etag: str) -> Response:
    if etag in request.if_none_match:
        response = Response(status=304)
    else:
        body = page.body
        if page.csrf:
            body = body.replace(_TOKEN, generate_csrf())
        if page.userbar:
            body = body.replace(_USERBAR, render_template("auth/_userbar.html"), 1)
        response = Response(body, mimetype=page.mimetype)
    response.set_etag(etag)
    return response


def keep_rendered(response: Response) -> Response:
    """After a request that rendered a cached endpoint's page: keep it if it may be."""
    pending = g.get("page_cache")
    if pending is None:
        return response
    kept, key, etag = pending
    page = _keepable(response)
    if page is not None:
        with _LOCK:
            kept.put(key, page)
        response.set_etag(etag)
        if etag in request.if_none_match:
            return _respond(page, etag)
    return response


def _keepable(response: Response) -> Page | None:
    if (
        response.status_code != 200
        or response.is_streamed
        or response.mimetype not in ("text/html", "application/json")
    ):
        return None
    if getattr(request_ctx, "flashes", None) or g.get("edit_state"):
        return None  # showed a message or a failed form meant for this request only
    if any(session.get(name) for name in _SESSION_ONE_SHOT):
        return None  # left a message for the next page
    body = response.get_data(as_text=True)
    userbar = False
    if response.mimetype == "text/html":
        bar = render_template("auth/_userbar.html")
        if bar.strip():
            if body.count(bar) != 1:
                return None
            body = body.replace(bar, _USERBAR)
            userbar = True
    token = g.get("csrf_token")
    csrf = bool(token) and token in body
    if csrf:
        body = body.replace(token, _TOKEN)
    return Page(body, response.mimetype, csrf, userbar)


def release(exc: BaseException | None = None) -> None:
    """At the end of every request: let those waiting for this page go on."""
    event = g.pop("page_rendering", None)
    pending = g.pop("page_cache", None)
    if event is not None and pending is not None:
        kept, key, _etag_value = pending
        with _LOCK:
            if kept.pending.get(key) is event:
                del kept.pending[key]
        event.set()


def forget() -> None:
    """Drop every kept page (tests, and after a change of code in a running process)."""
    with _LOCK:
        _SNAPSHOTS.clear()


def init_app(app: Flask) -> None:
    """Install the cache; call after authentication's hooks (it needs the asker's role)."""
    app.extensions["page_cache"] = secrets.token_hex(8)  # one app's pages, not another's
    app.before_request(serve_kept)
    app.after_request(keep_rendered)
    app.teardown_request(release)
