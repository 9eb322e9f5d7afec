"""Contract: whole-workspace dump/load (migration, backup) and neighbourhood projection.

Runs against every adapter through ``ws``/``any_store`` (Neo4j only when configured).
"""

from __future__ import annotations

import datetime as dt
import random
import uuid

import networkx as nx
import pytest

from mapper.errors import ConflictError, ValidationError
from mapper.model import TIE_RULES, NodeKind
from mapper.store import SQLiteStore
from mapper.store.dump import checksum, dump_from_dict, dump_to_dict

D = dt.date.fromisoformat


def _history(ws):
    """A small workspace with every kind of history: node versions, tie versions, an ended
    tie, contact moments, settings and an audit trail."""
    ws.store.update_workspace(ws.slug, settings={"theme_colour": "groen", "max": 3})
    lib = ws.add_node("Library", "Bibliotheek Één", id="lib-1")
    anna = ws.add_node("Staff", "Anna", id="stf-anna", since="2020-01-01")
    jan = ws.add_node("Person", "Jan", id="per-jan", props={"wijk": "Noord", "tags": ["a", "b"]})
    theme = ws.add_node("Theme", "duurzaamheid", id="thm-d")
    ws.update_node(jan.id, name="Jan de Vries", props={"wijk": "Zuid", "leeftijd": 41})
    ws.update_node(jan.id, until="2030-01-01", origin="gesprek")
    ws.add_tie("WORKS_AT", anna.id, lib.id, id="tie-w", since="2020-01-01")
    k = ws.add_tie(
        "KNOWS",
        anna.id,
        jan.id,
        id="tie-k",
        strength=0.2,
        since="2024-01-01",
        origin="scan",
        props={"via": "taalcafé"},
    )
    ws.change_tie(k.id, on="2024-03-01", strength=0.6)
    ws.change_tie(k.id, on="2024-09-01", strength=1.0, origin="gesprek")
    a = ws.add_tie("ACTIVE_ON", jan.id, theme.id, id="tie-a", strength=0.4, since="2024-01-01")
    ws.end_tie(a.id, on="2024-06-01")
    ws.add_contact(
        anna.id, jan.id, on="2024-02-01", mode="conversation", notes="koffie", id="cnt-1"
    )
    ws.add_contact(jan.id, anna.id, on="2024-01-15", mode="meeting", id="cnt-2")
    return jan, k


def test_dump_holds_every_version(ws):
    jan, k = _history(ws)
    dump = ws.store.dump_workspace(ws.slug)
    assert dump.info.settings == {"theme_colour": "groen", "max": 3}
    assert [(n.id, n.version) for n in dump.nodes if n.id == jan.id] == [
        (jan.id, 1),
        (jan.id, 2),
        (jan.id, 3),
    ]
    assert [(t.version, t.strength, t.current) for t in dump.ties if t.id == k.id] == [
        (1, 0.2, False),
        (2, 0.6, False),
        (3, 1.0, True),
    ]
    assert [c.id for c in dump.contacts] == ["cnt-2", "cnt-1"]
    assert dump.counts() == {
        "nodes": 4,
        "node_versions": 6,
        "ties": 3,
        "tie_versions": 5,
        "contacts": 2,
        "audit": len(ws.store.audit(ws.slug)),
    }


def test_load_copies_history_verbatim_into_another_store(ws):
    jan, k = _history(ws)
    dump = ws.store.dump_workspace(ws.slug)
    with SQLiteStore(":memory:") as other:
        copy = other.load_workspace(dump)
        assert copy.slug == ws.slug
        assert other.dump_workspace(ws.slug) == dump
        assert copy.node_history(jan.id) == ws.node_history(jan.id)
        assert copy.tie_history(k.id) == ws.tie_history(k.id)
        assert list(copy.contacts()) == list(ws.contacts())
        for day in ("2024-02-01", "2024-05-01", "2025-01-01"):
            a, b = ws.project(as_of=day), copy.project(as_of=day)
            assert sorted(a.edges(keys=True, data=True)) == sorted(b.edges(keys=True, data=True))
            assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
        # The copy goes on living: a change after loading gets the next version number.
        assert copy.change_tie(k.id, on="2025-01-01", strength=0.8).version == 4


def test_load_into_the_same_store_under_another_name(any_store, ws):
    _history(ws)
    dump = any_store.dump_workspace(ws.slug)
    new_slug = f"k-{uuid.uuid4().hex[:10]}"
    any_store.created_workspaces.append(new_slug)
    copy = any_store.load_workspace(dump, slug=new_slug)
    assert checksum(any_store.dump_workspace(new_slug)) == checksum(dump)
    assert copy.info.name == ws.info.name
    with pytest.raises(ConflictError):
        any_store.load_workspace(dump, slug=new_slug)
    with pytest.raises(ValidationError):
        any_store.load_workspace(dump, slug="Not A Slug")


def test_dump_survives_json_and_checksum_is_content_only(ws):
    _history(ws)
    dump = ws.store.dump_workspace(ws.slug)
    again = dump_from_dict(dump_to_dict(dump))
    assert again == dump
    assert checksum(again) == checksum(dump)
    ws.update_node("per-jan", props={"wijk": "Oost"})
    assert checksum(ws.store.dump_workspace(ws.slug)) != checksum(dump)


# ----------------------------------------------------------------------------- neighbourhood


def _random_town(ws, seed, n=40):
    rng = random.Random(seed)
    kinds = [
        NodeKind.PERSON,
        NodeKind.STAFF,
        NodeKind.ORGANISATION,
        NodeKind.THEME,
        NodeKind.ACTIVITY,
        NodeKind.COMMUNITY,
    ]
    nodes = ws.add_nodes(
        [
            {
                "kind": rng.choice(kinds),
                "name": f"n{i}",
                "id": f"n-{i:03d}",
                "since": rng.choice([None, "2023-01-01", "2024-01-01"]),
                "until": rng.choice([None, None, "2024-06-01"]) if i % 3 else None,
            }
            for i in range(n)
        ]
    )
    fits = [
        (r, a, b)
        for r, (srcs, tgts) in TIE_RULES.items()
        for a in nodes
        for b in nodes
        if a.kind in srcs and b.kind in tgts and a.id != b.id
    ]
    specs = []
    for i, (rel, a, b) in enumerate(rng.sample(fits, min(90, len(fits)))):
        specs.append(
            {
                "kind": rel,
                "source": a.id,
                "target": b.id,
                "id": f"t-{i:03d}",
                "strength": round(rng.random(), 2),
                "role": "builder" if rel.value == "HAS_ROLE" else None,
                "since": rng.choice([None, "2023-06-01", "2024-03-01"]),
                "until": rng.choice([None, None, "2024-09-01"]),
            }
        )
    ws.add_ties(specs)
    return [n.id for n in nodes]


@pytest.mark.parametrize("seed", [1, 2])
def test_project_around_is_the_projection_near_the_centres(ws, seed):
    ids = _random_town(ws, seed)
    rng = random.Random(seed)
    for day in ("2024-04-01", "2025-02-01"):
        whole = ws.project(as_of=day)
        for depth in (0, 1, 2):
            centres = rng.sample(ids, 2)
            got = ws.project_around(centres, depth=depth, as_of=day)
            near = set()
            for c in centres:
                if c in whole:
                    near |= set(nx.ego_graph(whole, c, radius=depth, undirected=True))
            want = whole.subgraph(near)
            assert set(got.nodes) == set(want.nodes)
            assert sorted(got.edges(keys=True)) == sorted(want.edges(keys=True))
            for n in got:
                assert got.nodes[n] == whole.nodes[n]
            for u, v, key in got.edges(keys=True):
                assert got.edges[u, v, key] == whole.edges[u, v, key]
            assert got.graph["as_of"] == D(day)


def test_project_around_with_kinds_and_bad_depth(ws):
    lib, anna = ws.add_node("Library", "L", id="lib-1"), ws.add_node("Staff", "A", id="stf-a")
    jan, theme = ws.add_node("Person", "J", id="per-j"), ws.add_node("Theme", "T", id="thm-t")
    ws.add_tie("WORKS_AT", anna.id, lib.id)
    ws.add_tie("KNOWS", anna.id, jan.id)
    ws.add_tie("ACTIVE_ON", jan.id, theme.id)
    assert set(ws.project_around([theme.id], depth=3)) == {theme.id, jan.id, anna.id, lib.id}
    people = ws.project_around([jan.id], depth=3, kinds=["Person", "Staff"])
    assert set(people) == {jan.id, anna.id}
    assert set(ws.project_around(["no-such-id"], depth=2)) == set()
    with pytest.raises(ValidationError, match="depth -1"):
        ws.project_around([jan.id], depth=-1)
