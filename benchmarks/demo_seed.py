"""Benchmark: how long seeding the demo town takes (``mapper demo`` does this on first start).

Seeds the demo town (:func:`seeds.demo.seed_demo`) into an in-memory SQLite store and into a
SQLite file in a temporary folder, several times each, and prints the median and the slowest
run, with what was written. The goal is "a few seconds" at most on a modest laptop.

Run: ``python benchmarks/demo_seed.py [--runs 5]``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mapper.store import SQLiteStore  # noqa: E402
from seeds.demo import build_town, seed_demo  # noqa: E402


def _time(make_store, runs: int) -> tuple[list[float], dict[str, int]]:
    times: list[float] = []
    counts: dict[str, int] = {}
    for run in range(runs):
        store = make_store(run)
        try:
            start = time.perf_counter()
            counts = seed_demo(store, "demo")
            times.append(time.perf_counter() - start)
        finally:
            store.close()
    return times, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    start = time.perf_counter()
    build_town()
    print(f"planning the town (no store):  {time.perf_counter() - start:.3f} s")

    times, counts = _time(lambda run: SQLiteStore(":memory:"), args.runs)
    print(
        f"seed into SQLite in memory:    median {statistics.median(times):.3f} s, "
        f"slowest {max(times):.3f} s ({args.runs} runs)"
    )
    with tempfile.TemporaryDirectory() as folder:
        times, counts = _time(lambda run: SQLiteStore(Path(folder) / f"demo{run}.db"), args.runs)
        size = (Path(folder) / "demo0.db").stat().st_size
    print(
        f"seed into a SQLite file:       median {statistics.median(times):.3f} s, "
        f"slowest {max(times):.3f} s ({args.runs} runs; file {size / 1e6:.1f} MB)"
    )
    print("written: " + ", ".join(f"{k} {v}" for k, v in counts.items() if v))


if __name__ == "__main__":
    main()
