"""The content calendar (*contentkalender*): communication moments planned ahead, each with an
owner, as a month view and as an iCalendar (``.ics``) feed.

The moments themselves are records on the Community node (see :mod:`mapper.workplan`); here
they are gathered (per community, or per staff member across communities), laid out in weeks
for a month, and written as iCalendar with the ``icalendar`` package: one all-day ``VEVENT``
per moment, with a stable ``UID`` so a subscribed calendar updates instead of duplicating.
A staff member's feed also holds the measurement moments of the communities where they hold
a role.

Examples
--------
>>> weeks = month_grid(dt.date(2026, 11, 1), [{"date": "2026-11-03", "title": "Blog"}])
>>> [d["day"].day if d["day"] else None for d in weeks[0]]
[None, None, None, None, None, None, 1]
>>> [i["title"] for i in weeks[1][1]["entries"]]
['Blog']
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from .i18n import N_, current_language, gettext, use_language
from .model import Node, NodeKind, add_months, check_date
from .store import Workspace
from .workplan import records

#: Words for the kinds and statuses (English message ids; in Dutch as the workbook has them).
KIND_WORDS: dict[str, str] = {
    "blog": N_("blog"),
    "video": N_("video"),
    "poster": N_("poster/flyer"),
    "event": N_("event"),
    "social": N_("social media"),
}
STATUS_WORDS: dict[str, str] = {"planned": N_("planned"), "done": N_("done")}
#: The product identifier in every feed.
PRODID = "-//community-mapper//contentkalender//NL"


def community_items(ws: Workspace, community: Node) -> list[dict[str, Any]]:
    """The community's communication moments by date, each with ``community`` (id, name)
    and the names of its owner and channel."""
    items = records(community, "calendar")
    refs = {str(i[k]) for i in items for k in ("owner", "channel") if i.get(k)}
    names = {n.id: n.name for n in ws.get_nodes(refs).values()}
    out = []
    for item in items:
        out.append(
            {
                **item,
                "community": community.id,
                "community_name": community.name,
                "owner_name": names.get(item.get("owner") or ""),
                "channel_name": names.get(item.get("channel") or ""),
            }
        )
    return out


def staff_items(ws: Workspace, staff_id: str) -> list[dict[str, Any]]:
    """Every communication moment a staff member owns, in every community, by date."""
    out = []
    for community in ws.nodes(kind=NodeKind.COMMUNITY):
        out += [i for i in community_items(ws, community) if i.get("owner") == staff_id]
    out.sort(key=lambda i: (i["date"], i["community_name"], i["id"]))
    return out


def staff_checkpoints(ws: Workspace, staff_id: str) -> list[dict[str, Any]]:
    """The measurement moments of the communities where a staff member holds a role
    (now or at the moment), by date."""
    communities = {t.target for t in ws.ties(node=staff_id, kind="HAS_ROLE", history=True)}
    out = []
    for community in ws.get_nodes(communities).values():
        for row in records(community, "checkpoints"):
            out.append({**row, "community": community.id, "community_name": community.name})
    out.sort(key=lambda r: (r["date"], r["community_name"]))
    return out


def in_month(items: Iterable[Mapping[str, Any]], month: dt.date) -> list[dict[str, Any]]:
    """The items dated in ``month``'s calendar month."""
    first = month.replace(day=1)
    last = add_months(first, 1)
    return [dict(i) for i in items if first.isoformat() <= str(i.get("date")) < last.isoformat()]


def month_grid(month: dt.date, items: Iterable[Mapping[str, Any]]) -> list[list[dict[str, Any]]]:
    """``month`` as weeks (Monday first) of seven cells ``{day, entries}``; ``day`` is None
    outside the month. Items are placed on their ``date``."""
    by_day: dict[str, list[dict[str, Any]]] = {}
    for item in in_month(items, month):
        by_day.setdefault(str(item["date"]), []).append(item)
    weeks = []
    for week in _calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month):
        weeks.append(
            [
                {
                    "day": day if day.month == month.month else None,
                    "entries": by_day.get(day.isoformat(), []) if day.month == month.month else [],
                }
                for day in week
            ]
        )
    return weeks


def to_ical(
    name: str,
    items: Iterable[Mapping[str, Any]],
    *,
    checkpoints: Iterable[Mapping[str, Any]] = (),
    stamp: dt.datetime | None = None,
    lang: str | None = None,
) -> bytes:
    """An iCalendar feed (RFC 5545) called ``name`` with one all-day event per item.

    Parameters
    ----------
    name : str
        The calendar's name (``X-WR-CALNAME``).
    items : iterable of dict
        Communication moments as :func:`community_items` gives them.
    checkpoints : iterable of dict
        Measurement moments (``id``, ``date``, ``community``, ``community_name``).
    stamp : datetime, optional
        ``DTSTAMP`` of every event (default: now, UTC).
    lang : str, optional
        The language of the events' texts (default: the reader's language).

    Returns
    -------
    bytes
        The ``.ics`` text, UTF-8.

    Examples
    --------
    >>> feed = to_ical("Test", [{"id": "a1", "community": "com-1", "community_name": "X",
    ...                          "title": "Blog", "kind": "blog", "date": "2026-11-03",
    ...                          "status": "planned"}])
    >>> b"DTSTART;VALUE=DATE:20261103" in feed
    True
    """
    with use_language(lang or current_language()):
        from icalendar import Calendar

        stamp = stamp or dt.datetime.now(dt.UTC).replace(microsecond=0)
        cal = Calendar()
        cal.add("prodid", PRODID)
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("x-wr-calname", name)
        for item in items:
            day = check_date(item.get("date"), field="date")
            if day is None:
                continue
            event = _all_day_event(f"{item.get('community')}-{item.get('id')}", day, stamp)
            code = str(item.get("kind") or "")
            kind = gettext(KIND_WORDS[code]) if code in KIND_WORDS else code
            status = str(item.get("status") or "")
            event.add("summary", f"{item.get('title')} ({kind})")
            lines = [
                gettext("Community: {name}").format(name=item.get("community_name")),
                gettext("Kind: {kind}").format(kind=kind),
                gettext("Status: {status}").format(
                    status=gettext(STATUS_WORDS[status]) if status in STATUS_WORDS else status
                ),
            ]
            if item.get("channel_name"):
                lines.append(gettext("Channel: {name}").format(name=item["channel_name"]))
                event.add("location", item["channel_name"])
            if item.get("owner_name"):
                lines.append(gettext("Responsible: {name}").format(name=item["owner_name"]))
            event.add("description", "\n".join(lines))
            event.add("categories", [kind])
            event.add("status", "CONFIRMED" if item.get("status") == "done" else "TENTATIVE")
            cal.add_component(event)
        for row in checkpoints:
            day = check_date(row.get("date"), field="date")
            if day is None:
                continue
            event = _all_day_event(f"{row.get('community')}-meetmoment-{row.get('id')}", day, stamp)
            event.add(
                "summary",
                gettext("Measurement moment {community}").format(
                    community=row.get("community_name")
                ),
            )
            event.add(
                "description",
                str(row.get("how") or gettext("Measure the goals and evaluate the cooperation.")),
            )
            event.add("categories", [gettext("measurement moment")])
            cal.add_component(event)
        return cal.to_ical()


def _all_day_event(uid: str, day: dt.date, stamp: dt.datetime) -> Any:
    """An all-day calendar event on ``day`` (it ends the next day), with its unique id
    (``<uid>@community-mapper``) and ``DTSTAMP``."""
    from icalendar import Event

    event = Event()
    event.add("uid", f"{uid}@community-mapper")
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    return event


__all__ = [
    "KIND_WORDS",
    "STATUS_WORDS",
    "community_items",
    "in_month",
    "month_grid",
    "staff_checkpoints",
    "staff_items",
    "to_ical",
]
