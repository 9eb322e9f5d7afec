"""A community over many days: the days of a series (:func:`series_dates`) and the one
sweep through time that gives :func:`~.metrics.connectedness` on each of them
(:func:`connectedness_series`)."""

from __future__ import annotations

import datetime as dt
import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import networkx as nx

from ...errors import Day, ValidationError
from ...model import add_months, check_date
from .metrics import (
    AMBASSADOR,
    BOND_KINDS,
    EVERY,
    LIBRARY_KINDS,
    MEMBER_KIND,
    MEMBER_TIE_KINDS,
    PEOPLE_KINDS,
    REACH_KINDS,
    Pair,
    _activity_days,
    _check_community,
    _pair,
    _point,
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
