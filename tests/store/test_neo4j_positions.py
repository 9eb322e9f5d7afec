"""Two processes saving positions of one map at the same moment, on a real Neo4j server
(and on a SQLite file, the reference): no point saved by either is lost.

A map's positions are kept in the workspace's settings (``web.map_layouts.save_layout``: read what
is kept, merge the new points, write the settings back). Each writer is its own OS process
with its own store and driver, as two web workers are; each drags its own points, one save
per round, and also sends first placements (``only_new``) for points the other one owns.
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

pytestmark = pytest.mark.slow

#: Writer processes and the saves each makes.
WRITERS = 2
ROUNDS = 60
WRITER_TIMEOUT = 900
MAP_KEY = "scan:th_concurrent"

WRITER = """
import sys, time
from pathlib import Path
from mapper.store import open_store
from web.map_layouts import save_layout

url, slug, n, rounds, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
other = 1 - n
ws = open_store(url).workspace(slug)
Path(go + f".ready{n}").touch()
while not Path(go).exists():
    time.sleep(0.01)
for i in range(rounds):
    # A dragged point of this writer's own, then a first placement of the other's point
    # (kept only if the other has not saved it yet).
    save_layout(ws, "MAP", {f"w{n}-p{i}": (float(n), float(i))})
    save_layout(ws, "MAP", {f"w{other}-p{i}": (-1.0, -1.0)}, only_new=True)
print("done", n)
""".replace("MAP", MAP_KEY)


def _run_writers(url: str, slug: str, env: dict[str, str], tmp_path: Path) -> None:
    go = tmp_path / "go"
    env = {**os.environ, **env, "PYTHONPATH": str(Path.cwd())}
    writers = [
        subprocess.Popen(
            [sys.executable, "-W", "error", "-c", WRITER, url, slug, str(n), str(ROUNDS), str(go)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(WRITERS)
    ]
    try:
        deadline = time.monotonic() + 120
        while not all((tmp_path / f"go.ready{n}").exists() for n in range(WRITERS)):
            assert time.monotonic() < deadline, "the writers did not start"
            assert all(w.poll() is None for w in writers), [w.communicate() for w in writers]
            time.sleep(0.05)
        go.touch()
        outputs = [w.communicate(timeout=WRITER_TIMEOUT) for w in writers]
    finally:
        for w in writers:
            if w.poll() is None:
                w.kill()
                w.communicate()
    assert [w.returncode for w in writers] == [0] * WRITERS, outputs


def _assert_every_point_kept(ws) -> None:
    from web.map_layouts import stored_layout

    kept = stored_layout(ws, MAP_KEY)
    expected = {f"w{n}-p{i}" for n in range(WRITERS) for i in range(ROUNDS)}
    lost = sorted(expected - set(kept))
    assert not lost, f"{len(lost)} of {len(expected)} points lost, e.g. {lost[:5]}"
    # A point's own save wins over the other writer's first placement whichever came first:
    # a first placement never overwrites a kept position, and a drag replaces a placement.
    wrong = {
        k: v
        for k, v in kept.items()
        if v != (float(k[1]), float(k.split("-p")[1]))  # w<n>-p<i> -> (n, i)
    }
    assert not wrong, f"{len(wrong)} points not where their writer put them: {list(wrong)[:5]}"


@pytest.mark.neo4j
def test_two_processes_saving_positions_of_one_map_on_neo4j_lose_none(neo4j_server, tmp_path):
    store = _neo4j_store(neo4j_server)
    slug = f"pos-{uuid.uuid4().hex[:10]}"
    ws = store.create_workspace(slug, "Posities")
    try:
        _run_writers(neo4j_server.uri, slug, neo4j_server.env(), tmp_path)
        _assert_every_point_kept(ws)
    finally:
        store.delete_workspace(slug)


def test_two_processes_saving_positions_of_one_map_on_sqlite_lose_none(tmp_path):
    from mapper.store import SQLiteStore

    path = tmp_path / "positions.db"
    store = SQLiteStore(path)
    store.create_workspace("posities", "Posities")
    store.close()
    _run_writers(f"sqlite:///{path}", "posities", {}, tmp_path)
    _assert_every_point_kept(SQLiteStore(path).workspace("posities"))
