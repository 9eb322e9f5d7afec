"""The audit trail: who created, changed, merged or erased what, and when.

Every public write of a :class:`~mapper.store.base.Store` records one :class:`AuditEntry` per
thing it wrote, inside the same transaction as the write itself, so the trail and the data
never disagree. The actor is whoever the store is acting for::

    with store.acting_as("anna@bibliotheek.nl"):
        store.add_node("rijnstad", "Person", "Jan de Vries")

    store.audit("rijnstad", entity=jan.id)      # newest first

``refs`` lists every entity id an entry is about (a tie names its two ends, a contact moment
its two parties); erasing a person removes every entry whose ``refs`` name them, so the trail
keeps no trace of an erased person beyond an anonymous "a Person was erased".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .i18n import N_, format_datetime, gettext
from .labels import field_label, label
from .model import RelKind

#: Actions an entry may record.
CREATE = "create"
UPDATE = "update"
CHANGE = "change"  # a tie's new version from a date
END = "end"  # a tie ended
MERGE = "merge"
ERASE = "erase"
DELETE = "delete"
EDIT = "edit"  # one change made on a worksheet (web, API, CLI), with its reverse for undo
UNDO = "undo"  # the reverse of an EDIT written
ACTIONS: tuple[str, ...] = (CREATE, UPDATE, CHANGE, END, MERGE, ERASE, DELETE, EDIT, UNDO)

#: What an entry can be about.
TARGET_TYPES: tuple[str, ...] = ("node", "tie", "contact", "workspace")

#: The actor recorded when nobody said who is acting (seeding, scripts, tests).
SYSTEM_ACTOR = "system"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the audit trail.

    Attributes
    ----------
    at : str
        UTC time of the write (ISO text, seconds).
    actor : str
        Who did it: an account's e-mail address, ``"local"`` in single-user mode, or
        ``"system"``.
    action : str
        One of :data:`ACTIONS`.
    target_type : str
        One of :data:`TARGET_TYPES`.
    target_id : str or None
        The id of the entity, tie or contact moment (the slug for a workspace); ``None`` for
        an erasure, which keeps no id.
    label : str or None
        A short description at the time of writing (a node's name, a tie's kind).
    refs : tuple of str
        Every id the entry is about.
    detail : dict
        What changed (field names, dates, versions, counts).
    seq : int or None
        Order of recording within the store (assigned by the store).
    """

    at: str
    actor: str
    action: str
    target_type: str
    target_id: str | None = None
    label: str | None = None
    refs: tuple[str, ...] = ()
    detail: dict[str, Any] = field(default_factory=dict)
    seq: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """The entry as plain JSON-safe values."""
        return {
            "seq": self.seq,
            "at": self.at,
            "actor": self.actor,
            "action": self.action,
            "target_type": self.target_type,
            "target_id": self.target_id,
            "label": self.label,
            "refs": list(self.refs),
            "detail": dict(self.detail),
        }


#: Columns of the CSV export of the trail, in order.
CSV_COLUMNS: tuple[str, ...] = (
    "at",
    "actor",
    "action",
    "target_type",
    "target_id",
    "label",
    "detail",
)


def audit_rows(entries: list[AuditEntry]) -> list[list[str]]:
    """The entries as rows of text for a CSV file (header first), oldest first.

    >>> e = AuditEntry("2025-01-01T10:00:00+00:00", "anna", "create", "node", "per-1", "Jan")
    >>> audit_rows([e])[1][:4]
    ['2025-01-01T10:00:00+00:00', 'anna', 'create', 'node']
    """
    import json

    rows = [list(CSV_COLUMNS)]
    for e in sorted(entries, key=lambda e: (e.at, e.seq or 0)):
        rows.append(
            [
                e.at,
                e.actor,
                e.action,
                e.target_type,
                e.target_id or "",
                e.label or "",
                json.dumps(e.detail, ensure_ascii=False, sort_keys=True) if e.detail else "",
            ]
        )
    return rows


# --------------------------------------------------------------------------- for people


def actor_text(actor: str | None) -> str:
    """Who did it, as a person reads it: an account's address as it is, ``local`` as "this
    computer", ``seeds.demo`` as "demo data".

    >>> from mapper.i18n import use_language
    >>> with use_language("nl"):
    ...     actor_text("local"), actor_text("seeds.demo"), actor_text("anna@bieb.nl")
    ('deze computer', 'demogegevens', 'anna@bieb.nl')
    """
    return label(actor, "actor") if actor else ""


def action_text(entry: AuditEntry) -> str:
    """What was done, in words: the action, the fields it changed and the day it holds from.

    >>> from mapper.i18n import use_language
    >>> e = AuditEntry("2026-12-01T10:00:00+00:00", "anna", "change", "tie", "t-1", "KNOWS",
    ...                detail={"changed": ["strength"], "on": "2026-12-01", "version": 2})
    >>> with use_language("nl"):
    ...     action_text(e)
    'gewijzigd vanaf een datum (sterkte), vanaf 1 december 2026'
    """
    from .i18n import format_date

    text = label(entry.action, "action")
    changed = entry.detail.get("changed")
    if changed:
        text += f" ({', '.join(field_label(str(f)) for f in changed)})"
    on = entry.detail.get("on")
    if on:
        text += ", " + gettext("from {day}").format(day=format_date(str(on)))
    return text


def subject_text(entry: AuditEntry) -> str:
    """What the entry is about, in words: "tie: knows", "entity: Jan de Vries", "entity: a
    Person" for an erasure (which keeps no name).

    >>> from mapper.i18n import use_language
    >>> e = AuditEntry("2026-12-01T10:00:00+00:00", "anna", "create", "tie", "t-1", "KNOWS")
    >>> with use_language("nl"):
    ...     subject_text(e)
    'relatie: kent'
    """
    what, name = label(entry.target_type, "target_type"), subject_name(entry)
    return f"{what}: {name}" if name else what


def subject_name(entry: AuditEntry) -> str:
    """The name of what the entry is about: a node's name, a tie's kind in words, the kind of
    what was erased; "" when there is none."""
    if entry.action == ERASE and entry.detail.get("kind"):
        return label(str(entry.detail["kind"]), "kind")
    name = entry.label or ""
    if entry.target_type == "tie" and name in RelKind.__members__.values():
        return label(RelKind(name))
    if entry.target_type == "contact":  # a contact moment is labelled with its mode
        return label(name, "contact_mode")
    return name


#: Column headings of the audit trail as people read it (CSV download, the Logboek).
READABLE_COLUMNS: tuple[str, ...] = (
    N_("When"),
    N_("Who"),
    N_("What was done"),
    N_("Concerning"),
    N_("Name"),
    N_("Id"),
)


def readable_rows(entries: list[AuditEntry]) -> list[list[str]]:
    """The entries as rows of text for people (header first, in the reader's language),
    oldest first: the moment as ``2026-12-01 14:05`` (a spreadsheet reads it as a date), the
    actor, the action and what it concerns in words.

    >>> from mapper.i18n import use_language
    >>> e = AuditEntry("2025-01-01T10:00:00+00:00", "local", "create", "node", "per-1", "Jan")
    >>> with use_language("nl"):
    ...     rows = readable_rows([e])
    >>> rows[0]
    ['Wanneer', 'Wie', 'Wat er gebeurde', 'Betreft', 'Naam', 'Id']
    >>> rows[1]
    ['2025-01-01 10:00', 'deze computer', 'toegevoegd', 'item', 'Jan', 'per-1']
    """
    rows = [[gettext(c) for c in READABLE_COLUMNS]]
    for e in sorted(entries, key=lambda e: (e.at, e.seq or 0)):
        rows.append(
            [
                e.at[:16].replace("T", " "),
                actor_text(e.actor),
                action_text(e),
                label(e.target_type, "target_type"),
                subject_name(e),
                e.target_id or "",
            ]
        )
    return rows


def moment_text(entry: AuditEntry) -> str:
    """When, written out: ``1 december 2026 om 14:05``."""
    return format_datetime(entry.at)
