"""The ranking: score the people of a target's ecosystem by warmth, relevance and reach
(:func:`rank_warm_contacts`), each result a :class:`WarmContact` explaining itself."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

from ...errors import ValidationError
from ...i18n import ngettext
from ...model import NodeKind
from ..strength import FLOOR
from .common import (
    DEFAULT_CUTOFF,
    DIGITS,
    INTRODUCTION_TIES,
    SOURCE_KINDS,
    _day,
    _incident_fn,
    _key,
    _speaking,
    _View,
)
from .compact import CompactGraph
from .explain import _links, _route_reasons
from .relevance import Signal, ecosystem_signals, relevance
from .routes import Route, _neighbours_fn, _strength_fn, warm_routes

K = NodeKind

#: How much warmth, relevance and reach count in the score (they add up to 1).
WEIGHTS: Mapping[str, float] = {"warmth": 0.5, "relevance": 0.3, "reach": 0.2}
#: A person is reached warmly by the library from this warmth on (e.g. 0.8 × 0.5).
WARM_ENOUGH = 0.4
#: Reach is ``n / (n + REACH_HALF)``: this many not-yet-reached people give a reach of 0.5.
REACH_HALF = 5
#: Default number of results.
DEFAULT_LIMIT = 20


# --------------------------------------------------------------------------- the ranking


@dataclass(frozen=True)
class WarmContact:
    """One ranked candidate, explaining itself."""

    id: Any
    name: str
    score: float
    warmth: float
    relevance: float
    reach: float
    contributions: dict[str, float]
    route: Route | None
    via_library: bool
    links: list[dict[str, Any]]
    signals: list[Signal]
    reached: list[Any]
    reasons: list[str]

    @property
    def path(self) -> list[Any]:
        """Node ids from the staff member to the candidate (only the candidate when the
        library's own bond is the route; empty without a warm route)."""
        if self.route is None:
            return []
        nodes = list(self.route.path)
        return nodes[1:] if self.via_library else nodes

    @property
    def introducer(self) -> Any | None:
        """Who can introduce you: the go-between just before the candidate on the route."""
        if self.route is None or self.route.hops < 2:
            return None
        return self.route.path[-2]

    def as_dict(self, G: nx.Graph) -> dict[str, Any]:
        """A JSON-ready dict (ids, names, numbers and text only)."""

        def ref(n: Any) -> dict[str, Any]:
            return {"id": n, "name": str(G.nodes[n].get("name", n)), "kind": G.nodes[n].get("kind")}

        weakest = None
        if self.route is not None and self.route.weakest is not None:
            weakest = self.links[self.route.weakest]
        return {
            "id": self.id,
            "name": self.name,
            "score": self.score,
            "warmth": self.warmth,
            "relevance": self.relevance,
            "reach": self.reach,
            "contributions": dict(self.contributions),
            "path": [ref(n) for n in self.path],
            "hops": 0 if self.route is None else self.route.hops,
            "via_library": self.via_library,
            "introducer": None if self.introducer is None else ref(self.introducer),
            "links": self.links,
            "weakest_link": weakest,
            "reached": [ref(n) for n in self.reached],
            "reasons": list(self.reasons),
        }


def rank_warm_contacts(
    G: nx.Graph,
    target: Any,
    *,
    sources: Iterable[Any] | None = None,
    weight: str = "strength",
    cutoff: int = DEFAULT_CUTOFF,
    limit: int | None = DEFAULT_LIMIT,
    as_of: Any = None,
    weights: Mapping[str, float] = WEIGHTS,
    tie_kinds: Collection[str] = INTRODUCTION_TIES,
    default: float = FLOOR,
    lang: str | None = "nl",
    method: str = "layered",
    compact: CompactGraph | None = None,
) -> list[WarmContact]:
    """Rank the people of ``target``'s ecosystem by whom to approach first.

    Parameters
    ----------
    G : networkx graph
        A projection (:meth:`mapper.store.base.Store.project`), optionally with effective
        strengths written by :func:`mapper.analysis.strength.annotate_strengths`.
    target : node
        A Theme, Organisation, Community or Person node of ``G``.
    sources : iterable of nodes, optional
        Where routes start (default: every Library and Staff node).
    weight : str
        Edge attribute with the strength (``"warm_strength"`` after ``annotate_strengths``).
    cutoff : int
        Longest warm route, in ties (default 3).
    limit : int or None
        Number of results (default 20; None for all).
    as_of : date or ISO text, optional
        Only ties valid on this day count (default: the graph's ``as_of``, else today).
    weights : mapping
        Weights of ``"warmth"``, ``"relevance"`` and ``"reach"`` in the score.
    tie_kinds : collection of str
        Tie kinds introductions go along (default :data:`INTRODUCTION_TIES`).
    default : float
        Strength of a tie without one (default :data:`~mapper.analysis.strength.FLOOR`).
    lang : {"nl", "en"} or None
        Language of the reasons (default Dutch; ``None`` for the reader's language, see
        :mod:`mapper.i18n`).
    method : {"layered", "dijkstra"}
        See :func:`warm_routes`.
    compact : CompactGraph, optional
        The integer-indexed form of ``G`` (:class:`~mapper.analysis.warm.compact.CompactGraph`,
        built with the same ``weight``, day, ``tie_kinds`` and ``default``): the same ranking,
        computed vectorised. Ignored when built for another graph or other options, and with
        ``method="dijkstra"``.

    Returns
    -------
    list of WarmContact
        Best first: by score, then warmth, then relevance, then name and id.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> for n, kind in [("lib", "Library"), ("anna", "Staff"), ("jan", "Person"),
    ...                 ("fatma", "Person"), ("t", "Theme")]:
    ...     G.add_node(n, kind=kind, name=n.title())
    >>> _ = G.add_edge("anna", "jan", kind="KNOWS", strength=0.8)
    >>> _ = G.add_edge("jan", "fatma", kind="KNOWS", strength=0.6)
    >>> _ = G.add_edge("fatma", "t", kind="ACTIVE_ON", strength=None)
    >>> [(c.name, c.warmth, c.path) for c in rank_warm_contacts(G, "t")]
    [('Fatma', 0.48, ['anna', 'jan', 'fatma'])]
    """
    with _speaking(lang):
        pass  # an unknown language is refused before any work
    if limit is not None and (not isinstance(limit, int) or limit < 0):
        raise ValidationError(
            "limit {limit!r} must be a whole number ≥ 0", field="limit", value=limit, limit=limit
        )
    day = _day(G, as_of)
    view = _View(G, day)
    found = ecosystem_signals(G, target, as_of=day)
    on_compact = (
        compact is not None
        and method == "layered"
        and compact.matches(G, weight=weight, day=day, tie_kinds=tie_kinds, default=default)
    )
    if sources is None:
        if on_compact:
            sources = compact.sources  # type: ignore[union-attr]
        else:
            nodes = G._node  # type: ignore[attr-defined]  # networkx's own dicts, for speed
            sources = sorted(
                (n for n, d in nodes.items() if d.get("kind") in SOURCE_KINDS), key=_key
            )
    source_list = list(sources)
    reach: _Reach
    if (
        on_compact
        and isinstance(cutoff, int)
        and not isinstance(cutoff, bool)
        and cutoff >= 0
        and all(s in compact.index for s in source_list)  # type: ignore[union-attr]
    ):
        # The same routes on the integer-indexed form (bad input takes the ordinary search,
        # which names it).
        assert compact is not None
        found_routes = compact.routes(source_list, cutoff=cutoff, targets=found)
        warm = found_routes.warmth
        route_of: Callable[[Any], Route | None] = found_routes.route
        reach = _CompactReach(compact, found, found_routes.warmth_array)
    else:
        routes = warm_routes(
            G,
            source_list,
            weight=weight,
            cutoff=cutoff,
            targets=found,
            tie_kinds=tie_kinds,
            as_of=day,
            default=default,
            method=method,
        )
        warm = {n: r.warmth for n, r in routes.items()}
        route_of = routes.get
        reach = _Reach(_neighbours_fn(G, weight, day, tie_kinds, default), found, warm)
    strength = _strength_fn(weight, day, tie_kinds, default)
    incident = _incident_fn(G)
    ecosystem_orgs = {a for sigs in found.values() for s in sigs for a in s.about}
    w_warm, w_rel, w_reach = (float(weights.get(k, 0.0)) for k in ("warmth", "relevance", "reach"))
    scored = []
    for person, signals in found.items():
        w = round(warm[person], DIGITS) if person in warm else 0.0
        rel = relevance(signals)
        n = reach.count(person)
        rch = round(n / (n + REACH_HALF), DIGITS)
        contributions = {
            "warmth": round(w_warm * w, DIGITS),
            "relevance": round(w_rel * rel, DIGITS),
            "reach": round(w_reach * rch, DIGITS),
        }
        score = round(sum(contributions.values()), DIGITS)
        name = view.name(person)
        scored.append(
            (
                (-score, -w, -rel, name.casefold(), _key(person)),
                (person, name, score, w, rel, rch, contributions, signals),
            )
        )
    scored.sort(key=lambda item: item[0])
    if limit is not None:
        scored = scored[:limit]
    # Explanations only for the results returned.
    results = []
    for _order, (
        person,
        name,
        score,
        w,
        rel,
        rch,
        contributions,
        signals,
    ) in scored:
        route = route_of(person)
        reached = reach.of(person)
        n = len(reached)
        via_library = route is not None and view.kind(route.path[0]) == K.LIBRARY.value
        with _speaking(lang):
            links = _links(view, route, strength, incident) if route else []
            reasons = _route_reasons(view, route, links, via_library, cutoff, ecosystem_orgs)
            reasons += [s.text(None) for s in sorted(signals, key=lambda s: (-s.points, s.code))]
            if n:
                reasons.append(
                    ngettext(
                        "Knows {n} person in this network the library does not yet reach warmly",
                        "Knows {n} people in this network the library does not yet reach warmly",
                        n,
                    ).format(n=n)
                )
        results.append(
            WarmContact(
                id=person,
                name=name,
                score=score,
                warmth=w,
                relevance=rel,
                reach=rch,
                contributions=contributions,
                route=route,
                via_library=via_library,
                links=links,
                signals=signals,
                reached=reached,
                reasons=reasons,
            )
        )
    return results


class _Reach:
    """Per person of the ecosystem, the people of it they know whom the library does not
    yet reach warmly (warmth below :data:`WARM_ENOUGH`), sorted by id."""

    def __init__(
        self,
        neighbours: Callable[[Any], Iterator[tuple[Any, float]]],
        found: Mapping[Any, Any],
        warm: Mapping[Any, float],
    ):
        self._reached = {
            person: sorted(
                {
                    u
                    for u, _s in neighbours(person)
                    if u in found and u != person and warm.get(u, 0.0) < WARM_ENOUGH
                },
                key=_key,
            )
            for person in found
        }

    def count(self, person: Any) -> int:
        return len(self._reached[person])

    def of(self, person: Any) -> list[Any]:
        return self._reached[person]


class _CompactReach(_Reach):
    """:class:`_Reach` on the compact form: counted for everyone at once, listed on demand."""

    def __init__(self, compact: CompactGraph, found: Mapping[Any, Any], warmth: np.ndarray):
        self.compact = compact
        index = compact.index
        people = np.array([index[p] for p in found], dtype=np.int64)
        which, pos = compact.arcs_of(people)
        u = compact.indices[pos]
        in_found = np.zeros(compact.n, dtype=bool)
        in_found[people] = True
        ok = in_found[u] & (u != people[which]) & (warmth[u] < WARM_ENOUGH)
        self._which, self._u = which[ok], u[ok]
        counts = np.bincount(self._which, minlength=len(people)).tolist()
        self._row = {p: k for k, p in enumerate(found)}
        self._counts = dict(zip(found, counts))

    def count(self, person: Any) -> int:
        return self._counts[person]

    def of(self, person: Any) -> list[Any]:
        k = self._row[person]
        lo, hi = np.searchsorted(self._which, [k, k + 1]).tolist()
        nodes = self.compact.nodes
        return sorted((nodes[j] for j in self._u[lo:hi].tolist()), key=_key)
