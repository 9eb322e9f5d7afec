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
