"""Privacy (AVG) from the command line: ``mapper privacy …`` answers access and erasure
requests, compacts the database file after an erasure, and lists people to review.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ..i18n import _, format_date, format_number, ngettext
from ..labels import label
from ..privacy import access_export, export_html, export_json, review_list
from .base import group, option
from .options import database_option, open_from_options, with_workspace


@group()
def privacy() -> None:
    """Answer access and erasure requests; list people to review (AVG).

    Example: mapper privacy review --months 12
    """


@privacy.command("export")
@with_workspace
@click.argument("node_id")
@option("--format", "fmt", type=click.Choice(["html", "json"]), default="html", show_default=True)
@option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: print).",
)
@option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
def privacy_export(ws, node_id: str, fmt: str, output: Path | None, lang: str) -> None:  # type: ignore[no-untyped-def]
    """Everything held on one person, as a readable file (access request).

    Example: mapper privacy export per-3f9a0c1b2d4e -o inzage.html
    """
    data = access_export(ws.store, ws.slug, node_id)
    text = export_json(data) if fmt == "json" else export_html(data, lang=lang)
    if output is None:
        click.echo(text)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(_("written: {file}").format(file=output))


@privacy.command("erase")
@with_workspace
@click.argument("node_id")
@option("--yes", is_flag=True, help="Don't ask for confirmation.")
def privacy_erase(ws, node_id: str, yes: bool) -> None:  # type: ignore[no-untyped-def]
    """Erase a person for good: details, every version, ties, contact moments, audit entries
    naming them; then compact the database file.

    Example: mapper privacy erase per-3f9a0c1b2d4e
    """
    node = ws.get_node(node_id)
    if not yes:
        click.confirm(
            _("Erase {kind} {name!r} ({id}) for good?").format(
                kind=label(node.kind).lower(), name=node.name, id=node.id
            ),
            abort=True,
        )
    from ..io.uploads import UploadFolder, default_folder, names_held
    from ..privacy import forget_everywhere

    names = names_held(ws.store, ws.slug, node_id)
    forget_everywhere(ws.store, ws.slug, node_id)
    report = ws.erase_node(node_id)
    folder = default_folder()
    purged = UploadFolder(folder).purge_mentions(names) if folder.is_dir() else 0
    parts = [
        ngettext("{n} version", "{n} versions", report["versions"]),
        ngettext("{n} tie version", "{n} tie versions", report["tie_versions"]),
        ngettext("{n} contact moment", "{n} contact moments", report["contacts"]),
        ngettext("{n} audit entry", "{n} audit entries", report["audit"]),
        ngettext("{n} waiting upload naming them", "{n} waiting uploads naming them", purged),
    ]
    counts = (report["versions"], report["tie_versions"], report["contacts"], report["audit"])
    numbers = [*counts, purged]
    compacted = _("yes") if report["compacted"] else _("no (another process has it open)")
    click.echo(
        _("erased: {parts}; file compacted: {compacted}").format(
            parts=", ".join(p.format(n=format_number(n)) for p, n in zip(parts, numbers)),
            compacted=compacted,
        )
    )


@privacy.command("compact")
@database_option
def privacy_compact(database: str | None) -> None:
    """Squeeze erased data out of the database file (after an erasure that reported the file
    as not compacted because the app had it open).

    Example: mapper privacy compact --database sqlite:///bibliotheek.db
    """
    store = open_from_options(database)
    try:
        done = store.compact()
    finally:
        store.close()
    if not done:
        raise click.ClickException(_("the database is busy (is the app running?); try again"))
    click.echo(_("database file compacted"))


@privacy.command("review")
@with_workspace
@option(
    "--months",
    type=click.IntRange(1, 240),
    default=None,
    help="Default: the workspace setting (12).",
)
def privacy_review(ws, months: int | None) -> None:  # type: ignore[no-untyped-def]
    """List people not contacted for a number of months.

    Example: mapper privacy review --months 24
    """
    items = review_list(ws.store, ws.slug, months=months, today=dt.date.today())
    for item in items:
        last = format_date(item.last_contact) if item.last_contact else _("never")
        click.echo(
            f"{item.node.id}  {item.node.name}  " + _("last contact: {day}").format(day=last)
        )
    click.echo(_("{n} to review").format(n=format_number(len(items))))
