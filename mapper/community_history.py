"""The part of a workspace's history that the community analyses read, fetched around the
communities instead of read whole.

:func:`mapper.communities.load_history` reads every node and every tie version of the
community tie kinds: at a province's size (100,000 entities, 1,000,000 ties) that alone takes
seconds per page. :func:`community_history` builds a graph of the same shape (the one
:meth:`Store.project_history` returns: current nodes with their ``since``/``until``, every tie
*version* as its own edge keyed ``"<tie id>:<version>"``) holding only what the analyses of
:mod:`mapper.analysis.community`, :mod:`mapper.analysis.goals` and
:func:`mapper.communities.profile` look at for the given communities:

* the communities and every version of their own ties (members, partner organisations, roles,
  SMART goals, themes, channels, library goals, activities they organise);
* the people and organisations who were ever a member, and every version of their ``KNOWS``,
  ``MEMBER_OF``, ``BOND_WITH`` and ``ORGANISES`` ties (the member graph, the second step of
  library reach, their own bonds with the library, the activities they organise);
* the library and its staff, and those of their ``BOND_WITH``/``KNOWS`` ties that reach a
  member or someone a member is tied to (bonds, and the bonds that give reach);
* the SMART goals' ``PURSUES`` ties (a goal's community is the first of those);
* for the pulse (:mod:`mapper.analysis.pulse`): every activity organised by a community or a
  member, or about one of the communities' themes, with all its ``ORGANISES`` and ``ABOUT``
  ties and their other ends; and any nodes named in ``also`` (the owners of the content
  calendar's items), which the pulse looks up by kind.

Every question those analyses ask of a community gets the same answer from this graph as from
the whole history (``tests/services/test_community_history.py`` checks it on the demo town and on
small hand-made cases). It is read through the store's public methods only (``ties`` per
node, ``get_nodes``, ``nodes`` by kind), so it works on every adapter.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from .analysis.community import BOND_KINDS, LIBRARY_KINDS, REACH_KINDS
from .communities import HISTORY_TIE_KINDS
from .model import NodeKind, RelKind, Tie
from .store import Workspace
from .store.base import node_attrs, tie_attrs

__all__ = ["community_history", "community_history_from", "goal_community"]

#: Tie kinds read at a member: the member graph, reach, own bonds, activities organised.
MEMBER_TIE_KINDS: tuple[str, ...] = tuple(
    dict.fromkeys(("KNOWS", *REACH_KINDS, *BOND_KINDS, "ORGANISES"))
)


def community_history(
    ws: Workspace, community_ids: Iterable[str], *, also: Iterable[str] = ()
) -> nx.MultiDiGraph:
    """The history graph of ``community_ids`` and what their analyses need (see the module
    docstring), shaped as :meth:`Store.project_history` with the community tie kinds;
    ``also``: more node ids to include (without their ties).

    Ids that are not nodes of the workspace are left out (the graph then lacks them, as the
    whole history would)."""
    communities = sorted(set(community_ids))
    versions: dict[tuple[str, int], Tie] = {}

    def collect(node_id: str, kinds: Iterable[str]) -> list[Tie]:
        found = list(ws.ties(node=node_id, kind=list(kinds), history=True))
        for tie in found:
            versions[(tie.id, tie.version)] = tie
        return found

    wanted = set(communities)
    for community in communities:
        collect(community, HISTORY_TIE_KINDS)
    own = list(versions.values())
    members = sorted(
        {t.source for t in own if t.kind is RelKind.MEMBER_OF and t.target in wanted} - wanted
    )
    goals = sorted({t.target for t in own if t.kind is RelKind.PURSUES and t.source in wanted})
    # who a member is tied to by a tie of the reach kinds: their bonds count for reach
    member_set = set(members)
    near: set[str] = set(members)
    reach = set(REACH_KINDS)
    for member in members:
        for tie in collect(member, MEMBER_TIE_KINDS):
            if tie.kind.value in reach:
                near.add(tie.other(member))
    for goal in goals:
        collect(goal, ("PURSUES",))
    # activities: organised by a community or a member, or about a community's theme
    themes = {t.target for t in own if t.kind is RelKind.ABOUT and t.source in wanted}
    activities = {
        t.target
        for t in versions.values()
        if t.kind is RelKind.ORGANISES and (t.source in wanted or t.source in member_set)
    }
    for theme in sorted(themes):
        activities |= {t.source for t in ws.ties(node=theme, kind=["ABOUT"], history=True)}
    activities -= wanted | themes
    kinds = ws.get_nodes(sorted(activities))
    for activity in sorted(a for a, n in kinds.items() if n.kind is NodeKind.ACTIVITY):
        collect(activity, ("ORGANISES", "ABOUT"))
    library = [
        n.id for n in ws.nodes(kind=[NodeKind(k) for k in sorted(LIBRARY_KINDS)])
    ]  # few: one library, its staff
    for node_id in library:
        for tie in ws.ties(node=node_id, kind=list(BOND_KINDS), history=True):
            if tie.other(node_id) in near:
                versions[(tie.id, tie.version)] = tie
    ids = set(communities) | set(library) | set(goals) | {i for i in also if isinstance(i, str)}
    for tie in versions.values():
        ids.add(tie.source)
        ids.add(tie.target)
    nodes = ws.get_nodes(sorted(ids))
    graph: nx.MultiDiGraph = nx.MultiDiGraph(workspace=ws.slug, as_of=None, history=True)
    for node_id in sorted(nodes):
        graph.add_node(node_id, **node_attrs(nodes[node_id]))
    for key in sorted(versions):
        tie = versions[key]
        if tie.source in nodes and tie.target in nodes:
            graph.add_edge(
                tie.source, tie.target, key=f"{tie.id}:{tie.version}", tie=tie.id, **tie_attrs(tie)
            )
    return graph


def goal_community(ws: Workspace, goal_id: str) -> list[str]:
    """The communities with a ``PURSUES`` tie (any version) to the goal, sorted."""
    return sorted(
        {t.source for t in ws.ties(node=goal_id, kind=["PURSUES"], history=True)} - {goal_id}
    )


def community_history_from(
    history: nx.MultiDiGraph, community_ids: Iterable[str], *, also: Iterable[str] = ()
) -> nx.MultiDiGraph:
    """:func:`community_history` read from a history graph held in memory (the shared
    projection's :meth:`~mapper.graph.Projection.history`, every tie kind) instead of the
    store: the same nodes and tie versions, without a database read.

    The same walk as :func:`community_history`: the communities' own ties, their members'
    ties, the goals' ``PURSUES`` ties, the activities of the pulse, the library's bonds that
    reach a member or someone a member is tied to."""
    communities = sorted(set(community_ids))
    versions: dict[Any, tuple[Any, Any, dict[str, Any]]] = {}

    # networkx's own adjacency (a plain dict, or the history view's mapping): the edge views'
    # machinery costs more than the walk itself
    succ, pred = history._succ, history._pred  # type: ignore[attr-defined]

    def ties_at(node_id: Any, kinds: Iterable[str]) -> list[tuple[Any, Any, Any, dict[str, Any]]]:
        """As ``out_edges`` then ``in_edges`` of the node (keys, data), of those kinds."""
        if node_id not in history:
            return []
        wanted_kinds = set(kinds)
        found = [
            (node_id, v, k, d)
            for v, keydict in succ[node_id].items()
            for k, d in keydict.items()
            if d["kind"] in wanted_kinds
        ]
        found += [
            (u, node_id, k, d)
            for u, keydict in pred[node_id].items()
            for k, d in keydict.items()
            if d["kind"] in wanted_kinds
        ]
        return found

    def collect(node_id: Any, kinds: Iterable[str]) -> list[tuple[Any, Any, Any, dict[str, Any]]]:
        found = ties_at(node_id, kinds)
        for u, v, k, d in found:
            versions[k] = (u, v, d)
        return found

    wanted = set(communities)
    for community in communities:
        collect(community, HISTORY_TIE_KINDS)
    own = list(versions.values())
    members = sorted({u for u, v, d in own if d["kind"] == "MEMBER_OF" and v in wanted} - wanted)
    goals = sorted({v for u, v, d in own if d["kind"] == "PURSUES" and u in wanted})
    member_set = set(members)
    near: set[Any] = set(members)
    reach = set(REACH_KINDS)
    for member in members:
        for u, v, _k, d in collect(member, MEMBER_TIE_KINDS):
            if d["kind"] in reach:
                near.add(v if u == member else u)
    for goal in goals:
        collect(goal, ("PURSUES",))
    themes = {v for u, v, d in own if d["kind"] == "ABOUT" and u in wanted}
    activities = {
        v
        for u, v, d in versions.values()
        if d["kind"] == "ORGANISES" and (u in wanted or u in member_set)
    }
    for theme in sorted(themes):
        activities |= {u for u, v, _k, _d in ties_at(theme, ("ABOUT",)) if v == theme}
    activities -= wanted | themes
    nodes = history.nodes
    for activity in sorted(a for a in activities if a in nodes):
        if nodes[activity].get("kind") == NodeKind.ACTIVITY.value:
            collect(activity, ("ORGANISES", "ABOUT"))
    library = sorted(n for n, d in nodes.items() if d.get("kind") in LIBRARY_KINDS)
    for node_id in library:
        for u, v, k, d in ties_at(node_id, BOND_KINDS):
            if (v if u == node_id else u) in near:
                versions[k] = (u, v, d)
    ids = set(communities) | set(library) | set(goals) | {i for i in also if isinstance(i, str)}
    for u, v, _d in versions.values():
        ids.add(u)
        ids.add(v)
    graph: nx.MultiDiGraph = nx.MultiDiGraph(
        workspace=history.graph.get("workspace"), as_of=None, history=True
    )
    graph.add_nodes_from((n, nodes[n]) for n in sorted(i for i in ids if i in nodes))
    rows = sorted(versions.items(), key=lambda item: (item[1][2]["tie"], item[1][2]["version"]))
    _add_edges(graph, rows)
    return graph


def _add_edges(graph: nx.MultiDiGraph, rows: Iterable[tuple[Any, tuple[Any, Any, Any]]]) -> None:
    """``graph.add_edges_from((u, v, key, attrs) for key, (u, v, attrs) in rows)`` between
    nodes already in ``graph``, into its own dicts: the same adjacency (each key dict shared
    by both ends, each attribute dict a copy, in the same order), without networkx's few
    microseconds per edge (tens of thousands of tie versions around the communities)."""
    gsucc, gpred = graph._succ, graph._pred  # type: ignore[attr-defined]  # networkx's own dicts, for speed
    for k, (u, v, d) in rows:
        keydict = gsucc[u].get(v)
        if keydict is None:
            keydict = gsucc[u][v] = {}
            gpred[v][u] = keydict
        keydict[k] = dict(d)


#: Node kinds whose every node the walk of :func:`community_history_from` may start from or
#: look at by kind: a touched node of one of these kinds means walking again.
_WALK_KINDS = frozenset(
    {
        *LIBRARY_KINDS,
        NodeKind.ACTIVITY.value,
        NodeKind.COMMUNITY.value,
        NodeKind.GOAL.value,
        NodeKind.SMART_GOAL.value,
        NodeKind.THEME.value,
    }
)


def carry_over(
    graph: nx.MultiDiGraph,
    history: nx.MultiDiGraph,
    touched: Iterable[Any],
    community_ids: Iterable[str],
    *,
    also: Iterable[str] = (),
) -> nx.MultiDiGraph | None:
    """``community_history_from(history, community_ids, also=also)`` worked out from
    ``graph`` (the same made on an older snapshot) when the writes since touched only
    ``touched`` (node ids, as :meth:`mapper.graph.Projection.touched_since` gives them), or
    None when it has to be walked again.

    Every tie version in the result was found at one of the walk's starting points (the
    communities, their members ever, goals, themes, activities, the library and its staff,
    ``also``): when none of those is touched, nor any node of a kind the walk looks for, the
    tie versions are the same and only the attributes of touched nodes in ``graph`` change.
    ``graph`` itself when nothing in it was touched; a new frozen graph sharing its
    adjacency otherwise (``graph`` must be frozen: it is shared)."""
    communities = set(community_ids)
    anchors = set(communities) | {i for i in also if isinstance(i, str)}
    for community in communities & set(graph):
        for u, _v, d in graph.in_edges(community, data=True):
            if d["kind"] == "MEMBER_OF":
                anchors.add(u)
        for _u, v, d in graph.out_edges(community, data=True):
            if d["kind"] in ("PURSUES", "ABOUT"):
                anchors.add(v)
    nodes = graph.nodes
    changed: dict[Any, Any] = {}
    for n in touched:
        if n in anchors:
            return None
        old = nodes.get(n)
        new = history.nodes.get(n)
        if (old is not None and (new is None or old["kind"] in _WALK_KINDS)) or (
            new is not None and new["kind"] in _WALK_KINDS
        ):
            return None
        if old is not None:
            changed[n] = new
    if not changed:
        return graph
    fresh: nx.MultiDiGraph = nx.MultiDiGraph(**graph.graph)
    node = dict(graph._node)  # type: ignore[attr-defined]  # networkx's own dicts, for speed
    for n, attrs in changed.items():
        node[n] = dict(attrs)
    fresh._node = node  # type: ignore[attr-defined]
    fresh._adj = fresh._succ = graph._succ  # type: ignore[attr-defined]  # shared, read-only
    fresh._pred = graph._pred  # type: ignore[attr-defined]  # shared, read-only
    return nx.freeze(fresh)
