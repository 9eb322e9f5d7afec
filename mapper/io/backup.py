"""Backup and restore of a whole workspace, history included.

A backup is the workspace dump of :mod:`mapper.store.dump` (every node version, every tie
version with its ``current`` flag, every contact moment, the settings and the audit trail,
with ids and ``recorded_at`` times unchanged) as JSON, gzip-compressed when the file name ends
in ``.gz``. Restoring writes it verbatim into a workspace that does not exist yet, so a
restored workspace equals the one backed up (:func:`mapper.store.dump.checksum` agrees).

Examples
--------
>>> import io
>>> from mapper.store import SQLiteStore
>>> store = SQLiteStore(":memory:")
>>> ws = store.create_workspace("rijnstad", "Bibliotheek Rijnstad")
>>> jan = ws.add_node("Person", "Jan")
>>> _ = ws.update_node(jan.id, name="Jan de Vries")
>>> buffer = io.BytesIO()
>>> backup(store, "rijnstad", buffer)["node_versions"]
2
>>> copy = restore(store, buffer.getvalue(), workspace="kopie")
>>> [v.name for v in copy.node_history(jan.id)]
['Jan', 'Jan de Vries']
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import IO, Any

from ..errors import ValidationError
from ..store.base import Store, Workspace
from ..store.dump import checksum, dump_from_dict, dump_to_dict

GZIP_MAGIC = b"\x1f\x8b"


def backup(store: Store, workspace: str, out: IO[bytes] | str | Path) -> dict[str, Any]:
    """Write a backup of ``workspace`` to a binary file or a path (``.gz``: compressed).

    Returns the counts of what it holds and its ``checksum``.
    """
    dump = store.dump_workspace(workspace)
    data = dump_to_dict(dump)
    data["checksum"] = checksum(dump)
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if isinstance(out, (str, Path)):
        path = Path(out)
        if path.name.endswith(".gz"):
            body = gzip.compress(body, mtime=0)
        path.write_bytes(body)
    else:
        out.write(body)
    return {**dump.counts(), "checksum": data["checksum"]}


def read_backup(source: bytes | str | Path) -> dict[str, Any]:
    """The plain data of a backup file (path or bytes; gzip or plain JSON)."""
    raw = Path(source).read_bytes() if isinstance(source, (str, Path)) else source
    if raw[:2] == GZIP_MAGIC:
        try:
            raw = gzip.decompress(raw)
        except OSError as exc:
            raise ValidationError(
                "the backup file is damaged ({exc})", field="file", exc=exc
            ) from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ValidationError("this is not a backup file (no JSON inside)", field="file") from None
    if not isinstance(data, dict):
        raise ValidationError("this is not a backup file", field="file")
    return data


def restore(store: Store, source: bytes | str | Path, *, workspace: str | None = None) -> Workspace:
    """Restore a backup into a new workspace (its own slug, or ``workspace``); all or
    nothing. ConflictError if that workspace exists; ValidationError if the file's checksum
    does not match its content."""
    data = read_backup(source)
    dump = dump_from_dict(data)
    expected = data.get("checksum")
    if expected is not None and checksum(dump) != expected:
        raise ValidationError("the backup file's checksum does not match its content", field="file")
    return store.load_workspace(dump, slug=workspace)


__all__ = ["backup", "restore", "read_backup"]
