"""The SQLite store hands the projection its tie rows as it reads them (not one list of a
million rows): every row comes, nodes and ties are of one moment, and the read ends (the
transaction and the connection's lock) once they are read, or when the reader drops them."""

from __future__ import annotations

import threading

from mapper.store import SQLiteStore
from mapper.store.sqlite import queries


def seeded(path, ties: int) -> SQLiteStore:
    store = SQLiteStore(path)
    ws = store.create_workspace("w", "W")
    people = ws.add_nodes([{"kind": "Person", "name": f"P{i}"} for i in range(ties + 1)])
    ws.add_ties(
        [{"kind": "KNOWS", "source": people[i].id, "target": people[i + 1].id} for i in range(ties)]
    )
    return store


def lock_is_free(store: SQLiteStore) -> bool:
    """Whether another thread can take the store's lock now."""
    free = []

    def take() -> None:
        got = store._lock.acquire(timeout=2)
        free.append(got)
        if got:
            store._lock.release()

    thread = threading.Thread(target=take)
    thread.start()
    thread.join()
    return free[0]


def test_every_row_comes_in_chunks_and_the_read_ends(tmp_path, monkeypatch):
    monkeypatch.setattr(queries, "STREAM_ROWS", 7)  # several chunks
    store = seeded(tmp_path / "s.db", 30)
    expected = store.conn.execute("SELECT id FROM ties ORDER BY id, version").fetchall()
    nodes, ties = store._graph_rows("w")
    assert len(nodes) == 31
    assert store.conn.in_transaction  # nodes and ties of one moment
    assert [row[0] for row in ties] == [row[0] for row in expected]
    assert not store.conn.in_transaction
    assert lock_is_free(store)
    graph = store.projection("w").as_of()
    assert graph.number_of_edges() == 30
    store.close()


def test_dropping_the_rows_unread_ends_the_read(tmp_path):
    store = seeded(tmp_path / "s.db", 5)
    _nodes, ties = store._graph_rows("w")
    next(ties)
    del ties
    assert not store.conn.in_transaction
    assert lock_is_free(store)
    other = SQLiteStore(tmp_path / "s.db")
    other.workspace("w").add_node("Person", "Na Het Lezen")  # nothing holds the file
    other.close()
    assert any(n.name == "Na Het Lezen" for n in store.nodes("w"))
    store.close()
