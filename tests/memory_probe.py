"""Measure the peak memory of one upload through the real app (or the reader the CLI uses),
in a process of its own, over that process's baseline.

    python -m tests.memory_probe web FILE     # upload + preview through the app
    python -m tests.memory_probe cli FILE     # read_file + plan_import, as `mapper import`

Prints one line of JSON: ``{"baseline_mb", "peak_mb", "over_mb", "status", "seconds"}``.
The baseline is taken after the app has served a small upload (so the libraries every upload
needs are loaded); the peak is the process's maximum resident set size (``ru_maxrss``).
"""

from __future__ import annotations

import io
import json
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

SMALL = b"soort;naam\npersoon;Jan de Vries\n"


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _web(path: Path, folder: Path) -> str:
    from mapper.store import SQLiteStore
    from web import create_app

    store = SQLiteStore(folder / "app.db")
    store.create_workspace("demo", "Bibliotheek Test")
    store.close()
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{folder / 'app.db'}",
            "WORKSPACE": "demo",
            "SECRET_KEY": "probe",
            "WTF_CSRF_ENABLED": False,
            "SINGLE_USER": True,
            "HOST": "127.0.0.1",
            "IMPORT_FOLDER": str(folder / "imports"),
        }
    )
    client = app.test_client()

    def upload(data: bytes, name: str) -> int:
        response = client.post(
            "/io/upload",
            data={"file": (io.BytesIO(data), name)},
            content_type="multipart/form-data",
        )
        location = response.headers.get("Location", "")
        if "/preview/" not in location:
            return response.status_code
        return client.get(location).status_code

    for sample in ("a.csv", "a.xlsx"):
        data = SMALL
        if sample.endswith(".xlsx"):
            from mapper.io.export import write_templates

            out = io.BytesIO()
            write_templates("xlsx", out)
            data = out.getvalue()
        upload(data, sample)
    baseline = _rss_mb()
    start = time.monotonic()
    status = upload(path.read_bytes(), path.name)
    return json.dumps(_result(baseline, status, start))


def _cli(path: Path, folder: Path) -> str:
    from mapper.errors import MapperError
    from mapper.io.plan import plan_import
    from mapper.io.readers import read_bytes, read_file
    from mapper.store import SQLiteStore

    store = SQLiteStore(folder / "cli.db")
    store.create_workspace("demo")
    plan_import(store, "demo", read_bytes(SMALL, "a.csv"))
    baseline = _rss_mb()
    start = time.monotonic()
    try:
        plan_import(store, "demo", read_file(path))
        status = "planned"
    except MapperError as exc:
        status = re.sub(r"\s+", " ", str(exc))[:120]
    return json.dumps(_result(baseline, status, start))


def _result(baseline: float, status: object, start: float) -> dict[str, object]:
    peak = _rss_mb()
    return {
        "baseline_mb": round(baseline, 1),
        "peak_mb": round(peak, 1),
        "over_mb": round(peak - baseline, 1),
        "status": status,
        "seconds": round(time.monotonic() - start, 2),
    }


def main() -> None:
    mode, path = sys.argv[1], Path(sys.argv[2])
    with tempfile.TemporaryDirectory() as tmp:
        print((_web if mode == "web" else _cli)(path, Path(tmp)))


if __name__ == "__main__":
    main()
