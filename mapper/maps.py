"""Maps: pyvis networks built from a projection (no HTML page assembly here).

A map is a :class:`pyvis.network.Network` whose nodes are coloured and shaped by kind, whose
edges are as wide as the tie is strong (the five steps of :data:`mapper.model.STRENGTH_STEPS`),
and where everyone with a bond with the library stands out (a thick dark border, a ★ before the
name, and the words in the tooltip). Tooltips are plain text: vis-network 9 shows a string
``title`` with ``innerText``, so nothing in a name is ever read as HTML.

Every node gets a starting position from a seeded networkx spring layout, so a map looks the
same on every visit. Up to :data:`PHYSICS_LIMIT` nodes the browser polishes that layout with a
short, capped physics run (and then switches physics off); larger selections keep the server's
positions with physics off.

The web app turns a network into JSON with :func:`network_data` and draws it with the
vis-network copy it serves itself.

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
>>> anna["label"], anna["borderWidth"] == BOND_BORDER_WIDTH
('★ Anna', True)
>>> [e["width"] for e in sorted(net.edges, key=lambda e: e["from"])]
[4.5, 3.0]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx
from pyvis.network import Network

from .analysis.scan import Bond, ecosystem, library_bonds
from .errors import ValidationError
from .model import STRENGTH_STEPS, NodeKind, RelKind, node_kind, strength_label, strength_step

Gettext = Callable[[str], str]

#: Up to this many nodes the browser runs a short physics polish; above it, physics is off.
PHYSICS_LIMIT = 300
#: Physics iterations the browser may spend stabilising before it stops: the server's layout
#: is already close, so a short polish suffices (keeps 300 nodes well under 2 s).
STABILIZATION_ITERATIONS = 150
#: Fewer iterations for maps above this many nodes.
BUSY_MAP = 150
BUSY_ITERATIONS = 80
#: Seed of the server-side layout, so every visit shows the same map.
LAYOUT_SEED = 20240601
#: Iterations of the server-side layout.
LAYOUT_ITERATIONS = 60
#: A map never draws more nodes than this: above it the page asks to filter (tables only).
MAX_MAP_NODES = 1500
#: Labels longer than this are shortened on the map (the tooltip has the whole name).
MAX_LABEL = 32

#: Edge width per strength step (index 0: unknown strength).
STEP_WIDTHS: tuple[float, ...] = (1.0, 1.0, 1.8, 3.0, 4.5, 6.5)
#: Border of a node that has a bond with the library.
BOND_BORDER_WIDTH = 5
BOND_BORDER_COLOUR = "#1b1b1b"
BOND_MARK = "★"
#: Colour of BOND_WITH edges and of other edges.
BOND_EDGE_COLOUR = "#a87400"
EDGE_COLOUR = "#9aa5ae"
#: Ties to the centre (the theme) are drawn longer and lighter, so the map does not collapse
#: around it; other ties keep people who know each other close.
CENTRE_EDGE_LENGTH = 260
EDGE_LENGTH = 130


@dataclass(frozen=True)
class KindStyle:
    """How a kind of node is drawn: fill colour, vis-network shape, size, legend symbol."""

    colour: str
    border: str
    shape: str
    size: int
    symbol: str


#: Styles per kind: colours from the Okabe–Ito palette (safe for colour-blind readers), and a
#: different shape per kind so colour is never the only cue.
KIND_STYLES: dict[NodeKind, KindStyle] = {
    NodeKind.THEME: KindStyle("#CC79A7", "#8a3f6c", "diamond", 30, "◆"),
    NodeKind.PERSON: KindStyle("#56B4E9", "#1f6f9c", "dot", 11, "●"),
    NodeKind.ORGANISATION: KindStyle("#009E73", "#005c43", "square", 14, "■"),
    NodeKind.ACTIVITY: KindStyle("#E69F00", "#8f6300", "triangle", 14, "▲"),
    NodeKind.CHANNEL: KindStyle("#F0E442", "#8a8220", "hexagon", 14, "⬢"),
    NodeKind.COMMUNITY: KindStyle("#0072B2", "#003f63", "triangleDown", 16, "▼"),
    NodeKind.LIBRARY: KindStyle("#D55E00", "#7a3600", "star", 26, "★"),
    NodeKind.STAFF: KindStyle("#F4A582", "#a34f1c", "dot", 12, "●"),
    NodeKind.GOAL: KindStyle("#999999", "#555555", "box", 12, "▭"),
    NodeKind.SMART_GOAL: KindStyle("#BBBBBB", "#666666", "box", 12, "▭"),
}

#: Display words per kind (English message ids; the web app translates them).
KIND_LABELS: dict[NodeKind, str] = {
    NodeKind.LIBRARY: "Library",
    NodeKind.STAFF: "Staff member",
    NodeKind.GOAL: "Organisation goal",
    NodeKind.THEME: "Theme",
    NodeKind.PERSON: "Person",
    NodeKind.ORGANISATION: "Organisation",
    NodeKind.ACTIVITY: "Activity",
    NodeKind.CHANNEL: "Channel",
    NodeKind.COMMUNITY: "Community",
    NodeKind.SMART_GOAL: "SMART goal",
}

#: Display words per tie kind, read from source to target (English message ids).
REL_LABELS: dict[RelKind, str] = {
    RelKind.WORKS_AT: "works at",
    RelKind.PURSUES: "pursues",
    RelKind.SERVES: "serves",
    RelKind.ABOUT: "is about",
    RelKind.ACTIVE_ON: "is active on",
    RelKind.KNOWS: "knows",
    RelKind.MEMBER_OF: "is member of",
    RelKind.ORGANISES: "organises",
    RelKind.ATTENDS: "takes part in",
    RelKind.ACTIVE_IN: "is active in",
    RelKind.BOND_WITH: "has a bond with",
    RelKind.HAS_ROLE: "has a role in",
}

#: Kinds a scan map can be filtered on, in legend order.
SCAN_KINDS: tuple[NodeKind, ...] = (
    NodeKind.PERSON,
    NodeKind.ORGANISATION,
    NodeKind.ACTIVITY,
    NodeKind.CHANNEL,
    NodeKind.COMMUNITY,
    NodeKind.LIBRARY,
    NodeKind.STAFF,
)

#: Tie kinds that give structure rather than a relationship; the strength filter keeps them.
STRUCTURAL: frozenset[str] = frozenset(
    {RelKind.ABOUT, RelKind.WORKS_AT, RelKind.PURSUES, RelKind.SERVES, RelKind.HAS_ROLE}
)


def _same(text: str) -> str:
    return text


def format_strength(strength: float | None, lang: str = "nl") -> str:
    """A strength as its step word and number, e.g. ``sterk (0,80)``.

    >>> format_strength(0.8), format_strength(0.25, "en"), format_strength(None)
    ('sterk (0,80)', 'weak (0.25)', 'onbekend')
    """
    word = strength_label(strength, lang)
    if strength is None:
        return word
    number = f"{strength:.2f}"
    return f"{word} ({number.replace('.', ',') if lang == 'nl' else number})"


def edge_width(strength: float | None) -> float:
    """The width a tie of this strength is drawn with (thicker is stronger).

    >>> [edge_width(s) for s in (None, 0.1, 0.4, 0.6, 0.8, 1.0)]
    [1.0, 1.0, 1.8, 3.0, 4.5, 6.5]
    """
    return STEP_WIDTHS[strength_step(strength) or 0]


def short_label(name: str, limit: int = MAX_LABEL) -> str:
    """``name`` cut to ``limit`` characters with an ellipsis.

    >>> short_label("Stichting Vrienden van de Openbare Bibliotheek", 20)
    'Stichting Vrienden …'
    """
    return name if len(name) <= limit else name[: limit - 2].rstrip() + " …"


# --------------------------------------------------------------------------- selection


def _check_step(min_step: int | None) -> int | None:
    if min_step is None:
        return None
    if isinstance(min_step, bool) or not isinstance(min_step, int) or not 1 <= min_step <= 5:
        raise ValidationError(
            f"minimum strength step {min_step!r} is not 1–5", field="min_step", value=min_step
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
    weight: str = "strength",
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
        Only this node and its direct neighbours in the selection.
    weight : str
        Edge attribute holding the strength.

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
    selection = nx.MultiDiGraph(graph.subgraph(nodes))
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
            raise ValidationError(f"{focus!r} is not on this map", field="focus", value=focus)
        keep = {focus} | set(selection.predecessors(focus)) | set(selection.successors(focus))
        selection.remove_nodes_from([n for n in list(selection) if n not in keep])
    return selection


# --------------------------------------------------------------------------- layout


def layout_positions(
    graph: nx.Graph,
    *,
    centre: Any = None,
    seed: int = LAYOUT_SEED,
    iterations: int = LAYOUT_ITERATIONS,
    weight: str | None = None,
) -> dict[Any, tuple[float, float]]:
    """Deterministic positions in screen units (about 100 px between neighbours).

    The Fruchterman–Reingold force-directed layout of networkx's ``spring_layout`` (the same
    forces and cooling), computed densely with numpy for every size: networkx switches to a
    much slower solver from 500 nodes on. Direction and parallel ties are ignored; ties to
    ``centre`` pull weakly so the centre does not swallow the map, and ``centre`` is moved to
    the origin. ``weight`` is ignored (reserved); every tie pulls alike.

    >>> G = nx.path_graph(3)
    >>> layout_positions(G, centre=1)[1]
    (0.0, 0.0)
    >>> layout_positions(G) == layout_positions(G)
    True

    References
    ----------
    .. [1] Fruchterman, T. M. J., and Reingold, E. M., "Graph Drawing by Force-directed
       Placement", Software: Practice and Experience 21(11), 1991.
    """
    import numpy as np

    order = sorted(graph.nodes, key=str)
    n = len(order)
    if n == 0:
        return {}
    if n == 1:
        return {order[0]: (0.0, 0.0)}
    index = {node: i for i, node in enumerate(order)}
    pull = np.zeros((n, n), dtype=np.float32)
    for u, v in graph.edges():
        if u != v:
            strength = 0.15 if centre in (u, v) else 1.0
            i, j = index[u], index[v]
            pull[i, j] = pull[j, i] = max(pull[i, j], strength)
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2), dtype=np.float32)
    k = 2.2 / math.sqrt(n)
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        # displacement_i = sum_j (pos_i - pos_j) * force_ij, without an n×n×2 array
        square = (pos**2).sum(axis=1)
        distance = np.sqrt(np.maximum(square[:, None] + square[None, :] - 2 * pos @ pos.T, 0))
        np.clip(distance, 0.01, None, out=distance)
        force = k * k / distance**2 - pull * distance / k
        np.fill_diagonal(force, 0)
        displacement = pos * force.sum(axis=1)[:, np.newaxis] - force @ pos
        length = np.sqrt((displacement**2).sum(axis=-1))
        length = np.where(length < 0.01, 0.1, length)
        pos += displacement * (temperature / length)[:, np.newaxis]
        temperature -= cooling
    pos -= pos.mean(axis=0)
    extent = float(np.abs(pos).max()) or 1.0
    pos *= (150.0 + 60.0 * math.sqrt(n)) / extent
    cx, cy = pos[index[centre]] if centre in index else (0.0, 0.0)
    return {
        node: (round(float(pos[i, 0] - cx), 1), round(float(pos[i, 1] - cy), 1))
        for node, i in index.items()
    }


# --------------------------------------------------------------------------- networks


def map_options(n_nodes: int, *, physics: bool | None = None) -> dict[str, Any]:
    """vis-network options for a map of ``n_nodes`` nodes (physics on up to PHYSICS_LIMIT)."""
    if physics is None:
        physics = n_nodes <= PHYSICS_LIMIT
    return {
        "autoResize": True,
        "nodes": {
            "font": {
                "size": 18,
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
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": n_nodes > 150,
            "keyboard": {"enabled": True, "bindToWindow": False},
            "navigationButtons": False,
            "zoomView": True,
        },
        "layout": {"randomSeed": LAYOUT_SEED, "improvedLayout": False},
        "physics": {
            "enabled": physics,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -140,
                "centralGravity": 0.012,
                "springLength": EDGE_LENGTH,
                "springConstant": 0.05,
                "damping": 0.55,
                "avoidOverlap": 0.6,
            },
            "minVelocity": 1.5,
            "maxVelocity": 40,
            "stabilization": {
                "enabled": physics,
                "iterations": (
                    STABILIZATION_ITERATIONS if n_nodes <= BUSY_MAP else BUSY_ITERATIONS
                ),
                "updateInterval": 25,
                "fit": True,
            },
        },
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
) -> str:
    """Plain-text tooltip of a node: name, kind, bond with the library, tie to the centre."""
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
            f"{format_strength(bond.strength, lang)} — {holders}"
        )
    if centre is not None and centre != node:
        for _, target, d in graph.out_edges(node, data=True):
            if target == centre:
                lines.append(
                    f"{gettext(REL_LABELS[RelKind(d['kind'])])} "
                    f"{graph.nodes[centre].get('name', centre)}: "
                    f"{format_strength(d.get(weight), lang)}"
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
) -> str:
    lines = []
    for u, v, d in ties:
        rel = RelKind(d["kind"])
        line = (
            f"{graph.nodes[u].get('name', u)} {gettext(REL_LABELS[rel])} "
            f"{graph.nodes[v].get('name', v)}: {format_strength(d.get(weight), lang)}"
        )
        if d.get("role"):
            line += f", {gettext(str(d['role']))}"
        if d.get("since"):
            line += f", {gettext('since')} {d['since']}"
        lines.append(line)
    return "\n".join(lines)


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
        Let the browser polish the layout; default: only up to :data:`PHYSICS_LIMIT` nodes.

    Returns
    -------
    pyvis.network.Network
        Nodes carry plain-text ``title`` tooltips and start positions ``x``/``y``; edges join
        all ties between a pair, as wide as the strongest.
    """
    if bonds is None:
        bonds = library_bonds(selection, weight=weight)
    n = selection.number_of_nodes()
    # directed=True only spares pyvis its quadratic duplicate-edge check (pairs are merged
    # below already); arrows stay off, as the map shows who is connected, not which way.
    net = Network(height=height, width="100%", directed=True, cdn_resources="local")
    positions = layout_positions(selection, centre=centre)
    for node in sorted(selection.nodes, key=str):
        data = selection.nodes[node]
        kind = node_kind(data.get("kind", "Person"))
        style = KIND_STYLES[kind]
        bond = bonds.get(node)
        name = str(data.get("name", node))
        label = short_label(name)
        if bond is not None:
            label = f"{BOND_MARK} {label}"
        x, y = positions[node]
        options: dict[str, Any] = {
            "title": node_tooltip(
                selection,
                node,
                bond=bond,
                centre=centre,
                gettext=gettext,
                lang=lang,
                weight=weight,
            ),
            "size": style.size * (1.6 if node == centre else 1),
            "borderWidth": BOND_BORDER_WIDTH if bond is not None else 1.5,
            "x": x,
            "y": y,
        }
        border = BOND_BORDER_COLOUR if bond is not None else style.border
        colour = {
            "background": style.colour,
            "border": border,
            "highlight": {"background": style.colour, "border": "#000000"},
            "hover": {"background": style.colour, "border": "#000000"},
        }
        if node == centre:
            options["font"] = {"size": 28, "color": "#5a1846", "strokeWidth": 6}
            options["fixed"] = True
        net.add_node(str(node), label=label, shape=style.shape, color=colour, **options)
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
        strongest = max(strengths) if strengths else None
        is_bond = any(d.get("kind") == RelKind.BOND_WITH for _, _, d in ties)
        colour = BOND_EDGE_COLOUR if is_bond else EDGE_COLOUR
        to_centre = centre is not None and centre in (a, b)
        net.add_edge(
            a,
            b,
            width=edge_width(strongest),
            title=_edge_title(selection, ties, gettext, lang, weight),
            color={
                "color": colour,
                "highlight": "#1d1d1f",
                "hover": "#1d1d1f",
                "opacity": 0.9 if is_bond else (0.3 if to_centre else 0.5),
            },
            dashes=strongest is None,
            length=CENTRE_EDGE_LENGTH if to_centre else EDGE_LENGTH,
            arrows={"to": {"enabled": False}},
        )
    net.options = map_options(n, physics=physics)
    return net


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


def legend(
    gettext: Gettext = _same, kinds: Iterable[NodeKind] = SCAN_KINDS
) -> list[dict[str, str]]:
    """Legend entries (kind, word, colour, symbol) for the kinds of a map."""
    return [
        {
            "kind": kind.value,
            "label": gettext(KIND_LABELS[kind]),
            "colour": KIND_STYLES[kind].colour,
            "symbol": KIND_STYLES[kind].symbol,
        }
        for kind in kinds
    ]


def strength_legend(lang: str = "nl") -> list[dict[str, Any]]:
    """The five strength steps with their word and the edge width they are drawn with."""
    return [
        {"step": step, "label": nl if lang == "nl" else en, "width": STEP_WIDTHS[step]}
        for step, nl, en in STRENGTH_STEPS
    ]
