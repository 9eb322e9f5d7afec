"""The import itself, in a background thread with its own store connection: it checks the
rows again, writes them, and reports its progress (with a heartbeat) to the upload folder,
which the progress page polls (see :mod:`web.io`).

No views: :func:`run_import` is started by the confirmation (``io.confirm``).
"""

from __future__ import annotations

import threading
import time
from typing import Any

from mapper.errors import MapperError, is_disk_full
from mapper.i18n import DEFAULT_LANGUAGE, use_language
from mapper.io import kumu
from mapper.io.plan import plan_import
from mapper.io.uploads import HEARTBEAT_SECONDS, UploadFolder
from mapper.store import open_store


def run_import(
    url: str,
    actor: str | None,
    slug: str,
    folder: UploadFolder,
    token: str,
    meta: dict[str, Any],
    decisions: dict[str, str],
    types: dict[str, dict[str, str]] | None = None,
    lang: str | None = None,
) -> None:
    """The import in a background thread, with its own store; progress goes to a file, with
    a heartbeat so that an import that died with its process is seen as failed. What it says
    (a bad row, a failure) is said in ``lang``, the language of the person who started it."""
    with use_language(lang or DEFAULT_LANGUAGE):
        _import_in_thread(url, actor, slug, folder, token, meta, decisions, types)


def _import_in_thread(
    url: str,
    actor: str | None,
    slug: str,
    folder: UploadFolder,
    token: str,
    meta: dict[str, Any],
    decisions: dict[str, str],
    types: dict[str, dict[str, str]] | None,
) -> None:
    lock = threading.Lock()
    state: dict[str, Any] = {"state": "running", "done": 0, "total": 0, "step": "checking"}
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(HEARTBEAT_SECONDS):
            with lock:
                if state["state"] == "running":
                    folder.write_progress(token, state)

    last = [0.0]

    def progress(done: int, total: int, what: str) -> None:
        now = time.monotonic()
        if now - last[0] > 0.3 or done == total:
            last[0] = now
            with lock:
                state.update(done=done, total=total, step=what)
                folder.write_progress(token, state)

    heart = threading.Thread(target=beat, name=f"import-beat-{token[:8]}", daemon=True)
    heart.start()
    final: dict[str, Any]
    try:
        store = open_store(url)
        try:
            store.actor = actor
            found = folder.found(token)
            if found is None:
                raise MapperError("the upload is gone; upload the file again")
            mapping = kumu.merged(kumu.remembered(store.get_workspace(slug).settings), types or {})
            plan = plan_import(
                store,
                slug,
                found,
                origin=f"import {meta['filename']}",
                decisions=decisions,
                type_mapping=mapping,
            )
            del found
            if plan.errors:
                raise MapperError(
                    "{n} bad row(s), nothing imported; the first: {first}",
                    n=len(plan.errors),
                    first=plan.errors[0],
                )
            result = plan.apply(progress=progress)
            if types:  # the mapping step's choice, for the next import
                kumu.remember(store, slug, types)
        finally:
            store.close()
        final = {"state": "done", "done": 1, "total": 1, "result": result}
    except Exception as exc:  # noqa: BLE001 - any failure is shown to the person waiting
        message = "disk-full" if is_disk_full(exc) else str(exc)
        final = {"state": "failed", "done": 0, "total": 0, "error": message}
        if getattr(exc, "code", None):
            final.update(code=exc.code, params=getattr(exc, "params", {}))  # type: ignore[attr-defined]
    finally:
        stop.set()
        folder.drop_rows(token)  # imported or not, the rows are not needed any more
    with lock:
        state.clear()
        state.update(final)
        try:
            folder.write_progress(token, state)
        except OSError:
            pass
