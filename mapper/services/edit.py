"""Making the map by hand: add, change and end entities and ties on the worksheets, and undo
a change.

Every function here is one *change* a librarian makes (in the browser, through the API or on
the command line): it runs in one transaction (all or nothing), writes through the store (so
it is validated, versioned and audited like an import), and records one ``edit`` entry in the
audit trail holding the *reverse* of what it wrote. :func:`undo` writes that reverse as a new
change — history stays honest: nothing is deleted, the undone versions stay visible, and the
trail shows both the change and its undo.

Examples
--------
>>> from mapper.store import SQLiteStore
>>> ws = SQLiteStore(":memory:").create_workspace("voorbeeld", "Bibliotheek Voorbeeld")
>>> theme = add_entity(ws, "thema", "duurzaamheid", library_theme=True).node
>>> cafe = add_entity(ws, "organisatie", "Repair Café Noord", theme=theme.id,
...                   bond=True, bond_strength="sterk").node
>>> sorted((t.kind.value, t.strength) for t in ws.ties(node=cafe.id))
[('ACTIVE_ON', None), ('BOND_WITH', 0.8)]
>>> bond = next(ws.ties(node=cafe.id, kind="BOND_WITH"))
>>> change = change_tie(ws, bond.id, strength="zwak")
>>> [v.strength for v in ws.tie_history(bond.id)]
[0.8, 0.4]
>>> undone = undo(ws, change.seq)
>>> [v.strength for v in ws.tie_history(bond.id)]
[0.8, 0.4, 0.8]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import audit
from ..errors import ConflictError, Day, NotFoundError, ValidationError
from ..i18n import N_, Message
from ..io.templates import ROLE_WORDS, parse_node_kind, parse_rel_kind
from ..io.values import parse_strength
from ..labels import KIND_LABELS, REL_LABELS
from ..model import (
    CHANNEL_MODES,
    TIE_RULES,
    Node,
    NodeKind,
    RelKind,
    Tie,
    check_date,
)
from ..privacy import LAWFUL_BASES, PERSONAL_KINDS, organisations_only
from ..store.base import UNSET, Workspace, fold

K = NodeKind
R = RelKind

#: How long after a change its author may undo it.
UNDO_WINDOW = dt.timedelta(hours=1)
#: How many audit entries are read to find the recent changes.
RECENT_LIMIT = 500

#: The details (properties) a form offers per kind, besides name, dates and source.
DETAIL_FIELDS: dict[NodeKind, tuple[str, ...]] = {
    K.PERSON: ("description", "neighbourhood", "job_title", "lawful_basis", "data_source"),
    K.ORGANISATION: ("description", "type", "neighbourhood", "address"),
    K.ACTIVITY: ("description", "type", "schedule", "place", "frequency"),
    K.CHANNEL: ("mode", "medium", "description"),
    K.THEME: ("description",),
    K.GOAL: ("description", "policy_plan"),
    K.COMMUNITY: ("description", "bond_type", "traits", "vision"),
    K.STAFF: ("job_title", "description"),
    K.LIBRARY: ("town", "address", "description"),
    K.SMART_GOAL: ("description",),
}

#: Kinds that are active *on* a theme (ACTIVE_ON); the others are *about* it (ABOUT).
ACTIVE_ON_KINDS = TIE_RULES[R.ACTIVE_ON][0]
ABOUT_KINDS = TIE_RULES[R.ABOUT][0]


#: The fields a change names entities in, as a person reads them in a message (English ids).
FIELD_LABELS: dict[str, str] = {
    "id": N_("the entity"),
    "source": N_("the first end"),
    "target": N_("the other end"),
    "theme": N_("the theme"),
    "themes": N_("the theme"),
    "channels": N_("the channel"),
    "organisers": N_("the organiser"),
    "bond_holder": N_("who holds the bond"),
    "goals": N_("the organisation goal"),
}


class EditError(ValidationError):
    """A change that cannot be made, with a ``code`` the edges turn into their own words
    (the web app into its own words) and the ``params`` to fill in; ``message`` is an English
    message id with ``{fields}`` from ``params``, read in the reader's language elsewhere (the
    command line)."""

    def __init__(
        self,
        code: str,
        message: object,
        *,
        field: str | None = None,
        value: object = None,
        **params: Any,
    ):
        super().__init__(message, field=field, value=value, **params)
        self.code = code


class UnknownRef(NotFoundError):
    """A field names an entity (by id or name) that is not in the workspace."""

    def __init__(
        self,
        message: object,
        *,
        field: str,
        value: object,
        suggestions: Iterable[str],
        **params: Any,
    ):
        super().__init__(message, suggestions=suggestions, **params)
        self.field = field
        self.value = value


# --------------------------------------------------------------------------- a change


@dataclass
class Change:
    """One change: what it wrote, and how to write its reverse.

    Attributes
    ----------
    op : str
        What was done (``add``, ``update``, ``end``, ``tie``, ``change_tie``, ``end_tie``,
        ``quick_add``, ``undo`` …).
    label : str
        A short description, e.g. the name of the entity.
    nodes, ties : list
        What was written (the new versions).
    seq : int or None
        The audit entry of the change (pass it to :func:`undo`); None when nothing changed.
    """

    op: str
    label: str
    nodes: list[Node] = field(default_factory=list)
    ties: list[Tie] = field(default_factory=list)
    reverse: list[dict[str, Any]] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    seq: int | None = None

    @property
    def node(self) -> Node:
        """The first entity written (the one the change is about)."""
        return self.nodes[0]

    @property
    def tie(self) -> Tie:
        return self.ties[0]

    @property
    def main_id(self) -> str | None:
        if self.nodes:
            return self.nodes[0].id
        return self.ties[0].id if self.ties else None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.main_id,
            "op": self.op,
            "label": self.label,
            "change": self.seq,
            "nodes": [n.id for n in self.nodes],
            "ties": [t.id for t in self.ties],
        }

    # -- writes that remember their reverse

    def _ref(self, *ids: str) -> None:
        for i in ids:
            if i not in self.refs:
                self.refs.append(i)

    def add_node(self, ws: Workspace, kind: NodeKind, name: str, **fields: Any) -> Node:
        node = ws.add_node(kind, name, **fields)
        self.nodes.append(node)
        self.reverse.append({"do": "void_node", "id": node.id, "version": node.version})
        self._ref(node.id)
        return node

    def update_node(self, ws: Workspace, node_id: str, **fields: Any) -> Node:
        old = ws.get_node(node_id)
        new = ws.update_node(node_id, **fields)
        self.nodes.append(new)
        self.reverse.append(
            {
                "do": "restore_node",
                "id": node_id,
                "version": new.version,
                "name": old.name,
                "props": dict(old.props),
                "since": _iso(old.since),
                "until": _iso(old.until),
                "origin": old.origin,
            }
        )
        self._ref(node_id)
        return new

    def add_tie(self, ws: Workspace, kind: RelKind, source: str, target: str, **fields: Any) -> Tie:
        tie = ws.add_tie(kind, source, target, **fields)
        self.ties.append(tie)
        self.reverse.append({"do": "void_tie", "id": tie.id, "version": tie.version})
        self._ref(tie.id, tie.source, tie.target)
        return tie

    def change_tie(self, ws: Workspace, tie_id: str, on: dt.date, **fields: Any) -> Tie:
        old = ws.get_tie(tie_id)
        new = ws.change_tie(tie_id, on=on, **fields)
        self.ties.append(new)
        self.reverse.append(
            {
                "do": "restore_tie",
                "id": tie_id,
                "version": new.version,
                "until": _iso(new.until),
                "on": on.isoformat(),
                "now": {"strength": new.strength, "role": new.role},
                "strength": old.strength,
                "role": old.role,
                "origin": old.origin,
                "props": dict(old.props),
            }
        )
        self._ref(tie_id, new.source, new.target)
        return new

    def end_tie(self, ws: Workspace, tie_id: str, on: dt.date) -> Tie:
        old = ws.get_tie(tie_id)
        if old.until is not None and old.until <= on:
            raise EditError(
                "tie_ended",
                N_("the tie ended already on {day}"),
                field="on",
                value=on.isoformat(),
                day=Day(old.until),
            )
        ended = ws.end_tie(tie_id, on=on)
        self.ties.append(ended)
        self.reverse.append(
            {
                "do": "reopen_tie",
                "id": tie_id,
                "version": ended.version,
                "until": on.isoformat(),
                "old_until": _iso(old.until),
            }
        )
        self._ref(tie_id, ended.source, ended.target)
        return ended

    def commit(self, ws: Workspace, *, target_type: str, extra: Mapping[str, Any] | None = None):
        """Record the change in the audit trail (inside the change's transaction)."""
        if not self.reverse:
            return self
        entry = ws.record_audit(
            audit.EDIT,
            target_type=target_type,
            target_id=self.main_id,
            label=self.label,
            refs=self.refs,
            detail={"op": self.op, "reverse": self.reverse, **(extra or {})},
        )
        self.seq = entry.seq if entry.seq is not None else _latest_seq(ws, self.main_id)
        return self


def _latest_seq(ws: Workspace, target: str | None) -> int | None:
    for entry in ws.audit(action=audit.EDIT, limit=5):
        if entry.target_id == target:
            return entry.seq
    return None


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _day(value: Any, *, field: str) -> dt.date:
    """The date given, else today."""
    day = check_date(value, field=field)
    return day if day is not None else today()


def today() -> dt.date:
    return dt.date.today()


# --------------------------------------------------------------------------- lookups


def parse_kind(value: Any) -> NodeKind:
    """A node kind from its model name or Dutch word, in any case (``Person``, ``persoon``)."""
    if isinstance(value, NodeKind):
        return value
    return parse_node_kind(str(value or "").strip())


def parse_tie_kind(value: Any) -> RelKind:
    """A tie kind from its model name or Dutch words (``KNOWS``, ``kent``)."""
    if isinstance(value, RelKind):
        return value
    return parse_rel_kind(str(value or "").strip())


def role_value(value: Any) -> Any:
    """A role from its model name or Dutch word (``ambassadeur`` is ``ambassador``)."""
    if value is UNSET or value is None:
        return value
    text = str(value).strip()
    return ROLE_WORDS.get(fold(text), text) or None


def strength_value(value: Any, *, field: str = "strength") -> float | None:
    """A strength from a form, the API or the command line: a step 1–5, a step word
    (``sterk``), or a number 0–1; blank is unknown (None)."""
    if value is UNSET:
        return UNSET
    if isinstance(value, str):
        value = value.strip()
    return parse_strength(value, field=field)


def resolve(ws: Workspace, ref: Any, *, field: str = "id", kinds: Iterable[Any] = ()) -> Node:
    """The entity an id or an exact name (case and accents ignored) names.

    Raises NotFoundError (with close matches) or EditError when a name is ambiguous.
    """
    text = str(ref or "").strip()
    if not text:
        raise EditError(
            "required",
            N_("{name} is empty"),
            field=field,
            value=ref,
            name=Message(FIELD_LABELS.get(field, field)),
        )
    wanted = [parse_kind(k) for k in kinds]
    try:
        node = ws.get_node(text)
    except (NotFoundError, ValidationError):
        node = None
    if node is not None and (not wanted or node.kind in wanted):
        return node
    same = [n for n in ws.nodes(kind=wanted or None, as_of=today()) if fold(n.name) == fold(text)]
    if len(same) == 1:
        return same[0]
    if len(same) > 1:
        raise EditError(
            "ambiguous",
            N_("{text!r} names {n} entities: give the id ({ids})"),
            field=field,
            value=text,
            text=text,
            n=len(same),
            ids=", ".join(n.id for n in same[:5]),
        )
    found = ws.find_nodes(text, kind=wanted or None, limit=5)
    raise UnknownRef(
        N_("no entity {text!r} in this workspace"),
        field=field,
        value=text,
        text=text,
        suggestions=[n.name for n in found],
    )


def library(ws: Workspace) -> Node | None:
    """The workspace's library (the first by name valid today), or None."""
    found = sorted(ws.nodes(kind=K.LIBRARY, as_of=today()), key=lambda n: (fold(n.name), n.id))
    return found[0] if found else None


def _ensure_library(ws: Workspace, change: Change) -> Node:
    """The library, made (named after the workspace) when a new workspace has none yet."""
    found = library(ws)
    if found is not None:
        return found
    return change.add_node(ws, K.LIBRARY, ws.info.name)


def _check_people_allowed(ws: Workspace, kind: NodeKind, name: str) -> None:
    if kind in PERSONAL_KINDS and organisations_only(ws.info.settings):
        raise EditError(
            "organisations_only",
            N_("this workspace keeps organisations only: cannot add the person {name!r}"),
            field="kind",
            value=kind.value,
            name=name,
        )


def clean_details(kind: NodeKind, details: Mapping[str, Any] | None) -> dict[str, Any]:
    """Details from a form: blank text removed (as None, so an update drops the key),
    other text trimmed; a channel's mode and a person's lawful basis checked."""
    out: dict[str, Any] = {}
    for key, value in (details or {}).items():
        if isinstance(value, str):
            value = value.strip() or None
        out[key] = value
    mode = out.get("mode")
    if mode is not None and kind is K.CHANNEL and mode not in CHANNEL_MODES:
        raise EditError(
            "mode",
            N_("mode {given!r} is not online or offline"),
            field="mode",
            value=mode,
            given=mode,
        )
    basis = out.get("lawful_basis")
    if basis is not None and basis not in LAWFUL_BASES:
        raise EditError(
            "lawful_basis",
            N_("lawful basis {given!r} is not one of: {allowed}"),
            field="lawful_basis",
            value=basis,
            given=basis,
            allowed=", ".join(LAWFUL_BASES),
        )
    return out


def orient(ws: Workspace, kind: RelKind, source: Node, target: Node) -> tuple[Node, Node]:
    """The two ends in the direction the tie kind allows (a bond goes from the library to
    the partner, whichever was picked first); EditError when neither direction fits."""
    if source.id == target.id:
        raise EditError("same_ends", N_("a tie needs two different points"), field="target")
    sources, targets = TIE_RULES[kind]
    if source.kind in sources and target.kind in targets:
        return source, target
    if target.kind in sources and source.kind in targets:
        return target, source
    raise EditError(
        "tie_kinds",
        N_("a tie “{rel_label}” cannot go between {source_label} and {target_label}"),
        field="kind",
        value=kind.value,
        rel=kind.value,
        source=source.kind.value,
        target=target.kind.value,
        rel_label=Message(REL_LABELS[kind]),
        source_label=Message(KIND_LABELS[source.kind]),
        target_label=Message(KIND_LABELS[target.kind]),
    )


# --------------------------------------------------------------------------- entities


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


# --------------------------------------------------------------------------- ties


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


# --------------------------------------------------------------------------- undo


@dataclass
class RecentChange:
    """A change in the audit trail, as the "recent changes" list shows it."""

    seq: int
    at: str
    actor: str
    op: str
    label: str
    target_id: str | None
    undone: bool
    undoable: bool


def _parse_at(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def recent_changes(
    ws: Workspace,
    actor: str | None,
    *,
    entity: str | None = None,
    now: dt.datetime | None = None,
    limit: int = 20,
) -> list[RecentChange]:
    """The worksheet changes of the last hour, newest first; those by ``actor`` not undone
    yet can be undone. ``entity`` limits them to changes touching that entity."""
    now = now or dt.datetime.now(dt.UTC)
    entries = ws.audit(action=[audit.EDIT, audit.UNDO], entity=entity, limit=RECENT_LIMIT)
    undone = {e.detail.get("undoes") for e in entries if e.action == audit.UNDO}
    out = []
    for e in entries:
        if e.action != audit.EDIT or e.seq is None:
            continue
        if now - _parse_at(e.at) > UNDO_WINDOW:
            break
        done = e.seq in undone
        out.append(
            RecentChange(
                seq=e.seq,
                at=e.at,
                actor=e.actor,
                op=str(e.detail.get("op", "")),
                label=e.label or "",
                target_id=e.target_id,
                undone=done,
                undoable=not done and actor is not None and e.actor == actor,
            )
        )
        if len(out) >= limit:
            break
    return out


def _find_edit(ws: Workspace, seq: int) -> Any:
    for entry in ws.audit(action=[audit.EDIT, audit.UNDO], limit=RECENT_LIMIT):
        if entry.seq == seq and entry.action == audit.EDIT:
            return entry
    raise NotFoundError("no change {seq!r} among the recent ones", seq=seq)


def undo(ws: Workspace, seq: Any, *, now: dt.datetime | None = None) -> Change:
    """Write the reverse of change ``seq``: only its author, only within
    :data:`UNDO_WINDOW`, only once, and only while what it wrote was not changed again."""
    try:
        seq = int(seq)
    except (TypeError, ValueError):
        raise EditError(
            "bad_change", N_("change {seq!r} is not a number"), field="change", seq=seq
        ) from None
    entry = _find_edit(ws, seq)
    actor = ws.store.actor or audit.SYSTEM_ACTOR
    now = now or dt.datetime.now(dt.UTC)
    if entry.actor != actor:
        raise EditError(
            "undo_other", N_("only who made a change can undo it"), field="change", value=seq
        )
    if now - _parse_at(entry.at) > UNDO_WINDOW:
        raise EditError(
            "undo_late",
            N_("only changes of the last hour can be undone"),
            field="change",
            value=seq,
        )
    undone = [
        e for e in ws.audit(action=audit.UNDO, limit=RECENT_LIMIT) if e.detail.get("undoes") == seq
    ]
    if undone:
        raise EditError(
            "undo_done", N_("this change was undone already"), field="change", value=seq
        )
    change = Change("undo", entry.label or "")
    with ws.atomic():
        for step in reversed(entry.detail.get("reverse", [])):
            _reverse(ws, change, step)
        entry_undo = ws.record_audit(
            audit.UNDO,
            target_type=entry.target_type,
            target_id=entry.target_id,
            label=entry.label,
            refs=entry.refs,
            detail={"undoes": seq, "op": entry.detail.get("op")},
        )
        change.seq = entry_undo.seq
    return change


def _conflict(ws: Workspace, what: str) -> EditError:
    return EditError(
        "undo_conflict",
        N_("{label} was changed again since; undo the later change first"),
        field="change",
        label=what,
    )


def _reverse(ws: Workspace, change: Change, step: Mapping[str, Any]) -> None:
    do, ident = step["do"], step["id"]
    if do in ("void_node", "restore_node"):
        node = ws.get_node(ident)
        if node.version != step["version"]:
            raise _conflict(ws, node.name)
        if do == "void_node":
            day = node.since or today()
            new = ws.update_node(ident, since=day, until=day)
        else:
            new = ws.update_node(
                ident,
                name=step["name"],
                props=step["props"],
                merge_props=False,
                since=step["since"],
                until=step["until"],
                origin=step["origin"],
            )
        change.nodes.append(new)
        return
    tie = ws.get_tie(ident)
    moved = tie.version != step["version"]
    if do == "restore_tie" and "now" in step:
        # a later version with the same values (an end undone since) is still this change
        now = step["now"]
        moved = tie.version < step["version"] or (tie.strength, tie.role) != (
            now["strength"],
            now["role"],
        )
    if do != "void_tie" and _iso(tie.until) != step.get("until"):
        moved = True
    if moved:
        raise _conflict(ws, _tie_label(ws, tie))
    if do == "void_tie":
        day = tie.since or today()
        if tie.until is not None and tie.until <= day:
            change.ties.append(tie)
            return
        change.ties.append(ws.end_tie(ident, on=day))
    elif do == "restore_tie":
        change.ties.append(
            ws.change_tie(
                ident,
                on=max(dt.date.fromisoformat(step["on"]), tie.since or dt.date.min),
                strength=step["strength"],
                role=step["role"],
                origin=step["origin"],
                props=step["props"],
            )
        )
    elif do == "reopen_tie":
        reopened = ws.reopen_tie(ident)
        if step.get("old_until"):
            reopened = ws.end_tie(ident, on=step["old_until"])
        change.ties.append(reopened)
    else:  # pragma: no cover - only the steps above are ever recorded
        raise ConflictError("unknown reverse step {do!r}", do=do)


__all__ = [
    "Change",
    "EditError",
    "UnknownRef",
    "RecentChange",
    "DETAIL_FIELDS",
    "UNDO_WINDOW",
    "add_entity",
    "update_entity",
    "end_entity",
    "add_signal",
    "add_tie",
    "change_tie",
    "end_tie",
    "set_library_theme",
    "recent_changes",
    "undo",
    "resolve",
    "library",
    "parse_kind",
    "parse_tie_kind",
    "strength_value",
]
