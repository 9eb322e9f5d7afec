"""``mapper migrate`` and :mod:`mapper.migrate` between real SQLite stores (files).

The SQLite → Neo4j → SQLite round trip is in ``tests/store/test_neo4j.py`` (needs a server).
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from mapper.cli import main
from mapper.errors import ConflictError, NotFoundError
from mapper.migrate import MigrationError, copy_workspace, migrate
from mapper.store import SQLiteStore
from mapper.store.dump import checksum


def _fill(store, slug="rijnstad"):
    ws = store.create_workspace(
        slug, "Bibliotheek Rijnstad", settings={"organisations_only": False}
    )
    with store.acting_as("anna@bibliotheek.nl"):
        anna = ws.add_node("Staff", "Anna Bakker", id="stf-anna")
        jan = ws.add_node("Person", "Jan de Vries", id="per-jan", props={"wijk": "Noord"})
        ws.update_node(jan.id, props={"wijk": "Zuid"})
        tie = ws.add_tie("KNOWS", anna.id, jan.id, strength=0.4, since="2024-01-01", id="tie-k")
        ws.change_tie(tie.id, on="2024-06-01", strength=0.8)
        ws.add_contact(anna.id, jan.id, on="2024-05-01", mode="conversation", notes="koffie")
    return ws


@pytest.fixture
def two_files(tmp_path):
    src, dst = tmp_path / "old.db", tmp_path / "new.db"
    with SQLiteStore(src) as store:
        _fill(store)
        _fill(store, "dorp")
    return src, dst


def test_migrate_copies_every_workspace_with_history(two_files):
    src, dst = two_files
    reports = migrate(f"sqlite:///{src}", f"sqlite:///{dst}")
    assert [r.source for r in reports] == ["dorp", "rijnstad"]
    assert reports[1].counts == {
        "nodes": 2,
        "node_versions": 3,
        "ties": 1,
        "tie_versions": 2,
        "contacts": 1,
        "audit": reports[1].counts["audit"],
    }
    assert reports[1].counts["audit"] >= 6
    by_name = {r.source: r for r in reports}
    with SQLiteStore(src) as a, SQLiteStore(dst) as b:
        for slug in ("dorp", "rijnstad"):
            assert a.dump_workspace(slug) == b.dump_workspace(slug)
            assert checksum(b.dump_workspace(slug)) == by_name[slug].checksum
        assert [e.actor for e in b.audit("rijnstad")] == [e.actor for e in a.audit("rijnstad")]
        assert b.get_tie("rijnstad", "tie-k").version == 2


def test_migrate_refuses_to_overwrite_and_can_rename(two_files):
    src, dst = two_files
    migrate(str(src), str(dst), ["rijnstad"])
    with pytest.raises(ConflictError, match="already exists in the target"):
        migrate(str(src), str(dst), ["rijnstad"])
    [report] = migrate(str(src), str(dst), ["rijnstad"], to_workspace="rijnstad-kopie")
    assert report.target == "rijnstad-kopie"
    with SQLiteStore(dst) as b:
        assert checksum(b.dump_workspace("rijnstad-kopie")) == checksum(
            b.dump_workspace("rijnstad")
        )
    with pytest.raises(NotFoundError):
        migrate(str(src), str(dst), ["nergens"])


class _LossyStore(SQLiteStore):
    """A target that silently drops old tie versions: the copy must not verify."""

    def _insert_ties(self, workspace, ties):
        super()._insert_ties(workspace, [t for t in ties if t.current])


def test_a_copy_that_does_not_verify_is_removed(tmp_path):
    with SQLiteStore(":memory:") as source, _LossyStore(tmp_path / "lossy.db") as target:
        _fill(source)
        with pytest.raises(MigrationError, match="tie_versions"):
            copy_workspace(source, target, "rijnstad")
        assert target.workspaces() == []


def test_cli_migrate(two_files):
    src, dst = two_files
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "migrate",
            "--from",
            f"sqlite:///{src}",
            "--to",
            f"sqlite:///{dst}",
            "--workspace",
            "rijnstad",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (
        "copied rijnstad: 2 entities (3 versions), 1 ties (2 versions), 1 contact moments"
        in result.output
    )
    assert "verified" in result.output
    again = runner.invoke(
        main, ["migrate", "--from", str(src), "--to", str(dst), "--workspace", "rijnstad"]
    )
    assert again.exit_code == 1
    assert "Error: workspace 'rijnstad' already exists in the target store" in again.output
    assert "Traceback" not in again.output


def test_cli_migrate_to_an_unreachable_neo4j_says_so(two_files):
    src, _ = two_files
    result = CliRunner().invoke(
        main, ["migrate", "--from", str(src), "--to", "bolt://neo4j:geheim@127.0.0.1:1"]
    )
    assert result.exit_code == 1
    assert "cannot reach Neo4j at bolt://127.0.0.1:1" in result.output
    assert "geheim" not in result.output
