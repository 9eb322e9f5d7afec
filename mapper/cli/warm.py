"""``mapper warm-contacts``: whom to approach first for a target, and who introduces them."""

from __future__ import annotations

import json

import click

from ..warm_contacts import TARGET_OPTIONS, resolve_target, warm_contacts
from .base import command, option
from .options import date_type, with_workspace


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
            "give exactly one target: --theme, --organisation, --community or --person"
        )
    kind, name = given[0]
    target = resolve_target(ws, kind, name)
    result = warm_contacts(ws, target, as_of=day.date() if day else None, limit=limit)
    if fmt == "json":
        click.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
        return
    click.echo(f"Warme contacten voor {target.name} ({kind}), {result.day.isoformat()}")
    if not result.contacts:
        click.echo("  (niemand gevonden in dit netwerk)")
        return
    click.echo(f"{'#':>3}  {'naam':<28} {'score':>5} {'warmte':>6}  route")
    for rank, c in enumerate(result.contacts, start=1):
        route = " → ".join(result.graph.nodes[n]["name"] for n in c.path) or "-"
        click.echo(f"{rank:>3}  {c.name[:28]:<28} {c.score:>5.2f} {c.warmth:>6.2f}  {route}")
        for reason in c.reasons:
            click.echo(f"{'':>5}- {reason}")
