"""How connected a community is, at a date and over time (werkblad 4 and 6).

The functions take a networkx ``MultiDiGraph`` shaped like the store's projections: nodes carry
``kind`` and ``since``/``until``; edges carry ``kind``, ``strength``, ``role`` and
``since``/``until``. That graph may be

* a projection as of one day (``store.project(ws, as_of=day)``), or
* the whole history (``store.project_history(ws)``): every tie *version* as its own edge.

Either way an element counts on ``day`` only when its interval holds it (``since <= day <
until``), and a tie only when both its ends do, exactly as :meth:`Store.project` decides. So
``connectedness(history, c, as_of=day)`` equals ``connectedness(store.project(as_of=day), c)``
— except for the activity counts, which look back 30 and 90 days: an activity organised by
someone who has left since is only seen in the history graph. Use the history graph.

The metrics (all as of one day)
-------------------------------
members
    People (Person nodes) with a ``MEMBER_OF`` tie to the community.
organisations
    Organisations with a ``MEMBER_OF`` tie to the community (partners; not in the member
    graph, but a step towards the library for their own members).
ambassadors
    Members whose ``MEMBER_OF`` tie carries the role ``ambassador``.
ties
    Pairs of members joined by at least one tie of ``tie_kinds`` (default ``KNOWS``: people
    who know each other). Parallel ties and both directions count as one pair.
average_strength
    Mean over those pairs of the pair's strength (the strongest of its ties); pairs whose ties
    have no strength are left out. ``None`` when no pair has one.
density
    ``ties / (n (n - 1) / 2)`` for ``n`` members: the share of member pairs that are tied.
    0 with fewer than two members.
components, largest_component_share
    Connected components of the member graph (members as nodes, the pairs above as edges; a
    member with no tie is a component of its own) and the share of members in the largest.
clustering
    Average clustering coefficient of the member graph over all members (a member with fewer
    than two tied members counts as 0), as :func:`networkx.average_clustering` [1]_.
bonded
    Share of members with a *direct bond* to the library: a tie of ``bond_kinds`` (default
    ``BOND_WITH`` and ``KNOWS``) with a Library or Staff node.
library_reach
    Share of members within two steps of the library: bonded, or tied by a tie of
    ``reach_kinds`` (default ``KNOWS`` and ``MEMBER_OF``) to a person or organisation —
    member or not — that is bonded. The community node itself never counts as a step.
activities_30d, activities_90d
    Activities of the community held in the last 30 (90) days, ``day`` included. An activity is
    the community's when the community, or someone who is a member on the activity's date,
    has an ``ORGANISES`` tie to it valid on that date. Its date is ``props["date"]`` (or each of
    ``props["dates"]`` for a series of sessions), else the node's ``since``.
roles_filled, staff
    How many of the three library roles (builder, connector, driver) a Staff node holds through
    a ``HAS_ROLE`` tie, and how many staff hold any role.

References
----------
.. [1] Saramäki, Kivelä, Onnela, Kaski and Kertész, "Generalizations of the clustering
   coefficient to weighted complex networks", Physical Review E 75, 027105 (2007) — the
   unweighted case, as in networkx.

Examples
--------
>>> import datetime as dt, networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("club", kind="Community")
>>> for p in "abc":
...     G.add_node(p, kind="Person")
...     _ = G.add_edge(p, "club", kind="MEMBER_OF", since=dt.date(2025, 1, 1))
>>> _ = G.add_edge("a", "b", kind="KNOWS", strength=0.8)
>>> point = connectedness(G, "club", as_of=dt.date(2025, 2, 1))
>>> point["members"], point["ties"], round(point["density"], 3), point["components"]
(3, 1, 0.333, 2)
"""

from __future__ import annotations

import bisect
import datetime as dt
import gc
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import networkx as nx

from ..errors import Day, NotFoundError, ValidationError
from ..labels import label
from ..model import COMMUNITY_ROLES, add_months, check_date, valid_on

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
    for act in G.nodes:
        if _kind(G, act) != "Activity":
            continue
        organisers = [
            (u, d) for u, _, d in G.in_edges(act, data=True) if d.get("kind") == "ORGANISES"
        ]
        if not organisers:
            continue
        for day in activity_dates(G.nodes[act]):
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
    for lib in G.nodes:
        if _kind(G, lib) not in LIBRARY_KINDS or not _node_ok(G, lib, day):
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


# --------------------------------------------------------------------------- dates


def series_dates(start: Any, end: Any, *, every: str = "month") -> list[dt.date]:
    """The days of a series from ``start`` to ``end``: every month (the same day of the month,
    clamped) or every week from ``start``, and ``end`` itself.

    >>> [d.isoformat() for d in series_dates("2025-01-31", "2025-04-15")]
    ['2025-01-31', '2025-02-28', '2025-03-31', '2025-04-15']
    """
    first = check_date(start, field="from")
    last = check_date(end, field="to")
    if first is None or last is None:
        raise ValidationError("a series needs a start and an end date", field="from")
    if last < first:
        raise ValidationError(
            "the end {last} lies before the start {first}",
            field="to",
            value=last.isoformat(),
            last=Day(last),
            first=Day(first),
        )
    if every not in EVERY:
        raise ValidationError(
            "step {given!r} is not one of {allowed}",
            field="every",
            value=every,
            given=every,
            allowed=", ".join(EVERY),
        )
    days: list[dt.date] = []
    i = 0
    while True:
        day = add_months(first, i) if every == "month" else first + dt.timedelta(weeks=i)
        if day > last:
            break
        days.append(day)
        i += 1
    if days[-1] != last:
        days.append(last)
    return days


# --------------------------------------------------------------------------- many days


_MEMBER, _ROLE, _PAIR, _BOND, _REACH, _ORGANISATION = range(6)


def _community_action(d: dict[str, Any], other: str, kind_other: Any) -> tuple[Any, ...] | None:
    """What a tie version between the community and ``other`` does when it switches on: a
    member (with role) or member organisation joins, a staff member takes a role."""
    kind = d.get("kind")
    if kind == "MEMBER_OF" and kind_other == MEMBER_KIND:
        return (_MEMBER, other, d.get("role"))
    if kind == "MEMBER_OF" and kind_other == "Organisation":
        return (_ORGANISATION, other)
    if kind == "HAS_ROLE" and d.get("role"):
        return (_ROLE, other, d["role"])
    return None


class _Sweep:
    """The community's state, moved forward through time by applying interval events.

    A tie version is *on* while its interval holds and both its ends are valid; members,
    member pairs (with per-node triangle counts), bonds and reach are kept up to date as ties
    and nodes switch on and off, so each day of a series costs only what changed since the
    previous one plus a pass over the members.
    """

    def __init__(
        self,
        G: nx.MultiDiGraph,
        community: str,
        *,
        weight: str,
        tie_kinds: set[str],
        bond_kinds: set[str],
        reach_kinds: set[str],
    ):
        self.G = G
        self.community = community
        kind_of = {n: a.get("kind") for n, a in G.nodes(data=True)}
        ever_members = {
            u
            for u, _, d in G.in_edges(community, data=True)
            if d.get("kind") == "MEMBER_OF" and kind_of[u] == MEMBER_KIND
        }
        # Each tie version that matters, with what it does when it switches on or off:
        # (u, v, since, until, actions); an action is (code, *arguments).
        ties: list[tuple[str, str, Any, Any, tuple[tuple[Any, ...], ...]]] = []
        # G._succ is the graph's own dict of dicts: read directly, it is several times
        # faster than the edge view on a history of tens of thousands of tie versions.
        # What a tie does depends on its kind and on its two ends, so the ends are looked at
        # once per pair of nodes, not once per version.
        for u, nbrs in G._succ.items():  # type: ignore[attr-defined]  # networkx's own dicts, for speed
            ku = kind_of[u]
            u_member = u in ever_members
            for v, keyed in nbrs.items():
                if u == v:
                    continue
                kv = kind_of[v]
                v_member = v in ever_members
                if u == community or v == community:
                    other = u if v == community else v
                    kind_other = kv if u == community else ku
                    for d in keyed.values():
                        action = _community_action(d, other, kind_other)
                        if action is not None:
                            ties.append((u, v, d.get("since"), d.get("until"), (action,)))
                    continue
                pair = (u, v) if u < v else (v, u)
                pair_ok = u_member and v_member
                reach_ok = ku in PEOPLE_KINDS and kv in PEOPLE_KINDS and (u_member or v_member)
                bonded = (
                    v
                    if ku in LIBRARY_KINDS and kv in PEOPLE_KINDS
                    else u
                    if kv in LIBRARY_KINDS and ku in PEOPLE_KINDS
                    else None
                )
                if not (pair_ok or reach_ok or bonded is not None):
                    continue
                for d in keyed.values():
                    kind = d.get("kind")
                    actions: tuple[tuple[Any, ...], ...] = ()
                    if pair_ok and kind in tie_kinds:
                        actions += ((_PAIR, pair, d.get(weight)),)
                    if bonded is not None and kind in bond_kinds:
                        actions += ((_BOND, bonded),)
                    if reach_ok and kind in reach_kinds:
                        actions += ((_REACH, u, v),)
                    if actions:
                        ties.append((u, v, d.get("since"), d.get("until"), actions))
        self.ties = ties
        nodes = {community}
        for u, v, *_ in ties:
            nodes.add(u)
            nodes.add(v)
        # events: day -> (what starts, what ends); a node by its id, a tie by its index.
        # Only the state after all of a day's events is ever read, so their order within a
        # day is free: starts go first, so that a tie changed on a day (one version ends,
        # the next starts) never drops out of the member graph in between.
        events: dict[dt.date, tuple[list[Any], list[Any]]] = {}
        self.node_ok: dict[str, bool] = {}
        self.by_node: dict[str, list[int]] = {}
        for n in nodes:
            a = G.nodes[n]
            self.node_ok[n] = _add_interval(events, a.get("since"), a.get("until"), n)
            if a.get("since") is not None or a.get("until") is not None:
                self.by_node[n] = []  # ties to re-check when the node starts or ends
        self.tie_valid: list[bool] = []
        for i, (u, v, since, until, _) in enumerate(ties):
            self.tie_valid.append(_add_interval(events, since, until, i))
            if u in self.by_node:
                self.by_node[u].append(i)
            if v in self.by_node:
                self.by_node[v].append(i)
        self.events = events
        self.days = sorted(events)
        self.position = 0
        # state
        self.on: list[bool] = [False] * len(ties)
        self.membership: dict[str, int] = defaultdict(int)  # MEMBER_OF ties switched on
        self.ambassador_ties: dict[str, int] = defaultdict(int)
        self.ambassadors = 0
        self.organisation_ties: dict[str, int] = defaultdict(int)
        self.members: set[str] = set()
        self.roles: dict[str, dict[int, str]] = defaultdict(dict)
        self.raw: dict[Pair, dict[int, float | None]] = {}
        self.raw_nbrs: dict[str, set[str]] = defaultdict(set)
        self.adj: dict[str, set[str]] = defaultdict(set)
        self.triangles: dict[str, int] = defaultdict(int)
        self.pair_strength: dict[Pair, float] = {}
        self.n_pairs = 0
        self.bond: dict[str, int] = defaultdict(int)
        self.reach_adj: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.bonded_nbrs: dict[str, int] = defaultdict(int)
        for i in range(len(ties)):
            self._refresh(i)

    # -- tie on/off ----------------------------------------------------------------
    def _refresh(self, i: int) -> None:
        u, v, _, _, actions = self.ties[i]
        want = self.tie_valid[i] and self.node_ok[u] and self.node_ok[v]
        if want != self.on[i]:
            self.on[i] = want
            for action in actions:
                code = action[0]
                if code == _PAIR:
                    self._pair_tie(i, action[1], action[2], want)
                elif code == _REACH:
                    a, b = action[1], action[2]
                    delta = 1 if want else -1
                    self.reach_adj[a][b] += delta
                    self.reach_adj[b][a] += delta
                    if self.bond[b] > 0:
                        self.bonded_nbrs[a] += delta
                    if self.bond[a] > 0:
                        self.bonded_nbrs[b] += delta
                elif code == _BOND:
                    self._bond(action[1], want)
                elif code == _MEMBER:
                    self._membership(action[1], action[2] == AMBASSADOR, want)
                elif code == _ORGANISATION:
                    self.organisation_ties[action[1]] += 1 if want else -1
                elif want:  # _ROLE
                    self.roles[action[1]][i] = action[2]
                else:
                    self.roles[action[1]].pop(i, None)

    # -- members and the member graph ------------------------------------------------
    def _membership(self, n: str, ambassador: bool, on: bool) -> None:
        delta = 1 if on else -1
        count = self.membership[n] = self.membership[n] + delta
        if ambassador:
            before = self.ambassador_ties[n] > 0
            self.ambassador_ties[n] += delta
            self.ambassadors += (self.ambassador_ties[n] > 0) - before
        if count == (1 if on else 0):
            self._member(n, on)

    def _member(self, n: str, on: bool) -> None:
        if on:
            self.members.add(n)
            for v in sorted(self.raw_nbrs[n]):
                if v in self.members:
                    self._edge(_pair(n, v), True)
        else:
            for v in sorted(self.adj[n]):
                self._edge(_pair(n, v), False)
            self.members.discard(n)

    def _pair_tie(self, i: int, key: Pair, s: float | None, on: bool) -> None:
        ties = self.raw.setdefault(key, {})
        had = bool(ties)
        if on:
            ties[i] = s
        else:
            ties.pop(i, None)
        has = bool(ties)
        a, b = key
        if has and not had:
            self.raw_nbrs[a].add(b)
            self.raw_nbrs[b].add(a)
        elif had and not has:
            self.raw_nbrs[a].discard(b)
            self.raw_nbrs[b].discard(a)
            del self.raw[key]
        if a in self.members and b in self.members:
            if has != had:
                self._edge(key, has)
            elif has:
                self._strength(key)

    def _strength(self, key: Pair) -> None:
        strengths = self.raw[key].values()
        if len(strengths) == 1:  # the usual case: one tie per pair
            (best,) = strengths
        else:
            best = max((s for s in strengths if s is not None), default=None)
        if best is None:
            self.pair_strength.pop(key, None)
        else:
            self.pair_strength[key] = best

    def _edge(self, key: Pair, on: bool) -> None:
        a, b = key
        if on == (b in self.adj[a]):
            return
        common = self.adj[a] & self.adj[b]
        delta = 1 if on else -1
        for w in common:
            self.triangles[w] += delta
        self.triangles[a] += delta * len(common)
        self.triangles[b] += delta * len(common)
        if on:
            self.adj[a].add(b)
            self.adj[b].add(a)
            self.n_pairs += 1
            self._strength(key)
        else:
            self.adj[a].discard(b)
            self.adj[b].discard(a)
            self.n_pairs -= 1
            self.pair_strength.pop(key, None)

    # -- bonds and reach ----------------------------------------------------------------
    def _bond(self, n: str, on: bool) -> None:
        before = self.bond[n] > 0
        self.bond[n] += 1 if on else -1
        after = self.bond[n] > 0
        if before != after:
            delta = 1 if after else -1
            for v, count in self.reach_adj[n].items():
                self.bonded_nbrs[v] += delta * count

    # -- time ---------------------------------------------------------------------------
    def advance(self, day: dt.date) -> None:
        """Apply every event on or before ``day``."""
        days, refresh, tie_valid = self.days, self._refresh, self.tie_valid
        while self.position < len(days) and days[self.position] <= day:
            starts, ends = self.events[days[self.position]]
            self.position += 1
            for valid, items in ((True, starts), (False, ends)):
                for item in items:
                    if type(item) is int:
                        tie_valid[item] = valid
                        refresh(item)
                    else:
                        self.node_ok[item] = valid
                        for j in self.by_node[item]:
                            refresh(j)

    def point(self, day: dt.date, activity_days: Sequence[dt.date]) -> dict[str, Any]:
        members = self.members
        adj = self.adj
        sizes = []
        unseen = set(members)
        while unseen:  # breadth-first, a whole level at a time with set operations
            frontier = {unseen.pop()}
            size = 1
            while frontier:
                frontier = set().union(*map(adj.__getitem__, frontier))
                frontier &= unseen
                unseen -= frontier
                size += len(frontier)
            sizes.append(size)
        triangles = self.triangles
        roles: dict[str, list[str]] = defaultdict(list)
        for staff, held in self.roles.items():
            for role in set(held.values()):
                roles[role].append(staff)
        bond, nbrs = self.bond, self.bonded_nbrs
        return _point(
            day,
            members=len(members),
            organisations=sum(1 for count in self.organisation_ties.values() if count > 0),
            ties=self.n_pairs,
            strengths=self.pair_strength.values(),
            component_sizes=sizes,
            clustering=[
                0.0 if not triangles[m] else 2 * triangles[m] / (len(adj[m]) * (len(adj[m]) - 1))
                for m in members
            ],
            bonded=sum(1 for m in members if bond[m] > 0),
            reach=sum(1 for m in members if bond[m] > 0 or nbrs[m] > 0),
            ambassadors=self.ambassadors,
            activity_days=activity_days,
            roles=roles,
        )


def _add_interval(
    events: dict[dt.date, tuple[list[Any], list[Any]]],
    since: dt.date | None,
    until: dt.date | None,
    item: Any,
) -> bool:
    """Add the start and end events of ``item`` valid in ``[since, until)``; return whether
    it holds at the beginning of time (no ``since``). An empty interval adds nothing and
    never holds."""
    if since is not None and until is not None and until <= since:
        return False
    if since is not None:
        events.setdefault(since, ([], []))[0].append(item)
    if until is not None:
        events.setdefault(until, ([], []))[1].append(item)
    return since is None


def connectedness_series(
    G: nx.MultiDiGraph,
    community: str,
    dates: Iterable[Any],
    *,
    weight: str = "strength",
    tie_kinds: Iterable[str] = MEMBER_TIE_KINDS,
    bond_kinds: Iterable[str] = BOND_KINDS,
    reach_kinds: Iterable[str] = REACH_KINDS,
) -> list[dict[str, Any]]:
    """:func:`connectedness` on each of ``dates``, computed in one sweep through time.

    Gives the same points as calling :func:`connectedness` for each date on the same graph,
    but reads the graph once: tie and node intervals become events, and the member graph,
    its triangle counts, the bonds and the reach are updated as the sweep passes each event.
    Use it on the history graph of :meth:`Store.project_history`.

    Parameters
    ----------
    G, community, weight, tie_kinds, bond_kinds, reach_kinds
        As for :func:`connectedness`.
    dates : iterable of date or ISO text
        The days, in any order (e.g. :func:`series_dates`).

    Returns
    -------
    list of dict
        One point per date, in the order given.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("c", kind="Community")
    >>> G.add_node("a", kind="Person"); G.add_node("b", kind="Person")
    >>> _ = G.add_edge("a", "c", kind="MEMBER_OF", since=dt.date(2025, 1, 1))
    >>> _ = G.add_edge("b", "c", kind="MEMBER_OF", since=dt.date(2025, 3, 1))
    >>> [p["members"] for p in connectedness_series(G, "c", ["2025-02-01", "2025-03-01"])]
    [1, 2]
    """
    _check_community(G, community)
    days = [check_date(d, field="date") for d in dates]
    if any(d is None for d in days):
        raise ValidationError("a series date is missing", field="date")
    with gc_paused():
        sweep = _Sweep(
            G,
            community,
            weight=weight,
            tie_kinds=set(tie_kinds),
            bond_kinds=set(bond_kinds),
            reach_kinds=set(reach_kinds),
        )
        activity_days = _activity_days(G, community)
        points: dict[dt.date, dict[str, Any]] = {}
        for day in sorted(set(days)):  # type: ignore[type-var]
            sweep.advance(day)  # type: ignore[arg-type]
            points[day] = sweep.point(day, activity_days)  # type: ignore[index, arg-type]
    return [dict(points[d]) for d in days]  # type: ignore[index]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a sweep builds its state.

    A sweep allocates a few hundred thousand small containers that all stay alive until it
    ends; the collector would walk them (and the whole history graph) again and again for
    nothing, which costs about a third of the sweep. Reference counting still frees memory
    as usual, and the collector is switched back on afterwards (if it was on)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# --------------------------------------------------------------------------- what changed


def community_changes(
    G: nx.MultiDiGraph,
    community: str,
    start: Any,
    end: Any,
    *,
    weight: str = "strength",
    tie_kinds: Iterable[str] = MEMBER_TIE_KINDS,
    bond_kinds: Iterable[str] = BOND_KINDS,
) -> dict[str, list[Any]]:
    """What changed in the community between two days (a history graph is needed).

    Returns
    -------
    dict
        ``new_members`` and ``lost_members`` (member ids), ``new_ties`` and ``lost_ties``
        (member pairs tied on one day and not on the other), ``newly_bonded`` and
        ``lost_bonds`` (members of ``end`` with a direct bond to the library on one day and not
        the other), ``weaker`` and ``stronger`` (pairs tied on both days whose strength fell or
        rose, as ``(pair, before, after)``). Lists are sorted; pairs are sorted id tuples.
    """
    a = community_snapshot(
        G, community, as_of=start, weight=weight, tie_kinds=tie_kinds, bond_kinds=bond_kinds
    )
    b = community_snapshot(
        G, community, as_of=end, weight=weight, tie_kinds=tie_kinds, bond_kinds=bond_kinds
    )
    ma, mb = set(a["members"]), set(b["members"])
    pa, pb = a["pairs"], b["pairs"]
    both = sorted(set(pa) & set(pb))
    return {
        "new_members": sorted(mb - ma),
        "lost_members": sorted(ma - mb),
        "new_ties": sorted(set(pb) - set(pa)),
        "lost_ties": sorted(set(pa) - set(pb)),
        "newly_bonded": sorted(m for m in mb if m in b["bonded"] and m not in a["bonded"]),
        "lost_bonds": sorted(m for m in mb & ma if m in a["bonded"] and m not in b["bonded"]),
        "weaker": [
            (p, pa[p], pb[p])
            for p in both
            if pa[p] is not None and pb[p] is not None and pb[p] < pa[p]
        ],
        "stronger": [
            (p, pa[p], pb[p])
            for p in both
            if pa[p] is not None and pb[p] is not None and pb[p] > pa[p]
        ],
    }


def community_start(G: nx.MultiDiGraph, community: str) -> dt.date | None:
    """The first day the community has a member (or its own ``since``), if known."""
    _check_community(G, community)
    days: list[dt.date] = [
        d["since"]
        for _, _, d in G.in_edges(community, data=True)
        if d.get("kind") == "MEMBER_OF" and d.get("since") is not None
    ]
    own = G.nodes[community].get("since")
    if own is not None:
        days.append(own)
    return min(days) if days else None


__all__ = [
    "METRICS",
    "SHARE_METRICS",
    "MEMBER_TIE_KINDS",
    "BOND_KINDS",
    "REACH_KINDS",
    "EVERY",
    "activity_dates",
    "add_months",
    "community_changes",
    "community_snapshot",
    "community_start",
    "connectedness",
    "connectedness_series",
    "series_dates",
]
