"""Opening a SQLite store: a file whose schema is complete is only read, so opening it (which
every web request does) never waits for the write lock another process holds; an incomplete or
new file still gets its schema."""

from __future__ import annotations

import sqlite3
import time

from mapper.store import SQLiteStore
from mapper.store.sqlite.connection import SCHEMA_OBJECTS


def test_opening_a_complete_file_does_not_wait_for_a_writer(tmp_path):
    path = tmp_path / "m.db"
    store = SQLiteStore(path)
    ws = store.create_workspace("w", "W")
    ws.add_node("person", "Jan")
    store.close()

    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process in the middle of a write
    try:
        start = time.monotonic()
        reader = SQLiteStore(path)
        reader.conn.execute("PRAGMA busy_timeout = 2000")
        names = [n.name for n in reader.workspace("w").nodes()]
        seconds = time.monotonic() - start
        reader.close()
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert names == ["Jan"]
    assert seconds < 1.5, f"opening waited {seconds:.1f} s for the writer's lock"


def test_a_file_missing_part_of_its_schema_gets_it_again(tmp_path):
    path = tmp_path / "m.db"
    SQLiteStore(path).close()
    raw = sqlite3.connect(path)
    raw.execute("DROP INDEX ties_source")
    raw.execute("DELETE FROM meta WHERE key = 'instance'")
    raw.commit()
    raw.close()
    SQLiteStore(path).close()
    raw = sqlite3.connect(path)
    names = {row[0] for row in raw.execute("SELECT name FROM sqlite_master")}
    keys = {row[0] for row in raw.execute("SELECT key FROM meta")}
    raw.close()
    assert names >= SCHEMA_OBJECTS
    assert {"schema_version", "instance"} <= keys


def test_the_list_of_schema_objects_is_what_a_new_file_has(tmp_path):
    path = tmp_path / "m.db"
    SQLiteStore(path).close()
    raw = sqlite3.connect(path)
    names = {
        row[0]
        for row in raw.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'index') "
            "AND name NOT LIKE 'sqlite_%'"
        )
    }
    raw.close()
    assert names == SCHEMA_OBJECTS
