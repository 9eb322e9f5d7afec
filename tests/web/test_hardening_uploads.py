"""Uploads, crashes and full disks (issue 13, defects 6, 12, 13): an upload is deleted when it
is imported, abandoned or names a person who is erased, its files are 0600; an import that
died with its process is marked failed at the next start; a full disk gives one clear line.
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from mapper.io.uploads import UploadFolder
from mapper.store import SQLiteStore
from web import create_app

ROOT = Path(__file__).parent.parent.parent
NAME = "Fatma Yılmaz"
ADDRESS = "Lindenlaan 12, Rijnstad"
UPLOAD = (f"soort;naam;notities\npersoon;{NAME};woont {ADDRESS}\npersoon;Piet Jansen;\n").encode()


@pytest.fixture
def web(app, tmp_path):
    app.config["IMPORT_FOLDER"] = str(tmp_path / "imports")
    return app


def _csrf(client, path="/io/") -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="[\w-]*csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def _upload(client, data: bytes, filename: str) -> str:
    response = client.post(
        "/io/upload",
        data={"csrf_token": _csrf(client), "file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    return response.headers["Location"]


def _folder(app) -> Path:
    return Path(app.config["IMPORT_FOLDER"])


def _everything_in(folder: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in folder.iterdir() if p.is_file())


def _mentions(folder: Path, text: str) -> bool:
    everything = json.dumps(_everything_in(folder), ensure_ascii=False)
    return text.casefold() in _everything_in(folder).casefold() or text in everything


def test_upload_files_are_0600_in_a_0700_folder(web):
    client = web.test_client()
    _upload(client, UPLOAD, "fatma-lindenlaan.csv")
    folder = _folder(web)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    files = list(folder.iterdir())
    assert files
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_erasing_a_person_deletes_the_uploads_that_name_them(web):
    store = SQLiteStore(web.config["DATABASE_URL"].removeprefix("sqlite:///"))
    fatma = store.add_node("demo", "Person", NAME)
    store.update_node("demo", fatma.id, name="Fatma Yilmaz-de Boer")  # an earlier name too
    store.close()
    client = web.test_client()
    _upload(client, UPLOAD, "fatma-lindenlaan.csv")  # a dry run never confirmed
    _upload(client, b"soort;naam\npersoon;FATMA  YILMAZ-DE BOER\n", "andere.csv")
    other = _upload(client, b"soort;naam\npersoon;Kees de Boer\n", "kees.csv")
    folder = _folder(web)
    assert _mentions(folder, NAME) and _mentions(folder, "fatma-lindenlaan")
    page = client.get(f"/privacy/person/{fatma.id}/erase").get_data(as_text=True)
    assert "nog op bevestiging wachten, worden ook verwijderd" in page
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        f"/privacy/person/{fatma.id}/erase",
        data={"csrf_token": token, "confirm": "y"},
        follow_redirects=True,
    )
    assert "2 uploads die nog op import wachtten" in response.get_data(as_text=True)
    assert not _mentions(folder, "Fatma") and not _mentions(folder, ADDRESS)
    assert not _mentions(folder, "fatma-lindenlaan")
    assert client.get(other).status_code == 200  # an upload naming someone else stays


def test_an_imported_upload_leaves_no_names_behind(web):
    web.config["IMPORT_SYNCHRONOUS"] = True
    client = web.test_client()
    preview = _upload(client, UPLOAD, "fatma-lindenlaan.csv")
    html = client.get(preview).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    progress = client.post(preview, data={"csrf_token": token}).headers["Location"]
    assert client.get(progress + ".json").get_json()["state"] == "done"
    assert not _mentions(_folder(web), NAME) and not _mentions(_folder(web), ADDRESS)
    assert not list(_folder(web).glob("*.rows.json"))


def test_an_abandoned_upload_is_gone_after_an_hour(web):
    client = web.test_client()
    preview = _upload(client, UPLOAD, "fatma-lindenlaan.csv")
    folder = _folder(web)
    hour_and_a_bit = time.time() - 3700
    for path in folder.iterdir():
        os.utime(path, (hour_and_a_bit, hour_and_a_bit))
    meta = next(p for p in folder.glob("*.json") if not p.name.endswith(".rows.json"))
    data = json.loads(meta.read_text(encoding="utf-8"))
    data["at"] = hour_and_a_bit
    meta.write_text(json.dumps(data), encoding="utf-8")
    os.utime(meta, (hour_and_a_bit, hour_and_a_bit))
    assert client.get(preview).status_code == 404  # expired, even before any sweep
    _upload(client, b"soort;naam\npersoon;Kees\n", "kees.csv")  # the next upload sweeps
    assert not _mentions(folder, NAME)


# --------------------------------------------------------------------------- 12: crashed imports


CRASH = textwrap.dedent(
    """
    import io, os, re, signal, sys, time
    from web import create_app
    app = create_app({
        "TESTING": True, "DATABASE_URL": sys.argv[1], "WORKSPACE": "demo", "SECRET_KEY": "x",
        "WTF_CSRF_ENABLED": False, "SINGLE_USER": True, "HOST": "127.0.0.1",
        "IMPORT_FOLDER": sys.argv[2],
    })
    client = app.test_client()
    rows = "".join(f"persoon;Persoon {i};thema {i % 50}\\n" for i in range(20000))
    data = ("soort;naam;thema's\\n" + rows).encode()
    r = client.post("/io/upload", data={"file": (io.BytesIO(data), "groot.csv")},
                    content_type="multipart/form-data")
    preview = r.headers["Location"]
    r = client.post(preview, data={})
    print(r.headers["Location"], flush=True)
    time.sleep(0.2)  # the import is running in its thread ...
    os.kill(os.getpid(), signal.SIGKILL)  # ... when the process dies
    """
)


def test_an_import_that_died_with_its_process_is_marked_failed_at_start(tmp_path):
    db = tmp_path / "app.db"
    SQLiteStore(db).create_workspace("demo", "Bibliotheek")
    folder = tmp_path / "imports"
    url = f"sqlite:///{db}"
    done = subprocess.run(
        [sys.executable, "-c", CRASH, url, str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr[-2000:]
    progress_url = done.stdout.strip().splitlines()[-1]
    (progress,) = folder.glob("*.progress.json")
    state = json.loads(progress.read_text(encoding="utf-8"))
    assert state["state"] == "running"
    # time passes: the dead import's heartbeat is two minutes old when the app starts again
    state["updated"] = time.time() - 120
    progress.write_text(json.dumps(state), encoding="utf-8")
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "WORKSPACE": "demo",
            "SECRET_KEY": "x",
            "SINGLE_USER": True,
            "HOST": "127.0.0.1",
            "IMPORT_FOLDER": str(folder),
        }
    )
    assert json.loads(progress.read_text(encoding="utf-8"))["state"] == "failed"
    assert not list(folder.glob("*.rows.json"))  # what was read is gone too
    page = app.test_client().get(progress_url).get_data(as_text=True)
    assert "Upload het bestand opnieuw" in page
    store = SQLiteStore(db)
    assert store.counts("demo").get("Person", 0) == 0  # the import wrote nothing
    store.close()


def test_a_live_import_is_not_marked_failed(tmp_path):
    folder = UploadFolder(tmp_path / "imports")
    token = folder.save(None, filename="x.csv", workspace="demo", size=1)
    folder.write_progress(token, {"state": "running", "done": 0, "total": 0})
    assert folder.fail_stale_jobs() == 0
    assert folder.progress(token)["state"] == "running"


# --------------------------------------------------------------------------- 13: disk full


DISK_FULL = textwrap.dedent(
    """
    import resource, signal, sys
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
    limit = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    from mapper.cli import main
    main(sys.argv[2:])
    """
)


def test_a_full_disk_during_an_import_gives_one_clear_line(tmp_path):
    db = tmp_path / "full.db"
    store = SQLiteStore(db)
    store.create_workspace("demo", "Bibliotheek")
    store.add_node("demo", "Person", "Al Aanwezig")
    store.close()
    scan = tmp_path / "scan.csv"
    scan.write_text(
        "soort;naam;thema's\n"
        + "".join(f"persoon;Persoon {i};thema {i % 40}\n" for i in range(3000)),
        encoding="utf-8",
    )
    limit = db.stat().st_size + 64 * 1024  # room for a little, not for the import
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            DISK_FULL,
            str(limit),
            "import",
            str(scan),
            "--database",
            str(db),
            "--workspace",
            "demo",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 1, output[-3000:]
    assert "Traceback" not in output
    errors = [line for line in output.splitlines() if line.startswith("Error")]
    assert len(errors) == 1 and "disk is full" in errors[0], output[-3000:]
    store = SQLiteStore(db)
    assert [n.name for n in store.nodes("demo")] == ["Al Aanwezig"]  # the data is intact
    store.close()
