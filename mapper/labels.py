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
from .model import STRENGTH_STEPS, NodeKind, RelKind

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

#: The five strength steps (1–5, see :data:`mapper.model.STRENGTH_STEPS`), by step.
STRENGTH_LABELS: dict[int, str] = {step: en for step, _nl, en in STRENGTH_STEPS}

#: Roles a tie may carry (:data:`mapper.model.ROLES`), the three library roles among them.
ROLE_LABELS: dict[str, str] = {
    "member": N_("member"),
    "ambassador": N_("ambassador"),
    "board": N_("board"),
    "volunteer": N_("volunteer"),
    "employee": N_("employee"),
    "founder": N_("founder"),
    "builder": N_("builder"),
    "connector": N_("connector"),
    "driver": N_("driver"),
    "organiser": N_("organiser"),
    "co-organiser": N_("co-organiser"),
    "host": N_("host"),
}

#: What a community's members share (werkblad 4, :data:`mapper.model.BOND_TYPES`).
BOND_TYPE_LABELS: dict[str, str] = {
    "geography": N_("geography"),
    "identity": N_("identity"),
    "affinity": N_("affinity"),
}

#: Where a channel is (:data:`mapper.model.CHANNEL_MODES`).
CHANNEL_MODE_LABELS: dict[str, str] = {"online": N_("online"), "offline": N_("offline")}

#: How a contact moment took place (:data:`mapper.model.CONTACT_MODES`).
CONTACT_MODE_LABELS: dict[str, str] = {
    "conversation": N_("conversation"),
    "meeting": N_("meeting"),
    "phone": N_("phone"),
    "email": N_("email"),
    "message": N_("message"),
    "event": N_("event"),
}

#: How a conversation went (:data:`mapper.services.warm.OUTCOMES`).
OUTCOME_LABELS: dict[str, str] = {
    "follow-up": N_("Follow-up agreed"),
    "positive": N_("Positive, no follow-up yet"),
    "neutral": N_("Neutral"),
    "not-now": N_("Not now"),
}

#: What an audit entry records (:data:`mapper.audit.ACTIONS`).
AUDIT_ACTION_LABELS: dict[str, str] = {
    "create": N_("added"),
    "update": N_("changed"),
    "change": N_("changed from a date"),
    "end": N_("ended"),
    "merge": N_("merged"),
    "erase": N_("erased"),
    "delete": N_("deleted"),
    "edit": N_("changed on a worksheet"),
    "undo": N_("undone"),
}

#: What an audit entry is about (:data:`mapper.audit.TARGET_TYPES`).
AUDIT_TARGET_LABELS: dict[str, str] = {
    "node": N_("entity"),
    "tie": N_("tie"),
    "contact": N_("contact moment"),
    "workspace": N_("workspace"),
}

#: Who did something, when it was not a person with an account.
ACTOR_LABELS: dict[str, str] = {
    "local": N_("this computer"),
    "system": N_("the application itself"),
    "seeds.demo": N_("demo data"),
}

#: The lawful bases of AVG article 6(1) (:data:`mapper.policy.LAWFUL_BASES`).
LAWFUL_BASIS_LABELS: dict[str, str] = {
    "consent": N_("consent"),
    "contract": N_("contract"),
    "legal_obligation": N_("legal obligation"),
    "vital_interest": N_("vital interest"),
    "public_task": N_("public task"),
    "legitimate_interest": N_("legitimate interest"),
}

#: The measures of a community (:data:`mapper.analysis.community.METRICS`) and of a SMART goal
#: (:data:`mapper.analysis.goals.GOAL_METRICS`).
MEASURE_LABELS: dict[str, str] = {
    "members": N_("Members"),
    "organisations": N_("Partner organisations"),
    "ties": N_("Ties among members"),
    "average_strength": N_("Average strength of those ties"),
    "density": N_("Density"),
    "components": N_("Separate groups"),
    "largest_component_share": N_("Share in the largest group"),
    "clustering": N_("Clustering"),
    "bonded": N_("Direct bond with the library"),
    "library_reach": N_("Within two steps of the library"),
    "ambassadors": N_("Ambassadors"),
    "activities_30d": N_("Activities, last 30 days"),
    "activities_90d": N_("Activities, last 90 days"),
    "activities_per_month": N_("Activities per month (last three months)"),
    "roles_filled": N_("Library roles filled"),
    "staff": N_("Library staff in a role"),
    "manual": N_("Measured by hand"),
}

#: The fields of an entity, a tie and a contact moment as the audit trail names them when
#: they change (``props.<key>`` names a detail: see :func:`field_label`).
FIELD_LABELS: dict[str, str] = {
    "name": N_("name"),
    "kind": N_("kind"),
    "since": N_("valid from"),
    "until": N_("valid until"),
    "origin": N_("source"),
    "strength": N_("strength"),
    "role": N_("role"),
    "props": N_("details"),
    "version": N_("version"),
    "description": N_("description"),
    "neighbourhood": N_("neighbourhood"),
    "lawful_basis": N_("lawful basis"),
    "data_source": N_("where the data came from"),
    "type": N_("type"),
    "place": N_("place"),
    "mode": N_("online or offline"),
    "job_title": N_("job title"),
    "bond_type": N_("bond type"),
    "traits": N_("traits"),
    "vision": N_("vision"),
    "town": N_("town"),
    "address": N_("address"),
    "metric": N_("measure"),
    "target": N_("target value"),
    "deadline": N_("deadline"),
    "notes": N_("notes"),
    "outcome": N_("outcome"),
}

#: Where an answer to an invitation stands (:mod:`mapper.invitations`).
ANSWER_STATUS_LABELS: dict[str, str] = {
    "pending": N_("waiting to be checked by the library"),
    "accepted": N_("taken over on the map"),
}

#: Who answered an invitation.
ANSWER_AS_LABELS: dict[str, str] = {
    "person": N_("as a person"),
    "organisation": N_("for an organisation"),
}

#: What an import would do to an entity, a tie or a contact moment (the import plan's
#: counts: ``entities_create`` …, :meth:`mapper.io.plan.ImportPlan.summary`).
IMPORT_ACTION_LABELS: dict[str, str] = {
    "create": N_("new"),
    "update": N_("updated"),
    "change": N_("changed"),
    "match": N_("unchanged"),
}

#: Why two entities look alike (:func:`mapper.io.matching.find_duplicates`).
DUPLICATE_REASON_LABELS: dict[str, str] = {
    "same name": N_("same name"),
    "similar name": N_("similar name"),
    "same e-mail": N_("same e-mail address"),
    "same phone": N_("same phone number"),
    "same organisation": N_("same surname and initial, member of the same organisation"),
}

#: A CSV file's column delimiter (:class:`mapper.io.found.FileFormat`).
DELIMITER_LABELS: dict[str, str] = {
    "semicolon": N_("semicolon"),
    "comma": N_("comma"),
    "tab": N_("tab"),
}

#: A CSV file's encoding, where its description has words (:class:`mapper.io.found.FileFormat`;
#: the plain names of encodings, ``UTF-8``, are :data:`mapper.io.found.ENCODING_NAMES`).
ENCODING_LABELS: dict[str, str] = {"utf-8-sig": N_("UTF-8 with BOM")}

#: Every category's table, by name: ``label(code, category)`` looks here.
CATEGORIES: dict[str, Mapping[str, str]] = {
    "kind": {k.value: v for k, v in KIND_LABELS.items()},
    "rel": {k.value: v for k, v in REL_LABELS.items()},
    "strength": {str(step): word for step, word in STRENGTH_LABELS.items()},
    "role": ROLE_LABELS,
    "bond_type": BOND_TYPE_LABELS,
    "channel_mode": CHANNEL_MODE_LABELS,
    "contact_mode": CONTACT_MODE_LABELS,
    "outcome": OUTCOME_LABELS,
    "action": AUDIT_ACTION_LABELS,
    "target_type": AUDIT_TARGET_LABELS,
    "actor": ACTOR_LABELS,
    "lawful_basis": LAWFUL_BASIS_LABELS,
    "measure": MEASURE_LABELS,
    "field": FIELD_LABELS,
    "answer_status": ANSWER_STATUS_LABELS,
    "answer_as": ANSWER_AS_LABELS,
    "import_action": IMPORT_ACTION_LABELS,
    "duplicate_reason": DUPLICATE_REASON_LABELS,
    "delimiter": DELIMITER_LABELS,
    "encoding": ENCODING_LABELS,
}


def label(value: object, category: str | None = None) -> str:
    """The word for ``value`` (a model enum member, or a code of ``category``) in the reader's
    language; a code no table knows comes back as it is."""
    if isinstance(value, NodeKind):
        return gettext(KIND_LABELS[value])
    if isinstance(value, RelKind):
        return gettext(REL_LABELS[value])
    if value is None:
        return ""
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


def field_label(name: str) -> str:
    """The word for a field name as the audit trail records it: ``since``, ``props.town``.

    >>> from mapper.i18n import use_language
    >>> with use_language("nl"):
    ...     field_label("since"), field_label("props.lawful_basis"), field_label("props.colour")
    ('geldig vanaf', 'grondslag', 'colour')
    """
    key = name.removeprefix("props.")
    return label(key, "field")
