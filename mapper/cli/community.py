"""Commands on a community over time: connectedness series, SMART goals, what changed."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import click

from .. import communities as com
from ..analysis.community import (
    METRICS,
    SHARE_METRICS,
    add_months,
    community_changes,
    community_start,
    connectedness_series,
    series_dates,
)
from ..analysis.goals import community_goals, goal_progress
from ..i18n import N_, _, format_date, format_number, format_percent, gettext
from ..labels import label
from .base import command, option
from .options import date_type, with_workspace

#: How far back a series goes by default (months before ``--to``), at most.
DEFAULT_SPAN_MONTHS = 24

#: Table columns: (metric, header); the headers are message ids.
TABLE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("date", N_("date")),
    ("members", N_("members")),
    ("ties", N_("ties")),
    ("density", N_("density")),
    ("average_strength", N_("avg str")),
    ("components", N_("groups")),
    ("clustering", N_("clust")),
    ("bonded", N_("bonded")),
    ("library_reach", N_("reach")),
    ("ambassadors", N_("amb")),
    ("activities_30d", N_("act30")),
    ("activities_90d", N_("act90")),
    ("roles_filled", N_("roles")),
)

#: Columns of the goals table.
GOAL_COLUMNS: tuple[tuple[str, str], ...] = (
    ("goal", N_("SMART goal")),
    ("metric", N_("metric")),
    ("value", N_("value")),
    ("target", N_("target value")),
    ("deadline", N_("deadline")),
    ("status", N_("status")),
)

#: Status words of a goal's progress (:data:`mapper.analysis.goals.STATUSES`).
STATUS_WORDS: dict[str, str] = {
    "met": N_("met"),
    "on_track": N_("on track"),
    "behind": N_("behind"),
    "missed": N_("missed"),
    "unmeasured": N_("not measured yet"),
}

#: Headings of the parts of ``community-changes`` (keys of ``community_changes``).
CHANGE_HEADINGS: dict[str, str] = {
    "new_members": N_("New members"),
    "lost_members": N_("Members who left"),
    "new_ties": N_("New ties among members"),
    "lost_ties": N_("Ties that ended"),
    "newly_bonded": N_("Newly bonded with the library"),
    "lost_bonds": N_("Bond with the library lost"),
    "weaker": N_("Ties grown weaker"),
    "stronger": N_("Ties grown stronger"),
}


def metric_word(code: str) -> str:
    """The name of a measure (:data:`mapper.labels.MEASURE_LABELS`), else the code."""
    return label(code, "measure")


#: Words of ``--every``.
EVERY_WORDS: dict[str, str] = {"month": N_("every month"), "week": N_("every week")}


def _fmt(metric: str, value: Any) -> str:
    """A cell, the reader's way: shares as percentages (density and clustering as a
    fraction), numbers with the reader's decimal mark, dates written out, words translated."""
    if value is None:
        return "–"
    if metric == "date" or metric == "deadline":
        return format_date(value, "medium")
    if metric == "status":
        return gettext(STATUS_WORDS.get(value, value))
    if metric == "metric":
        return metric_word(value)
    if metric in SHARE_METRICS:
        if metric in ("density", "clustering"):
            return format_number(value, 3)
        return format_percent(value)
    if isinstance(value, float):
        return format_number(int(value)) if value.is_integer() else format_number(value, 2)
    if isinstance(value, int) and not isinstance(value, bool):
        return format_number(value)
    return str(value)


def _table(rows: list[dict[str, Any]], columns: tuple[tuple[str, str], ...]) -> str:
    cells = [[gettext(header) for _, header in columns]] + [
        [_fmt(key, row.get(key)) for key, _ in columns] for row in rows
    ]
    widths = [max(len(r[i]) for r in cells) for i in range(len(columns))]
    lines = [
        "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths)))
        for r in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _span(
    history: Any, community_id: str, start: dt.date | None, end: dt.date | None
) -> tuple[dt.date, dt.date]:
    end = end or dt.date.today()
    if start is None:
        earliest = add_months(end, -DEFAULT_SPAN_MONTHS)
        first = community_start(history, community_id)
        start = max(first, earliest) if first is not None and first <= end else earliest
    return start, end


@command("connectedness")
@with_workspace
@option(
    "--community",
    "community_ref",
    required=True,
    metavar="NAME",
    help="The community, by name (or id).",
)
@option(
    "--from",
    "start",
    type=date_type(),
    default=None,
    help="First date (default: the community's first member, at most 24 months before --to).",
)
@option("--to", "end", type=date_type(), default=None, help="Last date (default: today).")
@option(
    "--every",
    type=click.Choice(["month", "week"]),
    default="month",
    show_default=True,
    help="Step between points.",
)
@option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def connectedness_cmd(
    ws, community_ref: str, start: dt.datetime | None, end: dt.datetime | None, every: str, fmt: str
) -> None:  # type: ignore[no-untyped-def]
    """How connected a community is, month by month (or week by week).

    Each point gives the members, the ties among them and their average strength, density,
    components, clustering, the share bonded with the library and the share within two steps
    of it (library reach), ambassadors, activities in the last 30 and 90 days and roles
    filled. See README, "A community over time", for how each is measured.

    Example: mapper connectedness --community "Taalmaatjes Rijnstad" --from 2025-01-01 --format json
    """
    node = com.community(ws, community_ref)
    history = com.load_history(ws)
    first, last = _span(
        history, node.id, start.date() if start else None, end.date() if end else None
    )
    points = connectedness_series(history, node.id, series_dates(first, last, every=every))
    if fmt == "json":
        click.echo(json.dumps(points, indent=2, ensure_ascii=False))
        return
    click.echo(
        _("{name} ({id}) — {first} … {last}, {every}").format(
            name=node.name,
            id=node.id,
            first=format_date(first),
            last=format_date(last),
            every=gettext(EVERY_WORDS[every]),
        )
    )
    click.echo(_table(points, TABLE_COLUMNS))


@command("goals")
@with_workspace
@option(
    "--community",
    "community_ref",
    required=True,
    metavar="NAME",
    help="The community, by name (or id).",
)
@option("--as-of", "as_of", type=date_type(), default=None, help="Day (default: today).")
@option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def goals_cmd(ws, community_ref: str, as_of: dt.datetime | None, fmt: str) -> None:  # type: ignore[no-untyped-def]
    """The SMART goals of a community and their progress on a day (met, on track, behind,
    missed), computed from the graph.

    Example: mapper goals --community "Repair & Reuse Rijnstad" --as-of 2026-06-01
    """
    node = com.community(ws, community_ref)
    history = com.load_history(ws)
    day = as_of.date() if as_of else dt.date.today()
    rows = []
    for goal in community_goals(history, node.id):
        progress = goal_progress(history, goal, as_of=day)
        rows.append(
            {
                "goal": goal.name,
                "id": goal.id,
                "metric": goal.metric,
                "direction": goal.direction,
                "deadline": goal.deadline.isoformat(),
                **progress,
            }
        )
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo(_("{name} has no SMART goals").format(name=node.name))
        return
    click.echo(_table(rows, GOAL_COLUMNS))


@command("community-changes")
@with_workspace
@option("--community", "community_ref", required=True, metavar="NAME")
@option("--from", "start", type=date_type(), required=True, help="Earlier date.")
@option("--to", "end", type=date_type(), default=None, help="Later date (default: today).")
@option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def changes_cmd(
    ws, community_ref: str, start: dt.datetime, end: dt.datetime | None, fmt: str
) -> None:  # type: ignore[no-untyped-def]
    """What changed in a community between two dates: new and lost members, new and lost
    ties among them, newly bonded with the library, ties grown weaker or stronger.

    Example: mapper community-changes --community "Samen in de Wijk" --from 2026-01-01
    """
    node = com.community(ws, community_ref)
    history = com.load_history(ws)
    last = end.date() if end else dt.date.today()
    described = com.describe(history, community_changes(history, node.id, start.date(), last))
    if fmt == "json":
        click.echo(json.dumps(described, indent=2, ensure_ascii=False))
        return
    click.echo(f"{node.name}: {format_date(start.date())} → {format_date(last)}")
    for key, rows in described.items():
        heading = gettext(CHANGE_HEADINGS[key]) if key in CHANGE_HEADINGS else key
        click.echo(f"{heading} ({format_number(len(rows))})")
        for row in rows:
            if "name" in row:
                click.echo(f"  {row['name']}")
            elif "before" in row:
                before, after = format_number(row["before"], 1), format_number(row["after"], 1)
                click.echo(f"  {row['a']} – {row['b']}: {before} → {after}")
            else:
                click.echo(f"  {row['a']} – {row['b']}")


__all__ = ["connectedness_cmd", "goals_cmd", "changes_cmd", "METRICS"]
