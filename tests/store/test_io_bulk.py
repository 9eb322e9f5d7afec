"""The bulk write an import runs in (Store.bulk_write; SQLite rebuilds its tie indexes once).

Real SQLite files; the threshold for rebuilding is lowered so that a few ties trigger it.
"""

from __future__ import annotations

import pytest

from mapper.errors import ConflictError
from mapper.io.plan import plan_import
from mapper.io.readers import read_bytes
from mapper.store import SQLiteStore
from mapper.store.sqlite import connection as sqlite_module


def tie_indexes(store: SQLiteStore) -> set[str]:
    rows = store.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'ties'"
    ).fetchall()
    return {r[0] for r in rows if not r[0].startswith("sqlite_autoindex")}


@pytest.fixture
def small_threshold(monkeypatch):
    monkeypatch.setattr(sqlite_module, "BULK_REBUILD_MIN", 2)


def people(store: SQLiteStore, n: int) -> list[str]:
    return [
        node.id
        for node in store.add_nodes("w", [dict(kind="Person", name=f"P{i}") for i in range(n)])
    ]


def test_bulk_write_rebuilds_the_tie_indexes_and_reads_stay_right(file_store, small_threshold):
    file_store.create_workspace("w")
    ids = people(file_store, 4)
    with file_store.bulk_write(ties=3):
        assert "ties_source" not in tie_indexes(file_store)  # dropped for the load
        file_store.add_ties(
            "w", [dict(kind="KNOWS", source=ids[0], target=ids[i]) for i in (1, 2, 3)]
        )
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
            file_store.add_ties(
                "w", [dict(kind="KNOWS", source=ids[0], target=ids[i]) for i in (1, 2)]
            )
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
        b"van;naar;soort relatie\nJan;Piet;kent\nJan;Els;kent\nPiet;Els;kent\n",
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


def test_many_rows_per_statement_keep_every_row_and_the_order(store):
    # 1,234 ties: several full multi-row statements and a remainder (see _insert_many)
    store.create_workspace("w")
    ids = people(store, 60)
    pairs = [(a, b) for a in range(60) for b in range(a + 1, 60)][:1234]
    made = store.add_ties(
        "w", [dict(kind="KNOWS", source=ids[a], target=ids[b], strength=0.5) for a, b in pairs]
    )
    stored = {t.id: t for t in store.ties("w")}
    assert len(stored) == 1234
    assert all(stored[t.id].source == t.source and stored[t.id].target == t.target for t in made)
    entries = [e for e in reversed(store.audit("w")) if e.target_type == "tie"]
    assert [e.target_id for e in entries] == [t.id for t in made]  # one entry each, in order
    assert all(e.refs == (t.id, t.source, t.target) for e, t in zip(entries, made))


def test_a_bad_row_deep_in_a_big_batch_writes_nothing(store):
    store.create_workspace("w")
    ids = people(store, 60)
    specs = [
        dict(kind="KNOWS", source=ids[a], target=ids[b])
        for a in range(50)
        for b in range(a + 1, 60)
    ][:1200]
    first = store.add_ties("w", specs[:1])[0]
    specs = (
        specs[1:700] + [dict(kind="KNOWS", source=ids[0], target=ids[1], id=first.id)] + specs[700:]
    )
    with pytest.raises(ConflictError):
        store.add_ties("w", specs)
    assert [t.id for t in store.ties("w")] == [first.id]
    assert len([e for e in store.audit("w") if e.target_type == "tie"]) == 1
