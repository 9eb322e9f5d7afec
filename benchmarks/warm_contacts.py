"""Benchmark: rank the top 50 warm contacts for a theme on a province-scale graph.

Builds a deterministic synthetic graph directly as a networkx ``MultiDiGraph`` shaped like a
projection (node ``kind``/``name``, edge ``kind``/``strength``/``role``) — 100,000 people and
organisations, 1,000,000 ties, 40 staff, 200 themes — and prints:

* the median time over repeated runs of :func:`mapper.analysis.warm.rank_warm_contacts`
  (top 50, theme target, the bounded multi-source search);
* the median time of the same ranking computed naively in the same run: networkx Dijkstra
  from every staff member (and the library) separately over the whole graph, expanded into
  (node, steps) states so that the 3-step limit is honoured (``method="dijkstra"``);
* the speed-up, whether the two top-50 lists are identical (ids, scores and warmth), and the
  peak memory (``tracemalloc`` during one ranking, and the process's maximum resident size).

The graph is not built through the store: this measures the ranking, not the database.

Run::

    python benchmarks/warm_contacts.py                 # full size
    python benchmarks/warm_contacts.py --scale 0.05    # a quick smoke run
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mapper.analysis.warm import rank_warm_contacts  # noqa: E402

SEED = 20261122
PEOPLE_AND_ORGS = 100_000
ORG_SHARE = 0.10
TIES = 1_000_000
STAFF = 40
THEMES = 200
ACTIVITIES = 3_000
STAFF_PERSON_BONDS = 150
STAFF_ORG_BONDS = 20
LIBRARY_ORG_BONDS = 500
LIBRARY_PERSON_BONDS = 200
STEPS = (0.2, 0.4, 0.6, 0.8, 1.0)
STEP_WEIGHTS = (0.2, 0.3, 0.25, 0.15, 0.1)
TOP = 50


def build_graph(*, scale: float = 1.0, seed: int = SEED) -> tuple[nx.MultiDiGraph, list[int]]:
    """The synthetic province: returns the graph and the theme node ids.

    People live in blocks that share a main theme (so a theme has a local ecosystem), know
    mostly people close by (with some long-range acquaintances), belong to organisations and
    take part in activities; staff know residents and have bonds with organisations.
    """
    rng = random.Random(seed)
    n_total = int(PEOPLE_AND_ORGS * scale)
    n_orgs = int(n_total * ORG_SHARE)
    n_people = n_total - n_orgs
    n_ties = int(TIES * scale)
    n_act = max(10, int(ACTIVITIES * scale))
    G = nx.MultiDiGraph()
    next_id = 0

    def ids(count: int, kind: str, label: str) -> list[int]:
        nonlocal next_id
        block = list(range(next_id, next_id + count))
        next_id += count
        G.add_nodes_from((i, {"kind": kind, "name": f"{label} {i}"}) for i in block)
        return block

    library = ids(1, "Library", "Bibliotheek")[0]
    staff = ids(STAFF, "Staff", "Medewerker")
    themes = ids(THEMES, "Theme", "Thema")
    people = ids(n_people, "Person", "Persoon")
    orgs = ids(n_orgs, "Organisation", "Organisatie")
    acts = ids(n_act, "Activity", "Activiteit")
    block = max(1, n_people // THEMES)

    def main_theme(p: int) -> int:
        return themes[min(THEMES - 1, (p - people[0]) // block)]

    def strength() -> float:
        return rng.choices(STEPS, STEP_WEIGHTS)[0]

    edges: list[tuple[int, int, int, dict]] = []
    seen_pairs: set[tuple[int, int]] = set()

    def tie(kind: str, u: int, v: int, role: str | None = None) -> None:
        a, b = (u, v) if u < v else (v, u)
        if u == v or (a, b) in seen_pairs:
            return
        seen_pairs.add((a, b))
        data = {"kind": kind, "strength": strength()}
        if role:
            data["role"] = role
        edges.append((u, v, len(edges), data))

    for s in staff:
        tie("WORKS_AT", s, library)
        for _ in range(STAFF_PERSON_BONDS):
            tie(rng.choice(("BOND_WITH", "KNOWS")), s, rng.choice(people))
        for _ in range(STAFF_ORG_BONDS):
            tie("BOND_WITH", s, rng.choice(orgs))
    for _ in range(int(LIBRARY_ORG_BONDS * max(scale, 0.1))):
        tie("BOND_WITH", library, rng.choice(orgs))
    for _ in range(int(LIBRARY_PERSON_BONDS * max(scale, 0.1))):
        tie("BOND_WITH", library, rng.choice(people))
    org_theme = {o: rng.choice(themes) for o in orgs}
    for o in orgs:
        tie("ACTIVE_ON", o, org_theme[o])
        if rng.random() < 0.5:
            tie("ACTIVE_ON", o, rng.choice(themes))
    orgs_by_theme: dict[int, list[int]] = {}
    for o, t in org_theme.items():
        orgs_by_theme.setdefault(t, []).append(o)
    for p in people:
        theme = main_theme(p)
        tie("ACTIVE_ON", p, theme)
        if rng.random() < 0.2:
            tie("ACTIVE_ON", p, rng.choice(themes))
        local = orgs_by_theme.get(theme) or orgs
        for _ in range(1 + (rng.random() < 0.3)):
            roll = rng.random()
            role = "ambassador" if roll < 0.03 else "board" if roll < 0.08 else "member"
            tie("MEMBER_OF", p, rng.choice(local if rng.random() < 0.7 else orgs), role)
    for a in acts:
        theme = rng.choice(themes)
        tie("ABOUT", a, theme)
        local_people = people[(theme - themes[0]) * block : (theme - themes[0] + 1) * block]
        local_people = local_people or people
        if rng.random() < 0.5:
            tie("ORGANISES", rng.choice(local_people), a)
        else:
            tie("ORGANISES", rng.choice(orgs_by_theme.get(theme) or orgs), a)
        for _ in range(10):
            tie("ATTENDS", rng.choice(local_people), a)
    # Acquaintances fill the rest: mostly within a neighbourhood window, some far away.
    window = 300
    while len(edges) < n_ties:
        i = rng.randrange(n_people)
        if rng.random() < 0.9:
            j = i + rng.randint(1, window)
            if j >= n_people:
                continue
        else:
            j = rng.randrange(n_people)
        tie("KNOWS", people[i], people[j])
    G.add_edges_from(edges)
    return G, themes


def timed(func, repeats: int) -> tuple[float, list[float], float, object]:  # type: ignore[no-untyped-def]
    """Median wall time, all wall times, median CPU time of this process, last result.

    The CPU time is printed too because the machine may be shared: under contention the wall
    time grows while the CPU time the ranking needs does not.
    """
    times, cpu, result = [], [], None
    for _ in range(repeats):
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        result = func()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(times), times, statistics.median(cpu), result


def summary(contacts) -> list[tuple[object, float, float]]:  # type: ignore[no-untyped-def]
    return [(c.id, c.score, c.warmth) for c in contacts]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="graph size factor (1 = full)")
    parser.add_argument("--repeats", type=int, default=7, help="runs of the fast ranking")
    parser.add_argument("--naive-repeats", type=int, default=3, help="runs of the naive one")
    parser.add_argument("--theme", type=int, default=17, help="index of the target theme")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)

    start = time.perf_counter()
    G, themes = build_graph(scale=args.scale, seed=args.seed)
    built = time.perf_counter() - start
    kinds: dict[str, int] = {}
    for _, kind in G.nodes(data="kind"):
        kinds[kind] = kinds.get(kind, 0) + 1
    theme = themes[args.theme % len(themes)]
    print(
        f"graph: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} ties "
        f"(built in {built:.1f} s)"
    )
    print("       " + ", ".join(f"{k} {v:,}" for k, v in sorted(kinds.items())))
    print(f"target: theme {G.nodes[theme]['name']} (node {theme}); top {TOP}; cutoff 3 steps")

    def fast():  # type: ignore[no-untyped-def]
        return rank_warm_contacts(G, theme, limit=TOP)

    def naive():  # type: ignore[no-untyped-def]
        return rank_warm_contacts(G, theme, limit=TOP, method="dijkstra")

    print(
        f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
        f"({os.cpu_count()} cores)"
    )
    fast()  # warm up
    fast_median, fast_times, fast_cpu, fast_result = timed(fast, args.repeats)
    print(
        f"fast  (bounded multi-source search): median {fast_median * 1000:.1f} ms over "
        f"{args.repeats} runs  [{', '.join(f'{t * 1000:.0f}' for t in fast_times)} ms]; "
        f"median CPU time {fast_cpu * 1000:.1f} ms"
    )
    naive_median, naive_times, naive_cpu, naive_result = timed(naive, args.naive_repeats)
    print(
        f"naive (networkx Dijkstra from every staff member, full graph): median "
        f"{naive_median:.2f} s over {args.naive_repeats} runs  "
        f"[{', '.join(f'{t:.2f}' for t in naive_times)} s]; median CPU time {naive_cpu:.2f} s"
    )
    print(f"speed-up: {naive_median / fast_median:.0f}x wall, {naive_cpu / fast_cpu:.0f}x CPU")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    same = summary(fast_result) == summary(naive_result)
    print(f"identical top-{TOP} (ids, scores, warmth): {'yes' if same else 'NO'}")
    if not same:
        for a, b in zip(summary(fast_result), summary(naive_result)):
            if a != b:
                print(f"   first difference: fast {a} / naive {b}")
                break
    with_route = sum(1 for c in fast_result if c.route is not None)  # type: ignore[union-attr]
    print(
        f"top-{TOP}: {with_route} with a warm route; best score "
        f"{fast_result[0].score:.3f}, 50th {fast_result[-1].score:.3f}"
    )  # type: ignore[index]

    gc.collect()
    tracemalloc.start()
    fast()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"peak memory of one ranking (tracemalloc): {peak / 2**20:.1f} MiB; "
        f"process max RSS incl. the graph: {rss:.0f} MiB"
    )
    goal = fast_median <= 1.0 and naive_median / fast_median >= 10 and same
    print(
        f"goal (median <= 1 s, >= 10x naive, identical top-{TOP}): {'met' if goal else 'NOT met'}"
    )
    return 0 if goal else 1


if __name__ == "__main__":
    raise SystemExit(main())
