"""The pulse of a community: who carries it, the members or the library, month by month.

From the workbook's practical tips: "are we thinking *for* the community or *with* it? If the
library has to pull hard to keep it alive, maybe there is no urgency." And: reckon a year for
the start-up phase. The pulse counts, per calendar month, what happened in the community and
who organised it:

* **activities** — every session (see :func:`~mapper.analysis.community.activity_dates`) of an
  activity organised (``ORGANISES``, valid on the day) by the community itself or by a member
  on that day counts for the *members*; a session organised only by the library or by staff
  counts for the *library* when the activity is also organised by the community or a member,
  or when it is about one of the community's themes and organised by the Library or by a staff
  member in one of the community's roles that day;
* **communication moments** of the content calendar (see :mod:`mapper.workplan`) up to the
  day: owned by a staff member, the *library*; by a person or organisation, the *members*.

``library_share`` is the library's part of the month's total (``None`` in a month with
nothing). The warning *de bibliotheek trekt alleen* (the library pulls alone) is raised when
in each of the last :data:`RUN_MONTHS` complete months before the day the library carried more
than :data:`THRESHOLD`. Months in the community's first :data:`STARTUP_MONTHS` months are marked
``startup``: early numbers are read as the start-up phase they are.

Examples
--------
>>> points = [{"library_share": s} for s in (0.5, 0.8, 0.9, 0.75)]
>>> pulling_alone(points)
True
>>> pulling_alone(points[:3])
False
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import networkx as nx

from ..model import add_months, check_date, valid_on
from .community import activity_dates, community_start

#: The library carrying more than this share of a month is "pulling".
THRESHOLD = 0.7
#: For this many complete months in a row: the warning.
RUN_MONTHS = 3
#: The start-up phase: a year (second source document, tip 9).
STARTUP_MONTHS = 12
#: Node kinds that are the library's side.
LIBRARY_KINDS = frozenset({"Library", "Staff"})


def _valid(d: Mapping[str, Any], day: dt.date) -> bool:
    return valid_on(d.get("since"), d.get("until"), day)


def _is_member(G: nx.MultiDiGraph, community: str, who: str, day: dt.date) -> bool:
    return any(
        v == community and d.get("kind") == "MEMBER_OF" and _valid(d, day)
        for _, v, d in G.out_edges(who, data=True)
    )


def _themes(G: nx.MultiDiGraph, community: str, day: dt.date) -> set[str]:
    return {
        v
        for _, v, d in G.out_edges(community, data=True)
        if d.get("kind") == "ABOUT" and _valid(d, day)
    }


def _role_staff(G: nx.MultiDiGraph, community: str, day: dt.date) -> set[str]:
    return {
        u
        for u, _, d in G.in_edges(community, data=True)
        if d.get("kind") == "HAS_ROLE" and _valid(d, day)
    }


def activity_carriers(
    G: nx.MultiDiGraph, community: str, *, until: dt.date | None = None
) -> list[tuple[dt.date, str, str]]:
    """Every session of the community's activities as ``(day, activity, side)``, side
    ``"members"`` or ``"library"`` (see the module docstring), by day."""
    out: list[tuple[dt.date, str, str]] = []
    for act, attrs in G.nodes(data=True):
        if attrs.get("kind") != "Activity":
            continue
        organisers = [
            (u, d) for u, _, d in G.in_edges(act, data=True) if d.get("kind") == "ORGANISES"
        ]
        if not organisers:
            continue
        for day in activity_dates(attrs):
            if until is not None and day > until:
                continue
            now = [u for u, d in organisers if _valid(d, day)]
            if any(u == community or _is_member(G, community, u, day) for u in now):
                out.append((day, act, "members"))
                continue
            library = [u for u in now if G.nodes[u].get("kind") in LIBRARY_KINDS]
            if not library:
                continue
            about = {
                v
                for _, v, d in G.out_edges(act, data=True)
                if d.get("kind") == "ABOUT" and _valid(d, day)
            }
            if not about & _themes(G, community, day):
                continue
            staff = _role_staff(G, community, day)
            if any(G.nodes[u].get("kind") == "Library" or u in staff for u in library):
                out.append((day, act, "library"))
    out.sort()
    return out


def content_carriers(
    G: nx.MultiDiGraph, items: Iterable[Mapping[str, Any]], *, until: dt.date | None = None
) -> list[tuple[dt.date, str, str]]:
    """Every communication moment with an owner as ``(day, item id, side)``, by day."""
    out = []
    for item in items:
        day = check_date(item.get("date"), field="date")
        owner = item.get("owner")
        if day is None or not owner or owner not in G or (until is not None and day > until):
            continue
        side = "library" if G.nodes[owner].get("kind") in LIBRARY_KINDS else "members"
        out.append((day, str(item.get("id") or ""), side))
    out.sort()
    return out


def month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first day of every month from ``start``'s month to ``end``'s month.

    >>> month_starts(dt.date(2026, 11, 15), dt.date(2027, 1, 2))
    [datetime.date(2026, 11, 1), datetime.date(2026, 12, 1), datetime.date(2027, 1, 1)]
    """
    out, month = [], start.replace(day=1)
    while month <= end:
        out.append(month)
        month = add_months(month, 1)
    return out


def pulse(
    G: nx.MultiDiGraph,
    community: str,
    *,
    as_of: dt.date,
    calendar: Iterable[Mapping[str, Any]] = (),
    months: int = 12,
) -> list[dict[str, Any]]:
    """The pulse for the ``months`` calendar months up to and including ``as_of``'s month.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A history graph (:meth:`~mapper.store.base.Store.project_history`).
    community : str
        The community's node id.
    as_of : date
        The day; nothing dated after it counts.
    calendar : iterable of dict
        The community's communication moments (``date``, ``owner``, ``id``).
    months : int
        How many months to show.

    Returns
    -------
    list of dict
        One per month, oldest first: ``month`` (its first day), ``library``, ``members``
        (counts), ``total``, ``library_share`` (0–1 or ``None``), ``over`` (share above the
        threshold), ``startup`` (inside the first year), ``complete`` (the month ended before
        ``as_of``).
    """
    first = add_months(as_of.replace(day=1), -(months - 1))
    start = community_start(G, community)
    startup_end = add_months(start, STARTUP_MONTHS) if start else None
    counts: dict[dt.date, dict[str, int]] = {
        m: {"library": 0, "members": 0} for m in month_starts(first, as_of)
    }
    happened = activity_carriers(G, community, until=as_of) + content_carriers(
        G, calendar, until=as_of
    )
    for day, _, side in happened:
        month = day.replace(day=1)
        if month in counts:
            counts[month][side] += 1
    points = []
    for month, c in counts.items():
        total = c["library"] + c["members"]
        share = c["library"] / total if total else None
        points.append(
            {
                "month": month,
                "library": c["library"],
                "members": c["members"],
                "total": total,
                "library_share": share,
                "over": share is not None and share > THRESHOLD,
                "startup": bool(
                    start and startup_end and start.replace(day=1) <= month < startup_end
                ),
                "complete": add_months(month, 1) <= as_of,
            }
        )
    return points


def pulling_alone(
    points: Sequence[Mapping[str, Any]], *, threshold: float = THRESHOLD, run: int = RUN_MONTHS
) -> bool:
    """True when the library carried more than ``threshold`` in each of the last ``run``
    complete months (points without ``complete`` count as complete)."""
    done = [p for p in points if p.get("complete", True)]
    last = done[-run:]
    return len(last) == run and all(
        p.get("library_share") is not None and p["library_share"] > threshold for p in last
    )


__all__ = [
    "RUN_MONTHS",
    "STARTUP_MONTHS",
    "THRESHOLD",
    "activity_carriers",
    "content_carriers",
    "month_starts",
    "pulling_alone",
    "pulse",
]
