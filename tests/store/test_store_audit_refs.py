"""SQLite finds the audit entries an erasure must delete by index (``audit_refs.py``): the
same entries a scan of every entry's refs finds, after the writes that make refs and ties
part ways (merges, undone merges, edits and their undo, records written by other code)."""

from __future__ import annotations

import sqlite3

import pytest

from mapper.store import SQLiteStore
from mapper.store.sqlite import audit_refs


def scan(store: SQLiteStore, workspace: str, ids: list[str]) -> list[int]:
    """The reference: every entry whose refs text names one of ``ids``."""
    found: set[int] = set()
    for i in ids:
        found.update(
            r[0]
            for r in store.conn.execute(
                "SELECT seq FROM audit WHERE workspace = ? AND instr(refs, ?) > 0",
                (workspace, f" {i} "),
            )
        )
    return sorted(found)


def named(store: SQLiteStore, workspace: str, node_id: str) -> list[str]:
    """What an erasure of ``node_id`` looks for: it, its ties, its contact moments."""
    ties = store.conn.execute(
        "SELECT DISTINCT id FROM ties WHERE workspace = ? AND (source = ? OR target = ?)",
        (workspace, node_id, node_id),
    ).fetchall()
    contacts = store.conn.execute(
        "SELECT id FROM contacts WHERE workspace = ? AND (a = ? OR b = ?)",
        (workspace, node_id, node_id),
    ).fetchall()
    return sorted({node_id, *(r[0] for r in ties), *(r[0] for r in contacts)})


def same_or_more(store: SQLiteStore, workspace: str, ids: list[str]) -> None:
    """The index finds every entry the scan finds; the only others are entries *about* one
    of the ids (their target), whose refs a merge rewrote (the scan missed those, though
    they hold the id and the label)."""
    found, reference = (
        audit_refs.entries_naming(store.conn, workspace, ids),
        scan(store, workspace, ids),
    )
    assert set(reference) <= set(found)
    for seq in set(found) - set(reference):
        (target,) = store.conn.execute(
            "SELECT target_id FROM audit WHERE seq = ?", (seq,)
        ).fetchone()
        assert target in ids


def by_entity_same(store: SQLiteStore, workspace: str, i: str) -> None:
    """``store.audit(entity=i)`` (found by index) gives exactly the entries a scan names,
    newest first, with a limit and with actions too."""
    reference = sorted(scan(store, workspace, [i]), reverse=True)
    assert [e.seq for e in store.audit(workspace, entity=i)] == reference, i
    assert [e.seq for e in store.audit(workspace, entity=i, limit=2)] == reference[:2], i
    actions = ["create", "edit"]
    wanted = {
        r[0] for r in store.conn.execute("SELECT seq FROM audit WHERE action IN (?, ?)", actions)
    }
    got = [e.seq for e in store.audit(workspace, entity=i, action=actions, limit=3)]
    assert got == [s for s in reference if s in wanted][:3], i


def check_every_id(store: SQLiteStore, workspace: str) -> int:
    checked = 0
    for node in store.nodes(workspace):
        same_or_more(store, workspace, named(store, workspace, node.id))
        by_entity_same(store, workspace, node.id)
        checked += 1
    for tie in store.ties(workspace):
        same_or_more(store, workspace, [tie.id])
        by_entity_same(store, workspace, tie.id)
    return checked


@pytest.fixture
def town(tmp_path):
    store = SQLiteStore(tmp_path / "town.db")
    ws = store.create_workspace("w")
    lib = ws.add_node("Library", "Bibliotheek", id="lib-1")
    people = [ws.add_node("Person", f"Persoon {i}", id=f"per-{i}") for i in range(6)]
    org = ws.add_node("Organisation", "Buurthuis", id="org-1")
    for p in people:
        ws.add_tie("MEMBER_OF", p.id, org.id, strength=0.5, since="2024-01-01")
    knows = ws.add_tie("KNOWS", "per-0", "per-1", strength=0.4, since="2024-01-01")
    ws.change_tie(knows.id, on="2024-06-01", strength=0.7)
    ws.end_tie(knows.id, on="2024-09-01")
    ws.reopen_tie(knows.id)
    ws.add_tie("KNOWS", "per-2", "per-3", id="tie-23")
    ws.add_contact("per-0", "per-1", on="2024-03-01", mode="koffie")
    ws.add_contact("per-2", "per-3", on="2024-03-02")
    ws.add_tie("WORKS_AT", ws.add_node("Staff", "Anna", id="stf-1").id, lib.id)
    yield store, ws
    store.close()


def test_the_index_finds_what_a_scan_finds_after_merges_undos_and_edits(town):
    store, ws = town
    assert check_every_id(store, "w") > 5
    # an edit and its undo name several entities (as mapper.services.edit records them)
    ws.record_audit("edit", target_type="tie", target_id="tie-23", refs=["per-2", "per-3", "per-4"])
    ws.record_audit("undo", target_type="node", target_id="per-4", refs=["per-5", "org-1"])
    check_every_id(store, "w")
    # merging removes the ties and contacts between the two; their entries stay
    store.merge_nodes("w", "per-2", "per-3")
    check_every_id(store, "w")
    merge = store.audit("w", action="merge")[0]
    # undoing moves ties back; their entries still name the kept entity
    store.unmerge_nodes("w", merge.seq)
    check_every_id(store, "w")
    store.merge_nodes("w", "per-0", "per-1")
    check_every_id(store, "w")


def test_erasure_deletes_exactly_the_entries_a_scan_names(town):
    store, ws = town
    store.merge_nodes("w", "per-2", "per-3")
    store.unmerge_nodes("w", store.audit("w", action="merge")[0].seq)
    ws.record_audit("edit", target_type="node", target_id="per-4", refs=["per-3", "per-5"])
    for node_id in ("per-3", "per-0", "org-1"):
        ids = named(store, "w", node_id)
        doomed = set(scan(store, "w", ids))
        before = {e.seq: e for e in store.audit("w")}
        result = store.erase_node("w", node_id)
        after = {e.seq for e in store.audit("w")}
        gone = before.keys() - after
        assert result["audit"] == len(gone) and doomed <= gone
        assert all(before[s].target_id in ids for s in gone - doomed)
        assert scan(store, "w", [node_id]) == []
        assert not store.conn.execute(
            "SELECT 1 FROM audit WHERE target_id = ?", (node_id,)
        ).fetchall()
        assert not store.conn.execute(
            "SELECT 1 FROM audit_refs WHERE ref = ?", (node_id,)
        ).fetchall()
        check_every_id(store, "w")


def test_a_file_made_before_the_index_gets_it_when_opened(tmp_path):
    path = tmp_path / "old.db"
    store = SQLiteStore(path)
    ws = store.create_workspace("w")
    a, b = ws.add_node("Person", "A", id="per-a"), ws.add_node("Person", "B", id="per-b")
    ws.add_tie("KNOWS", a.id, b.id, id="tie-ab")
    ws.record_audit("edit", target_type="node", target_id="per-a", refs=["per-b"])
    store.close()
    conn = sqlite3.connect(path)  # as a file of the previous release
    conn.execute("DROP TABLE audit_refs")
    conn.execute("DROP INDEX audit_target")
    conn.commit()
    conn.close()
    store = SQLiteStore(path)
    try:
        ids = named(store, "w", "per-b")
        assert ids == ["per-b", "tie-ab"]
        assert audit_refs.entries_naming(store.conn, "w", ids) == scan(store, "w", ids)
        store.erase_node("w", "per-b")
        store.close()
        assert b"per-b" not in b"".join(p.read_bytes() for p in tmp_path.glob("old.db*"))
    finally:
        store.close()
