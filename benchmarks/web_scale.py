"""Benchmark: every page of the app on a province (100k entities, 1M ties) and on the demo town.

Builds, once, a SQLite workspace from the province generator of ``benchmarks/warm_contacts.py``
(100,000 people and organisations, 1,000,000 ties, 40 staff, 200 themes, 3,000 activities, plus
a few communities with members), written through the store as an import would (validated, with
an audit-trail entry per tie), and caches the file under ``--cache-dir``. Then, for the province
and for the demo town, it starts ``mapper serve`` (waitress) on 127.0.0.1 and prints per page:

* *cold*: the first request after the server started;
* *warm*: the median of ``--warm`` sequential requests;
* *after a write*: the first request after a write through another process;
* *p99* under ``--clients`` concurrent clients (``--load-seconds`` of load), with the error
  count per page and in all; the load starts right after the last write, so it includes the
  first renders after it, unless ``--settle`` asks for each page once before;
* the server's peak resident memory (from ``/proc``; Linux): per page, as its first request
  left it, and at the end.

It also prints the time of ``mapper --help`` and of erasing one person (on a copy of the
province file), raw bytes checked afterwards.

Run::

    python benchmarks/web_scale.py                    # province + demo town
    python benchmarks/web_scale.py --scale 0.1        # a smaller province (10k / 100k)
    python benchmarks/web_scale.py --only demo        # just the demo town
    python benchmarks/web_scale.py --timeout 30 --pages / /scan/   # some pages, 30 s each

A request that does not answer within ``--timeout`` seconds (default 120; at most 60 under
load) counts as timed out: the table says so (``>120s``) and the load line counts them; the
table is printed whatever happens. Each first request is printed as it comes back.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

MAPPER = (
    [sys.executable, "-m", "mapper.cli"] if False else [str(Path(sys.executable).parent / "mapper")]
)
PROVINCE = "provincie"
COMMUNITIES = 5
COMMUNITY_MEMBERS = 400
ERASE_ID = "per-000000000050"


# ---------------------------------------------------------------------------- building


def _node_id(kind: str, i: int) -> str:
    prefix = {
        "Library": "lib",
        "Staff": "stf",
        "Theme": "thm",
        "Person": "per",
        "Organisation": "org",
        "Activity": "act",
        "Community": "com",
    }[kind]
    return f"{prefix}-{i:012d}"


def build_province(path: Path, scale: float) -> dict[str, str]:
    """Write the province into a fresh SQLite file; returns ids the pages need."""
    from warm_contacts import build_graph

    from mapper.store import SQLiteStore

    start = time.perf_counter()
    G, themes = build_graph(scale=scale)
    ids = {n: _node_id(d["kind"], n) for n, d in G.nodes(data=True)}
    tmp = path.with_suffix(".building")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    store = SQLiteStore(tmp)
    store.actor = "benchmarks.web_scale"
    ws = store.create_workspace(PROVINCE, "Provincie (synthetisch)")
    gc.disable()
    try:
        nodes = [
            {"id": ids[n], "kind": d["kind"], "name": d["name"], "since": "2024-01-01"}
            for n, d in G.nodes(data=True)
        ]
        people = [ids[n] for n, d in G.nodes(data=True) if d["kind"] == "Person"]
        for c in range(COMMUNITIES):
            nodes.append(
                {
                    "id": _node_id("Community", c),
                    "kind": "Community",
                    "name": f"Community {c}",
                    "since": "2024-01-01",
                }
            )
        ties = [
            {
                "kind": d["kind"],
                "source": ids[u],
                "target": ids[v],
                "strength": d["strength"],
                "role": d.get("role"),
                "since": "2024-06-01",
            }
            for u, v, d in G.edges(data=True)
        ]
        for c in range(COMMUNITIES):
            for m in range(COMMUNITY_MEMBERS):
                ties.append(
                    {
                        "kind": "MEMBER_OF",
                        "source": people[(c * 7919 + m * 37) % len(people)],
                        "target": _node_id("Community", c),
                        "strength": 0.6,
                        "role": "ambassador" if m % 40 == 0 else "member",
                        "since": f"2025-{1 + m % 12:02d}-01",
                    }
                )
        del G
        with store.bulk_write(ties=len(ties)):
            for i in range(0, len(nodes), 50_000):
                ws.add_nodes(nodes[i : i + 50_000])
            for i in range(0, len(ties), 100_000):
                ws.add_ties(ties[i : i + 100_000])
    finally:
        gc.enable()
    counts = ws.counts()
    store.close()
    os.replace(tmp, path)
    print(
        f"built {path.name}: {sum(v for k, v in counts.items() if k not in ('ties', 'contacts')):,}"
        f" entities, {counts['ties']:,} ties in {time.perf_counter() - start:.0f} s",
        flush=True,
    )
    return page_ids_province(path)


def page_ids_province(path: Path) -> dict[str, str]:
    import sqlite3

    conn = sqlite3.connect(path)
    theme = conn.execute(
        "SELECT id, name FROM nodes WHERE kind = 'Theme' AND current = 1 ORDER BY id LIMIT 1 OFFSET 17"
    ).fetchone()
    person = conn.execute(
        "SELECT id FROM nodes WHERE kind = 'Person' AND current = 1 ORDER BY id LIMIT 1 OFFSET 100"
    ).fetchone()
    community = conn.execute(
        "SELECT id FROM nodes WHERE kind = 'Community' AND current = 1 ORDER BY id LIMIT 1"
    ).fetchone()
    conn.close()
    return {
        "theme": theme[0],
        "theme_name": theme[1],
        "person": person[0],
        "community": community[0] if community else "",
    }


def build_demo(path: Path) -> None:
    subprocess.run(
        [*MAPPER, "demo", "--no-serve", "--database", f"sqlite:///{path}"],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def build_ids_demo(path: Path) -> dict[str, str]:
    import sqlite3

    conn = sqlite3.connect(path)
    theme = conn.execute(
        "SELECT id, name FROM nodes WHERE kind = 'Theme' AND current = 1 AND name = 'duurzaamheid'"
    ).fetchone()
    person = conn.execute(
        "SELECT id FROM nodes WHERE kind = 'Person' AND current = 1 ORDER BY id LIMIT 1"
    ).fetchone()
    community = conn.execute(
        "SELECT id FROM nodes WHERE kind = 'Community' AND current = 1 ORDER BY id LIMIT 1"
    ).fetchone()
    conn.close()
    return {
        "theme": theme[0],
        "theme_name": theme[1],
        "person": person[0],
        "community": community[0],
    }


# ---------------------------------------------------------------------------- measuring


def median_ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:8.0f}" if values else "       -"


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] if ordered else float("nan")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


#: The status :func:`get` gives a request that did not answer within its timeout, and one
#: that failed without an HTTP answer (connection refused or reset).
TIMEOUT, FAILED = -1, 0
#: Seconds a single request may take (``--timeout``); a slower one counts as timed out.
REQUEST_TIMEOUT = 120.0


def get(url: str, timeout: float | None = None) -> tuple[float, int, int]:
    """``(seconds, status, bytes)`` of one GET; status :data:`TIMEOUT` when no answer came
    within ``timeout`` (default ``--timeout``), :data:`FAILED` when the connection failed.
    Never raises: a slow or broken page is a figure, not a traceback."""
    start = time.perf_counter()
    body = b""
    try:
        with urllib.request.urlopen(url, timeout=timeout or REQUEST_TIMEOUT) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except TimeoutError:
        status = TIMEOUT
    except urllib.error.URLError as exc:
        status = TIMEOUT if isinstance(exc.reason, TimeoutError) else FAILED
    except OSError:
        status = FAILED
    return time.perf_counter() - start, status, len(body)


def status_text(status: int) -> str:
    return {TIMEOUT: "timed out", FAILED: "failed"}.get(status, f"HTTP {status}")


def ms(seconds: float | None, status: int = 200) -> str:
    """A time in ms for the table; a request that timed out or failed says so."""
    if seconds is None:
        return "-"
    if status == TIMEOUT:
        return f">{REQUEST_TIMEOUT:.0f}s"
    if status != 200:
        return status_text(status)
    return f"{seconds * 1000:.0f}"


def peak_rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def pages(
    ids: dict[str, str], *, heavy: bool, only: list[str] | None = None
) -> list[tuple[str, str, bool]]:
    """(label, path, take part in the load test); ``only`` keeps the pages whose label
    starts with one of its items."""
    theme = urllib.parse.quote(ids["theme_name"])
    out = [
        ("/", "/", True),
        ("/frame", "/frame", True),
        ("/themes", "/themes", True),
        ("/scan/<theme>", f"/scan/{ids['theme']}", True),
        ("/entity/<id>", f"/entity/{ids['person']}", True),
        # Warm contacts rank on a view over the shared projection (web/warm.py): no copy
        # of the graph per request, so they take part in the load test at every scale.
        ("/warm-contacts/<theme>", f"/warm-contacts/{ids['theme']}", True),
        ("/api/warm-contacts", f"/api/warm-contacts?theme={theme}&limit=50", True),
        # The community pages read their history from the shared projection, kept per
        # snapshot (web/community_pages.py): they take part in the load test too.
        ("/communities/", "/communities/", True),
    ]
    if ids.get("community"):
        out.append(("/communities/<id>", f"/communities/{ids['community']}", True))
    if only:
        out = [row for row in out if any(row[0] == o or row[0].startswith(o + "<") for o in only)]
    return out


def write_elsewhere(path: Path, workspace: str, person: str, round_: int) -> None:
    """A write by another process than the server (this one): the person's details change,
    and so does the strength of one of their ties (a new version from today)."""
    import datetime as dt

    from mapper.store import SQLiteStore

    today = dt.date.today()
    store = SQLiteStore(path)
    try:
        store.update_node(workspace, person, props={"benchmark_round": round_})
        for tie in store.ties(workspace, node=person):
            if tie.until is None and (tie.since is None or tie.since < today):
                store.change_tie(workspace, tie.id, on=today, strength=(round_ % 5 + 1) / 5)
                break
    finally:
        store.close()


def serve_and_measure(
    label: str, path: Path, workspace: str, ids: dict[str, str], args: argparse.Namespace
) -> None:
    heavy = label != "demo town"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [
        *MAPPER,
        "serve",
        "--database",
        f"sqlite:///{path}",
        "--workspace",
        workspace,
        "--single-user",
        "--port",
        str(port),
        "--threads",
        str(args.threads),
    ]
    print(f"\n== {label}: {' '.join(command[1:])}", flush=True)
    started = time.perf_counter()
    # The server's log goes to a file: a pipe nobody reads fills up (waitress warns of its
    # queue depth under load) and then blocks the server's main loop, which looks like
    # requests that never get an answer.
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed once the server has stopped
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log)
    try:
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None:
                    log.seek(0)
                    message = log.read().decode() or "exited"
                    raise SystemExit(message) from None
                time.sleep(0.05)
        up = time.perf_counter() - started
        print(f"listening after {up:.1f} s", flush=True)
        todo = pages(ids, heavy=heavy, only=args.pages)
        cold: dict[str, tuple[float, int]] = {}
        sizes: dict[str, int] = {}
        peaks: dict[str, float] = {}
        for name, page, _ in todo:
            seconds, status, size = get(base + page)
            # progress as it goes: a slow first request is seen while it happens
            # the server's peak memory so far: what this page's first request took it to
            peaks[name] = peak_rss_mb(proc.pid)
            print(
                f"  first {name}: {ms(seconds, status)} ms, peak {peaks[name]:.0f} MB", flush=True
            )
            cold[name], sizes[name] = (seconds, status), size
        warm: dict[str, list[float]] = {}
        warm_failed: dict[str, int] = {}
        for name, page, in_load in todo:
            repeats = args.warm if (in_load or not heavy) else 1
            if cold[name][1] == TIMEOUT:
                repeats = 1  # one more try, not --warm more waits
            warm[name] = []
            for _ in range(repeats):
                seconds, status, _size = get(base + page)
                if status == 200:
                    warm[name].append(seconds)
                else:
                    warm_failed[name] = status
                    if status == TIMEOUT:
                        break
        after: dict[str, tuple[float, int]] = {}
        for i, (name, page, in_load) in enumerate(todo):
            if heavy and not in_load:
                continue
            write_elsewhere(path, workspace, ids["person"], i)
            seconds, status, _size = get(base + page)
            after[name] = (seconds, status)
        if args.settle:
            # one request per page on the snapshot of the last write, so the load measures
            # serving a snapshot, not the first renders after a write (printed above)
            settle = [get(base + page)[0] for _, page, ok in todo if ok]
            print(f"  settled: one request per page, {sum(settle):.1f} s in all", flush=True)
        print(f"  warm and after-a-write requests done; {args.clients} clients next", flush=True)
        # 20 clients at once, each going round the pages for a fixed time
        load: dict[str, list[float]] = {name: [] for name, _, ok in todo if ok}
        errors = [0]
        timeouts = [0]
        page_errors = dict.fromkeys(load, 0)
        deadline = time.perf_counter() + args.load_seconds
        lock = threading.Lock()

        def client(offset: int) -> None:
            mine = [(n, p) for n, p, ok in todo if ok]
            i = offset
            while time.perf_counter() < deadline:
                name, page = mine[i % len(mine)]
                i += 1
                seconds, status, _ = get(base + page, timeout=min(60, REQUEST_TIMEOUT))
                with lock:
                    if status != 200:
                        errors[0] += 1
                        page_errors[name] += 1
                        timeouts[0] += status == TIMEOUT
                    else:
                        load[name].append(seconds)

        threads = [
            threading.Thread(target=client, args=(i,), daemon=True) for i in range(args.clients)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        total = sum(len(v) for v in load.values())
        print(
            f"{'page':<24}{'cold ms':>9}{'warm ms':>9}{'after write':>12}"
            f"{'p99 ms':>9}{'n':>6}{'errors':>7}{'KB':>8}{'peak MB':>8}"
        )
        for name, _, _ in todo:
            warm_text = (
                median_ms(warm[name]).strip()
                if warm[name]
                else ms(0.0, warm_failed.get(name, FAILED))
            )
            print(
                f"{name:<24}{ms(*cold[name]):>9}{warm_text:>9}"
                f"{(ms(*after[name]) if name in after else '-'):>12}"
                f"{(f'{p99(load[name]) * 1000:.0f}' if load.get(name) else '-'):>9}"
                f"{len(load.get(name, [])):>6}{page_errors.get(name, 0):>7}"
                f"{sizes[name] / 1024:8.0f}{peaks[name]:8.0f}"
            )
        every = [x for v in load.values() for x in v]
        print(
            f"{args.clients} clients for {args.load_seconds:.0f} s: {total} requests "
            f"({total / args.load_seconds:.1f}/s), p99 {p99(every) * 1000:.0f} ms, "
            f"errors {errors[0]} (of which timed out after {min(60, REQUEST_TIMEOUT):.0f} s: "
            f"{timeouts[0]}); server peak memory {peak_rss_mb(proc.pid):.0f} MB",
            flush=True,
        )
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def time_help(runs: int = 7) -> None:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([*MAPPER, "--help"], check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    print(f"mapper --help: median {statistics.median(times) * 1000:.0f} ms over {runs} runs")


def time_projection(path: Path, workspace: str) -> None:
    """Object-per-row projection (as Store.project did before) against the lean one."""
    import networkx as nx

    from mapper import graph as mgraph
    from mapper.store import SQLiteStore
    from mapper.store.base import node_attrs, tie_attrs

    store = SQLiteStore(path)
    import datetime as dt

    day = dt.date.today()
    try:
        start = time.perf_counter()
        old = nx.MultiDiGraph(workspace=workspace, as_of=day)
        for node in store.nodes(workspace, as_of=day):
            old.add_node(node.id, **node_attrs(node))
        for tie in store.ties(workspace, as_of=day):
            if tie.source in old and tie.target in old:
                old.add_edge(tie.source, tie.target, key=tie.id, **tie_attrs(tie))
        before = time.perf_counter() - start
        n_edges = old.number_of_edges()
        del old
        gc.collect()
        start = time.perf_counter()
        new = store.project(workspace, as_of=day)
        after = time.perf_counter() - start
        assert new.number_of_edges() == n_edges
        del new
        gc.collect()
        start = time.perf_counter()
        nodes, streamed = store._graph_rows(workspace)
        ties = list(streamed)  # the read alone (the server builds while it reads)
        read = time.perf_counter() - start
        mgraph.Projection.build(nodes, ties, workspace=workspace, today=day)
        shared = time.perf_counter() - start
        print(
            f"projection of {n_edges:,} ties: object per row {before:.1f} s, lean "
            f"{after:.1f} s ({before / after:.1f}x); shared projection built in {shared:.1f} s "
            f"(of which reading {read:.1f} s)",
            flush=True,
        )
    finally:
        store.close()


def time_erase(path: Path, workspace: str, tmp: Path) -> None:
    """Erase two people from a copy of the file: the first erasure of a file made before
    incremental vacuum converts it (one full VACUUM); the second is the usual case."""
    from mapper.store import SQLiteStore

    copy = tmp / "erase.db"
    shutil.copyfile(path, copy)
    try:
        for attempt in ("first (converts an old file)", "second"):
            store = SQLiteStore(copy)
            try:
                person = sorted(store.nodes(workspace, kind="Person"), key=lambda n: n.id)[7]
                start = time.perf_counter()
                result = store.erase_node(workspace, person.id)
                seconds = time.perf_counter() - start
            finally:
                store.close()
            raw = b"".join(p.read_bytes() for p in tmp.glob("erase.db*"))
            print(
                f"erase one person, {attempt}: {seconds:.2f} s ({result['tie_versions']} tie "
                f"versions, {result['audit']} audit entries; compacted {result['compacted']}); "
                f"its id still in the file's bytes: {person.id.encode() in raw}",
                flush=True,
            )
    finally:
        for leftover in tmp.glob("erase.db*"):
            leftover.unlink()


def main() -> None:
    global REQUEST_TIMEOUT
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "cm-web-scale"
    )
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--only", choices=("province", "demo", "both"), default="both")
    parser.add_argument("--warm", type=int, default=5, help="sequential requests per page")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--load-seconds", type=float, default=20.0)
    parser.add_argument("--threads", type=int, default=8, help="server threads")
    parser.add_argument(
        "--settle",
        action="store_true",
        help="ask for each page once after the last write, before the concurrent load",
    )
    parser.add_argument("--skip", nargs="*", default=[], choices=("help", "projection", "erase"))
    parser.add_argument(
        "--timeout",
        type=float,
        default=REQUEST_TIMEOUT,
        help="seconds one request may take before it counts as timed out",
    )
    parser.add_argument(
        "--pages", nargs="*", default=None, help="only these pages (labels, e.g. / /scan/)"
    )
    args = parser.parse_args()
    REQUEST_TIMEOUT = args.timeout
    args.cache_dir.mkdir(parents=True, exist_ok=True)
    if "help" not in args.skip:
        time_help()
    if args.only in ("demo", "both"):
        demo = args.cache_dir / "demo.db"
        if not demo.exists():
            build_demo(demo)
        serve_and_measure("demo town", demo, "demo", build_ids_demo(demo), args)
    if args.only in ("province", "both"):
        province = args.cache_dir / f"province-{args.scale:g}.db"
        ids = build_province(province, args.scale) if not province.exists() else None
        ids = ids or page_ids_province(province)
        if "projection" not in args.skip:
            time_projection(province, PROVINCE)
        if "erase" not in args.skip:
            time_erase(province, PROVINCE, args.cache_dir)
        serve_and_measure(f"province x{args.scale:g}", province, PROVINCE, ids, args)


if __name__ == "__main__" and len(sys.argv) > 1 and sys.argv[1] == "--build-only":
    cache = Path(sys.argv[2])
    cache.mkdir(parents=True, exist_ok=True)
    build_province(
        cache / f"province-{float(sys.argv[3]) if len(sys.argv) > 3 else 1.0:g}.db",
        float(sys.argv[3]) if len(sys.argv) > 3 else 1.0,
    )
elif __name__ == "__main__":
    main()
