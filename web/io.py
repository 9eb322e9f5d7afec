"""Import and export in the browser: upload a scan, see the dry run (what would be created,
updated and matched, near-duplicates proposed, every bad row), confirm, follow the progress;
download the templates and exports; merge duplicates.

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
import io
import re
import threading
import time
from pathlib import Path
from typing import Any

from babel.numbers import format_decimal
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
    send_file,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from wtforms import HiddenField, SubmitField
from wtforms.validators import DataRequired

from mapper.errors import MapperError, ValidationError, is_disk_full
from mapper.i18n import DEFAULT_LANGUAGE, current_language, format_number, render, use_language
from mapper.io import export as exporter
from mapper.io import kumu
from mapper.io.matching import find_duplicates
from mapper.io.merging import compare
from mapper.io.plan import plan_import
from mapper.io.readers import Limits, read_bytes
from mapper.io.uploads import HEARTBEAT_SECONDS, TOKEN_RE, UploadFolder
from mapper.model import NodeKind, RelKind
from mapper.store import open_store

from .db import current_workspace, get_store
from .forms import INVALID, attach_error

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


class MergeForm(FlaskForm):
    keep = HiddenField(validators=[DataRequired()])
    drop = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Merge"))


class UnmergeForm(FlaskForm):
    merge = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Undo"))


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


#: Reader problems as the librarian reads them (the library's own messages are English).
READ_ERRORS: dict[str, Any] = {
    "rows": _l(
        "The file has more than %(limit)s rows; one import takes at most that many. "
        "Split it into smaller files."
    ),
    "columns": _l(
        "Sheet %(sheet)s has more than %(limit)s columns; the templates have far "
        "fewer. Remove the extra columns."
    ),
    "cells": _l(
        "The file has more than %(limit)s cells; one import takes at most that many. "
        "Split it into smaller files."
    ),
    "cell_chars": _l("Sheet %(sheet)s has a cell of more than %(limit)s characters."),
    "file_bytes": _l("The file is larger than %(limit_mb)s MB."),
    "uncompressed": _l(
        "The file would unpack to more than %(limit_mb)s MB; that is more than one import takes."
    ),
    "ratio": _l(
        "%(member)s in the zip file would unpack to more than %(limit)s times its "
        "size; such a file is refused."
    ),
    "shared_strings": _l("The Excel file holds more than %(limit_mb)s MB of text."),
    "encrypted": _l(
        "%(member)s in the zip file is protected with a password. Save it again without a password."
    ),
    "compression": _l(
        "%(member)s in the zip file is packed in a way that cannot be read. "
        "Pack it again as a normal zip file."
    ),
    "member": _l("%(member)s in the zip file cannot be unpacked; the zip file is damaged."),
    "damaged": _l("The file is damaged or is not what its name says."),
    "encoding": _l(
        "The file starts as UTF-8 but is not UTF-8 (at byte %(byte)s). Save it "
        "again as “CSV UTF-8”."
    ),
    "csv": _l("Sheet %(sheet)s is not a readable CSV file."),
    "excel": _l("The Excel file cannot be read; it may be damaged or protected with a password."),
    "entities": _l(
        "The file names more than %(limit)s entities; one import takes at most that many. "
        "Split it into smaller files."
    ),
    "ties": _l(
        "The file names more than %(limit)s ties; one import takes at most that many. "
        "Split it into smaller files."
    ),
    "xml": _l("The graph file is not valid XML."),
    "xml_doctype": _l("The graph file declares a DOCTYPE or entities; such a file is refused."),
    "xml_depth": _l("The graph file nests deeper than %(limit)s levels; such a file is refused."),
    "xml_elements": _l(
        "The graph file has more than %(limit)s elements; that is more than one import takes."
    ),
}


def read_error_message(code: str | None, params: dict[str, Any], fallback: str) -> str:
    """A reader problem in the interface's language (the library's English as fallback)."""
    message = READ_ERRORS.get(code or "")
    if message is None:
        return fallback
    numbers = {
        k: (format_decimal(v, locale=str(get_locale() or "nl")) if isinstance(v, int) else v)
        for k, v in params.items()
    }
    try:
        return str(message) % numbers
    except (KeyError, TypeError, ValueError):
        return fallback


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
    ws = current_workspace()
    form = UploadForm()
    # a refused upload shows the page again with the message by the file field (422); a
    # browser never keeps a chosen file, the page says so
    if not form.validate_on_submit():
        return render_index(form), INVALID
    storage = form.file.data
    data = storage.read(_max_bytes() + 1)
    if len(data) > _max_bytes():
        attach_error(form, ValidationError("The file is too large.", field="file"))
        return render_index(form), INVALID
    original = Path(storage.filename or "upload").name
    ext = original.rsplit(".", 1)[-1].lower() if "." in original else ""
    if ext not in UPLOAD_EXTENSIONS:
        attach_error(
            form,
            ValidationError(
                "Use an Excel file (.xlsx), CSV, zip of CSVs, GraphML or GEXF.", field="file"
            ),
        )
        return render_index(form), INVALID
    folder = uploads()
    folder.cleanup()
    # The file is read once, here, within the reader's limits; only what was read is kept
    # (the preview and the import use it), never the file itself.
    found, error = None, None
    try:
        found = read_bytes(data, original, limits=_limits())
    except MapperError as exc:
        error = stored_error(exc)
    del data
    try:
        token = folder.save(
            found,
            filename=original,
            workspace=ws.slug,
            size=storage.content_length or 0,
            error=error,
        )
    except OSError as exc:
        flash(storage_message(exc), "error")
        return redirect(url_for("io.index"))
    return redirect(url_for("io.preview", token=token))


def _limits() -> Limits:
    return Limits(file_bytes=_max_bytes())


def storage_message(exc: BaseException) -> str:
    """One clear sentence for a disk that is full or cannot be written."""
    if is_disk_full(exc):
        return _(
            "The disk is full, so nothing was written. Free up space (or ask your IT "
            "department) and try again."
        )
    return _("The file could not be stored on the server; nothing was written. Try again.")


def stored_error(exc: MapperError) -> dict[str, Any]:
    """A reader's error as kept with an upload: its code, and its message id and values when
    they are plain text and numbers (kept as JSON), to say it in the reader's language later;
    the sentence as said now besides."""
    params = exc.params
    plain = all(v is None or isinstance(v, str | int | float) for v in params.values())
    return {
        "code": getattr(exc, "code", None),
        "params": params if plain else {},
        "msgid": exc.msgid if plain else None,
        "message": str(exc),
    }


def _said_now(error: dict[str, Any]) -> str:
    """A stored error's sentence in the reader's language now (numbers the reader's way)."""
    if not error.get("msgid"):
        return str(error.get("message", ""))
    params = error.get("params") or {}
    numbers = {
        k: format_number(v) if isinstance(v, int) and not isinstance(v, bool) else v
        for k, v in params.items()
    }
    return render(error["msgid"], numbers)


def _unreadable(meta: dict[str, Any]) -> str:
    error = meta.get("error") or {}
    return read_error_message(error.get("code"), error.get("params") or {}, _said_now(error))


@bp.get("/preview/<token>")
def preview(token: str):  # type: ignore[no-untyped-def]
    folder, meta = _upload(token)
    if meta.get("error"):
        return render_template(
            "io/preview.html",
            meta=meta,
            token=token,
            unreadable=_unreadable(meta),
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


def note_text(item: dict[str, Any]) -> str:
    """A dry-run note in the interface's language (the library's English when it has no
    code)."""
    params = item.get("params", {})
    if item.get("code") == "example_row":
        return _(
            "%(sheet)s, row %(row)s: an example row of the template (%(what)s), skipped. To "
            "import it, empty its id cell ('%(mark)s').",
            **params,
        )
    if item.get("code") == "place_is_organisation":
        return _(
            "%(sheet)s, row %(row)s, '%(column)s': '%(name)s' is an organisation, so "
            "%(entity)s becomes a member of it (no new channel).",
            **params,
        )
    return str(item.get("text", ""))


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
        target=_run_import,
        args=(url, actor, current_workspace().slug, folder, token, meta, decisions, types),
        kwargs={"lang": current_language()},
        name=f"import-{token[:8]}",
        daemon=True,
    )
    worker.start()
    if current_app.config.get("IMPORT_SYNCHRONOUS"):  # e.g. for scripts driving the app
        worker.join()
    return redirect(url_for("io.progress", token=token))


def _run_import(
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


# --------------------------------------------------------------------------- downloads


@bp.get("/template.<fmt>")
def template(fmt: str):  # type: ignore[no-untyped-def]
    kinds = {"xlsx": "xlsx", "zip": "csv"}
    if fmt not in kinds:
        abort(404)
    out = io.BytesIO()
    exporter.write_templates(kinds[fmt], out)
    out.seek(0)
    return send_file(
        out,
        mimetype=exporter.MIMETYPES[kinds[fmt]],
        as_attachment=True,
        download_name=f"omgevingsscan-sjabloon.{fmt}",
    )


@bp.get("/export")
def export():  # type: ignore[no-untyped-def]
    ws = current_workspace()
    fmt = request.args.get("format", "xlsx")
    if fmt not in exporter.FORMATS:
        abort(400)
    theme = request.args.get("theme") or None
    out = io.BytesIO()
    try:
        exporter.export(ws.store, ws.slug, fmt, out, theme=theme)
    except MapperError as exc:
        flash(str(exc), "error")
        return redirect(url_for("io.index"))
    out.seek(0)
    stem = ws.slug + (f"-{re.sub(r'[^a-z0-9-]+', '-', theme.lower())}" if theme else "")
    return send_file(
        out,
        mimetype=exporter.MIMETYPES[fmt],
        as_attachment=True,
        download_name=f"{stem}{exporter.FORMATS[fmt]}",
    )


# --------------------------------------------------------------------------- duplicates


def kind_label(kind: str) -> str:
    labels = {
        "Person": _("person"),
        "Organisation": _("organisation"),
        "Activity": _("activity"),
        "Staff": _("staff member"),
        "Community": _("community"),
        "Theme": _("theme"),
        "Channel": _("channel"),
        "Library": _("library"),
        "Goal": _("goal"),
        "SmartGoal": _("SMART goal"),
    }
    return labels.get(kind, kind)


#: Why a pair is proposed, in the interface's words.
REASONS = {
    "same name": _l("same name"),
    "similar name": _l("similar name"),
    "same e-mail": _l("same e-mail address"),
    "same phone": _l("same phone number"),
    "same organisation": _l("same surname and initial, member of the same organisation"),
}
#: How many recent merges the duplicates page offers to undo.
RECENT_MERGES = 10


@bp.get("/duplicates")
def duplicates():  # type: ignore[no-untyped-def]
    ws = current_workspace()
    pairs = [
        {"a": a, "b": b, "reason": REASONS.get(reason, reason)}
        for a, b, reason in find_duplicates(ws.nodes(), ties=ws.ties())
    ]
    undone = {e.detail.get("undoes_merge") for e in ws.audit(action="undo")}
    merges = [
        {"entry": e, "form": UnmergeForm(merge=str(e.seq), prefix=f"u-{e.seq}")}
        for e in ws.audit(action="merge", limit=RECENT_MERGES)
        if "undo" in e.detail and e.seq not in undone
    ]
    return render_template("io/duplicates.html", pairs=pairs, merges=merges, kind_label=kind_label)


@bp.get("/merge/<keep>/<drop>")
def compare_page(keep: str, drop: str):  # type: ignore[no-untyped-def]
    """Both entities side by side, what a merge does, and the form that confirms it."""
    ws = current_workspace()
    try:
        cmp = compare(ws, keep, drop)
    except MapperError:
        abort(404)
    if cmp.keep.kind is not cmp.drop.kind:
        abort(404)
    form = MergeForm(keep=keep, drop=drop)
    return render_template("io/merge.html", cmp=cmp, form=form, kind_label=kind_label)


@bp.post("/merge")
def merge():  # type: ignore[no-untyped-def]
    ws = current_workspace()
    form = MergeForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        node = ws.merge_nodes(form.keep.data, form.drop.data)
    except MapperError as exc:
        flash(str(exc), "error")
        return redirect(url_for("io.duplicates"))
    flash(
        _(
            "Merged into %(name)s; all ties and history were kept. You can undo it below.",
            name=node.name,
        ),
        "success",
    )
    return redirect(url_for("io.duplicates"))


@bp.post("/unmerge")
def unmerge():  # type: ignore[no-untyped-def]
    ws = current_workspace()
    prefix = next((k[: -len("merge")] for k in request.form if k.endswith("-merge")), "")
    form = UnmergeForm(prefix=prefix.rstrip("-")) if prefix else UnmergeForm()
    if not form.validate_on_submit() or not str(form.merge.data).isdigit():
        abort(400)
    try:
        kept, back = ws.unmerge_nodes(int(form.merge.data))
    except MapperError as exc:
        flash(str(exc), "error")
        return redirect(url_for("io.duplicates"))
    flash(_("%(back)s is back, apart from %(kept)s.", back=back.name, kept=kept.name), "success")
    return redirect(url_for("io.duplicates"))


__all__ = ["bp", "NAV", "get_store"]


@bp.record_once
def _at_start(state: Any) -> None:
    try:
        cleanup_uploads(state.app)
    except OSError:  # an unwritable instance folder is reported when an upload needs it
        pass
