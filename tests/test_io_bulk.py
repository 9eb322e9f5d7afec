"""The bulk write an import runs in (Store.bulk_write; SQLite rebuilds its tie indexes once).

Real SQLite files; the threshold for rebuilding is lowered so that a few ties trigger it.
"""

from __future__ import annotations

import pytest

from mapper.io.plan import plan_import
from mapper.io.readers import read_bytes
from mapper.store import SQLiteStore
from mapper.store import sqlite as sqlite_module


def tie_indexes(store: SQLiteStore) -> set[str]:
    rows = store.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'ties'"
    ).fetchall()
    return {r[0] for r in rows if not r[0].startswith("sqlite_autoindex")}


@pytest.fixture
def small_threshold(monkeypatch):
    monkeypatch.setattr(sqlite_module, "BULK_REBUILD_MIN", 2)


def people(store: SQLiteStore, n: int) -> list[str]:
    return [node.id for node in store.add_nodes("w", [dict(kind="Person", name=f"P{i}") for i in range(n)])]


def test_bulk_write_rebuilds_the_tie_indexes_and_reads_stay_right(file_store, small_threshold):
    file_store.create_workspace("w")
    ids = people(file_store, 4)
    with file_store.bulk_write(ties=3):
        assert "ties_source" not in tie_indexes(file_store)  # dropped for the load
        file_store.add_ties("w", [dict(kind="KNOWS", source=ids[0], target=ids[i]) for i in (1, 2, 3)])
        # reads inside the block are still right, only slower
        assert len(list(file_store.ties("w", node=ids[0]))) == 3
    assert tie_indexes(file_store) == {"ties_source", "ties_target"}
    assert {t.target for t in file_store.ties("w", node=ids[0])} == set(ids[1:])
    assert len(file_store.audit("w", entity=ids[3])) == 2  # the node and its tie
    plan = file_store.conn.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM ties WHERE workspace = 'w' AND target = 'x'"
    ).fetchall()
    assert "ties_target" in " ".join(str(r) for r in plan)


def test_a_failed_bulk_write_leaves_nothing_and_keeps_the_indexes(file_store, small_threshold):
    file_store.create_workspace("w")
    ids = people(file_store, 3)
    with pytest.raises(RuntimeError):
        with file_store.bulk_write(ties=2):
            file_store.add_ties("w", [dict(kind="KNOWS", source=ids[0], target=ids[i]) for i in (1, 2)])
            raise RuntimeError("crash halfway")
    assert list(file_store.ties("w")) == []
    assert "tie" not in {e.target_type for e in file_store.audit("w")}
    assert tie_indexes(file_store) == {"ties_source", "ties_target"}


def test_a_small_write_into_a_big_table_keeps_the_indexes(file_store, small_threshold):
    file_store.create_workspace("w")
    ids = people(file_store, 5)
    file_store.add_ties("w", [dict(kind="KNOWS", source=ids[0], target=ids[i]) for i in (1, 2, 3)])
    with file_store.bulk_write(ties=2):  # fewer than the 3 already stored: no rebuild
        assert tie_indexes(file_store) == {"ties_source", "ties_target"}


def test_an_import_through_the_bulk_write_is_complete_and_erasable(file_store, small_threshold):
    file_store.create_workspace("w")
    file_store.add_nodes("w", [dict(kind="Person", name=n) for n in ("Jan", "Piet", "Els")])
    found = read_bytes(
        "van;naar;soort relatie\nJan;Piet;kent\nJan;Els;kent\nPiet;Els;kent\n".encode(),
        "relaties.csv",
    )
    plan = plan_import(file_store, "w", found)
    assert plan.ok, plan.errors
    assert plan.apply()["ties_created"] == 3
    assert tie_indexes(file_store) == {"ties_source", "ties_target"}
    jan = file_store.lookup("w", "Jan", kind="Person").id
    assert {e.action for e in file_store.audit("w", entity=jan)} == {"create"}
    assert len(file_store.audit("w", entity=jan)) == 3  # Jan and his two ties
    erased = file_store.erase_node("w", jan)
    assert erased["audit"] == 3 and erased["ties"] == 2
    assert file_store.audit("w", entity=jan) == []
    assert len(list(file_store.ties("w"))) == 1
