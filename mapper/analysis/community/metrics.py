"""One day of a community: the metrics' constants, the community on a day
(:func:`community_snapshot`) and its connectedness (:func:`connectedness`); the helpers the
series and the changes share. The metrics are described in :mod:`mapper.analysis.community`."""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import networkx as nx

from ...errors import NotFoundError, ValidationError
from ...labels import label
from ...model import COMMUNITY_ROLES, check_date, valid_on

#: Tie kinds that join two members in the member graph.
MEMBER_TIE_KINDS: tuple[str, ...] = ("KNOWS",)
#: Tie kinds that make a direct bond with the library (from a Library or Staff node).
BOND_KINDS: tuple[str, ...] = ("BOND_WITH", "KNOWS")
#: Tie kinds of the second step of library reach (member → bonded person or organisation).
REACH_KINDS: tuple[str, ...] = ("KNOWS", "MEMBER_OF")
#: Node kinds on the library's side.
LIBRARY_KINDS: frozenset[str] = frozenset({"Library", "Staff"})
#: Node kinds that can be members, and steps on the way to the library.
PEOPLE_KINDS: frozenset[str] = frozenset({"Person", "Organisation"})
#: The node kind of members (member organisations are counted apart, as ``organisations``).
MEMBER_KIND = "Person"
#: The role on a MEMBER_OF tie that makes an ambassador.
AMBASSADOR = "ambassador"
#: Windows (days) for the activity counts.
ACTIVITY_WINDOWS: tuple[int, ...] = (30, 90)

#: The keys of a point, in the order tables and the CLI show them.
METRICS: tuple[str, ...] = (
    "members",
    "organisations",
    "ties",
    "average_strength",
    "density",
    "components",
    "largest_component_share",
    "clustering",
    "bonded",
    "library_reach",
    "ambassadors",
    "activities_30d",
    "activities_90d",
    "roles_filled",
    "staff",
)
#: Metrics that are shares (0–1), shown as percentages.
SHARE_METRICS: frozenset[str] = frozenset(
    {"density", "largest_component_share", "bonded", "library_reach", "clustering"}
)
#: Steps of a series.
EVERY: tuple[str, ...] = ("month", "week")

Pair = tuple[str, str]


# --------------------------------------------------------------------------- helpers


def _day(G: nx.MultiDiGraph, as_of: Any) -> dt.date:
    day = check_date(as_of, field="as_of") if as_of is not None else G.graph.get("as_of")
    if day is None:
        return dt.date.today()
    return day if isinstance(day, dt.date) else check_date(day, field="as_of")  # type: ignore[return-value]


def _node_ok(G: nx.MultiDiGraph, n: str, day: dt.date) -> bool:
    a = G.nodes[n]
    return valid_on(a.get("since"), a.get("until"), day)


def _kind(G: nx.MultiDiGraph, n: str) -> str | None:
    return G.nodes[n].get("kind")


def _pair(u: str, v: str) -> Pair:
    return (u, v) if u < v else (v, u)


def _check_community(G: nx.MultiDiGraph, community: str) -> None:
    if community not in G:
        raise NotFoundError("community {id!r} is not in the graph", id=community)
    kind = _kind(G, community)
    if kind != "Community":
        raise ValidationError(
            "{id!r} is a {kind}, not a community",
            field="community",
            value=community,
            id=community,
            kind=label(kind, "kind"),
        )


def _incident(G: nx.MultiDiGraph, n: str) -> Iterable[tuple[str, str, dict[str, Any]]]:
    """Every edge at ``n`` as (n, other end, data), both directions."""
    for _, v, data in G.out_edges(n, data=True):
        yield n, v, data
    for u, _, data in G.in_edges(n, data=True):
        yield n, u, data


def _edge_ok(G: nx.MultiDiGraph, u: str, v: str, data: Mapping[str, Any], day: dt.date) -> bool:
    return (
        valid_on(data.get("since"), data.get("until"), day)
        and _node_ok(G, u, day)
        and _node_ok(G, v, day)
    )


def _is_member(G: nx.MultiDiGraph, community: str, n: str, day: dt.date) -> bool:
    return any(
        data.get("kind") == "MEMBER_OF" and _edge_ok(G, n, community, data, day)
        for data in (G.get_edge_data(n, community) or {}).values()
    )


def activity_dates(attrs: Mapping[str, Any]) -> list[dt.date]:
    """The dates an activity is held: ``props["dates"]``, else ``props["date"]``, else ``since``.

    >>> activity_dates({"props": {"dates": ["2025-02-01", "2025-03-01"]}})
    [datetime.date(2025, 2, 1), datetime.date(2025, 3, 1)]
    >>> activity_dates({"props": {}, "since": None})
    []
    """
    props = attrs.get("props") or {}
    raw: list[Any]
    if isinstance(props.get("dates"), list):
        raw = props["dates"]
    elif props.get("date"):
        raw = [props["date"]]
    else:
        raw = [attrs.get("since")]
    out = []
    for value in raw:
        try:
            day = check_date(value, field="date")
        except ValidationError:
            continue
        if day is not None:
            out.append(day)
    return sorted(set(out))


def _activity_days(G: nx.MultiDiGraph, community: str) -> list[dt.date]:
    """Every day an activity of the community is held (one entry per activity and day)."""
    days: list[dt.date] = []
    # networkx's own node dict: a whole-graph scan, without a view lookup per node
    for act, attrs in G._node.items():  # type: ignore[attr-defined]
        if attrs.get("kind") != "Activity":
            continue
        organisers = [
            (u, d) for u, _, d in G.in_edges(act, data=True) if d.get("kind") == "ORGANISES"
        ]
        if not organisers:
            continue
        for day in activity_dates(attrs):
            for u, data in organisers:
                if not _edge_ok(G, u, act, data, day):
                    continue
                if u == community or _is_member(G, community, u, day):
                    days.append(day)
                    break
    days.sort()
    return days


def _count_window(days: Sequence[dt.date], day: dt.date, window: int) -> int:
    """How many of the sorted ``days`` lie in ``(day - window, day]``."""
    lo = bisect.bisect_right(days, day - dt.timedelta(days=window))
    hi = bisect.bisect_right(days, day)
    return hi - lo


def _density(n: int, m: int) -> float:
    return 2.0 * m / (n * (n - 1)) if n > 1 else 0.0


def _local_clustering(degree: int, triangles: int) -> float:
    # As networkx: t / (d (d - 1)) with t twice the triangles, 0 when there are none.
    return 0.0 if triangles == 0 else 2 * triangles / (degree * (degree - 1))


def _mean(values: Iterable[float], n: int) -> float:
    return math.fsum(values) / n if n else 0.0


def _share(count: int, n: int) -> float:
    return count / n if n else 0.0


def _point(
    day: dt.date,
    *,
    members: int,
    organisations: int,
    ties: int,
    strengths: Iterable[float],
    component_sizes: Iterable[int],
    clustering: Iterable[float],
    bonded: int,
    reach: int,
    ambassadors: int,
    activity_days: Sequence[dt.date],
    roles: Mapping[str, Sequence[str]],
) -> dict[str, Any]:
    known = list(strengths)
    sizes = list(component_sizes)
    point: dict[str, Any] = {
        "date": day.isoformat(),
        "members": members,
        "organisations": organisations,
        "ties": ties,
        "average_strength": math.fsum(known) / len(known) if known else None,
        "density": _density(members, ties),
        "components": len(sizes),
        "largest_component_share": _share(max(sizes, default=0), members),
        "clustering": _mean(clustering, members),
        "bonded": _share(bonded, members),
        "library_reach": _share(reach, members),
        "ambassadors": ambassadors,
    }
    for window in ACTIVITY_WINDOWS:
        point[f"activities_{window}d"] = _count_window(activity_days, day, window)
    point["roles_filled"] = sum(1 for role in COMMUNITY_ROLES if roles.get(role))
    point["staff"] = len({s for staff in roles.values() for s in staff})
    point["roles"] = {role: sorted(set(roles.get(role, ()))) for role in COMMUNITY_ROLES}
    return point


# --------------------------------------------------------------------------- one day


def community_snapshot(
    G: nx.MultiDiGraph,
    community: str,
    *,
    as_of: Any = None,
    weight: str = "strength",
    tie_kinds: Iterable[str] = MEMBER_TIE_KINDS,
    bond_kinds: Iterable[str] = BOND_KINDS,
) -> dict[str, Any]:
    """The community on one day: its members, the tied member pairs and who is bonded.

    Returns
    -------
    dict
        ``members`` (member id → role of its MEMBER_OF tie, ``None`` for none; "ambassador"
        wins when a member has several), ``pairs`` (sorted member pair → the pair's strength,
        the strongest of its ties, ``None`` when none has one), ``bonded`` (set of every
        person or organisation — member or not — with a direct bond to the library),
        ``roles`` (role → staff ids holding it), ``as_of``.
    """
    _check_community(G, community)
    day = _day(G, as_of)
    tie_kinds, bond_kinds = set(tie_kinds), set(bond_kinds)
    members: dict[str, str | None] = {}
    organisations: set[str] = set()
    roles: dict[str, list[str]] = defaultdict(list)
    if _node_ok(G, community, day):
        for n, other, data in _incident(G, community):
            if not _edge_ok(G, n, other, data, day):
                continue
            kind = data.get("kind")
            if kind == "MEMBER_OF" and _kind(G, other) == "Organisation":
                organisations.add(other)
            elif kind == "MEMBER_OF" and _kind(G, other) == MEMBER_KIND:
                role = data.get("role")
                if other not in members or role == AMBASSADOR:
                    members[other] = role
            elif kind == "HAS_ROLE" and data.get("role"):
                roles[data["role"]].append(other)
    pairs: dict[Pair, float | None] = {}
    for m in members:
        for _, v, data in _incident(G, m):
            if v == m or v not in members or data.get("kind") not in tie_kinds:
                continue
            if not valid_on(data.get("since"), data.get("until"), day):
                continue
            key = _pair(m, v)
            s = data.get(weight)
            old = pairs.get(key)
            pairs[key] = s if old is None else (old if s is None else max(old, s))
    bonded: set[str] = set()
    for lib, attrs in G._node.items():  # type: ignore[attr-defined]  # a scan, as above
        if attrs.get("kind") not in LIBRARY_KINDS or not _node_ok(G, lib, day):
            continue
        for _, v, data in _incident(G, lib):
            if (
                data.get("kind") in bond_kinds
                and _kind(G, v) in PEOPLE_KINDS
                and _edge_ok(G, lib, v, data, day)
            ):
                bonded.add(v)
    return {
        "as_of": day,
        "members": members,
        "organisations": organisations,
        "pairs": pairs,
        "bonded": bonded,
        "roles": dict(roles),
    }


def connectedness(
    G: nx.MultiDiGraph,
    community: str,
    *,
    as_of: Any = None,
    weight: str = "strength",
    tie_kinds: Iterable[str] = MEMBER_TIE_KINDS,
    bond_kinds: Iterable[str] = BOND_KINDS,
    reach_kinds: Iterable[str] = REACH_KINDS,
) -> dict[str, Any]:
    """How connected ``community`` is on one day (the metrics of the module docstring).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A projection, or the history graph of :meth:`Store.project_history`.
    community : str
        The Community node.
    as_of : date or ISO text, optional
        The day; default ``G.graph["as_of"]`` (a projection's date), else today.
    weight : str
        Edge attribute holding a tie's strength (0–1).
    tie_kinds, bond_kinds, reach_kinds : iterable of str
        Tie kinds that join members, that make a direct bond with the library, and that make
        the second step of library reach.

    Returns
    -------
    dict
        ``date`` (ISO text), the metrics named in :data:`METRICS`, and ``roles`` (role →
        sorted staff ids).

    Raises
    ------
    NotFoundError
        If ``community`` is not in ``G``.
    ValidationError
        If it is not a Community, or ``as_of`` is not a date.
    """
    snap = community_snapshot(
        G, community, as_of=as_of, weight=weight, tie_kinds=tie_kinds, bond_kinds=bond_kinds
    )
    day: dt.date = snap["as_of"]
    members: dict[str, str | None] = snap["members"]
    pairs: dict[Pair, float | None] = snap["pairs"]
    bonded: set[str] = snap["bonded"]
    H: nx.Graph = nx.Graph()
    H.add_nodes_from(members)
    H.add_edges_from(pairs)
    triangles: dict[Any, int] = nx.triangles(H)  # type: ignore[assignment]
    reach_kinds = set(reach_kinds)
    reached = 0
    for m in members:
        if m in bonded or any(
            v in bonded and data.get("kind") in reach_kinds and _edge_ok(G, m, v, data, day)
            for _, v, data in _incident(G, m)
        ):
            reached += 1
    return _point(
        day,
        members=len(members),
        organisations=len(snap["organisations"]),
        ties=len(pairs),
        strengths=[s for s in pairs.values() if s is not None],
        component_sizes=[len(c) for c in nx.connected_components(H)],
        clustering=[_local_clustering(H.degree(m), triangles[m]) for m in members],
        bonded=sum(1 for m in members if m in bonded),
        reach=reached,
        ambassadors=sum(1 for r in members.values() if r == AMBASSADOR),
        activity_days=_activity_days(G, community),
        roles=snap["roles"],
    )
