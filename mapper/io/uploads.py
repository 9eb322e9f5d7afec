"""Uploads waiting between a dry run and its confirmation, kept in a folder of their own.

An upload is read **once**, when it arrives (:func:`mapper.io.readers.read_bytes`, within its
limits); what was read is kept as JSON (``<token>.rows.json``, with ``<token>.json`` for what
the upload is and ``<token>.progress.json`` once it is being imported). The original file is
never kept. Every file is made mode 0600. An upload is deleted when it is imported, when it is
abandoned (older than :data:`KEEP_SECONDS`), and when anyone whose name it holds is erased
(:meth:`UploadFolder.purge_mentions`).

Examples
--------
>>> import tempfile
>>> from mapper.io.readers import read_bytes
>>> folder = UploadFolder(tempfile.mkdtemp())
>>> found = read_bytes(b"soort;naam\\npersoon;Jan de Vries\\n", "scan.csv")
>>> token = folder.save(found, filename="scan.csv", workspace="demo", size=32)
>>> folder.found(token).tables[0].rows
[['persoon', 'Jan de Vries']]
>>> folder.purge_mentions(["jan de vries"])
1
>>> folder.meta(token) is None
True
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import time
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import MapperError
from ..i18n import Message
from .found import FileFormat, Found, Table, format_to_json
from .graphfiles import REF as _REF
from .templates import DIRECTION, OTHERS, SHEETS

#: How long an upload waits for its confirmation (seconds) before it is deleted.
KEEP_SECONDS = 3600
#: How long a finished import's progress is kept (seconds), so its page can still be read.
KEEP_PROGRESS_SECONDS = 3600
#: A running import writes a heartbeat at least this often (seconds)...
HEARTBEAT_SECONDS = 5
#: ...and one that has not done so for this long died with its process.
STALE_SECONDS = 60
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{22,64}$")
#: The file endings of one upload's files.
SUFFIXES = (".json", ".rows.json", ".progress.json", ".tmp")
#: The message a crashed import's progress shows (the web app translates it).
STALE_MESSAGE = "the import stopped when the application stopped; nothing was written"


def _fold(text: str) -> str:
    stripped = "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    )
    return " ".join(stripped.casefold().split())


def _encode(value: Any) -> Any:
    if value is None or type(value) in (str, int, float, bool):
        return value
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, dt.time):
        return {"$time": value.isoformat()}
    return str(value)


def _decode(value: Any) -> Any:
    if type(value) is dict:
        if "$datetime" in value:
            return dt.datetime.fromisoformat(value["$datetime"])
        if "$date" in value:
            return dt.date.fromisoformat(value["$date"])
        if "$time" in value:
            return dt.time.fromisoformat(value["$time"])
    return value


def _encode_note(note: Any) -> Any:
    """A note (a :class:`~mapper.i18n.Message`, or text) as JSON: the message id and its
    values, so that it is said in the reader's language when the preview is shown."""
    if isinstance(note, MapperError):
        note = note.as_message()
    if not isinstance(note, Message):
        return note if note is None or type(note) in (str, int, float, bool) else str(note)
    return {"$message": note.msgid, "params": {k: _encode_note(v) for k, v in note.params.items()}}


def _decode_note(value: Any) -> Any:
    if type(value) is dict and "$message" in value:
        params = {k: _decode_note(v) for k, v in (value.get("params") or {}).items()}
        return Message(value["$message"], **params)
    return value


def found_to_json(found: Found) -> dict[str, Any]:
    """What a reader found as plain JSON data (dates tagged), for :func:`found_from_json`."""
    return {
        "format": format_to_json(found.format),
        "notes": [_encode_note(n) for n in found.notes],
        "tables": [
            {
                "sheet": t.sheet.key,
                "title": t.title,
                "headers": t.headers,
                "first_row": t.first_row,
                "graph": bool(getattr(t, "graph", False)),
                # the columns by field (graph, Kumu and Gephi tables choose their own), and
                # whether the table is a Kumu/Gephi sheet (issue 16)
                "fields": [c.field if c is not None else None for c in t.columns],
                "kumu": getattr(t, "kumu", None),
                "rows": [[_encode(v) for v in row] for row in t.rows],
            }
            for t in found.tables
        ],
    }


def found_from_json(data: dict[str, Any]) -> Found:
    tables = []
    for t in data["tables"]:
        sheet = SHEETS[t["sheet"]]
        rows = [[_decode(v) for v in row] for row in t["rows"]]
        columns: list[Any] = []
        if "fields" in t:
            columns = [_column(sheet, f) for f in t["fields"]]
        elif t["graph"] and sheet is OTHERS:
            columns = [_REF, *[OTHERS.column_for(h) for h in t["headers"][1:]]]
        table = Table(sheet, t["title"], t["headers"], rows, t["first_row"], columns)
        if t["graph"]:
            table.graph = True  # type: ignore[attr-defined]
        if t.get("kumu"):
            table.kumu = t["kumu"]  # type: ignore[attr-defined]
        tables.append(table)
    return Found(
        FileFormat.from_json(data["format"]), tables, [_decode_note(n) for n in data["notes"]]
    )


def _column(sheet: Any, field: str | None) -> Any:
    """The column of ``field``: the sheet's own, or one only graph files have."""
    if field is None:
        return None
    found = next((c for c in sheet.columns if c.field == field), None)
    return found or {"ref": _REF, "direction": DIRECTION}.get(field)


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically, readable by this user only (0600)."""
    tmp = path.with_name(path.name + f".{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise


class UploadFolder:
    """The folder uploads wait in (created 0700 if missing).

    Parameters
    ----------
    folder : str or Path
    keep_seconds : int
        How long an upload waits for its confirmation.
    """

    def __init__(self, folder: str | Path, *, keep_seconds: int = KEEP_SECONDS):
        self.folder = Path(folder)
        self.keep_seconds = keep_seconds
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            os.chmod(self.folder, 0o700)
        except OSError:  # pragma: no cover - e.g. a folder of another user
            pass

    def __repr__(self) -> str:
        return f"UploadFolder({str(self.folder)!r})"

    def _path(self, token: str, suffix: str) -> Path:
        if not TOKEN_RE.match(token):
            raise KeyError(token)
        return self.folder / f"{token}{suffix}"

    # ------------------------------------------------------------------ one upload

    def save(
        self,
        found: Found | None,
        *,
        filename: str,
        workspace: str,
        size: int,
        error: dict[str, Any] | None = None,
    ) -> str:
        """Keep what was read from an upload (or, with ``found=None``, why it could not be
        read); returns its token."""
        token = secrets.token_urlsafe(24)
        if found is not None:
            write_private(
                self._path(token, ".rows.json"),
                json.dumps(found_to_json(found), ensure_ascii=False),
            )
        meta = {
            "filename": filename[:200],
            "workspace": workspace,
            "size": size,
            "at": time.time(),
            "error": error,
        }
        write_private(self._path(token, ".json"), json.dumps(meta, ensure_ascii=False))
        return token

    def meta(self, token: str) -> dict[str, Any] | None:
        """What the upload is (file name, workspace, …), or None if it is gone or expired."""
        try:
            path = self._path(token, ".json")
            meta = json.loads(path.read_text(encoding="utf-8"))
        except (KeyError, OSError, ValueError):
            return None
        if time.time() - float(meta.get("at", 0)) > self.keep_seconds and not self.has_progress(
            token
        ):
            self.delete(token)
            return None
        return meta

    def found(self, token: str) -> Found | None:
        """What was read from the upload, or None when it is gone (imported or unreadable)."""
        try:
            text = self._path(token, ".rows.json").read_text(encoding="utf-8")
        except (KeyError, OSError):
            return None
        return found_from_json(json.loads(text))

    def drop_rows(self, token: str) -> None:
        """Delete what was read (after the import), keeping the progress."""
        try:
            self._path(token, ".rows.json").unlink()
        except (KeyError, OSError):
            pass

    def delete(self, token: str) -> None:
        for suffix in (".rows.json", ".progress.json", ".json"):
            try:
                self._path(token, suffix).unlink()
            except (KeyError, OSError):
                pass

    # ------------------------------------------------------------------ progress

    def has_progress(self, token: str) -> bool:
        try:
            return self._path(token, ".progress.json").is_file()
        except KeyError:
            return False

    def write_progress(self, token: str, state: dict[str, Any]) -> None:
        state = {**state, "updated": time.time()}
        write_private(self._path(token, ".progress.json"), json.dumps(state, ensure_ascii=False))

    def progress(self, token: str) -> dict[str, Any] | None:
        """The import's progress; a "running" one whose heartbeat stopped is "failed"."""
        try:
            text = self._path(token, ".progress.json").read_text(encoding="utf-8")
        except (KeyError, OSError):
            return None
        try:
            state = json.loads(text)
        except ValueError:
            return {"state": "running", "done": 0, "total": 0}
        if state.get("state") == "running" and self._stale(state):
            state = self._fail_stale(token)
        return state

    def _stale(self, state: dict[str, Any], now: float | None = None) -> bool:
        now = time.time() if now is None else now
        return now - float(state.get("updated", 0)) > STALE_SECONDS

    def _fail_stale(self, token: str) -> dict[str, Any]:
        state = {"state": "failed", "done": 0, "total": 0, "error": STALE_MESSAGE, "stale": True}
        self.write_progress(token, state)
        self.drop_rows(token)
        return state

    def fail_stale_jobs(self) -> int:
        """Mark every import whose process died (no heartbeat) as failed; at start-up."""
        failed = 0
        for token in self.tokens():
            try:
                state = json.loads(self._path(token, ".progress.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if state.get("state") == "running" and self._stale(state):
                self._fail_stale(token)
                failed += 1
        return failed

    # ------------------------------------------------------------------ the whole folder

    def tokens(self) -> Iterator[str]:
        seen = set()
        for path in self.folder.iterdir():
            token = path.name.split(".", 1)[0]
            if token not in seen and TOKEN_RE.match(token):
                seen.add(token)
                yield token

    def cleanup(self, now: float | None = None) -> int:
        """Delete abandoned uploads (older than ``keep_seconds``), finished imports' progress
        older than :data:`KEEP_PROGRESS_SECONDS`, and stray temporary files."""
        now = time.time() if now is None else now
        removed = 0
        for path in list(self.folder.iterdir()):
            try:
                age = now - path.stat().st_mtime
            except OSError:
                continue
            name = path.name
            if name.endswith(".tmp"):
                expired = age > 60
            elif name.endswith(".progress.json"):
                expired = age > KEEP_PROGRESS_SECONDS and not self._running(path)
            else:
                token = name.split(".", 1)[0]
                expired = age > self.keep_seconds and not self._running(
                    self.folder / f"{token}.progress.json"
                )
            if expired:
                try:
                    path.unlink()
                    removed += 1
                except OSError:
                    pass
        return removed

    def _running(self, progress_path: Path) -> bool:
        try:
            state = json.loads(progress_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return state.get("state") == "running" and not self._stale(state)

    def purge_mentions(self, names: Iterable[str]) -> int:
        """Delete every upload that holds any of ``names`` (case, accents and spacing
        ignored) in its rows, its file name or its progress; returns how many."""
        wanted = {_fold(n) for n in names if n and _fold(n)}
        if not wanted:
            return 0
        purged = 0
        for token in list(self.tokens()):
            texts = []
            for suffix in (".json", ".rows.json", ".progress.json"):
                try:
                    texts.append(self._path(token, suffix).read_text(encoding="utf-8"))
                except OSError:
                    continue
            if any(_mentions(text, wanted) for text in texts):
                self.delete(token)
                purged += 1
        return purged


def _strings(value: Any) -> Iterator[str]:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _mentions(text: str, wanted: set[str]) -> bool:
    try:
        data = json.loads(text)
    except ValueError:
        data = text
    for s in _strings(data):
        folded = _fold(s)
        if any(name in folded for name in wanted):
            return True
    return False


def names_held(store: Any, workspace: str, node_id: str) -> list[str]:
    """Every name an entity went by (each version's name and its ``also_known_as``): what an
    upload may hold of it. Call before erasing it."""
    names: list[str] = []
    for version in store.node_history(workspace, node_id):
        names.append(version.name)
        aliases = version.props.get("also_known_as") or []
        names.extend(a for a in aliases if isinstance(a, str))
    return list(dict.fromkeys(names))


def default_folder() -> Path:
    """The upload folder outside the web app (``mapper privacy erase``): ``MAPPER_IMPORT_FOLDER``,
    else ``instance/imports`` in the working folder (where the web app keeps them when it is
    started there)."""
    configured = os.environ.get("MAPPER_IMPORT_FOLDER")
    return Path(configured) if configured else Path.cwd() / "instance" / "imports"


__all__ = [
    "UploadFolder",
    "KEEP_SECONDS",
    "default_folder",
    "found_from_json",
    "found_to_json",
    "names_held",
    "write_private",
]
