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

The package by job: :mod:`.vocabulary` (the kinds, which kinds a tie may join, roles,
strength steps and words, limits), :mod:`.checks` (validation of every value a store
writes) and :mod:`.values` (the value types :class:`Node`, :class:`Tie`, :class:`Contact`,
:class:`WorkspaceInfo`, and the time helpers they use).

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

from .checks import (
    BIDI_CONTROLS_RE,
    FIELD_WORDS,
    check_date,
    check_interval,
    check_name,
    check_props,
    check_role,
    check_strength,
    check_text,
    check_tie_kinds,
    field_word,
    node_kind,
    rel_kind,
    strip_bidi,
)
from .values import Contact, Node, Tie, WorkspaceInfo, add_months, valid_on
from .vocabulary import (
    BOND_TYPES,
    CHANNEL_MODES,
    COMMUNITY_ROLES,
    CONTACT_MODES,
    ID_PREFIX,
    MAX_COMMUNITY_STAFF,
    MAX_NAME_LENGTH,
    MAX_PROPS_DEPTH,
    MAX_TEXT_LENGTH,
    ROLES,
    STRENGTH_STEPS,
    SYMMETRIC,
    TIE_RULES,
    NodeKind,
    RelKind,
    step_strength,
    strength_label,
    strength_step,
)

__all__ = [
    "BIDI_CONTROLS_RE",
    "BOND_TYPES",
    "CHANNEL_MODES",
    "COMMUNITY_ROLES",
    "CONTACT_MODES",
    "Contact",
    "FIELD_WORDS",
    "ID_PREFIX",
    "MAX_COMMUNITY_STAFF",
    "MAX_NAME_LENGTH",
    "MAX_PROPS_DEPTH",
    "MAX_TEXT_LENGTH",
    "Node",
    "NodeKind",
    "ROLES",
    "RelKind",
    "STRENGTH_STEPS",
    "SYMMETRIC",
    "TIE_RULES",
    "Tie",
    "WorkspaceInfo",
    "add_months",
    "check_date",
    "check_interval",
    "check_name",
    "check_props",
    "check_role",
    "check_strength",
    "check_text",
    "check_tie_kinds",
    "field_word",
    "node_kind",
    "rel_kind",
    "step_strength",
    "strength_label",
    "strength_step",
    "strip_bidi",
    "valid_on",
]
