"""``mapper warm-contacts``: whom to approach first for a target, and who introduces them."""

from __future__ import annotations

import json

import click

from ..i18n import N_, _, current_language, format_date, format_number
from ..labels import label
from ..services.warm import TARGET_OPTIONS, resolve_target, warm_contacts
from .base import command, option
from .options import date_type, with_workspace

#: Help of the target options (message ids).
TARGET_HELP: dict[str, str] = {
    "theme": N_("Target: the theme called NAME."),
    "organisation": N_("Target: the organisation called NAME."),
    "community": N_("Target: the community called NAME."),
    "person": N_("Target: the person called NAME."),
}


def _target_options(func):  # type: ignore[no-untyped-def]
    for name in reversed(list(TARGET_OPTIONS)):
        func = option(f"--{name}", name, metavar="NAME", help=f"Target: the {name} called NAME.")(
            func
        )
    return func


@command("warm-contacts")
@with_workspace
@_target_options
@option(
    "--limit",
    default=20,
    show_default=True,
    type=click.IntRange(min=1),
    help="Number of contacts to show.",
)
@option(
    "--date",
    "day",
    type=date_type(),
    default=None,
    help="Rank on this day (YYYY-MM-DD; default today): only ties valid then count.",
)
@option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output as a table or as JSON (a list, best first).",
)
def warm_contacts_command(ws, limit, day, fmt, **targets):  # type: ignore[no-untyped-def]
    """Rank warm contacts for a theme, organisation, community or person: the people to
    approach first, with the introduction route, its weakest link and the reasons.

    Give exactly one of --theme, --organisation, --community or --person.

    Example: mapper warm-contacts --theme duurzaamheid --limit 10 --format json
    """
    given = [(kind, name) for kind, name in targets.items() if name]
    if len(given) != 1:
        raise click.UsageError(
            _("give exactly one target: --theme, --organisation, --community or --person")
        )
    kind, name = given[0]
    target = resolve_target(ws, kind, name)
    result = warm_contacts(
        ws, target, as_of=day.date() if day else None, limit=limit, lang=current_language()
    )
    if fmt == "json":
        click.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
        return
    click.echo(
        _("Warm contacts for {name} ({kind}), {day}").format(
            name=target.name, kind=label(TARGET_OPTIONS[kind]).lower(), day=format_date(result.day)
        )
    )
    if not result.contacts:
        click.echo("  " + _("(nobody found in this network)"))
        return
    name_h, score_h, warmth_h, route_h = _("name"), _("score"), _("warmth"), _("route")
    click.echo(f"{'#':>3}  {name_h:<28} {score_h:>6} {warmth_h:>6}  {route_h}")
    for rank, c in enumerate(result.contacts, start=1):
        route = " → ".join(result.graph.nodes[n]["name"] for n in c.path) or "-"
        score, warmth = format_number(c.score, 2), format_number(c.warmth, 2)
        click.echo(f"{rank:>3}  {c.name[:28]:<28} {score:>6} {warmth:>6}  {route}")
        for reason in c.reasons:
            click.echo(f"{'':>5}- {reason}")
