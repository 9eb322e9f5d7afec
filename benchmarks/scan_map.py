"""How fast and how readable the environment-scan map is, in a real browser.

Serves the app on 127.0.0.1, opens scan maps in headless Chromium and prints, per map:

- nodes and edges drawn on the page's day, the page weight (KB of HTML, the map's JSON
  included) and the server time (request → HTML, first visit and a second one);
- **stable s**: from the page's last byte until the map is drawn and still (positions come
  from the server, no physics; ``data-drawn-at-ms``), and a check that nothing moves after;
- **labels / overlap**: labels drawn in the default view, and how many pairs of label boxes
  intersect;
- **points overlap**: pairs of drawn points (or clusters) whose discs intersect on screen;
- **clusters**: cluster points drawn (above 300 points the rest is grouped);
- **slider px**: median on-screen movement of the points present in two consecutive months,
  stepping the time slider (in place, no reload);
- **reload px**: the same between the page opened on one month and on the month before
  (layout coordinates, so the zoom of each page does not count);
- **month s**: the longest in-page time of one step of the slider (``setDay``).

A baseline is printed first: a fixed loop timed in Python and in the browser, with the load
average, so figures of a loaded machine can be compared as ratios.

Maps measured: every theme of the demo town, and synthetic themes of 150, 300, 650 and 1,500
points whose ties began over the last 12 months.

Usage::

    python benchmarks/scan_map.py                       # print figures
    python benchmarks/scan_map.py --screenshot /tmp/scan-300.png --theme "synthetisch 300"
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mapper.store import SQLiteStore  # noqa: E402
from seeds.demo import seed_demo  # noqa: E402
from web import create_app  # noqa: E402

SIZES = (150, 300, 650, 1500)
#: Synthetic ties begin on a day within this many months before today.
HISTORY_MONTHS = 12


def synthetic_theme(store: SQLiteStore, slug: str, size: int, rng: random.Random) -> str:
    """A theme whose ecosystem has about ``size`` nodes (people, organisations, activities,
    channels) with acquaintance ties among them and some bonds with the library; each tie
    began on a day in the last :data:`HISTORY_MONTHS` months, so the map grows over time."""
    ws = store.workspace(slug)
    library = next(iter(ws.nodes(kind="Library")))
    theme = ws.add_node("Theme", f"synthetisch {size}")
    n_orgs, n_acts, n_chans = size // 8, size // 10, max(4, size // 30)
    n_people = size - n_orgs - n_acts - n_chans - 2  # the theme and the library make up the rest
    people = ws.add_nodes(
        [{"kind": "Person", "name": f"Persoon {size}-{i}"} for i in range(n_people)]
    )
    orgs = ws.add_nodes(
        [{"kind": "Organisation", "name": f"Vereniging {size}-{i}"} for i in range(n_orgs)]
    )
    acts = ws.add_nodes(
        [{"kind": "Activity", "name": f"Activiteit {size}-{i}"} for i in range(n_acts)]
    )
    chans = ws.add_nodes(
        [
            {
                "kind": "Channel",
                "name": f"Kanaal {size}-{i}",
                "props": {"mode": rng.choice(["online", "offline"])},
            }
            for i in range(n_chans)
        ]
    )
    ties = []
    for p in people:
        if rng.random() < 0.6:
            ties.append(
                dict(
                    kind="ACTIVE_ON",
                    source=p.id,
                    target=theme.id,
                    strength=rng.choice([0.2, 0.4, 0.6, 0.8, 1.0]),
                )
            )
        else:
            ties.append(dict(kind="ATTENDS", source=p.id, target=rng.choice(acts).id, strength=0.4))
        for other in rng.sample(people, 2):
            if other.id != p.id:
                ties.append(
                    dict(
                        kind="KNOWS",
                        source=p.id,
                        target=other.id,
                        strength=rng.choice([0.2, 0.4, 0.6, 0.8]),
                    )
                )
        ties.append(dict(kind="ACTIVE_IN", source=p.id, target=rng.choice(chans).id, strength=0.4))
        if rng.random() < 0.3:
            ties.append(
                dict(kind="MEMBER_OF", source=p.id, target=rng.choice(orgs).id, strength=0.6)
            )
        if rng.random() < 0.1:
            ties.append(dict(kind="BOND_WITH", source=library.id, target=p.id, strength=0.8))
    for o in orgs:
        ties.append(dict(kind="ACTIVE_ON", source=o.id, target=theme.id, strength=0.6))
        ties.append(dict(kind="ORGANISES", source=o.id, target=rng.choice(acts).id, strength=0.8))
        if rng.random() < 0.3:
            ties.append(dict(kind="BOND_WITH", source=library.id, target=o.id, strength=0.6))
    for a in acts:
        ties.append(dict(kind="ABOUT", source=a.id, target=theme.id))
    today = dt.date.today()
    for tie in ties:
        tie["since"] = today - dt.timedelta(days=rng.randrange(HISTORY_MONTHS * 30))
    ws.add_ties(ties)
    return theme.id


#: Figures read from the page once the map is drawn (see web/static/mapview.js).
FIGURES_JS = """
var map = window.scanMap, net = map.network, box = document.getElementById('scan-map');
var t = performance.timing, scale = net.getScale();
var labels = map.labelBoxes.map(function (l) { return l.box; });
var drawn = net.body.nodeIndices.filter(function (id) {
  var n = net.body.nodes[id]; return n && !n.options.hidden; });
var discs = drawn.map(function (id) {
  var n = net.body.nodes[id], p = net.canvasToDOM({x: n.x, y: n.y});
  return [p.x, p.y, (n.options.size || 10) * scale]; });
var edges = map.edges.get({filter: function (e) { return !e.hidden; }}).length;
var visible = map.nodes.get({filter: function (n) { return !n.hidden; }}).length;
var clusters = drawn.filter(function (id) { return net.isCluster(id); }).length;
return {visible: visible, edges: edges, stable: Number(box.dataset.drawnAtMs) - (t.responseEnd - t.navigationStart),
        labels: labels, discs: discs, clusters: clusters, days: map.days.length, day: map.day};
"""

POSITIONS_JS = """
var map = window.scanMap, net = map.network, out = {};
var ids = map.nodes.getIds({filter: function (n) { return !n.hidden; }});
var at = net.getPositions(ids);
ids.forEach(function (id) {
  var p = arguments[0] === 'dom' ? net.canvasToDOM(at[id]) : at[id]; out[id] = [p.x, p.y]; });
return out;
"""


def overlapping_boxes(boxes: list[list[float]]) -> int:
    """Pairs of axis-aligned boxes [x0, y0, x1, y1] that intersect."""
    count = 0
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
                count += 1
    return count


def overlapping_discs(discs: list[list[float]]) -> int:
    """Pairs of discs [x, y, r] on screen that overlap (closer than their radii)."""
    count = 0
    for i, (x, y, r) in enumerate(discs):
        for u, v, s in discs[i + 1 :]:
            if (x - u) ** 2 + (y - v) ** 2 < (r + s) ** 2 * 0.99:
                count += 1
    return count


def median_move(a: dict, b: dict) -> float:
    common = [k for k in a if k in b]
    if not common:
        return 0.0
    return statistics.median(
        ((a[k][0] - b[k][0]) ** 2 + (a[k][1] - b[k][1]) ** 2) ** 0.5 for k in common
    )


#: A fixed amount of work in the browser (ms), the baseline the page's figures compare to.
BASELINE_JS = """
var t = performance.now(), x = 0;
for (var i = 0; i < 20000000; i++) { x = (x + i * 7) % 1000003; }
return [performance.now() - t, x];
"""


def python_baseline() -> float:
    """A fixed amount of work in Python, in ms."""
    started = time.perf_counter()
    x = 0
    for i in range(3_000_000):
        x = (x + i * 7) % 1000003
    return (time.perf_counter() - started) * 1000


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def positions(driver, space: str) -> dict:
    return driver.execute_script(POSITIONS_JS.replace("arguments[0]", repr(space)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screenshot", type=Path, help="save a PNG of one scan map here")
    parser.add_argument("--theme", default="duurzaamheid", help="theme name for the screenshot")
    parser.add_argument("--only-screenshot", action="store_true", help="skip the timings")
    parser.add_argument(
        "--synthetic-only", action="store_true", help="measure only the synthetic themes"
    )
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=list(SIZES),
        help="sizes of the synthetic themes (default: %(default)s)",
    )
    parser.add_argument(
        "--page-timeout",
        type=int,
        default=600,
        help="seconds the browser may take per page before the row says 'timeout'",
    )
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--height", type=int, default=1000)
    args = parser.parse_args()

    from selenium import webdriver
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait
    from werkzeug.serving import make_server

    tmp = Path(tempfile.mkdtemp(prefix="scan-bench-"))
    store = SQLiteStore(tmp / "bench.db")
    seed_demo(store, "demo")
    rng = random.Random(7)
    themes = {n.name: n.id for n in store.nodes("demo", kind="Theme")}
    for size in args.sizes:
        themes[f"synthetisch {size}"] = synthetic_theme(store, "demo", size, rng)
    store.close()

    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}",
            "WORKSPACE": "demo",
            "SECRET_KEY": "bench",
            "SINGLE_USER": True,
            "HOST": "127.0.0.1",
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-sync",
        "--disable-component-update",
        f"--user-data-dir={tmp / 'profile'}",
        f"--window-size={args.width},{args.height}",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    # a busy machine answers slowly; the page-load timeout must fire before this one
    driver.command_executor._client_config.timeout = args.page_timeout + 120
    driver.set_page_load_timeout(args.page_timeout)
    driver.set_script_timeout(args.page_timeout)
    try:
        client = app.test_client()
        driver.get(f"{base}/")
        browser_ms = driver.execute_script(BASELINE_JS)[0]
        print(
            f"baseline: python loop {python_baseline():.0f} ms, browser loop {browser_ms:.0f} ms,"
            f" load average {load_average()} (2 cores shared: figures are noisy, compare ratios)"
        )
        print(
            f"{'theme':28} {'nodes':>5} {'edges':>5} {'page KB':>7} {'map KB':>6} {'server s':>8}"
            f" {'again s':>7} {'stable s':>8}"
            f" {'still':>5} {'labels':>6} {'overlap':>7} {'points overlap':>14}"
            f" {'clusters':>8} {'months':>6} {'slider px':>9} {'reload px':>9} {'month s':>7}"
        )
        measured = {} if args.only_screenshot else themes
        if args.synthetic_only:
            measured = {k: v for k, v in measured.items() if k.startswith("synthetisch")}
        for name, theme_id in measured.items():
            started = time.perf_counter()
            html = client.get(f"/scan/{theme_id}").get_data(as_text=True)
            server_s = time.perf_counter() - started
            started = time.perf_counter()
            client.get(f"/scan/{theme_id}")
            again_s = time.perf_counter() - started
            page_kb = len(html.encode("utf-8")) / 1024
            start = html.find('id="scan-data">')
            map_kb = (html.find("</script>", start) - start) / 1024 if start != -1 else 0.0
            if 'id="scan-data"' not in html:
                print(f"{name:28} (no map: too many points for one map)")
                continue
            try:
                driver.get(f"{base}/scan/{theme_id}")
                WebDriverWait(driver, args.page_timeout).until(
                    lambda d: d.find_element("id", "scan-map").get_attribute("data-nodes-drawn")
                )
            except WebDriverException:  # the browser did not finish in time: say so, go on
                print(
                    f"{name[:28]:28} {'':5} {'':5} {page_kb:7.0f} {map_kb:6.0f}"
                    f" {server_s:8.3f} {again_s:7.3f} {'timeout':>8}"
                )
                continue
            figures = driver.execute_script(FIGURES_JS)
            before = positions(driver, "dom")
            time.sleep(0.5)
            still = median_move(before, positions(driver, "dom")) == 0
            labels = len(figures["labels"])
            label_overlap = overlapping_boxes(figures["labels"])
            point_overlap = overlapping_discs(figures["discs"])
            # the time slider, in place: consecutive months, on screen
            moves = []
            steps = []
            previous = None
            try:
                for index in range(figures["days"]):
                    steps.append(
                        driver.execute_script(
                            "var t = performance.now(); window.scanMap.setDay(arguments[0]);"
                            "return performance.now() - t;",
                            index,
                        )
                    )
                    now = positions(driver, "dom")
                    if previous is not None:
                        moves.append(median_move(previous, now))
                    previous = now
                slider = statistics.median(moves) if moves else 0.0
            except WebDriverException:  # a month step that did not finish in time
                slider = float("nan")
                steps.append(float("nan"))
            month_s = max(steps) / 1000 if steps else 0.0
            # two pages: this month and the month before, in layout coordinates
            earlier = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).isoformat()
            try:
                last = positions(driver, "canvas")
                driver.get(f"{base}/scan/{theme_id}?as_of={earlier}")
                WebDriverWait(driver, args.page_timeout).until(
                    lambda d: d.find_element("id", "scan-map").get_attribute("data-nodes-drawn")
                )
                reload = median_move(last, positions(driver, "canvas"))
            except WebDriverException:  # a machine too busy to answer in time
                reload = float("nan")
            print(
                f"{name[:28]:28} {figures['visible']:5d} {figures['edges']:5d} {page_kb:7.0f}"
                f" {map_kb:6.0f}"
                f" {server_s:8.3f} {again_s:7.3f}"
                f" {figures['stable'] / 1000:8.2f} {'yes' if still else 'NO':>5} {labels:6d}"
                f" {label_overlap:7d} {point_overlap:14d} {figures['clusters']:8d}"
                f" {figures['days']:6d} {slider:9.1f} {reload:9.1f} {month_s:7.2f}",
                flush=True,
            )
        print(f"load average after: {load_average()}")
        if args.screenshot:
            driver.get(f"{base}/scan/{themes[args.theme]}")
            WebDriverWait(driver, args.page_timeout).until(
                lambda d: d.find_element("id", "scan-map").get_attribute("data-nodes-drawn")
            )
            time.sleep(0.5)
            driver.execute_script(  # the map and the controls just above it
                "document.getElementById('scan-map').scrollIntoView({block: 'start'});"
                "window.scrollBy(0, -60);"
            )
            args.screenshot.parent.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(args.screenshot))
            print(f"screenshot: {args.screenshot}")
    finally:
        driver.quit()
        server.shutdown()


if __name__ == "__main__":
    main()
