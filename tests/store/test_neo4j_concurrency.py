"""Concurrency on a real Neo4j server: separate processes writing the same tie, erasure under load.

Each writer is its own Python process with its own driver and connection pool, as two web
workers or a web worker and a CLI import would be.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.conftest import _neo4j_store

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

#: Writer processes, and changes each makes to the one tie.
WRITERS = 2
CHANGES = 200
#: Seconds the writers may take (400 changes; a few seconds on an idle 2-core machine).
WRITER_TIMEOUT = 1800

WRITER = """
import sys, time
from pathlib import Path
from mapper.store.neo4j import Neo4jStore
import os

slug, tie_id, n, changes, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
store = Neo4jStore(os.environ["NEO4J_URI"])
ws = store.workspace(slug)
Path(go + f".ready{n}").touch()
while not Path(go).exists():
    time.sleep(0.01)
for i in range(changes):
    ws.change_tie(tie_id, on="2025-01-01", strength=(n * changes + i + 1) / 10000)
print("done", n)
"""


def _cypher(store, query, **params):
    records, _, _ = store.driver.execute_query(query, params, database_=store.database)
    return [r.data() for r in records]


def test_two_processes_changing_one_tie_lose_no_update_and_erasure_under_load(
    neo4j_server, tmp_path
):
    store = _neo4j_store(neo4j_server)
    slug = f"conc-{uuid.uuid4().hex[:10]}"
    ws = store.create_workspace(slug, "Gelijktijdig")
    try:
        anna = ws.add_node("Staff", "Anna")
        jan = ws.add_node("Person", "Jan")
        tie = ws.add_tie("KNOWS", anna.id, jan.id, strength=0.0, since="2024-01-01")
        # People to erase while the writers run; each knows Anna (whose node the writers'
        # ties touch) and has a contact moment and a changed tie.
        doomed = []
        for k in range(10):
            p = ws.add_node("Person", f"Te wissen {k}")
            t = ws.add_tie("KNOWS", anna.id, p.id, strength=0.4, since="2024-01-01")
            ws.change_tie(t.id, on="2024-06-01", strength=0.6)
            ws.add_contact(anna.id, p.id, on="2024-07-01", mode="gesprek")
            doomed.append((p.id, t.id))

        go = tmp_path / "go"
        env = {**os.environ, **neo4j_server.env(), "PYTHONPATH": str(Path.cwd())}
        writers = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-W",
                    "error",
                    "-c",
                    WRITER,
                    slug,
                    tie.id,
                    str(n),
                    str(CHANGES),
                    str(go),
                ],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for n in range(WRITERS)
        ]
        deadline = time.monotonic() + 120
        while not all((tmp_path / f"go.ready{n}").exists() for n in range(WRITERS)):
            assert time.monotonic() < deadline, "the writers did not start"
            assert all(w.poll() is None for w in writers), [w.communicate() for w in writers]
            time.sleep(0.05)
        go.touch()
        erased = []
        for person, _ in doomed:
            time.sleep(0.2)
            erased.append(ws.erase_node(person))
        outputs = [w.communicate(timeout=WRITER_TIMEOUT) for w in writers]
        assert [w.returncode for w in writers] == [0] * WRITERS, outputs

        history = ws.tie_history(tie.id)
        total = 1 + WRITERS * CHANGES
        assert [v.version for v in history] == list(range(1, total + 1))
        assert [v.current for v in history] == [False] * (total - 1) + [True]
        # Every change closed the version it read: no two versions were opened from one.
        assert all(v.until is not None for v in history[:-1])
        written = sorted(v.strength for v in history[1:])
        assert written == sorted((k + 1) / 10000 for k in range(WRITERS * CHANGES))

        assert all(e["ties"] == 1 and e["tie_versions"] == 2 for e in erased), erased
        for person, person_tie in doomed:
            assert _cypher(
                store,
                "MATCH (x {workspace: $ws}) WHERE x.id = $id OR x.a = $id OR x.b = $id "
                "RETURN count(x) AS n",
                ws=slug,
                id=person,
            ) == [{"n": 0}]
            assert _cypher(
                store,
                "MATCH ()-[r {workspace: $ws, tie_id: $tid}]->() RETURN count(r) AS n",
                ws=slug,
                tid=person_tie,
            ) == [{"n": 0}]
            assert not ws.audit(entity=person)
        assert {n.id for n in ws.nodes()} == {anna.id, jan.id}
    finally:
        store.delete_workspace(slug)
        store.close()
