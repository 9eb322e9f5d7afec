"""Entities by hand: add (with the ties a worksheet row makes), change and end an entity, and
record a signal on a theme.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ...errors import Day
from ...i18n import N_
from ...model import NodeKind, RelKind, check_date
from ...store.base import UNSET, Workspace
from .change import Change, EditError, _day, _iso
from .values import (
    ABOUT_KINDS,
    ACTIVE_ON_KINDS,
    _check_people_allowed,
    _ensure_library,
    clean_details,
    orient,
    parse_kind,
    resolve,
    strength_value,
)

K = NodeKind
R = RelKind


def add_entity(
    ws: Workspace,
    kind: Any,
    name: str,
    *,
    details: Mapping[str, Any] | None = None,
    since: Any = None,
    origin: str | None = None,
    theme: str | None = None,
    theme_strength: Any = None,
    channels: Iterable[str] = (),
    organises: Iterable[str] = (),
    attends: Iterable[str] = (),
    organisers: Iterable[str] = (),
    bond: bool = False,
    bond_holder: str | None = None,
    bond_strength: Any = None,
    library_theme: bool = False,
    goals: Iterable[str] = (),
    themes: Iterable[str] = (),
    signals: Iterable[str] = (),
    ties_since: Any = None,
) -> Change:
    """Add an entity with the ties a worksheet gives it, as one change.

    Parameters
    ----------
    kind : str or NodeKind
        Model name or Dutch word.
    theme : str, optional
        Id of the theme it belongs to: people and organisations (and the library and staff)
        are active on it (``theme_strength``), activities, channels, goals and communities
        are about it.
    channels : ids
        Channels it is active in (online or offline).
    organises, attends : ids
        Activities it organises / takes part in.
    organisers : ids or names
        For an activity: who organises it.
    bond : bool
        It has a bond with the library, held by ``bond_holder`` (the library or a staff
        member; default the library, made if the workspace has none yet) with
        ``bond_strength``.
    library_theme : bool
        For a theme: the library works on it (the library is active on it).
    goals, themes : ids
        For a theme: the library goals about it. For a goal: the themes it is about.
    signals : text
        For a theme: where it was seen in town.

    Raises
    ------
    EditError, ValidationError, NotFoundError
        Nothing is written then.
    """
    node_kind = parse_kind(kind)
    day = _day(ties_since, field="since")
    theme_strength = strength_value(theme_strength, field="theme_strength")
    bond_strength = strength_value(bond_strength, field="bond_strength")
    props = {k: v for k, v in clean_details(node_kind, details).items() if v is not None}
    signal_list = [s.strip() for s in signals if s and s.strip()]
    if signal_list:
        props["signals"] = signal_list
    _check_people_allowed(ws, node_kind, name)
    change = Change("add", str(name).strip())
    with ws.atomic():
        node = change.add_node(ws, node_kind, name, props=props, since=since, origin=origin or None)
        change.label = node.name
        if theme:
            theme_node = resolve(ws, theme, field="theme", kinds=[K.THEME])
            if node_kind in ACTIVE_ON_KINDS:
                change.add_tie(
                    ws, R.ACTIVE_ON, node.id, theme_node.id, strength=theme_strength, since=day
                )
            elif node_kind in ABOUT_KINDS:
                change.add_tie(ws, R.ABOUT, node.id, theme_node.id, since=day)
        for ref in channels:
            channel = resolve(ws, ref, field="channels", kinds=[K.CHANNEL])
            a, b = orient(ws, R.ACTIVE_IN, node, channel)
            change.add_tie(ws, R.ACTIVE_IN, a.id, b.id, since=day)
        for rel, refs, name_ in (
            (R.ORGANISES, organises, "organises"),
            (R.ATTENDS, attends, "attends"),
        ):
            for ref in refs:
                activity = resolve(ws, ref, field=name_, kinds=[K.ACTIVITY])
                a, b = orient(ws, rel, node, activity)
                change.add_tie(ws, rel, a.id, b.id, since=day)
        for ref in organisers:
            who = resolve(ws, ref, field="organisers")
            a, b = orient(ws, R.ORGANISES, who, node)
            change.add_tie(ws, R.ORGANISES, a.id, b.id, since=day)
        if bond:
            holder = (
                resolve(ws, bond_holder, field="bond_holder", kinds=[K.LIBRARY, K.STAFF])
                if bond_holder
                else _ensure_library(ws, change)
            )
            a, b = orient(ws, R.BOND_WITH, holder, node)
            change.add_tie(ws, R.BOND_WITH, a.id, b.id, strength=bond_strength, since=day)
        if node_kind is K.GOAL:
            lib = _ensure_library(ws, change)
            change.add_tie(ws, R.PURSUES, lib.id, node.id, since=day)
            for ref in themes:
                other = resolve(ws, ref, field="themes", kinds=[K.THEME])
                change.add_tie(ws, R.ABOUT, node.id, other.id, since=day)
        if node_kind is K.STAFF:
            lib = _ensure_library(ws, change)
            change.add_tie(ws, R.WORKS_AT, node.id, lib.id, since=day)
        if node_kind is K.THEME:
            if library_theme:
                lib = _ensure_library(ws, change)
                change.add_tie(ws, R.ACTIVE_ON, lib.id, node.id, since=day)
            for ref in goals:
                goal = resolve(ws, ref, field="goals", kinds=[K.GOAL])
                change.add_tie(ws, R.ABOUT, goal.id, node.id, since=day)
        change.commit(ws, target_type="node", extra={"kind": node_kind.value})
    return change


def update_entity(
    ws: Workspace,
    node_id: str,
    *,
    name: Any = UNSET,
    details: Mapping[str, Any] | None = None,
    since: Any = UNSET,
    until: Any = UNSET,
    origin: Any = UNSET,
    op: str = "update",
) -> Change:
    """Change an entity's details: a new version (the old one stays in the history).

    ``details`` is merged into the current ones; a blank value removes that detail. When
    nothing differs, nothing is written and the change has no ``seq``.
    """
    current = ws.get_node(node_id)
    fields: dict[str, Any] = {}
    if name is not UNSET and str(name).strip() != current.name:
        fields["name"] = name
    if details:
        cleaned = clean_details(current.kind, details)
        props = {k: v for k, v in cleaned.items() if current.props.get(k) != v}
        if props:
            fields["props"] = props
    for key, value in (("since", since), ("until", until)):
        if value is not UNSET:
            day = check_date(value, field=key)
            if day != getattr(current, key):
                fields[key] = day
    if origin is not UNSET and (origin or None) != current.origin:
        fields["origin"] = origin or None
    change = Change(op, current.name)
    if not fields:
        return change
    with ws.atomic():
        new = change.update_node(ws, node_id, **fields)
        change.label = new.name
        change.commit(ws, target_type="node", extra={"kind": current.kind.value})
    return change


def end_entity(ws: Workspace, node_id: str, *, on: Any = None) -> Change:
    """End an entity on a date (it is valid up to, not including, ``on``; default today)."""
    day = _day(on, field="on")
    current = ws.get_node(node_id)
    if current.until is not None and current.until <= day:
        raise EditError(
            "entity_ended",
            N_("{name!r} ended already on {day}"),
            field="on",
            value=_iso(day),
            name=current.name,
            day=Day(current.until),
        )
    if current.since is not None and day < current.since:
        raise EditError(
            "before_since",
            N_("the end date {end} lies before the start {day}"),
            field="on",
            value=day.isoformat(),
            end=Day(day),
            day=Day(current.since),
        )
    return update_entity(ws, node_id, until=day, op="end")


def add_signal(ws: Workspace, theme_id: str, where: str, *, on: Any = None) -> Change:
    """Note where a theme was seen in town (paper, social media, meetup.com, a colleague) and
    when: one more entry in the theme's ``signals``."""
    theme = ws.get_node(theme_id)
    if theme.kind is not K.THEME:
        raise EditError("not_theme", N_("{name!r} is not a theme"), field="theme", name=theme.name)
    text = " ".join(str(where or "").split())
    if not text:
        raise EditError("required", N_("where it was seen is empty"), field="where", value=where)
    day = check_date(on, field="on")
    entry = f"{text} ({day.isoformat()})" if day else text
    existing = theme.props.get("signals") or []
    if isinstance(existing, str):
        existing = [existing]
    return update_entity(ws, theme_id, details={"signals": [*existing, entry]}, op="signal")
