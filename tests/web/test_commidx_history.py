"""The community pages read their history from the shared in-memory projection
(``mapper.community_history.community_history_from`` over ``Projection.history()``), kept per
snapshot: it is the same graph as the read around the communities through the store
(``community_history``), on the demo town, after each kind of write; the pages follow the
writes; and the community map's selection walks only the neighbourhood but draws what the
whole-graph walk drew."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import networkx as nx
import pytest
from markupsafe import escape

from mapper import communities as com
from mapper import workplan
from mapper.community_history import community_history, community_history_from
from mapper.model import NodeKind
from mapper.store import SQLiteStore
from tests.fixtures_web import SINGLE_USER
from tests.services.test_community_history import answers, dates_of
from web import create_app
from web.community_pages import community_selection, map_neighbourhood


def same_graph(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> None:
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert sorted(a.edges(keys=True, data=True), key=lambda e: e[2]) == sorted(
        b.edges(keys=True, data=True), key=lambda e: e[2]
    )


def check_same(ws) -> None:
    """From memory and from the store: the same graph, for each community and all at once."""
    history = ws.projection().history()
    full = com.load_history(ws)  # the whole history, read from the database
    nodes = com.communities(ws)
    for node in nodes:
        calendar = workplan.records(node, "calendar")
        owners = [item.get("owner") for item in calendar]
        part = community_history_from(history, [node.id], also=owners)
        same_graph(part, community_history(ws, [node.id], also=owners))
        dates = dates_of(full, node.id)[::10]
        assert answers(part, node.id, dates, calendar) == answers(full, node.id, dates, calendar)
    ids = [n.id for n in nodes]
    same_graph(community_history_from(history, ids), community_history(ws, ids))


@pytest.fixture
def demo(tmp_path, demo_db):
    copy = tmp_path / "demo.db"
    shutil.copy(demo_db, copy)
    store = SQLiteStore(copy)
    yield store.workspace("demo")
    store.close()


def people(ws, community_id: str, day: dt.date) -> tuple[list[str], list[str]]:
    members = {
        t.source
        for t in ws.ties(node=community_id, kind="MEMBER_OF", as_of=day)
        if t.target == community_id
    }
    others = sorted(n.id for n in ws.nodes(kind=NodeKind.PERSON) if n.id not in members)
    return sorted(members), others


def test_same_graph_after_each_kind_of_write(demo):
    ws = demo
    today = dt.date.today()
    check_same(ws)
    club = com.communities(ws)[0].id
    members, others = people(ws, club, today)
    staff = sorted(n.id for n in ws.nodes(kind=NodeKind.STAFF))
    com.add_member(ws, club, others[0], since=today - dt.timedelta(days=3))  # a new tie
    check_same(ws)
    com.end_member(ws, club, members[0], on=today)  # a version closed
    check_same(ws)
    com.set_member_role(ws, club, members[1], "ambassador", on=today)  # a new version
    check_same(ws)
    com.set_role(ws, club, "connector", staff[0], on=today)
    check_same(ws)
    ws.add_tie("BOND_WITH", staff[-1], others[1], strength=0.7, since=today)  # reach
    check_same(ws)
    ws.update_node(members[2], name="Renamed Member")  # a node changed
    check_same(ws)
    tie = ws.add_tie("KNOWS", members[3], others[2], since=today)
    ws.erase_tie(tie.id)  # a tie erased
    check_same(ws)
    ws.erase_node(members[4])  # a person erased
    check_same(ws)


def test_same_answers_from_memory(demo):
    history = demo.projection().history()
    for node in com.communities(demo):
        calendar = workplan.records(node, "calendar")
        owners = [item.get("owner") for item in calendar]
        part = community_history_from(history, [node.id], also=owners)
        full = com.load_history(demo)
        dates = dates_of(full, node.id)[::4]
        assert answers(part, node.id, dates, calendar) == answers(full, node.id, dates, calendar)


def old_selection(graph: nx.MultiDiGraph, community_id: str) -> set:
    """The selection as the whole-graph walk made it (before this change)."""
    keep = {community_id}
    for u, _v, d in graph.in_edges(community_id, data=True):
        if d.get("kind") in ("MEMBER_OF", "HAS_ROLE"):
            keep.add(u)
    for u, v, d in graph.edges(data=True):
        if d.get("kind") in ("BOND_WITH", "KNOWS") and (u in keep) != (v in keep):
            inside, outside = (u, v) if u in keep else (v, u)
            if graph.nodes[outside].get("kind") in ("Library", "Staff") and inside != community_id:
                keep.add(outside)
    return keep


def test_map_selection_walks_the_neighbourhood_only(demo):
    graph = demo.projection().as_of(None)
    history = demo.projection().history()
    for node in com.communities(demo):
        shown = community_selection(graph, node.id)
        assert set(shown) == old_selection(graph, node.id)
        assert len(shown) < graph.number_of_nodes()
        # the map's history neighbourhood holds every day's selection
        near = map_neighbourhood(history, node.id)
        assert set(community_selection(near, node.id)) == old_selection(history, node.id)
        part = history.subgraph(old_selection(history, node.id))
        assert set(near.subgraph(part.nodes).edges(keys=True)) == set(part.edges(keys=True))


@pytest.fixture
def client(tmp_path, demo_db):
    copy = tmp_path / "demo.db"
    shutil.copy(demo_db, copy)
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{copy}",
            "WORKSPACE": "demo",
            "SECRET_KEY": "test",
            "WTF_CSRF_ENABLED": True,
            **SINGLE_USER,
        }
    )
    return app.test_client(), copy


def test_pages_follow_a_write(client):
    client, copy = client
    store = SQLiteStore(copy)
    try:
        ws = store.workspace("demo")
        club = com.communities(ws)[0]
        members, others = people(ws, club.id, dt.date.today())
        newcomer = ws.get_node(others[0])
    finally:
        store.close()
    url = f"/communities/{club.id}"
    before = client.get(url).get_data(as_text=True)
    tokens = re.compile(r"[A-Za-z0-9._-]{40,}")  # CSRF tokens differ per request
    again = client.get(url).get_data(as_text=True)
    assert tokens.sub("TOKEN", again) == tokens.sub("TOKEN", before)  # the kept one
    index = client.get("/communities/").get_data(as_text=True)
    assert str(escape(club.name)) in index
    response = client.post(
        url + "/members",
        data={
            "csrf_token": re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', before)[1],
            "member": newcomer.id,
            "since": dt.date.today().isoformat(),
            "role": "member",
        },
    )
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:2000]
    after = client.get(url + "?members_page=1").get_data(as_text=True)
    name = str(escape(newcomer.name))
    assert name in after and name not in before
    assert client.get(url + "/map").status_code == 200
