"""What the edit area says and keeps: the messages for a change that cannot be made (in the
interface language, naming the field), the failed form kept in the session for the page the
redirect goes to, and the helpers the worksheets' forms read (tie choices, entities to pick).

No views: :mod:`web.edit` holds the ``edit`` blueprint and imports these.
"""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from mapper.errors import ConflictError, NotFoundError, ValidationError
from mapper.model import NodeKind, RelKind, strength_step
from mapper.services import edit
from mapper.services.edit import DETAIL_FIELDS, EditError, UnknownRef

from .auth import safe_next
from .db import current_workspace

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


def current_actor() -> str:
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
