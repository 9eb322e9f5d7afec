"""Maps: pyvis networks built from a projection, with layouts that are kept.

- :mod:`mapper.maps.styles`: how maps look (kind and tie styles, widths, bond ring, legends);
- :mod:`mapper.maps.network`: the pyvis networks of every map (selection, tooltips, edges);
- :mod:`mapper.maps.layout`: seeded layout and stable placement of new points;
- :mod:`mapper.maps.measures`: per-point measures (ties, brokers, bridges, isolated);
- :mod:`mapper.maps.timeline`: a map over months, for the time slider.

Everything is re-exported here, so ``from mapper.maps import scan_network`` keeps working.
"""

from __future__ import annotations

from .layout import (
    LAYOUT_ITERATIONS,
    LAYOUT_SEED,
    MIN_DISTANCE,
    layout_positions,
    separate,
    stable_positions,
)
from .measures import point_measures
from .network import (
    map_network,
    map_options,
    network_data,
    node_tooltip,
    scan_network,
    scan_selection,
)
from .styles import (
    BOND_EDGE_COLOUR,
    BOND_MARK,
    BOND_RING_COLOUR,
    BOND_RING_WIDTH,
    CENTRE_SCALE,
    CLUSTER_LIMIT,
    FOCUS_STEPS,
    KIND_LABELS,
    KIND_STYLES,
    LEGEND_TIES,
    MAX_LABEL,
    MAX_MAP_NODES,
    PHYSICS_LIMIT,
    REL_LABELS,
    SCAN_KINDS,
    STEP_WIDTHS,
    STRUCTURAL,
    TIE_STYLES,
    KindStyle,
    TieStyle,
    edge_width,
    format_strength,
    legend,
    short_label,
    strength_legend,
    tie_legend,
)
from .timeline import MAX_MONTHS, MapTimeline, graph_on, map_timeline, timeline_days

__all__ = [
    "BOND_EDGE_COLOUR",
    "BOND_MARK",
    "BOND_RING_COLOUR",
    "BOND_RING_WIDTH",
    "CENTRE_SCALE",
    "CLUSTER_LIMIT",
    "FOCUS_STEPS",
    "KIND_LABELS",
    "KIND_STYLES",
    "LAYOUT_ITERATIONS",
    "LAYOUT_SEED",
    "LEGEND_TIES",
    "MAX_LABEL",
    "MAX_MAP_NODES",
    "MAX_MONTHS",
    "MIN_DISTANCE",
    "PHYSICS_LIMIT",
    "REL_LABELS",
    "SCAN_KINDS",
    "STEP_WIDTHS",
    "STRUCTURAL",
    "TIE_STYLES",
    "KindStyle",
    "MapTimeline",
    "TieStyle",
    "edge_width",
    "format_strength",
    "graph_on",
    "layout_positions",
    "legend",
    "map_network",
    "map_options",
    "map_timeline",
    "network_data",
    "node_tooltip",
    "point_measures",
    "scan_network",
    "scan_selection",
    "separate",
    "short_label",
    "stable_positions",
    "strength_legend",
    "tie_legend",
    "timeline_days",
]
