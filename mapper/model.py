"""The model: node kinds, relationship kinds, the value types and their validation.

The vocabulary follows the workbook "Werken met community's" (see ``shared/method``):
a library (bibliotheek) pursues goals (organisatiedoelen) about themes (thema's); people
(individuen), organisations (organisaties), activities (activiteiten) and channels (kanalen)
are active on a theme; some have a bond (band) with the library; a community has members,
ambassadors, and three library roles (bouwer, verbinder, aanjager).

Time
----
Every tie and every node has an optional validity interval ``[since, until)`` in *valid time*:
``since`` is the first day it holds, ``until`` the first day it no longer holds (exclusive);
``None`` means open-ended. Nothing is overwritten: a changed tie closes its current version and
opens a new one (see :meth:`mapper.store.base.Store.change_tie`).

Examples
--------
>>> from mapper.model import RelKind, NodeKind, check_tie_kinds, strength_step
>>> check_tie_kinds(RelKind.ACTIVE_ON, NodeKind.PERSON, NodeKind.THEME)
>>> strength_step(0.8)
4
>>> check_tie_kinds(RelKind.WORKS_AT, NodeKind.PERSON, NodeKind.THEME)
Traceback (most recent call last):
...
mapper.errors.ValidationError: a WORKS_AT tie cannot go from Person to Theme (allowed: Staff → Library)
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .errors import Day, ValidationError
from .i18n import N_, Message, gettext, use_language


class NodeKind(StrEnum):
    """The kinds of entity on the map. The value is the Neo4j label."""

    LIBRARY = "Library"
    STAFF = "Staff"
    GOAL = "Goal"
    THEME = "Theme"
    PERSON = "Person"
    ORGANISATION = "Organisation"
    ACTIVITY = "Activity"
    CHANNEL = "Channel"
    COMMUNITY = "Community"
    SMART_GOAL = "SmartGoal"


class RelKind(StrEnum):
    """The kinds of tie. The value is the Neo4j relationship type."""

    WORKS_AT = "WORKS_AT"  # Staff -> Library
    PURSUES = "PURSUES"  # Library -> Goal; Community -> SmartGoal
    SERVES = "SERVES"  # Community/Activity -> Goal (a library goal it serves)
    ABOUT = "ABOUT"  # Goal/Activity/Community/Channel/SmartGoal -> Theme
    ACTIVE_ON = "ACTIVE_ON"  # Person/Organisation/Library/Staff -> Theme
    KNOWS = "KNOWS"  # Person/Staff <-> Person/Staff (symmetric)
    MEMBER_OF = "MEMBER_OF"  # Person/Organisation -> Organisation/Community (role)
    ORGANISES = "ORGANISES"  # Person/Organisation/Library/Staff/Community -> Activity
    ATTENDS = "ATTENDS"  # Person/Staff/Organisation -> Activity
    ACTIVE_IN = "ACTIVE_IN"  # Person/Organisation/Community/Library/Activity -> Channel
    BOND_WITH = "BOND_WITH"  # Library/Staff -> Person/Organisation/Community/Activity
    HAS_ROLE = "HAS_ROLE"  # Staff -> Community (builder / connector / driver)


N = NodeKind
#: Which kinds of node a tie of each kind may connect: (allowed sources, allowed targets).
TIE_RULES: dict[RelKind, tuple[frozenset[NodeKind], frozenset[NodeKind]]] = {
    RelKind.WORKS_AT: (frozenset({N.STAFF}), frozenset({N.LIBRARY})),
    RelKind.PURSUES: (frozenset({N.LIBRARY, N.COMMUNITY}), frozenset({N.GOAL, N.SMART_GOAL})),
    RelKind.SERVES: (frozenset({N.COMMUNITY, N.ACTIVITY, N.SMART_GOAL}), frozenset({N.GOAL})),
    RelKind.ABOUT: (
        frozenset({N.GOAL, N.ACTIVITY, N.COMMUNITY, N.CHANNEL, N.SMART_GOAL}),
        frozenset({N.THEME}),
    ),
    RelKind.ACTIVE_ON: (
        frozenset({N.PERSON, N.ORGANISATION, N.LIBRARY, N.STAFF}),
        frozenset({N.THEME}),
    ),
    RelKind.KNOWS: (frozenset({N.PERSON, N.STAFF}), frozenset({N.PERSON, N.STAFF})),
    RelKind.MEMBER_OF: (
        frozenset({N.PERSON, N.ORGANISATION}),
        frozenset({N.ORGANISATION, N.COMMUNITY}),
    ),
    RelKind.ORGANISES: (
        frozenset({N.PERSON, N.ORGANISATION, N.LIBRARY, N.STAFF, N.COMMUNITY}),
        frozenset({N.ACTIVITY}),
    ),
    RelKind.ATTENDS: (frozenset({N.PERSON, N.STAFF, N.ORGANISATION}), frozenset({N.ACTIVITY})),
    RelKind.ACTIVE_IN: (
        frozenset({N.PERSON, N.ORGANISATION, N.COMMUNITY, N.LIBRARY, N.ACTIVITY, N.STAFF}),
        frozenset({N.CHANNEL}),
    ),
    RelKind.BOND_WITH: (
        frozenset({N.LIBRARY, N.STAFF}),
        frozenset({N.PERSON, N.ORGANISATION, N.COMMUNITY, N.ACTIVITY}),
    ),
    RelKind.HAS_ROLE: (frozenset({N.STAFF}), frozenset({N.COMMUNITY})),
}
del N

#: Tie kinds whose direction carries no meaning.
SYMMETRIC: frozenset[RelKind] = frozenset({RelKind.KNOWS})

#: Roles a tie may carry, per tie kind. Kinds not listed take no role.
ROLES: dict[RelKind, tuple[str, ...]] = {
    RelKind.MEMBER_OF: ("member", "ambassador", "board", "volunteer", "employee", "founder"),
    RelKind.HAS_ROLE: ("builder", "connector", "driver"),
    RelKind.ORGANISES: ("organiser", "co-organiser", "host"),
}

#: The three library roles per community (bouwer, verbinder, aanjager).
COMMUNITY_ROLES: tuple[str, ...] = ("builder", "connector", "driver")
#: No more than this many staff per community (second source document, tip 1).
MAX_COMMUNITY_STAFF = 3

#: The five labelled steps users see instead of a 0–1 strength. Step *k* covers
#: ``((k-1)/5, k/5]``; entering step *k* stores ``k/5``. The English word is the message id
#: people read (translated in ``mapper/translations/nl/labels.po``); the Dutch word beside it
#: is what an import accepts as well (:mod:`mapper.io.values`).
STRENGTH_STEPS: tuple[tuple[int, str, str], ...] = (
    (1, "vluchtig", N_("fleeting")),
    (2, "zwak", N_("weak")),
    (3, "redelijk", N_("fair")),
    (4, "sterk", N_("strong")),
    (5, "zeer sterk", N_("very strong")),
)

#: Bond types of a community (werkblad 4).
BOND_TYPES: tuple[str, ...] = ("geography", "identity", "affinity")
#: Channel modes (werkblad 3: online or offline).
CHANNEL_MODES: tuple[str, ...] = ("online", "offline")

#: Prefix used in generated ids, per kind (ids stay readable in URLs and exports).
ID_PREFIX: dict[NodeKind, str] = {
    NodeKind.LIBRARY: "lib",
    NodeKind.STAFF: "stf",
    NodeKind.GOAL: "gol",
    NodeKind.THEME: "thm",
    NodeKind.PERSON: "per",
    NodeKind.ORGANISATION: "org",
    NodeKind.ACTIVITY: "act",
    NodeKind.CHANNEL: "chn",
    NodeKind.COMMUNITY: "com",
    NodeKind.SMART_GOAL: "sgl",
}

MAX_NAME_LENGTH = 200
MAX_TEXT_LENGTH = 10_000
#: How deep a property value (lists in dicts in lists …) may nest.
MAX_PROPS_DEPTH = 20
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


def strength_step(strength: float | None) -> int | None:
    """The step (1–5) a strength is shown as; ``None`` for an unknown strength.

    >>> [strength_step(s) for s in (0.0, 0.2, 0.21, 0.6, 1.0)]
    [1, 1, 2, 3, 5]
    """
    if strength is None:
        return None
    return min(5, max(1, math.ceil(round(strength * 5, 9))))


def step_strength(step: int) -> float:
    """The strength stored for a step entered by a user (1–5 → 0.2 … 1.0).

    >>> step_strength(4)
    0.8
    """
    if not isinstance(step, int) or not 1 <= step <= 5:
        raise ValidationError(
            "strength step {step!r} is not 1–5", field="strength", value=step, step=step
        )
    return round(step / 5, 2)


def strength_label(strength: float | None, lang: str | None = None) -> str:
    """The word for a strength in the reader's language, or in ``lang`` ("nl" or "en") when
    given; "onbekend"/"unknown" for None.

    >>> strength_label(0.8, "nl"), strength_label(0.3, "en"), strength_label(None, "nl")
    ('sterk', 'weak', 'onbekend')
    """
    if lang is not None:
        with use_language(lang):
            return strength_label(strength)
    step = strength_step(strength)
    if step is None:
        return gettext("unknown")
    return gettext(STRENGTH_STEPS[step - 1][2])


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months, clamped to the last day of a shorter month.

    >>> add_months(dt.date(2025, 3, 31), -1)
    datetime.date(2025, 2, 28)
    >>> add_months(dt.date(2025, 11, 15), 3)
    datetime.date(2026, 2, 15)
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def valid_on(since: dt.date | None, until: dt.date | None, day: dt.date) -> bool:
    """True if the half-open interval ``[since, until)`` contains ``day``."""
    return (since is None or since <= day) and (until is None or day < until)


# --------------------------------------------------------------------------- value types


@dataclass(frozen=True, slots=True)
class Node:
    """An entity on the map (a version of it, when read from history)."""

    id: str
    kind: NodeKind
    name: str
    props: dict[str, Any] = field(default_factory=dict)
    since: dt.date | None = None
    until: dt.date | None = None
    origin: str | None = None
    version: int = 1
    recorded_at: str | None = None

    def valid_on(self, day: dt.date) -> bool:
        return valid_on(self.since, self.until, day)


@dataclass(frozen=True, slots=True)
class Tie:
    """One version of a tie between two nodes.

    ``id`` names the tie across its versions; ``version`` counts from 1. ``origin`` says where
    the information came from (a conversation, an import, the environment scan, …).
    """

    id: str
    kind: RelKind
    source: str
    target: str
    strength: float | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    role: str | None = None
    origin: str | None = None
    props: dict[str, Any] = field(default_factory=dict)
    version: int = 1
    current: bool = True
    recorded_at: str | None = None

    def valid_on(self, day: dt.date) -> bool:
        return valid_on(self.since, self.until, day)

    def other(self, node_id: str) -> str:
        """The end of this tie that is not ``node_id``."""
        return self.target if node_id == self.source else self.source


@dataclass(frozen=True, slots=True)
class Contact:
    """A logged contact moment (conversation, meeting, message) between two nodes."""

    id: str
    a: str
    b: str
    on: dt.date
    mode: str | None = None
    notes: str | None = None
    outcome: str | None = None
    recorded_at: str | None = None


@dataclass(frozen=True, slots=True)
class WorkspaceInfo:
    """A workspace: one library's graph."""

    slug: str
    name: str
    created_at: str
    settings: dict[str, Any] = field(default_factory=dict)


#: Modes of a contact moment.
CONTACT_MODES: tuple[str, ...] = ("conversation", "meeting", "phone", "email", "message", "event")
