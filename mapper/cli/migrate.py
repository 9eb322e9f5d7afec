"""``mapper migrate``: copy workspaces between stores (SQLite ↔ Neo4j), history included."""

from __future__ import annotations

import click

from ..i18n import _, ngettext
from ..migrate import migrate as run_migration
from .base import command, option


@command("migrate")
@option(
    "--from",
    "source",
    required=True,
    metavar="URL",
    help="Store to copy from: a SQLite file, sqlite:///FILE or neo4j://HOST:7687.",
)
@option(
    "--to",
    "target",
    required=True,
    metavar="URL",
    help="Store to copy to (the workspace must not exist there yet).",
)
@option(
    "--workspace",
    "workspaces",
    multiple=True,
    metavar="NAME",
    help="Workspace to copy (repeatable; default: every workspace in --from).",
)
@option(
    "--as",
    "rename",
    default=None,
    metavar="NAME",
    help="New name for the copy (only with a single --workspace).",
)
def migrate(source: str, target: str, workspaces: tuple[str, ...], rename: str | None) -> None:
    """Copy workspaces from one store to another with their whole history (every version of
    every entity and tie, contact moments, settings, audit trail), then verify each copy by
    its counts and a checksum of its content. A copy that does not verify is removed.

    Neo4j logins come from MAPPER_NEO4J_USER / MAPPER_NEO4J_PASSWORD (or NEO4J_USER /
    NEO4J_PASSWORD), or from the URL (neo4j://user:password@host:7687).

    Example: mapper migrate --from sqlite:///instance/mapper.db --to neo4j://localhost:7687 --workspace rijnstad
    """  # noqa: E501
    reports = run_migration(source, target, list(workspaces) or None, to_workspace=rename)
    for report in reports:
        click.echo(_("copied {what}").format(what=report.line()))
    n = len(reports)
    click.echo(
        ngettext(
            "{n} workspace copied and verified", "{n} workspaces copied and verified", n
        ).format(n=n)
    )
