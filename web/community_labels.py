"""The words and number formats of the community pages: labels of roles, bonds, metrics,
goal statuses and changes, the charts the community page draws, and how a metric's value is
written for people (in the page's language)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import format_decimal, format_percent, get_locale
from flask_babel import lazy_gettext as _l

from mapper.analysis.community import SHARE_METRICS
from mapper.i18n import format_date

#: How far back the charts go by default (months before ``to``).
DEFAULT_MONTHS = 24

ROLE_LABELS = {
    "builder": _l("builder"),
    "connector": _l("connector"),
    "driver": _l("driver"),
}
ROLE_HELP = {
    "builder": _l("builds the community up: members, activities, the online platform"),
    "connector": _l("connects people inside and outside the library"),
    "driver": _l("drives it forward: goals, measuring, evaluating"),
}
BOND_LABELS = {
    "geography": _l("geography (a place, a neighbourhood)"),
    "identity": _l("identity (who people are)"),
    "affinity": _l("affinity (what people like or do)"),
}
MEMBER_ROLE_LABELS = {
    "member": _l("member"),
    "ambassador": _l("ambassador"),
    "board": _l("board"),
    "volunteer": _l("volunteer"),
    "employee": _l("employee"),
    "founder": _l("founder"),
}
METRIC_LABELS = {
    "members": _l("Members"),
    "organisations": _l("Partner organisations"),
    "ties": _l("Ties among members"),
    "average_strength": _l("Average strength of those ties"),
    "density": _l("Density"),
    "components": _l("Separate groups"),
    "largest_component_share": _l("Share in the largest group"),
    "clustering": _l("Clustering"),
    "bonded": _l("Direct bond with the library"),
    "library_reach": _l("Within two steps of the library"),
    "ambassadors": _l("Ambassadors"),
    "activities_30d": _l("Activities, last 30 days"),
    "activities_90d": _l("Activities, last 90 days"),
    "activities_per_month": _l("Activities per month (last three months)"),
    "roles_filled": _l("Library roles filled"),
    "staff": _l("Library staff in a role"),
    "manual": _l("Measured by hand"),
}
METRIC_HELP = {
    "members": _l("People with a membership tie to the community on the day."),
    "ties": _l("Pairs of members who know each other."),
    "average_strength": _l(
        "The mean strength (0–1) of those ties; the strongest tie of a pair counts."
    ),
    "density": _l("The share of all member pairs that know each other."),
    "components": _l(
        "Groups of members not connected to each other; 1 means everyone is connected via via."
    ),
    "clustering": _l("How often two acquaintances of a member also know each other (0–1)."),
    "bonded": _l(
        "Members with a bond with the library or a staff member, or who know a staff member."
    ),
    "library_reach": _l(
        "Members with a direct bond, or who know (or belong to) someone who has one."
    ),
    "ambassadors": _l("Members whose membership has the role ambassador."),
    "activities_30d": _l("Sessions of activities organised by the community or its members."),
    "roles_filled": _l("Of builder, connector and driver."),
}
STATUS_LABELS = {
    "met": _l("met"),
    "on_track": _l("on track"),
    "behind": _l("behind"),
    "missed": _l("missed"),
    "unmeasured": _l("not measured yet"),
}
DIRECTION_LABELS = {"at_least": _l("at least"), "at_most": _l("at most")}
VERDICT_LABELS = {
    "go_ahead": _l("Most answers are yes: go ahead and start working with communities."),
    "not_yet": _l("Most answers are no: work on the building blocks below first."),
    "incomplete": _l("Not all questions are answered yet."),
}
CHANGE_LABELS = {
    "new_members": _l("New members"),
    "lost_members": _l("Members who left"),
    "new_ties": _l("New ties among members"),
    "lost_ties": _l("Ties that ended"),
    "newly_bonded": _l("Newly bonded with the library"),
    "lost_bonds": _l("Bond with the library lost"),
    "weaker": _l("Ties grown weaker"),
    "stronger": _l("Ties grown stronger"),
}
#: The charts on the community page: (title, metrics, share axis).
CHARTS: tuple[tuple[Any, tuple[str, ...], bool], ...] = (
    (_l("Members and ambassadors"), ("members", "ambassadors"), False),
    (_l("Ties among members"), ("ties",), False),
    (_l("Bond with the library"), ("bonded", "library_reach"), True),
    (_l("Density and clustering"), ("density", "clustering"), True),
    (_l("Average strength"), ("average_strength",), True),
    (_l("Separate groups"), ("components",), False),
    (_l("Activities"), ("activities_30d", "activities_90d"), False),
    (_l("Library roles filled"), ("roles_filled",), False),
)


def lang() -> str:
    return str(get_locale() or "nl")


def fmt_value(metric: str, value: Any) -> str:
    """A metric's value for people: shares as percentages, in the page's language."""
    if value is None:
        return "–"
    if metric in SHARE_METRICS:
        return (
            format_percent(value, format="#,##0%")
            if metric not in ("density", "clustering")
            else format_decimal(value, format="0.00")
        )
    if metric == "average_strength":
        return format_decimal(value, format="0.00")
    if isinstance(value, float) and not value.is_integer():
        return format_decimal(value, format="#,##0.##")
    return format_decimal(value, format="#,##0")


def fmt_date(text: str | dt.date) -> str:
    day = text if isinstance(text, dt.date) else dt.date.fromisoformat(text)
    return format_date(day, "medium")
