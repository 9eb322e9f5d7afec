"""Downloads of the import and export area: the empty templates (Excel, zip of CSVs) and the
exports of a workspace in every format (routes of the ``io`` blueprint, :mod:`web.io`).
"""

from __future__ import annotations

import io
import re

from flask import abort, flash, redirect, request, send_file, url_for

from mapper.errors import MapperError
from mapper.io import export as exporter

from .db import current_workspace
from .io import bp


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
