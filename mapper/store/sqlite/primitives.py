"""The SQLite store's primitives for nodes, ties, contact moments and the audit trail
(the ``_``-prefixed methods of :class:`~mapper.store.base.Store`)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from ... import audit as _audit
from ...audit import AuditEntry
from ...errors import ConflictError
from ...model import Contact, Node, NodeKind, RelKind, Tie
from ..values import fold
from . import audit_refs
from .connection import SQLiteConnection
from .schema import (
    NODE_COLS,
    TIE_COLS,
    _chunks,
    _contact,
    _d,
    _detail_json,
    _insert_many,
    _node,
    _tie,
)


class SQLitePrimitives(SQLiteConnection):
    """The node, tie, contact and audit primitives of :class:`~mapper.store.sqlite.SQLiteStore`."""

    # ------------------------------------------------------------------ nodes

    def _insert_nodes(self, workspace: str, nodes: list[Node]) -> None:
        rows = [
            (
                workspace,
                n.id,
                n.version,
                n.kind.value,
                n.name,
                json.dumps(n.props, ensure_ascii=False),
                _d(n.since),
                _d(n.until),
                n.origin,
                n.recorded_at,
                fold(n.name),
            )
            for n in nodes
        ]
        try:
            self.conn.executemany(
                "INSERT INTO nodes(workspace, id, version, current, kind, name, props, since,"
                " until, origin, recorded_at, folded) VALUES (?,?,?,1,?,?,?,?,?,?,?,?)",
                rows,
            )
        except sqlite3.IntegrityError as exc:
            raise ConflictError(
                "an entity with one of these ids already exists ({exc})", exc=exc
            ) from None

    def _insert_node_version(self, workspace: str, node: Node) -> None:
        self.conn.execute(
            "UPDATE nodes SET current = 0 WHERE workspace = ? AND id = ? AND current = 1",
            (workspace, node.id),
        )
        self._insert_nodes(workspace, [node])

    def _get_nodes(self, workspace: str, node_ids: list[str]) -> dict[str, Node]:
        out: dict[str, Node] = {}
        for chunk in _chunks(node_ids, 500):
            marks = ",".join("?" * len(chunk))
            for row in self._rows(
                f"SELECT {NODE_COLS} FROM nodes WHERE workspace = ? AND current = 1"
                f" AND id IN ({marks})",
                (workspace, *chunk),
            ):
                out[row[0]] = _node(row)
        return out

    def _node_kinds(self, workspace: str, node_ids: set[str]) -> dict[str, NodeKind]:
        # One query for any number of ids (the ids go in as one JSON array), not one per
        # 500: add_ties asks for 40,000 at a time during an import. CROSS JOIN keeps the
        # array as the outer loop (one nodes_current seek per id).
        kinds = {k.value: k for k in NodeKind}
        return {
            id_: kinds[kind]
            for id_, kind in self._rows(
                "SELECT n.id, n.kind FROM json_each(?) AS j CROSS JOIN nodes AS n"
                " ON n.workspace = ? AND n.id = j.value AND n.current = 1",
                (json.dumps(sorted(node_ids)), workspace),
            )
        }

    def _query_nodes(
        self, workspace: str, kinds: list[NodeKind] | None, as_of: dt.date | None
    ) -> Iterator[Node]:
        sql = f"SELECT {NODE_COLS} FROM nodes WHERE workspace = ? AND current = 1"
        params: list[Any] = [workspace]
        if kinds is not None:
            sql += f" AND kind IN ({','.join('?' * len(kinds))})"
            params += [k.value for k in kinds]
        if as_of is not None:
            sql += " AND (since IS NULL OR since <= ?) AND (until IS NULL OR until > ?)"
            params += [as_of.isoformat()] * 2
        sql += " ORDER BY id"
        return iter([_node(r) for r in self._rows(sql, params)])

    def _node_versions(self, workspace: str, node_id: str) -> list[Node]:
        rows = self._rows(
            f"SELECT {NODE_COLS} FROM nodes WHERE workspace = ? AND id = ? ORDER BY version",
            (workspace, node_id),
        )
        return [_node(r) for r in rows]

    # ------------------------------------------------------------------ ties

    def _insert_ties(self, workspace: str, ties: list[Tie]) -> None:
        # a bulk import repeats a few hundred dates: each written as text once
        days: dict[dt.date, str] = {}

        def day(value: dt.date) -> str:
            days[value] = text = value.isoformat()
            return text

        rows = [
            (
                workspace,
                t.id,
                t.version,
                int(t.current),
                t.kind.value,
                t.source,
                t.target,
                t.strength,
                (since := t.since) and (days.get(since) or day(since)),
                (until := t.until) and (days.get(until) or day(until)),
                t.role,
                t.origin,
                json.dumps(t.props, ensure_ascii=False) if t.props else "{}",
                t.recorded_at,
            )
            for t in ties
        ]
        try:
            _insert_many(self.conn, f"INSERT INTO ties(workspace, {TIE_COLS}) VALUES", 14, rows)
        except sqlite3.IntegrityError as exc:
            raise ConflictError(
                "a tie with one of these ids already exists ({exc})", exc=exc
            ) from None

    def _insert_tie_rows(
        self, workspace: str, rows: Sequence[tuple[Any, ...]], at: str, actor: str
    ) -> None:
        """As :meth:`StoreCore._insert_tie_rows`: the ``ties`` rows and their ``create``
        entries straight from the fields, as :meth:`_insert_ties` and
        :meth:`_insert_tie_audit` write them (no :class:`Tie` per row)."""
        days: dict[dt.date, str] = {}  # each date written as text once

        def day(value: dt.date) -> str:
            days[value] = text = value.isoformat()
            return text

        details: dict[int, str] = {}  # {"version": 1} for every new tie: encoded once
        for version in {r[10] for r in rows}:
            details[version] = _detail_json({"version": version})
        ties = [
            (
                workspace,
                id_,
                version,
                int(current),
                kind._value_,
                source,
                target,
                strength,
                since and (days.get(since) or day(since)),
                until and (days.get(until) or day(until)),
                role,
                origin,
                json.dumps(props, ensure_ascii=False) if props else "{}",
                recorded_at,
            )
            for (
                id_,
                kind,
                source,
                target,
                strength,
                since,
                until,
                role,
                origin,
                props,
                version,
                current,
                recorded_at,
            ) in rows
        ]
        create = _audit.CREATE
        entries = [
            (
                workspace,
                at,
                actor,
                create,
                "tie",
                r[0],
                r[1]._value_,
                f" {r[0]} {r[2]} {r[3]} ",
                details[r[10]],
            )
            for r in rows
        ]
        with self._lock:
            try:
                _insert_many(self.conn, f"INSERT INTO ties(workspace, {TIE_COLS}) VALUES", 14, ties)
            except sqlite3.IntegrityError as exc:
                raise ConflictError(
                    "a tie with one of these ids already exists ({exc})", exc=exc
                ) from None
            del ties
            _insert_many(
                self.conn,
                "INSERT INTO audit(workspace, at, actor, action, target_type, target_id, label,"
                " refs, detail) VALUES",
                9,
                entries,
            )

    def _close_tie_version(self, workspace: str, tie_id: str, version: int, until: dt.date) -> None:
        self.conn.execute(
            "UPDATE ties SET until = ?, current = 0 WHERE workspace = ? AND id = ? AND version = ?",
            (until.isoformat(), workspace, tie_id, version),
        )

    def _set_tie_until(self, workspace: str, tie_id: str, version: int, until: dt.date) -> None:
        self.conn.execute(
            "UPDATE ties SET until = ? WHERE workspace = ? AND id = ? AND version = ?",
            (until.isoformat(), workspace, tie_id, version),
        )

    def _tie_versions(self, workspace: str, tie_id: str) -> list[Tie]:
        rows = self._rows(
            f"SELECT {TIE_COLS} FROM ties WHERE workspace = ? AND id = ? ORDER BY version",
            (workspace, tie_id),
        )
        return [_tie(r) for r in rows]

    def _query_ties(
        self,
        workspace: str,
        node: str | None,
        kinds: list[RelKind] | None,
        as_of: dt.date | None,
        history: bool,
    ) -> Iterator[Tie]:
        where = ["workspace = ?"]
        params: list[Any] = [workspace]
        if node is not None:
            # Two index seeks (ties_source, ties_target) give the rows; with a plain OR, or
            # with an indexable "workspace = ?" beside this, the planner scans the whole
            # workspace in primary-key order instead (seen in benchmarks/neo4j_store.py).
            where[0] = "+workspace = ?"
            where.append(
                "rowid IN (SELECT rowid FROM ties WHERE workspace = ? AND source = ?"
                " UNION ALL SELECT rowid FROM ties WHERE workspace = ? AND target = ?)"
            )
            params += [workspace, node, workspace, node]
        if kinds is not None:
            where.append(f"kind IN ({','.join('?' * len(kinds))})")
            params += [k.value for k in kinds]
        if as_of is not None:
            where.append("(since IS NULL OR since <= ?) AND (until IS NULL OR until > ?)")
            params += [as_of.isoformat()] * 2
        elif not history:
            where.append("current = 1")
        sql = f"SELECT {TIE_COLS} FROM ties WHERE {' AND '.join(where)} ORDER BY id, version"
        with self._lock:
            cursor = self.conn.execute(sql, params)
            rows = cursor.fetchall()
        return (_tie(r) for r in rows)

    # ------------------------------------------------------------------ contacts

    def _insert_contacts(self, workspace: str, contacts: list[Contact]) -> None:
        rows = [
            (workspace, c.id, c.a, c.b, c.on.isoformat(), c.mode, c.notes, c.outcome, c.recorded_at)
            for c in contacts
        ]
        try:
            self.conn.executemany(
                "INSERT INTO contacts(workspace, id, a, b, on_date, mode, notes, outcome,"
                " recorded_at) VALUES (?,?,?,?,?,?,?,?,?)",
                rows,
            )
        except sqlite3.IntegrityError as exc:
            raise ConflictError(
                "a contact moment with this id already exists ({exc})", exc=exc
            ) from None

    def _query_contacts(
        self,
        workspace: str,
        node: str | None,
        between: tuple[str, str] | None,
        until: dt.date | None,
    ) -> Iterator[Contact]:
        where = ["workspace = ?"]
        params: list[Any] = [workspace]
        if node is not None:
            where.append("(a = ? OR b = ?)")
            params += [node, node]
        if between is not None:
            x, y = between
            where.append("((a = ? AND b = ?) OR (a = ? AND b = ?))")
            params += [x, y, y, x]
        if until is not None:
            where.append("on_date <= ?")
            params.append(until.isoformat())
        rows = self._rows(
            "SELECT id, a, b, on_date, mode, notes, outcome, recorded_at FROM contacts"
            f" WHERE {' AND '.join(where)} ORDER BY on_date, id",
            params,
        )
        return (_contact(r) for r in rows)

    # ------------------------------------------------------------------ audit, erasure

    def _insert_audit(self, workspace: str, entries: list[AuditEntry]) -> None:
        rows = [
            (
                workspace,
                e.at,
                e.actor,
                e.action,
                e.target_type,
                e.target_id,
                e.label,
                f" {' '.join(e.refs)} ",
                _detail_json(e.detail),
            )
            for e in entries
        ]
        with self._lock:
            _insert_many(
                self.conn,
                "INSERT INTO audit(workspace, at, actor, action, target_type, target_id, label,"
                " refs, detail) VALUES",
                9,
                rows,
            )
            odd = [
                (i, e)
                for i, e in enumerate(entries)
                if not audit_refs.derivable(e.action, e.target_type, e.target_id, e.refs)
            ]
            if odd:
                # AUTOINCREMENT under this transaction's write lock: the seqs just given
                # are consecutive, ending at the last rowid inserted
                first = self.conn.execute("SELECT last_insert_rowid()").fetchone()[0]
                first -= len(entries) - 1
                audit_refs.record(self.conn, ((first + i, workspace, e.refs) for i, e in odd))

    def _insert_tie_audit(self, workspace: str, ties: list[Tie], at: str, actor: str) -> None:
        """As :meth:`Store._insert_tie_audit`, the rows built straight from the ties (no
        :class:`AuditEntry` per tie). Every such entry is derivable
        (:func:`audit_refs.derivable`: a tie's id and its two ends), so no ``audit_refs``."""
        create = _audit.CREATE
        details: dict[int, str] = {}  # {"version": 1} for every new tie: encoded once
        for t in ties:
            if t.version not in details:
                details[t.version] = _detail_json({"version": t.version})
        rows = [
            (
                workspace,
                at,
                actor,
                create,
                "tie",
                t.id,
                t.kind.value,
                f" {t.id} {t.source} {t.target} ",
                details[t.version],
            )
            for t in ties
        ]
        with self._lock:
            _insert_many(
                self.conn,
                "INSERT INTO audit(workspace, at, actor, action, target_type, target_id, label,"
                " refs, detail) VALUES",
                9,
                rows,
            )

    def _query_audit(
        self,
        workspace: str,
        entity: str | None,
        actions: list[str] | None,
        limit: int | None,
    ) -> list[AuditEntry]:
        if entity is not None:
            return self._query_audit_naming(workspace, entity, actions, limit)
        where = ["workspace = ?"]
        params: list[Any] = [workspace]
        if actions:
            where.append(f"action IN ({','.join('?' * len(actions))})")
            params += actions
        sql = (
            "SELECT seq, at, actor, action, target_type, target_id, label, refs, detail"
            f" FROM audit WHERE {' AND '.join(where)} ORDER BY seq DESC"
        )
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return [_audit_entry(r) for r in self._rows(sql, params)]

    def _query_audit_naming(
        self, workspace: str, entity: str, actions: list[str] | None, limit: int | None
    ) -> list[AuditEntry]:
        """The entries whose refs name ``entity``, newest first, found by index (as the
        erasure finds them, :mod:`.audit_refs`: by target, or in ``audit_refs``, among the
        entries about the entity, its ties and its contact moments), not by scanning the
        whole trail's refs: an entity with few entries made that read a province's million."""
        with self._lock:
            ex = self.conn.execute
            ids = {entity}
            # each by its own index (with DISTINCT the planner walks the primary key instead)
            for sql in (
                "SELECT id FROM ties INDEXED BY ties_source WHERE workspace = ? AND source = ?",
                "SELECT id FROM ties INDEXED BY ties_target WHERE workspace = ? AND target = ?",
                "SELECT id FROM contacts INDEXED BY contacts_a WHERE workspace = ? AND a = ?",
                "SELECT id FROM contacts INDEXED BY contacts_b WHERE workspace = ? AND b = ?",
            ):
                ids.update(r[0] for r in ex(sql, (workspace, entity)))
            seqs = audit_refs.entries_naming(self.conn, workspace, sorted(ids))
            found: list[AuditEntry] = []
            extra = f" AND action IN ({','.join('?' * len(actions))})" if actions else ""
            for stop in range(len(seqs), 0, -500):
                chunk = seqs[max(0, stop - 500) : stop]
                rows = ex(
                    "SELECT seq, at, actor, action, target_type, target_id, label, refs, detail"
                    f" FROM audit WHERE workspace = ? AND seq IN ({','.join('?' * len(chunk))})"
                    f" AND instr(refs, ?) > 0{extra} ORDER BY seq DESC",
                    (workspace, *chunk, f" {entity} ", *(actions or ())),
                ).fetchall()
                found += [_audit_entry(r) for r in rows]
                if limit is not None and len(found) >= limit:
                    break
        return found if limit is None else found[: int(limit)]


def _audit_entry(r: Any) -> AuditEntry:
    return AuditEntry(
        seq=r[0],
        at=r[1],
        actor=r[2],
        action=r[3],
        target_type=r[4],
        target_id=r[5],
        label=r[6],
        refs=tuple(r[7].split()),
        detail=json.loads(r[8]),
    )
