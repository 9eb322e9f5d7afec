"""Privacy pages (AVG): review list, a person's privacy page, access export, erasure, and the
audit trail of the workspace.

Editors and admins reach these pages (viewers do not: the pages gather everything on a
person in one place); erasing needs the admin role. Every lookup goes through the current
workspace, so another workspace's ids are not found.

For other areas: ``{% include "privacy/_audit.html" %}`` on a page that has ``node`` shows
that entity's audit trail, and ``audit_entries(node_id)`` is available in every template.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from mapper.audit import action_text, actor_text, readable_rows, subject_text
from mapper.errors import NotFoundError
from mapper.io.cells import neutralise, strip_controls
from mapper.io.uploads import names_held
from mapper.model import NodeKind
from mapper.privacy import (
    DATA_SOURCE,
    DEFAULT_REVIEW_MONTHS,
    LAWFUL_BASES,
    LAWFUL_BASIS,
    REVIEW_MONTHS,
    access_export,
    export_html,
    export_json,
    forget_everywhere,
    lawful_basis_label,
    organisations_only,
    review_list,
)

from .auth import has_role, requires_role, select_choices
from .db import current_workspace, get_store

bp = Blueprint("privacy", __name__, url_prefix="/privacy")

AUDIT_PAGE = 500
ENTITY_AUDIT_LIMIT = 50
MAX_REVIEW_MONTHS = 240


def _lang() -> str:
    return str(get_locale() or "nl")


def _basis_choices() -> list[Any]:
    return select_choices(
        [("", _("— not recorded —"))] + [(code, lawful_basis_label(code)) for code in LAWFUL_BASES]
    )


class BasisForm(FlaskForm):
    lawful_basis = SelectField(_l("Lawful basis"), choices=[], validators=[Optional()])
    data_source = StringField(
        _l("Where the data came from"), validators=[Optional(), Length(max=500)]
    )
    submit = SubmitField(_l("Save"))


class EraseForm(FlaskForm):
    confirm = BooleanField(
        _l("Yes, erase this person and everything about them for good"),
        validators=[DataRequired()],
    )
    submit = SubmitField(_l("Erase for good"))


@bp.app_context_processor
def _audit_helpers() -> dict[str, Any]:
    def audit_entries(node_id: str, limit: int = ENTITY_AUDIT_LIMIT) -> list[Any]:
        try:
            return current_workspace().audit(entity=node_id, limit=limit)
        except NotFoundError:
            return []

    def last_contact_of(node_id: str) -> Any:
        try:
            return current_workspace().last_contact(node_id)
        except NotFoundError:
            return None

    return {
        "audit_entries": audit_entries,
        "last_contact_of": last_contact_of,
        # an audit entry in words (mapper.audit): what was done, what it concerns, who did it
        "audit_action_text": action_text,
        "audit_subject_text": subject_text,
        "audit_actor_text": actor_text,
        "lawful_basis_label": lawful_basis_label,
    }


def _node_or_404(node_id: str) -> Any:
    try:
        return current_workspace().get_node(node_id)
    except NotFoundError:
        abort(404)


# --------------------------------------------------------------------------- review list


@bp.get("/")
def index():  # type: ignore[no-untyped-def]
    ws = current_workspace()
    info = ws.info
    default = int(info.settings.get(REVIEW_MONTHS) or DEFAULT_REVIEW_MONTHS)
    months = request.args.get("months", type=int) or default
    months = max(1, min(months, MAX_REVIEW_MONTHS))
    items = review_list(get_store(), ws.slug, months=months)
    people = sum(1 for _ in ws.nodes(kind=NodeKind.PERSON))
    without_basis = [n for n in ws.nodes(kind=NodeKind.PERSON) if not n.props.get(LAWFUL_BASIS)]
    return render_template(
        "privacy/index.html",
        workspace=info,
        months=months,
        items=items,
        people=people,
        without_basis=without_basis,
        organisations_only=organisations_only(info.settings),
    )


# --------------------------------------------------------------------------- one person


@bp.get("/person/<node_id>")
def person(node_id: str):  # type: ignore[no-untyped-def]
    node = _node_or_404(node_id)
    ws = current_workspace()
    form = BasisForm()
    form.lawful_basis.choices = _basis_choices()
    form.lawful_basis.data = node.props.get(LAWFUL_BASIS) or ""
    form.data_source.data = node.props.get(DATA_SOURCE) or ""
    return render_template(
        "privacy/person.html",
        node=node,
        last_contact=ws.last_contact(node_id),
        ties=sum(1 for _ in ws.ties(node=node_id, history=True)),
        contacts=sum(1 for _ in ws.contacts(node=node_id)),
        form=form,
        can_erase=has_role("admin"),
    )


@bp.post("/person/<node_id>/basis")
def basis(node_id: str):  # type: ignore[no-untyped-def]
    _node_or_404(node_id)
    form = BasisForm()
    form.lawful_basis.choices = _basis_choices()
    if form.validate_on_submit():
        current_workspace().update_node(
            node_id,
            props={
                LAWFUL_BASIS: form.lawful_basis.data or None,
                DATA_SOURCE: (form.data_source.data or "").strip() or None,
            },
        )
        flash(_("Saved."), "success")
    else:
        flash(_("Choose a lawful basis from the list."), "error")
    return redirect(url_for("privacy.person", node_id=node_id))


def _download(body: str, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/person/<node_id>/export.json")
def export_person_json(node_id: str):  # type: ignore[no-untyped-def]
    _node_or_404(node_id)
    data = access_export(get_store(), current_workspace().slug, node_id)
    return _download(export_json(data), "application/json", f"inzage-{node_id}.json")


@bp.get("/person/<node_id>/export.html")
def export_person_html(node_id: str):  # type: ignore[no-untyped-def]
    _node_or_404(node_id)
    data = access_export(get_store(), current_workspace().slug, node_id)
    return _download(export_html(data, lang=_lang()), "text/html", f"inzage-{node_id}.html")


@bp.route("/person/<node_id>/erase", methods=["GET", "POST"])
@requires_role("admin")
def erase(node_id: str):  # type: ignore[no-untyped-def]
    node = _node_or_404(node_id)
    form = EraseForm()
    if form.validate_on_submit():
        ws = current_workspace()
        names = names_held(get_store(), ws.slug, node_id)
        forget_everywhere(get_store(), ws.slug, node_id)
        report = ws.erase_node(node_id)
        # Uploads waiting for their confirmation may hold the person too: they go as well.
        from .io import uploads

        purged = uploads().purge_mentions(names)
        flash(
            _(
                "Erased: %(versions)s versions, %(ties)s ties, %(contacts)s contact moments.",
                versions=report["versions"],
                ties=report["ties"],
                contacts=report["contacts"],
            ),
            "success",
        )
        if purged:
            flash(
                ngettext(
                    "%(num)d upload waiting to be imported named this person; it was deleted.",
                    "%(num)d uploads waiting to be imported named this person; they were deleted.",
                    purged,
                ),
                "success",
            )
        if not report["compacted"]:
            flash(
                _(
                    "The database file could not be compacted yet (the app is busy); it will be "
                    "at the next erasure, or run: mapper privacy compact"
                ),
                "error",
            )
        return redirect(url_for("privacy.index"))
    ws = current_workspace()
    return render_template(
        "privacy/erase.html",
        node=node,
        form=form,
        ties=sum(1 for _ in ws.ties(node=node_id, history=True)),
        contacts=sum(1 for _ in ws.contacts(node=node_id)),
    )


# --------------------------------------------------------------------------- audit trail


@bp.get("/audit")
def audit():  # type: ignore[no-untyped-def]
    ws = current_workspace()
    entries = ws.audit(limit=AUDIT_PAGE)
    return render_template(
        "privacy/audit.html", workspace=ws.info, entries=entries, limit=AUDIT_PAGE
    )


def _csv(rows: list[list[str]], filename: str) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        # A cell a spreadsheet would run as a formula is neutralised (mapper/io/cells.py).
        writer.writerow([neutralise(strip_controls(c)) for c in row])
    return _download("\ufeff" + buffer.getvalue(), "text/csv", filename)


@bp.get("/audit.csv")
def audit_csv():  # type: ignore[no-untyped-def]
    ws = current_workspace()
    return _csv(readable_rows(ws.audit()), f"logboek-{ws.slug}.csv")


@bp.get("/entity/<node_id>/audit.csv")
def entity_audit_csv(node_id: str):  # type: ignore[no-untyped-def]
    _node_or_404(node_id)
    return _csv(readable_rows(current_workspace().audit(entity=node_id)), f"logboek-{node_id}.csv")
