"""Benchmark: import 1,000,000 ties with their 100,000 people and organisations from CSV.

Generates (deterministically, seeded) the two template CSV files as Dutch Excel writes them
(semicolons, UTF-8 with BOM) in a temporary folder — ``individuen-en-organisaties.csv`` with the
people and organisations (each with a theme and a channel) and ``relaties.csv`` with the ties
between them by name (KNOWS between people, MEMBER_OF from people to organisations, strengths
on the 1–5 scale, dates) — zips them, and imports the zip into an embedded SQLite store (a file
in the temporary folder), as ``mapper import`` does: read, plan (every cell checked, every name
resolved, matching against the workspace), then write all or nothing. Prints the time of each
phase and the peak memory (maximum resident set size) of the process. Goal: ≤ 60 s in all.

In the same run it measures two raw baselines (issue 12: "import within 1.5× of raw
``executemany`` of the same rows") and prints the ratios:

- **raw executemany**: the very rows the import wrote (every ``nodes``, ``ties`` and ``audit``
  row of the workspace, read back from the imported file into Python tuples *before* the
  clock starts) inserted with ``sqlite3`` ``executemany`` into a fresh file made by
  :class:`SQLiteStore` (the same schema: tables, primary keys and every index, including
  ``ties_source``/``ties_target`` kept in place; the same pragmas: WAL, ``synchronous=NORMAL``,
  ``secure_delete``, foreign keys, page cache), one ``BEGIN IMMEDIATE`` … ``COMMIT``;
- **raw loader**: reading the same zip and parsing both CSV files with the ``csv`` module
  (rows kept as lists, nothing checked or resolved), then the raw executemany above.

The import is the real path of ``mapper import`` into an existing workspace: read (with the
readers' checks), plan (every cell checked, every name resolved, matching against the
workspace), apply (validation by the store, audit entries, one transaction). Ratios: the whole
import over the raw loader (same input file, same committed rows: the goal), the import's
write step over the raw executemany, and the whole import over the raw executemany. The
machine this runs on may be loaded: CPU time (``process_time``) is printed beside wall time,
and the ratios are given for both.

Run: ``python benchmarks/import_csv.py [--entities 100000] [--ties 1000000] [--scale 0.1]``
(``--scale`` multiplies both counts).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import resource
import sqlite3
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mapper.io.plan import plan_import  # noqa: E402
from mapper.io.readers import Limits, read_file  # noqa: E402

#: A province is far beyond what one import of a librarian's file takes (the readers'
#: defaults); the benchmark lifts the limits to read it.
PROVINCE = Limits(
    rows=2_000_000,
    cells=30_000_000,
    file_bytes=2**31,
    uncompressed_bytes=2**31,
    entities=2_000_000,
    ties=5_000_000,
)
from mapper.store import SQLiteStore  # noqa: E402

FIRST = (
    "Jan",
    "Fatma",
    "Anouk",
    "Mohamed",
    "Els",
    "Pieter",
    "Sanne",
    "Youssef",
    "Marieke",
    "Daan",
    "Noor",
    "Bram",
    "Lotte",
    "Ahmet",
    "Iris",
    "Kees",
    "Zoë",
    "René",
)
LAST = (
    "de Vries",
    "Jansen",
    "Bakker",
    "Yılmaz",
    "van den Berg",
    "Visser",
    "Smit",
    "El Amrani",
    "de Groot",
    "Mulder",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Dijk",
    "Öztürk",
)
ORG = ("Stichting", "Vereniging", "Buurthuis", "Repair Café", "Wijkteam", "Leesclub", "Sportclub")
THEMES = ("duurzaamheid", "laaggeletterdheid", "eenzaamheid", "digitale inclusie", "gezondheid")
CHANNELS = ("Facebook-groep", "Nextdoor", "KennisCloud", "wijkkrant", "meetup.com")


def generate(folder: Path, entities: int, ties: int, seed: int = 42) -> Path:
    """Write the two template CSVs (and a zip of them) and return the zip's path."""
    rng = random.Random(seed)
    people = int(entities * 0.7)
    names: list[str] = []
    with (folder / "individuen-en-organisaties.csv").open(
        "w", encoding="utf-8-sig", newline=""
    ) as fh:
        w = csv.writer(fh, delimiter=";", lineterminator="\r\n")
        w.writerow(
            [
                "soort",
                "naam",
                "waar actief online",
                "thema's",
                "band met bibliotheek",
                "sterkte band",
            ]
        )
        for i in range(entities):
            if i < people:
                name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {i:06d}"
                kind = "persoon"
            else:
                name = f"{rng.choice(ORG)} {rng.choice(LAST)} {i:06d}"
                kind = "organisatie"
            names.append(name)
            bond = rng.random() < 0.05
            w.writerow(
                [
                    kind,
                    name,
                    rng.choice(CHANNELS),
                    rng.choice(THEMES),
                    "ja" if bond else "",
                    rng.randint(1, 5) if bond else "",
                ]
            )
    with (folder / "relaties.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, delimiter=";", lineterminator="\r\n")
        w.writerow(["van", "naar", "soort relatie", "sterkte", "sinds"])
        seen: set[tuple[int, int]] = set()
        written = 0
        while written < ties:
            a = rng.randrange(people)
            if rng.random() < 0.8:
                b, kind = rng.randrange(people), "kent"
                key = (min(a, b), max(a, b))
            else:
                b, kind = rng.randrange(people, entities), "lid van"
                key = (a, b)
            if a == b or key in seen:
                continue
            seen.add(key)
            written += 1
            w.writerow(
                [
                    names[a],
                    names[b],
                    kind,
                    rng.randint(1, 5),
                    f"20{rng.randint(15, 25)}-{rng.randint(1, 12):02d}-01",
                ]
            )
    bundle = folder / "scan.zip"
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in ("individuen-en-organisaties.csv", "relaties.csv"):
            zf.write(folder / name, name)
    return bundle


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


ROW_TABLES = ("nodes", "ties", "audit")


def written_rows(path: Path, workspace: str) -> dict[str, tuple[str, list[tuple[object, ...]]]]:
    """Every row of ``workspace`` in the tables an import writes: table → (insert, rows)."""
    con = sqlite3.connect(path)
    out: dict[str, tuple[str, list[tuple[object, ...]]]] = {}
    for table in ROW_TABLES:
        cols = [r[1] for r in con.execute(f"PRAGMA table_info({table})")]
        if table == "audit":
            cols.remove("seq")  # AUTOINCREMENT, as the import lets SQLite number them
        rows = con.execute(
            f"SELECT {', '.join(cols)} FROM {table} WHERE workspace = ?"
            + (
                " AND NOT (action = 'create' AND target_type = 'workspace')"
                if table == "audit"
                else ""
            )
            + " ORDER BY rowid",
            (workspace,),
        ).fetchall()
        marks = ",".join("?" * len(cols))
        out[table] = (f"INSERT INTO {table}({', '.join(cols)}) VALUES ({marks})", rows)
    con.close()
    return out


def raw_executemany(path: Path, workspace: str, rows: dict[str, Any]) -> tuple[float, float]:
    """Insert ``rows`` into a fresh store file (schema and pragmas of SQLiteStore) with plain
    executemany in one transaction; (wall, CPU) seconds of the inserts and the commit."""
    store = SQLiteStore(path)
    store.create_workspace(workspace, "Bibliotheek Bench")
    con = store.conn
    t0, c0 = time.perf_counter(), time.process_time()
    con.execute("BEGIN IMMEDIATE")
    for table in ROW_TABLES:
        sql, values = rows[table]
        con.executemany(sql, values)
    con.execute("COMMIT")
    t1, c1 = time.perf_counter(), time.process_time()
    got = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ROW_TABLES}
    store.close()
    want = {t: len(rows[t][1]) for t in ROW_TABLES}
    want["audit"] += 1  # the workspace's own entry
    assert got == want, (got, want)
    return t1 - t0, c1 - c0


def raw_csv_parse(bundle: Path) -> tuple[float, float, int]:
    """Read the zip and parse its CSV files with the csv module: (wall, CPU, rows)."""
    t0, c0 = time.perf_counter(), time.process_time()
    n = 0
    with zipfile.ZipFile(bundle) as zf:
        for name in sorted(zf.namelist()):
            text = zf.read(name).decode("utf-8-sig")
            rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
            n += len(rows) - 1
    return time.perf_counter() - t0, time.process_time() - c0, n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--ties", type=int, default=1_000_000)
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies both counts")
    args = parser.parse_args()
    args.entities = int(args.entities * args.scale)
    args.ties = int(args.ties * args.scale)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        bundle = generate(folder, args.entities, args.ties)
        print(
            f"generated {args.entities:,} entities and {args.ties:,} ties in "
            f"{time.perf_counter() - start:.1f} s ({bundle.stat().st_size / 1e6:.1f} MB zip)"
        )
        before = peak_mb()
        store = SQLiteStore(folder / "bench.db")
        store.create_workspace("bench", "Bibliotheek Bench")
        t0, c0 = time.perf_counter(), time.process_time()
        found = read_file(bundle, limits=PROVINCE)
        t1, c1 = time.perf_counter(), time.process_time()
        plan = plan_import(store, "bench", found, origin="benchmark")
        assert plan.ok, plan.errors[:3]
        t2, c2 = time.perf_counter(), time.process_time()
        result = plan.apply()
        t3, c3 = time.perf_counter(), time.process_time()
        counts = store.counts("bench")
        store.close()
        rows = written_rows(folder / "bench.db", "bench")
        raw_wall, raw_cpu = raw_executemany(folder / "raw.db", "bench", rows)
        parse_wall, parse_cpu, parsed = raw_csv_parse(bundle)
        assert parsed == found.rows, (parsed, found.rows)
        # CPU time is printed too: on a busy machine the wall-clock time says more about the
        # other processes than about the import.
        print(
            f"read    {t1 - t0:6.1f} s wall {c1 - c0:6.1f} s CPU  ({found.format}, {found.rows:,} rows)"
        )
        print(f"plan    {t2 - t1:6.1f} s wall {c2 - c1:6.1f} s CPU  (check, resolve, match)")
        print(f"write   {t3 - t2:6.1f} s wall {c3 - c2:6.1f} s CPU  ({result})")
        print(f"total   {t3 - t0:6.1f} s wall {c3 - c0:6.1f} s CPU  (goal: <= 60 s)")
        try:
            print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        except OSError:  # pragma: no cover - not on every platform
            pass
        print(f"peak memory {peak_mb():,.0f} MB (max RSS; {before:,.0f} MB before the import)")
        n = {t: len(rows[t][1]) for t in ROW_TABLES}
        print(
            f"raw executemany {raw_wall:6.1f} s wall {raw_cpu:6.1f} s CPU  (the same "
            f"{n['nodes']:,} nodes, {n['ties']:,} ties, {n['audit']:,} audit rows, same schema)"
        )
        print(
            f"raw loader      {raw_wall + parse_wall:6.1f} s wall "
            f"{raw_cpu + parse_cpu:6.1f} s CPU  (csv module parse {parse_cpu:.1f} s CPU "
            "+ raw executemany)"
        )
        for what, wall, cpu, base_wall, base_cpu in (
            (
                "import / raw loader (goal <= 1.5)",
                t3 - t0,
                c3 - c0,
                raw_wall + parse_wall,
                raw_cpu + parse_cpu,
            ),
            ("write step / raw executemany", t3 - t2, c3 - c2, raw_wall, raw_cpu),
            ("import / raw executemany", t3 - t0, c3 - c0, raw_wall, raw_cpu),
        ):
            print(f"ratio {what}: {cpu / base_cpu:.2f} CPU, {wall / base_wall:.2f} wall")
        print(
            f"stored: {counts['Person']:,} people, {counts['Organisation']:,} organisations, "
            f"{counts['ties']:,} ties"
        )


if __name__ == "__main__":
    main()
