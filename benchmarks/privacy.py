"""Benchmark: the cost of the audit trail, and how fast access and erasure requests are answered.

Builds (deterministically, seed 7) a workspace of ``--people`` people with ``--ties`` KNOWS
ties among them (a fifth changed once) and ``--contacts`` contact moments, in a SQLite file
in a temporary folder, through the public Store methods (so every write is audited). Prints:

- the time to add the people with the audit trail, and the same rows without it (the
  adapter's insert alone), so the trail's overhead shows;
- the audit trail's size;
- the time of an access export (JSON and HTML) for one well-connected person;
- the time of the review list;
- the time of an erasure, including the WAL checkpoint and incremental vacuum, and the
  file size.

Run: ``python benchmarks/privacy.py [--people 10000] [--ties 50000] [--contacts 20000]``

With ``--province FILE`` (e.g. the cached ``/tmp/cm-web-scale/province-1.db`` of
``benchmarks/web_scale.py``, 100k entities / 1M ties) it erases people from a *copy* of that
file instead and prints, for each, the lookup of the audit entries to delete as the store did
it before (a scan of every entry's refs) and as it does now (by index), the whole erasure
(with the WAL checkpoint and incremental vacuum), and whether the id is still in the file's
bytes. The first open of a file made before the audit index builds it (printed, once).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mapper.privacy import access_export, export_html, export_json, review_list  # noqa: E402
from mapper.store import SQLiteStore  # noqa: E402
from mapper.store.sqlite import audit_refs  # noqa: E402


def timed(label: str, func, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = func(*args, **kwargs)
    print(f"{label:<52} {time.perf_counter() - start:8.3f} s")
    return result


def _scan(store: SQLiteStore, workspace: str, ids: list[str]) -> list[int]:
    """The lookup the erasure did before the audit index: every entry's refs, scanned."""
    found: set[int] = set()
    for start in range(0, len(ids), 100):
        chunk = ids[start : start + 100]
        found.update(
            r[0]
            for r in store.conn.execute(
                "SELECT seq FROM audit WHERE workspace = ? AND ("
                + " OR ".join(["instr(refs, ?) > 0"] * len(chunk))
                + ")",
                (workspace, *(f" {i} " for i in chunk)),
            )
        )
    return sorted(found)


def erase_at_scale(source: Path, workspace: str, people: int) -> None:
    """Erase ``people`` people from a copy of ``source`` (see the module docstring)."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "erase.db"
        for suffix in ("", "-wal"):
            if Path(f"{source}{suffix}").exists():
                shutil.copyfile(f"{source}{suffix}", f"{copy}{suffix}")
                with open(f"{copy}{suffix}", "rb+") as f:  # on disk before any clock runs
                    os.fsync(f.fileno())
        store = timed("open the copy (builds the audit index once)", SQLiteStore, copy)
        try:
            persons = sorted(n.id for n in store.nodes(workspace, kind="Person"))
            counts = store.counts(workspace)
            print(f"{'  … entities / ties':<52} {len(persons):,} people / {counts['ties']:,}")
            for n, person in enumerate(persons[7 : 7 + 7 * people : 7], 1):
                ties = [t.id for t in store.ties(workspace, node=person, history=True)]
                ids = sorted({person, *ties})
                start = time.perf_counter()
                before = _scan(store, workspace, ids)
                scan_s = time.perf_counter() - start
                start = time.perf_counter()
                after = audit_refs.entries_naming(store.conn, workspace, ids)
                index_s = time.perf_counter() - start
                report = timed(
                    f"erase person {n} (whole erasure, incl. compaction)",
                    store.erase_node,
                    workspace,
                    person,
                )
                raw = b"".join(p.read_bytes() for p in Path(folder).glob("erase.db*"))
                print(
                    f"  … audit lookup before (scan) {scan_s:.3f} s, now (index) {index_s:.4f} s"
                    f" ({scan_s / max(index_s, 1e-6):.0f}x); same entries: {set(before) <= set(after)};"
                    f" {report['tie_versions']} tie versions, {report['audit']} entries;"
                    f" compacted {report['compacted']}; id in the file's bytes: {person.encode() in raw}"
                )
        finally:
            store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--ties", type=int, default=50_000)
    parser.add_argument("--contacts", type=int, default=20_000)
    parser.add_argument("--province", type=Path, help="erase from a copy of this file instead")
    parser.add_argument("--workspace", default="provincie")
    parser.add_argument("--erase", type=int, default=3, help="people to erase (--province)")
    args = parser.parse_args()
    if args.province:
        erase_at_scale(args.province, args.workspace, args.erase)
        return
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "privacy.db"
        store = SQLiteStore(path)
        ws = store.create_workspace("bench")
        specs = [
            {
                "kind": "Person",
                "name": f"Inwoner {i:06d}",
                "props": {"lawful_basis": "legitimate_interest", "data_source": "benchmark"},
            }
            for i in range(args.people)
        ]
        with store.acting_as("bench@bieb.nl"):
            people = timed(f"add {args.people:,} people (with audit)", ws.add_nodes, specs)
        ids = [p.id for p in people]
        # The same rows through the adapter alone, in another workspace: no audit.
        bare = store.create_workspace("bare")
        copies = [store.make_node(**s) for s in specs]

        def insert_bare() -> None:
            with store.atomic():
                store._insert_nodes(bare.slug, copies)

        timed(f"insert {args.people:,} people (adapter only, no audit)", insert_bare)
        hub = ids[0]
        tie_specs = []
        for i in range(args.ties):
            a = hub if i % 50 == 0 else rng.choice(ids)
            b = rng.choice(ids)
            while b == a:
                b = rng.choice(ids)
            tie_specs.append(
                {
                    "kind": "KNOWS",
                    "source": a,
                    "target": b,
                    "strength": round(rng.random(), 2),
                    "since": "2024-01-01",
                }
            )
        ties = timed(f"add {args.ties:,} ties (with audit)", ws.add_ties, tie_specs)
        for tie in ties[: len(ties) // 5]:
            ws.change_tie(tie.id, on="2025-01-01", strength=0.9)
        start = dt.date(2023, 1, 1)
        contact_specs = []
        for i in range(args.contacts):
            a = hub if i % 100 == 0 else rng.choice(ids)
            b = rng.choice([x for x in (rng.choice(ids), rng.choice(ids)) if x != a] or [ids[1]])
            contact_specs.append(
                {
                    "a": a,
                    "b": b,
                    "on": start + dt.timedelta(days=rng.randrange(900)),
                    "notes": f"gesprek {i}",
                }
            )
        timed(f"add {args.contacts:,} contact moments (with audit)", ws.add_contacts, contact_specs)
        print(f"{'audit entries':<52} {len(ws.audit()):8,d}")
        data = timed(
            "access export of the best-connected person", access_export, store, "bench", hub
        )
        print(
            f"{'  … holds ties / contacts / audit entries':<52} "
            f"{len(data['ties'])} / {len(data['contacts'])} / {len(data['audit'])}"
        )
        timed("  … as JSON", export_json, data)
        timed("  … as HTML", export_html, data)
        items = timed(
            "review list (12 months)",
            review_list,
            store,
            "bench",
            months=12,
            today=dt.date(2026, 1, 1),
        )
        print(f"{'  … people to review':<52} {len(items):8,d}")
        size = path.stat().st_size
        report = timed("erase the best-connected person (incl. compaction)", ws.erase_node, hub)
        print(
            f"{'  … removed tie versions / contacts / audit':<52} "
            f"{report['tie_versions']} / {report['contacts']} / {report['audit']}"
        )
        print(
            f"{'  … file size before / after (MB)':<52} {size / 1e6:.1f} / "
            f"{path.stat().st_size / 1e6:.1f}; compacted: {report['compacted']}"
        )
        store.close()


if __name__ == "__main__":
    main()
