"""How fast the environment-scan map is built on the server and drawn in a real browser.

Serves the app on 127.0.0.1, opens scan maps in headless Chromium and prints, per map, the
number of nodes and edges, the server time (request → HTML, through the test client) and the
browser time from the page's last byte until vis-network has stabilised and drawn the map
(``data-nodes-drawn`` set; includes loading and parsing vis-network from the local server).

Maps measured: every theme of the demo town, and synthetic themes with about 150, 300 and
600 nodes in their ecosystem (above 300 the server lays the map out and physics is off).

Usage::

    python benchmarks/scan_map.py                       # print figures
    python benchmarks/scan_map.py --screenshot docs/screenshot-scan.png --theme duurzaamheid
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mapper.store import SQLiteStore  # noqa: E402
from seeds.demo import seed_demo  # noqa: E402
from web import create_app  # noqa: E402


def synthetic_theme(store: SQLiteStore, slug: str, size: int, rng: random.Random) -> str:
    """A theme whose ecosystem has about ``size`` nodes (people, organisations, activities,
    channels) with acquaintance ties among them and some bonds with the library."""
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
    ws.add_ties(ties)
    return theme.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screenshot", type=Path, help="save a PNG of one scan map here")
    parser.add_argument("--theme", default="duurzaamheid", help="theme name for the screenshot")
    parser.add_argument("--only-screenshot", action="store_true", help="skip the timings")
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--height", type=int, default=1100)
    args = parser.parse_args()

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait
    from werkzeug.serving import make_server

    tmp = Path(tempfile.mkdtemp(prefix="scan-bench-"))
    store = SQLiteStore(tmp / "bench.db")
    seed_demo(store, "demo")
    rng = random.Random(7)
    themes = {n.name: n.id for n in store.nodes("demo", kind="Theme")}
    for size in (150, 300, 600):
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
    try:
        client = app.test_client()
        print(
            f"{'theme':32} {'nodes':>5} {'edges':>5} {'physics':>7} {'server s':>8} {'browser s':>9}"
        )
        for name, theme_id in ({} if args.only_screenshot else themes).items():
            started = time.perf_counter()
            html = client.get(f"/scan/{theme_id}").get_data(as_text=True)
            server_s = time.perf_counter() - started
            assert 'id="scan-data"' in html, name
            driver.get(f"{base}/scan/{theme_id}")
            WebDriverWait(driver, 30).until(
                lambda d: d.find_element("id", "scan-map").get_attribute("data-nodes-drawn")
            )
            drawn = driver.execute_script(
                "var t = performance.timing, box = document.getElementById('scan-map');"
                "return [window.scanMap.nodes.length, window.scanMap.edges.length,"
                " Number(box.dataset.drawnAtMs), t.responseEnd - t.navigationStart];"
            )
            # from the last byte of the page until the map has settled and is drawn
            browser_s = (drawn[2] - drawn[3]) / 1000
            physics = driver.find_element("id", "scan-map").get_attribute("data-physics")
            print(
                f"{name:32} {drawn[0]:5d} {drawn[1]:5d} {physics:>7} {server_s:8.3f} {browser_s:9.2f}"
            )
        if args.screenshot:
            driver.get(f"{base}/scan/{themes[args.theme]}")
            WebDriverWait(driver, 30).until(
                lambda d: d.find_element("id", "scan-map").get_attribute("data-nodes-drawn")
            )
            time.sleep(0.5)
            driver.execute_script(
                "document.querySelector('h1').scrollIntoView({block: 'start'});"
                "window.scrollBy(0, -8);"
            )
            args.screenshot.parent.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(args.screenshot))
            print(f"screenshot: {args.screenshot}")
    finally:
        driver.quit()
        server.shutdown()


if __name__ == "__main__":
    main()
