"""The SQLite store's tables (:data:`SCHEMA`), column lists, and the helpers that turn
rows into value objects and write many rows at once."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from itertools import chain
from typing import Any

from ...model import Contact, Node, NodeKind, RelKind, Tie
from ..base import Record
from ..values import fold

SCHEMA_VERSION = 1

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
    folded TEXT,
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
NODE_COLS = "id, version, current, kind, name, props, since, until, origin, recorded_at"
TIE_COLS = (
    "id, version, current, kind, source, target, strength, since, until, role, origin, props,"
    " recorded_at"
)


#: Name search (:meth:`SQLiteStore.find_nodes`): every node version keeps its name folded
#: (:func:`mapper.store.values.fold`) in ``folded``; this index holds the current ones with
#: their kind and id, so a search reads the index only, never the rows.
FOLDED_INDEX = (
    "CREATE INDEX IF NOT EXISTS nodes_folded ON nodes(workspace, folded, kind, id)"
    " WHERE current = 1"
)


#: The page cache (KiB) while an index is built: SQLite sorts the index's entries in runs of
#: the page cache's size, and one run of 128 MiB (the bulk-import cache) sorts a million
#: entries more slowly than runs of 2 MiB merged (``CREATE INDEX audit_target`` over 1.1M
#: entries: about 1.4 s CPU against 0.9 s).
SORT_CACHE_KIB = 2 * 1024


@contextmanager
def sorting(conn: sqlite3.Connection) -> Iterator[None]:
    """The page cache at :data:`SORT_CACHE_KIB` for the ``CREATE INDEX`` statements inside
    (best before the transaction has changed many pages: a smaller cache spills them to
    the write-ahead log early); the size before afterwards."""
    (size,) = conn.execute("PRAGMA cache_size").fetchone()
    conn.execute(f"PRAGMA cache_size = -{SORT_CACHE_KIB}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {int(size)}")


def add_folded_names(conn: sqlite3.Connection) -> None:
    """Give a file made before name search its ``folded`` column (filled in once) and the
    index on it; nothing to do for a newer file but the ``IF NOT EXISTS``.

    One ``UPDATE`` over the table with :func:`fold` as an SQL function (no rows carried
    through Python and back by rowid), then the index, built once over the filled column.
    The caller's transaction holds it all: a process killed halfway leaves the file as it
    was, and the next open does it again."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(nodes)")}
    if "folded" not in columns:
        conn.execute("ALTER TABLE nodes ADD COLUMN folded TEXT")
        conn.create_function("mapper_fold", 1, fold, deterministic=True)
        try:
            conn.execute("UPDATE nodes SET folded = mapper_fold(name)")
        finally:
            conn.create_function("mapper_fold", 1, None)
    conn.execute(FOLDED_INDEX)


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


RECORD_COLS = "collection, id, body, refs, created_at, updated_at"


def _record(row: tuple[Any, ...]) -> Record:
    collection, id_, body, refs, created_at, updated_at = row
    return Record(collection, id_, json.loads(body), tuple(refs.split()), created_at, updated_at)


def _detail_json(detail: dict[str, Any]) -> str:
    """An audit entry's detail as JSON; small plain details (``{"version": 1}``, repeated a
    million times by a bulk import) are encoded once."""
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
    audit entries."""
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
        conn.execute(full, list(chain.from_iterable(rows[i : i + per])))
    if end < len(rows):
        conn.executemany(f"{head} {one}", rows[end:])


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
