"""Werkblad 2 and 3: the theme scan and the environment scan of one theme.

Both work on a projection (:meth:`mapper.store.base.Store.project`): a networkx
``MultiDiGraph`` whose nodes carry ``kind``/``name``/``props`` and whose edges carry
``kind``/``strength``.

* A theme is a **library theme** when a library Goal is ABOUT it or the Library is ACTIVE_ON it.
* A theme is a **town theme** when people or organisations are ACTIVE_ON it, activities or
  channels are ABOUT it, or it carries ``signals`` (what the librarian read in papers, social
  media, meetup.com or heard from colleagues).
* The **ecosystem** of a theme (werkblad 3): those ACTIVE_ON it, activities ABOUT it with their
  organisers and attendees, channels ABOUT it or used (ACTIVE_IN) by any of these, communities
  ABOUT it, and the library and staff that have a BOND_WITH any of them.

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("t", kind="Theme", name="lezen", props={})
>>> G.add_node("g", kind="Goal", name="Leesbevordering", props={})
>>> G.add_node("p", kind="Person", name="Anna", props={})
>>> G.add_node("l", kind="Library", name="Bieb", props={})
>>> G.add_edge("g", "t", key="e1", kind="ABOUT", strength=None)
'e1'
>>> G.add_edge("p", "t", key="e2", kind="ACTIVE_ON", strength=0.6)
'e2'
>>> G.add_edge("l", "p", key="e3", kind="BOND_WITH", strength=0.8)
'e3'
>>> [(r.theme, r.status) for r in theme_scan(G)]
[('t', 'both')]
>>> sorted(ecosystem(G, "t"))
['l', 'p', 't']
>>> library_bonds(G)["p"].strength
0.8
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from ..errors import NotFoundError, ValidationError
from ..labels import label
from ..model import NodeKind, RelKind

K = NodeKind
R = RelKind

#: Kinds whose presence on a theme makes it alive in the town (werkblad 2, right column).
TOWN_KINDS: tuple[NodeKind, ...] = (K.PERSON, K.ORGANISATION, K.ACTIVITY, K.CHANNEL)
#: Kinds that stand for the library itself.
LIBRARY_KINDS: frozenset[NodeKind] = frozenset({K.LIBRARY, K.STAFF})

#: Status of a theme in the theme scan.
BOTH, LIBRARY_ONLY, TOWN_ONLY, NEITHER = "both", "library", "town", "neither"


def _kind(graph: nx.MultiDiGraph, node: Any) -> str:
    return graph.nodes[node].get("kind", "")


def _adjacency(graph: nx.MultiDiGraph, name: str) -> Any:
    """networkx's ``_pred`` or ``_succ`` of a directed graph or view (``pred``/``succ``
    for a graph class that has none)."""
    adjacency = getattr(graph, name, None)
    return adjacency if adjacency is not None else getattr(graph, name[1:])


def _in(graph: nx.MultiDiGraph, node: Any, kind: RelKind) -> Iterable[tuple[Any, dict]]:
    if not graph.is_multigraph():
        yield from ((s, d) for s, _, d in graph.in_edges(node, data=True) if d.get("kind") == kind)
        return
    # networkx's own adjacency (plain dicts on a graph, filtered mappings on a view): the same
    # ties in the same order as in_edges, without a view object per tie; ecosystem() runs
    # once per month of a map's time slider
    for source, keys in _adjacency(graph, "_pred")[node].items():
        for data in keys.values():
            if data.get("kind") == kind:
                yield source, data


def _out(graph: nx.MultiDiGraph, node: Any, kind: RelKind) -> Iterable[tuple[Any, dict]]:
    if not graph.is_multigraph():
        yield from ((t, d) for _, t, d in graph.out_edges(node, data=True) if d.get("kind") == kind)
        return
    for target, keys in _adjacency(graph, "_succ")[node].items():
        for data in keys.values():
            if data.get("kind") == kind:
                yield target, data


def check_theme(graph: nx.MultiDiGraph, theme: Any) -> None:
    """Raise NotFoundError/ValidationError unless ``theme`` is a Theme node of ``graph``."""
    if theme not in graph:
        raise NotFoundError("no theme with id {id!r} (on this date)", id=theme)
    if _kind(graph, theme) != K.THEME:
        raise ValidationError(
            "{id!r} is a {kind}, not a theme",
            field="theme",
            value=theme,
            id=theme,
            kind=label(_kind(graph, theme), "kind"),
        )


def signals(props: dict[str, Any]) -> list[str]:
    """The ``signals`` property of a theme as a list of text.

    >>> signals({"signals": ["krant", "Facebook"]}), signals({"signals": "meetup"}), signals({})
    (['krant', 'Facebook'], ['meetup'], [])
    """
    value = props.get("signals") if props else None
    if value is None or value == "" or value == []:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v not in (None, "")]
    if isinstance(value, dict):
        return [f"{k}: {v}" for k, v in value.items()]
    return [str(value)]


@dataclass
class ThemeScanRow:
    """One theme in the theme scan (werkblad 2)."""

    theme: Any
    name: str
    goals: list[Any] = field(default_factory=list)
    library_active: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    signals: list[str] = field(default_factory=list)

    @property
    def in_library(self) -> bool:
        return bool(self.goals) or self.library_active

    @property
    def in_town(self) -> bool:
        return any(self.counts.values()) or bool(self.signals)

    @property
    def status(self) -> str:
        """``both`` (overlap), ``library`` or ``town`` (a gap), or ``neither``."""
        if self.in_library and self.in_town:
            return BOTH
        if self.in_library:
            return LIBRARY_ONLY
        if self.in_town:
            return TOWN_ONLY
        return NEITHER


def theme_scan(graph: nx.MultiDiGraph) -> list[ThemeScanRow]:
    """Every theme with the library goals about it and its presence in the town.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        A projection of a workspace.

    Returns
    -------
    list of ThemeScanRow
        Ordered by name (case-insensitive), then id. ``counts`` holds, per town kind
        (``Person``, ``Organisation``, ``Activity``, ``Channel``), how many are on the theme.
    """
    rows = [
        _theme_row(graph, theme, data)
        for theme, data in graph.nodes(data=True)
        if data.get("kind") == K.THEME
    ]
    rows.sort(key=lambda r: (r.name.casefold(), str(r.theme)))
    return rows


def theme_scan_again(
    graph: nx.MultiDiGraph, rows: list[ThemeScanRow], themes: Iterable[Any]
) -> list[ThemeScanRow]:
    """``theme_scan(graph)`` from ``rows`` (the scan of an older graph) when only the rows
    of ``themes`` can differ: those are worked out again (or left out, or added, as they
    are themes of ``graph`` or not), the others kept as they are (shared, never changed)."""
    again = set(themes)
    out = [r for r in rows if r.theme not in again]
    nodes = graph.nodes
    out += [
        _theme_row(graph, theme, nodes[theme])
        for theme in again
        if theme in nodes and nodes[theme].get("kind") == K.THEME
    ]
    out.sort(key=lambda r: (r.name.casefold(), str(r.theme)))
    return out


def _theme_row(graph: nx.MultiDiGraph, theme: Any, data: dict[str, Any]) -> ThemeScanRow:
    row = ThemeScanRow(theme=theme, name=data.get("name", str(theme)))
    seen: dict[str, set[Any]] = {k.value: set() for k in TOWN_KINDS}
    for source, _, edge in graph.in_edges(theme, data=True):
        kind, source_kind = edge.get("kind"), _kind(graph, source)
        if kind == R.ABOUT and source_kind == K.GOAL:
            if source not in row.goals:
                row.goals.append(source)
        elif kind == R.ACTIVE_ON and source_kind == K.LIBRARY:
            row.library_active = True
        elif (
            kind == R.ACTIVE_ON
            and source_kind in (K.PERSON, K.ORGANISATION)
            or kind == R.ABOUT
            and source_kind in (K.ACTIVITY, K.CHANNEL)
        ):
            seen[source_kind].add(source)
    row.goals.sort(key=lambda g: (str(graph.nodes[g].get("name", "")).casefold(), str(g)))
    row.counts = {k: len(v) for k, v in seen.items()}
    row.signals = signals(data.get("props") or {})
    return row


def ecosystem(graph: nx.MultiDiGraph, theme: Any) -> set[Any]:
    """The nodes of a theme's ecosystem (werkblad 3), the theme included.

    See the module docstring for what belongs to it. Staff in it bring the library they
    work at, so that every bond has the library on the map.

    Raises
    ------
    NotFoundError
        If ``theme`` is not in the graph.
    ValidationError
        If ``theme`` is not a Theme.
    """
    check_theme(graph, theme)
    nodes: set[Any] = {theme}
    activities: set[Any] = set()
    for source, _ in _in(graph, theme, R.ACTIVE_ON):
        nodes.add(source)
    for source, _ in _in(graph, theme, R.ABOUT):
        kind = _kind(graph, source)
        if kind == K.ACTIVITY:
            activities.add(source)
        if kind in (K.ACTIVITY, K.COMMUNITY, K.CHANNEL):
            nodes.add(source)
    for activity in activities:
        for rel in (R.ORGANISES, R.ATTENDS):
            nodes.update(source for source, _ in _in(graph, activity, rel))
    channels = {target for node in nodes for target, _ in _out(graph, node, R.ACTIVE_IN)}
    nodes |= channels
    bonders = {source for node in nodes for source, _ in _in(graph, node, R.BOND_WITH)}
    nodes |= bonders
    for node in list(nodes):
        if _kind(graph, node) == K.STAFF:
            nodes.update(target for target, _ in _out(graph, node, R.WORKS_AT))
    return nodes


@dataclass
class Bond:
    """The bond of a node with the library: the strongest BOND_WITH tie, and who holds it."""

    strength: float | None
    via: list[Any] = field(default_factory=list)


def library_bonds(
    graph: nx.MultiDiGraph, nodes: Iterable[Any] | None = None, *, weight: str = "strength"
) -> dict[Any, Bond]:
    """Nodes with a bond to the library (a BOND_WITH tie from the Library or a staff member).

    Parameters
    ----------
    graph : networkx.MultiDiGraph
    nodes : iterable, optional
        Only these nodes (default: all).
    weight : str
        Edge attribute holding the strength.

    Returns
    -------
    dict
        Node → :class:`Bond` with the strongest strength (``None`` when none is known) and the
        library/staff nodes holding a bond, ordered by id.
    """
    wanted = graph.nodes if nodes is None else [n for n in nodes if n in graph]
    out: dict[Any, Bond] = {}
    for node in wanted:
        holders = [
            (source, data.get(weight))
            for source, data in _in(graph, node, R.BOND_WITH)
            if _kind(graph, source) in LIBRARY_KINDS
        ]
        if not holders:
            continue
        known = [s for _, s in holders if s is not None]
        out[node] = Bond(
            strength=max(known) if known else None,
            via=sorted({h for h, _ in holders}, key=str),
        )
    return out


@dataclass
class WorksheetRow:
    """One row of the werkblad 3 tables (individuals or organisations)."""

    node: Any
    name: str
    kind: str
    theme_strength: float | None
    online: list[Any] = field(default_factory=list)
    offline: list[Any] = field(default_factory=list)
    activities: list[tuple[Any, str]] = field(default_factory=list)
    member_of: list[Any] = field(default_factory=list)
    bond: Bond | None = None


def _by_name(graph: nx.MultiDiGraph, nodes: Iterable[Any]) -> list[Any]:
    def key(node: Any) -> tuple[str, str]:
        return str(graph.nodes[node].get("name", "")).casefold(), str(node)

    return sorted(set(nodes), key=key)


def worksheet_rows(
    graph: nx.MultiDiGraph, theme: Any, nodes: Iterable[Any], *, weight: str = "strength"
) -> dict[str, list[WorksheetRow]]:
    """The two tables of werkblad 3 for the ``nodes`` shown of a theme's ecosystem.

    Channels, activities and memberships are listed when they are among ``nodes`` too, so the
    tables show exactly what the map shows. A channel's ``props["mode"]`` says whether it is
    ``online`` or ``offline`` (unknown counts as offline: a place).

    Returns
    -------
    dict
        ``{"Person": [...], "Organisation": [...]}``, each a list of :class:`WorksheetRow`
        ordered by name.
    """
    shown = set(nodes)
    bonds = library_bonds(graph, shown, weight=weight)
    tables: dict[str, list[WorksheetRow]] = {K.PERSON.value: [], K.ORGANISATION.value: []}
    for node in _by_name(graph, (n for n in shown if _kind(graph, n) in tables)):
        data = graph.nodes[node]
        theme_strength = None
        for target, edge in _out(graph, node, R.ACTIVE_ON):
            if target == theme:
                theme_strength = edge.get(weight)
        channels = _by_name(graph, (t for t, _ in _out(graph, node, R.ACTIVE_IN) if t in shown))
        online = [
            c for c in channels if (graph.nodes[c].get("props") or {}).get("mode") == "online"
        ]
        activities: dict[Any, str] = {}
        for rel in (R.ORGANISES, R.ATTENDS):
            for target, _ in _out(graph, node, rel):
                if target in shown and _kind(graph, target) == K.ACTIVITY:
                    activities.setdefault(target, rel.value)
        row = WorksheetRow(
            node=node,
            name=data.get("name", str(node)),
            kind=data.get("kind", ""),
            theme_strength=theme_strength,
            online=online,
            offline=[c for c in channels if c not in online],
            activities=[(a, activities[a]) for a in _by_name(graph, activities)],
            member_of=_by_name(graph, (t for t, _ in _out(graph, node, R.MEMBER_OF) if t in shown)),
            bond=bonds.get(node),
        )
        tables[row.kind].append(row)
    return tables
