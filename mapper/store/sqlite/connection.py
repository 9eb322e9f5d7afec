"""The SQLite store's connection: opening the file with its pragmas, the schema,
transactions (``atomic``, ``bulk_write``), and the workspaces table."""

from __future__ import annotations

import json
import re
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ...errors import ConflictError, StoreUnavailableError
from ...model import WorkspaceInfo
from ..base import Store
from . import audit_refs
from .schema import FOLDED_INDEX, SCHEMA, SCHEMA_VERSION, add_folded_names, sorting

#: Largest page cache per connection, in KiB (for bulk imports).
CACHE_KIB = 128 * 1024

TIE_INDEXES = (("ties_source", "workspace, source"), ("ties_target", "workspace, target"))
#: Smallest bulk write (in ties) for which :meth:`SQLiteStore.bulk_write` rebuilds them.
BULK_REBUILD_MIN = 50_000


_CREATED = re.compile(
    r"CREATE\s+(?:UNIQUE\s+)?(?:TABLE|INDEX)\s+IF\s+NOT\s+EXISTS\s+(\w+)", re.IGNORECASE
)
#: The tables and indexes a complete file has (what :meth:`_create_schema` makes).
SCHEMA_OBJECTS = frozenset(
    _CREATED.findall(SCHEMA)
    + _CREATED.findall(audit_refs.SCHEMA)
    + _CREATED.findall(FOLDED_INDEX)
    + [audit_refs.TARGET_INDEX[0]]
)


class SQLiteConnection(Store):
    """The connection part of :class:`~mapper.store.sqlite.SQLiteStore`."""

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
        # Both are read first: setting them waits for the write lock even when nothing changes.
        if self.conn.execute("PRAGMA auto_vacuum").fetchone()[0] != 2:  # 2: INCREMENTAL
            self.conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
        if self.path != ":memory:":
            if self.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
        # Page cache of up to CACHE_KIB (the default 2 MiB makes bulk imports into big indexes
        # read pages back over and over: 1.2M ties went from ~108 s to ~40 s). Grows on use.
        self.conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        # Every request of the web app opens a store: a file whose schema is complete is only
        # read here, so opening never waits for (or holds) the write lock.
        if not self._schema_complete():
            with self.atomic():
                self._create_schema()

    def _schema_complete(self) -> bool:
        """Whether every table, index and column :meth:`_create_schema` makes is there (one
        read, no lock). An older or new file answers False and gets them, as before."""
        if self.path == ":memory:":
            return False
        names = {row[0] for row in self.conn.execute("SELECT name FROM sqlite_master")}
        if not names >= SCHEMA_OBJECTS:
            return False
        if "folded" not in {row[1] for row in self.conn.execute("PRAGMA table_info(nodes)")}:
            return False
        keys = {row[0] for row in self.conn.execute("SELECT key FROM meta")}
        return {"schema_version", "instance"} <= keys

    def _create_schema(self) -> None:
        for statement in SCHEMA.split(";"):
            if statement.strip():
                self.conn.execute(statement)
        # The audit-target index first, before the transaction has changed pages (see
        # schema.sorting), then the audit_refs rows, then the folded names.
        audit_refs.create(self.conn)
        add_folded_names(self.conn)
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
            indexes = [("ties", name, columns) for name, columns in TIE_INDEXES]
            name, table, columns = audit_refs.TARGET_INDEX
            indexes.append((table, name, columns))  # one audit entry per tie
            if rebuild:
                for _, name, _ in indexes:
                    self.conn.execute(f"DROP INDEX IF EXISTS {name}")
            yield
            if rebuild:
                with sorting(self.conn):  # sorted in small runs (see schema.sorting)
                    for table, name, columns in indexes:
                        self.conn.execute(
                            f"CREATE INDEX IF NOT EXISTS {name} ON {table}({columns})"
                        )

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
            for table in ("audit_refs", "audit", "contacts", "ties", "nodes", "workspaces"):
                column = "slug" if table == "workspaces" else "workspace"
                self.conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (slug,))
