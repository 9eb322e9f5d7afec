"""What a form gives, read and checked: kinds, tie kinds, roles, strengths, details per kind,
which entity a field names, the library entity and which way a tie points.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ...errors import NotFoundError, ValidationError
from ...i18n import N_, Message
from ...io.templates import ROLE_WORDS, parse_node_kind, parse_rel_kind
from ...io.values import parse_strength
from ...labels import KIND_LABELS, REL_LABELS
from ...model import CHANNEL_MODES, TIE_RULES, Node, NodeKind, RelKind
from ...privacy import LAWFUL_BASES, PERSONAL_KINDS, organisations_only
from ...store.base import UNSET, Workspace, fold
from .change import FIELD_LABELS, Change, EditError, UnknownRef, today

K = NodeKind
R = RelKind


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
