"""Core commands: serve the app, seed and serve the demo, show a workspace."""

from __future__ import annotations

import datetime as dt

import click

from ..i18n import _, ngettext
from ..store import default_url
from .base import command, option
from .options import (
    database_option,
    open_from_options,
    resolve_url,
    with_workspace,
    workspace_option,
)
from .words import count_list, count_rows

#: Worker threads of the production server (waitress) unless ``--threads`` says otherwise.
DEFAULT_THREADS = 8


def _serve(
    url: str,
    workspace: str,
    host: str,
    port: int,
    debug: bool,
    single_user: bool | None,
    threads: int = DEFAULT_THREADS,
    proxies: int | None = None,
) -> None:
    # The web layer is imported only here: the core library never imports Flask.
    from web import create_app

    from .users import serve_settings  # login or single-user mode, accounts file

    settings: dict[str, object] = {
        "DATABASE_URL": url,
        "WORKSPACE": workspace,
        **serve_settings(url, host, single_user),
    }
    if proxies is not None:
        settings["PROXIES"] = proxies
    app = create_app(settings)
    if debug:
        server = _("Flask development server (--debug)")
    else:
        server = ngettext("waitress, {n} thread", "waitress, {n} threads", threads).format(
            n=threads
        )
    click.echo(
        _("community-mapper: {address}  (store: {url}, workspace: {workspace}; {server})").format(
            address=f"http://{host}:{port}/", url=url, workspace=workspace, server=server
        )
    )
    if debug:
        app.run(host=host, port=port, debug=True, use_reloader=False)
        return
    from waitress import serve as waitress_serve

    # The graph of the workspace is built once, in the background, so the first visitor
    # does not wait for it (every request after shares the same projection).
    from web.db import warm_projection

    warm_projection(app)
    waitress_serve(app, host=host, port=port, threads=threads, ident="community-mapper")


def serve_options(func):  # type: ignore[no-untyped-def]
    func = option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")(
        func
    )
    func = option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")(
        func
    )
    func = option(
        "--threads",
        default=DEFAULT_THREADS,
        show_default=True,
        type=click.IntRange(1, 256),
        help="Worker threads of the server (requests handled at the same time).",
    )(func)
    func = option(
        "--proxies",
        type=click.IntRange(0, 10),
        default=None,
        help="Number of reverse proxies in front of the app whose X-Forwarded-For/-Proto/"
        "-Host/-Prefix headers are trusted. Default: MAPPER_PROXIES, else 0.",
    )(func)
    func = option(
        "--debug",
        is_flag=True,
        help="Flask's development server with the debugger (never on a shared server).",
    )(func)
    func = option(
        "--single-user/--login",
        "single_user",
        default=None,
        help="Without login, for one person on this computer (only allowed with --host "
        "127.0.0.1); or require login. Default: MAPPER_SINGLE_USER, else login "
        "(mapper demo: single-user).",
    )(func)
    return func


@command()
@database_option
@workspace_option
@serve_options
def serve(
    database: str | None,
    workspace: str,
    host: str,
    port: int,
    threads: int,
    proxies: int | None,
    debug: bool,
    single_user: bool | None,
) -> None:
    """Serve the web app on what the store holds (login required unless --single-user),
    with the production server waitress; Flask's development server only with --debug.

    Example: mapper serve --database sqlite:///bibliotheek.db --port 8000 --threads 8
    """
    _serve(resolve_url(database), workspace, host, port, debug, single_user, threads, proxies)


@command()
@database_option
@workspace_option
@serve_options
@option("--no-serve", is_flag=True, help="Only seed the demo town, don't serve it.")
def demo(
    database: str | None,
    workspace: str,
    host: str,
    port: int,
    threads: int,
    proxies: int | None,
    debug: bool,
    single_user: bool | None,
    no_serve: bool,
) -> None:
    """Seed the demo town into an empty workspace (if not there yet) and serve it, in
    single-user mode on this computer unless --login is given.

    Example: mapper demo --port 5000
    """
    from seeds.demo import seed_demo

    url = resolve_url(database)
    store = open_from_options(url)
    try:
        if any(w.slug == workspace for w in store.workspaces()):
            click.echo(
                _("workspace {name!r} already exists; serving it as it is").format(name=workspace)
            )
        else:
            # History ends today, so the demo looks current whenever it is started.
            counts = seed_demo(store, workspace, today=dt.date.today())
            click.echo(_("demo town seeded: {counts}").format(counts=count_list(counts)))
    finally:
        store.close()
    if not no_serve:
        # The demo explicitly asks for single-user mode (refused unless bound to 127.0.0.1).
        _serve(
            url,
            workspace,
            host,
            port,
            debug,
            True if single_user is None else single_user,
            threads,
            proxies,
        )


@command()
@with_workspace
def info(ws) -> None:  # type: ignore[no-untyped-def]
    """Show what a workspace holds.

    Example: mapper info --workspace demo
    """
    click.echo(f"{ws.info.name} ({ws.slug})")
    rows = count_rows(ws.counts())
    width = max(len(word) for word, _number in rows)
    for word, number in rows:
        click.echo(f"  {word:<{width}} {number:>6}")


@command("init-workspace")
@database_option
@click.argument("slug")
@option("--name", help="Display name, e.g. 'Bibliotheek Rijnstad'.")
def init_workspace(database: str | None, slug: str, name: str | None) -> None:
    """Create an empty workspace.

    Example: mapper init-workspace rijnstad --name "Bibliotheek Rijnstad"
    """
    store = open_from_options(database)
    try:
        store.create_workspace(slug, name)
    finally:
        store.close()
    click.echo(_("workspace {name!r} created").format(name=slug))


__all__ = ["serve", "demo", "info", "init_workspace", "default_url"]
