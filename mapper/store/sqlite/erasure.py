"""The SQLite store's erasure (with ``secure_delete`` and incremental vacuum), records
beside the graph, and the repointing a merge and its undo need."""

from __future__ import annotations

import json
from typing import Any

from ..base import Record
from . import audit_refs
from .connection import SQLiteConnection
from .schema import RECORD_COLS, _chunks, _record


class SQLiteErasure(SQLiteConnection):
    """Erasure, records and merge primitives of :class:`~mapper.store.sqlite.SQLiteStore`."""

    def _erase_node(self, workspace: str, node_id: str) -> dict[str, int]:
        with self.atomic():
            tie_ids = [
                r[0]
                for r in self._rows(
                    # Two index seeks; with a plain OR the planner scans every tie of the
                    # workspace (a minute at a million ties).
                    "SELECT DISTINCT id FROM ties WHERE rowid IN ("
                    "SELECT rowid FROM ties WHERE workspace = ? AND source = ? UNION ALL "
                    "SELECT rowid FROM ties WHERE workspace = ? AND target = ?)",
                    (workspace, node_id, workspace, node_id),
                )
            ]
            contact_ids = [
                r[0]
                for r in self._rows(
                    "SELECT DISTINCT id FROM contacts WHERE rowid IN ("
                    "SELECT rowid FROM contacts WHERE workspace = ? AND a = ? UNION ALL "
                    "SELECT rowid FROM contacts WHERE workspace = ? AND b = ?)",
                    (workspace, node_id, workspace, node_id),
                )
            ]
            counts = {"ties": len(tie_ids), "contacts": len(contact_ids), "audit": 0}
            # The entries whose refs name the node, one of its ties or contact moments, found
            # by index (audit_refs.py), not by scanning the trail (13 s at a million entries).
            named = sorted({node_id, *tie_ids, *contact_ids})
            doomed = audit_refs.entries_naming(self.conn, workspace, named)
            counts["audit"] += audit_refs.delete_entries(self.conn, doomed)
            counts["tie_versions"] = 0
            for chunk in _chunks(tie_ids, 500):
                counts["tie_versions"] += self.conn.execute(
                    f"DELETE FROM ties WHERE workspace = ? AND id IN ({','.join('?' * len(chunk))})",
                    (workspace, *chunk),
                ).rowcount
            self.conn.execute(
                "DELETE FROM contacts WHERE workspace = ? AND (a = ? OR b = ?)",
                (workspace, node_id, node_id),
            )
            counts["versions"] = self.conn.execute(
                "DELETE FROM nodes WHERE workspace = ? AND id = ?", (workspace, node_id)
            ).rowcount
        return counts

    def _compact(self) -> bool:
        """Make deleted data unrecoverable from the files without rewriting the whole file.

        ``secure_delete`` has already overwritten the deleted content with zeros in its pages;
        the WAL, which still holds the pages as they were, is checkpointed into the file and
        truncated to zero bytes, and with ``auto_vacuum = INCREMENTAL`` the free pages are
        handed back (``PRAGMA incremental_vacuum``). A file made before incremental vacuum
        gets one full ``VACUUM`` (which also switches it over), after which erasures are
        quick. False if another connection kept part of the WAL alive (a reader was busy),
        or if called inside a transaction."""
        with self._lock:
            if self._depth:
                return False
            incremental = self.conn.execute("PRAGMA auto_vacuum").fetchone()[0] == 2
            if self.path == ":memory:":
                self.conn.execute("PRAGMA incremental_vacuum" if incremental else "VACUUM")
                return True
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            if incremental:
                self.conn.execute("PRAGMA incremental_vacuum").fetchall()
            else:
                self.conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
                self.conn.execute("VACUUM")
            busy, _, _ = self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            return busy == 0

    def _erase_tie(self, workspace: str, tie_id: str) -> dict[str, int]:
        # for Store.erase_tie
        with self.atomic():
            doomed = audit_refs.entries_naming(self.conn, workspace, [tie_id])
            audit = audit_refs.delete_entries(self.conn, doomed)
            versions = self.conn.execute(
                "DELETE FROM ties WHERE workspace = ? AND id = ?", (workspace, tie_id)
            ).rowcount
        return {"tie_versions": versions, "audit": audit}

    # ------------------------------------------------------------------ records

    def _put_record(self, workspace: str, record: Record) -> None:
        with self._lock:
            self.conn.execute(
                "INSERT OR REPLACE INTO records(workspace, collection, id, body, refs,"
                " created_at, updated_at) VALUES (?,?,?,?,?,?,?)",
                (
                    workspace,
                    record.collection,
                    record.id,
                    json.dumps(record.body, ensure_ascii=False),
                    f" {' '.join(record.refs)} ",
                    record.created_at,
                    record.updated_at,
                ),
            )

    def _get_record(self, workspace: str, collection: str, record_id: str) -> Record | None:
        rows = self._rows(
            f"SELECT {RECORD_COLS} FROM records WHERE workspace = ? AND collection = ? AND id = ?",
            (workspace, collection, record_id),
        )
        return _record(rows[0]) if rows else None

    def _query_records(self, workspace: str, collection: str, ref: str | None) -> list[Record]:
        sql = f"SELECT {RECORD_COLS} FROM records WHERE workspace = ? AND collection = ?"
        params: list[Any] = [workspace, collection]
        if ref is not None:
            sql += " AND instr(refs, ?) > 0"
            params.append(f" {ref} ")
        return [_record(r) for r in self._rows(sql + " ORDER BY created_at, id", params)]

    def _delete_record(self, workspace: str, collection: str, record_id: str) -> bool:
        with self._lock:
            return (
                self.conn.execute(
                    "DELETE FROM records WHERE workspace = ? AND collection = ? AND id = ?",
                    (workspace, collection, record_id),
                ).rowcount
                > 0
            )

    def _delete_records_naming(self, workspace: str, ref: str) -> int:
        with self._lock:
            return self.conn.execute(
                "DELETE FROM records WHERE workspace = ? AND instr(refs, ?) > 0",
                (workspace, f" {ref} "),
            ).rowcount

    def _repoint_ties(
        self,
        workspace: str,
        old: str,
        new: str,
        ties: list[tuple[str, str]],
        contacts: list[tuple[str, str]],
    ) -> None:
        # for Store.unmerge_nodes: the column names come from a fixed set
        with self.atomic():
            ex = self.conn.execute
            # their entries keep naming ``old``: index those refs before the ends move
            audit_refs.keep_refs_of(self.conn, workspace, [t for t, _ in ties + contacts])
            for tie_id, end in ties:
                column = {"source": "source", "target": "target"}[end]
                ex(
                    f"UPDATE ties SET {column} = ? WHERE workspace = ? AND id = ? AND {column} = ?",
                    (new, workspace, tie_id, old),
                )
            for contact_id, end in contacts:
                column = {"a": "a", "b": "b"}[end]
                ex(
                    f"UPDATE contacts SET {column} = ? WHERE workspace = ? AND id = ?"
                    f" AND {column} = ?",
                    (new, workspace, contact_id, old),
                )

    def _repoint_node(self, workspace: str, old: str, new: str) -> None:
        # for Store.merge_nodes
        with self.atomic():
            ex = self.conn.execute
            # the ties and contact moments between the two go, their entries stay, and the
            # entries about ``old`` will name ``new``: index those entries' refs first
            # (audit_refs.py)
            between = [
                r[0]
                for table, x, y in (("ties", "source", "target"), ("contacts", "a", "b"))
                for r in ex(
                    f"SELECT DISTINCT id FROM {table} WHERE workspace = ? AND (({x} = ? AND"
                    f" {y} = ?) OR ({x} = ? AND {y} = ?))",
                    (workspace, old, new, new, old),
                ).fetchall()
            ]
            audit_refs.keep_refs_of(self.conn, workspace, [old, *between])
            ex(
                "DELETE FROM ties WHERE workspace = ? AND ((source = ? AND target = ?)"
                " OR (source = ? AND target = ?))",
                (workspace, old, new, new, old),
            )
            ex(
                "DELETE FROM contacts WHERE workspace = ? AND ((a = ? AND b = ?)"
                " OR (a = ? AND b = ?))",
                (workspace, old, new, new, old),
            )
            ex(
                "UPDATE ties SET source = ? WHERE workspace = ? AND source = ?",
                (new, workspace, old),
            )
            ex(
                "UPDATE ties SET target = ? WHERE workspace = ? AND target = ?",
                (new, workspace, old),
            )
            ex("UPDATE contacts SET a = ? WHERE workspace = ? AND a = ?", (new, workspace, old))
            ex("UPDATE contacts SET b = ? WHERE workspace = ? AND b = ?", (new, workspace, old))
            ex(
                "UPDATE audit SET refs = replace(refs, ?, ?) WHERE workspace = ?"
                " AND instr(refs, ?) > 0",
                (f" {old} ", f" {new} ", workspace, f" {old} "),
            )
            ex(
                "UPDATE audit_refs SET ref = ? WHERE workspace = ? AND ref = ?",
                (new, workspace, old),
            )
            ex("DELETE FROM nodes WHERE workspace = ? AND id = ?", (workspace, old))
