"""Warm contacts (werkblad 4–5): whom to approach first for a target, and who introduces them.

For a target — a theme, an organisation, a community or a person — :func:`rank_warm_contacts`
ranks the people of the target's ecosystem by three things, and says how much each contributed:

warmth
    The best introduction route from the library: a chain of ties starting at a staff member
    (or at the library itself, for a direct bond of the library) and ending at the candidate.
    A route's warmth is the **product of the strengths** of its ties, so a chain of strong ties
    beats a chain of weak ones, and each extra go-between costs. Routes longer than ``cutoff``
    ties (default 3) are not warm. Ties count for routes when they are of the kinds in
    :data:`INTRODUCTION_TIES` (knowing someone, a bond of the library or a staff member, being a
    member of an organisation or community) and valid on the day; introductions go both ways,
    so direction is ignored.
relevance
    The candidate's place in the target's ecosystem: active on the theme, organising or taking
    part in its activities, ambassador, board member or member of its organisations and
    communities, and central among the target's people (see :func:`ecosystem_signals`). Each
    signal is a chance-like number and they combine as ``1 - Π(1 - p)``.
reach
    How many people of the target's ecosystem the candidate knows whom the library does not
    yet reach warmly (warmth below :data:`WARM_ENOUGH`), as ``n / (n + REACH_HALF)``.

``score = 0.5·warmth + 0.3·relevance + 0.2·reach`` (see :data:`WEIGHTS`), every number in 0–1.

The rule on a direct weak tie against a strong chain
----------------------------------------------------
The warmest route is the one with the highest product of strengths within ``cutoff`` steps,
with one exception: **a direct strong tie always wins**. When the library or a staff member
has a direct tie to the candidate that is at least "sterk" (step 4 of the five-step scale,
strength above 0.6), that tie is the route, even if a chain multiplies to more (1.0 × 1.0 beats
0.8 by product, but you would call the person you know well yourself). Otherwise the product
decides, so a strong 2-step route (0.9 × 0.9 = 0.81) beats a weak direct tie (0.4), and a
weak direct tie (0.4) beats a 3-step route of fair ties (0.6³ = 0.216). Equal products go to
the route with fewer steps, then to the smaller node id, so results are deterministic.

The algorithm
-------------
The best product within *k* steps is the shortest path with edge cost ``-log(strength)`` and
at most *k* edges. That is *not* Dijkstra with a hop cutoff (Dijkstra keeps one best label per
node, and the best path to a go-between may be too long to extend); it is *k* rounds of
Bellman–Ford from all sources at once, each round relaxing only the ties of the nodes that
improved in the previous round; with candidates given, the round before the last keeps only
the candidates and their neighbours, and the last round is pulled from the candidates' side.
Because strengths are at most 1, the best walk within *k* steps is a simple path, so the
result equals the best over all simple paths of at most *k* ties. ``method="dijkstra"`` computes the same thing the slow way — networkx's Dijkstra from
every source separately over the whole graph expanded into (node, steps) states — and serves
as the reference in tests and in ``benchmarks/warm_contacts.py``.

Examples
--------
>>> import networkx as nx
>>> G = nx.Graph()
>>> G.add_edge("anna", "jan", strength=0.8)
>>> G.add_edge("jan", "fatma", strength=0.6)
>>> G.add_edge("anna", "fatma", strength=0.4)
>>> routes = warm_routes(G, ["anna"])
>>> routes["fatma"].path, round(routes["fatma"].warmth, 2)
(('anna', 'jan', 'fatma'), 0.48)
>>> warmth(G, ["anna"], cutoff=1)["fatma"]
0.4
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from ..errors import NotFoundError, ValidationError
from ..i18n import LANGUAGES, N_, ngettext, use_language
from ..i18n import gettext as _
from ..labels import label
from ..model import NodeKind, RelKind, check_date, strength_label, strength_step
from .strength import DERIVED, FLOOR, HAND_SET, SOURCE_ATTR, UNKNOWN

K = NodeKind
R = RelKind

#: Routes longer than this many ties are not warm.
DEFAULT_CUTOFF = 3
#: A direct tie at or above this step ("sterk") is always the route (see the module notes).
STRONG_STEP = 4
#: Tie kinds an introduction can go along.
INTRODUCTION_TIES: frozenset[str] = frozenset({R.KNOWS.value, R.BOND_WITH.value, R.MEMBER_OF.value})
#: Kinds of node routes start from: the library itself and its staff.
SOURCE_KINDS: frozenset[str] = frozenset({K.LIBRARY.value, K.STAFF.value})
#: Kinds of target the ranking takes.
TARGET_KINDS: tuple[str, ...] = (
    K.THEME.value,
    K.ORGANISATION.value,
    K.COMMUNITY.value,
    K.PERSON.value,
)
#: How much warmth, relevance and reach count in the score (they add up to 1).
WEIGHTS: Mapping[str, float] = {"warmth": 0.5, "relevance": 0.3, "reach": 0.2}
#: A person is reached warmly by the library from this warmth on (e.g. 0.8 × 0.5).
WARM_ENOUGH = 0.4
#: Reach is ``n / (n + REACH_HALF)``: this many not-yet-reached people give a reach of 0.5.
REACH_HALF = 5
#: Scores are rounded to this many decimals, so that equal routes computed along different
#: float paths rank the same (ties are then broken by name and id).
DIGITS = 9
#: Default number of results.
DEFAULT_LIMIT = 20

#: Relevance signals: code → (chance-like points, message id). ``{x}`` is filled with the
#: names involved; the Dutch is in ``mapper/translations/nl/warm.po``.
SIGNALS: dict[str, tuple[float, str]] = {
    "is_target": (1.0, N_("Is {x}")),
    "active_on": (0.6, N_("Active on the theme {x}")),
    "organises": (0.5, N_("Organises {x}")),
    "ambassador": (0.5, N_("Ambassador of {x}")),
    "board": (0.35, N_("Board member or founder of {x}")),
    "member": (0.25, N_("Member of {x}")),
    "attends": (0.25, N_("Takes part in {x}")),
    "knows_target": (0.5, N_("Knows {x}")),
    "comember": (0.2, N_("Shares {x} with the person")),
    "community_theme": (0.3, N_("Active on {x}, a theme of the community")),
    "channel": (0.15, N_("Active in {x}")),
    # "central" is counted: Signal.text says "one other" or "{x} others"
    "central": (0.3, N_("Knows {x} others in this network")),
}
#: Members with these roles get the stronger signals.
AMBASSADOR_ROLES = frozenset({"ambassador"})
BOARD_ROLES = frozenset({"board", "founder"})
#: Centrality signal: ``points · k / (k + CENTRAL_HALF)`` for k ecosystem acquaintances.
CENTRAL_HALF = 3

#: Where a tie's strength on a route comes from, in words.
SOURCE_TEXT: dict[str, str] = {
    HAND_SET: N_("hand-set"),
    DERIVED: N_("derived from contact moments"),
    UNKNOWN: N_("strength unknown"),
}


def _source(code: str | None) -> str:
    return _(SOURCE_TEXT.get(code or UNKNOWN, SOURCE_TEXT[UNKNOWN]))


@contextlib.contextmanager
def _speaking(lang: str | None) -> Iterator[None]:
    """Speak ``lang`` inside the block ("nl" or "en"); ``None`` is the reader's language."""
    if lang is None:
        yield
        return
    if lang not in LANGUAGES:
        raise ValidationError(
            "language {lang!r} is not nl or en", field="lang", value=lang, lang=lang
        )
    with use_language(lang):
        yield


# --------------------------------------------------------------------------- helpers


def is_strong(strength: float | None) -> bool:
    """True when ``strength`` is at least "sterk" (step :data:`STRONG_STEP`).

    >>> is_strong(0.8), is_strong(0.6), is_strong(None)
    (True, False, False)
    """
    step = strength_step(strength)
    return step is not None and step >= STRONG_STEP


def _day(G: nx.Graph, as_of: Any) -> dt.date:
    day = check_date(as_of, field="as_of")
    if day is None:
        given = G.graph.get("as_of")
        day = check_date(given, field="as_of") if given is not None else None
    return day or dt.date.today()


def _incident_fn(G: nx.Graph) -> Callable[[Any], Iterable[tuple[Any, dict[str, Any]]]]:
    """A function giving every (neighbour, edge data) at a node, ties in both directions."""
    if G.is_multigraph():
        adjs = (G._succ, G._pred) if G.is_directed() else (G._adj,)  # type: ignore[attr-defined]  # networkx's own dicts, for speed

        def incident(v: Any) -> Iterator[tuple[Any, dict[str, Any]]]:
            for adj in adjs:
                for u, keyed in adj[v].items():
                    for d in keyed.values():
                        yield u, d

        return incident
    if G.is_directed():
        succ, pred = G._succ, G._pred  # type: ignore[attr-defined]  # networkx's own dicts, for speed

        def incident_di(v: Any) -> Iterator[tuple[Any, dict[str, Any]]]:
            yield from succ[v].items()
            yield from pred[v].items()

        return incident_di
    adj = G._adj  # type: ignore[attr-defined]  # networkx's own dicts, for speed
    return lambda v: adj[v].items()


def _strength_fn(
    weight: str | Callable[[Any, Any, dict[str, Any]], float | None],
    day: dt.date,
    tie_kinds: Collection[str] | None,
    default: float | None,
) -> Callable[[Any, Any, dict[str, Any]], float | None]:
    """The strength of one edge for routing, or None when it does not count."""
    if callable(weight):
        return weight

    def strength(u: Any, v: Any, d: dict[str, Any]) -> float | None:
        if tie_kinds is not None and d.get("kind") not in tie_kinds:
            return None
        since, until = d.get("since"), d.get("until")
        if (since is not None and since > day) or (until is not None and until <= day):
            return None
        s = d.get(weight)
        if s is None:
            return default
        if not 0.0 <= s <= 1.0:
            raise ValidationError(
                "strength {s!r} on the tie {u!r}–{v!r} is not between 0 and 1",
                field=weight,
                value=s,
                s=s,
                u=u,
                v=v,
            )
        return s

    return strength


def _neighbours_fn(
    G: nx.Graph,
    weight: str | Callable[[Any, Any, dict[str, Any]], float | None],
    day: dt.date,
    tie_kinds: Collection[str] | None,
    default: float | None,
) -> Callable[[Any], Iterator[tuple[Any, float]]]:
    """A function giving (neighbour, strength) for every counting tie at a node.

    The same rules as :func:`_strength_fn`, written out in one generator per node for the
    string-attribute case: this is the inner loop of the search.
    """
    if callable(weight):
        incident = _incident_fn(G)

        def via_callable(v: Any) -> Iterator[tuple[Any, float]]:
            for u, d in incident(v):
                s = weight(v, u, d)
                if s:
                    yield u, s

        return via_callable
    multi = G.is_multigraph()
    adjs = (G._succ, G._pred) if G.is_directed() else (G._adj,)  # type: ignore[attr-defined]  # networkx's own dicts, for speed
    kinds = None if tie_kinds is None else frozenset(tie_kinds)

    def neighbours(v: Any) -> Iterator[tuple[Any, float]]:
        for adj in adjs:
            for u, dd in adj[v].items():
                for d in dd.values() if multi else (dd,):
                    if kinds is not None and d.get("kind") not in kinds:
                        continue
                    since, until = d.get("since"), d.get("until")
                    if (since is not None and since > day) or (until is not None and until <= day):
                        continue
                    s = d.get(weight)
                    if s is None:
                        s = default
                        if s is None:
                            continue
                    elif not 0.0 <= s <= 1.0:
                        raise ValidationError(
                            "strength {s!r} on the tie {u!r}–{v!r} is not between 0 and 1",
                            field=weight,
                            value=s,
                            s=s,
                            u=v,
                            v=u,
                        )
                    if s:
                        yield u, s

    return neighbours


def _key(node: Any) -> str:
    return str(node)


# --------------------------------------------------------------------------- routes


@dataclass(frozen=True)
class Route:
    """The warmest route to a node: the nodes from the source to it, and each tie's strength.

    ``warmth`` is the product of ``strengths`` (left to right).
    """

    warmth: float
    path: tuple[Any, ...]
    strengths: tuple[float, ...]

    @property
    def hops(self) -> int:
        return len(self.strengths)

    @property
    def weakest(self) -> int | None:
        """Index of the weakest tie on the route (the first of equals); None for no ties."""
        if not self.strengths:
            return None
        return min(range(len(self.strengths)), key=lambda i: (self.strengths[i], i))


def warm_routes(
    G: nx.Graph,
    sources: Iterable[Any],
    *,
    weight: str | Callable[[Any, Any, dict[str, Any]], float | None] = "strength",
    cutoff: int = DEFAULT_CUTOFF,
    targets: Iterable[Any] | None = None,
    tie_kinds: Collection[str] | None = None,
    as_of: Any = None,
    default: float | None = None,
    strong_direct: bool = True,
    method: str = "layered",
) -> dict[Any, Route]:
    """The warmest route of at most ``cutoff`` ties from any of ``sources`` to each node.

    Parameters
    ----------
    G : networkx graph
        Any networkx graph; ties are followed in both directions, and of parallel ties the
        strongest counts.
    sources : iterable of nodes
        Where routes start (the library and its staff).
    weight : str or callable
        Edge attribute holding the strength (0–1), or a function ``(u, v, data)`` returning the
        strength or None to leave the tie out (as in networkx).
    cutoff : int
        Longest route, in ties (default 3).
    targets : iterable of nodes, optional
        Only routes to these nodes are wanted (much faster). Default: every node reached.
    tie_kinds : collection of str, optional
        Only ties whose ``kind`` attribute is one of these count (default: all).
    as_of : date or ISO text, optional
        Ties whose ``since``/``until`` attributes exclude this day do not count (default: the
        graph's ``as_of`` attribute, else today).
    default : float, optional
        Strength of a tie without one (default None: such ties do not count).
    strong_direct : bool
        Apply the rule that a direct strong tie always wins (see the module notes).
    method : {"layered", "dijkstra"}
        The bounded multi-source search (default), or the slow reference: networkx Dijkstra
        from every source separately over the graph expanded into (node, steps) states.

    Returns
    -------
    dict
        Node → :class:`Route`, for the nodes reached (sources excluded).

    Raises
    ------
    NotFoundError
        If a source is not in ``G``.
    ValidationError
        On a negative ``cutoff``, an unknown ``method`` or a strength outside 0–1.

    Examples
    --------
    A direct strong tie beats a chain with a higher product; a weak one does not:

    >>> G = nx.Graph()
    >>> nx.add_path(G, ["staff", "a", "b", "c"], strength=1.0)
    >>> G.add_edge("staff", "c", strength=0.8)
    >>> G.add_edge("staff", "b", strength=0.4)
    >>> r = warm_routes(G, ["staff"])
    >>> r["c"].path, r["b"].path
    (('staff', 'c'), ('staff', 'a', 'b'))
    """
    if not isinstance(cutoff, int) or isinstance(cutoff, bool) or cutoff < 0:
        raise ValidationError(
            "cutoff {cutoff!r} must be a whole number ≥ 0",
            field="cutoff",
            value=cutoff,
            cutoff=cutoff,
        )
    if method not in ("layered", "dijkstra"):
        raise ValidationError(
            "unknown method {method!r} (allowed: layered, dijkstra)",
            field="method",
            value=method,
            method=method,
        )
    source_list = list(dict.fromkeys(sources))
    for s in source_list:
        if s not in G:
            raise NotFoundError("source {source!r} is not in the graph", source=s)
    target_set = None if targets is None else {t for t in targets if t in G}
    day = _day(G, as_of)
    if method == "dijkstra":
        strength = _strength_fn(weight, day, tie_kinds, default)
        found = _dijkstra_routes(G, source_list, strength, _incident_fn(G), cutoff, target_set)
    else:
        neighbours = _neighbours_fn(G, weight, day, tie_kinds, default)
        found = _layered_routes(source_list, neighbours, cutoff, target_set)
    out: dict[Any, Route] = {}
    for node, (best, direct) in found.items():
        if strong_direct and direct is not None and best.hops > 1 and is_strong(direct.warmth):
            best = direct
        out[node] = best
    return out


def warmth(G: nx.Graph, sources: Iterable[Any], **options: Any) -> dict[Any, float]:
    """The warmth (best product of strengths within ``cutoff`` ties) of each node reached.

    Takes the options of :func:`warm_routes`.

    >>> G = nx.path_graph(4)
    >>> nx.set_edge_attributes(G, 0.5, "strength")
    >>> warmth(G, [0])
    {1: 0.5, 2: 0.25, 3: 0.125}
    """
    return {n: r.warmth for n, r in warm_routes(G, sources, **options).items()}


def _best_link(
    u: Any, v: Any, strength: Callable[..., float | None], incident: Callable[..., Iterable]
) -> float:
    best = 0.0
    for w, d in incident(u):
        if w == v:
            s = strength(u, v, d)
            if s is not None and s > best:
                best = s
    return best


def _route_from(
    path: list[Any], strength: Callable[..., float | None], incident: Callable[..., Iterable]
) -> Route:
    strengths = tuple(_best_link(a, b, strength, incident) for a, b in zip(path, path[1:]))
    value = 1.0
    for s in strengths:
        value *= s
    return Route(value, tuple(path), strengths)


def _layered_routes(
    sources: list[Any],
    neighbours: Callable[[Any], Iterator[tuple[Any, float]]],
    cutoff: int,
    targets: set[Any] | None,
) -> dict[Any, tuple[Route, Route | None]]:
    """Bounded Bellman–Ford in product form: ``layers[h]`` holds the nodes whose best value
    improved in round ``h``, with (value, predecessor, strength of the last tie)."""
    best: dict[Any, float] = {s: 1.0 for s in sources}
    layers: list[dict[Any, tuple[float, Any, float]]] = [{s: (1.0, None, 1.0) for s in sources}]
    frontier = layers[0]
    # With targets, the last round is pulled from the targets' side, and the round before it
    # only needs to record the targets and their neighbours.
    target_ties: dict[Any, list[tuple[Any, float]]] = {}
    needed: set[Any] | None = None
    if targets is not None and cutoff >= 1:
        target_ties = {t: list(neighbours(t)) for t in targets}
        needed = set(targets)
        for ties in target_ties.values():
            needed.update(u for u, _ in ties)
    for h in range(1, cutoff + 1):
        if not frontier:
            break
        improved: dict[Any, tuple[float, Any, float]] = {}
        if needed is not None and h == cutoff:
            for t, ties in target_ties.items():
                current: float = best.get(t, 0.0)
                chosen: Any = None
                used = 0.0
                for u, s in ties:
                    fu = frontier.get(u)
                    if fu is None:
                        continue
                    val = fu[0] * s
                    if val > current or (
                        val == current and chosen is not None and _key(u) < _key(chosen)
                    ):
                        current, chosen, used = val, u, s
                if chosen is not None:
                    improved[t] = (current, chosen, used)
        else:
            only = needed if h == cutoff - 1 else None
            for u, (value_u, _, _) in frontier.items():
                for v, s in neighbours(u):
                    if only is not None and v not in only:
                        continue
                    val = value_u * s
                    cur = improved.get(v)
                    if cur is None:
                        if val > best.get(v, 0.0):
                            improved[v] = (val, u, s)
                    elif val > cur[0] or (val == cur[0] and _key(u) < _key(cur[1])):
                        improved[v] = (val, u, s)
        for v, entry in improved.items():
            best[v] = entry[0]
        layers.append(improved)
        frontier = improved

    source_set = set(sources)
    wanted = targets if targets is not None else best.keys()
    out: dict[Any, tuple[Route, Route | None]] = {}
    for node in wanted:
        if node in source_set or node not in best:
            continue
        top = max(h for h in range(len(layers)) if node in layers[h])
        route = _trace(layers, node, top)
        direct = _trace(layers, node, 1) if len(layers) > 1 and node in layers[1] else None
        out[node] = (route, direct)
    return out


def _trace(layers: list[dict[Any, tuple[float, Any, float]]], node: Any, h: int) -> Route:
    """The route to ``node`` as found in round ``h`` (or the last round before it that
    improved the node), following the predecessors back through earlier rounds."""
    path, strengths = [node], []
    while True:
        while node not in layers[h]:
            h -= 1
        _, pred, s = layers[h][node]
        if pred is None:
            break
        path.append(pred)
        strengths.append(s)
        node, h = pred, h - 1
    path.reverse()
    strengths.reverse()
    value = 1.0
    for s in strengths:
        value *= s
    return Route(value, tuple(path), tuple(strengths))


class _HopLayered(nx.Graph):
    """A read-only view of a graph as (node, steps) states for networkx's Dijkstra: state
    ``(v, h)`` has an arc to ``(u, h + 1)`` for every counting tie v–u while ``h < cutoff``,
    weighted ``-log(strength)`` of the strongest such tie."""

    def __init__(
        self,
        G: nx.Graph,
        cutoff: int,
        strength: Callable[..., float | None],
        incident: Callable[..., Iterable],
    ):
        super().__init__()
        base = G

        class _Adj(dict):  # type: ignore[type-arg]
            def __getitem__(self, state: tuple[Any, int]) -> dict[Any, float]:
                v, h = state
                if h >= cutoff:
                    return {}
                arcs: dict[Any, float] = {}
                for u, d in incident(v):
                    s = strength(v, u, d)
                    if s and s > arcs.get((u, h + 1), 0.0):
                        arcs[(u, h + 1)] = s
                return arcs

        class _Nodes(dict):  # type: ignore[type-arg]
            def __contains__(self, state: object) -> bool:
                return (
                    isinstance(state, tuple)
                    and len(state) == 2
                    and state[0] in base
                    and 0 <= state[1] <= cutoff
                )

        self._adj = _Adj()
        self._node = _Nodes()


def _dijkstra_routes(
    G: nx.Graph,
    sources: list[Any],
    strength: Callable[..., float | None],
    incident: Callable[..., Iterable],
    cutoff: int,
    targets: set[Any] | None,
) -> dict[Any, tuple[Route, Route | None]]:
    layered = _HopLayered(G, cutoff, strength, incident)
    source_set = set(sources)
    best: dict[Any, Route] = {}
    direct: dict[Any, Route] = {}

    def better(new: Route, old: Route | None) -> bool:
        if old is None:
            return True
        a, b = round(new.warmth, DIGITS), round(old.warmth, DIGITS)
        if a != b:
            return a > b
        return (new.hops, [_key(n) for n in new.path]) < (old.hops, [_key(n) for n in old.path])

    for s in sources:
        _, paths = nx.single_source_dijkstra(  # type: ignore[misc]
            layered,
            (s, 0),
            weight=lambda u, v, p: -math.log(p),  # type: ignore[arg-type]  # p is the edge's weight here
        )
        for (node, h), states in paths.items():  # type: ignore[union-attr]
            if h == 0 or node in source_set or (targets is not None and node not in targets):
                continue
            route = _route_from([n for n, _ in states], strength, incident)
            if better(route, best.get(node)):
                best[node] = route
            if h == 1 and better(route, direct.get(node)):
                direct[node] = route
    return {n: (r, direct.get(n)) for n, r in best.items()}


# --------------------------------------------------------------------------- the ecosystem


@dataclass
class Signal:
    """One reason a candidate matters for the target: a code of :data:`SIGNALS`, its points
    and the names (or count) it is about."""

    code: str
    points: float
    about: list[str] = field(default_factory=list)

    def text(self, lang: str | None = "nl") -> str:
        """The signal in words, in ``lang`` (``None``: the reader's language)."""
        with _speaking(lang):
            if self.code == "central" and len(self.about) == 1 and self.about[0].isdigit():
                k = int(self.about[0])
                return ngettext(
                    "Knows {x} other in this network", "Knows {x} others in this network", k
                ).format(x=k)
            return _(SIGNALS[self.code][1]).format(x=_names(self.about))


def _names(names: list[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``, ``A, B, C and 2 more`` in the reader's language."""
    names = sorted(dict.fromkeys(names))
    if len(names) > 3:
        more = len(names) - 3
        return ngettext("{names} and {n} more", "{names} and {n} more", more).format(
            names=", ".join(names[:3]), n=more
        )
    if len(names) > 1:
        return _("{names} and {last}").format(names=", ".join(names[:-1]), last=names[-1])
    return names[0] if names else ""


class _View:
    """Kinds, names and valid incident ties of a graph on one day."""

    def __init__(self, G: nx.Graph, day: dt.date):
        self.G = G
        self.day = day
        self.nodes = G._node  # type: ignore[attr-defined]  # networkx's own dicts, for speed
        self._incident = _incident_fn(G)

    def kind(self, n: Any) -> str | None:
        return self.nodes[n].get("kind")

    def name(self, n: Any) -> str:
        return str(self.nodes[n].get("name", n))

    def ties(
        self, n: Any, kind: str, other: str | Collection[str] | None = None
    ) -> Iterator[tuple[Any, dict[str, Any]]]:
        day = self.day
        for u, d in self._incident(n):
            if d.get("kind") != kind:
                continue
            since, until = d.get("since"), d.get("until")
            if (since is not None and since > day) or (until is not None and until <= day):
                continue
            if other is not None:
                k = self.nodes[u].get("kind")
                if (k != other) if isinstance(other, str) else (k not in other):
                    continue
            yield u, d


#: The person kind, as the projection spells it.
P = K.PERSON.value


def ecosystem_signals(G: nx.Graph, target: Any, *, as_of: Any = None) -> dict[Any, list[Signal]]:
    """The people of a target's ecosystem, each with the signals that put them there.

    Parameters
    ----------
    G : networkx graph
        A projection: nodes carry ``kind`` and ``name``, ties carry ``kind`` (and ``role``).
    target : node
        A Theme, Organisation, Community or Person node.
    as_of : date, optional
        Ties not valid on this day do not count (default: the graph's ``as_of``, else today).

    Returns
    -------
    dict
        Person → list of :class:`Signal`, one per signal code.

    Notes
    -----
    * Theme: people ACTIVE_ON it; organisers and attendees of activities ABOUT it; members of
      organisations ACTIVE_ON it or organising such activities, and of communities ABOUT it
      (by role: ambassador, board or founder, other); people ACTIVE_IN channels ABOUT it.
    * Organisation: its members (by role), organisers and attendees of its activities.
    * Community: its members (by role), organisers and attendees of its activities, and people
      active on the themes the community is ABOUT.
    * Person: the person, those who know them, and those sharing an organisation or community.

    For every kind, people who know others in the ecosystem also get the "central" signal.
    """
    view = _View(G, _day(G, as_of))
    if target not in G:
        raise NotFoundError("no entity with id {id!r} (on this date)", id=target)
    kind = view.kind(target)
    if kind not in TARGET_KINDS:
        raise ValidationError(
            "{target!r} is a {kind}; warm contacts are found for a {allowed}",
            field="target",
            value=target,
            target=target,
            kind=label(kind, "kind") if kind else kind,
            allowed=", ".join(label(k, "kind") for k in TARGET_KINDS),
        )
    signals = _Signals(view)
    if kind == K.THEME.value:
        signals.theme(target)
    elif kind in (K.ORGANISATION.value, K.COMMUNITY.value):
        signals.group(target, kind)
    else:
        signals.person(target)
    signals.central()
    return {p: list(s.values()) for p, s in signals.found.items()}


class _Signals:
    """The signals of :func:`ecosystem_signals`, gathered person by person."""

    def __init__(self, view: _View):
        self.view = view
        self.found: dict[Any, dict[str, Signal]] = {}

    def add(self, person: Any, code: str, about: str, points: float | None = None) -> None:
        signals = self.found.setdefault(person, {})
        if code in signals:
            signals[code].about.append(about)
        else:
            signals[code] = Signal(code, SIGNALS[code][0] if points is None else points, [about])

    def members(self, group: Any) -> None:
        for u, d in self.view.ties(group, R.MEMBER_OF.value, P):
            role = d.get("role")
            code = (
                "ambassador"
                if role in AMBASSADOR_ROLES
                else "board"
                if role in BOARD_ROLES
                else "member"
            )
            self.add(u, code, self.view.name(group))

    def activity_people(self, activity: Any) -> None:
        view = self.view
        for u, _tie in view.ties(activity, R.ORGANISES.value, P):
            self.add(u, "organises", view.name(activity))
        for u, _tie in view.ties(activity, R.ATTENDS.value, P):
            self.add(u, "attends", view.name(activity))

    def theme(self, target: Any) -> None:
        view, name = self.view, self.view.name(target)
        groups: set[Any] = set()
        for u, _tie in view.ties(target, R.ACTIVE_ON.value, P):
            self.add(u, "active_on", name)
        groups.update(u for u, _tie in view.ties(target, R.ACTIVE_ON.value, K.ORGANISATION.value))
        for a, _tie in view.ties(target, R.ABOUT.value, K.ACTIVITY.value):
            self.activity_people(a)
            groups.update(u for u, _tie in view.ties(a, R.ORGANISES.value, K.ORGANISATION.value))
        groups.update(u for u, _tie in view.ties(target, R.ABOUT.value, K.COMMUNITY.value))
        for g in sorted(groups, key=_key):
            self.members(g)
        for c, _tie in view.ties(target, R.ABOUT.value, K.CHANNEL.value):
            for u, _tie in view.ties(c, R.ACTIVE_IN.value, P):
                self.add(u, "channel", view.name(c))

    def group(self, target: Any, kind: str) -> None:
        view = self.view
        self.members(target)
        for a, _tie in view.ties(target, R.ORGANISES.value, K.ACTIVITY.value):
            self.activity_people(a)
        if kind == K.COMMUNITY.value:
            for theme, _tie in view.ties(target, R.ABOUT.value, K.THEME.value):
                for u, _tie in view.ties(theme, R.ACTIVE_ON.value, P):
                    self.add(u, "community_theme", view.name(theme))

    def person(self, target: Any) -> None:
        view, name = self.view, self.view.name(target)
        self.add(target, "is_target", name)
        for u, _tie in view.ties(target, R.KNOWS.value, P):
            self.add(u, "knows_target", name)
        groups = (K.ORGANISATION.value, K.COMMUNITY.value)
        for g, _tie in view.ties(target, R.MEMBER_OF.value, groups):
            for u, _tie in view.ties(g, R.MEMBER_OF.value, P):
                if u != target:
                    self.add(u, "comember", view.name(g))

    def central(self) -> None:
        """People who know others in the ecosystem: more so the more they know."""
        view, people = self.view, set(self.found)
        points, half = SIGNALS["central"][0], CENTRAL_HALF
        for person in sorted(people, key=_key):
            known = {
                u for u, _tie in view.ties(person, R.KNOWS.value, P) if u in people and u != person
            }
            if known:
                k = len(known)
                self.found[person]["central"] = Signal("central", points * k / (k + half), [str(k)])


def relevance(signals: Iterable[Signal]) -> float:
    """Combine signals as ``1 - Π(1 - points)``.

    >>> relevance([Signal("active_on", 0.6), Signal("member", 0.25)])
    0.7
    """
    rest = 1.0
    for s in signals:
        rest *= 1.0 - s.points
    return round(1.0 - rest, DIGITS)


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
    if sources is None:
        sources = sorted((n for n, d in G._node.items() if d.get("kind") in SOURCE_KINDS), key=_key)  # type: ignore[attr-defined]  # networkx's own dicts, for speed
    source_list = list(sources)
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
    strength = _strength_fn(weight, day, tie_kinds, default)
    incident = _incident_fn(G)
    ecosystem_orgs = {a for sigs in found.values() for s in sigs for a in s.about}
    w_warm, w_rel, w_reach = (float(weights.get(k, 0.0)) for k in ("warmth", "relevance", "reach"))
    neighbours = _neighbours_fn(G, weight, day, tie_kinds, default)
    scored = []
    for person, signals in found.items():
        route = routes.get(person)
        w = round(route.warmth, DIGITS) if route is not None else 0.0
        rel = relevance(signals)
        reached = sorted(
            {
                u
                for u, _ in neighbours(person)
                if u in found and u != person and warm.get(u, 0.0) < WARM_ENOUGH
            },
            key=_key,
        )
        n = len(reached)
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
                (person, name, score, w, rel, rch, contributions, route, signals, reached),
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
        route,
        signals,
        reached,
    ) in scored:
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


def _links(
    view: _View,
    route: Route,
    strength: Callable[..., float | None],
    incident: Callable[..., Iterable],
) -> list[dict[str, Any]]:
    links = []
    for a, b, s in zip(route.path, route.path[1:], route.strengths):
        kind, source = None, None
        for u, d in incident(a):
            if u == b and strength(a, b, d) == s:
                kind = d.get("kind")
                source = d.get(SOURCE_ATTR) or (
                    HAND_SET if d.get("strength") is not None else UNKNOWN
                )
                break
        links.append(
            {
                "from": {"id": a, "name": view.name(a)},
                "to": {"id": b, "name": view.name(b)},
                "kind": kind,
                "strength": s,
                "label": strength_label(s),
                "source": source,
            }
        )
    return links


def _affiliation(view: _View, n: Any, prefer: set[str]) -> str | None:
    kind = view.kind(n)
    if kind == K.STAFF.value:
        return _("library")
    if kind != K.PERSON.value:
        return None
    groups = sorted(
        (
            (view.name(g) not in prefer, -(d.get("strength") or 0.0), view.name(g))
            for g, d in view.ties(n, R.MEMBER_OF.value, (K.ORGANISATION.value, K.COMMUNITY.value))
        ),
    )
    return groups[0][2] if groups else None


def describe_route(
    view_or_graph: Any,
    path: Iterable[Any],
    *,
    lang: str | None = "nl",
    prefer: Iterable[str] = (),
) -> str:
    """A route as text: ``"Anna (bibliotheek) → Jan de Vries (Repair Café) → Fatma"``.

    Every node but the last gets its affiliation in brackets: "bibliotheek" for staff, the
    organisation or community a person is a member of (those in ``prefer`` first). In
    ``lang`` ("nl" by default; ``None`` for the reader's language).
    """
    view = (
        view_or_graph
        if isinstance(view_or_graph, _View)
        else _View(view_or_graph, _day(view_or_graph, None))
    )
    nodes = list(path)
    prefer_set = set(prefer)
    parts = []
    for i, n in enumerate(nodes):
        label = view.name(n)
        if i < len(nodes) - 1:
            with _speaking(lang):
                aff = _affiliation(view, n, prefer_set)
            if aff and aff != label:
                label = f"{label} ({aff})"
        parts.append(label)
    return " → ".join(parts)


def _route_reasons(
    view: _View,
    route: Route | None,
    links: list[dict[str, Any]],
    via_library: bool,
    cutoff: int,
    prefer: set[str],
) -> list[str]:
    """The route's reasons in the reader's language."""
    if route is None:
        return [_("No warm route within {k} steps").format(k=cutoff)]
    first = links[0]
    if route.hops == 1:
        fill = {"label": first["label"], "source": _source(first["source"])}
        if via_library:
            return [_("Direct bond with the library ({label}, {source})").format(**fill)]
        return [
            _("{staff} knows {name} personally ({label}, {source})").format(
                staff=first["from"]["name"], name=first["to"]["name"], **fill
            )
        ]
    weakest = links[route.weakest]  # type: ignore[index]
    return [
        _("Via: {route}").format(route=describe_route(view, route.path, lang=None, prefer=prefer)),
        _("Weakest link: {a} → {b} ({label}, {source})").format(
            a=weakest["from"]["name"],
            b=weakest["to"]["name"],
            label=weakest["label"],
            source=_source(weakest["source"]),
        ),
    ]


def route_graph(G: nx.Graph, contacts: Iterable[WarmContact]) -> nx.Graph:
    """The introduction routes of ranked contacts as a small graph for a map.

    Nodes carry ``kind``, ``name`` and ``role`` (``"staff"``, ``"library"``, ``"go-between"``
    or ``"candidate"``, and ``rank`` for candidates); edges carry ``strength``, ``label`` and
    ``source``.
    """
    H: nx.Graph = nx.Graph()
    for rank, c in enumerate(contacts, start=1):
        H.add_node(
            c.id,
            kind=G.nodes[c.id].get("kind"),
            name=c.name,
            role="candidate",
            rank=rank,
            score=c.score,
            warmth=c.warmth,
        )
        if c.route is None:
            continue
        for _i, n in enumerate(c.route.path[:-1]):
            if n in H:
                continue
            kind = G.nodes[n].get("kind")
            role = (
                "library"
                if kind == K.LIBRARY.value
                else "staff"
                if kind == K.STAFF.value
                else "go-between"
            )
            H.add_node(n, kind=kind, name=str(G.nodes[n].get("name", n)), role=role)
        for link in c.links:
            a, b = link["from"]["id"], link["to"]["id"]
            if not H.has_edge(a, b):
                H.add_edge(
                    a, b, strength=link["strength"], label=link["label"], source=link["source"]
                )
    return H
