"""Shared fixtures: stores (in memory, in a file, Neo4j when configured), the app, a client."""

from __future__ import annotations

import os
import uuid

import pytest

from mapper.store import SQLiteStore

NEO4J_ENV = ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD")
NEO4J_SKIP_REASON = (
    "Neo4j store not tested: no Neo4j server. Install Java 17+ and Maven (Debian: apt-get "
    "install openjdk-17-jdk-headless maven) and the suite starts its own (tests/neo4j_server), "
    "or point NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD at a Neo4j 5 server "
    '(scripts/neo4j-test-server.sh start; eval "$(scripts/neo4j-test-server.sh env)")'
)
#: ``MAPPER_TEST_NEO4J=required`` (set by scripts/test.sh, so in CI) makes a missing server an
#: error instead of a skip: CI runs every Neo4j test.
NEO4J_REQUIRED = os.environ.get("MAPPER_TEST_NEO4J") == "required"


def neo4j_configured() -> bool:
    """True when NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD name a server to test against."""
    return all(os.environ.get(name) for name in NEO4J_ENV)


@pytest.fixture(scope="session")
def neo4j_server():
    """The Neo4j server of this test session: the one NEO4J_URI names, else the project's own
    test server (tests/neo4j_server, started once here and stopped at the end), else skip."""
    from tests.neo4j_server.launcher import ServerInfo, missing_tools, start

    if neo4j_configured():
        yield ServerInfo(
            uri=os.environ["NEO4J_URI"],
            user=os.environ["NEO4J_USER"],
            password=os.environ["NEO4J_PASSWORD"],
            database=os.environ.get("NEO4J_DATABASE") or None,
        )
        return
    missing = missing_tools()
    if missing is not None:
        if NEO4J_REQUIRED:
            pytest.fail(f"MAPPER_TEST_NEO4J=required, but {missing}: {NEO4J_SKIP_REASON}")
        pytest.skip(f"{NEO4J_SKIP_REASON} ({missing})")
    server = start()
    try:
        yield server.info
    finally:
        server.stop()
        from mapper.store.neo4j import close_drivers

        close_drivers()


def _neo4j_store(info):
    from mapper.store.neo4j import Neo4jStore

    return Neo4jStore(info.uri, user=info.user, password=info.password, database=info.database)


@pytest.fixture(
    params=[
        "sqlite-memory",
        "sqlite-file",
        pytest.param("neo4j", marks=pytest.mark.neo4j),
    ]
)
def any_store(request, tmp_path):
    """Every store adapter, for the contract suite; Neo4j on the session's server."""
    if request.param == "sqlite-memory":
        store = SQLiteStore(":memory:")
    elif request.param == "sqlite-file":
        store = SQLiteStore(tmp_path / "contract.db")
    else:
        store = _neo4j_store(request.getfixturevalue("neo4j_server"))
    created: list[str] = []
    store.created_workspaces = created  # type: ignore[attr-defined]
    yield store
    for slug in created:
        try:
            store.delete_workspace(slug)
        except Exception:  # noqa: BLE001 - best-effort cleanup on a shared server
            pass
    store.close()


@pytest.fixture
def ws(any_store):
    """A fresh, uniquely named workspace in every store adapter (cleaned up afterwards)."""
    slug = f"t-{uuid.uuid4().hex[:12]}"
    handle = any_store.create_workspace(slug, "Test")
    any_store.created_workspaces.append(slug)
    return handle


@pytest.fixture
def store():
    """An in-memory embedded store."""
    s = SQLiteStore(":memory:")
    yield s
    s.close()


@pytest.fixture
def file_store(tmp_path):
    s = SQLiteStore(tmp_path / "mapper.db")
    yield s
    s.close()


from tests.fixtures_web import *  # noqa: E402,F401,F403 - app, client, demo fixtures
