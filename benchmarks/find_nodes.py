"""Name search at province size: SQLite's indexed ``find_nodes`` against the reference scan.

Builds (once, cached) a workspace of 100,000 entities with generated Dutch names (some with
accents), then times each query both ways in the same run, checks that the answers agree,
and prints medians and the ratio. The reference is :meth:`mapper.store.base.Store.find_nodes`
(reads every node into Python), which the Neo4j adapter still uses.

    .venv/bin/python benchmarks/find_nodes.py [--entities 100000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mapper.store import SQLiteStore  # noqa: E402
from mapper.store.base import Store  # noqa: E402

FIRST = [
    "Jan",
    "Anna",
    "Fatma",
    "Mohammed",
    "Émile",
    "Zoë",
    "Sanne",
    "Daan",
    "Noor",
    "Bram",
    "Ilse",
    "Kübra",
    "Joost",
    "Eva",
    "Sem",
    "Lotte",
]
LAST = [
    "de Vries",
    "Jansen",
    "Yılmaz",
    "Bakker",
    "van Dijk",
    "Ødegård",
    "Smit",
    "de Jong",
    "Öztürk",
    "Visser",
    "Meijer",
    "van den Berg",
    "Mulder",
    "Bos",
    "Çelik",
    "Peters",
]
QUERIES = ["jan", "jan de vries", "yilmaz", "emile", "van", "e", "kubra ozturk 4", "zzz"]


def build(path: Path, count: int) -> None:
    rng = random.Random(12)
    store = SQLiteStore(path)
    ws = store.create_workspace("provincie")
    batch = []
    for i in range(count):
        kind = "Person" if i % 5 else "Organisation"
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}"
        if kind == "Organisation":
            name = f"Stichting {rng.choice(LAST)} {i}"
        batch.append(dict(kind=kind, name=name))
        if len(batch) == 10_000:
            ws.add_nodes(batch)
            batch = []
    if batch:
        ws.add_nodes(batch)
    store.close()


def timed(function, repeat: int) -> tuple[float, list[str]]:
    times, answer = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        answer = [n.id for n in function()]
        times.append(time.perf_counter() - start)
    return statistics.median(times), answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "cm-find-nodes"
    )
    args = parser.parse_args()
    args.cache_dir.mkdir(parents=True, exist_ok=True)
    path = args.cache_dir / f"names-{args.entities}.db"
    if not path.exists():
        start = time.perf_counter()
        build(path, args.entities)
        print(f"built {args.entities} entities in {time.perf_counter() - start:.1f} s")
    store = SQLiteStore(path)
    counts = store.counts("provincie")
    print(f"find_nodes over {counts['Person'] + counts['Organisation']} entities")
    print(f"{'query':<18}{'indexed (ms)':>14}{'scan (ms)':>12}{'ratio':>8}  same answer")
    for text in QUERIES:
        for kind in (None, "Person"):
            fast, a = timed(
                lambda t=text, k=kind: store.find_nodes("provincie", t, kind=k), args.repeat
            )
            slow, b = timed(
                lambda t=text, k=kind: Store.find_nodes(store, "provincie", t, kind=k), args.repeat
            )
            label = text if kind is None else f"{text} (Person)"
            print(
                f"{label:<18}{fast * 1000:>14.1f}{slow * 1000:>12.1f}{slow / fast:>7.0f}x  {a == b}"
            )
    page = [n.id for n in store.find_nodes("provincie", "e", limit=20, offset=40)]
    full = [n.id for n in Store.find_nodes(store, "provincie", "e", limit=60)]
    print(f"page 3 of 'e' (offset 40) equals the reference's: {page == full[40:60]}")
    store.close()


if __name__ == "__main__":
    main()
