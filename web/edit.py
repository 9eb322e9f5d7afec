"""Making the map on the worksheets themselves: the forms of werkblad 1–3 and the entity page
post here, and every view is a thin call into :mod:`mapper.services.edit`.

Every change is a POST with its CSRF token (checked app-wide, see :mod:`web.auth`), made as
the logged-in person (the audit trail's actor), and followed by a redirect back to the page
it came from. A change that cannot be made keeps what was typed: the values and the message
(in the interface language, naming the field) are kept in the session for the page the
redirect goes to, which shows the message next to the field and jumps to the form.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from mapper.errors import ConflictError, MapperError, NotFoundError, ValidationError
from mapper.model import STRENGTH_STEPS, NodeKind, RelKind, strength_step
from mapper.privacy import LAWFUL_BASES
from mapper.services import edit, quickadd
from mapper.services.edit import DETAIL_FIELDS, EditError, UnknownRef

from .auth import safe_next
from .db import current_workspace

bp = Blueprint("edit", __name__)

#: Session key of the form that failed, with what was typed (see :func:`keep_form`).
STATE_KEY = "edit_form"
#: Typed text kept for a failed form is cut at this many characters per field.
MAX_KEPT = 2000

#: The message per error code of the edit service (English message ids).
CODE_MESSAGES: dict[str, Any] = {
    "organisations_only": _l(
        "This workspace keeps organisations only: people cannot be added here."
    ),
    "tie_kinds": _l("A tie “%(rel)s” cannot go between %(source)s and %(target)s."),
    "same_ends": _l("Choose two different points."),
    "ambiguous": _l("“%(value)s” names more than one entity: choose one (%(ids)s)."),
    "required": _l("Fill this in."),
    "mode": _l("Choose online or offline."),
    "lawful_basis": _l("Choose one of the lawful bases."),
    "tie_ended": _l("This tie ended already on %(day)s."),
    "entity_ended": _l("This ended already on %(day)s."),
    "before_since": _l("The end date lies before the start (%(day)s)."),
    "not_theme": _l("This is not a theme."),
    "undo_other": _l("Only the person who made a change can undo it."),
    "undo_late": _l("Only changes of the last hour can be undone."),
    "undo_done": _l("This change was undone already."),
    "undo_conflict": _l("%(label)s was changed again since; undo the later change first."),
    "nothing_chosen": _l("Choose at least one name to add."),
    "too_many_lines": _l("At most %(max)s names at once."),
    "name": _l("A name must not be empty or longer than 200 characters."),
    "bad_change": _l("This change is not known."),
}

#: The message per field, for what the store refuses (English message ids).
FIELD_MESSAGES: dict[str, Any] = {
    "name": _l("Give a name (at most 200 characters)."),
    "strength": _l("“%(value)s” is not a strength: choose one of the five steps."),
    "theme_strength": _l("“%(value)s” is not a strength: choose one of the five steps."),
    "bond_strength": _l("“%(value)s” is not a strength: choose one of the five steps."),
    "since": _l("“%(value)s” is not a date: use the date field (YYYY-MM-DD)."),
    "until": _l("“%(value)s” is not a date: use the date field (YYYY-MM-DD)."),
    "on": _l("“%(value)s” is not a date: use the date field (YYYY-MM-DD)."),
    "kind": _l("“%(value)s” is not a kind that fits here."),
    "role": _l("“%(value)s” is not a role this tie can have."),
    "lawful_basis": _l("Choose one of the lawful bases."),
}

#: What each change is called in the list of recent changes.
OP_LABELS: dict[str, Any] = {
    "add": _l("added"),
    "update": _l("changed"),
    "end": _l("ended"),
    "signal": _l("signal noted"),
    "tie": _l("tie added"),
    "change_tie": _l("tie changed"),
    "end_tie": _l("tie ended"),
    "library_theme": _l("marked as a theme of the library"),
    "not_library_theme": _l("no longer a theme of the library"),
    "quick_add": _l("added in one go"),
}

#: Words for the details (properties) a form offers.
DETAIL_LABELS: dict[str, Any] = {
    "description": _l("Description"),
    "neighbourhood": _l("Neighbourhood"),
    "job_title": _l("Job title"),
    "lawful_basis": _l("Lawful basis (GDPR)"),
    "data_source": _l("Source of the data"),
    "type": _l("Type"),
    "address": _l("Address"),
    "schedule": _l("When"),
    "place": _l("Place"),
    "frequency": _l("Frequency"),
    "mode": _l("Online or offline"),
    "medium": _l("Medium"),
    "policy_plan": _l("Policy plan"),
    "bond_type": _l("Bond type"),
    "traits": _l("Traits"),
    "vision": _l("Vision"),
    "town": _l("Town"),
}

#: Tie kinds a librarian picks from on the worksheets, in this order.
TIE_CHOICES: tuple[RelKind, ...] = (
    RelKind.KNOWS,
    RelKind.MEMBER_OF,
    RelKind.ACTIVE_ON,
    RelKind.ACTIVE_IN,
    RelKind.ORGANISES,
    RelKind.ATTENDS,
    RelKind.BOND_WITH,
    RelKind.ABOUT,
    RelKind.SERVES,
    RelKind.WORKS_AT,
    RelKind.PURSUES,
)


# --------------------------------------------------------------------------- messages


def error_message(exc: Exception) -> str:
    """The message for a refused change, in the interface language."""
    if isinstance(exc, EditError) and exc.code in CODE_MESSAGES:
        params = {"value": exc.value, **exc.params}
        if exc.code == "tie_kinds":
            from .views import kind_word, rel_word

            params.update(
                rel=rel_word(params["rel"]),
                source=kind_word(params["source"]),
                target=kind_word(params["target"]),
            )
        return str(CODE_MESSAGES[exc.code]) % {k: _text(v) for k, v in params.items()}
    if isinstance(exc, UnknownRef):
        text = _("“%(value)s” is not in this workspace.", value=_text(exc.value))
        if exc.suggestions:
            text += " " + _("Did you mean: %(names)s?", names=", ".join(exc.suggestions))
        return text
    if isinstance(exc, NotFoundError):
        return _("Not found: it may have been erased or merged.")
    if isinstance(exc, ConflictError):
        return _("Someone else changed this at the same time; try again.")
    if isinstance(exc, ValidationError):
        if exc.field in ("until", "on") and "before" in str(exc):
            return _("The end date lies before the start date.")
        if exc.field in FIELD_MESSAGES:
            return str(FIELD_MESSAGES[exc.field]) % {"value": _text(exc.value)}
        return _("Not saved: %(reason)s", reason=str(exc))
    return _("Not saved: %(reason)s", reason=str(exc))


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def error_field(exc: Exception) -> str | None:
    return getattr(exc, "field", None)


def change_words(change: edit.Change) -> str:
    return _(
        "%(what)s: %(label)s", what=str(OP_LABELS.get(change.op, change.op)), label=change.label
    )


# --------------------------------------------------------------------------- form state


def next_url(default: str | None = None) -> str:
    return safe_next(request.form.get("next")) or default or url_for("main.index")


def keep_form(form_id: str, exc: Exception) -> None:
    """Keep what was typed in the failed form, with its message, for the next page."""
    values: dict[str, Any] = {}
    for key in request.form:
        if key in ("csrf_token", "next"):
            continue
        items = [v[:MAX_KEPT] for v in request.form.getlist(key)]
        values[key] = items if len(items) > 1 or key.endswith("[]") else items[0]
    name = error_field(exc)
    if name and name not in values and f"detail_{name}" in values:
        name = f"detail_{name}"
    session[STATE_KEY] = {
        "form": form_id,
        "values": values,
        "field": name,
        "message": error_message(exc),
    }


def form_state() -> dict[str, Any]:
    """The failed form of the previous request (read once, kept for this request)."""
    if "edit_state" not in g:
        g.edit_state = session.pop(STATE_KEY, None) or {}
    return g.edit_state


def back(form_id: str, exc: Exception | None = None) -> Any:
    """Redirect to the page the form came from, jumping to the form."""
    if exc is not None:
        keep_form(form_id, exc)
    target = next_url()
    return redirect(f"{target.split('#')[0]}#{form_id}")


def done(change: edit.Change, form_id: str, target: str | None = None) -> Any:
    if change.seq is None:
        flash(_("Nothing changed."), "success")
    else:
        flash(_("Saved. %(change)s", change=change_words(change)), "success")
    destination = target or next_url()
    return redirect(f"{destination.split('#')[0]}#{form_id}")


def listed(name: str) -> list[str]:
    return [v.strip() for v in request.form.getlist(name) if v and v.strip()]


def field(name: str) -> str:
    return (request.form.get(name) or "").strip()


def details_from_form(kind: NodeKind) -> dict[str, Any]:
    keys = set(DETAIL_FIELDS.get(kind, ())) | {
        k[len("detail_") :] for k in request.form if k.startswith("detail_")
    }
    return {k: request.form.get(f"detail_{k}", "") for k in keys if f"detail_{k}" in request.form}


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
                current_workspace(), g.get("actor") or _actor(), entity=entity
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


def _actor() -> str:
    from mapper.audit import SYSTEM_ACTOR

    return current_workspace().store.actor or SYSTEM_ACTOR


def scan_ties(graph: Any, nodes: Any) -> list[dict[str, Any]]:
    """The ties between the points on a map, for its "change or end a tie" table, ordered
    by the names of their ends."""
    shown = set(nodes)
    out = []
    for u, v, key, data in graph.edges(keys=True, data=True):
        if u in shown and v in shown:
            out.append(
                {
                    "id": key,
                    "source": u,
                    "target": v,
                    "kind": data.get("kind"),
                    "strength": data.get("strength"),
                    "step": strength_step(data.get("strength")),
                }
            )

    def name(node: Any) -> str:
        return str(graph.nodes[node].get("name", node)).casefold()

    out.sort(key=lambda t: (name(t["source"]), str(t["kind"]), name(t["target"]), str(t["id"])))
    return out


def node_choices(nodes: Any) -> list[tuple[str, str]]:
    """``(id, "name (kind)")`` pairs for a select."""
    from .views import kind_word

    return [(n.id, f"{n.name} ({kind_word(n.kind)})") for n in nodes]


def edit_nodes(*kinds: str) -> list[Any]:
    """Entities of these kinds valid today, by name (for the forms' choices; read once per
    request and kind)."""
    import datetime as dt

    cache = g.setdefault("edit_nodes_cache", {})
    key = tuple(kinds)
    if key not in cache:
        nodes = current_workspace().nodes(kind=list(kinds) or None, as_of=dt.date.today())
        cache[key] = sorted(nodes, key=lambda n: (n.name.casefold(), n.id))
    return cache[key]


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
