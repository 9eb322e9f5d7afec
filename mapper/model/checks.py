"""Validation: every kind, strength, date, interval, text, name, role and property a store
writes is checked here, with messages that name the field in the reader's words.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Mapping
from typing import Any

from ..errors import Day, ValidationError
from ..i18n import N_, Message
from .vocabulary import (
    COMMUNITY_ROLES,
    MAX_NAME_LENGTH,
    MAX_PROPS_DEPTH,
    MAX_TEXT_LENGTH,
    ROLES,
    SYMMETRIC,
    TIE_RULES,
    NodeKind,
    RelKind,
)

#: Control characters refused in every text (C0 and C1 controls and DEL); tab, line feed
#: and carriage return are allowed where text may span lines (notes), and collapsed to a
#: space in names.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


# --------------------------------------------------------------------------- validation


def node_kind(value: str | NodeKind) -> NodeKind:
    """Return the :class:`NodeKind` for ``value`` (case-insensitive), or raise ValidationError."""
    if isinstance(value, NodeKind):
        return value
    text = str(value).strip()
    for kind in NodeKind:
        if text.lower() in (kind.value.lower(), kind.name.lower()):
            return kind
    allowed = ", ".join(k.value for k in NodeKind)
    raise ValidationError(
        "unknown node kind {kind!r} (allowed: {allowed})",
        field="kind",
        value=value,
        kind=value,
        allowed=allowed,
    )


def rel_kind(value: str | RelKind) -> RelKind:
    """Return the :class:`RelKind` for ``value`` (case-insensitive), or raise ValidationError."""
    if isinstance(value, RelKind):
        return value
    text = str(value).strip().upper().replace(" ", "_").replace("-", "_")
    try:
        return RelKind(text)
    except ValueError:
        allowed = ", ".join(k.value for k in RelKind)
        raise ValidationError(
            "unknown tie kind {kind!r} (allowed: {allowed})",
            field="kind",
            value=value,
            kind=value,
            allowed=allowed,
        ) from None


def check_tie_kinds(kind: RelKind, source: NodeKind, target: NodeKind) -> None:
    """Raise ValidationError unless a ``kind`` tie may go from ``source`` to ``target``."""
    sources, targets = TIE_RULES[kind]
    ok = source in sources and target in targets
    if not ok and kind in SYMMETRIC:
        ok = target in sources and source in targets
    if not ok:
        allowed = (
            f"{' | '.join(sorted(s.value for s in sources))} → "
            f"{' | '.join(sorted(t.value for t in targets))}"
        )
        raise ValidationError(
            "a {kind} tie cannot go from {source} to {target} (allowed: {allowed})",
            field="kind",
            value=kind.value,
            kind=kind.value,
            source=source.value,
            target=target.value,
            allowed=allowed,
        )


def check_strength(value: Any, *, field: str = "strength") -> float | None:
    """Return ``value`` as a float in [0, 1] (or None), or raise ValidationError naming it."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationError(
            "strength {given!r} is not a number", field=field, value=value, given=value
        )
    try:
        number = float(str(value).replace(",", ".")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise ValidationError(
            "strength {given!r} is not a number", field=field, value=value, given=value
        ) from None
    if math.isnan(number) or not 0.0 <= number <= 1.0:
        raise ValidationError(
            "strength {given!r} is not between 0 and 1", field=field, value=value, given=value
        )
    return number


def check_date(value: Any, *, field: str) -> dt.date | None:
    """Return ``value`` as a date (ISO ``YYYY-MM-DD`` text accepted), or raise ValidationError."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(
            "{field_name} {given!r} is not a date (use YYYY-MM-DD)",
            field=field,
            value=value,
            field_name=field_word(field),
            given=value,
        ) from None


def check_interval(since: dt.date | None, until: dt.date | None) -> None:
    """Raise ValidationError if ``until`` lies before ``since``."""
    if since is not None and until is not None and until < since:
        raise ValidationError(
            "until {until} lies before since {since}",
            field="until",
            value=until.isoformat(),
            until=Day(until),
            since=Day(since),
        )


#: The words for the fields and columns a message about a bad value names (English message
#: ids); a field not here is named as it is.
FIELD_WORDS: dict[str, str] = {
    "name": N_("name"),
    "since": N_("since"),
    "until": N_("until"),
    "date": N_("date"),
    "on": N_("date"),
    "strength": N_("strength"),
    "extra": N_("extra"),
    "notes": N_("notes"),
    "outcome": N_("outcome"),
    "origin": N_("origin"),
    "id": N_("id"),
    "themes": N_("themes"),
    "online": N_("online"),
    "offline": N_("offline"),
    "channels": N_("channels"),
    "activities": N_("activities"),
    "bond_staff": N_("bond staff member"),
    "organisers": N_("organisers"),
    "source": N_("source"),
    "target": N_("target"),
}


def field_word(field: str) -> Message | str:
    """The word for ``field`` in a message, said in the reader's language when it is shown.

    >>> from mapper.i18n import use_language
    >>> with use_language("nl"):
    ...     str(field_word("since")), str(field_word("colour"))
    ('sinds', 'colour')
    """
    word = FIELD_WORDS.get(field)
    return Message(word) if word else field


def check_text(value: Any, *, field: str) -> Any:
    """Return ``value`` unchanged, or raise ValidationError if it is text holding a control
    character (NUL, escape, …; tab and line breaks are allowed).

    >>> check_text("Jan\\nde Vries", field="notes")
    'Jan\\nde Vries'
    >>> check_text("Jan\\x00", field="name")
    Traceback (most recent call last):
    ...
    mapper.errors.ValidationError: name 'Jan\\x00' holds a control character (U+0000)
    """
    if isinstance(value, str):
        found = _CONTROL_RE.search(value)
        if found:
            raise ValidationError(
                "{field_name} {given!r} holds a control character (U+{code:04X})",
                field=field,
                value=value,
                field_name=field_word(field),
                given=value[:40],
                code=ord(found.group()),
            )
    return value


#: Bidirectional embedding, override and isolate controls (U+202A–E, U+2066–9): a name with
#: U+202E shows its text backwards, and can make what follows it look like something else.
BIDI_CONTROLS_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")


def strip_bidi(value: Any) -> Any:
    """Text without bidirectional controls, for showing it (anything else is returned as is).

    >>> strip_bidi("Jan\u202egnp.exe")
    'Jangnp.exe'
    """
    if isinstance(value, str) and BIDI_CONTROLS_RE.search(value):
        return BIDI_CONTROLS_RE.sub("", value)
    return value


def check_name(value: Any, *, field: str = "name") -> str:
    """Return a cleaned, non-empty name, or raise ValidationError."""
    if not isinstance(value, str):
        raise ValidationError(
            "{field_name} {given!r} is not text",
            field=field,
            value=value,
            field_name=field_word(field),
            given=value,
        )
    check_text(value, field=field)
    text = " ".join(value.split())
    if not text:
        raise ValidationError(
            "{field_name} is empty", field=field, value=value, field_name=field_word(field)
        )
    if len(text) > MAX_NAME_LENGTH:
        raise ValidationError(
            "{field_name} {given!r}… is longer than {limit} characters",
            field=field,
            value=value,
            field_name=field_word(field),
            given=text[:40],
            limit=MAX_NAME_LENGTH,
        )
    return text


def check_role(kind: RelKind, role: Any) -> str | None:
    """Return ``role`` if a ``kind`` tie may carry it, or raise ValidationError."""
    if role is None or role == "":
        if kind is RelKind.HAS_ROLE:
            raise ValidationError(
                "a HAS_ROLE tie needs a role ({roles})",
                field="role",
                roles=", ".join(COMMUNITY_ROLES),
            )
        return None
    allowed = ROLES.get(kind)
    if not allowed:
        raise ValidationError(
            "a {kind} tie takes no role (got {role!r})",
            field="role",
            value=role,
            kind=kind.value,
            role=role,
        )
    if role not in allowed:
        raise ValidationError(
            "role {role!r} is not allowed on {kind} (allowed: {allowed})",
            field="role",
            value=role,
            role=role,
            kind=kind.value,
            allowed=", ".join(allowed),
        )
    return str(role)


def check_props(props: Mapping[str, Any] | None) -> dict[str, Any]:
    """Return ``props`` as a JSON-safe dict, or raise ValidationError naming the bad key."""
    if not props:
        return {}
    if not isinstance(props, Mapping):
        raise ValidationError("properties {props!r} are not a mapping", field="props", props=props)
    out: dict[str, Any] = {}
    for key, value in props.items():
        if not isinstance(key, str) or not key or not key.replace("_", "").isalnum():
            raise ValidationError(
                "property name {key!r} is not a plain word", field=str(key), key=key
            )
        _check_prop_value(key, value)
        try:
            json.dumps(value, allow_nan=False)
        except (TypeError, ValueError, RecursionError):
            raise ValidationError(
                "property {key!r} has a value that cannot be stored: {given!r}",
                field=key,
                key=key,
                given=str(value)[:60],
            ) from None
        if isinstance(value, str) and len(value) > MAX_TEXT_LENGTH:
            raise ValidationError("property {key!r} is too long", field=key, key=key)
        out[key] = value
    return out


def _check_prop_value(key: str, value: Any) -> None:
    """Refuse NaN and infinities, control characters and nesting beyond
    :data:`MAX_PROPS_DEPTH` anywhere in a property value (without recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_PROPS_DEPTH:
            raise ValidationError(
                "property {key!r} nests deeper than {limit} levels",
                field=key,
                key=key,
                limit=MAX_PROPS_DEPTH,
            )
        if isinstance(item, float) and not math.isfinite(item):
            raise ValidationError(
                "property {key!r} holds {item!r}, which is not a number that can be stored",
                field=key,
                value=item,
                key=key,
                item=item,
            )
        if isinstance(item, str):
            check_text(item, field=f"property {key!r}")
        elif isinstance(item, Mapping):
            for k, v in item.items():
                check_text(k, field=f"property {key!r}")
                stack.append((v, depth + 1))
        elif isinstance(item, (list, tuple)):
            stack.extend((v, depth + 1) for v in item)
