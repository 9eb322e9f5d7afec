"""Ties by hand: add, change and end a tie, and say which themes the library works on."""

from __future__ import annotations

from typing import Any

from ...i18n import N_
from ...model import NodeKind, RelKind, Tie
from ...store.base import UNSET, Workspace
from .change import Change, EditError, _day, today
from .values import (
    _ensure_library,
    library,
    orient,
    parse_tie_kind,
    resolve,
    role_value,
    strength_value,
)

K = NodeKind
R = RelKind


def add_tie(
    ws: Workspace,
    kind: Any,
    source: Any,
    target: Any,
    *,
    strength: Any = None,
    since: Any = None,
    role: str | None = None,
    origin: str | None = None,
) -> Change:
    """Add a tie between two entities (ids or exact names), turned the way the kind allows;
    it holds from ``since`` (default today)."""
    rel = parse_tie_kind(kind)
    a = resolve(ws, source, field="source")
    b = resolve(ws, target, field="target")
    a, b = orient(ws, rel, a, b)
    day = _day(since, field="since")
    value = strength_value(strength)
    change = Change("tie", f"{a.name} – {b.name}")
    with ws.atomic():
        change.add_tie(
            ws, rel, a.id, b.id, strength=value, since=day, role=role_value(role), origin=origin
        )
        change.commit(ws, target_type="tie", extra={"kind": rel.value})
    return change


def _tie_label(ws: Workspace, tie: Tie) -> str:
    ends = ws.get_nodes([tie.source, tie.target])
    return " – ".join(ends[e].name if e in ends else e for e in (tie.source, tie.target))


def change_tie(
    ws: Workspace,
    tie_id: str,
    *,
    on: Any = None,
    strength: Any = UNSET,
    role: Any = UNSET,
    origin: Any = UNSET,
) -> Change:
    """A tie's new version from ``on`` (default today): the current one is closed then."""
    day = _day(on, field="on")
    current = ws.get_tie(tie_id)
    fields: dict[str, Any] = {}
    if strength is not UNSET:
        fields["strength"] = strength_value(strength)
    if role is not UNSET:
        fields["role"] = role_value(role)
    if origin is not UNSET:
        fields["origin"] = origin or None
    change = Change("change_tie", _tie_label(ws, current))
    if all(getattr(current, k) == v for k, v in fields.items()):
        return change
    with ws.atomic():
        change.change_tie(ws, tie_id, day, **fields)
        change.commit(ws, target_type="tie", extra={"kind": current.kind.value})
    return change


def end_tie(ws: Workspace, tie_id: str, *, on: Any = None) -> Change:
    """End a tie on ``on`` (default today): it held up to, not including, that day."""
    day = _day(on, field="on")
    current = ws.get_tie(tie_id)
    change = Change("end_tie", _tie_label(ws, current))
    with ws.atomic():
        change.end_tie(ws, tie_id, day)
        change.commit(ws, target_type="tie", extra={"kind": current.kind.value})
    return change


def set_library_theme(ws: Workspace, theme_id: str, works_on: bool = True) -> Change:
    """Mark a theme as one the library works on (the library is active on it), or not."""
    theme = ws.get_node(theme_id)
    if theme.kind is not K.THEME:
        raise EditError("not_theme", N_("{name!r} is not a theme"), field="theme", name=theme.name)
    change = Change("library_theme" if works_on else "not_library_theme", theme.name)
    day = today()
    with ws.atomic():
        lib = library(ws)
        current = [
            t
            for t in ws.ties(node=theme_id, kind=R.ACTIVE_ON, as_of=day)
            if lib is not None and t.source == lib.id
        ]
        if works_on and not current:
            lib = _ensure_library(ws, change)
            change.add_tie(ws, R.ACTIVE_ON, lib.id, theme_id, since=day)
        elif not works_on:
            for tie in current:
                change.end_tie(ws, tie.id, day)
        change.commit(ws, target_type="node", extra={"kind": K.THEME.value})
    return change
