"""One store handle per request, released at teardown (the flaskr pattern)."""

from __future__ import annotations

from flask import abort, current_app, g

from mapper.errors import NotFoundError
from mapper.store import Store, Workspace, open_store


def get_store() -> Store:
    if "store" not in g:
        g.store = open_store(current_app.config["DATABASE_URL"])
    return g.store


def close_store(exc: BaseException | None = None) -> None:
    store = g.pop("store", None)
    if store is not None:
        store.close()


def current_workspace() -> Workspace:
    """The workspace this request works in (the configured one; later: the user's)."""
    if "workspace" not in g:
        slug = current_app.config["WORKSPACE"]
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
