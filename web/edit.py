"""Making the map on the worksheets themselves: the forms of werkblad 1–3 and the entity page
post here, and every view is a thin call into :mod:`mapper.services.edit`.

Every change is a POST with its CSRF token (checked app-wide, see :mod:`web.auth`), made as
the logged-in person (the audit trail's actor), and followed by a redirect back to the page
it came from. A change that cannot be made keeps what was typed: the values and the message
(in the interface language, naming the field) are kept in the session for the page the
redirect goes to, which shows the message next to the field and jumps to the form (those
messages and that state are in :mod:`web.edit_state`).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from mapper.errors import MapperError, NotFoundError
from mapper.model import STRENGTH_STEPS, NodeKind, strength_step
from mapper.privacy import LAWFUL_BASES
from mapper.services import edit, quickadd
from mapper.services.edit import DETAIL_FIELDS, EditError, UnknownRef

from .db import current_workspace
from .edit_state import (
    DETAIL_LABELS,
    OP_LABELS,
    TIE_CHOICES,
    back,
    change_words,
    current_actor,
    details_from_form,
    done,
    edit_nodes,
    error_message,
    field,
    form_state,
    listed,
    node_choices,
    scan_ties,
)

bp = Blueprint("edit", __name__)


@bp.app_context_processor
def edit_helpers() -> dict[str, Any]:
    def edit_value(form_id: str, name: str, default: Any = "") -> Any:
        state = form_state()
        if state.get("form") == form_id:
            value = state["values"].get(name)
            if value is None:
                return "" if not isinstance(default, list) else []
            return value
        return default

    def edit_checked(form_id: str, name: str, value: str, default: bool = False) -> bool:
        state = form_state()
        if state.get("form") == form_id:
            got = state["values"].get(name)
            got = got if isinstance(got, list) else [got] if got is not None else []
            return value in got
        return default

    def edit_error(form_id: str, name: str | None = None) -> str | None:
        state = form_state()
        if state.get("form") != form_id:
            return None
        fields = set(state["values"])
        wanted = state.get("field")
        if name is None:  # the form's own message, when no field of it is to blame
            return state["message"] if wanted not in fields else None
        return state["message"] if wanted == name else None

    def edit_failed(form_id: str) -> bool:
        return form_state().get("form") == form_id

    def edit_failed_any(prefix: str) -> bool:
        return str(form_state().get("form") or "").startswith(prefix)

    def edit_failed_tie() -> str | None:
        """The tie whose change or end form failed on the previous request (its forms are
        shown again, with what was typed)."""
        form = str(form_state().get("form") or "")
        if not form.startswith("tie-"):
            return None
        tie_id = form[len("tie-") :]
        return tie_id[: -len("-end")] if tie_id.endswith("-end") else tie_id

    def recent_changes(entity: str | None = None) -> list[Any]:
        try:
            return edit.recent_changes(
                current_workspace(), g.get("actor") or current_actor(), entity=entity
            )
        except MapperError:
            return []

    return {
        "edit_value": edit_value,
        "edit_checked": edit_checked,
        "edit_error": edit_error,
        "edit_failed": edit_failed,
        "edit_failed_any": edit_failed_any,
        "edit_failed_tie": edit_failed_tie,
        "scan_ties": scan_ties,
        "recent_changes": recent_changes,
        "op_label": lambda op: str(OP_LABELS.get(op, op)),
        "detail_label": lambda key: str(DETAIL_LABELS.get(key, key)),
        "detail_fields": DETAIL_FIELDS,
        "strength_steps": STRENGTH_STEPS,
        "strength_step": strength_step,
        "lawful_bases": LAWFUL_BASES,
        "tie_choices": TIE_CHOICES,
        "edit_nodes": edit_nodes,
        "node_choices": node_choices,
    }


# --------------------------------------------------------------------------- entities


@bp.post("/edit/entities")
def add_entity():  # type: ignore[no-untyped-def]
    form_id = field("form_id") or "add-entity"
    ws = current_workspace()
    try:
        kind = edit.parse_kind(field("kind"))
        signal = field("signal_where")
        signal_text = (
            [f"{signal} ({field('signal_on')})" if field("signal_on") else signal] if signal else []
        )
        change = edit.add_entity(
            ws,
            kind,
            request.form.get("name", ""),
            details=details_from_form(kind),
            since=field("since") or None,
            origin=field("origin") or None,
            theme=field("theme") or None,
            theme_strength=field("theme_strength"),
            channels=listed("channels"),
            organises=listed("organises"),
            attends=listed("attends"),
            organisers=listed("organisers"),
            bond=request.form.get("bond") == "yes",
            bond_holder=field("bond_holder") or None,
            bond_strength=field("bond_strength"),
            library_theme=request.form.get("library_theme") == "yes",
            goals=listed("goals"),
            themes=listed("themes"),
            signals=signal_text,
        )
    except MapperError as exc:
        return back(form_id, exc)
    return done(change, form_id)


@bp.post("/edit/entities/<node_id>")
def update_entity(node_id: str):  # type: ignore[no-untyped-def]
    form_id = field("form_id") or "edit-entity"
    ws = current_workspace()
    node = ws.get_node(node_id)  # NotFoundError → 404
    try:
        change = edit.update_entity(
            ws,
            node_id,
            name=request.form.get("name", edit.UNSET),
            details=details_from_form(node.kind),
            since=field("since") if "since" in request.form else edit.UNSET,
            until=field("until") if "until" in request.form else edit.UNSET,
            origin=field("origin") if "origin" in request.form else edit.UNSET,
        )
    except MapperError as exc:
        return back(form_id, exc)
    return done(change, form_id)


@bp.post("/edit/entities/<node_id>/end")
def end_entity(node_id: str):  # type: ignore[no-untyped-def]
    form_id = field("form_id") or "end-entity"
    ws = current_workspace()
    ws.get_node(node_id)
    try:
        change = edit.end_entity(ws, node_id, on=field("on") or None)
    except MapperError as exc:
        return back(form_id, exc)
    return done(change, form_id)


@bp.post("/edit/themes/<node_id>/signals")
def add_signal(node_id: str):  # type: ignore[no-untyped-def]
    form_id = field("form_id") or "add-signal"
    ws = current_workspace()
    ws.get_node(node_id)
    try:
        change = edit.add_signal(ws, node_id, request.form.get("where", ""), on=field("on") or None)
    except MapperError as exc:
        return back(form_id, exc)
    return done(change, form_id)


@bp.post("/edit/signals")
def add_signal_for():  # type: ignore[no-untyped-def]
    """A signal for the theme chosen in the form (werkblad 2)."""
    form_id = field("form_id") or "add-signal"
    ws = current_workspace()
    try:
        theme = edit.resolve(ws, field("theme"), field="theme", kinds=[NodeKind.THEME])
        change = edit.add_signal(
            ws, theme.id, request.form.get("where", ""), on=field("on") or None
        )
    except MapperError as exc:
        return back(form_id, exc)
    return done(change, form_id)


@bp.post("/edit/themes/<node_id>/library")
def library_theme(node_id: str):  # type: ignore[no-untyped-def]
    form_id = field("form_id") or "library-theme"
    ws = current_workspace()
    ws.get_node(node_id)
    try:
        change = edit.set_library_theme(ws, node_id, request.form.get("works_on") == "yes")
    except MapperError as exc:
        return back(form_id, exc)
    return done(change, form_id)


# --------------------------------------------------------------------------- ties


@bp.post("/edit/ties")
def add_tie():  # type: ignore[no-untyped-def]
    form_id = field("form_id") or "add-tie"
    ws = current_workspace()
    try:
        change = edit.add_tie(
            ws,
            field("kind"),
            field("source"),
            field("target"),
            strength=field("strength"),
            since=field("since") or None,
            role=field("role") or None,
            origin=field("origin") or None,
        )
    except MapperError as exc:
        return back(form_id, exc)
    return done(change, form_id)


@bp.post("/edit/ties/<tie_id>")
def change_tie(tie_id: str):  # type: ignore[no-untyped-def]
    form_id = field("form_id") or f"tie-{tie_id}"
    ws = current_workspace()
    ws.get_tie(tie_id)
    try:
        change = edit.change_tie(
            ws,
            tie_id,
            on=field("on") or None,
            strength=field("strength") if "strength" in request.form else edit.UNSET,
            role=field("role") if "role" in request.form else edit.UNSET,
        )
    except MapperError as exc:
        return back(form_id, exc)
    return done(change, form_id)


@bp.post("/edit/ties/<tie_id>/end")
def end_tie(tie_id: str):  # type: ignore[no-untyped-def]
    form_id = field("form_id") or f"tie-{tie_id}"
    ws = current_workspace()
    ws.get_tie(tie_id)
    try:
        change = edit.end_tie(ws, tie_id, on=field("on") or None)
    except MapperError as exc:
        return back(form_id, exc)
    return done(change, form_id)


# --------------------------------------------------------------------------- undo


@bp.post("/edit/undo/<int:seq>")
def undo(seq: int):  # type: ignore[no-untyped-def]
    form_id = "recent-changes"
    try:
        change = edit.undo(current_workspace(), seq)
    except UnknownRef as exc:
        flash(error_message(exc), "error")
        return back(form_id)
    except NotFoundError:
        abort(404)
    except MapperError as exc:
        flash(error_message(exc), "error")
        return back(form_id)
    flash(_("Undone: %(label)s", label=change.label), "success")
    return back(form_id)


# --------------------------------------------------------------------------- quick-add


def _quick_kinds() -> list[tuple[str, str]]:
    from .views import kind_word

    kinds = [NodeKind.ORGANISATION, NodeKind.PERSON, NodeKind.ACTIVITY, NodeKind.CHANNEL]
    return [(k.value, kind_word(k)) for k in kinds]


@bp.route("/quick-add", methods=["GET", "POST"])
def quick_add():  # type: ignore[no-untyped-def]
    """Several names at once: check them (which exist already, which look like one that
    does), then add the chosen ones in one step."""
    ws = current_workspace()
    theme_id = (request.values.get("theme") or "").strip() or None
    theme = None
    if theme_id:
        theme = ws.get_node(theme_id)
    text = request.form.get("names", "")
    default_kind = request.form.get("default_kind") or NodeKind.ORGANISATION.value
    lines: list[quickadd.Line] = []
    error = None
    status = 200
    if request.method == "POST":
        try:
            lines = quickadd.check_lines(ws, text, default_kind=default_kind)
            if request.form.get("step") == "add":
                chosen = set(request.form.getlist("line"))
                picked = [
                    line
                    for line in lines
                    if str(line.number) in chosen
                    and line.status in (quickadd.NEW, quickadd.SIMILAR)
                ]
                change = quickadd.add_lines(ws, picked, theme=theme.id if theme else None)
                flash(_("Saved. %(change)s", change=change_words(change)), "success")
                target = (
                    url_for("main.scan", theme_id=theme.id) if theme else url_for("edit.quick_add")
                )
                return redirect(target + "#recent-changes")
            if not lines:
                raise EditError("nothing_chosen", "no names given", field="names")
        except MapperError as exc:
            error = error_message(exc)
            status = 400
    return (
        render_template(
            "edit/quick_add.html",
            theme=theme,
            text=text,
            lines=lines,
            error=error,
            kinds=_quick_kinds(),
            default_kind=default_kind,
            error_text=error_message,
            statuses={"new": quickadd.NEW, "exists": quickadd.EXISTS, "similar": quickadd.SIMILAR},
        ),
        status,
    )
