"""Making the map by hand: add, change and end entities and ties on the worksheets, and undo
a change.

Every function here is one *change* a librarian makes (in the browser, through the API or on
the command line): it runs in one transaction (all or nothing), writes through the store (so
it is validated, versioned and audited like an import), and records one ``edit`` entry in the
audit trail holding the *reverse* of what it wrote. :func:`undo` writes that reverse as a new
change — history stays honest: nothing is deleted, the undone versions stay visible, and the
trail shows both the change and its undo.

The package by job: :mod:`.change` (a change, its reverse and its errors), :mod:`.values`
(reading and checking what a form gives: kinds, strengths, roles, details, which entity a
field names), :mod:`.entities`, :mod:`.ties` and :mod:`.undo` (recent changes and undoing
one).

Examples
--------
>>> from mapper.store import SQLiteStore
>>> ws = SQLiteStore(":memory:").create_workspace("voorbeeld", "Bibliotheek Voorbeeld")
>>> theme = add_entity(ws, "thema", "duurzaamheid", library_theme=True).node
>>> cafe = add_entity(ws, "organisatie", "Repair Café Noord", theme=theme.id,
...                   bond=True, bond_strength="sterk").node
>>> sorted((t.kind.value, t.strength) for t in ws.ties(node=cafe.id))
[('ACTIVE_ON', None), ('BOND_WITH', 0.8)]
>>> bond = next(ws.ties(node=cafe.id, kind="BOND_WITH"))
>>> change = change_tie(ws, bond.id, strength="zwak")
>>> [v.strength for v in ws.tie_history(bond.id)]
[0.8, 0.4]
>>> undone = undo(ws, change.seq)
>>> [v.strength for v in ws.tie_history(bond.id)]
[0.8, 0.4, 0.8]
"""

from __future__ import annotations

from ...model import NodeKind, RelKind
from ...store.base import UNSET as UNSET
from .change import FIELD_LABELS, Change, EditError, UnknownRef, today
from .entities import add_entity, add_signal, end_entity, update_entity
from .ties import add_tie, change_tie, end_tie, set_library_theme
from .undo import RECENT_LIMIT, UNDO_WINDOW, RecentChange, recent_changes, undo
from .values import (
    ABOUT_KINDS,
    ACTIVE_ON_KINDS,
    DETAIL_FIELDS,
    clean_details,
    library,
    orient,
    parse_kind,
    parse_tie_kind,
    resolve,
    role_value,
    strength_value,
)
from .values import _check_people_allowed as _check_people_allowed

#: The short names the services use (``edit.K``, ``edit.R``).
K = NodeKind
R = RelKind

__all__ = [
    "ABOUT_KINDS",
    "ACTIVE_ON_KINDS",
    "Change",
    "DETAIL_FIELDS",
    "EditError",
    "FIELD_LABELS",
    "RECENT_LIMIT",
    "RecentChange",
    "UNDO_WINDOW",
    "UnknownRef",
    "add_entity",
    "add_signal",
    "add_tie",
    "change_tie",
    "clean_details",
    "end_entity",
    "end_tie",
    "library",
    "orient",
    "parse_kind",
    "parse_tie_kind",
    "recent_changes",
    "resolve",
    "role_value",
    "set_library_theme",
    "strength_value",
    "today",
    "undo",
    "update_entity",
]
