"""Benchmark: the first open of a big SQLite file made before name search and ``audit_refs``.

Such a file lacks the ``nodes.folded`` column and its index ``nodes_folded``, the index
``audit_target`` and the table ``audit_refs`` (with its two indexes); the first
:class:`SQLiteStore` that opens it adds them in one transaction (issue 12: every library
upgrading would otherwise wait at start, with the web app blocked on the write lock).

The script copies a file with the current schema (``--file``, e.g. the cached
``province-1.db`` of ``benchmarks/web_scale.py``; never changed), takes the new parts out of
the copy (as an older release wrote it: column dropped, indexes and table gone, then
``VACUUM``), and opens copies of that old file with this checkout and, with ``--source DIR``,
with another checkout (e.g. the starting commit from ``git archive``), each in a fresh
process, interleaved ``--runs`` times. It prints wall and CPU seconds per open and checks that
every open gave the same result: the same folded name on every node version and the same
``audit_refs`` rows as the original file, and every schema object there.

Run: ``python benchmarks/schema_upgrade.py --file /work/wt/cache/province-1.db
[--source /tmp/mapper-before] [--runs 2] [--work DIR]``
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

OPEN = """
import json, resource, sys, time
t0, c0 = time.perf_counter(), time.process_time()
from mapper.store import SQLiteStore
SQLiteStore(sys.argv[1]).close()
print(json.dumps({"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0}))
"""


def downgrade(src: Path, dst: Path) -> None:
    """``dst``: a copy of ``src`` without the parts an older release did not have."""
    shutil.copyfile(src, dst)
    conn = sqlite3.connect(dst, isolation_level=None)
    conn.execute("DROP INDEX nodes_folded")
    conn.execute("ALTER TABLE nodes DROP COLUMN folded")
    conn.execute("DROP INDEX audit_target")
    conn.execute("DROP TABLE audit_refs")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("VACUUM")  # the pages as a file that never had the parts
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()


def fingerprint(path: Path) -> dict[str, str]:
    """What the upgrade writes, as digests: folded names by node version, ``audit_refs``
    rows, the schema objects."""
    conn = sqlite3.connect(path)
    out = {}
    for what, sql in (
        ("folded", "SELECT workspace, id, version, folded FROM nodes ORDER BY 1, 2, 3"),
        ("audit_refs", "SELECT workspace, ref, seq FROM audit_refs ORDER BY 1, 2, 3"),
        # a table's text differs after ALTER TABLE; its columns are compared instead
        (
            "schema",
            "SELECT type, name, tbl_name, type = 'index' AND sql FROM sqlite_master ORDER BY name",
        ),
        ("columns", "SELECT name, type FROM pragma_table_info('nodes')"),
    ):
        digest = hashlib.sha256()
        for row in conn.execute(sql):
            digest.update(json.dumps(row).encode())
        out[what] = digest.hexdigest()[:16]
    conn.close()
    return out


def open_once(old: Path, work: Path, source: Path) -> tuple[float, float, dict[str, str]]:
    copy = work / "open.db"
    for p in work.glob("open.db*"):
        p.unlink()
    shutil.copyfile(old, copy)
    env = {**os.environ, "PYTHONPATH": str(source)}
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", OPEN, str(copy)],
        cwd=source,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - start
    cpu = json.loads(out.stdout.strip().splitlines()[-1])["cpu"]
    return wall, cpu, fingerprint(copy)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, required=True, help="a file with the current schema")
    parser.add_argument("--source", type=Path, help="another checkout to measure as well")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--work", type=Path, help="a folder for the copies (default: a temp)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.work) as tmp:
        work = Path(tmp)
        old = work / "old.db"
        downgrade(args.file, old)
        want = fingerprint(args.file)
        sources = [("this checkout", ROOT)]
        if args.source is not None:
            sources.append((str(args.source), args.source.resolve()))
        times: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in sources}
        for _ in range(args.runs):
            for name, source in sources:
                wall, cpu, got = open_once(old, work, source)
                same = "same result" if got == want else f"DIFFERENT: {got} != {want}"
                print(f"{name:40} {wall:7.1f} s wall {cpu:7.1f} s CPU  {same}", flush=True)
                times[name].append((wall, cpu))
        print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        for name, runs in times.items():
            print(
                f"median {name:33} {statistics.median(w for w, _ in runs):7.1f} s wall "
                f"{statistics.median(c for _, c in runs):7.1f} s CPU"
            )


if __name__ == "__main__":
    main()
