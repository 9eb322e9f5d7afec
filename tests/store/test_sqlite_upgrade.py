"""The first open of a file made before name search and ``audit_refs`` upgrades it
(``nodes.folded`` filled by one ``UPDATE``, the audit-target index, the ``audit_refs`` rows
found by SQL): the same result as checking every entry in Python, and crash-safe (a process
killed in the middle leaves the old file, and the next open upgrades it)."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import unicodedata
from pathlib import Path

import pytest

from mapper.store import SQLiteStore
from mapper.store.sqlite import audit_refs
from mapper.store.sqlite.connection import SCHEMA_OBJECTS
from mapper.store.values import fold

NAMES = ["Jan de Vries", "  Fatma  Yılmaz ", "Zoë Öztürk", "ÅSA Ørsted", "Straße 5", "x\ty"]

#: (action, target_type, target_id, refs text) written straight into the trail: shapes the
#: SQL leaves out as derivable and shapes it must hand to ``derivable``.
ODD_ROWS = [
    ("create", "tie", "tie-x", " tie-x per-a per-b "),  # derivable by shape
    ("change", "contact", "con-x", " con-x per-a per-b "),
    ("end", "tie", "tie-x", " tie-x per-a per-b "),
    ("edit", "tie", "tie-x", " tie-x per-a per-b "),  # not an action in _ENDED
    ("create", "node", "tie-x", " tie-x per-a per-b "),  # not a tie or contact
    ("create", "tie", "tie-x", " tie-x per-a "),  # two refs
    ("create", "tie", "tie-x", " tie-x per-a per-b per-c "),  # four
    ("create", "tie", "tie-x", " tie-x  per-a per-b "),  # a double space: still three
    ("create", "tie", "tie-x", " tie-x  per-a "),  # four spaces, two refs
    ("create", "tie", "tie-x", " tie-x per-a per-b per-c"),  # four spaces, four refs
    ("create", "tie", "tie-x", "tie-x per-a per-b"),  # no spaces around: still three
    ("create", "tie", "tie-x", " per-a tie-x per-b "),  # the target not first
    ("create", "tie", "tie-xy", " tie-x per-a per-b "),  # a prefix of the target
    ("create", "tie", "", "  per-a per-b "),
    ("create", "tie", None, " per-a per-b per-c "),  # no target
    ("create", "node", None, " per-a "),
    ("create", "node", None, "  "),  # no refs at all
    ("create", "node", "per-a", " per-a "),  # the target alone
    ("create", "node", "per-a", "per-a"),
    ("create", "node", "per-a", "  per-a  "),
    ("create", "node", "per-a b", " per-a b "),  # a space in the target
    ("create", "tie", "tie-x b", " tie-x b per-a "),
    ("create", "node", "per-a", " per-a per-a "),  # a ref twice: one row
    ("merge", "node", "per-a", " per-a per-b "),
    ("create", "tie", "tié-x", " tié-x pér-a per-b "),
]
#: Whitespace other than a space: ``str.split`` splits on it, SQL would not.
EXOTIC = [
    ("create", "tie", "tie-x", " tie-x per-a\tper-c per-b "),
    ("create", "tie", "tie-x", " tie-x per-a per-b\u00a0per-c "),
    ("create", "node", "per-a\u2028b", " per-a\u2028b "),
    ("create", "tie", "tie-x", " tie-x per-a per-b\x1f "),
]


def make_old(path: Path, rows: list[tuple[str, str, str | None, str]], ties: int = 30) -> None:
    """A file as the release before name search wrote it, with ``rows`` in its trail."""
    store = SQLiteStore(path)
    ws = store.create_workspace("w")
    people = ws.add_nodes(
        [dict(kind="Person", name=name, id=f"per-{i}") for i, name in enumerate(NAMES * 5)]
    )
    rng = random.Random(7)
    ws.add_ties(
        [
            dict(kind="KNOWS", source=a.id, target=b.id)
            for a, b in (rng.sample(people, 2) for _ in range(ties))
        ]
    )
    ws.update_node("per-0", name="Jan de Vries-Özil")
    ws.record_audit("edit", target_type="node", target_id="per-1", refs=["per-2"])
    store.conn.executemany(
        "INSERT INTO audit(workspace, at, actor, action, target_type, target_id, label, refs)"
        " VALUES ('w', '2024-01-01', 'test', ?, ?, ?, 'x', ?)",
        rows,
    )
    store.close()
    conn = sqlite3.connect(path)
    conn.execute("DROP INDEX nodes_folded")
    conn.execute("ALTER TABLE nodes DROP COLUMN folded")
    conn.execute("DROP INDEX audit_target")
    conn.execute("DROP TABLE audit_refs")
    conn.commit()
    conn.close()


def expected(path: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """What the upgrade must write, worked out entry by entry as the previous release did:
    every node version's folded name, and the audit_refs rows of every entry that is not
    derivable, of those whose refs text is not one space or its target alone."""
    conn = sqlite3.connect(path)
    folded = [
        (id_, version, fold(name))
        for id_, version, name in conn.execute("SELECT id, version, name FROM nodes")
    ]
    refs = [
        (ws, ref, seq)
        for seq, ws, action, kind, target, text in conn.execute(
            "SELECT seq, workspace, action, target_type, target_id, refs FROM audit"
            " WHERE refs != ' ' AND refs != ' ' || coalesce(target_id, '') || ' '"
        )
        if not audit_refs.derivable(action, kind, target, text.split())
        for ref in dict.fromkeys(text.split())
    ]
    conn.close()
    return sorted(folded), sorted(refs)


def written(path: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    folded = conn.execute("SELECT id, version, folded FROM nodes").fetchall()
    refs = conn.execute("SELECT workspace, ref, seq FROM audit_refs").fetchall()
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert names >= SCHEMA_OBJECTS
    return sorted(folded), sorted(refs)


@pytest.mark.parametrize("exotic", [False, True], ids=["spaces only", "other whitespace"])
def test_the_upgrade_writes_what_checking_every_entry_gives(tmp_path, exotic):
    path = tmp_path / "old.db"
    make_old(path, ODD_ROWS + (EXOTIC if exotic else []))
    assert audit_refs._spaces_only(sqlite3.connect(path)) is not exotic
    want = expected(path)
    assert len(want[1]) > 20  # the odd rows are there to be found
    SQLiteStore(path).close()
    assert written(path) == want
    store = SQLiteStore(path)  # a second open changes nothing
    try:
        assert [n.id for n in store.find_nodes("w", "ozil")] == ["per-0"]
        assert [n.id for n in store.find_nodes("w", "fatma yilmaz")][0] == "per-1"
    finally:
        store.close()
    assert written(path) == want


def _fold_unicode(text: str) -> str:
    """fold() without its shortcut for ASCII text (as it was written before)."""
    text = text.replace("ı", "i").replace("ł", "l").replace("ø", "o").replace("ß", "ss")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def test_folding_ascii_text_takes_a_shortcut_with_the_same_result():
    rng = random.Random(12)
    ascii_chars = [chr(i) for i in range(128)]
    texts = ascii_chars + [
        "".join(rng.choices(ascii_chars, k=rng.randint(0, 30))) for _ in range(3000)
    ]
    for text in texts:
        assert fold(text) == _fold_unicode(text), repr(text)
    for text in NAMES + ["Ĳssel", "ﬁets", "Åse"]:
        assert fold(text) == _fold_unicode(text), repr(text)


UPGRADER = textwrap.dedent(
    """
    import sys
    from mapper.store.sqlite import connection, schema

    real = schema.add_folded_names

    def add_folded_names(conn):  # the last step: the rest of the upgrade is written
        real(conn)
        print("upgrading, not committed", flush=True)
        sys.stdin.read()  # hold the transaction open until killed

    connection.add_folded_names = add_folded_names
    from mapper.store import SQLiteStore

    SQLiteStore(sys.argv[1])
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_a_process_killed_mid_upgrade_leaves_the_old_file_and_the_next_open_upgrades(tmp_path):
    path = tmp_path / "old.db"
    make_old(path, ODD_ROWS, ties=3000)
    want = expected(path)
    with subprocess.Popen(
        [sys.executable, "-c", UPGRADER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    ) as proc:
        try:
            assert "upgrading, not committed" in proc.stdout.readline().decode()
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == -signal.SIGKILL
    conn = sqlite3.connect(path)  # the old file, whole: nothing of the upgrade committed
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    columns = {row[1] for row in conn.execute("PRAGMA table_info(nodes)")}
    conn.close()
    assert not names & {"audit_refs", "audit_target", "nodes_folded"}
    assert "folded" not in columns
    store = SQLiteStore(path)  # the next open upgrades it, as if nothing had happened
    try:
        assert written(path) == want
        store.erase_node("w", "per-3")
        assert audit_refs.entries_naming(store.conn, "w", ["per-3"]) == []
    finally:
        store.close()
