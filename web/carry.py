"""What a page derived from an older snapshot of the workspace, carried over to a newer one
when the writes between them cannot have changed it (:func:`carried`).

A write gives the shared projection a new snapshot, and :func:`web.db.derived` keeps values per
snapshot, so after each write every page would work its values out again. Each snapshot knows
which nodes the writes since an older one touched
(:meth:`mapper.graph.Projection.touched_since`); a value that depends only on some nodes and
their ties can then be carried over (as it is, or with a few parts worked out again), which
gives the same answer as working it out afresh."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import current_app

from .db import get_projection

T = TypeVar("T")

#: The newest value per pool and (database, workspace, key): (lineage, mark, value).
_LAST: dict[str, OrderedDict[Any, tuple[object, Any, Any]]] = {}
_LOCK = threading.Lock()
#: At most this many values are kept per pool (the least recently made go first): values of
#: very different sizes (a province's community history, a map) keep to pools of their own.
KEPT = 16


def carried(
    key: Hashable,
    make: Callable[[], T],
    carry: Callable[[T, frozenset[Any]], T | None],
    *,
    pool: str = "pages",
) -> T:
    """The value named ``key`` for this request's snapshot: ``carry(older, touched)`` when a
    value was made on an older snapshot of the same lineage (``touched``: the nodes the writes
    since touched; it gives None when it cannot tell), else ``make()``. Call it inside
    :func:`web.db.derived`, which keeps the result for the snapshot. Values are shared:
    ``carry`` never changes the one it is given."""
    p = get_projection()
    where = (current_app.config.get("DATABASE_URL"), p.workspace, key)
    with _LOCK:
        kept = _LAST.setdefault(pool, OrderedDict())
        last = kept.get(where)
    value = None
    if last is not None and last[0] is p.lineage:
        touched = p.touched_since(last[1])
        if touched is not None:
            value = carry(last[2], touched)
    if value is None:
        value = make()
    with _LOCK:
        kept[where] = (p.lineage, p.mark, value)
        kept.move_to_end(where)
        while len(kept) > KEPT:
            kept.popitem(last=False)
    return value


def scan_rows_touched(rows: list[Any], touched: frozenset[Any]) -> set[Any]:
    """The themes whose theme-scan row (``rows``, of an older snapshot) writes that touched
    ``touched`` can have changed: those touched, those a touched node is tied to (in any
    version: its presence on the day may have changed), those with a touched goal."""
    history = get_projection().history()
    nodes = history.nodes
    themes = set(touched & {r.theme for r in rows})  # an old theme, perhaps gone now
    for n in (n for n in touched if n in nodes):
        themes.update(v for v in (n, *history.successors(n)) if nodes[v]["kind"] == "Theme")
    themes.update(r.theme for r in rows if touched.intersection(r.goals))
    return themes
