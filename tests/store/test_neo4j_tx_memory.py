"""Moving a workspace onto a Neo4j server that caps a transaction's memory
(``db.memory.transaction.max``, as managed servers and Aura do), against a private server of
the project's own (``tests/neo4j_server``) started with a small cap.

Before: a batch of the load over the cap was retried five times by the driver and then
reported as "the change clashed with another one; try again", and reading the copy back (to
verify it) sorted the whole audit trail on the server, which no cap of a managed server allows
for a province. Now a batch the server refuses for its size is written as two halves, the
audit trail is read in ranges, and ``mapper migrate`` copies and verifies the workspace.
"""

from __future__ import annotations

import uuid

import pytest
from click.testing import CliRunner

from mapper.cli import main
from mapper.store import SQLiteStore
from mapper.store.dump import checksum
from mapper.store.neo4j import Neo4jStore, close_drivers
from mapper.store.neo4j.transaction import TransactionTooBigError
from tests.conftest import NEO4J_REQUIRED, NEO4J_SKIP_REASON
from tests.neo4j_server.launcher import missing_tools, start

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

#: The server's cap on one transaction (MiB): a load batch of 20,000 ties is over it.
CAP_MIB = 16
PASSWORD = "geheim-" + uuid.uuid4().hex[:8]


@pytest.fixture(scope="module")
def capped(tmp_path_factory):
    missing = missing_tools()
    if missing is not None:
        if NEO4J_REQUIRED:
            pytest.fail(f"MAPPER_TEST_NEO4J=required, but {missing}")
        pytest.skip(f"{NEO4J_SKIP_REASON} ({missing})")
    server = start(
        settings={
            "NEO4J_TEST_HOME": str(tmp_path_factory.mktemp("neo4j-capped")),
            "NEO4J_TEST_PASSWORD": PASSWORD,
            "NEO4J_TEST_TX_MEMORY": str(CAP_MIB),
        }
    )
    yield server.info
    server.stop()
    close_drivers()


@pytest.fixture(scope="module")
def town(tmp_path_factory):
    """A SQLite workspace of 2,000 people and 30,000 ties (with as many audit entries)."""
    path = tmp_path_factory.mktemp("town") / "town.db"
    store = SQLiteStore(path)
    store.create_workspace("stad", "Stad")
    people = store.add_nodes(
        "stad", [{"kind": "Person", "name": f"Persoon {i}"} for i in range(2_000)]
    )
    ids = [p.id for p in people]
    store.add_ties(
        "stad",
        [
            {
                "kind": "KNOWS",
                "source": ids[i % 2_000],
                "target": ids[(i * 7 + 1 + i // 2_000) % 2_000],
                "strength": 0.5,
                "props": {"note": "x" * 40},
            }
            for i in range(30_000)
            if i % 2_000 != (i * 7 + 1 + i // 2_000) % 2_000
        ],
    )
    store.close()
    return path


def _open(info) -> Neo4jStore:
    return Neo4jStore(info.uri, user=info.user, password=info.password)


def test_a_batch_over_the_cap_is_one_clear_error_and_not_a_clash(capped):
    store = _open(capped)
    store.create_workspace("groot", "Groot")
    people = store.add_nodes("groot", [{"kind": "Person", "name": f"P{i}"} for i in range(2)])
    with pytest.raises(TransactionTooBigError, match="db.memory.transaction.max"):
        store.add_ties(
            "groot",
            [
                {
                    "kind": "KNOWS",
                    "source": people[0].id,
                    "target": people[1].id,
                    "props": {"n": "y" * 200},
                }
                for _ in range(40_000)
            ],
        )
    assert store.counts("groot")["ties"] == 0  # rolled back whole


def test_migrate_onto_a_capped_server_copies_and_verifies_the_workspace(capped, town, monkeypatch):
    monkeypatch.setenv("NEO4J_USER", capped.user)
    monkeypatch.setenv("NEO4J_PASSWORD", capped.password)
    result = CliRunner().invoke(
        main, ["migrate", "--from", f"sqlite:///{town}", "--to", capped.uri, "--workspace", "stad"]
    )
    assert result.exit_code == 0, result.output
    source = SQLiteStore(town)
    target = _open(capped)
    try:
        assert [w.slug for w in target.workspaces()].count("stad") == 1
        original, copy = source.dump_workspace("stad"), target.dump_workspace("stad")
        assert copy.counts() == original.counts()
        assert copy.counts()["audit"] > 30_000
        assert checksum(copy) == checksum(original)
    finally:
        source.close()
