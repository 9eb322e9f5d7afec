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

from ...model import add_months
from .changes import community_changes, community_start
from .metrics import (
    ACTIVITY_WINDOWS,
    AMBASSADOR,
    BOND_KINDS,
    EVERY,
    LIBRARY_KINDS,
    MEMBER_KIND,
    MEMBER_TIE_KINDS,
    METRICS,
    PEOPLE_KINDS,
    REACH_KINDS,
    SHARE_METRICS,
    activity_dates,
    community_snapshot,
    connectedness,
)
from .series import connectedness_series, gc_paused, series_dates

__all__ = [
    "ACTIVITY_WINDOWS",
    "AMBASSADOR",
    "LIBRARY_KINDS",
    "MEMBER_KIND",
    "PEOPLE_KINDS",
    "gc_paused",
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
