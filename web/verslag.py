"""Het verslag: the report of a community, or of the whole library, as a printable page and
as a PDF, for the management meeting and the municipality. Thin over :mod:`mapper.report`
(the same HTML in the browser and in the PDF)."""

from __future__ import annotations

import datetime as dt

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


def _community(community_id: str) -> None:
    if current_workspace().get_node(community_id).kind is not NodeKind.COMMUNITY:
        abort(404)


def _pdf(html: str, filename: str) -> Response:
    response = Response(report.render_pdf(html), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/verslag/")
def library_report():  # type: ignore[no-untyped-def]
    day = date_arg("as_of", dt.date.today())
    return report.render_html(
        report.library_report(current_workspace(), as_of=day),
        lang=_lang(),
        pdf_url=url_for("verslag.library_pdf", as_of=day.isoformat()),
        back_url=url_for("main.index"),
    )


@bp.get("/verslag/bibliotheek.pdf")
def library_pdf():  # type: ignore[no-untyped-def]
    day = date_arg("as_of", dt.date.today())
    html = report.render_html(report.library_report(current_workspace(), as_of=day), lang=_lang())
    return _pdf(html, "bibliotheek.pdf")


@bp.get("/communities/<community_id>/verslag")
def community_report(community_id: str):  # type: ignore[no-untyped-def]
    _community(community_id)
    day = date_arg("as_of", dt.date.today())
    data = report.community_report(current_workspace(), community_id, as_of=day)
    return report.render_html(
        data,
        lang=_lang(),
        pdf_url=url_for("verslag.community_pdf", community_id=community_id, as_of=day.isoformat()),
        back_url=url_for("aandeslag.page", community_id=community_id),
    )


@bp.get("/communities/<community_id>/verslag.pdf")
def community_pdf(community_id: str):  # type: ignore[no-untyped-def]
    _community(community_id)
    day = date_arg("as_of", dt.date.today())
    data = report.community_report(current_workspace(), community_id, as_of=day)
    return _pdf(report.render_html(data, lang=_lang()), "verslag.pdf")


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
