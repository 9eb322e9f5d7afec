"""Kept map positions: where a map's positions live in the workspace settings, how they are
read, merged point by point and written, and how new points get their first place.

:mod:`web.maps` serves them (the ``/maps/layout`` route and every map's JSON).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Mapping
from typing import Any

import networkx as nx

from mapper.errors import MapperError
from mapper.maps import CENTRE_SCALE, KIND_STYLES, stable_positions
from mapper.model import node_kind
from mapper.store import Workspace

#: Prefix of the workspace-settings key holding one map's positions.
LAYOUT_PREFIX = "maplayout_"
#: At most this many positions in one POST.
MAX_POSITIONS = 5000
#: Coordinates beyond this are refused (a point dragged off to infinity).
MAX_COORDINATE = 1e6


def layout_setting(map_key: str) -> str:
    """The workspace-settings key of a map's positions (a plain word, as settings need).

    >>> layout_setting("scan:th_1") == layout_setting("scan:th_1") != layout_setting("scan:th_2")
    True
    """
    return LAYOUT_PREFIX + hashlib.sha1(map_key.encode("utf-8")).hexdigest()[:24]


def stored_layout(ws: Workspace, map_key: str) -> dict[str, tuple[float, float]]:
    """The positions kept for a map: node id → (x, y)."""
    raw = ws.info.settings.get(layout_setting(map_key))
    positions = raw.get("positions") if isinstance(raw, dict) else None
    if not isinstance(positions, dict):
        return {}
    return {
        str(k): (float(v[0]), float(v[1]))
        for k, v in positions.items()
        if isinstance(v, list) and len(v) == 2
    }


#: One layout save at a time in this process (the store's transaction serialises processes).
_LAYOUT_LOCK = threading.Lock()


def save_layout(
    ws: Workspace,
    map_key: str,
    positions: Mapping[str, tuple[float, float]],
    *,
    only_new: bool = False,
) -> int:
    """Keep ``positions`` for a map, point by point, on top of what is kept: a merge, never
    the whole map replaced. With ``only_new`` (a first placement sent by a page) a point that
    already has a kept position keeps it. Returns how many points were written.

    The read and the write are one transaction (and one at a time in this process), so two
    people dragging different points at the same moment both keep theirs.
    """
    with _LAYOUT_LOCK, ws.store.atomic():
        merged = {k: [x, y] for k, (x, y) in stored_layout(ws, map_key).items()}
        fresh = {
            str(k): [round(float(x), 1), round(float(y), 1)]
            for k, (x, y) in positions.items()
            if not (only_new and str(k) in merged)
        }
        if not any(merged.get(k) != v for k, v in fresh.items()):
            return 0
        merged.update(fresh)
        ws.store.update_workspace(
            ws.slug, settings={layout_setting(map_key): {"map": map_key, "positions": merged}}
        )
    return len(fresh)


def drawn_radius(graph: nx.Graph, centre: Any) -> Callable[[Any], float]:
    """The radius a node of ``graph`` is drawn with (its kind's size; the centre larger)."""

    def radius(node: Any) -> float:
        try:
            size = KIND_STYLES[node_kind(graph.nodes[node].get("kind", "Person"))].size
        except (KeyError, MapperError):
            size = 12
        return size * (CENTRE_SCALE if node == centre else 1.0)

    return radius


def kept_positions(
    ws: Workspace, map_key: str, graph: nx.Graph, *, centre: Any = None
) -> tuple[dict[Any, tuple[float, float]], list[str]]:
    """Positions for every node of ``graph`` (the kept ones, new points placed beside their
    neighbours) and the ids of the points placed now, which nothing keeps yet.

    Reading a map never writes: the page's script posts the new places (with its CSRF token,
    see :func:`save_positions`) when the person may edit, so a point stays where it first
    appeared."""
    stored = stored_layout(ws, map_key)
    positions = stable_positions(graph, stored, centre=centre, radius=drawn_radius(graph, centre))
    return positions, sorted(str(n) for n in positions if str(n) not in stored)


def clean_positions(raw: Any) -> dict[str, tuple[float, float]] | None:
    """``{id: [x, y]}`` from a request body, or None when it is not that."""
    if not isinstance(raw, dict):
        return None
    clean: dict[str, tuple[float, float]] = {}
    for node, value in raw.items():
        if (
            not isinstance(value, list)
            or len(value) != 2
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
            or not all(abs(v) < MAX_COORDINATE for v in value)
        ):
            return None
        clean[str(node)[:200]] = (float(value[0]), float(value[1]))
    return clean
