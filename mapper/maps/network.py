"""Maps: pyvis networks built from a projection (no HTML page assembly here).

A map is a :class:`pyvis.network.Network` whose nodes are coloured and shaped by kind, whose
edges are as wide as the tie is strong (the five steps of :data:`mapper.model.STRENGTH_STEPS`)
and drawn by tie kind (solid, dashed, dotted; arrows where direction matters), and where
everyone with a bond with the library keeps their kind colour and gets an ochre ring and halo
(and a ★ before the name, and the words in the tooltip). Tooltips are plain text: vis-network
9 shows a string ``title`` with ``innerText``, so nothing in a name is ever read as HTML.

Every node gets a position on the server (:mod:`mapper.maps.layout`): laid out once, seeded,
then kept, so a map looks the same on every visit, date and filter. The browser never runs
physics; it only draws.

The web app turns a network into JSON with :func:`network_data` and draws it with the
vis-network copy it serves itself (``web/static/mapview.js``).

Examples
--------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("t", kind="Theme", name="lezen", props={})
>>> G.add_node("p", kind="Person", name="Anna", props={})
>>> G.add_node("l", kind="Library", name="Bieb", props={})
>>> _ = G.add_edge("p", "t", key="e1", kind="ACTIVE_ON", strength=0.6)
>>> _ = G.add_edge("l", "p", key="e2", kind="BOND_WITH", strength=0.8)
>>> net = scan_network(G, "t")
>>> sorted(n["id"] for n in net.nodes)
['l', 'p', 't']
>>> anna = net.get_node("p")
>>> anna["label"], anna["bond"], anna["color"]["background"] == KIND_STYLES["Person"].colour
('★ Anna', True, True)
>>> [e["width"] for e in sorted(net.edges, key=lambda e: e["from"])]
[4.5, 3.0]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import networkx as nx
from pyvis.network import Network

from ..analysis.scan import Bond, ecosystem, library_bonds
from ..errors import ValidationError
from ..i18n import format_date
from ..labels import KIND_LABELS, REL_LABELS
from ..model import NodeKind, RelKind, node_kind, strength_step
from .layout import LAYOUT_SEED, stable_positions
from .styles import (
    BOND_MARK,
    CENTRE_SCALE,
    FOCUS_STEPS,
    KIND_STYLES,
    STRUCTURAL,
    TIE_PRECEDENCE,
    TIE_STYLES,
    Gettext,
    _same,
    edge_width,
    format_strength,
    short_label,
)

# --------------------------------------------------------------------------- selection


def _check_step(min_step: int | None) -> int | None:
    if min_step is None:
        return None
    if isinstance(min_step, bool) or not isinstance(min_step, int) or not 1 <= min_step <= 5:
        raise ValidationError(
            "the minimum strength step {given!r} is not 1–5",
            field="min_step",
            value=min_step,
            given=min_step,
        )
    return min_step


def scan_selection(
    graph: nx.MultiDiGraph,
    theme: Any,
    *,
    kinds: Iterable[str | NodeKind] | None = None,
    min_step: int | None = None,
    bond_only: bool = False,
    focus: Any = None,
    steps: int = 1,
    weight: str = "strength",
    copy: bool = True,
) -> nx.MultiDiGraph:
    """The part of a theme's ecosystem a scan map shows, after its filters.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        A projection of a workspace.
    theme : node
        The theme (always kept).
    kinds : iterable of kinds, optional
        Only nodes of these kinds (and the theme).
    min_step : int, optional
        Only ties of at least this strength step (1–5, see ``STRENGTH_STEPS``). Ties with an
        unknown strength and structural ties (ABOUT, WORKS_AT, …) are kept. A node left
        without any tie by this filter is dropped.
    bond_only : bool
        Only nodes with a bond with the library, the library and staff holding those bonds,
        and the theme.
    focus : node, optional
        Only this node and its neighbours within ``steps`` ties in the selection.
    steps : int
        How far the focus reaches (1–3; direction ignored).
    weight : str
        Edge attribute holding the strength.
    copy : bool
        With ``False``, a read-only view of ``graph`` when no strength filter or focus asks
        for changes (cheaper, e.g. for reading many days).

    Returns
    -------
    networkx.MultiDiGraph
        A new graph (a copy) with the selected nodes and the ties among them.

    Raises
    ------
    NotFoundError, ValidationError
        For an unknown theme, a bad kind or step, or a focus outside the ecosystem.
    """
    min_step = _check_step(min_step)
    nodes = ecosystem(graph, theme)
    if kinds is not None:
        wanted = {node_kind(k).value for k in kinds}
        nodes = {n for n in nodes if n == theme or graph.nodes[n].get("kind") in wanted}
    if bond_only:
        bonds = library_bonds(graph, nodes, weight=weight)
        holders = {h for bond in bonds.values() for h in bond.via}
        nodes = {n for n in nodes if n == theme or n in bonds or n in holders}
    if not copy and (min_step is None or min_step <= 1) and focus is None:
        return graph.subgraph(nodes)  # type: ignore[no-any-return]
    selection: nx.MultiDiGraph = nx.MultiDiGraph(graph.subgraph(nodes))
    selection.graph.update(graph.graph)
    if min_step is not None and min_step > 1:
        weak = [
            (u, v, k)
            for u, v, k, d in selection.edges(keys=True, data=True)
            if d.get("kind") not in STRUCTURAL
            and d.get(weight) is not None
            and (strength_step(d.get(weight)) or 0) < min_step
        ]
        touched = {n for u, v, _ in weak for n in (u, v)}
        selection.remove_edges_from(weak)
        selection.remove_nodes_from([n for n in touched if n != theme and selection.degree(n) == 0])
    if focus is not None:
        if focus not in selection:
            raise ValidationError("{id!r} is not on this map", field="focus", value=focus, id=focus)
        if steps not in FOCUS_STEPS:
            raise ValidationError(
                "the focus steps {given!r} is not 1–3", field="steps", value=steps, given=steps
            )
        keep = set(nx.ego_graph(selection.to_undirected(as_view=True), focus, radius=steps))
        selection.remove_nodes_from([n for n in list(selection) if n not in keep])
    return selection


# --------------------------------------------------------------------------- networks


def map_options(n_nodes: int, *, physics: bool | None = None) -> dict[str, Any]:
    """vis-network options for a map of ``n_nodes`` nodes.

    Physics is off (``physics=True`` only for a caller that wants the browser to move points):
    positions come from the server and are kept. ``keyboard.autoFocus`` is off, so pointing
    at the map never focuses it (which made the page jump); the keys work once it is clicked.

    >>> opts = map_options(10)
    >>> opts["physics"]["enabled"], opts["interaction"]["keyboard"]["autoFocus"]
    (False, False)
    """
    physics = bool(physics)
    return {
        "autoResize": True,
        "nodes": {
            "font": {
                "size": 14,
                "face": "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif",
                "color": "#1d1d1f",
                "strokeWidth": 4,
                "strokeColor": "#ffffff",
            },
            "borderWidth": 1.5,
            "borderWidthSelected": 4,
        },
        "edges": {
            "smooth": False,
            "color": {"inherit": False},
            "selectionWidth": 2,
            "hoverWidth": 1,
            "arrowStrikethrough": False,
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": n_nodes > 150,
            "hideEdgesOnZoom": n_nodes > 600,
            "keyboard": {"enabled": True, "bindToWindow": False, "autoFocus": False},
            "navigationButtons": False,
            "zoomView": True,
            "dragNodes": True,
        },
        "layout": {"randomSeed": LAYOUT_SEED, "improvedLayout": False},
        "physics": {"enabled": physics, "stabilization": {"enabled": False}},
    }


def node_tooltip(
    graph: nx.MultiDiGraph,
    node: Any,
    *,
    bond: Bond | None = None,
    centre: Any = None,
    gettext: Gettext = _same,
    lang: str = "nl",
    weight: str = "strength",
    strength_text: Callable[[Any], str] | None = None,
) -> str:
    """Plain-text tooltip of a node: name, kind, bond with the library, tie to the centre."""
    strength_text = strength_text or (lambda value: format_strength(value, lang))
    data = graph.nodes[node]
    kind = node_kind(data.get("kind", "Person"))
    lines = [str(data.get("name", node)), gettext(KIND_LABELS[kind])]
    props = data.get("props") or {}
    if kind is NodeKind.CHANNEL and props.get("mode") in ("online", "offline"):
        lines[-1] += f" ({gettext(props['mode'])})"
    if bond is not None:
        holders = ", ".join(
            str(graph.nodes[h].get("name", h)) if h in graph else str(h) for h in bond.via
        )
        lines.append(
            f"{BOND_MARK} {gettext('Bond with the library')}: "
            f"{strength_text(bond.strength)} — {holders}"
        )
    if centre is not None and centre != node:
        for _, target, d in graph.out_edges(node, data=True):
            if target == centre:
                lines.append(
                    f"{gettext(REL_LABELS[RelKind(d['kind'])])} "
                    f"{graph.nodes[centre].get('name', centre)}: "
                    f"{strength_text(d.get(weight))}"
                )
    degree = len(set(graph.predecessors(node)) | set(graph.successors(node)))
    lines.append(f"{gettext('Connections on this map')}: {degree}")
    return "\n".join(lines)


def _edge_title(
    graph: nx.MultiDiGraph,
    ties: list[tuple[Any, Any, dict]],
    gettext: Gettext,
    lang: str,
    weight: str,
    *,
    strength_text: Callable[[Any], str] | None = None,
    date_text: Callable[[Any], str] = format_date,
) -> str:
    strength_text = strength_text or (lambda value: format_strength(value, lang))
    lines = []
    for u, v, d in ties:
        rel = RelKind(d["kind"])
        line = (
            f"{graph.nodes[u].get('name', u)} {gettext(REL_LABELS[rel])} "
            f"{graph.nodes[v].get('name', v)}: {strength_text(d.get(weight))}"
        )
        if d.get("role"):
            line += f", {gettext(str(d['role']))}"
        if d.get("since"):
            line += f", {gettext('since')} {date_text(d['since'])}"
        lines.append(line)
    return "\n".join(lines)


def _memo(function: Callable[[Any], str]) -> Callable[[Any], str]:
    """``function`` remembered per argument for one map (translations, dates and strength
    words repeat on every tie; Babel and Flask-Babel look the locale up on every call)."""
    seen: dict[Any, str] = {}

    def remembered(value: Any) -> str:
        try:
            return seen[value]
        except KeyError:
            text = seen[value] = function(value)
            return text
        except TypeError:  # not hashable
            return function(value)

    return remembered


def _dominant(ties: list[tuple[Any, Any, dict]]) -> tuple[Any, Any, RelKind]:
    """The tie of a pair that decides how the pair is drawn (see :data:`TIE_PRECEDENCE`)."""
    ranked = sorted(
        ties,
        key=lambda t: (
            TIE_PRECEDENCE.index(RelKind(t[2]["kind"]))
            if RelKind(t[2]["kind"]) in TIE_PRECEDENCE
            else len(TIE_PRECEDENCE)
        ),
    )
    u, v, d = ranked[0]
    return u, v, RelKind(d["kind"])


def map_network(
    selection: nx.MultiDiGraph,
    *,
    centre: Any = None,
    bonds: dict[Any, Bond] | None = None,
    gettext: Gettext = _same,
    lang: str = "nl",
    weight: str = "strength",
    physics: bool | None = None,
    height: str = "640px",
    positions: Mapping[Any, tuple[float, float]] | None = None,
) -> Network:
    """A pyvis network of any part of a projection, drawn the way every map in the app is.

    Parameters
    ----------
    selection : networkx.MultiDiGraph
        The nodes and ties to draw (e.g. from :func:`scan_selection`).
    centre : node, optional
        Drawn at the centre and larger (a theme, a community).
    bonds : dict, optional
        Node → :class:`~mapper.analysis.scan.Bond`; computed from ``selection`` if not given.
    gettext : callable
        Translates the English display words (kind names, tie words).
    lang : {"nl", "en"}
        Language of the strength words.
    weight : str
        Edge attribute holding the strength.
    physics : bool, optional
        Let the browser move the points (off by default: the positions are kept).
    positions : mapping, optional
        Node → (x, y), e.g. a stored layout; nodes missing from it are placed near their
        neighbours (:func:`~mapper.maps.layout.stable_positions`).

    Returns
    -------
    pyvis.network.Network
        Nodes carry plain-text ``title`` tooltips, start positions ``x``/``y``, their
        ``kind``, ``bond`` (bool) and ``centre`` (bool); edges join all ties between a pair,
        as wide as the strongest, with the ``kind`` that decides their style.
    """
    if bonds is None:
        bonds = library_bonds(selection, weight=weight)
    n = selection.number_of_nodes()
    # directed=True only spares pyvis its quadratic duplicate-edge check (pairs are merged
    # below already); arrows are set per tie kind.
    net = Network(height=height, width="100%", directed=True, cdn_resources="local")
    placed = stable_positions(
        selection,
        positions or {},
        centre=centre,
        radius=lambda node: (
            KIND_STYLES[node_kind(selection.nodes[node].get("kind", "Person"))].size
            * (CENTRE_SCALE if node == centre else 1)
        ),
    )
    gettext = _memo(gettext)
    strength_text = _memo(lambda value: format_strength(value, lang))
    date_text = _memo(format_date)
    for node in sorted(selection.nodes, key=str):
        data = selection.nodes[node]
        kind = node_kind(data.get("kind", "Person"))
        style = KIND_STYLES[kind]
        bond = bonds.get(node)
        name = str(data.get("name", node))
        label = short_label(name)
        if bond is not None:
            label = f"{BOND_MARK} {label}"
        x, y = placed[node]
        props = data.get("props") or {}
        options: dict[str, Any] = {
            "title": node_tooltip(
                selection,
                node,
                bond=bond,
                centre=centre,
                gettext=gettext,
                lang=lang,
                weight=weight,
                strength_text=strength_text,
            ),
            "size": style.size * (CENTRE_SCALE if node == centre else 1),
            "borderWidth": 1.5,
            "x": x,
            "y": y,
            "name": name,
            "kind": kind.value,
            "bond": bond is not None,
            "centre": node == centre,
            "fields": {
                key: str(props[key])
                for key in ("neighbourhood", "mode", "type")
                if isinstance(props.get(key), (str, int, float)) and str(props[key])
            },
        }
        border = style.border  # the bond's ring is drawn outside the point (mapview.js)
        colour = {
            "background": style.colour,
            "border": border,
            "highlight": {"background": style.colour, "border": "#000000"},
            "hover": {"background": style.colour, "border": "#000000"},
        }
        if node == centre:
            options["font"] = {"size": 22, "color": "#5a1846", "strokeWidth": 6}
        _add_node(net, str(node), label=label, shape=style.shape, color=colour, **options)
    pairs: dict[tuple[str, str], list[tuple[Any, Any, dict]]] = {}
    for u, v, _, d in sorted(
        selection.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2]))
    ):
        if u == v:
            continue
        a, b = sorted((str(u), str(v)))
        pairs.setdefault((a, b), []).append((u, v, d))
    for (a, b), ties in pairs.items():
        strengths = [d.get(weight) for _, _, d in ties if d.get(weight) is not None]
        strongest = max(strengths) if strengths else None  # type: ignore[type-var]
        source, target, tie_kind = _dominant(ties)
        tie_style = TIE_STYLES.get(tie_kind, TIE_STYLES[RelKind.KNOWS])
        to_centre = centre is not None and centre in (a, b)
        is_bond = tie_kind is RelKind.BOND_WITH
        _add_edge(
            net,
            str(source),
            str(target),
            width=edge_width(strongest),
            title=_edge_title(
                selection,
                ties,
                gettext,
                lang,
                weight,
                strength_text=strength_text,
                date_text=date_text,
            ),
            color={
                "color": tie_style.colour,
                "highlight": "#1d1d1f",
                "hover": "#1d1d1f",
                "opacity": 0.9 if is_bond else (0.35 if to_centre else 0.6),
            },
            dashes=list(tie_style.dashes) if tie_style.dashes else False,
            arrows={"to": {"enabled": tie_style.arrow, "scaleFactor": 0.5}},
            kind=tie_kind.value,
            # every kind of tie between the two, so a filter on tie kinds keeps the pair
            # drawn while any of its kinds is shown
            kinds=sorted({str(d["kind"]) for _, _, d in ties}),
            id=f"{a}|{b}",
            # every tie between the two came from an invitation answer
            **({"provenance": "invitation"} if _from_invitations(ties) else {}),
        )
    net.options = map_options(n, physics=physics)
    return net


def _add_node(net: Network, node_id: str, **options: Any) -> None:
    """What ``net.add_node(node_id, label=..., shape=..., color=..., **options)`` does for a
    new id, without its check of the id against a list of every id (quadratic: the ids
    come from a graph, so they are distinct)."""
    options["id"] = node_id
    options["label"] = options.get("label") or node_id  # as pyvis: no label, the id
    net.nodes.append(options)
    net.node_ids.append(node_id)
    net.node_map[node_id] = options


def _add_edge(net: Network, source: str, target: str, **options: Any) -> None:
    """What ``net.add_edge(source, target, **options)`` does on a directed network with
    ``arrows`` given, without its two checks of the ends against a list of every node id
    (a scan of 1,500 points and 5,500 ties spent a fifth of its drawing there)."""
    options["from"] = source
    options["to"] = target
    net.edges.append(options)


def _from_invitations(ties: list[tuple[Any, Any, dict]]) -> bool:
    """True if every tie came from an invitation answer (their source says so; see
    :func:`mapper.invitations.source_text`)."""
    return all(str(d.get("origin") or "").startswith("uitnodiging ") for _, _, d in ties)


def scan_network(
    graph: nx.MultiDiGraph,
    theme: Any,
    *,
    kinds: Iterable[str | NodeKind] | None = None,
    min_step: int | None = None,
    bond_only: bool = False,
    focus: Any = None,
    gettext: Gettext = _same,
    lang: str = "nl",
    weight: str = "strength",
) -> Network:
    """The environment-scan map (werkblad 3) of ``theme``: :func:`scan_selection` drawn by
    :func:`map_network` with the theme at the centre. Bonds with the library are taken from
    the whole ``graph``, so a filter never hides that someone has one."""
    selection = scan_selection(
        graph,
        theme,
        kinds=kinds,
        min_step=min_step,
        bond_only=bond_only,
        focus=focus,
        weight=weight,
    )
    bonds = library_bonds(graph, selection.nodes, weight=weight)
    return map_network(
        selection, centre=theme, bonds=bonds, gettext=gettext, lang=lang, weight=weight
    )


def network_data(net: Network) -> dict[str, Any]:
    """The JSON-able content of a pyvis network: ``{"nodes", "edges", "options"}``.

    >>> net = Network()
    >>> net.add_node("a", label="A")
    >>> sorted(network_data(net))
    ['edges', 'nodes', 'options']
    """
    nodes, edges, _heading, _height, _width, _options_json = net.get_network_data()
    options = net.options if isinstance(net.options, dict) else map_options(len(nodes))
    return {
        "nodes": [dict(n) for n in nodes],
        "edges": [dict(e) for e in edges],
        "options": options,
    }
