"""Benchmark: the weight and server time of the demo town's largest theme scan page.

Seeds the demo town into a temporary SQLite file, serves the app in-process (Flask's test
client, no network) and prints the page's size and the median of five warm requests. Run it
in two checkouts to compare them::

    python benchmarks/scan_page.py after
"""

from __future__ import annotations

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

import tempfile  # noqa: E402
import time  # noqa: E402

from mapper.analysis.scan import theme_scan
from mapper.store import SQLiteStore, open_store
from seeds.demo import seed_demo
from web import create_app

d = pathlib.Path(tempfile.mkdtemp())
p = d / "demo.db"
s = SQLiteStore(p)
seed_demo(s, "demo")
s.close()
app = create_app(
    {
        "TESTING": True,
        "DATABASE_URL": f"sqlite:///{p}",
        "WORKSPACE": "demo",
        "SECRET_KEY": "x",
        "SINGLE_USER": True,
        "HOST": "127.0.0.1",
    }
)
st = open_store(f"sqlite:///{p}")
rows = [r for r in theme_scan(st.project("demo")) if r.in_library]
st.close()
theme = max(rows, key=lambda r: sum(r.counts.values())).theme
c = app.test_client()
c.get(f"/scan/{theme}")
ts = []
sz = 0
for _ in range(5):
    t = time.perf_counter()
    r = c.get(f"/scan/{theme}")
    ts.append(time.perf_counter() - t)
    sz = len(r.data)
ts.sort()
print(
    f"{sys.argv[1] if len(sys.argv) > 1 else 'this checkout'}: scan page {sz / 1024:.0f} KB, median {ts[2] * 1000:.0f} ms"
)
