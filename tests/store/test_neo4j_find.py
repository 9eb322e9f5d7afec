"""Name search on a real Neo4j server: entities written before names had a search key
(``name_key``) get one when the schema is set up, and are then found like any other."""

from __future__ import annotations

import uuid

import pytest

from mapper.store.base import Store
from mapper.store.neo4j import schema
from tests.conftest import _neo4j_store

pytestmark = pytest.mark.neo4j


def test_entities_without_a_search_key_get_one_on_schema_setup(neo4j_server):
    store = _neo4j_store(neo4j_server)
    slug = f"find-{uuid.uuid4().hex[:10]}"
    ws = store.create_workspace(slug, "Zoeken")
    try:
        ws.add_node("Person", "Zoë Bakker", id="per-zoe")
        ws.add_node("Person", "Straße", id="per-strasse")
        # As an older version wrote them: no search key.
        store.driver.execute_query(
            "MATCH (n:Entity {workspace: $ws}) REMOVE n.name_key",
            {"ws": slug},
            database_=store.database,
        )
        assert ws.find_nodes("zoe") == []
        schema.forget()
        again = _neo4j_store(neo4j_server)  # sets up the schema, which backfills the keys
        found = again.workspace(slug)
        assert [n.id for n in found.find_nodes("zoe")] == ["per-zoe"]
        assert [n.id for n in found.find_nodes("STRASSE")] == ["per-strasse"]
        for text in ("zoe", "ss", "a", "e"):
            assert found.find_nodes(text) == Store.find_nodes(again, slug, text)
        assert schema.backfill_name_keys(again) == 0
    finally:
        store.delete_workspace(slug)
