"""Exports open in networkx again; backup and restore round-trip; merging duplicates."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile

import networkx as nx
import pytest
from click.testing import CliRunner

from mapper.cli import main
from mapper.errors import ConflictError, ValidationError
from mapper.io import export as exporter
from mapper.io.backup import backup, restore
from mapper.store import SQLiteStore
from mapper.store.dump import canonical, checksum, dump_to_dict


@pytest.fixture
def town(store):
    """A small workspace with history: a changed tie, an ended tie, a renamed person."""
    ws = store.create_workspace("rijnstad", "Bibliotheek Rijnstad")
    lib = ws.add_node("Library", "Bibliotheek Rijnstad", id="lib-1")
    anna = ws.add_node("Staff", "Anna Bakker", id="stf-anna")
    jan = ws.add_node("Person", "Jan", id="per-jan", props={"notes": "fietsenmaker"})
    ws.update_node(jan.id, name="Jan de Vries")
    repair = ws.add_node("Organisation", "Stichting Repair Café", id="org-repair")
    duur = ws.add_node("Theme", "duurzaamheid", id="thm-duur")
    lezen = ws.add_node("Theme", "lezen", id="thm-lezen")
    fb = ws.add_node("Channel", "Facebook Duurzaam", id="chn-fb", props={"mode": "online"})
    boek = ws.add_node("Person", "Els Boekhout", id="per-els")
    ws.add_tie("WORKS_AT", anna.id, lib.id, id="tie-works")
    ws.add_tie("ACTIVE_ON", jan.id, duur.id, strength=0.6, since="2024-01-01", id="tie-jan-duur")
    ws.change_tie("tie-jan-duur", on="2025-01-01", strength=0.8)
    ws.add_tie(
        "MEMBER_OF", jan.id, repair.id, role="volunteer", since="2023-05-01", id="tie-member"
    )
    ws.end_tie("tie-member", on="2025-06-01")
    ws.add_tie("ACTIVE_ON", repair.id, duur.id, id="tie-repair-duur")
    ws.add_tie("ACTIVE_IN", jan.id, fb.id, id="tie-jan-fb")
    ws.add_tie("BOND_WITH", lib.id, repair.id, strength=0.4, id="tie-bond")
    ws.add_tie("ACTIVE_ON", boek.id, lezen.id, id="tie-els-lezen")
    ws.add_contact(anna.id, jan.id, on="2025-02-03", mode="conversation", notes="kennismaking")
    return ws


def _read(fmt: str, data: bytes) -> nx.MultiDiGraph:
    if fmt == "graphml":
        graph = nx.read_graphml(io.BytesIO(data), force_multigraph=True)
        for _, _, key, attrs in graph.edges(keys=True, data=True):
            assert attrs["id"] == key
        return graph
    return nx.read_gexf(io.BytesIO(data))


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_exports_open_in_networkx_with_the_same_nodes_ties_and_attributes(town, fmt):
    out = io.BytesIO()
    exporter.export(town.store, town.slug, fmt, out)
    graph = _read(fmt, out.getvalue())
    nodes = {n.id: n for n in town.nodes()}
    assert set(graph.nodes) == set(nodes)
    for node_id, attrs in graph.nodes(data=True):
        assert attrs["kind"] == nodes[node_id].kind.value
        assert attrs["name"] == nodes[node_id].name
    assert json.loads(graph.nodes["per-jan"]["props"]) == {"notes": "fietsenmaker"}
    edges = {}
    # networkx reads a GEXF without parallel edges back as a DiGraph: edge ids are in "id"
    for u, v, attrs in graph.edges(data=True):
        edges[attrs["id"]] = (u, v, attrs)
    ties = {t.id: t for t in town.ties()}
    assert set(edges) == set(ties)
    for tie_id, tie in ties.items():
        u, v, attrs = edges[tie_id]
        assert (u, v, attrs["kind"]) == (tie.source, tie.target, tie.kind.value)
        for key in ("since", "until"):
            value = getattr(tie, key)
            assert attrs.get(key) == (value.isoformat() if value else None)
    strength = edges["tie-bond"][2]["strength"]
    assert strength == 0.4
    assert edges["tie-member"][2]["role"] == "volunteer"


def test_gexf_is_dynamic_so_the_timeline_plays_the_history(town):
    out = io.BytesIO()
    exporter.export(town.store, town.slug, "gexf", out)
    text = out.getvalue().decode("utf-8")
    assert 'mode="dynamic"' in text and 'timeformat="date"' in text
    graph = nx.read_gexf(io.BytesIO(out.getvalue()))
    _, _, changed = next(e for e in graph.edges(data=True) if e[2]["id"] == "tie-jan-duur")
    # one strength per version, each with its own interval
    # (networkx reads an open end back as the text "None")
    assert [(v, start) for v, start, _ in sorted(changed["strength"])] == [
        (0.6, "2024-01-01"),
        (0.8, "2025-01-01"),
    ]
    assert sorted(changed["strength"])[0][2] == "2025-01-01"
    assert changed["start"] == "2024-01-01"
    _, _, ended = next(e for e in graph.edges(data=True) if e[2]["id"] == "tie-member")
    assert (ended["start"], ended["end"]) == ("2023-05-01", "2025-06-01")


def test_exports_import_back_into_an_empty_workspace(town):
    for fmt in ("graphml", "gexf", "xlsx", "csv"):
        out = io.BytesIO()
        exporter.export(town.store, town.slug, fmt, out)
        target = SQLiteStore(":memory:")
        copy = target.create_workspace("kopie", "Bibliotheek Rijnstad")
        from mapper.io.plan import import_file

        import_file(target, "kopie", out.getvalue(), filename="x" + exporter.FORMATS[fmt])
        assert {n.id: (n.kind, n.name) for n in copy.nodes()} == {
            n.id: (n.kind, n.name) for n in town.nodes()
        }, fmt
        assert {t.id: (t.kind, t.source, t.target, t.strength, t.until) for t in copy.ties()} == {
            t.id: (t.kind, t.source, t.target, t.strength, t.until) for t in town.ties()
        }, fmt
        target.close()


def test_one_themes_scan(town):
    selection = exporter.select(town.store, town.slug, theme="duurzaamheid")
    names = {n.name for n in selection.nodes}
    assert names == {
        "duurzaamheid",
        "Jan de Vries",
        "Stichting Repair Café",
        "Facebook Duurzaam",
        "Bibliotheek Rijnstad",
    }
    assert "tie-els-lezen" not in {t.id for t in selection.ties}
    out = io.BytesIO()
    exporter.export(town.store, town.slug, "json", out, theme="thm-duur")
    data = json.loads(out.getvalue())
    assert data["theme"] == {"id": "thm-duur", "name": "duurzaamheid"}
    assert [t["version"] for t in data["ties"] if t["id"] == "tie-jan-duur"] == [1, 2]


def test_csv_export_is_a_zip_of_dutch_excel_csvs(town):
    out = io.BytesIO()
    exporter.export(town.store, town.slug, "csv", out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as zf:
        names = set(zf.namelist())
        assert {s.filename for s in exporter.SHEETS.values()} <= names
        body = zf.read("relaties.csv")
    assert body.startswith(b"\xef\xbb\xbf")
    assert body.decode("utf-8-sig").splitlines()[0].startswith("id;van;naar;soort relatie")


def test_unknown_format_and_theme(town):
    with pytest.raises(ValidationError, match="'pdf'"):
        exporter.export(town.store, town.slug, "pdf", io.BytesIO())
    from mapper.errors import NotFoundError

    with pytest.raises(NotFoundError):
        exporter.export(town.store, town.slug, "json", io.BytesIO(), theme="vissen")


def test_backup_restore_round_trips_without_loss(town, tmp_path):
    before = town.dump_workspace()
    path = tmp_path / "rijnstad.json.gz"
    counts = backup(town.store, town.slug, path)
    assert counts["node_versions"] == 9 and counts["tie_versions"] == 8
    other = SQLiteStore(tmp_path / "other.db")
    restored = restore(other, path)
    after = restored.dump_workspace()
    assert dump_to_dict(canonical(after)) == dump_to_dict(canonical(before))
    assert checksum(after) == checksum(before)
    assert [v.name for v in restored.node_history("per-jan")] == ["Jan", "Jan de Vries"]
    assert [(v.strength, v.current) for v in restored.tie_history("tie-jan-duur")] == [
        (0.6, False),
        (0.8, True),
    ]
    with pytest.raises(ConflictError):
        restore(other, path)
    copy = restore(other, path, workspace="kopie")
    assert checksum(copy.dump_workspace()) == checksum(before)
    other.close()


def test_a_damaged_backup_is_refused(town, tmp_path):
    path = tmp_path / "b.json"
    backup(town.store, town.slug, path)
    data = json.loads(path.read_text())
    data["nodes"][0]["name"] = "Iemand Anders"
    path.write_text(json.dumps(data))
    with pytest.raises(ValidationError, match="checksum"):
        restore(SQLiteStore(":memory:"), path, workspace="x")


def test_merging_duplicates_keeps_ties_contacts_and_history(town):
    dup = town.add_node("Person", "J. de Vries", id="per-dup", props={"phone": "06"})
    town.add_tie("KNOWS", dup.id, "per-els", strength=0.4, since="2024-01-01", id="tie-knows")
    town.change_tie("tie-knows", on="2024-06-01", strength=0.6)
    town.add_tie("KNOWS", dup.id, "per-jan", id="tie-self")
    town.add_contact("stf-anna", dup.id, on="2025-03-01", notes="tweede gesprek")
    merged = town.merge_nodes("per-jan", dup.id)
    assert merged.props["also_known_as"] == ["J. de Vries"]
    assert merged.props["phone"] == "06"
    # the tie between the two (tie-self) is not dropped silently: it is a note (issue 16)
    assert merged.props["notes"] == (
        "fietsenmaker\nSamengevoegd met J. de Vries; wat hen verbond is vervallen: kent."
    )
    assert [(v.source, v.target, v.strength) for v in town.tie_history("tie-knows")] == [
        ("per-jan", "per-els", 0.4),
        ("per-jan", "per-els", 0.6),
    ]
    assert {c.notes for c in town.contacts(node="per-jan")} == {"kennismaking", "tweede gesprek"}
    assert "tie-self" not in {t.id for t in town.ties(history=True)}
    assert [n.name for n in town.nodes(kind="Person")] == ["Els Boekhout", "Jan de Vries"]
    assert town.audit(action="merge")[0].detail["merged"] == "per-dup"
    with pytest.raises(ValidationError):
        town.merge_nodes("per-jan", "org-repair")


def test_cli_import_export_backup_restore(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(
            main, [*args], catch_exceptions=False, env={"MAPPER_DATABASE_URL": db}
        )
        assert result.exit_code == 0, result.output
        return result.output

    run("init-workspace", "rijnstad")
    run("template", "sjabloon.xlsx")
    out = run("import", "sjabloon.xlsx", "--dry-run", "--workspace", "rijnstad")
    assert "dry run: nothing written" in out and "Jan de Vries" in out
    # a dry run writes nothing: still no person
    assert re.search(r"^\s*Person\s+0$", run("info", "--workspace", "rijnstad"), re.M)
    run("import", "sjabloon.xlsx", "--workspace", "rijnstad")
    assert "nothing to change" in run("import", "sjabloon.xlsx", "--workspace", "rijnstad")
    # the template's example rows are skipped (issue 16): the scan itself comes from a CSV
    (tmp_path / "scan.csv").write_text("soort;naam;thema's\npersoon;Jan de Vries;duurzaamheid\n")
    run("import", "scan.csv", "--workspace", "rijnstad")
    run("export", "-o", "scan.gexf", "--workspace", "rijnstad", "--theme", "duurzaamheid")
    assert nx.read_gexf(tmp_path / "scan.gexf").number_of_nodes() > 0
    run("backup", "backup.json.gz", "--workspace", "rijnstad")
    assert "restored" in run("restore", "backup.json.gz", "--workspace", "kopie")
    (tmp_path / "bad.csv").write_text("soort;naam;sterkte band\npersoon;Piet;7\npersoon;;\n")
    result = runner.invoke(
        main, ["import", "bad.csv", "--workspace", "rijnstad"], env={"MAPPER_DATABASE_URL": db}
    )
    assert result.exit_code == 1
    assert (
        "row 2, column 'sterkte band': strength '7' is not between 0 and 1 or 1–5" in result.output
    )
    assert "row 3, column 'naam'" in result.output
    out = run("duplicates", "--workspace", "rijnstad")
    assert "no duplicates found" in out


def test_dates_are_written_as_iso_text(town):
    rows = exporter.template_rows(exporter.select(town.store, town.slug))
    member = next(r for r in rows["ties"] if r[0] == "tie-member")
    assert member[5:7] == ["2023-05-01", "2025-06-01"]
    assert dt.date.fromisoformat(member[5])


def test_cli_duplicates_and_merge(tmp_path):
    db = tmp_path / "dup.db"
    store = SQLiteStore(db)
    ws = store.create_workspace("rijnstad")
    ws.add_node("Person", "Jan de Vries", id="per-a")
    b = ws.add_node("Person", "J. de Vries", id="per-b")
    theme = ws.add_node("Theme", "lezen", id="thm-l")
    ws.add_tie("ACTIVE_ON", b.id, theme.id, id="tie-b")
    store.close()
    runner = CliRunner()
    env = {"MAPPER_DATABASE_URL": f"sqlite:///{db}"}
    out = runner.invoke(main, ["duplicates", "--workspace", "rijnstad"], env=env)
    assert "Jan de Vries (per-a)  ~  J. de Vries (per-b)  [similar name]" in out.output
    args = ["merge", "per-a", "per-b", "--workspace", "rijnstad"]
    out = runner.invoke(main, [*args, "--yes"], env=env)
    assert out.exit_code == 0 and "merged into Jan de Vries (per-a)" in out.output
    out = runner.invoke(
        main, ["merge", "per-a", "per-zz", "--workspace", "rijnstad", "--yes"], env=env
    )
    assert out.exit_code == 1 and "per-zz" in out.output
    out = runner.invoke(
        main, ["export", "-o", str(tmp_path / "x.zip"), "--workspace", "rijnstad"], env=env
    )
    assert out.exit_code == 0 and "(csv)" in out.output
    store = SQLiteStore(db)
    assert store.get_tie("rijnstad", "tie-b").source == "per-a"
    store.close()
