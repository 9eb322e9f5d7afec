"""The embedded store: one SQLite file (WAL mode, foreign keys on) holds every workspace.

Tables
------
``workspaces``    one row per library graph.
``nodes``         one row per node *version*; ``current = 1`` marks the latest.
``ties``          one row per tie *version*; ``current = 1`` marks the latest.
``contacts``      logged contact moments.
``audit``         the audit trail: who wrote what, when (``refs`` holds the ids an entry is
                  about, space-separated with a space at each end, for erasure).
``records``       small documents beside the graph (invitations and their answers), with
                  ``refs`` as in ``audit``.

The connection runs with ``secure_delete`` on, and :meth:`SQLiteStore.erase_node` ends with a
WAL checkpoint and an incremental vacuum, so erased data is gone from the file's bytes.
Dates are ISO text (``YYYY-MM-DD``), so comparisons in SQL are plain text comparisons.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..audit import AuditEntry
from ..errors import ConflictError, StoreUnavailableError
from ..model import Contact, Node, NodeKind, RelKind, Tie, WorkspaceInfo
from .base import Record, Store

SCHEMA_VERSION = 1
#: Largest page cache per connection, in KiB (owner: io, for bulk imports).
CACHE_KIB = 128 * 1024

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS workspaces (
    slug TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    settings TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS nodes (
    workspace TEXT NOT NULL REFERENCES workspaces(slug) ON DELETE CASCADE,
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    current INTEGER NOT NULL DEFAULT 1,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    props TEXT NOT NULL DEFAULT '{}',
    since TEXT,
    until TEXT,
    origin TEXT,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (workspace, id, version)
);
CREATE UNIQUE INDEX IF NOT EXISTS nodes_current ON nodes(workspace, id) WHERE current = 1;
CREATE INDEX IF NOT EXISTS nodes_kind ON nodes(workspace, kind) WHERE current = 1;
CREATE TABLE IF NOT EXISTS ties (
    workspace TEXT NOT NULL REFERENCES workspaces(slug) ON DELETE CASCADE,
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    current INTEGER NOT NULL DEFAULT 1,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    strength REAL CHECK (strength IS NULL OR (strength >= 0 AND strength <= 1)),
    since TEXT,
    until TEXT,
    role TEXT,
    origin TEXT,
    props TEXT NOT NULL DEFAULT '{}',
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (workspace, id, version)
);
CREATE INDEX IF NOT EXISTS ties_source ON ties(workspace, source);
CREATE INDEX IF NOT EXISTS ties_target ON ties(workspace, target);
CREATE TABLE IF NOT EXISTS contacts (
    workspace TEXT NOT NULL REFERENCES workspaces(slug) ON DELETE CASCADE,
    id TEXT NOT NULL,
    a TEXT NOT NULL,
    b TEXT NOT NULL,
    on_date TEXT NOT NULL,
    mode TEXT,
    notes TEXT,
    outcome TEXT,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (workspace, id)
);
CREATE INDEX IF NOT EXISTS contacts_a ON contacts(workspace, a);
CREATE INDEX IF NOT EXISTS contacts_b ON contacts(workspace, b);
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace TEXT NOT NULL REFERENCES workspaces(slug) ON DELETE CASCADE,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id TEXT,
    label TEXT,
    refs TEXT NOT NULL DEFAULT ' ',
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS audit_workspace ON audit(workspace, seq);
CREATE TABLE IF NOT EXISTS records (
    workspace TEXT NOT NULL REFERENCES workspaces(slug) ON DELETE CASCADE,
    collection TEXT NOT NULL,
    id TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '{}',
    refs TEXT NOT NULL DEFAULT ' ',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (workspace, collection, id)
);
"""

#: The secondary indexes of ``ties`` (name, columns), rebuilt after a bulk write.
TIE_INDEXES = (("ties_source", "workspace, source"), ("ties_target", "workspace, target"))
#: Smallest bulk write (in ties) for which :meth:`SQLiteStore.bulk_write` rebuilds them.
BULK_REBUILD_MIN = 50_000

NODE_COLS = "id, version, current, kind, name, props, since, until, origin, recorded_at"
TIE_COLS = (
    "id, version, current, kind, source, target, strength, since, until, role, origin, props,"
    " recorded_at"
)


def _d(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _node(row: sqlite3.Row | tuple[Any, ...]) -> Node:
    id_, version, current, kind, name, props, since, until, origin, recorded_at = row
    return Node(
        id=id_,
        kind=NodeKind(kind),
        name=name,
        props=json.loads(props),
        since=_date(since),
        until=_date(until),
        origin=origin,
        version=version,
        recorded_at=recorded_at,
    )


def _tie(row: sqlite3.Row | tuple[Any, ...]) -> Tie:
    (
        id_,
        version,
        current,
        kind,
        source,
        target,
        strength,
        since,
        until,
        role,
        origin,
        props,
        recorded_at,
    ) = row
    return Tie(
        id=id_,
        kind=RelKind(kind),
        source=source,
        target=target,
        strength=strength,
        since=_date(since),
        until=_date(until),
        role=role,
        origin=origin,
        props=json.loads(props),
        version=version,
        current=bool(current),
        recorded_at=recorded_at,
    )


def _contact(row: tuple[Any, ...]) -> Contact:
    id_, a, b, on, mode, notes, outcome, recorded_at = row
    return Contact(
        id=id_,
        a=a,
        b=b,
        on=dt.date.fromisoformat(on),
        mode=mode,
        notes=notes,
        outcome=outcome,
        recorded_at=recorded_at,
    )


class SQLiteStore(Store):
    """The embedded store in one SQLite file (or in memory with ``":memory:"``).

    Parameters
    ----------
    path : str or Path
        The database file; created with its folder if missing. ``":memory:"`` for a
        throw-away store.

    Examples
    --------
    >>> store = SQLiteStore(":memory:")
    >>> ws = store.create_workspace("demo")
    >>> ws.add_node("Theme", "lezen").name
    'lezen'
    """

    backend = "sqlite"

    def __init__(self, path: str | Path = ":memory:"):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = sqlite3.connect(
                self.path, isolation_level=None, check_same_thread=False, timeout=30
            )
        except sqlite3.Error as exc:
            raise StoreUnavailableError(
                "cannot open the database {path}: {exc}", path=self.path, exc=exc
            ) from exc
        self._lock = threading.RLock()
        self._depth = 0
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.execute("PRAGMA busy_timeout = 30000")
        # Deleted content is overwritten with zeros, not left in free pages (AVG erasure).
        self.conn.execute("PRAGMA secure_delete = ON")
        # Free pages can be given back without rewriting the file (see _compact); this takes
        # effect for a new file (before its first table) and after the next full VACUUM.
        self.conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
        if self.path != ":memory:":
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
        # Page cache of up to CACHE_KIB (the default 2 MiB makes bulk imports into big indexes
        # read pages back over and over: 1.2M ties went from ~108 s to ~40 s). Grows on use.
        self.conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        with self.atomic():
            self._create_schema()

    def _create_schema(self) -> None:
        for statement in SCHEMA.split(";"):
            if statement.strip():
                self.conn.execute(statement)
        self.conn.execute(
            "INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)",
            (str(SCHEMA_VERSION),),
        )
        # Which database this is, whatever its path (a file copied over another is another
        # database): part of the change mark of the shared projection (mapper/graph.py).
        self.conn.execute(
            "INSERT OR IGNORE INTO meta(key, value) VALUES ('instance', ?)",
            (secrets.token_hex(8),),
        )

    def __repr__(self) -> str:
        return f"SQLiteStore({self.path!r})"

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def atomic(self) -> Iterator[None]:
        with self._lock:
            if self._depth == 0:
                self.conn.execute("BEGIN IMMEDIATE")
                name = None
            else:
                name = f"sp{self._depth}"
                self.conn.execute(f"SAVEPOINT {name}")
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                if name is None:
                    self.conn.execute("ROLLBACK")
                else:
                    self.conn.execute(f"ROLLBACK TO {name}")
                    self.conn.execute(f"RELEASE {name}")
                raise
            else:
                self._depth -= 1
                if name is None:
                    self.conn.execute("COMMIT")
                else:
                    self.conn.execute(f"RELEASE {name}")

    @contextmanager
    def bulk_write(self, *, ties: int = 0) -> Iterator[None]:
        """As :meth:`Store.bulk_write`: one transaction; when it adds at least
        :data:`BULK_REBUILD_MIN` ties and at least as many as the ``ties`` table holds, the
        secondary tie indexes are dropped first and built again (one sort each) before the
        commit, instead of being updated at random places a million times. Index changes
        are part of the transaction: a failure or a crash leaves the old indexes."""
        with self.atomic():
            rebuild = (
                ties >= BULK_REBUILD_MIN
                and ties >= (self.conn.execute("SELECT count(*) FROM ties").fetchone()[0])
            )
            if rebuild:
                for name, _ in TIE_INDEXES:
                    self.conn.execute(f"DROP INDEX IF EXISTS {name}")
            yield
            if rebuild:
                for name, columns in TIE_INDEXES:
                    self.conn.execute(f"CREATE INDEX IF NOT EXISTS {name} ON ties({columns})")

    def _rows(self, sql: str, params: Any = ()) -> list[Any]:
        with self._lock:
            return self.conn.execute(sql, params).fetchall()

    # ------------------------------------------------------------------ workspaces

    def workspaces(self) -> list[WorkspaceInfo]:
        rows = self._rows("SELECT slug, name, created_at, settings FROM workspaces ORDER BY slug")
        return [WorkspaceInfo(r[0], r[1], r[2], json.loads(r[3])) for r in rows]

    def _create_workspace(self, info: WorkspaceInfo) -> None:
        with self.atomic():
            try:
                self.conn.execute(
                    "INSERT INTO workspaces(slug, name, created_at, settings) VALUES (?,?,?,?)",
                    (info.slug, info.name, info.created_at, json.dumps(info.settings)),
                )
            except sqlite3.IntegrityError:
                raise ConflictError("workspace {slug!r} already exists", slug=info.slug) from None

    def _get_workspace(self, slug: str) -> WorkspaceInfo | None:
        rows = self._rows(
            "SELECT slug, name, created_at, settings FROM workspaces WHERE slug = ?", (slug,)
        )
        return (
            WorkspaceInfo(rows[0][0], rows[0][1], rows[0][2], json.loads(rows[0][3]))
            if rows
            else None
        )

    def _update_workspace(self, info: WorkspaceInfo) -> None:
        with self.atomic():
            self.conn.execute(
                "UPDATE workspaces SET name = ?, settings = ? WHERE slug = ?",
                (info.name, json.dumps(info.settings), info.slug),
            )

    def delete_workspace(self, slug: str) -> None:
        self.get_workspace(slug)
        with self.atomic():
            for table in ("audit", "contacts", "ties", "nodes", "workspaces"):
                column = "slug" if table == "workspaces" else "workspace"
                self.conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (slug,))

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
            )
            for n in nodes
        ]
        try:
            self.conn.executemany(
                "INSERT INTO nodes(workspace, id, version, current, kind, name, props, since,"
                " until, origin, recorded_at) VALUES (?,?,?,1,?,?,?,?,?,?,?)",
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
                _d(t.since),
                _d(t.until),
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

    # ------------------------------------------------------------------ projection

    def _projection_key(self) -> Any:
        if self.path == ":memory:":
            return ("sqlite-memory", self._instance)
        return ("sqlite", os.path.realpath(self.path))

    @property
    def _instance(self) -> str:
        if "_instance_token" not in self.__dict__:
            row = self._rows("SELECT value FROM meta WHERE key = 'instance'")
            self.__dict__["_instance_token"] = row[0][0] if row else ""
        return self.__dict__["_instance_token"]  # type: ignore[no-any-return]

    def _change_mark(self, workspace: str) -> Any:
        # The newest audit entry of the workspace (one seek in audit_workspace(workspace,
        # seq)), and which database file this is.
        seq = self._rows("SELECT max(seq) FROM audit WHERE workspace = ?", (workspace,))[0][0]
        return (self._instance, seq or 0)

    def _changes_since(self, workspace: str, mark: Any) -> list[Any] | None:
        instance, seq = mark
        if instance != self._instance:
            return None  # another database file at this path
        return super()._changes_since(workspace, seq)

    def _audit_after(
        self, workspace: str, seq: Any, limit: int
    ) -> list[tuple[str, str, str | None]] | None:
        return [
            (r[0], r[1], r[2])
            for r in self._rows(
                "SELECT action, target_type, target_id FROM audit"
                " WHERE workspace = ? AND seq > ? ORDER BY seq LIMIT ?",
                (workspace, seq, limit),
            )
        ]

    def counts(self, workspace: str) -> dict[str, int]:
        """As :meth:`Store.counts`, counted by the database (GROUP BY), not read row by row."""
        from ..model import NodeKind as _Kinds

        out: dict[str, int] = {k.value: 0 for k in _Kinds}
        for kind, n in self._rows(
            "SELECT kind, count(*) FROM nodes WHERE workspace = ? AND current = 1 GROUP BY kind",
            (workspace,),
        ):
            out[kind] = n
        out["ties"] = self._rows(
            "SELECT count(*) FROM ties WHERE workspace = ? AND current = 1", (workspace,)
        )[0][0]
        out["contacts"] = self._rows(
            "SELECT count(*) FROM contacts WHERE workspace = ?", (workspace,)
        )[0][0]
        return out

    def _graph_rows(
        self,
        workspace: str,
        *,
        as_of: dt.date | None = None,
        kinds: list[NodeKind] | None = None,
    ) -> tuple[list[Any], list[Any]]:
        """Plain rows, no value objects (see :meth:`Store._graph_rows`)."""
        nodes_sql = (
            "SELECT id, kind, name, props, since, until FROM nodes"
            " WHERE workspace = ? AND current = 1"
        )
        ties_sql = (
            "SELECT id, version, kind, source, target, strength, since, until, role, origin"
            " FROM ties WHERE workspace = ?"
        )
        node_params: list[Any] = [workspace]
        tie_params: list[Any] = [workspace]
        if kinds is not None:
            nodes_sql += f" AND kind IN ({','.join('?' * len(kinds))})"
            node_params += [k.value for k in kinds]
        if as_of is not None:
            valid = " AND (since IS NULL OR since <= ?) AND (until IS NULL OR until > ?)"
            nodes_sql += valid
            ties_sql += valid
            node_params += [as_of.isoformat()] * 2
            tie_params += [as_of.isoformat()] * 2
        with self._lock:
            # One read transaction, so nodes and ties are of the same moment.
            outer = self._depth == 0 and not self.conn.in_transaction
            if outer:
                self.conn.execute("BEGIN")
            try:
                nodes = self.conn.execute(nodes_sql + " ORDER BY id", node_params).fetchall()
                ties = self.conn.execute(ties_sql + " ORDER BY id, version", tie_params).fetchall()
            finally:
                if outer:
                    self.conn.execute("COMMIT")
        return nodes, ties

    def project_history(self, workspace: str, *, kinds: Any = None, tie_kinds: Any = None) -> Any:
        """As :meth:`Store.project_history` — the same graph — read with two plain queries
        and no value object per row, which is several times faster on a long history
        (see ``benchmarks/connectedness.py``)."""
        import networkx as nx

        from .base import _kinds_arg, _rel_kinds_arg

        node_kinds = _kinds_arg(kinds)
        rel_kinds = _rel_kinds_arg(tie_kinds)
        days: dict[str | None, dt.date | None] = {None: None}

        def day(text: str | None) -> dt.date | None:
            if text not in days:
                days[text] = dt.date.fromisoformat(text)  # type: ignore[arg-type]
            return days[text]

        sql = "SELECT id, kind, name, props, since, until FROM nodes WHERE workspace = ? AND current = 1"
        params: list[Any] = [workspace]
        if node_kinds is not None:
            sql += f" AND kind IN ({','.join('?' * len(node_kinds))})"
            params += [k.value for k in node_kinds]
        graph: nx.MultiDiGraph = nx.MultiDiGraph(workspace=workspace, as_of=None, history=True)
        graph.add_nodes_from(
            (
                id_,
                {
                    "kind": kind,
                    "name": name,
                    "props": json.loads(props) if props != "{}" else {},
                    "since": day(since),
                    "until": day(until),
                },
            )
            for id_, kind, name, props, since, until in self._rows(sql + " ORDER BY id", params)
        )
        sql = (
            "SELECT id, version, kind, source, target, strength, since, until, role, origin"
            " FROM ties WHERE workspace = ?"
        )
        params = [workspace]
        if rel_kinds is not None:
            sql += f" AND kind IN ({','.join('?' * len(rel_kinds))})"
            params += [k.value for k in rel_kinds]
        nodes = graph._node  # type: ignore[attr-defined]  # networkx's own dicts, for speed
        collecting = gc.isenabled()
        gc.disable()  # tens of thousands of live dicts: the cyclic collector would only rescan them
        try:
            graph.add_edges_from(  # type: ignore[misc]  # the stubs know no (u, v, key, data)
                (  # type: ignore[misc]
                    source,
                    target,
                    f"{id_}:{version}",
                    {
                        "tie": id_,
                        "kind": kind,
                        "strength": strength,
                        "since": day(since),
                        "until": day(until),
                        "role": role,
                        "origin": origin,
                        "version": version,
                    },
                )
                for id_, version, kind, source, target, strength, since, until, role, origin in self._rows(
                    sql + " ORDER BY id, version", params
                )
                if source in nodes and target in nodes
            )
        finally:
            if collecting:
                gc.enable()
        return graph

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

    def _query_audit(
        self,
        workspace: str,
        entity: str | None,
        actions: list[str] | None,
        limit: int | None,
    ) -> list[AuditEntry]:
        where = ["workspace = ?"]
        params: list[Any] = [workspace]
        if entity is not None:
            where.append("instr(refs, ?) > 0")
            params.append(f" {entity} ")
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
        return [
            AuditEntry(
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
            for r in self._rows(sql, params)
        ]

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
            # One pass over the trail: entries whose refs name the node, or one of its ties
            # or contact moments.
            # The matching is done by SQLite (instr on " id "), not by reading every entry
            # into Python: a million entries took several seconds that way.
            named = sorted({node_id, *tie_ids, *contact_ids})
            doomed_set: set[int] = set()
            for chunk in _chunks(named, 100):
                doomed_set.update(
                    r[0]
                    for r in self._rows(
                        "SELECT seq FROM audit WHERE workspace = ? AND ("
                        + " OR ".join(["instr(refs, ?) > 0"] * len(chunk))
                        + ")",
                        (workspace, *(f" {i} " for i in chunk)),
                    )
                )
            doomed = sorted(doomed_set)
            for chunk in _chunks(doomed, 500):
                counts["audit"] += self.conn.execute(
                    f"DELETE FROM audit WHERE seq IN ({','.join('?' * len(chunk))})", chunk
                ).rowcount
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
        # (owner: invite) for Store.erase_tie
        with self.atomic():
            doomed = [
                seq
                for seq, refs in self._rows(
                    "SELECT seq, refs FROM audit WHERE workspace = ? AND instr(refs, ?) > 0",
                    (workspace, f" {tie_id} "),
                )
            ]
            audit = 0
            for chunk in _chunks(doomed, 500):
                audit += self.conn.execute(
                    f"DELETE FROM audit WHERE seq IN ({','.join('?' * len(chunk))})", chunk
                ).rowcount
            versions = self.conn.execute(
                "DELETE FROM ties WHERE workspace = ? AND id = ?", (workspace, tie_id)
            ).rowcount
        return {"tie_versions": versions, "audit": audit}

    # ------------------------------------------------------------------ records (owner: invite)

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
        # (owner: io) for Store.unmerge_nodes: the column names come from a fixed set
        with self.atomic():
            ex = self.conn.execute
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
        # (owner: io) for Store.merge_nodes
        with self.atomic():
            ex = self.conn.execute
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
            ex("DELETE FROM nodes WHERE workspace = ? AND id = ?", (workspace, old))


RECORD_COLS = "collection, id, body, refs, created_at, updated_at"


def _record(row: tuple[Any, ...]) -> Record:
    collection, id_, body, refs, created_at, updated_at = row
    return Record(collection, id_, json.loads(body), tuple(refs.split()), created_at, updated_at)


def _detail_json(detail: dict[str, Any]) -> str:
    """An audit entry's detail as JSON; small plain details (``{"version": 1}``, repeated a
    million times by a bulk import) are encoded once (owner: io)."""
    if len(detail) == 1:  # the common case ({"version": 1}), without sorting
        ((key, value),) = detail.items()
        try:
            return _plain_detail_json(((key, type(value).__name__, value),))
        except TypeError:
            return json.dumps(detail, ensure_ascii=False, sort_keys=True)
    try:
        # the type is part of the key: 1, 1.0 and True are equal but encode differently
        return _plain_detail_json(
            tuple(sorted((k, type(v).__name__, v) for k, v in detail.items()))
        )
    except TypeError:  # a list or dict inside: not hashable, encode it each time
        return json.dumps(detail, ensure_ascii=False, sort_keys=True)


@lru_cache(maxsize=4096)
def _plain_detail_json(items: tuple[tuple[str, str, Any], ...]) -> str:
    return json.dumps({k: v for k, _, v in items}, ensure_ascii=False, sort_keys=True)


def _insert_many(
    conn: sqlite3.Connection, head: str, width: int, rows: list[tuple[Any, ...]]
) -> None:
    """``head`` (``INSERT INTO t(cols) VALUES``) for every row, many rows per statement.

    One multi-row statement per few hundred rows instead of one execution per row (as
    ``executemany`` does): fewer round trips, and an AUTOINCREMENT table updates its
    counter once per statement, not once per row. About 40 % less time for a million
    audit entries (owner: io)."""
    limit = (
        conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) if hasattr(conn, "getlimit") else 999
    )
    per = max(1, min(500, limit // width))
    one = "(" + ",".join("?" * width) + ")"
    if len(rows) < per:
        conn.executemany(f"{head} {one}", rows)
        return
    full = f"{head} {','.join([one] * per)}"
    end = len(rows) - len(rows) % per
    for i in range(0, end, per):
        conn.execute(full, [v for row in rows[i : i + per] for v in row])
    if end < len(rows):
        conn.executemany(f"{head} {one}", rows[end:])


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
