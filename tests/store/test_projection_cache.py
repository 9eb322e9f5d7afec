"""The shared projection (mapper/graph/) equals a fresh ``project()`` after every kind of
write: through the store, through another process, through an import; and the graph as of any
other day, derived from memory, equals the fresh one of that day."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap

import pytest

from mapper import graph as mgraph
from mapper.model import RelKind
from mapper.store import SQLiteStore
from seeds.demo import seed_demo

TODAY = dt.date(2026, 11, 1)
DAYS = [
    dt.date(2024, 11, 1),
    dt.date(2025, 6, 15),
    dt.date(2026, 3, 1),
    dt.date(2026, 10, 31),
    TODAY,
    dt.date(2027, 1, 1),
]


def picture(G):
    nodes = {n: dict(d) for n, d in G.nodes(data=True)}
    edges = {(u, v, k): dict(d) for u, v, k, d in G.edges(keys=True, data=True)}
    return dict(G.graph), nodes, edges


def assert_same(store, slug, *, days=DAYS):
    p = store.projection(slug)
    for day in days:
        fresh = store.project(slug, as_of=day)
        got = p.as_of(day)
        assert picture(got) == picture(fresh), day
        assert got.number_of_edges() == fresh.number_of_edges()
        assert sorted(got.degree()) == sorted(fresh.degree())
        some = sorted(fresh.nodes)[:25]
        for n in some:
            assert sorted(got.successors(n)) == sorted(fresh.successors(n))
            assert sorted(got.predecessors(n)) == sorted(fresh.predecessors(n))
    assert picture(p.history()) == picture(store.project_history(slug))
    kinds = {"tie_kinds": ["MEMBER_OF", "KNOWS"], "kinds": ["Person", "Community"]}
    assert picture(p.history(**kinds)) == picture(store.project_history(slug, **kinds))


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    """The projection's "today" is fixed to the demo's last day."""
    real = mgraph.shared_projection

    def fixed(*args, **kwargs):
        kwargs.setdefault("today", TODAY)
        return real(*args, **kwargs)

    monkeypatch.setattr(mgraph, "shared_projection", fixed)
    real_project = SQLiteStore.project

    def project(self, workspace, *, as_of=None, kinds=None):
        return real_project(self, workspace, as_of=as_of or TODAY, kinds=kinds)

    monkeypatch.setattr(SQLiteStore, "project", project)
    yield
    mgraph.forget()


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    store = SQLiteStore(path)
    seed_demo(store, "demo", today=TODAY)
    store.close()
    return path


@pytest.fixture
def store(demo_file, tmp_path):
    path = tmp_path / "demo.db"
    path.write_bytes(demo_file.read_bytes())
    s = SQLiteStore(path)
    yield s
    s.close()


def test_fresh_projection_equals_project(store):
    assert_same(store, "demo")


def test_today_is_one_shared_frozen_graph(store, demo_file):
    a = store.projection("demo")
    other = SQLiteStore(store.path)  # another store object on the same file, same process
    try:
        assert other.projection("demo") is a
    finally:
        other.close()
    G = a.as_of()
    assert G is a.graph
    with pytest.raises(Exception, match="[Ff]rozen"):
        G.add_node("x")


def _some(store, kind):
    return sorted(store.nodes("demo", kind=kind), key=lambda n: n.id)


def test_writes_through_the_store_are_applied_not_rebuilt(store, monkeypatch):
    p0 = store.projection("demo")
    people = _some(store, "Person")
    theme = _some(store, "Theme")[0]
    builds = []
    real_build = mgraph.Projection.build
    monkeypatch.setattr(
        mgraph.Projection,
        "build",
        classmethod(lambda cls, *a, **k: builds.append(1) or real_build(*a, **k)),
    )

    writes = [
        lambda: store.add_node("demo", "Person", "Nieuwe Buur", since="2026-01-01"),
        lambda: store.add_node("demo", "Person", "Toekomstige Buur", since="2027-01-01"),
        lambda: store.add_tie(
            "demo", "ACTIVE_ON", people[0].id, theme.id, strength=0.4, since="2025-01-01"
        ),
        lambda: store.change_tie(
            "demo", _tie_of(store, people[1]).id, on="2026-01-15", strength=0.9
        ),
        lambda: store.change_tie(
            "demo", _tie_of(store, people[2]).id, on="2027-02-01", strength=0.2
        ),
        lambda: store.end_tie("demo", _tie_of(store, people[3]).id, on="2026-05-01"),
        lambda: store.update_node("demo", people[4].id, name="Andere Naam"),
        lambda: store.update_node("demo", people[5].id, until="2026-06-01"),  # leaves: ties go
        lambda: store.update_node("demo", people[5].id, until=None),  # and comes back
        lambda: store.update_node("demo", people[6].id, since="2027-01-01"),
        lambda: store.add_contact("demo", people[7].id, people[8].id, on="2026-10-01"),
        lambda: store.add_tie_rows(  # as an import writes them: the fields of each tie
            "demo",
            [
                ("tie-rows-a", RelKind.ACTIVE_ON, people[10].id, theme.id, 0.6)
                + (dt.date(2025, 1, 1), None, None, "import", {}, 1, True, "2026-01-01T00:00:00Z"),
                ("tie-rows-b", RelKind.KNOWS, people[10].id, people[11].id, None)
                + (None, dt.date(2027, 1, 1), None, None, {"x": 1}, 1, True, "2026-01-01Z"),
            ],
        ),
        lambda: store.update_workspace("demo", settings={"review_months": 6}),
        lambda: store.erase_node("demo", people[9].id),
    ]
    for write in writes:
        before = store.projection("demo")
        old_picture = picture(before.graph)
        write()
        assert store.projection("demo") is not before
        assert_same(store, "demo")
        assert picture(before.graph) == old_picture  # readers of the old snapshot undisturbed
    assert builds == []
    assert store.projection("demo") is not p0


def _tie_of(store, person):
    """An open tie of the person that began before 2026."""
    return next(
        t
        for t in store.ties("demo", node=person.id)
        if t.until is None and (t.since is None or t.since < dt.date(2026, 1, 1))
    )


def test_a_transaction_is_applied_whole_and_a_rollback_not_at_all(store):
    store.projection("demo")
    people = _some(store, "Person")
    theme = _some(store, "Theme")[1]
    before = picture(store.projection("demo").graph)
    with pytest.raises(RuntimeError):
        with store.atomic():
            store.add_tie("demo", "ACTIVE_ON", people[0].id, theme.id, strength=0.4)
            raise RuntimeError("no")
    assert picture(store.projection("demo").graph) == before
    with store.atomic():
        a = store.add_node("demo", "Person", "Een")
        try:
            with store.atomic():
                store.add_tie("demo", "KNOWS", a.id, people[1].id)
                raise RuntimeError("savepoint")
        except RuntimeError:
            pass
        store.add_tie("demo", "KNOWS", a.id, people[2].id, strength=0.8)
    assert_same(store, "demo")


def _count_builds(monkeypatch):
    builds = []
    real_build = mgraph.Projection.build
    monkeypatch.setattr(
        mgraph.Projection,
        "build",
        classmethod(lambda cls, *a, **k: builds.append(1) or real_build(*a, **k)),
    )
    return builds


def _in_another_process(path, code):
    script = f"from mapper.store import SQLiteStore\ns = SQLiteStore({str(path)!r})\n"
    subprocess.run(
        [sys.executable, "-c", script + textwrap.dedent(code) + "\ns.close()"], check=True
    )


def test_writes_by_another_process_are_caught_up_from_the_audit_trail(store, monkeypatch):
    p0 = store.projection("demo")
    people = _some(store, "Person")
    person, other = people[0], people[1]
    builds = _count_builds(monkeypatch)
    _in_another_process(
        store.path,
        f"""
        s.update_node("demo", {person.id!r}, name="Van Buiten")
        t = next(t for t in s.ties("demo", node={person.id!r}) if t.until is None)
        s.change_tie("demo", t.id, on="2026-10-31", strength=1.0)
        n = s.add_node("demo", "Person", "Nieuw Van Buiten", since="2025-01-01")
        s.add_tie("demo", "KNOWS", n.id, {other.id!r}, strength=0.6, since="2025-02-01")
        s.update_node("demo", {other.id!r}, until="2026-01-01")
        """,
    )
    p1 = store.projection("demo")
    assert p1 is not p0
    assert p1.graph.nodes[person.id]["name"] == "Van Buiten"
    assert_same(store, "demo")
    assert builds == []  # applied, not built again


def test_an_erasure_by_another_process_builds_again(store, monkeypatch):
    store.projection("demo")
    person = _some(store, "Person")[3]
    builds = _count_builds(monkeypatch)
    _in_another_process(store.path, f's.erase_node("demo", {person.id!r})')
    assert person.id not in store.projection("demo").graph
    assert builds == [1]
    assert_same(store, "demo")


def test_another_process_writing_between_two_of_ours_is_not_missed(store):
    store.projection("demo")
    people = _some(store, "Person")
    _in_another_process(store.path, f's.update_node("demo", {people[0].id!r}, name="Tussendoor")')
    # Our own write now starts from a mark the projection has not seen: it is not applied
    # on top of a stale graph, the projection is built again.
    store.update_node("demo", people[1].id, name="Daarna")
    p = store.projection("demo")
    assert p.graph.nodes[people[0].id]["name"] == "Tussendoor"
    assert p.graph.nodes[people[1].id]["name"] == "Daarna"
    assert_same(store, "demo")


@pytest.mark.parametrize("big", [False, True], ids=["applied", "too-big-rebuilt"])
def test_an_import_is_seen(store, tmp_path, monkeypatch, big):
    if big:
        monkeypatch.setattr(mgraph, "MAX_APPLY", 0)
    from mapper.io.plan import plan_import
    from mapper.io.readers import read_file

    store.projection("demo")
    csv = tmp_path / "relaties.csv"
    people = _some(store, "Person")
    csv.write_text(
        "soort;naam;thema's\npersoon;Geïmporteerde Persoon;duurzaamheid\n",
        encoding="utf-8",
    )
    plan = plan_import(store, "demo", read_file(csv))
    plan.apply()
    assert_same(store, "demo")
    names = {d["name"] for _, d in store.projection("demo").graph.nodes(data=True)}
    assert "Geïmporteerde Persoon" in names
    assert people  # the demo has people


def test_merge_and_restore_rebuild(store):
    people = _some(store, "Person")
    store.projection("demo")
    store.merge_nodes("demo", people[0].id, people[1].id)
    assert_same(store, "demo")
    dump = store.dump_workspace("demo")
    store.load_workspace(dump, slug="kopie")
    assert_same(store, "kopie", days=[TODAY, dt.date(2025, 6, 15)])


def test_fill_builds_what_networkx_builds():
    """``mapper.graph.build.fill`` writes networkx's adjacency dicts itself: the graph is the
    one ``add_nodes_from``/``add_edges_from`` make (multi-edges, both directions, self-loops)."""
    import random

    import networkx as nx

    from mapper.graph.build import fill

    rng = random.Random(7)
    nodes = [(f"n{i}", {"kind": "Person", "i": i}) for i in range(60)]
    edges = [
        (f"n{rng.randrange(60)}", f"n{rng.randrange(60)}", f"t{k}", {"strength": rng.random()})
        for k in range(400)
    ]
    edges.append(("n3", "n3", "loop", {"strength": 1.0}))
    want = nx.MultiDiGraph(workspace="w")
    want.add_nodes_from((n, dict(d)) for n, d in nodes)
    want.add_edges_from([(u, v, k, dict(d)) for u, v, k, d in edges])
    got = nx.MultiDiGraph(workspace="w")
    fill(got, nodes, edges)
    assert picture(got) == picture(want)
    for n in want:
        assert sorted(got.successors(n)) == sorted(want.successors(n))
        assert sorted(got.predecessors(n)) == sorted(want.predecessors(n))
        assert got.in_degree(n) == want.in_degree(n) and got.out_degree(n) == want.out_degree(n)
    assert sorted(got.in_edges("n3", keys=True)) == sorted(want.in_edges("n3", keys=True))
    got.remove_edge("n3", "n3", "loop")  # still an ordinary, changeable graph
    assert not got.has_edge("n3", "n3")
