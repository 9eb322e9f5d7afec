"""The vocabulary of the map: node and tie kinds, which kinds a tie may join (``TIE_RULES``),
roles, strength steps and their words, bond types, channel and contact modes, id prefixes
and limits.
"""

from __future__ import annotations

import math
from enum import StrEnum

from ..errors import ValidationError
from ..i18n import N_, gettext, use_language


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


#: Modes of a contact moment.
CONTACT_MODES: tuple[str, ...] = ("conversation", "meeting", "phone", "email", "message", "event")
