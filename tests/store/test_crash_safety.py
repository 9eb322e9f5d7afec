"""A killed process never leaves a half-written graph: SIGKILL in the middle of a write
transaction, then open the file again and find the graph exactly as before."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from mapper.store import SQLiteStore

WRITER = textwrap.dedent(
    """
    import sys
    from mapper.store import SQLiteStore

    store = SQLiteStore(sys.argv[1])
    ws = store.workspace("town")
    with ws.atomic():
        people = ws.add_nodes([{"kind": "Person", "name": f"Inwoner {i}"} for i in range(2000)])
        theme = ws.lookup("lezen", kind="Theme")
        ws.add_ties([{"kind": "ACTIVE_ON", "source": p.id, "target": theme.id} for p in people])
        print("written, not committed", flush=True)
        sys.stdin.read()  # hold the transaction open until killed
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_killed_writer_leaves_the_graph_as_it_was(tmp_path):
    path = tmp_path / "town.db"
    store = SQLiteStore(path)
    ws = store.create_workspace("town")
    ws.add_node("Theme", "lezen")
    before = ws.counts()
    store.close()

    with subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    ) as proc:
        try:
            line = proc.stdout.readline().decode()
            assert "written, not committed" in line
            # The rows are in the open transaction (the WAL may already hold pages of it).
            time.sleep(0.2)
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == -signal.SIGKILL

    reopened = SQLiteStore(path)
    try:
        ws = reopened.workspace("town")
        assert ws.counts() == before
        assert [n.name for n in ws.nodes()] == ["lezen"]
        # And the store is fully usable afterwards.
        ws.add_node("Person", "Na de crash")
        assert ws.counts()["Person"] == 1
    finally:
        reopened.close()
