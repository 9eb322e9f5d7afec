"""Which audit entries name an id, found by index (for erasure) instead of a scan.

An erasure must delete every audit entry whose ``refs`` name the person, one of their ties or
one of their contact moments. Scanning ``refs`` with ``instr`` reads the whole trail (13 s
for 1.1 million entries on the province benchmark). Instead:

- ``audit_target`` indexes ``audit(workspace, target_id)``;
- almost every entry is *derivable*: its refs are its target alone, or, for a tie or contact
  moment the store created, changed or ended, the target and its two ends
  (:func:`derivable`). Such an entry names an id only as its target or as an end of that
  tie or contact moment, and the erasure finds those ties and contact moments in their own
  tables, so the entry is found by ``target_id``;
- every other entry (edits and their undo, undoing a merge, records written by other code)
  has one row per ref in ``audit_refs(workspace, ref, seq)``, indexed by ref;
- where a tie or contact moment stops having its entries' ends (a merge removes the ties
  between the two, an undone merge moves ties back), :func:`keep_refs_of` gives those
  entries their ``audit_refs`` rows first.

So ``target_id IN (ids) UNION audit_refs.ref IN (ids)`` finds exactly the entries a scan
finds (``tests/store/test_store_audit_refs.py`` compares the two on merges, undos and edits).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from ... import audit as _audit
from .schema import sorting

SCHEMA = """
CREATE TABLE IF NOT EXISTS audit_refs (
    workspace TEXT NOT NULL,
    ref TEXT NOT NULL,
    seq INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_refs_ref ON audit_refs(workspace, ref);
CREATE INDEX IF NOT EXISTS audit_refs_seq ON audit_refs(seq);
"""

#: The index of audit entries by target (rebuilt once after a bulk write, as the tie indexes).
TARGET_INDEX = ("audit_target", "audit", "workspace, target_id")

_ENDED = (_audit.CREATE, _audit.CHANGE, _audit.END)


def derivable(action: str, target_type: str, target_id: str | None, refs: Sequence[str]) -> bool:
    """True when the entry's refs are its target alone (or none), or a tie's or contact
    moment's id and its two ends on an entry the store writes for them.

    >>> derivable("create", "tie", "tie-1", ("tie-1", "per-1", "org-1"))
    True
    >>> derivable("edit", "tie", "tie-1", ("tie-1", "per-1", "org-1"))
    False
    """
    if not refs or tuple(refs) == (target_id,):
        return True
    return (
        target_type in ("tie", "contact")
        and action in _ENDED
        and len(refs) == 3
        and refs[0] == target_id
    )


#: The entries the release before the table read to fill it, for :func:`derivable` to
#: decide: every entry whose refs text is not one space or its target alone.
_NOT_TARGET_ALONE = """
SELECT seq, workspace, action, target_type, target_id, refs FROM audit
WHERE refs != ' ' AND refs != ' ' || coalesce(target_id, '') || ' '
"""
#: The same, less the entries SQL can tell are derivable, when ``' '`` is the only whitespace
#: in refs and target ids (:func:`_spaces_only`; splitting on ``' '`` is then ``str.split``):
#: refs of spaces only, and a tie's or contact moment's entry of an action in
#: :data:`_ENDED` with refs ``' <target> <a> <b> '`` (one per tie: most of the trail).
#: :func:`derivable` decides the few left, so the rows written are the same.
_MAYBE_ODD = (
    _NOT_TARGET_ALONE
    + """AND NOT coalesce(
    (target_type IN ('tie', 'contact') AND action IN (?, ?, ?)
     AND target_id != '' AND instr(target_id, ' ') = 0
     AND substr(refs, 1, length(target_id) + 2) = ' ' || target_id || ' '
     AND substr(refs, -1) = ' '
     AND length(refs) - length(replace(refs, ' ', '')) = 4
     AND instr(refs, '  ') = 0)
    OR trim(refs, ' ') = '',
    0)
"""
)
#: Entries per :func:`_spaces_only` query.
_STEP = 65_536


def _spaces_only(conn: sqlite3.Connection) -> bool:
    """True when no entry's refs or target id holds whitespace other than ``' '`` (or any
    character :meth:`str.isprintable` refuses): read as one text per few thousand
    entries."""
    top = conn.execute("SELECT max(seq) FROM audit").fetchone()[0] or 0
    for low in range(0, top, _STEP):
        (text,) = conn.execute(
            "SELECT group_concat(refs || coalesce(target_id, ''), '') FROM audit"
            " WHERE seq > ? AND seq <= ?",
            (low, low + _STEP),
        ).fetchone()
        if text is not None and not text.isprintable():
            return False
    return True


def create(conn: sqlite3.Connection) -> None:
    """The table and indexes; a file made before them gets the rows of its entries that
    are not derivable: SQL leaves out in one pass the entries derivable by their shape, and
    :func:`derivable` decides the few others; then the indexes are built. The caller's
    transaction holds it all: a process killed halfway leaves the file as it was, and the
    next open does it again."""
    new = not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'audit_refs'").fetchall()
    name, table, columns = TARGET_INDEX
    with sorting(conn):  # first, before this transaction has changed pages
        conn.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table}({columns})")
    statements = [s for s in SCHEMA.split(";") if s.strip()]
    conn.execute(statements[0])  # the table; its indexes once it is filled
    if new:
        rows = (
            conn.execute(_MAYBE_ODD, _ENDED)
            if _spaces_only(conn)
            else conn.execute(_NOT_TARGET_ALONE)
        )
        record(
            conn,
            (
                (seq, ws, split)
                for seq, ws, action, kind, target, refs in rows
                if not derivable(action, kind, target, split := refs.split())
            ),
        )
    for statement in statements[1:]:
        conn.execute(statement)


def record(conn: sqlite3.Connection, entries: Iterable[tuple[int, str, Sequence[str]]]) -> None:
    """``audit_refs`` rows for ``(seq, workspace, refs)``."""
    conn.executemany(
        "INSERT INTO audit_refs(workspace, ref, seq) VALUES (?, ?, ?)",
        [(ws, ref, seq) for seq, ws, refs in entries for ref in dict.fromkeys(refs)],
    )


def keep_refs_of(conn: sqlite3.Connection, workspace: str, target_ids: Sequence[str]) -> None:
    """Give the entries about these ties or contact moments ``audit_refs`` rows (before their
    ends change or they are deleted while their entries stay)."""
    for chunk in _chunks(list(target_ids), 500):
        rows = conn.execute(
            "SELECT seq, refs FROM audit WHERE workspace = ? AND target_id IN"
            f" ({','.join('?' * len(chunk))})",
            (workspace, *chunk),
        ).fetchall()
        record(conn, ((seq, workspace, refs.split()) for seq, refs in rows))


def entries_naming(conn: sqlite3.Connection, workspace: str, ids: Sequence[str]) -> list[int]:
    """The seqs of the entries whose refs name one of ``ids``, by index."""
    found: set[int] = set()
    for chunk in _chunks(sorted(set(ids)), 400):
        marks = ",".join("?" * len(chunk))
        found.update(
            row[0]
            for row in conn.execute(
                f"SELECT seq FROM audit WHERE workspace = ? AND target_id IN ({marks})"
                f" UNION SELECT seq FROM audit_refs WHERE workspace = ? AND ref IN ({marks})",
                (workspace, *chunk, workspace, *chunk),
            )
        )
    return sorted(found)


def delete_entries(conn: sqlite3.Connection, seqs: Sequence[int]) -> int:
    """Delete these entries and their ``audit_refs`` rows; how many entries went."""
    deleted = 0
    for chunk in _chunks(list(seqs), 500):
        marks = ",".join("?" * len(chunk))
        conn.execute(f"DELETE FROM audit_refs WHERE seq IN ({marks})", chunk)
        deleted += conn.execute(f"DELETE FROM audit WHERE seq IN ({marks})", chunk).rowcount
    return deleted


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
