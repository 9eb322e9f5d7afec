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

from .common import (
    DEFAULT_CUTOFF,
    DIGITS,
    INTRODUCTION_TIES,
    SOURCE_KINDS,
    STRONG_STEP,
    TARGET_KINDS,
    is_strong,
)
from .explain import SOURCE_TEXT, describe_route, route_graph
from .rank import (
    DEFAULT_LIMIT,
    REACH_HALF,
    WARM_ENOUGH,
    WEIGHTS,
    WarmContact,
    rank_warm_contacts,
)
from .relevance import (  # binds the name ``relevance`` to the function, not the module
    AMBASSADOR_ROLES,
    BOARD_ROLES,
    CENTRAL_HALF,
    SIGNALS,
    Signal,
    ecosystem_signals,
    relevance,
)
from .routes import Route, warm_routes, warmth

__all__ = [
    "AMBASSADOR_ROLES",
    "BOARD_ROLES",
    "CENTRAL_HALF",
    "DEFAULT_CUTOFF",
    "DEFAULT_LIMIT",
    "DIGITS",
    "INTRODUCTION_TIES",
    "REACH_HALF",
    "SIGNALS",
    "SOURCE_KINDS",
    "SOURCE_TEXT",
    "STRONG_STEP",
    "TARGET_KINDS",
    "WARM_ENOUGH",
    "WEIGHTS",
    "Route",
    "Signal",
    "WarmContact",
    "describe_route",
    "ecosystem_signals",
    "is_strong",
    "rank_warm_contacts",
    "relevance",
    "route_graph",
    "warm_routes",
    "warmth",
]
