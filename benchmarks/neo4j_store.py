"""Benchmark: the Neo4j store against a real server, and next to SQLite.

Prints, on one run:

* writes: ties per second through ``add_ties`` with ``UNWIND`` batches of 1k, 10k and 50k rows
  (``mapper.store.neo4j.rows.BATCH_SIZE``), and the same ties written one transaction per tie;
  the goal is at least 10x for the best batch size;
* reads on a province-sized workspace (``--nodes``, about 10 ties per entity; default 100,000
  entities and 1,000,000 ties): a theme's neighbourhood (``project_around``, depth 1 and 2;
  goal at most 1 s) and warm contacts top 50 for a theme, each on Neo4j and on SQLite, with
  the ratio; beside ``project_around``, the implementation it replaced (value objects, per-node
  queries on SQLite, every tie of the last ring) as a baseline of the same run, and whether
  both give the same graph;
* the same Neo4j reads without the driver's Rust extension (``neo4j-rust-ext``) when it is
  installed, with the speed-up.

The server is the one ``NEO4J_URI``, ``NEO4J_USER`` and ``NEO4J_PASSWORD`` name, else the
project's own test server (``tests/neo4j_server``, started here with the full JIT and a 2 GB
heap, and stopped at the end). Every workspace it creates is named ``bench-…`` and deleted.

Run::

    python benchmarks/neo4j_store.py                       # 100,000 entities, 1M ties
    python benchmarks/neo4j_store.py --nodes 20000         # a smaller province
    python benchmarks/neo4j_store.py --scale 0.1 --skip-writes   # reads only, 10 % province
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

if "--no-rust" in sys.argv:  # the child run: the driver's pure-Python codec only
    sys.modules["neo4j._rust"] = None  # type: ignore[assignment]

from mapper.model import Node, NodeKind, RelKind, Tie, WorkspaceInfo  # noqa: E402
from mapper.services.warm import warm_contacts  # noqa: E402
from mapper.store import SQLiteStore  # noqa: E402
from mapper.store.base import now_iso  # noqa: E402
from mapper.store.dump import WorkspaceDump  # noqa: E402

NEO4J_ENV = ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD")
BATCH_SIZES = (1_000, 10_000, 50_000)
#: Ties written one transaction each (enough for a steady rate; the batches write more).
SINGLE_TIES = 1_000
#: People each person knows in the synthetic province (about 10 ties per entity in all).
KNOWS = 7
SEED = 20250101
DAY = "2025-01-01"


def synthetic_dump(
    slug: str, nodes: int, *, knows: int = KNOWS, seed: int = SEED
) -> tuple[WorkspaceDump, list[str]]:
    """A deterministic town of ``nodes`` entities: 1 % themes, 5 % organisations, some
    staff, the rest people; each person is active on one or two themes, knows ``knows``
    others and belongs to an organisation (about ``knows + 2.5`` ties per entity). Returns the dump and the theme ids."""
    rng = random.Random(seed)
    at = now_iso()
    n_themes, n_orgs, n_staff = max(1, nodes // 100), max(1, nodes // 20), 40
    n_people = nodes - n_themes - n_orgs - n_staff - 1
    out: list[Node] = [Node("lib-1", NodeKind.LIBRARY, "Bibliotheek", recorded_at=at)]

    def add(prefix: str, kind: NodeKind, count: int) -> list[str]:
        ids = [f"{prefix}-{i:06d}" for i in range(count)]
        out.extend(Node(i, kind, f"{kind.value} {i}", recorded_at=at) for i in ids)
        return ids

    themes = add("thm", NodeKind.THEME, n_themes)
    orgs = add("org", NodeKind.ORGANISATION, n_orgs)
    staff = add("stf", NodeKind.STAFF, n_staff)
    people = add("per", NodeKind.PERSON, n_people)
    ties: list[Tie] = []
    since = dt.date(2024, 1, 1)

    def tie(kind: RelKind, a: str, b: str) -> None:
        ties.append(
            Tie(
                f"tie-{len(ties):07d}",
                kind,
                a,
                b,
                strength=round(rng.random(), 2),
                since=since,
                recorded_at=at,
            )
        )

    for s in staff:
        tie(RelKind.WORKS_AT, s, "lib-1")
        for p in rng.sample(people, 5):
            tie(RelKind.BOND_WITH, s, p)
    for o in orgs:
        tie(RelKind.ACTIVE_ON, o, rng.choice(themes))
    for p in people:
        for t in rng.sample(themes, min(len(themes), rng.choice((1, 2)))):
            tie(RelKind.ACTIVE_ON, p, t)
        for q in rng.sample(people, knows):
            if q != p:
                tie(RelKind.KNOWS, p, q)
        tie(RelKind.MEMBER_OF, p, rng.choice(orgs))
    info = WorkspaceInfo(slug, "Benchmark", at, {})
    return WorkspaceDump(info, out, ties, []), themes


def rust_extension() -> bool:
    """True when the driver runs with its Rust extension (``neo4j-rust-ext``)."""
    try:
        import neo4j._rust  # noqa: F401
    except ImportError:
        return False
    return True


def median_time(func, repeat: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def bench_writes(store, batch_ties: int, single_ties: int = SINGLE_TIES) -> None:
    """Ties per second: one transaction per tie, then one add_ties call per UNWIND batch size."""
    from mapper.store.neo4j import rows

    dump, _ = synthetic_dump("x", max(2_000, batch_ties // 8), knows=KNOWS)
    ties = dump.ties[:batch_ties]
    print(f"writes: into a workspace of {len(dump.nodes):,} entities")
    slug = f"bench-{uuid.uuid4().hex[:10]}"
    store.load_workspace(WorkspaceDump(dump.info, dump.nodes, [], []), slug=slug)
    try:
        single = ties[:single_ties]
        started = time.perf_counter()
        for tie in single:
            store.add_ties(slug, [tie])
        per_tie = len(single) / (time.perf_counter() - started)
    finally:
        store.delete_workspace(slug)
    print(f"  one transaction per tie:  {per_tie:>10,.0f} ties/s ({len(single):,} ties)")
    best = 0.0
    for batch in BATCH_SIZES:
        slug = f"bench-{uuid.uuid4().hex[:10]}"
        store.load_workspace(WorkspaceDump(dump.info, dump.nodes, [], []), slug=slug)
        previous = rows.BATCH_SIZE
        rows.BATCH_SIZE = batch
        try:
            started = time.perf_counter()
            store.add_ties(slug, ties)
            seconds = time.perf_counter() - started
        finally:
            rows.BATCH_SIZE = previous
            store.delete_workspace(slug)
        rate = len(ties) / seconds
        best = max(best, rate)
        print(
            f"  UNWIND batches of {batch:>6,}: {rate:>10,.0f} ties/s "
            f"({len(ties):,} ties in one transaction, {seconds:.2f} s)"
        )
    print(f"  best batch vs one transaction per tie: {best / per_tie:,.1f}x (goal >= 10x)")


def project_around_before(store, slug: str, ids: list[str], depth: int, day: str):  # type: ignore[no-untyped-def]
    """``project_around`` as it was before the row-based version (the baseline printed
    beside it): value objects per node and tie, the adapter's ``_ties_touching`` per ring
    (SQLite: two queries per node), every tie of the last ring fetched."""
    import networkx as nx

    from mapper.model import check_date
    from mapper.store.values import node_attrs, tie_attrs

    when = check_date(day, field="as_of")

    def present(found_ids):  # type: ignore[no-untyped-def]
        found = store._get_nodes(slug, sorted(set(found_ids)))
        return {i: n for i, n in found.items() if n.valid_on(when)}

    keep = present(ids)
    frontier = sorted(keep)
    ties = {}
    for _ in range(depth):
        if not frontier:
            break
        touching = store._ties_touching(slug, frontier, when)
        ties.update((t.id, t) for t in touching)
        new = {t.other(i) for t in touching for i in (t.source, t.target) if i in keep}
        added = present(new - keep.keys())
        keep.update(added)
        frontier = sorted(added)
    if frontier:
        ties.update((t.id, t) for t in store._ties_touching(slug, frontier, when))
    graph = nx.MultiDiGraph(workspace=slug, as_of=when)
    for node_id in sorted(keep):
        graph.add_node(node_id, **node_attrs(keep[node_id]))
    for tie_id in sorted(ties):
        tie = ties[tie_id]
        if tie.source in keep and tie.target in keep:
            graph.add_edge(tie.source, tie.target, key=tie.id, **tie_attrs(tie))
    return graph


def same_graph(a, b) -> bool:  # type: ignore[no-untyped-def]
    """The same nodes, edges and attributes."""
    return (
        dict(a.nodes(data=True)) == dict(b.nodes(data=True))
        and sorted(a.edges(keys=True, data=True), key=lambda e: e[2])
        == sorted(b.edges(keys=True, data=True), key=lambda e: e[2])
        and a.graph == b.graph
    )


def bench_reads(store, slug: str, theme: str, repeat: int) -> dict[str, Any]:
    """Median seconds of project_around (depth 1, 2; and the baseline before the row-based
    version) and of warm contacts top 50."""
    out: dict[str, Any] = {}
    for depth in (1, 2):
        seconds, g = median_time(
            lambda depth=depth: store.project_around(slug, [theme], depth=depth, as_of=DAY),
            repeat,
        )
        out[f"around{depth}"] = seconds
        out[f"around{depth}_size"] = (g.number_of_nodes(), g.number_of_edges())  # type: ignore[union-attr]
        seconds, before = median_time(
            lambda depth=depth: project_around_before(store, slug, [theme], depth, DAY), repeat
        )
        out[f"before{depth}"] = seconds
        out[f"same{depth}"] = same_graph(g, before)
    ws = store.workspace(slug)
    seconds, result = median_time(lambda: warm_contacts(ws, theme, as_of=DAY, limit=50), repeat)
    out["warm"] = seconds
    out["warm_ids"] = [c.id for c in result.contacts]  # type: ignore[union-attr]
    return out


def open_neo4j():  # type: ignore[no-untyped-def]
    from mapper.store.neo4j import Neo4jStore

    return Neo4jStore(
        os.environ["NEO4J_URI"],
        user=os.environ["NEO4J_USER"],
        password=os.environ["NEO4J_PASSWORD"],
        database=os.environ.get("NEO4J_DATABASE") or None,
    )


def child(argv: list[str]) -> int:
    """``--reads-only SLUG THEME REPEAT``: the Neo4j reads in this process, printed as repr."""
    slug, theme, repeat = argv[0], argv[1], int(argv[2])
    store = open_neo4j()
    try:
        print(repr(bench_reads(store, slug, theme, repeat)))
    finally:
        store.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--reads-only" in argv:
        return child([a for a in argv if not a.startswith("--")])
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nodes", type=int, default=100_000, help="entities in the province")
    parser.add_argument(
        "--scale",
        type=float,
        default=None,
        help="the province as a fraction of 100,000 entities / 1M ties (overrides --nodes)",
    )
    parser.add_argument(
        "--skip-writes", action="store_true", help="only the reads (no write-rate runs)"
    )
    parser.add_argument("--batch-ties", type=int, default=50_000, help="ties per batch run")
    parser.add_argument("--repeat", type=int, default=3, help="runs per read timing")
    parser.add_argument(
        "--single-ties", type=int, default=SINGLE_TIES, help="ties written one transaction each"
    )
    args = parser.parse_args(argv)
    if args.scale is not None:
        args.nodes = max(1_000, round(100_000 * args.scale))

    server = None
    if not all(os.environ.get(n) for n in NEO4J_ENV):
        from tests.neo4j_server.launcher import start

        os.environ.setdefault("NEO4J_TEST_JIT", "full")
        os.environ.setdefault("NEO4J_TEST_PAGECACHE", "512")
        print("starting the project's Neo4j test server (tests/neo4j_server) …", flush=True)
        server = start(heap=os.environ.get("NEO4J_TEST_HEAP") or "2g")
        os.environ.update(server.info.env())
        print(f"server: Neo4j {server.info.version} at {server.info.uri}")
    store = open_neo4j()
    import neo4j

    print(
        f"store: {store!r}; neo4j driver {neo4j.__version__}, "
        f"Rust extension {'on' if rust_extension() else 'off'}"
    )
    big = f"bench-{uuid.uuid4().hex[:10]}"
    try:
        if not args.skip_writes:
            bench_writes(store, args.batch_ties, args.single_ties)

        dump, themes = synthetic_dump(big, args.nodes, knows=KNOWS)
        theme = themes[len(themes) // 2]
        print(
            f"reads: a province of {len(dump.nodes):,} entities and {len(dump.ties):,} ties "
            f"(--nodes {args.nodes:,}), theme {theme}, median of {args.repeat}"
        )
        started = time.perf_counter()
        store.load_workspace(dump)
        print(f"  loaded into Neo4j in {time.perf_counter() - started:.1f} s")
        with tempfile.TemporaryDirectory() as tmp:
            lite = SQLiteStore(Path(tmp) / "bench.db")
            started = time.perf_counter()
            lite.load_workspace(dump)
            print(f"  loaded into SQLite in {time.perf_counter() - started:.1f} s")
            on_sqlite = bench_reads(lite, big, theme, args.repeat)
            lite.close()
        on_neo4j = bench_reads(store, big, theme, args.repeat)
        for key, label in (
            ("around1", "project_around depth 1"),
            ("around2", "project_around depth 2"),
            ("warm", "warm contacts top 50  "),
        ):
            size = on_neo4j.get(f"{key}_size")
            extra = f"  ({size[0]:,} entities, {size[1]:,} ties)" if size else ""  # type: ignore[index]
            print(
                f"  {label}: Neo4j {on_neo4j[key] * 1000:>8,.0f} ms, SQLite "
                f"{on_sqlite[key] * 1000:>8,.0f} ms, Neo4j/SQLite {on_neo4j[key] / on_sqlite[key]:.2f}"
                + extra
            )
        for depth in (1, 2):
            key = f"before{depth}"
            print(
                f"  project_around depth {depth}, before -> now: Neo4j "
                f"{on_neo4j[key] * 1000:,.0f} -> {on_neo4j[f'around{depth}'] * 1000:,.0f} ms "
                f"({on_neo4j[key] / on_neo4j[f'around{depth}']:.1f}x), SQLite "
                f"{on_sqlite[key] * 1000:,.0f} -> {on_sqlite[f'around{depth}'] * 1000:,.0f} ms "
                f"({on_sqlite[key] / on_sqlite[f'around{depth}']:.1f}x); same graph as before: "
                f"Neo4j {on_neo4j[f'same{depth}']}, SQLite {on_sqlite[f'same{depth}']}"
            )
        print(f"  same top 50 on both stores: {on_neo4j['warm_ids'] == on_sqlite['warm_ids']}")
        if rust_extension():
            done = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--no-rust",
                    "--reads-only",
                    big,
                    theme,
                    str(args.repeat),
                ],
                capture_output=True,
                text=True,
                check=True,
                env=os.environ,
            )
            plain = ast.literal_eval(done.stdout.strip().splitlines()[-1])
            print("  Neo4j without the Rust extension (pure-Python driver codec):")
            for key in ("around1", "around2", "warm"):
                print(
                    f"    {key}: {plain[key] * 1000:,.0f} ms -> {on_neo4j[key] * 1000:,.0f} ms "
                    f"with it ({plain[key] / on_neo4j[key]:.2f}x)"
                )
        else:
            print("  (neo4j-rust-ext not installed: no comparison)")
    finally:
        try:
            store.delete_workspace(big)
        except Exception:  # noqa: BLE001 - it may not have been created
            pass
        store.close()
        if server is not None:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
