"""*Aan de slag*: running a community — working agreements, contact person and meeting rhythm,
platform and outcomes, measurement moments with the evaluation of the cooperation, the pulse,
and the content calendar (month view and ``.ics`` feed).

Thin views over :mod:`mapper.workplan`, :mod:`mapper.content_calendar` and
:mod:`mapper.analysis.pulse`. Every change is a POST with its CSRF token, written through the
store (a new version of the community node), followed by a redirect; a form with an error is
shown again with what was typed in it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    render_template,
    request,
    url_for,
)
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from mapper import communities as com
from mapper import content_calendar as cc
from mapper import workplan
from mapper.analysis.goals import community_goals, goal_progress_series
from mapper.analysis.pulse import RUN_MONTHS, THRESHOLD, pulling_alone, pulse
from mapper.i18n import format_date as format_month_date
from mapper.i18n import format_percent
from mapper.model import Node, NodeKind, add_months
from mapper.svg_charts import bar_chart
from mapper.team import due_this_month

from . import aandeslag_forms as forms
from .community_pages import calendar_owners, history_around
from .dates import EARLIEST_DAY, LATEST_DAY, date_arg
from .db import current_workspace
from .forms import handle

bp = Blueprint("aandeslag", __name__)

NAV: list[tuple[str, Any]] = []

STATUS_LABELS = {
    "met": _l("met"),
    "on_track": _l("on track"),
    "behind": _l("behind"),
    "missed": _l("missed"),
    "unmeasured": _l("not measured yet"),
}


# --------------------------------------------------------------------------- helpers


def load(community_id: str) -> Node:
    node = current_workspace().get_node(community_id)  # NotFoundError → 404
    if node.kind is not NodeKind.COMMUNITY:
        abort(404)
    return node


def history_graph(node: Node) -> Any:
    """The history around the community (:func:`web.community_pages.history_around`, as the
    community page reads it): from the shared projection, kept per snapshot, not the whole
    history read from the database (a page builds several forms and blocks from it)."""
    return history_around([node.id], calendar_owners(node))


def pick(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, str(label)) for value, label in pairs]


def people_choices(node: Node, *, kinds: tuple[NodeKind, ...], blank: bool = True) -> list:
    """Staff first, then the community's current members (and partner organisations)."""
    ws = current_workspace()
    G = history_graph(node)
    profile = com.profile(G, node.id, as_of=dt.date.today())
    pairs: list[tuple[str, str]] = [("", _("(nobody)"))] if blank else []
    if NodeKind.STAFF in kinds:
        staff = sorted(ws.nodes(kind=NodeKind.STAFF), key=lambda n: n.name.casefold())
        pairs += [(n.id, _("%(name)s (library)", name=n.name)) for n in staff]
    rows = profile["members"] + (profile["organisations"] if NodeKind.ORGANISATION in kinds else [])
    pairs += [(m["id"], m["name"]) for m in rows if m["current"]]
    return pick(pairs)


def channel_choices(blank: bool = True) -> list:
    ws = current_workspace()
    channels = sorted(ws.nodes(kind=NodeKind.CHANNEL), key=lambda n: n.name.casefold())
    return pick(([("", _("(none)"))] if blank else []) + [(n.id, n.name) for n in channels])


def names_of(ids: set[str]) -> dict[str, str]:
    found = current_workspace().get_nodes(i for i in ids if i)
    return {n.id: n.name for n in found.values()}


def page_url(node: Node, anchor: str) -> str:
    return url_for("aandeslag.page", community_id=node.id) + anchor


# --------------------------------------------------------------------------- the page


def page_forms(node: Node) -> dict[str, Any]:
    today = dt.date.today()
    agreement = forms.AgreementForm(prefix="agreement")
    agreement.who.choices = people_choices(node, kinds=tuple(workplan.PEOPLE_KINDS))
    if not agreement.since.data:
        agreement.since.data = today
    s = workplan.settings(node)
    settings = forms.SettingsForm(prefix="settings")
    settings.contact_person.choices = people_choices(node, kinds=(NodeKind.STAFF, NodeKind.PERSON))
    settings.platform.choices = channel_choices()
    if not any(key.startswith("settings-") for key in request.form):  # not the one posted
        settings.contact_person.data = s.get("contact_person") or ""
        settings.platform.data = s.get("platform") or ""
        settings.meeting_rhythm.data = s.get("meeting_rhythm") or ""
        settings.outcomes_place.data = s.get("outcomes_place") or ""
    checkpoint = forms.CheckpointForm(prefix="checkpoint")
    goals = community_goals(history_graph(node), node.id)
    checkpoint.goals.choices = pick([(g.id, g.name) for g in goals])
    outcome = forms.OutcomeForm(prefix="outcome")
    if not outcome.date.data:
        outcome.date.data = today
    return {
        "agreement": agreement,
        "settings": settings,
        "checkpoint": checkpoint,
        "outcome": outcome,
    }


def evaluation_form(checkpoint_id: str) -> forms.EvaluationForm:
    form = forms.EvaluationForm(prefix=f"ev-{checkpoint_id}")
    form.score.choices = pick([(k, str(v)) for k, v in forms.SCORE_LABELS.items()])
    if not form.date.data:
        form.date.data = dt.date.today()
    if not form.score.data or form.score.data == "None":
        form.score.data = "3"
    return form


def format_month(month: dt.date) -> str:
    """A month the reader's way: ``nov 2026``."""
    return format_month_date(month, "MMM yyyy")


def pulse_block(history: Any, node: Node, day: dt.date) -> dict[str, Any]:
    points = pulse(history, node.id, as_of=day, calendar=workplan.records(node, "calendar"))
    chart = bar_chart(
        [format_month(p["month"]) for p in points],
        [p["library_share"] for p in points],
        title=_("The library's share of what happened, per month"),
        id="pulse-chart",
        muted=[p["startup"] for p in points],
        references=[(format_percent(THRESHOLD), THRESHOLD)],
        legend=_("the library's share"),
        muted_legend=_("start-up year"),
    )
    return {
        "points": points,
        "chart": chart,
        "alone": pulling_alone(points),
        "startup": any(p["startup"] for p in points),
        "threshold": format_percent(THRESHOLD),
        "run": RUN_MONTHS,
    }


def render_page(node: Node, overrides: dict[str, Any] | None = None, status: int = 200) -> Any:
    day = date_arg("as_of", dt.date.today())
    history = history_graph(node)
    page = page_forms(node)
    page.update(overrides or {})
    agreements = workplan.records(node, "agreements")
    checkpoints = workplan.records(node, "checkpoints")
    outcomes = workplan.records(node, "outcomes")
    s = workplan.settings(node)
    names = names_of(
        {a.get("who") or "" for a in agreements}
        | {s.get("contact_person") or "", s.get("platform") or ""}
    )
    goals = {g.id: g for g in community_goals(history, node.id)}
    evaluations = {}
    for cp in checkpoints:
        key = f"ev-{cp['id']}"
        evaluations[cp["id"]] = page.get(key) or evaluation_form(cp["id"])
        day_cp = dt.date.fromisoformat(cp["date"])
        measured = [goals[g] for g in cp["goals"] if g in goals]
        cp["progress"] = [
            {"goal": goal, "now": goal_progress_series(history, goal, [day_cp])[0]}
            for goal in measured
            if goal.start is None or goal.start <= day_cp
        ]
    end_forms = {}
    for a in agreements:
        form = page.get(f"end-{a['id']}") or forms.EndAgreementForm(prefix=f"end-{a['id']}")
        if not form.on.data:
            form.on.data = dt.date.today()
        end_forms[a["id"]] = form
    current = {a["id"] for a in workplan.current_agreements(node, day)}
    return (
        render_template(
            "aandeslag/page.html",
            node=node,
            day=day,
            agreements=agreements,
            current=current,
            hours=sum(a.get("hours") or 0 for a in agreements if a["id"] in current),
            settings=s,
            names=names,
            checkpoints=checkpoints,
            outcomes=outcomes,
            evaluations=evaluations,
            end_forms=end_forms,
            forms=page,
            pulse=pulse_block(history, node, day),
            status_labels=STATUS_LABELS,
            score_labels=forms.SCORE_LABELS,
            today=dt.date.today().isoformat(),
        ),
        status,
    )


@bp.get("/communities/<community_id>/aan-de-slag")
def page(community_id: str):  # type: ignore[no-untyped-def]
    return render_page(load(community_id))


def _post(node: Node, form: FlaskForm, name: str, anchor: str, write: Any, done: str) -> Any:
    """Validate ``form``; write; redirect on success, else show the page again with it (as
    ``name``, with what was typed and its message; :func:`web.forms.handle`)."""
    return handle(
        form,
        write,
        again=lambda: render_page(node, {name: form}),
        success=page_url(node, anchor),
        message=done,
    )


@bp.post("/communities/<community_id>/aan-de-slag/agreements")
def add_agreement(community_id: str):  # type: ignore[no-untyped-def]
    node = load(community_id)
    form = page_forms(node)["agreement"]
    return _post(
        node,
        form,
        "agreement",
        "#agreements",
        lambda: workplan.add_record(
            current_workspace(),
            node.id,
            "agreements",
            {
                "task": form.task.data,
                "who": form.who.data,
                "hours": form.hours.data,
                "since": form.since.data,
            },
        ),
        _("Agreement added."),
    )


@bp.post("/communities/<community_id>/aan-de-slag/agreements/<record_id>/end")
def end_agreement(community_id: str, record_id: str):  # type: ignore[no-untyped-def]
    node = load(community_id)
    workplan.record(node, "agreements", record_id)  # NotFoundError → 404
    form = forms.EndAgreementForm(prefix=f"end-{record_id}")
    return _post(
        node,
        form,
        f"end-{record_id}",
        "#agreements",
        lambda: workplan.end_agreement(current_workspace(), node.id, record_id, on=form.on.data),
        _("Agreement ended."),
    )


@bp.post("/communities/<community_id>/aan-de-slag/settings")
def save_settings(community_id: str):  # type: ignore[no-untyped-def]
    node = load(community_id)
    form = page_forms(node)["settings"]
    return _post(
        node,
        form,
        "settings",
        "#agreements",
        lambda: workplan.set_settings(
            current_workspace(),
            node.id,
            {
                "contact_person": form.contact_person.data,
                "meeting_rhythm": form.meeting_rhythm.data,
                "platform": form.platform.data,
                "outcomes_place": form.outcomes_place.data,
            },
        ),
        _("Saved."),
    )


@bp.post("/communities/<community_id>/aan-de-slag/checkpoints")
def add_checkpoint(community_id: str):  # type: ignore[no-untyped-def]
    node = load(community_id)
    form = page_forms(node)["checkpoint"]
    return _post(
        node,
        form,
        "checkpoint",
        "#checkpoints",
        lambda: workplan.add_record(
            current_workspace(),
            node.id,
            "checkpoints",
            {"date": form.date.data, "goals": form.goals.data, "how": form.how.data},
        ),
        _("Measurement moment planned."),
    )


@bp.post("/communities/<community_id>/aan-de-slag/checkpoints/<record_id>/evaluation")
def evaluate(community_id: str, record_id: str):  # type: ignore[no-untyped-def]
    node = load(community_id)
    workplan.record(node, "checkpoints", record_id)  # NotFoundError → 404
    form = evaluation_form(record_id)
    return _post(
        node,
        form,
        f"ev-{record_id}",
        f"#checkpoint-{record_id}",
        lambda: workplan.evaluate(
            current_workspace(),
            node.id,
            record_id,
            {
                "date": form.date.data,
                "went_well": form.went_well.data,
                "to_change": form.to_change.data,
                "partners_view": form.partners_view.data,
                "score": form.score.data,
            },
        ),
        _("Evaluation saved."),
    )


@bp.post("/communities/<community_id>/aan-de-slag/outcomes")
def add_outcome(community_id: str):  # type: ignore[no-untyped-def]
    node = load(community_id)
    form = page_forms(node)["outcome"]
    return _post(
        node,
        form,
        "outcome",
        "#outcomes",
        lambda: workplan.add_record(
            current_workspace(),
            node.id,
            "outcomes",
            {
                "what": form.what.data,
                "date": form.date.data,
                "where": form.where.data,
                "link": form.link.data,
            },
        ),
        _("Outcome added."),
    )


# --------------------------------------------------------------------------- calendar


def month_arg() -> dt.date:
    raw = (request.args.get("month") or "").strip()
    if raw:
        try:
            return dt.date.fromisoformat(f"{raw}-01")
        except ValueError:
            flash(_("%(value)s is not a month (use YYYY-MM).", value=raw), "error")
    return dt.date.today().replace(day=1)


def content_form(node: Node) -> forms.ContentForm:
    form = forms.ContentForm(prefix="content")
    form.kind.choices = pick([(k, str(v)) for k, v in forms.CONTENT_KIND_LABELS.items()])
    form.status.choices = pick([(k, str(v)) for k, v in forms.CONTENT_STATUS_LABELS.items()])
    form.channel.choices = channel_choices()
    form.owner.choices = people_choices(node, kinds=tuple(workplan.PEOPLE_KINDS))
    return form


def render_calendar(node: Node, form: forms.ContentForm | None = None, status: int = 200) -> Any:
    ws = current_workspace()
    month = month_arg()
    items = cc.community_items(ws, node)
    form = form or content_form(node)
    if not form.date.data:
        form.date.data = (
            max(month, dt.date.today()) if month.month == dt.date.today().month else month
        )
    status_forms = {}
    for item in cc.in_month(items, month):
        sf = forms.ContentStatusForm(prefix=f"st-{item['id']}")
        sf.status.choices = pick([(k, str(v)) for k, v in forms.CONTENT_STATUS_LABELS.items()])
        sf.status.data = "done" if item.get("status") == "planned" else "planned"
        status_forms[item["id"]] = sf
    return (
        render_template(
            "aandeslag/calendar.html",
            node=node,
            month=month,
            month_name=format_date(month, "LLLL y"),
            prev=add_months(month, -1).strftime("%Y-%m"),
            next=add_months(month, 1).strftime("%Y-%m"),
            weeks=cc.month_grid(month, items),
            items=cc.in_month(items, month),
            form=form,
            status_forms=status_forms,
            kind_labels=forms.CONTENT_KIND_LABELS,
            status_labels=forms.CONTENT_STATUS_LABELS,
        ),
        status,
    )


@bp.get("/communities/<community_id>/kalender")
def calendar(community_id: str):  # type: ignore[no-untyped-def]
    return render_calendar(load(community_id))


@bp.post("/communities/<community_id>/kalender")
def add_content(community_id: str):  # type: ignore[no-untyped-def]
    node = load(community_id)
    form = content_form(node)
    return handle(
        form,
        lambda: workplan.add_record(
            current_workspace(),
            node.id,
            "calendar",
            {
                "title": form.title.data,
                "kind": form.kind.data,
                "date": form.date.data,
                "channel": form.channel.data,
                "owner": form.owner.data,
                "status": form.status.data,
            },
        ),
        again=lambda: render_calendar(node, form),
        success=lambda _record: url_for(
            "aandeslag.calendar", community_id=node.id, month=form.date.data.strftime("%Y-%m")
        ),
        message=_("Added to the content calendar."),
    )


@bp.post("/communities/<community_id>/kalender/<record_id>/status")
def content_status(community_id: str, record_id: str):  # type: ignore[no-untyped-def]
    node = load(community_id)
    item = workplan.record(node, "calendar", record_id)  # NotFoundError → 404
    form = forms.ContentStatusForm(prefix=f"st-{record_id}")
    form.status.choices = pick([(k, str(v)) for k, v in forms.CONTENT_STATUS_LABELS.items()])
    month = item["date"][:7]
    return handle(
        form,
        lambda: workplan.update_record(
            current_workspace(), node.id, "calendar", record_id, {"status": form.status.data}
        ),
        again=lambda: render_calendar(node),
        success=url_for("aandeslag.calendar", community_id=node.id, month=month),
        message=_("Status changed."),
    )


def ics_response(data: bytes, filename: str) -> Response:
    response = Response(data, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/communities/<community_id>/kalender.ics")
def calendar_ics(community_id: str):  # type: ignore[no-untyped-def]
    node = load(community_id)
    items = cc.community_items(current_workspace(), node)
    data = cc.to_ical(f"Contentkalender {node.name}", items)
    return ics_response(data, "kalender.ics")


@bp.get("/api/communities/<community_id>/calendar")
def calendar_api(community_id: str):  # type: ignore[no-untyped-def]
    node = load(community_id)
    return jsonify(cc.community_items(current_workspace(), node))


# --------------------------------------------------------------------------- on other pages


@bp.app_template_global("aandeslag_panel")
def community_panel(community_id: str, day: dt.date | None = None) -> dict[str, Any]:
    """What the community page shows beside the three roles: the working agreements in
    force, the contact person, the meeting rhythm, and whether the library pulls alone."""
    ws = current_workspace()
    node = ws.get_node(community_id)
    day = day or dt.date.today()
    agreements = workplan.current_agreements(node, day)
    s = workplan.settings(node)
    names = names_of({a.get("who") or "" for a in agreements} | {s.get("contact_person") or ""})
    calendar = workplan.records(node, "calendar")
    # read around this community only, once per request (shared with the community page)
    history = history_around([community_id], calendar_owners(node))
    points = pulse(history, node.id, as_of=day, calendar=calendar)
    return {
        "agreements": agreements,
        "names": names,
        "contact": names.get(s.get("contact_person") or ""),
        "rhythm": s.get("meeting_rhythm"),
        "alone": pulling_alone(points),
        "hours": sum(a.get("hours") or 0 for a in agreements),
    }


@bp.app_template_global("aandeslag_due")
def due_list(day: dt.date | None = None) -> list[dict[str, Any]]:
    """The measurement moments due this month, for the overview ("deze maand meten: …")."""
    if day is None:
        raw = request.args.get("as_of") or ""
        try:
            day = dt.date.fromisoformat(raw) if raw else dt.date.today()
        except ValueError:
            day = dt.date.today()
        day = min(max(day, EARLIEST_DAY), LATEST_DAY)  # the page itself says so (date_arg)
    return due_this_month(current_workspace(), as_of=day)
