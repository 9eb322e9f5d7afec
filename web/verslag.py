"""Het verslag: the report of a community, or of the whole library, as a printable page and
as a PDF (``?format=pdf``), for the management meeting and the municipality. Thin over
:mod:`mapper.report` (the same HTML in the browser and in the PDF)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, Response, abort, jsonify, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from mapper import report
from mapper.model import NodeKind

from .dates import date_arg
from .db import current_workspace

bp = Blueprint("verslag", __name__)

NAV = [("verslag.library_report", _l("Report"))]


def _lang() -> str:
    return str(get_locale() or "nl")


def _answer(data: dict[str, Any], filename: str, pdf_url: str, back_url: str) -> Any:
    """The report as HTML, or as a PDF download with ``?format=pdf``."""
    if request.args.get("format") == "pdf":
        html = report.render_html(data, lang=_lang())
        response = Response(report.render_pdf(html), mimetype="application/pdf")
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return report.render_html(data, lang=_lang(), pdf_url=pdf_url, back_url=back_url)


@bp.get("/verslag/")
def library_report():  # type: ignore[no-untyped-def]
    day = date_arg("as_of", dt.date.today())
    return _answer(
        report.library_report(current_workspace(), as_of=day),
        "bibliotheek.pdf",
        url_for("verslag.library_report", as_of=day.isoformat(), format="pdf"),
        url_for("main.index"),
    )


@bp.get("/communities/<community_id>/verslag")
def community_report(community_id: str):  # type: ignore[no-untyped-def]
    if current_workspace().get_node(community_id).kind is not NodeKind.COMMUNITY:
        abort(404)
    day = date_arg("as_of", dt.date.today())
    return _answer(
        report.community_report(current_workspace(), community_id, as_of=day),
        "verslag.pdf",
        url_for(
            "verslag.community_report",
            community_id=community_id,
            as_of=day.isoformat(),
            format="pdf",
        ),
        url_for("aandeslag.page", community_id=community_id),
    )


@bp.get("/api/report")
def report_api():  # type: ignore[no-untyped-def]
    """The report's figures as JSON: ``?community=ID`` for one, else every community."""
    day = date_arg("as_of", dt.date.today())
    ws = current_workspace()
    ref = request.args.get("community")
    reports = (
        [report.community_report(ws, ref, as_of=day)]
        if ref
        else report.library_report(ws, as_of=day)["communities"]
    )
    return jsonify([report.summary(r) for r in reports])
