"""Undirected graphs (issue 16): an undirected edge takes the direction the tie rules allow.

The corpus files are made by ``tests/data/make_corpus.py`` with networkx, as people write them.
"""

from __future__ import annotations

import io
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from mapper.analysis.community import connectedness
from mapper.cli import main
from mapper.io.plan import plan_import
from mapper.io.readers import read_bytes
from mapper.services.warm import warm_contacts
from mapper.store import SQLiteStore

DATA = Path(__file__).parent.parent / "data"


def _import(tmp_path: Path, name: str) -> SQLiteStore:
    db = tmp_path / f"{name}.db"
    result = CliRunner().invoke(main, ["import", str(DATA / name), "--database", str(db)])
    assert result.exit_code == 0, result.output
    return SQLiteStore(str(db))


def _by_name(store: SQLiteStore) -> dict[str, str]:
    return {n.name: n.id for n in store.nodes("demo")}


def _ties(store: SQLiteStore) -> set[tuple[str, str, str, float | None]]:
    names = {n.id: n.name for n in store.nodes("demo")}
    return {
        (t.kind.value, names[t.source], names[t.target], t.strength) for t in store.ties("demo")
    }


def test_networkx_undirected_graphml_imports_into_a_new_file(tmp_path):
    db = tmp_path / "fresh.db"
    result = CliRunner().invoke(
        main, ["import", str(DATA / "undirected.graphml"), "--database", str(db)]
    )
    assert result.exit_code == 0, result.output
    assert "created: database" in result.output and "'demo'" in result.output
    store = SQLiteStore(str(db))
    try:
        assert len(list(store.nodes("demo"))) == 12 and len(list(store.ties("demo"))) == 19
    finally:
        store.close()


def test_undirected_and_directed_give_the_same_graph_warm_contacts_and_connectedness(tmp_path):
    undirected, directed = (
        _import(tmp_path, "undirected.graphml"),
        _import(tmp_path, "directed.graphml"),
    )
    try:
        assert _ties(undirected) == _ties(directed)
        results = []
        for store in (undirected, directed):
            ids = _by_name(store)
            ws = store.workspace("demo")
            warm = warm_contacts(ws, ids["duurzaamheid"], limit=None)
            names = {v: k for k, v in ids.items()}
            ranked = [
                (
                    c.name,
                    round(c.score, 9),
                    [names[n] for n in c.route.path] if c.route else None,
                    c.reasons,
                )
                for c in warm.contacts
            ]
            G = store.project("demo")
            point = connectedness(G, ids["Repaircommunity"])
            results.append(
                (ranked, {k: v for k, v in point.items() if isinstance(v, (int, float))})
            )
        assert results[0] == results[1]
        assert results[0][0], "the town has warm contacts"
        assert results[0][1]["members"] == 3
    finally:
        undirected.close()
        directed.close()


def _graphml(graph: nx.Graph) -> bytes:
    out = io.BytesIO()
    nx.write_graphml(graph, out)
    return out.getvalue()


@pytest.fixture
def store():
    s = SQLiteStore(":memory:")
    s.create_workspace("demo")
    yield s
    s.close()


def test_an_undirected_edge_that_could_go_either_way_is_reported(store):
    G = nx.Graph()
    G.add_node("Repair Café", kind="Organisation")
    G.add_node("Wijkraad", kind="Organisation")
    G.add_edge("Wijkraad", "Repair Café", kind="MEMBER_OF")
    plan = plan_import(store, "demo", read_bytes(_graphml(G), "x.graphml"))
    [error] = plan.errors
    assert error.column == "richting" and "either way" in error.message
    assert "make the edge directed" in error.message


def test_an_undirected_edge_that_fits_neither_way_is_reported(store):
    G = nx.Graph()
    G.add_node("duurzaamheid", kind="Theme")
    G.add_node("lezen", kind="Theme")
    G.add_edge("duurzaamheid", "lezen", kind="ABOUT")
    plan = plan_import(store, "demo", read_bytes(_graphml(G), "x.graphml"))
    [error] = plan.errors
    assert error.column == "soort relatie" and error.row == 1
    assert "cannot join a Theme and a Theme either way" in error.message


def test_a_directed_file_stays_strict(store):
    G = nx.DiGraph()
    G.add_node("Bibliotheek", kind="Library")
    G.add_node("Anna", kind="Staff")
    G.add_edge("Bibliotheek", "Anna", kind="WORKS_AT")
    plan = plan_import(store, "demo", read_bytes(_graphml(G), "x.graphml"))
    assert [e.column for e in plan.errors] == ["van", "naar"]


def test_per_edge_undirected_in_a_directed_gexf(store):
    data = b"""<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://gexf.net/1.3" version="1.3">
  <graph defaultedgetype="directed" mode="static">
    <attributes class="node"><attribute id="0" title="kind" type="string"/></attributes>
    <attributes class="edge"><attribute id="1" title="kind" type="string"/></attributes>
    <nodes>
      <node id="n0" label="Bibliotheek"><attvalues><attvalue for="0" value="Library"/></attvalues></node>
      <node id="n1" label="Anna"><attvalues><attvalue for="0" value="Staff"/></attvalues></node>
      <node id="n2" label="Jan"><attvalues><attvalue for="0" value="Person"/></attvalues></node>
    </nodes>
    <edges>
      <edge id="e0" source="n0" target="n1" type="undirected"><attvalues><attvalue for="1" value="WORKS_AT"/></attvalues></edge>
      <edge id="e1" source="n1" target="n2"><attvalues><attvalue for="1" value="KNOWS"/></attvalues></edge>
    </edges>
  </graph>
</gexf>"""
    plan = plan_import(store, "demo", read_bytes(data, "gephi.gexf"))
    assert not plan.errors, plan.errors
    plan.apply()
    names = {n.id: n.name for n in store.nodes("demo")}
    got = {(t.kind.value, names[t.source], names[t.target]) for t in store.ties("demo")}
    assert got == {("WORKS_AT", "Anna", "Bibliotheek"), ("KNOWS", "Anna", "Jan")}


def test_no_create_refuses_a_new_file_and_a_new_workspace(tmp_path):
    runner = CliRunner()
    db = tmp_path / "fresh.db"
    file = str(DATA / "undirected.graphml")
    result = runner.invoke(main, ["import", file, "--database", str(db), "--no-create"])
    assert result.exit_code == 1 and "does not exist" in result.output and not db.exists()
    assert runner.invoke(main, ["init-workspace", "rijnstad", "--database", str(db)]).exit_code == 0
    result = runner.invoke(main, ["import", file, "--database", str(db), "--no-create"])
    assert result.exit_code == 1
    assert "`mapper init-workspace demo`" in result.output


def test_a_dry_run_into_a_new_file_writes_nothing(tmp_path):
    db = tmp_path / "fresh.db"
    result = CliRunner().invoke(
        main, ["import", str(DATA / "undirected.graphml"), "--database", str(db), "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    assert "would be created" in result.output and "entities: 12 new" in result.output
    assert not db.exists()


def test_a_bad_file_into_a_new_file_creates_nothing(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("soort;naam\npersoonn;Jan\n", encoding="utf-8")
    db = tmp_path / "fresh.db"
    result = CliRunner().invoke(main, ["import", str(bad), "--database", str(db)])
    assert result.exit_code == 1 and "persoonn" in result.output and not db.exists()


def test_a_missing_workspace_says_the_command_that_fixes_it(tmp_path):
    db = tmp_path / "x.db"
    CliRunner().invoke(main, ["init-workspace", "rijnstad", "--database", str(db)])
    result = CliRunner().invoke(main, ["duplicates", "--database", str(db), "--workspace", "oost"])
    assert result.exit_code == 1
    assert "mapper init-workspace oost" in result.output
    assert "mapper import FILE --workspace oost" in result.output
