"""Erasure without rewriting the file: incremental vacuum on a new file, one full VACUUM that
switches an older file over; either way the erased person is gone from the file's bytes."""

from __future__ import annotations

import sqlite3

import pytest

from mapper.store import SQLiteStore
from tests.services.test_privacy import SECRET, everything_about, raw_bytes


def auto_vacuum(path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA auto_vacuum").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize("old_file", [False, True], ids=["new-file", "file-from-before"])
def test_erasure_is_gone_from_the_bytes_with_incremental_vacuum(tmp_path, old_file):
    path = tmp_path / "town.db"
    store = SQLiteStore(path)
    ws = store.create_workspace("w")
    made = everything_about(store, "w")
    for i in range(30):
        ws.update_node(made["person"], props={"counter": i})
    store.close()
    if old_file:  # as files were made before: no auto_vacuum
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA auto_vacuum = NONE")
        conn.execute("VACUUM")
        conn.close()
        assert auto_vacuum(path) == 0
    else:
        assert auto_vacuum(path) == 2  # INCREMENTAL
    store = SQLiteStore(path)
    ws = store.workspace("w")
    needles = [SECRET.encode(), made["person"].encode()]
    assert all(n in raw_bytes(path) for n in needles)
    assert ws.erase_node(made["person"])["compacted"] is True
    for needle in needles:
        assert needle not in raw_bytes(path), needle
    assert b"Fatma" in raw_bytes(path)
    store.close()
    assert auto_vacuum(path) == 2  # an old file has been switched over
