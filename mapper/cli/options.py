"""Options shared by the commands, as decorators, and the store/workspace they select."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click

from ..errors import NotFoundError
from ..i18n import _
from ..store import Store, Workspace, default_url, open_store
from .base import option

DEFAULT_WORKSPACE = "demo"


def database_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return option(
        "--database",
        "database",
        envvar="MAPPER_DATABASE_URL",
        default=None,
        metavar="URL",
        help="Store to use: a SQLite file or sqlite:///FILE, or neo4j://HOST:7687 "
        "(default: MAPPER_DATABASE_URL, else instance/mapper.db).",
    )(func)


def workspace_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return option(
        "--workspace",
        "workspace",
        envvar="MAPPER_WORKSPACE",
        default=DEFAULT_WORKSPACE,
        show_default=True,
        help="Workspace (one library's graph) to work in.",
    )(func)


def resolve_url(database: str | None) -> str:
    return database or default_url()


def open_from_options(database: str | None) -> Store:
    store = open_store(resolve_url(database))
    # Writes from the command line are recorded in the audit trail as "cli:<login name>".
    store.actor = cli_actor()
    return store


def cli_actor() -> str:
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # noqa: BLE001 - no login name (some containers)
        return "cli"


def with_workspace(func: Callable[..., Any]) -> Callable[..., Any]:
    """Give the command a ``ws`` (Workspace) argument from ``--database``/``--workspace``."""

    @database_option
    @workspace_option
    @functools.wraps(func)
    def wrapper(*args: Any, database: str | None, workspace: str, **kwargs: Any) -> Any:
        store = open_from_options(database)
        try:
            try:
                ws = store.workspace(workspace)
            except NotFoundError as exc:
                raise click.ClickException(
                    _(
                        "{error}; create it with `mapper init-workspace {name}`, or import a "
                        "file into it with `mapper import FILE --workspace {name}`"
                    ).format(error=exc, name=workspace)
                ) from None
            return func(*args, ws=ws, **kwargs)
        finally:
            store.close()

    return wrapper


def date_type() -> click.DateTime:
    return click.DateTime(formats=["%Y-%m-%d"])


__all__ = [
    "database_option",
    "workspace_option",
    "with_workspace",
    "open_from_options",
    "resolve_url",
    "date_type",
    "Workspace",
]
