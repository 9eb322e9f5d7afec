"""The Dutch (and common English) words a template's cells accept, and the Dutch words an
export writes: kinds, tie kinds, contact modes, roles, yes and no, and an activity's
organisers and attendees.

>>> parse_node_kind("organisatie").value, parse_rel_kind("lid van").value
('Organisation', 'MEMBER_OF')
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..errors import ValidationError
from ..model import CONTACT_MODES, NodeKind, RelKind, node_kind, rel_kind
from ..store.base import fold

#: Dutch (and common English) words for node kinds.
NODE_KIND_WORDS: dict[str, NodeKind] = {
    "persoon": NodeKind.PERSON,
    "individu": NodeKind.PERSON,
    "bewoner": NodeKind.PERSON,
    "person": NodeKind.PERSON,
    "individual": NodeKind.PERSON,
    "organisatie": NodeKind.ORGANISATION,
    "organization": NodeKind.ORGANISATION,
    "bibliotheek": NodeKind.LIBRARY,
    "medewerker": NodeKind.STAFF,
    "doel": NodeKind.GOAL,
    "organisatiedoel": NodeKind.GOAL,
    "thema": NodeKind.THEME,
    "activiteit": NodeKind.ACTIVITY,
    "kanaal": NodeKind.CHANNEL,
    "smart-doel": NodeKind.SMART_GOAL,
    "smart doel": NodeKind.SMART_GOAL,
    "smartdoel": NodeKind.SMART_GOAL,
    "smart goal": NodeKind.SMART_GOAL,
}

#: The Dutch word written for each node kind in templates and exports.
NODE_KIND_DUTCH: dict[NodeKind, str] = {
    NodeKind.PERSON: "persoon",
    NodeKind.ORGANISATION: "organisatie",
    NodeKind.LIBRARY: "bibliotheek",
    NodeKind.STAFF: "medewerker",
    NodeKind.GOAL: "doel",
    NodeKind.THEME: "thema",
    NodeKind.ACTIVITY: "activiteit",
    NodeKind.CHANNEL: "kanaal",
    NodeKind.COMMUNITY: "community",
    NodeKind.SMART_GOAL: "smart-doel",
}

#: Dutch words for tie kinds.
REL_KIND_WORDS: dict[str, RelKind] = {
    "werkt bij": RelKind.WORKS_AT,
    "streeft na": RelKind.PURSUES,
    "dient": RelKind.SERVES,
    "over": RelKind.ABOUT,
    "gaat over": RelKind.ABOUT,
    "actief op": RelKind.ACTIVE_ON,
    "kent": RelKind.KNOWS,
    "lid van": RelKind.MEMBER_OF,
    "organiseert": RelKind.ORGANISES,
    "neemt deel aan": RelKind.ATTENDS,
    "bezoekt": RelKind.ATTENDS,
    "actief in": RelKind.ACTIVE_IN,
    "band met": RelKind.BOND_WITH,
    "heeft rol": RelKind.HAS_ROLE,
}

#: The Dutch words written for each tie kind in exports.
REL_KIND_DUTCH: dict[RelKind, str] = {}
for _word, _kind in REL_KIND_WORDS.items():
    REL_KIND_DUTCH.setdefault(_kind, _word)

#: Dutch words for contact modes.
CONTACT_MODE_WORDS: dict[str, str] = {
    "gesprek": "conversation",
    "ontmoeting": "meeting",
    "telefoon": "phone",
    "telefonisch": "phone",
    "e-mail": "email",
    "mail": "email",
    "bericht": "message",
    "evenement": "event",
}
CONTACT_MODE_DUTCH: dict[str, str] = {}
for _word, _mode in CONTACT_MODE_WORDS.items():
    CONTACT_MODE_DUTCH.setdefault(_mode, _word)

#: Dutch words for roles on ties.
ROLE_WORDS: dict[str, str] = {
    "lid": "member",
    "ambassadeur": "ambassador",
    "bestuur": "board",
    "bestuurslid": "board",
    "vrijwilliger": "volunteer",
    "medewerker": "employee",
    "oprichter": "founder",
    "bouwer": "builder",
    "verbinder": "connector",
    "aanjager": "driver",
    "organisator": "organiser",
    "mede-organisator": "co-organiser",
    "gastheer": "host",
    "gastvrouw": "host",
}

#: Words after an activity's name, in brackets, saying who organises or takes part:
#: "Repair Café (organisator)". A person's activities are taken part in unless so marked;
#: an organisation's are organised unless marked "(deelnemer)".
ORGANISER_WORDS = frozenset({"organisator", "organiser", "organizer", "organiseert", "organiseren"})
ATTENDEE_WORDS = frozenset(
    {"deelnemer", "deelname", "neemt deel", "bezoeker", "attends", "attendee"}
)
_MARKED = re.compile(r"^(?P<name>.*?)\s*\((?P<mark>[^()]*)\)\s*$")


def activity_role(item: str) -> tuple[str, bool | None]:
    """An activities cell item split into the activity's name and whether the row organises it
    (True), takes part (False) or does not say (None).

    >>> activity_role("Repair Café (organisator)"), activity_role("Klusavond")
    (('Repair Café', True), ('Klusavond', None))
    >>> activity_role("Taalcafé (deelnemer)"), activity_role("Café (de Brug)")
    (('Taalcafé', False), ('Café (de Brug)', None))
    """
    found = _MARKED.match(item)
    if found:
        mark = fold(found["mark"]).strip()
        if mark in ORGANISER_WORDS:
            return found["name"], True
        if mark in ATTENDEE_WORDS:
            return found["name"], False
    return item, None


#: Kinds whose "activiteiten" are taken part in (ATTENDS) unless the item says organiser.
ATTENDING_KINDS = frozenset({NodeKind.PERSON, NodeKind.STAFF})


def activities_cell(kind: NodeKind, organised: str) -> str:
    """The "activiteiten" cell an export writes for the activities an entity organises:
    marked "(organisator)" for a person or staff member, whose plain items mean taking part.

    >>> activities_cell(NodeKind.PERSON, "Klusavond; Repair Café")
    'Klusavond (organisator); Repair Café (organisator)'
    >>> activities_cell(NodeKind.ORGANISATION, "Repair Café")
    'Repair Café'
    """
    if kind not in ATTENDING_KINDS or not organised:
        return organised
    return "; ".join(f"{name} (organisator)" for name in organised.split("; "))


YES_WORDS = frozenset({"ja", "j", "yes", "y", "x", "1", "true", "waar", "✓", "v"})
NO_WORDS = frozenset({"nee", "n", "no", "0", "false", "onwaar", "-"})


@lru_cache(maxsize=1024)
def parse_node_kind(text: str) -> NodeKind:
    """A node kind from its Dutch word or model name; ValidationError otherwise."""
    key = fold(str(text))
    if key in NODE_KIND_WORDS:
        return NODE_KIND_WORDS[key]
    try:
        return node_kind(str(text).replace("-", "").replace(" ", ""))
    except ValidationError:
        words = ", ".join(NODE_KIND_DUTCH.values())
        raise ValidationError(
            "kind {text!r} is not known (use {words})",
            field="kind",
            value=text,
            text=text,
            words=words,
        ) from None


@lru_cache(maxsize=1024)
def parse_rel_kind(text: str) -> RelKind:
    """A tie kind from its Dutch words or model name; ValidationError otherwise."""
    key = fold(str(text))
    if key in REL_KIND_WORDS:
        return REL_KIND_WORDS[key]
    try:
        return rel_kind(text)
    except ValidationError:
        words = ", ".join(REL_KIND_WORDS)
        raise ValidationError(
            "tie kind {text!r} is not known (use {words}, or the model names)",
            field="kind",
            value=text,
            text=text,
            words=words,
        ) from None


@lru_cache(maxsize=1024)
def parse_contact_mode(text: str) -> str:
    """A contact mode from its Dutch word or model name; ValidationError otherwise."""
    key = fold(str(text))
    if key in CONTACT_MODES:
        return key
    if key in CONTACT_MODE_WORDS:
        return CONTACT_MODE_WORDS[key]
    words = ", ".join(CONTACT_MODE_DUTCH.values())
    raise ValidationError(
        "form {text!r} is not known (use {words})", field="mode", value=text, text=text, words=words
    )


def parse_role(text: str) -> str:
    """A tie role from its Dutch word or model name (checked against the tie kind later)."""
    key = fold(str(text))
    return ROLE_WORDS.get(key, key)
