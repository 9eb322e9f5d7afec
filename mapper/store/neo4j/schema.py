"""The constraints and indexes the store needs, created once per process and database.

Every statement is ``IF NOT EXISTS``, so creating the schema on a database that has it already
changes nothing (tested on a fresh and on an existing database in ``tests/store/test_neo4j_server.py``).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import neo4j

from ...errors import MapperError, StoreUnavailableError
from ...model import RelKind
from .rows import name_key
from .transaction import DRIVER_ERRORS, translate

log = logging.getLogger(__name__)

SCHEMA: list[str] = [
    "CREATE CONSTRAINT mapper_workspace_slug IF NOT EXISTS "
    "FOR (w:Workspace) REQUIRE w.slug IS UNIQUE",
    "CREATE CONSTRAINT mapper_entity_key IF NOT EXISTS "
    "FOR (n:Entity) REQUIRE (n.workspace, n.id) IS UNIQUE",
    "CREATE CONSTRAINT mapper_node_version_key IF NOT EXISTS "
    "FOR (v:NodeVersion) REQUIRE (v.workspace, v.id, v.version) IS UNIQUE",
    "CREATE CONSTRAINT mapper_contact_key IF NOT EXISTS "
    "FOR (c:Contact) REQUIRE (c.workspace, c.id) IS UNIQUE",
    "CREATE CONSTRAINT mapper_audit_key IF NOT EXISTS "
    "FOR (e:AuditEntry) REQUIRE (e.workspace, e.seq) IS UNIQUE",
    "CREATE INDEX mapper_entity_workspace IF NOT EXISTS FOR (n:Entity) ON (n.workspace)",
    "CREATE INDEX mapper_node_version_id IF NOT EXISTS FOR (v:NodeVersion) ON (v.id)",
    "CREATE INDEX mapper_node_version_workspace IF NOT EXISTS FOR (v:NodeVersion) ON (v.workspace)",
    "CREATE INDEX mapper_contact_workspace IF NOT EXISTS FOR (c:Contact) ON (c.workspace)",
    "CREATE INDEX mapper_audit_workspace IF NOT EXISTS FOR (e:AuditEntry) ON (e.workspace)",
    # Name search (find_nodes): exact, prefix and substring matches of the folded name.
    "CREATE TEXT INDEX mapper_entity_name_key IF NOT EXISTS FOR (n:Entity) ON (n.name_key)",
    # small documents beside the graph: invitations and their answers
    "CREATE INDEX mapper_record_workspace IF NOT EXISTS FOR (r:Record) ON (r.workspace)",
]
for _kind in RelKind:
    _low = _kind.value.lower()
    SCHEMA.append(
        f"CREATE INDEX mapper_tie_{_low}_id IF NOT EXISTS FOR ()-[r:{_kind.value}]-() ON (r.tie_id)"
    )
#: Relationship uniqueness constraints need Neo4j 5.7 or later; on an older server they are
#: skipped with a log message (the write locks still prevent lost updates).
REL_CONSTRAINTS: list[str] = [
    f"CREATE CONSTRAINT mapper_tie_{k.value.lower()}_version IF NOT EXISTS "
    f"FOR ()-[r:{k.value}]-() REQUIRE (r.workspace, r.tie_id, r.version) IS UNIQUE"
    for k in RelKind
]
del _kind, _low

_READY: set[tuple[str, str | None, str | None]] = set()
_LOCK = threading.Lock()


def forget() -> None:
    """Forget which databases have the schema (so the next store creates it again)."""
    with _LOCK:
        _READY.clear()


def ensure_schema(store: Any) -> None:
    """Create the schema in the store's database unless this process did so already."""
    key = (store.uri, store.user, store.database)
    if key in _READY:
        return
    with _LOCK:
        if key not in _READY:
            create_schema(store)
            _READY.add(key)


def create_schema(store: Any) -> None:
    """Create the constraints and indexes (idempotent: ``IF NOT EXISTS``).

    Raises
    ------
    StoreUnavailableError
        When the user may not change the schema, naming the server and user.
    """
    for statement in SCHEMA:
        try:
            _run(store, statement)
        except MapperError as exc:
            raise StoreUnavailableError(
                "cannot create the constraints and indexes community-mapper needs in "
                "Neo4j at {uri} (does user {user!r} have schema rights?): {exc}",
                uri=store.uri,
                user=store.user,
                exc=exc,
            ) from None
    for statement in REL_CONSTRAINTS:
        try:
            _run(store, statement)
        except MapperError as exc:
            log.warning(
                "relationship uniqueness constraints need Neo4j 5.7 or later; skipped (%s)", exc
            )
            break
    backfill_name_keys(store)


#: Entities given their search key per statement by :func:`backfill_name_keys`.
BACKFILL_BATCH = 10_000


def backfill_name_keys(store: Any) -> int:
    """Give every entity written before names had a search key (``name_key``, see
    :func:`~mapper.store.neo4j.rows.name_key`) its key; returns how many were given one.

    Run with the schema, once per process and database; on a database where every entity
    has its key it is one scan of the entities that finds nothing. Folding is Python's
    (Cypher has no equivalent), so the names are read, folded here and written back, in
    batches of :data:`BACKFILL_BATCH`.
    """
    keys = _query(
        store,
        "CALL db.propertyKeys() YIELD propertyKey WHERE propertyKey = 'name' RETURN count(*) AS n",
    )
    if not keys or not keys[0]["n"]:
        return 0  # a fresh database: nothing to backfill (and no warning about `name`)
    done = 0
    while True:
        rows = _query(
            store,
            "MATCH (n:Entity) WHERE n.name_key IS NULL AND n.name IS NOT NULL "
            "RETURN elementId(n) AS eid, n.name AS name LIMIT $batch",
            batch=BACKFILL_BATCH,
        )
        if not rows:
            return done
        _query(
            store,
            "UNWIND $rows AS row MATCH (n:Entity) WHERE elementId(n) = row.eid "
            "SET n.name_key = row.key",
            rows=[{"eid": r["eid"], "key": name_key(str(r["name"]))} for r in rows],
        )
        done += len(rows)
        log.info("gave %d entities their name search key", done)


def _run(store: Any, statement: str) -> None:
    _query(store, statement)


def _query(store: Any, statement: str, **params: Any) -> list[Any]:
    try:
        result = store.driver.execute_query(
            statement, params, routing_=neo4j.RoutingControl.WRITE, database_=store.database
        )
    except DRIVER_ERRORS as exc:
        raise translate(exc) from None
    return list(result.records)
