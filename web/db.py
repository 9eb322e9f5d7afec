"""One store handle per request, released at teardown (the flaskr pattern)."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import networkx as nx
from flask import Flask, abort, current_app, g, session

from mapper.errors import MapperError, NotFoundError
from mapper.store import Store, Workspace, open_store

log = logging.getLogger(__name__)

T = TypeVar("T")

#: What pages derive from one shared projection (a ranking, the theme scan, the counts), kept
#: while that projection lives: a write gives the workspace a new projection object, so
#: whatever was derived from the old one is never asked for again and goes with it.
_DERIVED: weakref.WeakKeyDictionary[Any, dict[Hashable, Any]] = weakref.WeakKeyDictionary()
_DERIVED_LOCK = threading.Lock()
#: At most this many values are kept per projection (the oldest go first).
DERIVED_KEPT = 256
#: A lock per value being computed (by its projection's id and key), so it is computed once.
_PENDING: dict[tuple[int, Hashable], threading.Lock] = {}


def get_store() -> Store:
    if "store" not in g:
        g.store = open_store(current_app.config["DATABASE_URL"])
        # Every write of this request is recorded in the audit trail under this name.
        g.store.actor = g.get("actor")
    return g.store


def close_store(exc: BaseException | None = None) -> None:
    store = g.pop("store", None)
    if store is not None:
        store.close()


def current_workspace() -> Workspace:
    """The workspace this request works in.

    A logged-in user works in the workspace chosen with the switcher among those they have a
    role in (see :mod:`web.auth`); nothing else is reachable, so another workspace's ids are
    simply not found. In single-user mode: the chosen one, else the configured one.
    """
    if "workspace" not in g and g.get("workspace_slug") is not None:
        try:
            g.workspace = get_store().workspace(g.workspace_slug)
        except NotFoundError:
            abort(404)
    if "workspace" not in g:
        if g.get("user") is not None and not g.get("single_user"):
            abort(403)
        slug = session.get("workspace") or current_app.config["WORKSPACE"]
        store = get_store()
        try:
            g.workspace = store.workspace(slug)
        except NotFoundError:
            spaces = store.workspaces()
            if not spaces:
                abort(503, description="no-workspace")
            g.workspace = store.workspace(spaces[0].slug)
    return g.workspace


def get_graph(day: dt.date | None = None) -> nx.MultiDiGraph:
    """The current workspace's graph as of ``day`` (default today), from the projection
    shared by every request of this process (:meth:`mapper.store.Store.projection`).

    Read-only (frozen): it is the same graph for everyone. One request sees one snapshot,
    even if a write lands while it runs."""
    return get_projection().as_of(day)  # type: ignore[no-any-return]


def get_projection() -> Any:
    """The current workspace's shared projection (:class:`mapper.graph.Projection`), the
    same object for the whole request."""
    if "projection" not in g:
        g.projection = get_store().projection(current_workspace().slug)
    return g.projection


def derived(key: Hashable, compute: Callable[[], T], *, of: Any = None) -> T:
    """``compute()``, kept with ``of`` (default: this request's shared projection) so that
    the next request on the same snapshot of the workspace gets it without computing again.

    ``key`` names what is computed and from which arguments (the day, a theme, a limit...);
    ``compute`` may read only what that snapshot holds, so the value is the same for every
    request that sees the snapshot. Values are shared between requests: never change one."""
    owner = of if of is not None else get_projection()
    with _DERIVED_LOCK:
        values = _DERIVED.get(owner)
        if values is None:
            values = _DERIVED[owner] = {}
        if key in values:
            return values[key]  # type: ignore[no-any-return]
        # one request computes, the others on the same snapshot wait for its value (20
        # clients after a write would otherwise each compute the same thing at once)
        pending = _PENDING.setdefault((id(owner), key), threading.Lock())
    with pending:
        with _DERIVED_LOCK:
            if key in values:
                return values[key]  # type: ignore[no-any-return]
        try:
            value = compute()
            with _DERIVED_LOCK:
                values[key] = value
                while len(values) > DERIVED_KEPT:
                    values.pop(next(iter(values)))
        finally:
            with _DERIVED_LOCK:
                _PENDING.pop((id(owner), key), None)
    return value


def warm_projection(app: Flask) -> threading.Thread:
    """Build the configured workspace's shared projection in the background, so the first
    visitor after a start does not wait for it."""

    def build() -> None:
        try:
            with open_store(app.config["DATABASE_URL"]) as store:
                store.projection(app.config["WORKSPACE"])
        except MapperError as exc:  # no such workspace yet, store not reachable: build later
            log.info("projection not built at start: %s", exc)

    thread = threading.Thread(target=build, name="warm-projection", daemon=True)
    thread.start()
    return thread


def init_app(app) -> None:  # type: ignore[no-untyped-def]
    app.teardown_appcontext(close_store)
