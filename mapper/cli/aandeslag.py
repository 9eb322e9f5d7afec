"""Commands for *Aan de slag*: the content calendar as an .ics file, and the report."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click

from .. import communities as com
from .. import content_calendar as cc
from .. import report as rep
from ..i18n import _
from ..model import NodeKind
from .base import command, option
from .options import date_type, with_workspace


@command("calendar")
@option("--community", "community", metavar="NAME", help="A community's calendar.")
@option("--staff", "staff", metavar="NAME", help="A staff member's calendar.")
@option(
    "-o",
    "--output",
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the .ics file here (default: standard output).",
)
@with_workspace
def calendar_command(
    ws: Any, community: str | None, staff: str | None, output: Path | None
) -> None:
    """The content calendar as an iCalendar (.ics) file, for Outlook or a phone: a
    community's communication moments, or everything a staff member owns (with the
    measurement moments of their communities).

    Example: mapper calendar --community "Taalmaatjes Rijnstad" -o kalender.ics
    """
    if bool(community) == bool(staff):
        raise click.UsageError(_("give exactly one of --community and --staff"))
    if community:
        node = com.community(ws, community)
        data = cc.to_ical(
            _("Content calendar {name}").format(name=node.name), cc.community_items(ws, node)
        )
    else:
        person = ws.lookup(staff, kind=NodeKind.STAFF)
        data = cc.to_ical(
            _("Content calendar {name}").format(name=person.name),
            cc.staff_items(ws, person.id),
            checkpoints=cc.staff_checkpoints(ws, person.id),
        )
    if output is None:
        click.echo(data.decode("utf-8"), nl=False)
    else:
        output.write_bytes(data)
        click.echo(_("written: {file}").format(file=output), err=True)


@command("report")
@option("--community", "community", metavar="NAME", help="One community (default: all).")
@option("--as-of", "as_of", type=date_type(), default=None, help="The day (default: today).")
@option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@option(
    "-o",
    "--output",
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The file: .pdf, .html, or .json (the figures).",
)
@with_workspace
def report_command(
    ws: Any, community: str | None, as_of: dt.datetime | None, lang: str, output: Path
) -> None:
    """The report (het verslag) of a community, or of the whole library with every community
    on a page of its own, for the management meeting and the municipality.

    Example: mapper report --community "Taalmaatjes Rijnstad" -o verslag.pdf

    Example: mapper report -o bibliotheek.pdf
    """
    day = as_of.date() if as_of else dt.date.today()
    if community:
        data = rep.community_report(ws, community, as_of=day)
        reports = [data]
    else:
        data = rep.library_report(ws, as_of=day)
        reports = data["communities"]
    suffix = output.suffix.lower()
    if suffix == ".json":
        output.write_text(
            json.dumps([rep.summary(r) for r in reports], ensure_ascii=False, indent=2),
            encoding="utf-8",
        )
    elif suffix in (".html", ".htm"):
        output.write_text(rep.render_html(data, lang=lang), encoding="utf-8")
    elif suffix == ".pdf":
        output.write_bytes(rep.render_pdf(rep.render_html(data, lang=lang)))
    else:
        raise click.BadParameter(
            _("{name}: use .pdf, .html or .json").format(name=output.name), param_hint="-o"
        )
    click.echo(_("written: {file}").format(file=output), err=True)
