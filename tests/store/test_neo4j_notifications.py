"""The driver's notification log on a real Neo4j server: the store's queries name properties
that no record may have yet (``until`` on a fresh database, before any tie has ended), and
the server's "property does not exist" warnings about them are not asked for; real warnings
(a deprecated function, for one) are still logged.
"""

from __future__ import annotations

import logging
import uuid

import pytest

from tests.conftest import _neo4j_store

pytestmark = pytest.mark.neo4j

LOGGER = "neo4j.notifications"


@pytest.fixture
def neo(neo4j_server):
    store = _neo4j_store(neo4j_server)
    slug = f"t-{uuid.uuid4().hex[:12]}"
    yield store, slug
    try:
        store.delete_workspace(slug)
    except Exception:  # noqa: BLE001 - it may not have been created
        pass
    store.close()


def _warnings(caplog):
    return [r.getMessage() for r in caplog.records if r.name == LOGGER]


def test_a_property_no_record_has_gives_no_warning_but_real_warnings_stay(neo, caplog):
    store, _ = neo
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    never = f"p_{uuid.uuid4().hex}"  # a property key this server has never seen
    rows = store._read(f"MATCH (n:Entity) WHERE n.{never} IS NOT NULL RETURN count(n) AS n")
    assert rows[0]["n"] == 0
    rows = store._read(f"MATCH (n:Label_{never[2:]}) RETURN count(n) AS n")  # nor a label
    assert rows[0]["n"] == 0
    assert _warnings(caplog) == []
    # A real warning still reaches the log: id() is deprecated in Neo4j 5.
    store._read("MATCH (w:Workspace) RETURN id(w) AS i LIMIT 1")
    logged = _warnings(caplog)
    assert logged and all("UNRECOGNIZED" not in m for m in logged)
    assert any("DEPRECATION" in m for m in logged)


def test_a_fresh_workspace_s_first_queries_log_no_unrecognized_warning(neo, caplog):
    store, slug = neo
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    store.create_workspace(slug, "Nieuw")
    a = store.add_node(slug, "Person", "Anna")
    theme = store.add_node(slug, "Theme", "lezen")
    store.add_tie(slug, "ACTIVE_ON", a.id, theme.id, strength=0.5)
    store.project_around(slug, [theme.id], depth=2)
    store.project(slug)
    store.projection(slug)
    list(store.contacts(slug))
    store.find_nodes(slug, "ann")
    assert [m for m in _warnings(caplog) if "UNRECOGNIZED" in m] == []
