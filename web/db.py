"""One store handle per request, released at teardown (the flaskr pattern)."""

from __future__ import annotations

from flask import abort, current_app, g, session

from mapper.errors import NotFoundError
from mapper.store import Store, Workspace, open_store


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


def init_app(app) -> None:  # type: ignore[no-untyped-def]
    app.teardown_appcontext(close_store)
