"""The theme scan, a theme's ecosystem and the pyvis maps, on a small town in a real store."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from mapper.analysis.scan import (
    BOTH,
    LIBRARY_ONLY,
    TOWN_ONLY,
    ecosystem,
    theme_scan,
    worksheet_rows,
)
from mapper.errors import NotFoundError, ValidationError
from mapper.maps import (
    BOND_MARK,
    BOND_RING_COLOUR,
    KIND_STYLES,
    STEP_WIDTHS,
    edge_width,
    layout_positions,
    network_data,
    scan_network,
    scan_selection,
)
from mapper.model import NodeKind

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
def town(store):
    """A small town: one library theme with its ecosystem, a town-only and a library-only theme."""
    ws = store.create_workspace("town", "Bibliotheek Test")
    n = {}
    for key, kind, name, props in [
        ("lib", "Library", "Bibliotheek Test", {}),
        ("staff", "Staff", "Sanne Bakker", {}),
        ("goal", "Goal", "Iedereen doet mee", {}),
        ("goal2", "Goal", "Erfgoed zichtbaar", {}),
        ("theme", "Theme", "duurzaamheid", {"signals": ["lokale krant"]}),
        ("town_theme", "Theme", "lezen", {}),
        ("lib_theme", "Theme", "erfgoed", {}),
        ("anna", "Person", "Anna de Vries", {}),
        ("bert", "Person", "Bert Çelik", {}),
        ("carla", "Person", XSS, {}),
        ("dirk", "Person", "Dirk van 't Hek", {}),
        ("org", "Organisation", "Repair Café", {}),
        ("act", "Activity", "Repaircafé-avond", {}),
        ("online", "Channel", "Facebook-groep", {"mode": "online"}),
        ("place", "Channel", "Buurthuis", {"mode": "offline"}),
        ("com", "Community", "Groene buren", {}),
    ]:
        n[key] = ws.add_node(kind, name, props=props).id
    ties = [
        ("WORKS_AT", "staff", "lib", None),
        ("PURSUES", "lib", "goal", None),
        ("PURSUES", "lib", "goal2", None),
        ("ABOUT", "goal", "theme", None),
        ("ABOUT", "goal2", "lib_theme", None),
        ("ACTIVE_ON", "anna", "theme", 0.8),
        ("ACTIVE_ON", "bert", "theme", 0.3),
        ("ACTIVE_ON", "bert", "town_theme", 0.6),
        ("ACTIVE_ON", "org", "theme", 0.6),
        ("ORGANISES", "org", "act", 0.8),
        ("ATTENDS", "carla", "act", 0.4),
        ("ABOUT", "act", "theme", None),
        ("ABOUT", "com", "theme", None),
        ("ACTIVE_IN", "anna", "online", 0.6),
        ("ACTIVE_IN", "org", "place", 0.8),
        ("KNOWS", "anna", "bert", 0.2),
        ("KNOWS", "anna", "dirk", 0.8),
        ("BOND_WITH", "lib", "anna", 0.9),
        ("BOND_WITH", "staff", "org", 0.5),
    ]
    ws.add_ties(
        [
            dict(kind=k, source=n[a], target=n[b], strength=s, since="2024-01-01")
            for k, a, b, s in ties
        ]
    )
    return ws.project(as_of="2025-01-01"), n


def kinds_of(net):
    return {node["id"]: node for node in net.nodes}


def edge_between(net, a, b):
    found = [e for e in net.edges if {e["from"], e["to"]} == {a, b}]
    assert len(found) == 1, (a, b, found)
    return found[0]


def test_ecosystem_holds_what_werkblad_3_asks(town):
    graph, n = town
    expected = {
        "theme",
        "anna",
        "bert",
        "carla",
        "org",
        "act",
        "online",
        "place",
        "com",
        "lib",
        "staff",
    }
    assert ecosystem(graph, n["theme"]) == {n[k] for k in expected}


def test_ecosystem_rejects_unknown_or_non_theme(town):
    graph, n = town
    with pytest.raises(NotFoundError, match="thm-nope"):
        ecosystem(graph, "thm-nope")
    with pytest.raises(ValidationError, match="not a theme"):
        ecosystem(graph, n["anna"])


def test_theme_scan_shows_overlap_and_gaps(town):
    graph, n = town
    rows = {row.theme: row for row in theme_scan(graph)}
    assert rows[n["theme"]].status == BOTH
    assert rows[n["theme"]].goals == [n["goal"]]
    assert rows[n["theme"]].counts == {"Person": 2, "Organisation": 1, "Activity": 1, "Channel": 0}
    assert rows[n["theme"]].signals == ["lokale krant"]
    assert rows[n["town_theme"]].status == TOWN_ONLY
    assert rows[n["lib_theme"]].status == LIBRARY_ONLY


def test_nodes_are_coloured_and_shaped_by_kind(town):
    graph, n = town
    net = scan_network(graph, n["theme"])
    nodes = kinds_of(net)
    for node_id, node in nodes.items():
        style = KIND_STYLES[NodeKind(graph.nodes[node_id]["kind"])]
        assert node["color"]["background"] == style.colour
        assert node["shape"] == style.shape
    colours = {KIND_STYLES[k].colour for k in NodeKind}
    assert len(colours) == len(NodeKind)  # every kind its own colour


def test_edge_width_grows_with_strength(town):
    graph, n = town
    net = scan_network(graph, n["theme"])
    assert edge_between(net, n["anna"], n["theme"])["width"] == STEP_WIDTHS[4]
    assert edge_between(net, n["bert"], n["theme"])["width"] == STEP_WIDTHS[2]
    assert edge_between(net, n["anna"], n["bert"])["width"] == STEP_WIDTHS[1]
    about = edge_between(net, n["act"], n["theme"])
    # an unknown strength is drawn thinnest; the dashes tell the tie kinds apart
    assert about["width"] == STEP_WIDTHS[0] and about["kind"] == "ABOUT" and about["dashes"]
    widths = [edge_width(s) for s in (0.1, 0.3, 0.5, 0.7, 0.9)]
    assert widths == sorted(widths) and len(set(widths)) == 5


def test_bond_with_the_library_is_marked(town):
    graph, n = town
    nodes = kinds_of(scan_network(graph, n["theme"], lang="en"))
    anna, org, bert = nodes[n["anna"]], nodes[n["org"]], nodes[n["bert"]]
    # the kind colour and border stay; the browser draws the bond's ring and halo outside the
    # point (no thick border, no canvas shadow: they covered a small point's colour)
    assert anna["bond"] and anna["label"].startswith(BOND_MARK)
    assert anna["color"]["background"] == KIND_STYLES["Person"].colour
    assert anna["color"]["border"] == KIND_STYLES["Person"].border != BOND_RING_COLOUR
    assert "shadow" not in anna and anna["borderWidth"] == bert["borderWidth"]
    assert "Bond with the library: very strong (0.90) — Bibliotheek Test" in anna["title"]
    assert org["bond"] and org["color"]["background"] == KIND_STYLES["Organisation"].colour
    assert "fair (0.50) — Sanne Bakker" in org["title"]
    assert not bert["bond"] and "shadow" not in bert and not bert["label"].startswith(BOND_MARK)
    assert "Bond" not in bert["title"]


def test_tooltips_are_plain_text_with_the_name_as_is(town):
    graph, n = town
    carla = kinds_of(scan_network(graph, n["theme"]))[n["carla"]]
    assert isinstance(carla["title"], str)
    assert carla["title"].splitlines()[0] == XSS
    assert carla["label"] == XSS


def test_dutch_words_in_tooltips(town):
    graph, n = town
    words = {"Person": "Persoon", "Bond with the library": "Band met de bibliotheek"}
    anna = kinds_of(scan_network(graph, n["theme"], gettext=lambda s: words.get(s, s)))[n["anna"]]
    assert (
        "Persoon" in anna["title"] and "Band met de bibliotheek: zeer sterk (0,90)" in anna["title"]
    )


def test_filter_by_kind_keeps_the_theme(town):
    graph, n = town
    sel = scan_selection(graph, n["theme"], kinds=["Person"])
    assert set(sel) == {n["theme"], n["anna"], n["bert"], n["carla"]}
    with pytest.raises(ValidationError, match="Martian"):
        scan_selection(graph, n["theme"], kinds=["Martian"])


def test_filter_by_minimum_strength(town):
    graph, n = town
    sel = scan_selection(graph, n["theme"], min_step=3)
    # bert's ties are weak (0.3, 0.2) and carla's too (0.4): they drop out; the ABOUT tie
    # of the activity is structure and stays.
    assert n["bert"] not in sel and n["carla"] not in sel
    assert {n["anna"], n["org"], n["act"], n["theme"]} <= set(sel)
    assert all(d["strength"] is None or d["strength"] > 0.4 for _, _, d in sel.edges(data=True))
    with pytest.raises(ValidationError, match="6"):
        scan_selection(graph, n["theme"], min_step=6)


def test_filter_bond_only(town):
    graph, n = town
    sel = scan_selection(graph, n["theme"], bond_only=True)
    assert set(sel) == {n["theme"], n["anna"], n["org"], n["lib"], n["staff"]}


def test_focus_on_a_neighbourhood(town):
    graph, n = town
    sel = scan_selection(graph, n["theme"], focus=n["org"])
    assert set(sel) == {n["org"], n["theme"], n["act"], n["place"], n["staff"]}
    with pytest.raises(ValidationError):
        scan_selection(graph, n["theme"], focus=n["dirk"])  # not in the ecosystem


def test_worksheet_rows(town):
    graph, n = town
    tables = worksheet_rows(graph, n["theme"], ecosystem(graph, n["theme"]))
    people = {row.node: row for row in tables["Person"]}
    assert list(people) == [n["carla"], n["anna"], n["bert"]]  # by name: "<" sorts first
    anna = people[n["anna"]]
    assert anna.online == [n["online"]] and anna.offline == []
    assert anna.bond.strength == 0.9 and anna.theme_strength == 0.8
    (org,) = tables["Organisation"]
    assert org.offline == [n["place"]] and org.activities == [(n["act"], "ORGANISES")]
    assert people[n["carla"]].activities == [(n["act"], "ATTENDS")]


def test_network_data_is_json_and_deterministic(town):
    graph, n = town
    first = network_data(scan_network(graph, n["theme"]))
    second = network_data(scan_network(graph, n["theme"]))
    assert json.loads(json.dumps(first)) == first
    assert first == second
    # the browser never moves the points: positions are the server's (and kept)
    assert first["options"]["physics"]["enabled"] is False
    assert first["options"]["interaction"]["keyboard"]["autoFocus"] is False
    theme = next(node for node in first["nodes"] if node["id"] == n["theme"])
    assert (theme["x"], theme["y"]) == (0.0, 0.0)


def test_large_selection_gets_server_positions_and_no_physics():
    graph = nx.MultiDiGraph()
    graph.add_node("t", kind="Theme", name="groot", props={})
    for i in range(320):
        graph.add_node(f"p{i}", kind="Person", name=f"Persoon {i}", props={})
        graph.add_edge(f"p{i}", "t", key=f"a{i}", kind="ACTIVE_ON", strength=0.4)
        if i:
            graph.add_edge(f"p{i}", f"p{i - 1}", key=f"k{i}", kind="KNOWS", strength=0.6)
    data = network_data(scan_network(graph, "t"))
    assert len(data["nodes"]) == 321
    assert data["options"]["physics"]["enabled"] is False
    assert all(
        isinstance(node["x"], float) and isinstance(node["y"], float) for node in data["nodes"]
    )
    spread = {(node["x"], node["y"]) for node in data["nodes"]}
    assert len(spread) == len(data["nodes"])  # no two nodes on the same spot


def test_layout_is_seeded():
    graph = nx.gnm_random_graph(40, 80, seed=3)
    assert layout_positions(graph) == layout_positions(graph)
    assert layout_positions(graph, seed=1) != layout_positions(graph, seed=2)
