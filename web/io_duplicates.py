"""Duplicates in the import and export area: the pairs that look alike, both entities side by
side, the merge that keeps one, and undoing a recent merge (routes of the ``io`` blueprint,
:mod:`web.io`).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SubmitField
from wtforms.validators import DataRequired

from mapper.errors import MapperError
from mapper.io.matching import find_duplicates
from mapper.io.merging import compare
from mapper.labels import label

from .db import current_workspace
from .io import bp
from .io_words import kind_label


class MergeForm(FlaskForm):
    keep = HiddenField(validators=[DataRequired()])
    drop = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Merge"))


class UnmergeForm(FlaskForm):
    merge = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Undo"))


#: How many recent merges the duplicates page offers to undo.
RECENT_MERGES = 10


@bp.get("/duplicates")
def duplicates():  # type: ignore[no-untyped-def]
    ws = current_workspace()
    pairs = [
        {"a": a, "b": b, "reason": label(reason, "duplicate_reason")}
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
