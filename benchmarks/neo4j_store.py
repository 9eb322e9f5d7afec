"""Benchmark: the Neo4j store's import throughput and neighbourhood projection.

With a server configured (``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD``, optionally
``NEO4J_DATABASE``) it prints:

* import throughput: ties per second written through ``add_ties`` in one transaction, with
  ``UNWIND`` batches of several sizes (``mapper.store.neo4j.BATCH_SIZE``);
* the time to project a theme's neighbourhood (``project_around``, depth 1 and 2) from a
  100,000-node graph, next to the time of the whole projection (``project``) for scale.

Without a server it says so and exits 0. ``--url`` runs the same measurements against any
store URL (e.g. ``sqlite:////tmp/bench.db``) for comparison. Every workspace it creates is
named ``bench-…`` and deleted afterwards.

Run::

    NEO4J_URI=neo4j://localhost:7687 NEO4J_USER=neo4j NEO4J_PASSWORD=… \\
        python benchmarks/neo4j_store.py
    python benchmarks/neo4j_store.py --url sqlite:////tmp/bench.db --nodes 20000
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mapper.model import Node, NodeKind, RelKind, Tie, WorkspaceInfo  # noqa: E402
from mapper.store import open_store  # noqa: E402
from mapper.store.base import now_iso  # noqa: E402
from mapper.store.dump import WorkspaceDump  # noqa: E402

NEO4J_ENV = ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD")
BATCH_SIZES = (100, 1_000, 5_000)
SEED = 20250101


def synthetic_dump(slug: str, nodes: int, *, seed: int = SEED) -> tuple[WorkspaceDump, list[str]]:
    """A deterministic town of ``nodes`` entities: 1 % themes, 5 % organisations, some
    staff, the rest people; each person is active on one or two themes, knows three others
    and belongs to an organisation. Returns the dump and the theme ids."""
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
        for q in rng.sample(people, 3):
            if q != p:
                tie(RelKind.KNOWS, p, q)
        tie(RelKind.MEMBER_OF, p, rng.choice(orgs))
    info = WorkspaceInfo(slug, "Benchmark", at, {})
    return WorkspaceDump(info, out, ties, []), themes


def bench_import(store, total_ties: int) -> None:
    """Ties per second through add_ties (one transaction) at several UNWIND batch sizes."""
    import mapper.store.neo4j as neo

    dump, _ = synthetic_dump("x", max(2_000, total_ties // 3))
    ties = dump.ties[:total_ties]
    print(f"import: {len(ties):,} ties per run into a workspace of {len(dump.nodes):,} entities")
    # The UNWIND batch size is the Neo4j store's; other stores get one run.
    for batch in BATCH_SIZES if store.backend == "neo4j" else (None,):
        slug = f"bench-{uuid.uuid4().hex[:10]}"
        store.load_workspace(WorkspaceDump(dump.info, dump.nodes, [], []), slug=slug)
        previous = neo.BATCH_SIZE
        neo.BATCH_SIZE = batch or previous
        try:
            started = time.perf_counter()
            store.add_ties(slug, ties)
            seconds = time.perf_counter() - started
        finally:
            neo.BATCH_SIZE = previous
            store.delete_workspace(slug)
        label = f"UNWIND batch {batch:>6,}" if batch else "one add_ties call"
        print(f"  {label}: {len(ties) / seconds:>10,.0f} ties/s ({seconds:.2f} s)")


def bench_projection(store, nodes: int, repeat: int) -> None:
    slug = f"bench-{uuid.uuid4().hex[:10]}"
    dump, themes = synthetic_dump(slug, nodes)
    started = time.perf_counter()
    store.load_workspace(dump)
    print(
        f"projection: graph of {len(dump.nodes):,} entities and {len(dump.ties):,} ties "
        f"(loaded in {time.perf_counter() - started:.1f} s)"
    )
    try:
        theme = themes[len(themes) // 2]
        for depth in (1, 2):
            times, size = [], (0, 0)
            for _ in range(repeat):
                t0 = time.perf_counter()
                g = store.project_around(slug, [theme], depth=depth, as_of="2025-01-01")
                times.append(time.perf_counter() - t0)
                size = (g.number_of_nodes(), g.number_of_edges())
            print(
                f"  theme neighbourhood, depth {depth}: median {statistics.median(times) * 1000:,.0f} ms "
                f"({size[0]:,} entities, {size[1]:,} ties)"
            )
        t0 = time.perf_counter()
        whole = store.project(slug, as_of="2025-01-01")
        print(
            f"  whole projection (for scale):  {(time.perf_counter() - t0) * 1000:,.0f} ms "
            f"({whole.number_of_nodes():,} entities, {whole.number_of_edges():,} ties)"
        )
    finally:
        store.delete_workspace(slug)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", help="store URL (default: the NEO4J_* environment)")
    parser.add_argument(
        "--nodes", type=int, default=100_000, help="entities in the projection graph"
    )
    parser.add_argument("--ties", type=int, default=50_000, help="ties per import run")
    parser.add_argument("--repeat", type=int, default=5, help="runs per projection timing")
    args = parser.parse_args(argv)
    if args.url:
        store = open_store(args.url)
    elif all(os.environ.get(n) for n in NEO4J_ENV):
        from mapper.store.neo4j import Neo4jStore

        store = Neo4jStore(
            os.environ["NEO4J_URI"],
            user=os.environ["NEO4J_USER"],
            password=os.environ["NEO4J_PASSWORD"],
            database=os.environ.get("NEO4J_DATABASE") or None,
        )
    else:
        print(
            "no Neo4j server configured: set NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD "
            "(or pass --url) to measure; nothing measured"
        )
        return 0
    print(f"store: {store!r}")
    try:
        bench_import(store, args.ties)
        bench_projection(store, args.nodes, args.repeat)
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
