"""Shared fixtures: stores (in memory, in a file, Neo4j when configured), the app, a client."""

from __future__ import annotations

import os
import uuid

import pytest

from mapper.store import SQLiteStore

NEO4J_ENV = ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD")
NEO4J_SKIP_REASON = (
    "Neo4j store not tested: set NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD to run the store "
    "contract suite against a real Neo4j 5 server"
)


def neo4j_configured() -> bool:
    return all(os.environ.get(name) for name in NEO4J_ENV)


def _neo4j_store():
    from mapper.store.neo4j import Neo4jStore

    return Neo4jStore(
        os.environ["NEO4J_URI"],
        user=os.environ["NEO4J_USER"],
        password=os.environ["NEO4J_PASSWORD"],
        database=os.environ.get("NEO4J_DATABASE") or None,
    )


@pytest.fixture(
    params=[
        "sqlite-memory",
        "sqlite-file",
        pytest.param("neo4j", marks=pytest.mark.neo4j),
    ]
)
def any_store(request, tmp_path):
    """Every store adapter, for the contract suite. Neo4j runs only when configured."""
    if request.param == "sqlite-memory":
        store = SQLiteStore(":memory:")
    elif request.param == "sqlite-file":
        store = SQLiteStore(tmp_path / "contract.db")
    else:
        if not neo4j_configured():
            pytest.skip(NEO4J_SKIP_REASON)
        store = _neo4j_store()
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
