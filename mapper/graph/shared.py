"""The registry of shared projections: one :class:`Projection` per workspace and process,
built once while other threads wait, caught up with other processes' writes, and brought along
by this process's commits."""

from __future__ import annotations

import datetime as dt
import gc
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from .build import MAX_SHARED, Change, NodeRow, TieRow
from .projection import Projection

_LOCK = threading.Lock()
#: A projection with at least this many nodes is moved out of the cyclic garbage collector's
#: sight once made (:func:`gc.freeze`): its millions of dicts hold no cycles, and without this
#: every full collection walks all of them, a pause of seconds in whichever request happens
#: to trigger it. Smaller ones (the demo town, the tests) are left as they are.
FREEZE_FROM = 5_000


def _settle(p: Projection | None) -> Projection | None:
    if p is not None and len(p.graph) >= FREEZE_FROM:
        # Freezing keeps whatever is alive for good, garbage cycles too: collect them first.
        # That walks only what was made since the last freeze (a catch-up's few new dicts).
        gc.collect()
        gc.freeze()
    return p


#: (store key, workspace) → _Slot, least recently used first.
_SHARED: OrderedDict[tuple[Any, str], _Slot] = OrderedDict()


class _Slot:
    """Where one workspace's projection lives; ``lock`` lets one thread build it while the
    others wait for it (instead of twenty requests building twenty copies)."""

    def __init__(self) -> None:
        self.projection: Projection | None = None
        self.lock = threading.Lock()


def _slot(key: tuple[Any, str]) -> _Slot:
    with _LOCK:
        slot = _SHARED.get(key)
        if slot is None:
            slot = _SHARED[key] = _Slot()
            while len(_SHARED) > MAX_SHARED:
                _SHARED.popitem(last=False)
        else:
            _SHARED.move_to_end(key)
        return slot


def shared_projection(
    store_key: Any,
    workspace: str,
    *,
    mark: Callable[[], Any],
    load: Callable[[], tuple[Iterable[NodeRow], Iterable[TieRow]]],
    catch_up: Callable[[Any], list[Change] | None] | None = None,
    today: dt.date | None = None,
) -> Projection:
    """The shared projection of a workspace, built with ``load`` when there is none yet or
    when the day has changed. When ``mark()`` differs from the one it reflects (a write by
    another process), ``catch_up(old_mark)`` may give the changes since (read from the audit
    trail); they are applied, and if that is not possible it is built again. Thread-safe;
    used by :meth:`Store.projection`."""
    day = today or dt.date.today()
    slot = _slot((store_key, workspace))
    current = mark()
    p = slot.projection
    if p is not None and p.mark == current and p.today == day:
        return p
    with slot.lock:
        p = slot.projection
        current = mark()
        if p is not None and p.mark == current and p.today == day:
            return p
        if p is not None and p.today == day and catch_up is not None:
            changes = catch_up(p.mark)
            if changes is not None:
                caught = p.apply(changes, mark=current)
                if caught is not None:
                    slot.projection = _settle(caught)
                    return caught
        nodes, ties = load()
        p = Projection.build(nodes, ties, workspace=workspace, today=day, mark=current)
        slot.projection = _settle(p)
        return p


def committed(
    store_key: Any, workspace: str, before: Any, after: Any, changes: list[Change]
) -> None:
    """A transaction of this process committed ``changes`` to ``workspace``, moving its mark
    from ``before`` to ``after``: bring the shared projection along (or drop it)."""
    with _LOCK:
        slot = _SHARED.get((store_key, workspace))
    if slot is None:
        return
    with slot.lock:
        p = slot.projection
        if p is None:
            return
        if p.mark != before:
            slot.projection = None  # it missed a write: build again when next asked
            return
        slot.projection = _settle(p.apply(changes, mark=after))


def invalidate(store_key: Any, workspace: str) -> None:
    """Drop the shared projection of one workspace: it is built again when next asked for."""
    with _LOCK:
        slot = _SHARED.get((store_key, workspace))
    if slot is not None:
        with slot.lock:
            slot.projection = None


def forget(store_key: Any = None) -> None:
    """Drop shared projections (of one store, or all)."""
    with _LOCK:
        for key in [k for k in _SHARED if store_key is None or k[0] == store_key]:
            del _SHARED[key]
