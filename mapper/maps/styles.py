"""How maps look: node and tie styles per kind, widths per strength, the bond ring, labels
and legends.

Everything here is data or a small pure function; :mod:`mapper.maps.network` uses it to build
the pyvis networks and the web pages use the legends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..labels import KIND_LABELS, REL_LABELS
from ..model import STRENGTH_STEPS, NodeKind, RelKind, strength_label, strength_step

Gettext = Callable[[str], str]

#: The browser runs no physics on any map (positions come from the server and are kept);
#: kept as a name for pages that still ask.
PHYSICS_LIMIT = 0
#: A map never draws more nodes than this: above it the page asks to filter (tables only).
MAX_MAP_NODES = 1500
#: Labels longer than this are shortened on the map (the tooltip has the whole name).
MAX_LABEL = 32

#: Edge width per strength step (index 0: unknown strength).
STEP_WIDTHS: tuple[float, ...] = (1.0, 1.0, 1.8, 3.0, 4.5, 6.5)
#: A node with a bond with the library keeps its kind colour and border; the browser draws
#: an ochre ring and a soft halo just outside it, as wide on screen at every zoom
#: (web/static/mapview.js, drawBondRings). A thick border (vis-network keeps a border as wide
#: on screen at every zoom) covered most of a small point, and a canvas shadow ran together
#: into ochre blobs at a few hundred points.
BOND_RING_WIDTH = 1.5
BOND_RING_COLOUR = "#a87400"
BOND_MARK = "★"
#: Colour of BOND_WITH edges and of other edges.
BOND_EDGE_COLOUR = "#a87400"
EDGE_COLOUR = "#9aa5ae"
#: Ties to the centre (the theme) are drawn longer and lighter, so the map does not collapse
#: around it; other ties keep people who know each other close.
CENTRE_EDGE_LENGTH = 260
EDGE_LENGTH = 130
#: The centre of a map (the theme, the community) is drawn this much larger.
CENTRE_SCALE = 1.6
#: How far a focus may reach, in ties.
FOCUS_STEPS = (1, 2, 3)
#: Above this many points the browser groups the less important ones into clusters.
CLUSTER_LIMIT = 300


@dataclass(frozen=True)
class TieStyle:
    """How a kind of tie is drawn: colour, dash pattern (``None``: solid), arrow."""

    colour: str
    dashes: tuple[int, ...] | None
    arrow: bool
    css: str  # border-top-style of its legend sample: solid, dashed or dotted


#: Styles per tie kind. Dashes and arrows, not only colour, tell the kinds apart; arrows where
#: the direction says something (who organises, who is member of what, who holds the bond).
TIE_STYLES: dict[RelKind, TieStyle] = {
    RelKind.KNOWS: TieStyle("#7b8794", None, False, "solid"),
    RelKind.MEMBER_OF: TieStyle("#0072B2", (10, 6), True, "dashed"),
    RelKind.ORGANISES: TieStyle("#b36b00", None, True, "solid"),
    RelKind.ATTENDS: TieStyle("#c99a3c", (4, 6), True, "dashed"),
    RelKind.ACTIVE_IN: TieStyle("#8a8220", (2, 6), False, "dotted"),
    RelKind.ACTIVE_ON: TieStyle("#b7a0b0", None, False, "solid"),
    RelKind.ABOUT: TieStyle("#b7a0b0", (2, 6), False, "dotted"),
    RelKind.BOND_WITH: TieStyle(BOND_EDGE_COLOUR, None, True, "solid"),
    RelKind.HAS_ROLE: TieStyle("#6a3d9a", (10, 6), True, "dashed"),
    RelKind.WORKS_AT: TieStyle("#c8ccd0", None, False, "solid"),
    RelKind.PURSUES: TieStyle("#c8ccd0", None, True, "solid"),
    RelKind.SERVES: TieStyle("#c8ccd0", None, True, "solid"),
}
#: When a pair of points has ties of several kinds, the one drawn is the first in this order.
TIE_PRECEDENCE: tuple[RelKind, ...] = (
    RelKind.BOND_WITH,
    RelKind.HAS_ROLE,
    RelKind.ORGANISES,
    RelKind.MEMBER_OF,
    RelKind.KNOWS,
    RelKind.ATTENDS,
    RelKind.ACTIVE_IN,
    RelKind.ACTIVE_ON,
    RelKind.ABOUT,
    RelKind.WORKS_AT,
    RelKind.PURSUES,
    RelKind.SERVES,
)
#: Tie kinds in the legend of a map, in this order.
LEGEND_TIES: tuple[RelKind, ...] = (
    RelKind.KNOWS,
    RelKind.MEMBER_OF,
    RelKind.ORGANISES,
    RelKind.ATTENDS,
    RelKind.ACTIVE_IN,
    RelKind.ACTIVE_ON,
    RelKind.BOND_WITH,
    RelKind.HAS_ROLE,
)


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


def tie_legend(
    gettext: Gettext = _same, kinds: Iterable[RelKind] = LEGEND_TIES
) -> list[dict[str, Any]]:
    """Legend entries for the tie kinds: word, colour, CSS line style, whether it has an arrow.

    >>> [e["kind"] for e in tie_legend()][:2]
    ['KNOWS', 'MEMBER_OF']
    """
    return [
        {
            "kind": kind.value,
            "label": gettext(REL_LABELS[kind]),
            "colour": TIE_STYLES[kind].colour,
            "css": TIE_STYLES[kind].css,
            "arrow": TIE_STYLES[kind].arrow,
        }
        for kind in kinds
    ]


def strength_legend(lang: str = "nl") -> list[dict[str, Any]]:
    """The five strength steps with their word and the edge width they are drawn with."""
    return [
        {"step": step, "label": nl if lang == "nl" else en, "width": STEP_WIDTHS[step]}
        for step, nl, en in STRENGTH_STEPS
    ]
