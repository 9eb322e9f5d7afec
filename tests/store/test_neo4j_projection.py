"""The shared in-memory projection (``store.projection``) on a real Neo4j server (and on a
SQLite file, the reference): writes
through the store reach it as journaled changes (not by building it again), inside an
explicit ``atomic()`` block as well as in the managed, retried transactions of single
writes; a block that rolls back leaves it as it was.

The write journal (``mapper/store/journal.py``) wraps ``atomic`` and the adapter primitives of
every store class; ``Neo4jStore`` takes its ``atomic`` from a mixin that is no store
(``neo4j.transaction.Transactions``), which the journal once missed.
"""

from __future__ import annotations

import time
import uuid

import pytest

from mapper import graph as mgraph
from mapper.errors import ConflictError
from mapper.store import SQLiteStore
from mapper.store.base import Store
from mapper.store.journal import PRIMITIVES
from mapper.store.neo4j import Neo4jStore
from tests.conftest import _neo4j_store


def picture(G):
    nodes = {n: dict(d) for n, d in G.nodes(data=True)}
    edges = {(u, v, k): dict(d) for u, v, k, d in G.edges(keys=True, data=True)}
    return nodes, edges


@pytest.mark.parametrize("adapter", [SQLiteStore, Neo4jStore])
def test_every_adapter_has_its_atomic_and_primitives_journaled(adapter):
    """What an adapter class resolves ``atomic`` and each journaled primitive to is wrapped
    by the journal, wherever the adapter defines it (the class or one of its mixins)."""
    for name in ["atomic", *PRIMITIVES]:
        owner = next((k for k in adapter.__mro__ if name in k.__dict__), None)
        if owner is None or owner in Store.__mro__:
            continue  # not implemented by this adapter (the interface's own)
        assert getattr(getattr(adapter, name), "_journaled", False), (name, owner)
    assert getattr(adapter.atomic, "_journaled", False)


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def small(request, tmp_path):
    """A small workspace on a SQLite file (the reference) and on the Neo4j server."""
    if request.param == "sqlite":
        store = SQLiteStore(tmp_path / "p.db")
    else:
        store = _neo4j_store(request.getfixturevalue("neo4j_server"))
    slug = f"t-{uuid.uuid4().hex[:12]}"
    store.create_workspace(slug, "Projectie")
    people = [store.add_node(slug, "Person", f"Persoon {i}", since="2024-01-01") for i in range(6)]
    theme = store.add_node(slug, "Theme", "lezen")
    for p in people[:4]:
        store.add_tie(slug, "ACTIVE_ON", p.id, theme.id, strength=0.5, since="2024-06-01")
    store.add_tie(slug, "KNOWS", people[0].id, people[1].id, since="2024-06-01")
    yield store, slug, people, theme
    mgraph.forget()
    try:
        store.delete_workspace(slug)
    finally:
        store.close()


@pytest.fixture
def builds(monkeypatch):
    """Each time a shared projection is built from the store (not brought along)."""
    made: list[int] = []
    real = mgraph.Projection.build
    monkeypatch.setattr(
        mgraph.Projection,
        "build",
        classmethod(lambda cls, *a, **k: made.append(1) or real(*a, **k)),
    )
    return made


def assert_current(store, slug):
    assert picture(store.projection(slug).graph) == picture(store.project(slug))


def test_writes_in_an_atomic_block_reach_the_projection_without_a_rebuild(small, builds):
    store, slug, people, theme = small
    store.projection(slug)
    assert builds == [1]
    with store.atomic():
        new = store.add_node(slug, "Person", "Nieuw", since="2025-01-01")
        store.add_tie(slug, "KNOWS", new.id, people[2].id, strength=0.7, since="2025-02-01")
        tie = next(t for t in store.ties(slug, node=people[3].id) if t.until is None)
        store.change_tie(slug, tie.id, on="2025-03-01", strength=0.9)
        store.update_node(slug, people[4].id, name="Andere Naam")
    assert_current(store, slug)
    assert store.projection(slug).graph.nodes[people[4].id]["name"] == "Andere Naam"
    assert new.id in store.projection(slug).graph
    # single writes (managed, retried transactions) too
    store.add_tie(slug, "KNOWS", people[4].id, people[5].id, since="2025-01-01")
    store.end_tie(slug, tie.id, on="2025-06-01")
    assert_current(store, slug)
    assert builds == [1]  # brought along by the journal, never built again


def test_a_rolled_back_block_leaves_the_projection_as_it_was(small, builds):
    """Read inside the block (the same thread sees its own uncommitted writes), the
    projection must not keep what was then rolled back."""
    store, slug, people, theme = small
    shared = store.projection(slug)
    before = picture(shared.graph)
    with pytest.raises(RuntimeError):
        with store.atomic():
            tie = store.add_tie(slug, "KNOWS", people[2].id, people[3].id, since="2025-01-01")
            store.update_node(slug, people[5].id, name="Nooit Bewaard")
            # read inside the block: its own writes, in a projection of its own
            inside = store.projection(slug)
            assert inside is not shared and inside.graph.has_edge(people[2].id, people[3].id)
            assert inside.graph.nodes[people[5].id]["name"] == "Nooit Bewaard"
            raise RuntimeError("no")
    assert store.projection(slug) is shared
    assert picture(shared.graph) == before
    assert not store.projection(slug).graph.has_edge(people[2].id, people[3].id, tie.id)
    assert_current(store, slug)
    # a nested block that fails is compensated; the rest of the outer block is kept
    with store.atomic():
        a = store.add_node(slug, "Person", "Een")
        try:
            with store.atomic():
                store.add_tie(slug, "KNOWS", a.id, people[1].id)
                raise RuntimeError("inner")
        except RuntimeError:
            pass
        store.add_tie(slug, "KNOWS", a.id, people[2].id, strength=0.8)
    assert_current(store, slug)
    assert builds == [1, 1]  # the shared one, and the one read inside the first block


@pytest.mark.neo4j
def test_project_around_in_small_batches_is_the_same(neo4j_server, monkeypatch):
    """Rings bigger than one statement's batch of ids (``AROUND_BATCH``) give the same graph."""
    from mapper.store.neo4j import around
    from tests.store.contract.test_project_around_days import DAY, _reference, _same, _town

    store = _neo4j_store(neo4j_server)
    slug = f"t-{uuid.uuid4().hex[:12]}"
    ws = store.create_workspace(slug, "Klein")
    try:
        theme = _town(ws)
        monkeypatch.setattr(around, "AROUND_BATCH", 2)
        for depth in (0, 1, 2, 3):
            for centres in ([theme.id], ["per-4", "per-7", "stf-1"]):
                got = ws.project_around(centres, depth=depth, as_of=DAY)
                whole, want = _reference(ws, centres, depth, DAY, None)
                _same(got, whole, want)
    finally:
        store.delete_workspace(slug)
        store.close()


def test_threads_writing_through_one_store_keep_the_projection_right(small):
    """One store object shared by threads (the Neo4j store keeps each thread's transaction
    apart): each thread's writes are journaled apart and the projection ends up current."""
    import threading

    store, slug, people, theme = small
    store.projection(slug)
    errors: list[BaseException] = []
    start = threading.Barrier(3)

    def work(n: int) -> None:
        try:
            start.wait()
            for i in range(6):
                for attempt in range(20):  # a block that meets a deadlock says "try again"
                    try:
                        with store.atomic():
                            new = store.add_node(slug, "Person", f"Draad {n}-{i}")
                            store.add_tie(slug, "KNOWS", new.id, people[n].id, strength=0.1 * i)
                        break
                    except ConflictError:
                        time.sleep(0.05 * attempt)
                store.add_tie(slug, "ACTIVE_ON", new.id, theme.id)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    pool = [threading.Thread(target=work, args=(n,)) for n in range(3)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert errors == []
    assert_current(store, slug)
    assert len(store.projection(slug).graph) == 7 + 18
