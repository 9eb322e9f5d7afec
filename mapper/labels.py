"""The model's words as people read them.

Kinds, tie kinds, strengths, roles, outcomes, audit actions, lawful bases and measure names are
stored as codes (``person``, ``MEMBER_OF``, ``consent``); a person never reads a code. Each
table here maps the codes of one category to an English message id, translated through
:mod:`mapper.i18n` in the reader's language.

>>> from mapper.i18n import use_language
>>> from mapper.model import NodeKind, RelKind
>>> with use_language("nl"):
...     label(NodeKind.PERSON), label("person", "kind")
('Persoon', 'Persoon')
>>> with use_language("en"):
...     label(RelKind.MEMBER_OF)
'is member of'
"""

from __future__ import annotations

from collections.abc import Mapping

from .i18n import N_, gettext
from .model import NodeKind, RelKind

#: Display words per kind (English message ids).
KIND_LABELS: dict[NodeKind, str] = {
    NodeKind.LIBRARY: N_("Library"),
    NodeKind.STAFF: N_("Staff member"),
    NodeKind.GOAL: N_("Organisation goal"),
    NodeKind.THEME: N_("Theme"),
    NodeKind.PERSON: N_("Person"),
    NodeKind.ORGANISATION: N_("Organisation"),
    NodeKind.ACTIVITY: N_("Activity"),
    NodeKind.CHANNEL: N_("Channel"),
    NodeKind.COMMUNITY: N_("Community"),
    NodeKind.SMART_GOAL: N_("SMART goal"),
}

#: Display words per tie kind, read from source to target (English message ids).
REL_LABELS: dict[RelKind, str] = {
    RelKind.WORKS_AT: N_("works at"),
    RelKind.PURSUES: N_("pursues"),
    RelKind.SERVES: N_("serves"),
    RelKind.ABOUT: N_("is about"),
    RelKind.ACTIVE_ON: N_("is active on"),
    RelKind.KNOWS: N_("knows"),
    RelKind.MEMBER_OF: N_("is member of"),
    RelKind.ORGANISES: N_("organises"),
    RelKind.ATTENDS: N_("takes part in"),
    RelKind.ACTIVE_IN: N_("is active in"),
    RelKind.BOND_WITH: N_("has a bond with"),
    RelKind.HAS_ROLE: N_("has a role in"),
}

#: Every category's table, by name: ``label(code, category)`` looks here.
CATEGORIES: dict[str, Mapping[str, str]] = {
    "kind": {k.value: v for k, v in KIND_LABELS.items()},
    "rel": {k.value: v for k, v in REL_LABELS.items()},
}


def label(value: object, category: str | None = None) -> str:
    """The word for ``value`` (a model enum member, or a code of ``category``) in the reader's
    language; a code no table knows comes back as it is."""
    if isinstance(value, NodeKind):
        return gettext(KIND_LABELS[value])
    if isinstance(value, RelKind):
        return gettext(REL_LABELS[value])
    code = str(value)
    if category is not None:
        table = CATEGORIES.get(category, {})
        if code in table:
            return gettext(table[code])
        folded = _folded(category).get(_fold(code))
        if folded is not None:
            return gettext(folded)
    return code


def _fold(code: str) -> str:
    return code.replace("_", "").replace("-", "").replace(" ", "").lower()


def _folded(category: str) -> dict[str, str]:
    """The table of ``category`` by folded code: ``person``, ``smart_goal``, ``member-of``."""
    return {_fold(k): v for k, v in CATEGORIES.get(category, {}).items()}
