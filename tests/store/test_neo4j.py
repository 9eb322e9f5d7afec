"""The Neo4j store beyond the shared contract (``tests/store/contract``).

Tests marked ``neo4j`` run against a real Neo4j 5 server: the session's ``neo4j_server``
(the project's own test server, started by ``tests/conftest.py``, or the one ``NEO4J_URI``,
``NEO4J_USER`` and ``NEO4J_PASSWORD`` name). Each works in its own uniquely named workspaces and
deletes them afterwards, so a shared server is left as it was. The tests without the mark
run everywhere: they check what can be checked without a server (URL handling, and the
error a person sees when the server is unreachable) against the real driver.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid

import pytest

from mapper.errors import StoreUnavailableError
from mapper.migrate import copy_workspace
from mapper.model import RelKind
from mapper.store import SQLiteStore, open_store
from mapper.store.dump import checksum
from mapper.store.neo4j import REL_CONSTRAINTS, SCHEMA, parse_url
from tests.conftest import _neo4j_store

# ----------------------------------------------------------------------------- no server needed


def test_url_parts_are_split_and_the_password_kept_out_of_the_address():
    assert parse_url("neo4j://anna:s%3Acret@db.local:7687?database=bibliotheken") == (
        "neo4j://db.local:7687",
        "anna",
        "s:cret",
        "bibliotheken",
    )
    assert parse_url("neo4j+s://abc123.databases.neo4j.io") == (
        "neo4j+s://abc123.databases.neo4j.io",
        None,
        None,
        None,
    )
    assert parse_url("bolt://[::1]:7687")[0] == "bolt://[::1]:7687"


@pytest.mark.parametrize(
    "url, words",
    [
        ("bolt://neo4j:geheim@127.0.0.1:1", "cannot reach Neo4j at bolt://127.0.0.1:1"),
        ("neo4j://neo4j:geheim@127.0.0.1:1", "cannot reach Neo4j at neo4j://127.0.0.1:1"),
    ],
)
def test_an_unreachable_server_gives_one_clear_error(url, words):
    with pytest.raises(StoreUnavailableError) as info:
        open_store(url, connection_timeout=2)
    assert words in str(info.value)
    assert "is the server running" in str(info.value)
    assert "geheim" not in str(info.value)


def test_schema_statements_are_idempotent_and_use_only_the_allow_list():
    assert all(" IF NOT EXISTS " in s for s in SCHEMA + REL_CONSTRAINTS)
    for kind in RelKind:
        assert any(f"[r:{kind.value}]" in s for s in REL_CONSTRAINTS)


# ----------------------------------------------------------------------------- with a server


@pytest.fixture
def neo(neo4j_server):
    store = _neo4j_store(neo4j_server)
    store.created_workspaces = []
    yield store
    for slug in store.created_workspaces:
        try:
            store.delete_workspace(slug)
        except Exception:  # noqa: BLE001 - best-effort cleanup on a shared server
            pass
    store.close()


def _new(store, prefix="n"):
    slug = f"{prefix}-{uuid.uuid4().hex[:12]}"
    store.created_workspaces.append(slug)
    return store.create_workspace(slug, "Neo4j test")


def _cypher(store, query, **params):
    records, _, _ = store.driver.execute_query(query, params, database_=store.database)
    return [r.data() for r in records]


class TestWithServer:
    pytestmark = pytest.mark.neo4j

    def test_constraints_and_indexes_exist(self, neo):
        names = {r["name"] for r in _cypher(neo, "SHOW CONSTRAINTS YIELD name RETURN name")}
        assert {
            "mapper_workspace_slug",
            "mapper_entity_key",
            "mapper_node_version_key",
            "mapper_contact_key",
            "mapper_audit_key",
        } <= names
        indexes = {r["name"] for r in _cypher(neo, "SHOW INDEXES YIELD name RETURN name")}
        assert {"mapper_entity_workspace", "mapper_tie_knows_id"} <= indexes

    def test_a_second_store_reuses_the_driver_and_schema(self, neo, neo4j_server):
        other = _neo4j_store(neo4j_server)
        assert other.driver is neo.driver
        other.close()

    def test_wrong_password_is_a_clear_error(self, neo4j_server):
        with pytest.raises(StoreUnavailableError, match="refused the login"):
            open_store(
                neo4j_server.uri,
                user=neo4j_server.user,
                password="not-the-password-" + uuid.uuid4().hex,
            )

    def test_every_record_carries_its_workspace_and_kinds_are_labels(self, neo):
        a, b = _new(neo), _new(neo)
        for ws in (a, b):
            p = ws.add_node("Person", "Jan", id="per-same")
            t = ws.add_node("Theme", "lezen", id="thm-same")
            tie = ws.add_tie(
                "ACTIVE_ON", p.id, t.id, strength=0.5, since="2024-01-01", id="tie-same"
            )
            ws.change_tie(tie.id, on="2024-06-01", strength=0.7)
            ws.update_node(p.id, name="Jan de Vries")
            ws.add_contact(p.id, t.id, on="2024-02-02", id="cnt-same")
        rows = _cypher(
            neo,
            "MATCH (n:Entity {workspace: $ws})-[r]->(m) "
            "RETURN labels(n) AS labels, r.workspace AS rw, m.workspace AS mw, type(r) AS t",
            ws=a.slug,
        )
        assert rows and all(r["rw"] == a.slug and r["mw"] == a.slug for r in rows)
        assert all("Person" in r["labels"] and "Entity" in r["labels"] for r in rows)
        per_label = _cypher(
            neo,
            "MATCH (x {workspace: $ws}) UNWIND labels(x) AS label "
            "RETURN label, count(*) AS n ORDER BY label",
            ws=a.slug,
        )
        assert {r["label"]: r["n"] for r in per_label} == {
            "AuditEntry": len(a.store.audit(a.slug)),
            "Contact": 1,
            "Entity": 2,
            "NodeVersion": 1,
            "Person": 1,
            "Theme": 1,
        }
        # Same ids in two workspaces, never mixed: each sees exactly its own history.
        assert [v.version for v in a.tie_history("tie-same")] == [1, 2]
        assert [v.version for v in b.tie_history("tie-same")] == [1, 2]
        assert len(a.node_history("per-same")) == 2
        neo.delete_workspace(b.slug)
        assert _cypher(neo, "MATCH (n {workspace: $ws}) RETURN count(n) AS n", ws=b.slug) == [
            {"n": 0}
        ]
        assert [v.version for v in a.tie_history("tie-same")] == [1, 2]

    def test_concurrent_changes_to_one_tie_lose_no_update(self, neo):
        ws = _new(neo)
        anna = ws.add_node("Staff", "Anna")
        jan = ws.add_node("Person", "Jan")
        tie = ws.add_tie("KNOWS", anna.id, jan.id, strength=0.0, since="2024-01-01")
        threads, per_thread = 2, 5
        errors: list[BaseException] = []
        start = threading.Barrier(threads)

        def work(n: int) -> None:
            try:
                start.wait()
                for i in range(per_thread):
                    strength = round((n * per_thread + i + 1) / 100, 2)
                    ws.change_tie(tie.id, on=dt.date(2025, 1, 1), strength=strength)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        pool = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
        for t in pool:
            t.start()
        for t in pool:
            t.join()
        assert errors == []
        history = ws.tie_history(tie.id)
        total = 1 + threads * per_thread
        assert [v.version for v in history] == list(range(1, total + 1))
        assert [v.current for v in history] == [False] * (total - 1) + [True]
        written = sorted(v.strength for v in history[1:])
        assert written == sorted(round(k / 100, 2) for k in range(1, threads * per_thread + 1))

    def test_concurrent_property_updates_are_all_kept(self, neo):
        ws = _new(neo)
        jan = ws.add_node("Person", "Jan")
        keys = [f"k{i}" for i in range(6)]
        barrier = threading.Barrier(len(keys))
        errors: list[BaseException] = []

        def work(key: str) -> None:
            try:
                barrier.wait()
                ws.update_node(jan.id, props={key: key})
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)

        pool = [threading.Thread(target=work, args=(k,)) for k in keys]
        for t in pool:
            t.start()
        for t in pool:
            t.join()
        assert errors == []
        assert ws.get_node(jan.id).props == {k: k for k in keys}
        assert ws.get_node(jan.id).version == 1 + len(keys)

    def test_migrate_sqlite_to_neo4j_and_back_is_lossless(self, neo, tmp_path):
        from tests.store.contract.test_history_copy import _history, _random_town

        with SQLiteStore(tmp_path / "from.db") as first, SQLiteStore(tmp_path / "back.db") as back:
            ws = first.create_workspace("bron", "Bibliotheek Bron")
            _history(ws)
            _random_town(first.create_workspace("stad"), 7)
            for source_slug in ("bron", "stad"):
                target = f"m-{uuid.uuid4().hex[:12]}"
                neo.created_workspaces.append(target)
                there = copy_workspace(first, neo, source_slug, to_workspace=target)
                home = copy_workspace(neo, back, target, to_workspace=source_slug)
                original = first.dump_workspace(source_slug)
                assert there.checksum == home.checksum == checksum(original)
                assert back.dump_workspace(source_slug) == original
                day = "2024-05-01"
                g1, g2 = first.project(source_slug, as_of=day), neo.project(target, as_of=day)
                assert sorted(g1.edges(keys=True, data=True)) == sorted(
                    g2.edges(keys=True, data=True)
                )

    def test_failed_nested_block_is_compensated_on_the_server(self, neo):
        ws = _new(neo)
        with ws.atomic():
            keep = ws.add_node("Person", "Blijft")
            tie_to = ws.add_node("Theme", "lezen")
            tie = ws.add_tie("ACTIVE_ON", keep.id, tie_to.id, since="2024-01-01")
            with pytest.raises(RuntimeError):
                with ws.atomic():
                    ws.update_node(keep.id, name="Weg")
                    ws.change_tie(tie.id, on="2024-02-01", strength=0.9)
                    ws.add_node("Person", "Ook weg", id="per-weg")
                    raise RuntimeError("inner block fails")
        assert ws.get_node(keep.id).name == "Blijft"
        assert len(ws.node_history(keep.id)) == 1
        assert [(t.version, t.current, t.until) for t in ws.tie_history(tie.id)] == [
            (1, True, None)
        ]
        assert [n.id for n in ws.nodes(kind="Person")] == [keep.id]


def test_every_public_write_that_opens_a_transaction_is_retried_as_a_whole():
    """A public write of :class:`Store` that opens ``atomic()`` runs, on Neo4j, as one managed
    transaction the driver may run again (``_retrying``); a new write added to the base class
    without it would pass every test and only lose its retries under load."""
    import inspect

    from mapper.store.base import Store
    from mapper.store.neo4j import Neo4jStore

    missing = [
        name
        for name, fn in inspect.getmembers(Store, inspect.isfunction)
        if not name.startswith("_")
        and "self.atomic()" in inspect.getsource(fn)
        and name not in {"bulk_write", "dump_workspace"}  # not writes of their own
        and name not in BATCHED
        and not hasattr(getattr(Neo4jStore, name), "__wrapped__")
    ]
    assert missing == []
    # A batched write runs several transactions: each of them is retried as a whole.
    assert hasattr(Neo4jStore._load_at_once, "__wrapped__")
    assert hasattr(Neo4jStore._load_batch, "__wrapped__")


#: Public writes that Neo4j runs as several transactions (a big load in batches).
BATCHED = {"load_workspace"}


@pytest.mark.neo4j
def test_a_merge_can_be_undone_on_the_server(neo):
    from tests.io.test_io_merge import _town

    ws = _new(neo)
    jan, dup, cafe, between = _town(ws)
    before_ties = {(t.id, t.kind, t.source, t.target, t.strength) for t in ws.ties()}
    before_contacts = {(c.id, c.a, c.b) for c in ws.contacts()}
    ws.merge_nodes(jan.id, dup.id)
    assert {t.source for t in ws.ties()} <= {jan.id}
    [merge] = ws.audit(action="merge")
    kept, back = ws.unmerge_nodes(merge.seq)
    assert (back.id, back.name) == (dup.id, "J. de Vries")
    assert {(t.id, t.kind, t.source, t.target, t.strength) for t in ws.ties()} == before_ties
    assert {(c.id, c.a, c.b) for c in ws.contacts()} == before_contacts
    involves = _cypher(
        neo,
        "MATCH (c:Contact {workspace: $ws})-[:INVOLVES]->(x) RETURN x.id AS id ORDER BY id",
        ws=ws.slug,
    )
    assert [r["id"] for r in involves] == sorted([dup.id, cafe.id])


@pytest.mark.neo4j
def test_a_workspace_is_deleted_in_batches_leaving_nothing(neo, monkeypatch):
    from mapper.store.neo4j import workspaces as neo_store

    monkeypatch.setattr(neo_store, "DELETE_BATCH", 7)
    ws = _new(neo)
    ids = [n.id for n in ws.add_nodes([{"kind": "Person", "name": f"P{i}"} for i in range(23)])]
    for a, b in zip(ids, ids[1:], strict=False):
        ws.add_tie("KNOWS", a, b, strength=0.5, since="2024-01-01")
    ws.update_node(ids[0], name="P0 bis")
    ws.add_contact(ids[0], ids[1], on="2024-02-01")
    other = _new(neo)
    other.add_node("Person", "Blijft")
    neo.delete_workspace(ws.slug)
    left = _cypher(
        neo, "MATCH (x) WHERE x.workspace = $ws OR x.slug = $ws RETURN count(x) AS n", ws=ws.slug
    )
    assert left == [{"n": 0}]
    assert ws.slug not in {w.slug for w in neo.workspaces()}
    assert [n.name for n in other.nodes()] == ["Blijft"]
