"""Import and export in the browser: upload a scan, see the dry run (what would be created,
updated and matched, near-duplicates proposed, every bad row), confirm, follow the progress;
download the templates and exports; merge duplicates.

The uploaded file is kept in the instance folder under a random token between the preview and
the confirmation (``instance/imports/<token>.<ext>``); the browser only ever sends the token,
never a path. The import itself runs in a background thread with its own store connection and
writes its progress to ``<token>.progress.json``, which the progress page polls (static JS).
"""

from __future__ import annotations

import io
import json
import os
import re
import secrets
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
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from wtforms import HiddenField, SubmitField
from wtforms.validators import DataRequired

from mapper.errors import MapperError
from mapper.io import export as exporter
from mapper.io.matching import find_duplicates
from mapper.io.plan import plan_import
from mapper.io.readers import read_bytes
from mapper.model import NodeKind
from mapper.store import open_store

from .db import current_workspace, get_store

bp = Blueprint("io", __name__, url_prefix="/io")
NAV = [("io.index", _l("Import and export"))]

#: File endings accepted for upload.
UPLOAD_EXTENSIONS = ("xlsx", "csv", "zip", "graphml", "gexf", "txt")
#: Largest upload (bytes), unless ``IMPORT_MAX_BYTES`` is set.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
#: How long an uploaded file is kept (seconds) before it is cleaned up.
KEEP_SECONDS = 24 * 3600
#: How many rows of each list the preview shows.
PREVIEW_ROWS = 50
_BAD_ROWS = "{n} bad row(s), nothing imported; the first: {first}"
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{22,64}$")


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


# --------------------------------------------------------------------------- uploads on disk


def _folder() -> Path:
    """Where uploads wait between preview and import: ``IMPORT_FOLDER``, else
    ``instance/imports``."""
    configured = current_app.config.get("IMPORT_FOLDER")
    folder = Path(configured) if configured else Path(current_app.instance_path) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _cleanup(folder: Path) -> None:
    cutoff = time.time() - KEEP_SECONDS
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass


def _upload(token: str) -> tuple[Path, dict[str, Any]]:
    """The stored upload of ``token`` in the current workspace, or 404."""
    if not TOKEN_RE.match(token):
        abort(404)
    folder = _folder()
    meta_path = folder / f"{token}.json"
    if not meta_path.is_file():
        abort(404)
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta.get("workspace") != current_workspace().slug:
        abort(404)
    path = folder / f"{token}.{meta['ext']}"
    if not path.is_file():
        abort(404)
    return path, meta


def _write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


# --------------------------------------------------------------------------- pages


@bp.get("/")
def index():  # type: ignore[no-untyped-def]
    ws = current_workspace()
    themes = list(ws.nodes(kind=NodeKind.THEME))
    return render_template(
        "io/index.html",
        form=UploadForm(),
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
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(url_for("io.index"))
    storage = form.file.data
    data = storage.read(_max_bytes() + 1)
    if len(data) > _max_bytes():
        flash(_("The file is too large."), "error")
        return redirect(url_for("io.index"))
    original = Path(storage.filename or "upload").name
    ext = original.rsplit(".", 1)[-1].lower() if "." in original else ""
    if ext not in UPLOAD_EXTENSIONS:
        flash(_("Use an Excel file (.xlsx), CSV, zip of CSVs, GraphML or GEXF."), "error")
        return redirect(url_for("io.index"))
    folder = _folder()
    _cleanup(folder)
    token = secrets.token_urlsafe(24)
    (folder / f"{token}.{ext}").write_bytes(data)
    _write_json(
        folder / f"{token}.json",
        {"filename": original[:200], "ext": ext, "workspace": ws.slug, "size": len(data)},
    )
    return redirect(url_for("io.preview", token=token))


def _plan(path: Path, meta: dict[str, Any], decisions: dict[str, str] | None = None) -> Any:
    ws = current_workspace()
    found = read_bytes(path.read_bytes(), meta["filename"])
    return plan_import(
        ws.store, ws.slug, found, origin=f"import {meta['filename']}", decisions=decisions
    )


@bp.get("/preview/<token>")
def preview(token: str):  # type: ignore[no-untyped-def]
    path, meta = _upload(token)
    try:
        plan = _plan(path, meta)
    except MapperError as exc:
        return render_template(
            "io/preview.html", meta=meta, token=token, unreadable=str(exc), summary=None, form=None
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
    ), status


@bp.post("/preview/<token>")
def confirm(token: str):  # type: ignore[no-untyped-def]
    path, meta = _upload(token)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    decisions = {
        key[len("choice:") :]: value
        for key, value in request.form.items()
        if key.startswith("choice:") and value
    }
    progress_path = _folder() / f"{token}.progress.json"
    if progress_path.exists():
        return redirect(url_for("io.progress", token=token))
    # The file is read and checked again in the background (the workspace may have changed
    # since the preview); a file with bad rows ends as "failed" and writes nothing.
    _write_json(progress_path, {"state": "running", "done": 0, "total": 0, "step": "checking"})
    url = current_app.config["DATABASE_URL"]
    actor = g.get("actor")
    worker = threading.Thread(
        target=_run_import,
        args=(url, actor, current_workspace().slug, path, meta, decisions, progress_path),
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
    path: Path,
    meta: dict[str, Any],
    decisions: dict[str, str],
    progress_path: Path,
) -> None:
    """The import in a background thread, with its own store; progress goes to a file."""
    last = [0.0]

    def progress(done: int, total: int, what: str) -> None:
        now = time.monotonic()
        if now - last[0] > 0.3 or done == total:
            last[0] = now
            _write_json(
                progress_path, {"state": "running", "done": done, "total": total, "step": what}
            )

    try:
        store = open_store(url)
        try:
            store.actor = actor
            found = read_bytes(path.read_bytes(), meta["filename"])
            plan = plan_import(
                store, slug, found, origin=f"import {meta['filename']}", decisions=decisions
            )
            if plan.errors:
                raise MapperError(_BAD_ROWS.format(n=len(plan.errors), first=plan.errors[0]))
            result = plan.apply(progress=progress)
        finally:
            store.close()
        _write_json(progress_path, {"state": "done", "done": 1, "total": 1, "result": result})
    except Exception as exc:  # noqa: BLE001 - any failure is shown to the person waiting
        _write_json(progress_path, {"state": "failed", "done": 0, "total": 0, "error": str(exc)})
    finally:
        try:
            path.unlink()
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
    meta_path = _folder() / f"{token}.json"
    path = _folder() / f"{token}.progress.json"
    if not meta_path.is_file() or not path.is_file():
        abort(404)
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta.get("workspace") != current_workspace().slug:
        abort(404)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return {"state": "running", "done": 0, "total": 0}


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


@bp.get("/duplicates")
def duplicates():  # type: ignore[no-untyped-def]
    ws = current_workspace()
    pairs = []
    for a, b, reason in find_duplicates(ws.nodes()):
        ties_a = sum(1 for _ in ws.ties(node=a.id))
        ties_b = sum(1 for _ in ws.ties(node=b.id))
        pairs.append(
            {
                "a": a,
                "b": b,
                "reason": reason,
                "ties_a": ties_a,
                "ties_b": ties_b,
                "form_a": MergeForm(keep=a.id, drop=b.id, prefix=f"m-{a.id}-{b.id}-a"),
                "form_b": MergeForm(keep=b.id, drop=a.id, prefix=f"m-{a.id}-{b.id}-b"),
            }
        )
    return render_template("io/duplicates.html", pairs=pairs, kind_label=kind_label)


@bp.post("/merge")
def merge():  # type: ignore[no-untyped-def]
    ws = current_workspace()
    prefix = next((k[: -len("keep")] for k in request.form if k.endswith("keep")), "")
    form = MergeForm(prefix=prefix.rstrip("-")) if prefix else MergeForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        node = ws.merge_nodes(form.keep.data, form.drop.data)
    except MapperError as exc:
        flash(str(exc), "error")
        return redirect(url_for("io.duplicates"))
    flash(_("Merged into %(name)s; all ties and history were kept.", name=node.name), "success")
    return redirect(url_for("io.duplicates"))


__all__ = ["bp", "NAV", "get_store"]
