"""The team: what each staff member carries in the communities, and the team as a whole.

From the second source document: make each employee's contribution clear (tip 3), facilitate
them in time (tip 8), one employee in each of the three roles per community (tip 1). Read from
the ``HAS_ROLE`` ties, the working agreements (:mod:`mapper.workplan`), the staff member's own
ties to people (``KNOWS``, ``BOND_WITH``) and what is due: measurement moments in their
communities and the communication moments they own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .model import COMMUNITY_ROLES, NodeKind, RelKind, add_months, strength_label
from .store import Workspace
from .workplan import current_agreements, records

#: A staff member in more communities than this is flagged as carrying too much.
MAX_COMMUNITIES_PER_STAFF = 2
#: … or with more agreed hours a month than this (about four hours a week).
MAX_HOURS_PER_MONTH = 16.0
#: What is "due": this many days ahead.
DUE_DAYS = 31


def _roles(ws: Workspace, day: dt.date) -> list[Any]:
    return list(ws.ties(kind=RelKind.HAS_ROLE, as_of=day))


def staff_summary(ws: Workspace, staff_id: str, *, as_of: dt.date) -> dict[str, Any]:
    """One staff member on a day.

    Returns
    -------
    dict
        ``id``, ``name``, ``props``; ``roles`` (``{community, community_name, role, since}``),
        ``agreements`` (the tasks they carry, with ``community_name`` and ``hours``),
        ``hours`` (sum per month), ``contacts`` (people they know or have a bond with:
        ``{id, name, kind, tie, strength, word}``, warmest first), ``due`` (measurement
        moments and communication moments in the next :data:`DUE_DAYS` days), ``overloaded``.
    """
    staff = ws.get_node(staff_id)
    if staff.kind is not NodeKind.STAFF:
        from .errors import NotFoundError

        raise NotFoundError("{id!r} is not a staff member", id=staff_id)
    communities = {c.id: c for c in ws.nodes(kind=NodeKind.COMMUNITY)}
    roles = [
        {
            "community": t.target,
            "community_name": communities[t.target].name,
            "role": t.role,
            "since": t.since,
        }
        for t in _roles(ws, as_of)
        if t.source == staff_id and t.target in communities
    ]
    roles.sort(key=lambda r: (r["community_name"].casefold(), COMMUNITY_ROLES.index(r["role"])))
    agreements = []
    for community in communities.values():
        for a in current_agreements(community, as_of):
            if a.get("who") == staff_id:
                agreements.append(
                    {**a, "community": community.id, "community_name": community.name}
                )
    agreements.sort(key=lambda a: (a["community_name"].casefold(), a["task"]))
    hours = sum(a.get("hours") or 0 for a in agreements)
    contacts = []
    ties = [
        t
        for t in ws.ties(node=staff_id, kind=[RelKind.KNOWS, RelKind.BOND_WITH], as_of=as_of)
        if t.kind is RelKind.KNOWS or t.source == staff_id
    ]
    others = ws.get_nodes(t.other(staff_id) for t in ties)
    for t in ties:
        other = others.get(t.other(staff_id))
        if other is None or other.kind not in (NodeKind.PERSON, NodeKind.ORGANISATION):
            continue
        contacts.append(
            {
                "id": other.id,
                "name": other.name,
                "kind": other.kind.value,
                "tie": t.kind.value,
                "strength": t.strength,
                "word": strength_label(t.strength),
            }
        )
    contacts.sort(key=lambda c: (-float(c["strength"] or 0), str(c["name"]).casefold()))
    mine = {r["community"] for r in roles}
    horizon = (as_of + dt.timedelta(days=DUE_DAYS)).isoformat()
    today = as_of.isoformat()
    due: list[dict[str, Any]] = []
    for community in communities.values():
        if community.id in mine:
            for row in records(community, "checkpoints"):
                if today <= row["date"] <= horizon or (
                    row["date"] < today and row.get("evaluation") is None
                ):
                    due.append(
                        {
                            "kind": "checkpoint",
                            "date": row["date"],
                            "community": community.id,
                            "community_name": community.name,
                            "title": None,
                            "overdue": row["date"] < today,
                        }
                    )
        for item in records(community, "calendar"):
            if (
                item.get("owner") == staff_id
                and item.get("status") == "planned"
                and item["date"] <= horizon
            ):
                due.append(
                    {
                        "kind": "content",
                        "date": item["date"],
                        "community": community.id,
                        "community_name": community.name,
                        "title": item["title"],
                        "overdue": item["date"] < today,
                    }
                )
    due.sort(key=lambda d: (d["date"], d["community_name"]))
    return {
        "id": staff.id,
        "name": staff.name,
        "props": staff.props,
        "roles": roles,
        "communities": sorted(mine),
        "agreements": agreements,
        "hours": hours,
        "contacts": contacts,
        "due": due,
        "overloaded": len(mine) > MAX_COMMUNITIES_PER_STAFF or hours > MAX_HOURS_PER_MONTH,
    }


def team_overview(ws: Workspace, *, as_of: dt.date) -> dict[str, Any]:
    """The whole team on a day: each staff member (as :func:`staff_summary`, without the
    contacts list), the communities without a full set of roles, and who is overloaded."""
    staff = sorted(ws.nodes(kind=NodeKind.STAFF), key=lambda n: (n.name.casefold(), n.id))
    rows = []
    for member in staff:
        summary = staff_summary(ws, member.id, as_of=as_of)
        summary["contact_count"] = len(summary.pop("contacts"))
        rows.append(summary)
    held: dict[str, set[str]] = {}
    for t in _roles(ws, as_of):
        held.setdefault(t.target, set()).add(t.role or "")
    incomplete = []
    for community in sorted(ws.nodes(kind=NodeKind.COMMUNITY), key=lambda n: n.name.casefold()):
        missing = [r for r in COMMUNITY_ROLES if r not in held.get(community.id, set())]
        if missing:
            incomplete.append({"id": community.id, "name": community.name, "missing": missing})
    return {
        "staff": rows,
        "incomplete": incomplete,
        "overloaded": [r for r in rows if r["overloaded"]],
        "hours": sum(r["hours"] for r in rows),
    }


def due_this_month(ws: Workspace, *, as_of: dt.date) -> list[dict[str, Any]]:
    """The measurement moments in ``as_of``'s month, and earlier ones not yet evaluated
    ("deze maand meten: …"), by date."""
    first = as_of.replace(day=1).isoformat()
    last = add_months(as_of.replace(day=1), 1).isoformat()
    out = []
    for community in ws.nodes(kind=NodeKind.COMMUNITY):
        for row in records(community, "checkpoints"):
            late = row["date"] < first and row.get("evaluation") is None
            if first <= row["date"] < last or late:
                out.append(
                    {
                        **row,
                        "community": community.id,
                        "community_name": community.name,
                        "overdue": late,
                    }
                )
    out.sort(key=lambda r: (r["date"], r["community_name"]))
    return out


__all__ = [
    "DUE_DAYS",
    "MAX_COMMUNITIES_PER_STAFF",
    "MAX_HOURS_PER_MONTH",
    "due_this_month",
    "staff_summary",
    "team_overview",
]
