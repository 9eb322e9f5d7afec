"""The Neo4j store against a Neo4j server of its own, which these tests start, stop and kill.

The session's server (``neo4j_server``) is shared by every Neo4j test; what needs a fresh
database, a short lock timeout, or a server that goes away mid-request runs here on a private
one (``tests/neo4j_server``, the same real Neo4j), started with its data in ``tmp_path`` so it
can be started again on the same data.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid

import pytest
from click.testing import CliRunner

from mapper.cli import main
from mapper.errors import StoreUnavailableError
from mapper.store import open_store
from mapper.store.neo4j import REL_CONSTRAINTS, SCHEMA, Neo4jStore, close_drivers
from mapper.store.neo4j.store import CONNECTION_TIMEOUT, RETRY_SECONDS
from tests.conftest import NEO4J_REQUIRED, NEO4J_SKIP_REASON
from tests.fixtures_web import SINGLE_USER
from tests.neo4j_server.launcher import missing_tools, start
from web import create_app

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

#: A transaction waits this long for a lock, then fails with a transient error (ms).
LOCK_TIMEOUT_MS = 400
PASSWORD = "geheim-" + uuid.uuid4().hex[:8]


def _names(statements: list[str]) -> set[str]:
    """The names the statements create (the word before ``IF NOT EXISTS``; a ``TEXT
    INDEX`` has one word more in front than a plain one)."""
    return {(w := s.split())[w.index("IF") - 1] for s in statements}


@pytest.fixture(scope="module")
def private(tmp_path_factory):
    """A private Neo4j server on a fresh database: its settings and the running server."""
    missing = missing_tools()
    if missing is not None:
        if NEO4J_REQUIRED:
            pytest.fail(f"MAPPER_TEST_NEO4J=required, but {missing}")
        pytest.skip(f"{NEO4J_SKIP_REASON} ({missing})")
    home = tmp_path_factory.mktemp("neo4j-home")
    settings = {
        "NEO4J_TEST_HOME": str(home),
        "NEO4J_TEST_PASSWORD": PASSWORD,
        "NEO4J_TEST_LOCK_TIMEOUT": str(LOCK_TIMEOUT_MS),
    }
    server = start(settings=settings)
    settings["NEO4J_TEST_PORT"] = server.info.uri.rsplit(":", 1)[1]
    state = {"server": server, "settings": settings}
    yield state
    state["server"].stop()
    close_drivers()


def _open(private) -> Neo4jStore:
    info = private["server"].info
    return Neo4jStore(info.uri, user=info.user, password=info.password)


def _schema_names(store: Neo4jStore) -> tuple[set[str], set[str]]:
    constraints, _, _ = store.driver.execute_query("SHOW CONSTRAINTS YIELD name RETURN name")
    indexes, _, _ = store.driver.execute_query("SHOW INDEXES YIELD name RETURN name")
    return {r["name"] for r in constraints}, {r["name"] for r in indexes}


def test_schema_is_created_on_a_fresh_database_and_again_without_change(private):
    info = private["server"].info
    # Nothing of ours is there before the first store opens.
    import neo4j

    with neo4j.GraphDatabase.driver(info.uri, auth=(info.user, info.password)) as raw:
        before, _, _ = raw.execute_query("SHOW CONSTRAINTS YIELD name RETURN name")
        assert not [r for r in before if r["name"].startswith("mapper_")]
    store = _open(private)
    constraints, indexes = _schema_names(store)
    wanted_constraints = {n for n in _names(SCHEMA + REL_CONSTRAINTS) if n in constraints}
    assert wanted_constraints == _names([s for s in SCHEMA if "CONSTRAINT" in s]) | _names(
        REL_CONSTRAINTS
    )
    assert _names([s for s in SCHEMA if " INDEX " in s]) <= indexes
    # On an existing database (the schema cache forgotten, as in a new process) every
    # statement runs again and changes nothing.
    close_drivers()
    again = _open(private)
    assert _schema_names(again) == (constraints, indexes)
    again._create_schema()
    assert _schema_names(again) == (constraints, indexes)


def test_a_lock_timeout_is_a_transient_error_and_the_write_is_retried(private, caplog):
    store = _open(private)
    ws = store.create_workspace(f"lock-{uuid.uuid4().hex[:8]}", "Locks")
    anna = ws.add_node("Staff", "Anna")
    jan = ws.add_node("Person", "Jan")
    tie = ws.add_tie("KNOWS", anna.id, jan.id, strength=0.2, since="2024-01-01")
    held = threading.Event()
    release = threading.Event()

    def hold_the_tie() -> None:
        # Another client holds the tie's write lock for longer than the lock timeout.
        with store.driver.session() as session:
            tx = session.begin_transaction()
            tx.run("MATCH ()-[r:KNOWS {tie_id: $id}]->() SET r._held = true", id=tie.id).consume()
            held.set()
            release.wait(70)
            tx.rollback()

    class ReleaseOnRetry(logging.Handler):
        # The holder lets go once the driver has announced a retry (or after a minute).
        def emit(self, record: logging.LogRecord) -> None:
            if "retried" in record.getMessage():
                release.set()

    holder = threading.Thread(target=hold_the_tie)
    holder.start()
    held.wait(10)
    handler = ReleaseOnRetry()
    logging.getLogger("neo4j").addHandler(handler)
    fallback = threading.Timer(60, release.set)
    fallback.daemon = True
    fallback.start()
    started = time.monotonic()
    try:
        with caplog.at_level(logging.WARNING, logger="neo4j"):
            changed = ws.change_tie(tie.id, on="2025-01-01", strength=0.8)
    finally:
        logging.getLogger("neo4j").removeHandler(handler)
        fallback.cancel()
        release.set()
    holder.join()
    assert time.monotonic() - started >= LOCK_TIMEOUT_MS / 1000
    assert "LockAcquisitionTimeout" in caplog.text and "retried" in caplog.text
    assert changed.version == 2
    assert [(v.version, v.strength) for v in ws.tie_history(tie.id)] == [(1, 0.2), (2, 0.8)]
    store.delete_workspace(ws.slug)


def test_wrong_credentials_are_one_clear_error_in_cli_and_web(private, tmp_path):
    info = private["server"].info
    url = info.uri.replace("bolt://", f"bolt://{info.user}:fout-wachtwoord@")
    result = CliRunner().invoke(main, ["info", "--database", url])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "refused the login for user 'neo4j'" in lines[0]
    assert "fout-wachtwoord" not in result.output
    app = create_app(
        {"TESTING": True, "DATABASE_URL": url, "WORKSPACE": "demo", "SECRET_KEY": "t"} | SINGLE_USER
    )
    response = app.test_client().get("/")
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "fout-wachtwoord" not in page and "Traceback" not in page


def test_an_unreachable_server_is_one_clear_error_in_cli_and_web():
    url = "bolt://neo4j:geheim@127.0.0.1:1"
    result = CliRunner().invoke(main, ["info", "--database", url])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "cannot reach Neo4j at bolt://127.0.0.1:1" in lines[0]
    app = create_app(
        {"TESTING": True, "DATABASE_URL": url, "WORKSPACE": "demo", "SECRET_KEY": "t"} | SINGLE_USER
    )
    response = app.test_client().get("/themes")
    assert response.status_code == 503
    assert "geheim" not in response.get_data(as_text=True)


def test_a_server_that_dies_mid_write_leaves_nothing_half_written(private, tmp_path):
    """SIGKILL the server while a large load is being written; start it again on the same
    data: the load is not there at all, what was committed before is."""
    store = _open(private)
    slug = f"crash-{uuid.uuid4().hex[:8]}"
    ws = store.create_workspace(slug, "Voor de crash")
    kept = ws.add_node("Person", "Blijft bestaan")
    rows = [{"kind": "Person", "name": f"Inwoner {i}"} for i in range(60_000)]
    outcome: dict[str, BaseException | None] = {}

    def write() -> None:
        try:
            ws.add_nodes(rows)
            outcome["error"] = None
        except BaseException as exc:  # noqa: BLE001 - examined below
            outcome["error"] = exc

    writer = threading.Thread(target=write)
    writer.start()
    time.sleep(1.0)  # the load is under way
    private["server"].kill()
    killed = time.monotonic()
    writer.join(120)
    waited = time.monotonic() - killed
    error = outcome.get("error")
    assert isinstance(error, StoreUnavailableError), error
    # The writer is told within the retry time (10 s) and a connection timeout, not the
    # driver's default 30 s of retrying a server that is gone.
    assert waited < RETRY_SECONDS + 2 * CONNECTION_TIMEOUT + 5, waited
    assert "Neo4j" in str(error) and "\n" not in str(error)
    # The CLI, meanwhile, says once that the server cannot be reached.
    info = private["server"].info
    url = info.uri.replace("bolt://", f"bolt://{info.user}:{info.password}@")
    close_drivers()
    result = CliRunner().invoke(main, ["info", "--database", url, "--workspace", slug])
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
    assert "cannot reach Neo4j" in result.output
    # Start again on the same data folder, port and password.
    private["server"] = start(settings=private["settings"])
    again = open_store(url)
    there = again.workspace(slug)
    assert [n.id for n in there.nodes()] == [kept.id]
    again.delete_workspace(slug)
