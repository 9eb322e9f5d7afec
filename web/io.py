"""Import and export in the browser: upload a scan, see the dry run (what would be created,
updated and matched, near-duplicates proposed, every bad row), confirm, follow the progress;
download the templates and exports; merge duplicates.

This module holds the ``io`` blueprint and the upload → preview → confirm → progress flow;
its sibling modules add the rest to the same blueprint (so every endpoint stays ``io.*``):
:mod:`web.io_exports` (downloads), :mod:`web.io_duplicates` (duplicates and merging),
:mod:`web.io_jobs` (the import's background thread) and :mod:`web.io_words` (what the area
says to the librarian).

An upload is read once, when it arrives, within the reader's limits; what was read waits in
the instance folder under a random token between the preview and the confirmation
(``instance/imports``, see :mod:`mapper.io.uploads`: files 0600, deleted when imported, after
an hour, or when a person they name is erased); the browser only ever sends the token, never
a path. The import itself runs in a background thread with its own store connection and
writes its progress (with a heartbeat) to ``<token>.progress.json``, which the progress page
polls (static JS).
"""

from __future__ import annotations

import errno
import threading
import time
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from wtforms import SubmitField

from mapper.errors import MapperError, ValidationError
from mapper.i18n import current_language
from mapper.io import export as exporter
from mapper.io import kumu
from mapper.io.plan import plan_import
from mapper.io.readers import Limits, read_bytes
from mapper.io.uploads import TOKEN_RE, UploadFolder
from mapper.model import NodeKind, RelKind

from .db import current_workspace, get_store
from .forms import handle
from .io_jobs import run_import
from .io_words import (
    kind_label,
    note_text,
    read_error_message,
    storage_message,
    stored_error,
    unreadable,
)

bp = Blueprint("io", __name__, url_prefix="/io")
NAV = [("io.index", _l("Import and export"))]

#: File endings accepted for upload.
UPLOAD_EXTENSIONS = ("xlsx", "csv", "zip", "graphml", "gexf", "txt")
#: Largest upload (bytes), unless ``IMPORT_MAX_BYTES`` is set.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
#: How many rows of each list the preview shows.
PREVIEW_ROWS = 50


class UploadForm(FlaskForm):
    file = FileField(
        _l("File"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(
                UPLOAD_EXTENSIONS,
                _l("Use an Excel file (.xlsx), CSV, zip of CSVs, GraphML or GEXF."),
            ),
            FileSize(DEFAULT_MAX_BYTES, message=_l("The file is too large.")),
        ],
    )
    submit = SubmitField(_l("Show what would be imported"))


class ConfirmForm(FlaskForm):
    submit = SubmitField(_l("Import"))


# --------------------------------------------------------------------------- uploads on disk


def _folder() -> Path:
    """Where uploads wait between preview and import: ``IMPORT_FOLDER``, else
    ``instance/imports``."""
    return upload_folder_path(current_app)


def upload_folder_path(app: Any) -> Path:
    configured = app.config.get("IMPORT_FOLDER")
    return Path(configured) if configured else Path(app.instance_path) / "imports"


def uploads() -> UploadFolder:
    """The upload folder of this app (see :mod:`mapper.io.uploads`)."""
    return UploadFolder(_folder())


def _upload(token: str) -> tuple[UploadFolder, dict[str, Any]]:
    """The upload of ``token`` in the current workspace, or 404."""
    if not TOKEN_RE.match(token):
        abort(404)
    folder = uploads()
    meta = folder.meta(token)
    if meta is None or meta.get("workspace") != current_workspace().slug:
        abort(404)
    return folder, meta


def cleanup_uploads(app: Any) -> None:
    """At start-up: delete abandoned uploads and mark imports that died with their process
    as failed (their page then says to upload again)."""
    folder = UploadFolder(upload_folder_path(app))
    folder.cleanup()
    folder.fail_stale_jobs()


_last_cleanup = [0.0]
#: How often (seconds) a request sweeps the upload folder for abandoned uploads.
CLEANUP_EVERY = 60


@bp.before_app_request
def _sweep_uploads() -> None:
    now = time.monotonic()
    if now - _last_cleanup[0] < CLEANUP_EVERY:
        return
    _last_cleanup[0] = now
    try:
        uploads().cleanup()
    except OSError:  # the folder may be unreadable; the pages themselves say so
        pass


# --------------------------------------------------------------------------- pages


@bp.get("/")
def index():  # type: ignore[no-untyped-def]
    return render_index(UploadForm())


def render_index(form: UploadForm) -> str:
    """The import and export page, with the upload form (after a failed upload: its message)."""
    ws = current_workspace()
    themes = list(ws.nodes(kind=NodeKind.THEME))
    return render_template(
        "io/index.html",
        form=form,
        themes=themes,
        formats=list(exporter.FORMATS),
        workspace=ws.info,
        max_mb=_max_bytes() // (1024 * 1024),
    )


def _max_bytes() -> int:
    return int(current_app.config.get("IMPORT_MAX_BYTES") or DEFAULT_MAX_BYTES)


@bp.post("/upload")
def upload():  # type: ignore[no-untyped-def]
    form = UploadForm()
    # a refused upload shows the page again with the message by the file field (422); a
    # browser never keeps a chosen file, the page says so
    return handle(
        form,
        lambda: _store_upload(form),
        again=lambda: render_index(form),
        success=lambda token: url_for("io.preview", token=token) if token else url_for("io.index"),
    )


def _store_upload(form: UploadForm) -> str | None:
    """Read the uploaded file once, within the reader's limits, and keep what was read (the
    preview and the import use it), never the file itself. Returns its token; ``None`` when
    the disk could not take it (flashed, and the import page shown again)."""
    storage = form.file.data
    data = storage.read(_max_bytes() + 1)
    if len(data) > _max_bytes():
        raise ValidationError("The file is too large.", field="file")
    original = Path(storage.filename or "upload").name
    ext = original.rsplit(".", 1)[-1].lower() if "." in original else ""
    if ext not in UPLOAD_EXTENSIONS:
        raise ValidationError(
            "Use an Excel file (.xlsx), CSV, zip of CSVs, GraphML or GEXF.", field="file"
        )
    folder = uploads()
    folder.cleanup()
    # a file that cannot be read is kept as its error, which the preview shows (422)
    found, error = None, None
    try:
        found = read_bytes(data, original, limits=_limits())
    except MapperError as exc:
        error = stored_error(exc)
    del data
    try:
        return folder.save(
            found,
            filename=original,
            workspace=current_workspace().slug,
            size=storage.content_length or 0,
            error=error,
        )
    except OSError as exc:
        flash(storage_message(exc), "error")
        return None


def _limits() -> Limits:
    return Limits(file_bytes=_max_bytes())


@bp.get("/preview/<token>")
def preview(token: str):  # type: ignore[no-untyped-def]
    folder, meta = _upload(token)
    if meta.get("error"):
        return render_template(
            "io/preview.html",
            meta=meta,
            token=token,
            unreadable=unreadable(meta),
            summary=None,
            form=None,
        ), 422
    found = folder.found(token)
    if found is None:  # imported already, or the import is running
        abort(404)
    ws = current_workspace()
    chosen = _type_choices(request.args)
    types = kumu.merged(kumu.remembered(ws.info.settings), chosen)
    try:
        plan = plan_import(
            ws.store, ws.slug, found, origin=f"import {meta['filename']}", type_mapping=types
        )
    except MapperError as exc:
        message = read_error_message(
            getattr(exc, "code", None), getattr(exc, "params", {}), str(exc)
        )
        return render_template(
            "io/preview.html", meta=meta, token=token, unreadable=message, summary=None, form=None
        ), 422
    summary = plan.summary(limit=PREVIEW_ROWS)
    status = 422 if plan.errors else 200
    return render_template(
        "io/preview.html",
        meta=meta,
        token=token,
        summary=summary,
        unreadable=None,
        form=ConfirmForm(),
        nothing=plan.changes_nothing(),
        kind_label=kind_label,
        chosen=chosen,
        note_text=note_text,
        node_kinds=[k.value for k in NodeKind],
        tie_kinds=[k.value for k in RelKind],
    ), status


#: Form fields of the type mapping step: ``type:element:<Kumu type>`` = a node kind, and
#: ``type:connection:<Kumu type>`` = a tie kind.
TYPE_FIELD = "type:"


def _type_choices(values: Any) -> dict[str, dict[str, str]]:
    """The type mapping chosen in the preview's mapping step (only known kinds are taken)."""
    kinds = {"element": {k.value for k in NodeKind}, "connection": {k.value for k in RelKind}}
    out: dict[str, dict[str, str]] = {}
    for key, value in values.items():
        if not key.startswith(TYPE_FIELD):
            continue
        part, _sep, raw = key[len(TYPE_FIELD) :].partition(":")
        if part in kinds and raw and value in kinds[part]:
            out.setdefault(part, {})[raw] = value
    return out


@bp.post("/preview/<token>")
def confirm(token: str):  # type: ignore[no-untyped-def]
    folder, meta = _upload(token)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    decisions = {
        key[len("choice:") :]: value
        for key, value in request.form.items()
        if key.startswith("choice:") and value
    }
    types = _type_choices(request.form)
    if folder.has_progress(token):
        return redirect(url_for("io.progress", token=token))
    if meta.get("error") or folder.found(token) is None:
        abort(404)
    # The rows are checked again in the background (the workspace may have changed since the
    # preview); rows with errors end as "failed" and write nothing.
    folder.write_progress(token, {"state": "running", "done": 0, "total": 0, "step": "checking"})
    url = current_app.config["DATABASE_URL"]
    actor = g.get("actor")
    worker = threading.Thread(
        target=run_import,
        args=(url, actor, current_workspace().slug, folder, token, meta, decisions, types),
        kwargs={"lang": current_language()},
        name=f"import-{token[:8]}",
        daemon=True,
    )
    worker.start()
    if current_app.config.get("IMPORT_SYNCHRONOUS"):  # e.g. for scripts driving the app
        worker.join()
    return redirect(url_for("io.progress", token=token))


@bp.get("/progress/<token>")
def progress(token: str):  # type: ignore[no-untyped-def]
    if not TOKEN_RE.match(token):
        abort(404)
    state = _progress(token)
    return render_template("io/progress.html", token=token, state=state)


@bp.get("/progress/<token>.json")
def progress_json(token: str):  # type: ignore[no-untyped-def]
    if not TOKEN_RE.match(token):
        abort(404)
    state = _progress(token)
    response = jsonify(state)
    response.headers["Cache-Control"] = "no-store"
    return response


def _progress(token: str) -> dict[str, Any]:
    folder, _meta = _upload(token)
    state = folder.progress(token)
    if state is None:
        abort(404)
    if state.get("state") == "failed":
        if state.get("stale"):
            state["error"] = _(
                "The import stopped when the application stopped; nothing was written. "
                "Upload the file again."
            )
        elif state.get("error") == "disk-full":
            state["error"] = storage_message(OSError(errno.ENOSPC, "disk full"))
        elif state.get("code"):
            state["error"] = read_error_message(
                state["code"], state.get("params") or {}, state.get("error", "")
            )
    return state


__all__ = ["bp", "NAV", "get_store"]


@bp.record_once
def _at_start(state: Any) -> None:
    try:
        cleanup_uploads(state.app)
    except OSError:  # an unwritable instance folder is reported when an upload needs it
        pass
