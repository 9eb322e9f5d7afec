"""Communities in a workspace: reading their profile and history, and changing them.

The glue between the store and :mod:`mapper.analysis.community` for the web app and the CLI
(no Flask here). What a community is, in the graph (werkblad 4 and 6):

==========================  ================================================================
name                        the Community node's name
bond type and traits        props ``bond_type`` (geography, identity, affinity) and
                            ``traits`` (list of text)
vision                      prop ``vision`` (the shared vision)
own goals, norms and        props ``own_goals``, ``norms``, ``challenges`` (text)
values, challenges
themes                      ``ABOUT`` ties to Theme nodes
channels                    ``ACTIVE_IN`` ties to Channel nodes
library goals it serves     ``SERVES`` ties to Goal nodes
members                     ``MEMBER_OF`` ties from Person nodes (role ``ambassador`` for
                            ambassadors); joined = ``since``, left = ``until``
partner organisations       ``MEMBER_OF`` ties from Organisation nodes
library roles               ``HAS_ROLE`` ties from Staff (builder, connector, driver)
SMART goals                 ``PURSUES`` ties to SmartGoal nodes (see :mod:`.analysis.goals`)
==========================  ================================================================

Every change goes through the store, so history is kept: a role handed over ends the old
holder's tie and opens a new one; a member who leaves gets an ``until``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from .analysis.community import community_start
from .errors import ConflictError, Day, ValidationError
from .i18n import N_, Message
from .labels import KIND_LABELS
from .model import (
    BOND_TYPES,
    COMMUNITY_ROLES,
    MAX_COMMUNITY_STAFF,
    MAX_TEXT_LENGTH,
    Node,
    NodeKind,
    RelKind,
    check_date,
    valid_on,
)
from .store import UNSET, Workspace

#: Tie kinds the community analyses read (the rest of the workspace is left in the store).
HISTORY_TIE_KINDS: tuple[str, ...] = (
    "MEMBER_OF",
    "KNOWS",
    "BOND_WITH",
    "HAS_ROLE",
    "ORGANISES",
    "PURSUES",
    "ABOUT",
    "ACTIVE_IN",
    "SERVES",
)
#: Text properties of a community (werkblad 4 and 6).
TEXT_PROPS: tuple[str, ...] = ("vision", "own_goals", "norms", "challenges")
#: The texts as a person reads them in a message (English ids).
TEXT_LABELS: dict[str, str] = {
    "vision": N_("the shared vision"),
    "own_goals": N_("the community's goals"),
    "norms": N_("the norms and values"),
    "challenges": N_("the challenges"),
}
#: How a definition links to other nodes: field → (tie kind, node kind).
LINKS: dict[str, tuple[RelKind, NodeKind]] = {
    "themes": (RelKind.ABOUT, NodeKind.THEME),
    "channels": (RelKind.ACTIVE_IN, NodeKind.CHANNEL),
    "goals": (RelKind.SERVES, NodeKind.GOAL),
}


def load_history(ws: Workspace) -> nx.MultiDiGraph:
    """The workspace's history graph with the tie kinds the community analyses need."""
    return ws.project_history(tie_kinds=HISTORY_TIE_KINDS)


def communities(ws: Workspace) -> list[Node]:
    """The workspace's communities, by name."""
    return sorted(ws.nodes(kind=NodeKind.COMMUNITY), key=lambda n: (n.name.casefold(), n.id))


def community(ws: Workspace, ref: str) -> Node:
    """A community by id, or else by name (NotFoundError lists close names)."""
    found = ws.get_nodes([ref]).get(ref)
    if found is not None and found.kind is NodeKind.COMMUNITY:
        return found
    return ws.lookup(ref, kind=NodeKind.COMMUNITY)


def _by_tie(
    G: nx.MultiDiGraph, edges: Iterable[tuple[str, str, dict[str, Any]]]
) -> dict[str, list[dict[str, Any]]]:
    versions: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for u, v, d in edges:
        versions[d.get("tie", f"{u}>{v}")].append({**d, "source": u, "target": v})
    for vs in versions.values():
        vs.sort(key=lambda d: d.get("version") or 0)
    return versions


def _current(versions: list[dict[str, Any]], day: dt.date) -> dict[str, Any] | None:
    for d in versions:
        if valid_on(d.get("since"), d.get("until"), day):
            return d
    return None


def profile(G: nx.MultiDiGraph, community_id: str, *, as_of: dt.date) -> dict[str, Any]:
    """Everything werkblad 4 and 6 ask, as of a day, from a history graph.

    Returns
    -------
    dict
        ``id``, ``name``, ``props``, ``start``; ``themes``, ``channels``, ``goals`` (lists of
        ``{id, name}`` linked on the day); ``members`` and ``organisations`` (rows with ``id``,
        ``name``, ``joined``, ``left``, ``role``, ``ambassador_since``, ``current``; every
        one who was ever a member, current first); ``roles`` (role → list of ``{id, name,
        since, until}`` on the day), ``empty_roles``, ``staff_count``, ``too_many_staff``.
    """
    attrs = G.nodes[community_id]
    name = lambda n: G.nodes[n].get("name", n)  # noqa: E731
    linked: dict[str, list[dict[str, Any]]] = {}
    for key, (kind, node_kind) in LINKS.items():
        ids = {
            v
            for _, v, d in G.out_edges(community_id, data=True)
            if d.get("kind") == kind.value
            and G.nodes[v].get("kind") == node_kind.value
            and valid_on(d.get("since"), d.get("until"), as_of)
        }
        linked[key] = sorted(
            ({"id": i, "name": name(i)} for i in ids), key=lambda r: r["name"].casefold()
        )
    members: list[dict[str, Any]] = []
    organisations: list[dict[str, Any]] = []
    in_edges = [
        (u, v, d) for u, v, d in G.in_edges(community_id, data=True) if d.get("kind") == "MEMBER_OF"
    ]
    for tie_id, versions in _by_tie(G, in_edges).items():
        who = versions[0]["source"]
        now = _current(versions, as_of)
        started = [d["since"] for d in versions if d.get("since") is not None]
        if started and min(started) > as_of:
            continue  # joins later
        ambassador = [d.get("since") for d in versions if d.get("role") == "ambassador"]
        ended = versions[-1].get("until")
        row = {
            "id": who,
            "tie": tie_id,
            "name": name(who),
            "joined": min(started) if started else None,
            "left": ended if ended is not None and ended <= as_of else None,
            "role": (now or versions[-1]).get("role"),
            "ambassador_since": min((a for a in ambassador if a), default=None)
            if ambassador
            else None,
            "current": now is not None,
        }
        (organisations if G.nodes[who].get("kind") == "Organisation" else members).append(row)
    order = lambda r: (not r["current"], r["name"].casefold(), r["id"])  # noqa: E731
    members.sort(key=order)
    organisations.sort(key=order)
    roles: dict[str, list[dict[str, Any]]] = {role: [] for role in COMMUNITY_ROLES}
    for u, _, d in G.in_edges(community_id, data=True):
        if d.get("kind") == "HAS_ROLE" and valid_on(d.get("since"), d.get("until"), as_of):
            roles.setdefault(d.get("role") or "", []).append(
                {
                    "id": u,
                    "name": name(u),
                    "since": d.get("since"),
                    "until": d.get("until"),
                    "tie": d.get("tie"),
                }
            )
    for holders in roles.values():
        holders.sort(key=lambda h: (h["name"].casefold(), h["id"]))
    staff = {h["id"] for holders in roles.values() for h in holders}
    return {
        "id": community_id,
        "name": attrs.get("name", community_id),
        "props": attrs.get("props") or {},
        "since": attrs.get("since"),
        "start": community_start(G, community_id),
        **linked,
        "members": members,
        "organisations": organisations,
        "roles": roles,
        "empty_roles": [r for r in COMMUNITY_ROLES if not roles.get(r)],
        "staff_count": len(staff),
        "too_many_staff": len(staff) > MAX_COMMUNITY_STAFF,
    }


def describe(
    G: nx.MultiDiGraph, changes: Mapping[str, list[Any]]
) -> dict[str, list[dict[str, Any]]]:
    """:func:`~mapper.analysis.community.community_changes` with names, for people to read."""
    name = lambda n: G.nodes[n].get("name", n) if n in G else n  # noqa: E731
    out: dict[str, list[dict[str, Any]]] = {}
    for key, items in changes.items():
        rows = []
        for item in items:
            if isinstance(item, str):
                rows.append({"id": item, "name": name(item)})
            elif key in ("weaker", "stronger"):
                (a, b), before, after = item
                rows.append(
                    {
                        "a": name(a),
                        "b": name(b),
                        "a_id": a,
                        "b_id": b,
                        "before": before,
                        "after": after,
                    }
                )
            else:
                a, b = item
                rows.append({"a": name(a), "b": name(b), "a_id": a, "b_id": b})
        rows.sort(key=lambda r: tuple(str(r.get(k, "")).casefold() for k in ("name", "a", "b")))
        out[key] = rows
    return out


# --------------------------------------------------------------------------- changes


def create_community(
    ws: Workspace, name: str, *, bond_type: str | None = None, since: Any = None
) -> Node:
    """Add a community (werkblad 4) and return it."""
    props: dict[str, Any] = {}
    if bond_type:
        props["bond_type"] = _bond_type(bond_type)
    return ws.add_node(NodeKind.COMMUNITY, name, props=props, since=since, origin="werkblad 4")


def _bond_type(value: str) -> str:
    if value not in BOND_TYPES:
        raise ValidationError(
            "bond type {given!r} is not one of {allowed}",
            field="bond_type",
            value=value,
            given=value,
            allowed=", ".join(BOND_TYPES),
        )
    return value


def update_definition(
    ws: Workspace,
    community_id: str,
    *,
    on: Any,
    name: str | None = None,
    bond_type: str | None = None,
    traits: Iterable[str] | None = None,
    texts: Mapping[str, str | None] | None = None,
    links: Mapping[str, Iterable[str]] | None = None,
) -> Node:
    """Change a community's definition; links (themes, channels, library goals) that are
    dropped end on ``on``, new ones begin on ``on``. All or nothing."""
    day = check_date(on, field="on") or dt.date.today()
    props: dict[str, Any] = {}
    if bond_type is not None:
        props["bond_type"] = _bond_type(bond_type) if bond_type else None
    if traits is not None:
        props["traits"] = [t.strip() for t in traits if t and t.strip()]
    for key, value in (texts or {}).items():
        if key not in TEXT_PROPS:
            raise ValidationError("unknown community text {key!r}", field=key, key=key)
        text = (value or "").strip()
        if len(text) > MAX_TEXT_LENGTH:
            raise ValidationError(
                "{name} is too long (at most {limit} characters)",
                field=key,
                name=Message(TEXT_LABELS.get(key, key)),
                limit=MAX_TEXT_LENGTH,
            )
        props[key] = text or None
    with ws.atomic():
        node = ws.update_node(community_id, name=name or UNSET, props=props)
        for key, wanted in (links or {}).items():
            kind, node_kind = LINKS[key]
            wanted_ids = set(wanted)
            targets = ws.get_nodes(wanted_ids)
            for target_id in wanted_ids:
                if target_id not in targets or targets[target_id].kind is not node_kind:
                    raise ValidationError(
                        "{id!r} is not a {kind}",
                        field=key,
                        value=target_id,
                        id=target_id,
                        kind=Message(KIND_LABELS[node_kind]),
                    )
            current = {
                t.target: t
                for t in ws.ties(node=community_id, kind=kind, as_of=day)
                if t.source == community_id
            }
            for target_id, tie in current.items():
                if target_id not in wanted_ids:
                    ws.end_tie(tie.id, on=day)
            for target_id in sorted(wanted_ids - set(current)):
                ws.add_tie(kind, community_id, target_id, since=day, origin="werkblad 6")
    return node


def set_role(ws: Workspace, community_id: str, role: str, staff_id: str | None, *, on: Any) -> None:
    """Give ``role`` (builder, connector, driver) to ``staff_id`` from day ``on``, ending the
    current holder's tie; ``staff_id=None`` leaves the role empty. Refuses a fourth staff
    member (no more than three per community)."""
    if role not in COMMUNITY_ROLES:
        raise ValidationError(
            "role {given!r} is not one of {allowed}",
            field="role",
            value=role,
            given=role,
            allowed=", ".join(COMMUNITY_ROLES),
        )
    day = check_date(on, field="on")
    if day is None:
        raise ValidationError("a role change needs a date", field="on")
    with ws.atomic():
        if staff_id is not None:
            staff = ws.get_node(staff_id)
            if staff.kind is not NodeKind.STAFF:
                raise ValidationError(
                    "{name!r} is not library staff", field="staff", value=staff_id, name=staff.name
                )
        holders = [
            t
            for t in ws.ties(node=community_id, kind=RelKind.HAS_ROLE, as_of=day)
            if t.target == community_id
        ]
        for tie in holders:
            if tie.role == role and tie.source != staff_id:
                ws.end_tie(tie.id, on=day)
        if staff_id is None or any(t.role == role and t.source == staff_id for t in holders):
            return
        others = {t.source for t in holders if t.role != role}
        if len(others | {staff_id}) > MAX_COMMUNITY_STAFF:
            raise ConflictError(
                "a community has no more than {most} staff in its roles; free a role first",
                most=MAX_COMMUNITY_STAFF,
            )
        ws.add_tie(
            RelKind.HAS_ROLE, staff_id, community_id, role=role, since=day, origin="teamoverleg"
        )


def add_member(
    ws: Workspace, community_id: str, member_id: str, *, since: Any, role: str | None = "member"
) -> None:
    """Record that a person (or organisation) joined the community on ``since``."""
    day = check_date(since, field="since")
    if day is None:
        raise ValidationError("joining needs a date", field="since")
    with ws.atomic():
        for tie in ws.ties(node=member_id, kind=RelKind.MEMBER_OF, as_of=day):
            if tie.target == community_id:
                raise ConflictError(
                    "{name!r} is already a member then", name=ws.get_node(member_id).name
                )
        ws.add_tie(
            RelKind.MEMBER_OF,
            member_id,
            community_id,
            since=day,
            role=role or None,
            origin="werkblad 4",
        )


def _membership(ws: Workspace, community_id: str, member_id: str, day: dt.date):  # type: ignore[no-untyped-def]
    for tie in ws.ties(node=member_id, kind=RelKind.MEMBER_OF, as_of=day):
        if tie.target == community_id and tie.source == member_id:
            return tie
    raise ValidationError(
        "{name!r} is not a member on {day}",
        field="member",
        value=member_id,
        name=ws.get_node(member_id).name,
        day=Day(day),
    )


def end_member(ws: Workspace, community_id: str, member_id: str, *, on: Any) -> None:
    """Record that a member left on ``on`` (the membership tie gets ``until = on``)."""
    day = check_date(on, field="on")
    if day is None:
        raise ValidationError("leaving needs a date", field="on")
    with ws.atomic():
        ws.end_tie(_membership(ws, community_id, member_id, day).id, on=day)


def set_member_role(
    ws: Workspace, community_id: str, member_id: str, role: str | None, *, on: Any
) -> None:
    """Change a member's role (e.g. to ``ambassador``) from ``on``; the old version is kept."""
    day = check_date(on, field="on")
    if day is None:
        raise ValidationError("a role change needs a date", field="on")
    with ws.atomic():
        tie = _membership(ws, community_id, member_id, day)
        if tie.role != (role or None):
            ws.change_tie(tie.id, on=day, role=role or None)


__all__ = [
    "HISTORY_TIE_KINDS",
    "LINKS",
    "TEXT_PROPS",
    "add_member",
    "communities",
    "community",
    "create_community",
    "describe",
    "end_member",
    "load_history",
    "profile",
    "set_member_role",
    "set_role",
    "update_definition",
]
