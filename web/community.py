"""A community over time (werkblad 4 and 6, "aan de slag"): the community page with its
definition, members and the library's three roles; SMART goals with their progress;
connectedness charts (inline SVG, each with a table beside it); what changed between two
dates; a community map as of a date with a month step; and the readiness check.

Every page reads the workspace's history once (:func:`mapper.communities.load_history`) and
evaluates dates in memory. Every change is a Flask-WTF form posted to the server, written
through the store (so history is kept), and followed by a redirect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import networkx as nx
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, format_percent, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from mapper import communities as com
from mapper.analysis.community import (
    SHARE_METRICS,
    add_months,
    community_changes,
    community_start,
    connectedness,
    connectedness_series,
    series_dates,
)
from mapper.analysis.goals import (
    DIRECTIONS,
    GOAL_METRICS,
    MANUAL,
    add_measurement,
    check_goal_props,
    community_goals,
    goal_progress_series,
    smart_goal,
)
from mapper.analysis.readiness import QUESTIONS, SETTINGS_KEY, check_answers, readiness
from mapper.analysis.scan import library_bonds
from mapper.i18n import format_date
from mapper.maps import KIND_STYLES, legend, strength_legend, tie_legend
from mapper.model import BOND_TYPES, COMMUNITY_ROLES, MAX_COMMUNITY_STAFF, ROLES, NodeKind, RelKind

from . import maps as maps_web
from .community_charts import column, line_chart
from .dates import date_arg, month_links
from .db import current_workspace, get_graph
from .forms import handle

bp = Blueprint("community", __name__)

NAV = [
    ("community.index", _l("4–6 · Communities")),
    ("community.readiness_page", _l("Readiness check")),
]

#: How far back the charts go by default (months before ``to``).
DEFAULT_MONTHS = 24

ROLE_LABELS = {
    "builder": _l("builder"),
    "connector": _l("connector"),
    "driver": _l("driver"),
}
ROLE_HELP = {
    "builder": _l("builds the community up: members, activities, the online platform"),
    "connector": _l("connects people inside and outside the library"),
    "driver": _l("drives it forward: goals, measuring, evaluating"),
}
BOND_LABELS = {
    "geography": _l("geography (a place, a neighbourhood)"),
    "identity": _l("identity (who people are)"),
    "affinity": _l("affinity (what people like or do)"),
}
MEMBER_ROLE_LABELS = {
    "member": _l("member"),
    "ambassador": _l("ambassador"),
    "board": _l("board"),
    "volunteer": _l("volunteer"),
    "employee": _l("employee"),
    "founder": _l("founder"),
}
METRIC_LABELS = {
    "members": _l("Members"),
    "organisations": _l("Partner organisations"),
    "ties": _l("Ties among members"),
    "average_strength": _l("Average strength of those ties"),
    "density": _l("Density"),
    "components": _l("Separate groups"),
    "largest_component_share": _l("Share in the largest group"),
    "clustering": _l("Clustering"),
    "bonded": _l("Direct bond with the library"),
    "library_reach": _l("Within two steps of the library"),
    "ambassadors": _l("Ambassadors"),
    "activities_30d": _l("Activities, last 30 days"),
    "activities_90d": _l("Activities, last 90 days"),
    "activities_per_month": _l("Activities per month (last three months)"),
    "roles_filled": _l("Library roles filled"),
    "staff": _l("Library staff in a role"),
    "manual": _l("Measured by hand"),
}
METRIC_HELP = {
    "members": _l("People with a membership tie to the community on the day."),
    "ties": _l("Pairs of members who know each other."),
    "average_strength": _l(
        "The mean strength (0–1) of those ties; the strongest tie of a pair counts."
    ),
    "density": _l("The share of all member pairs that know each other."),
    "components": _l(
        "Groups of members not connected to each other; 1 means everyone is connected via via."
    ),
    "clustering": _l("How often two acquaintances of a member also know each other (0–1)."),
    "bonded": _l(
        "Members with a bond with the library or a staff member, or who know a staff member."
    ),
    "library_reach": _l(
        "Members with a direct bond, or who know (or belong to) someone who has one."
    ),
    "ambassadors": _l("Members whose membership has the role ambassador."),
    "activities_30d": _l("Sessions of activities organised by the community or its members."),
    "roles_filled": _l("Of builder, connector and driver."),
}
STATUS_LABELS = {
    "met": _l("met"),
    "on_track": _l("on track"),
    "behind": _l("behind"),
    "missed": _l("missed"),
    "unmeasured": _l("not measured yet"),
}
DIRECTION_LABELS = {"at_least": _l("at least"), "at_most": _l("at most")}
VERDICT_LABELS = {
    "go_ahead": _l("Most answers are yes: go ahead and start working with communities."),
    "not_yet": _l("Most answers are no: work on the building blocks below first."),
    "incomplete": _l("Not all questions are answered yet."),
}
CHANGE_LABELS = {
    "new_members": _l("New members"),
    "lost_members": _l("Members who left"),
    "new_ties": _l("New ties among members"),
    "lost_ties": _l("Ties that ended"),
    "newly_bonded": _l("Newly bonded with the library"),
    "lost_bonds": _l("Bond with the library lost"),
    "weaker": _l("Ties grown weaker"),
    "stronger": _l("Ties grown stronger"),
}
#: The charts on the community page: (title, metrics, share axis).
CHARTS: tuple[tuple[Any, tuple[str, ...], bool], ...] = (
    (_l("Members and ambassadors"), ("members", "ambassadors"), False),
    (_l("Ties among members"), ("ties",), False),
    (_l("Bond with the library"), ("bonded", "library_reach"), True),
    (_l("Density and clustering"), ("density", "clustering"), True),
    (_l("Average strength"), ("average_strength",), True),
    (_l("Separate groups"), ("components",), False),
    (_l("Activities"), ("activities_30d", "activities_90d"), False),
    (_l("Library roles filled"), ("roles_filled",), False),
)


# --------------------------------------------------------------------------- helpers


def lang() -> str:
    return str(get_locale() or "nl")


def fmt_value(metric: str, value: Any) -> str:
    """A metric's value for people: shares as percentages, in the page's language."""
    if value is None:
        return "–"
    if metric in SHARE_METRICS:
        return (
            format_percent(value, format="#,##0%")
            if metric not in ("density", "clustering")
            else format_decimal(value, format="0.00")
        )
    if metric == "average_strength":
        return format_decimal(value, format="0.00")
    if isinstance(value, float) and not value.is_integer():
        return format_decimal(value, format="#,##0.##")
    return format_decimal(value, format="#,##0")


def fmt_date(text: str | dt.date) -> str:
    day = text if isinstance(text, dt.date) else dt.date.fromisoformat(text)
    return format_date(day, "medium")


def load_community(community_id: str) -> tuple[Any, nx.MultiDiGraph]:
    ws = current_workspace()
    node = ws.get_node(community_id)  # NotFoundError → 404
    if node.kind is not NodeKind.COMMUNITY:
        abort(404)
    return node, com.load_history(ws)


def pick(pairs: Iterable[tuple[str, Any]]) -> list[SelectChoice]:
    """Choices for a select field (wtforms wants SelectChoice objects, not tuples)."""
    return [SelectChoice(value, str(label)) for value, label in pairs]


def options(kind: NodeKind, *, blank: Any = None) -> list[tuple[str, str]]:
    nodes = sorted(current_workspace().nodes(kind=kind), key=lambda n: (n.name.casefold(), n.id))
    choices = [(n.id, n.name) for n in nodes]
    return ([("", str(blank))] if blank is not None else []) + choices


def page_url(community_id: str, anchor: str = "") -> str:
    return url_for("community.page", community_id=community_id) + anchor


# --------------------------------------------------------------------------- forms


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class NewCommunityForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    bond_type = SelectField(_l("Primary bond"), choices=[])
    submit = SubmitField(_l("Add community"))


class DefinitionForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    bond_type = SelectField(_l("Primary bond"), choices=[])
    traits = TextAreaField(_l("Specific traits (one per line)"), validators=[Length(max=4000)])
    themes = MultiCheckboxField(_l("Themes"), choices=[])
    channels = MultiCheckboxField(_l("Channels where the community is active"), choices=[])
    goals = MultiCheckboxField(_l("Library goals it serves"), choices=[])
    own_goals = TextAreaField(_l("The community's own goals"), validators=[Length(max=4000)])
    norms = TextAreaField(_l("Norms and values"), validators=[Length(max=4000)])
    challenges = TextAreaField(_l("Challenges"), validators=[Length(max=4000)])
    vision = TextAreaField(_l("Shared vision"), validators=[Length(max=4000)])
    on = DateField(_l("Changed on"), validators=[InputRequired()])
    submit = SubmitField(_l("Save"))


class RoleForm(FlaskForm):
    staff = SelectField(_l("Staff member"), choices=[])
    on = DateField(_l("From"), validators=[InputRequired()])
    submit = SubmitField(_l("Save role"))


class MemberForm(FlaskForm):
    member = SelectField(_l("Person or organisation"), choices=[], validators=[DataRequired()])
    role = SelectField(_l("Role"), choices=[])
    since = DateField(_l("Joined on"), validators=[InputRequired()])
    submit = SubmitField(_l("Add member"))


class MemberChangeForm(FlaskForm):
    member = SelectField(_l("Member"), choices=[], validators=[DataRequired()])
    change = SelectField(_l("Change"), choices=[])
    on = DateField(_l("On"), validators=[InputRequired()])
    submit = SubmitField(_l("Record"))


class GoalForm(FlaskForm):
    name = StringField(_l("Goal"), validators=[DataRequired(), Length(max=200)])
    metric = SelectField(_l("What is measured"), choices=[])
    direction = SelectField(_l("Target"), choices=[])
    target = StringField(_l("Target value"), validators=[DataRequired(), Length(max=20)])
    deadline = DateField(_l("Deadline"), validators=[InputRequired()])
    start = DateField(_l("Set on"), validators=[InputRequired()])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Add SMART goal"))


class MeasurementForm(FlaskForm):
    date = DateField(_l("Date"), validators=[InputRequired()])
    value = StringField(_l("Value"), validators=[DataRequired(), Length(max=20)])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Add measurement"))


def readiness_form_class() -> type[FlaskForm]:
    class ReadinessForm(FlaskForm):
        submit = SubmitField(_l("Save answers"))

    for question in QUESTIONS:
        setattr(
            ReadinessForm,
            question.key,
            RadioField(
                question.nl if lang() == "nl" else question.en,
                choices=pick([("yes", _l("yes")), ("no", _l("no")), ("", _l("not answered"))]),
                default="",
                validate_choice=True,
            ),
        )
    return ReadinessForm


def _bond_choices() -> list[tuple[str, str]]:
    return [("", _("(not chosen)"))] + [(b, str(BOND_LABELS[b])) for b in BOND_TYPES]


# --------------------------------------------------------------------------- pages


def new_community_form() -> NewCommunityForm:
    form = NewCommunityForm()
    form.bond_type.choices = pick(_bond_choices())
    return form


@bp.get("/communities/")
def index():  # type: ignore[no-untyped-def]
    return render_index(new_community_form())


def render_index(form: NewCommunityForm) -> str:
    ws = current_workspace()
    history = com.load_history(ws)
    day = date_arg("as_of", dt.date.today())
    rows = []
    for node in com.communities(ws):
        point = connectedness(history, node.id, as_of=day)
        goals = community_goals(history, node.id)
        statuses = [goal_progress_series(history, g, [day])[0]["status"] for g in goals]
        rows.append(
            {"node": node, "point": point, "goals": len(goals), "goals_met": statuses.count("met")}
        )
    answers = ws.info.settings.get(SETTINGS_KEY) or {}
    check = readiness(answers.get("answers", {}) if isinstance(answers, dict) else {})
    return render_template(
        "community/index.html",
        rows=rows,
        day=day,
        form=form,
        check=check,
        verdicts=VERDICT_LABELS,
        fmt=fmt_value,
    )


@bp.post("/communities/")
def create():  # type: ignore[no-untyped-def]
    form = new_community_form()
    return handle(
        form,
        lambda: com.create_community(
            current_workspace(), form.name.data, bond_type=form.bond_type.data or None
        ),
        again=lambda: render_index(form),
        success=lambda node: page_url(node.id),
        message=lambda node: _("Community %(name)s added.", name=node.name),
    )


def chart_blocks(points: list[dict[str, Any]]) -> list[dict[str, Any]]:
    dates = [p["date"] for p in points]
    blocks = []
    for index, (title, metrics, share) in enumerate(CHARTS):
        first = metrics[0]
        chart = line_chart(
            dates,
            [(m, str(METRIC_LABELS[m]), column(points, m)) for m in metrics],
            share=share,
            whole=not share,  # counts: whole-number ticks
            fmt=lambda v, m=first: fmt_value(m, v),  # type: ignore[misc]
            date_label=fmt_date,
        )
        blocks.append(
            {
                "id": f"chart-{index}",
                "title": title,
                "metrics": metrics,
                "chart": chart,
                "help": [METRIC_HELP.get(m) for m in metrics if m in METRIC_HELP],
            }
        )
    return blocks


@bp.get("/communities/<community_id>")
def page(community_id: str):  # type: ignore[no-untyped-def]
    return render_page(community_id)


#: ``formdata=`` for a form shown fresh on a page whose other form was posted (so it does not
#: take that form's values: two forms here both have a field ``member``).
FRESH: dict[str, Any] = {"formdata": None}


def role_form(role: str, **fresh: Any) -> RoleForm:
    form = RoleForm(prefix=role, **fresh)
    form.staff.choices = pick([("", _("(nobody)"))] + options(NodeKind.STAFF))
    return form


def member_form(exclude: set[str] | frozenset[str] = frozenset(), **fresh: Any) -> MemberForm:
    """The form for someone who joined; ``exclude`` are the current members (not offered)."""
    form = MemberForm(**fresh)
    form.member.choices = pick(
        [
            (n.id, n.name)
            for kind in (NodeKind.PERSON, NodeKind.ORGANISATION)
            for n in sorted(
                current_workspace().nodes(kind=kind), key=lambda n: (n.name.casefold(), n.id)
            )
            if n.id not in exclude
        ]
    )
    form.role.choices = pick([(r, str(MEMBER_ROLE_LABELS[r])) for r in ROLES[RelKind.MEMBER_OF]])
    return form


def member_change_form(
    current: list[dict[str, Any]] | None = None, **fresh: Any
) -> MemberChangeForm:
    """The form for a member who left or changed role (``current``: the current members)."""
    form = MemberChangeForm(**fresh)
    if current is None:
        choices = options(NodeKind.PERSON) + options(NodeKind.ORGANISATION)
    else:
        choices = [(m["id"], m["name"]) for m in current]
    form.member.choices = pick(choices)
    form.change.choices = pick(change_choices())
    return form


def render_page(community_id: str, posted: dict[str, FlaskForm] | None = None) -> str:
    """The community page; ``posted`` holds a form that failed (by name: ``role:<role>``,
    ``member``, ``change``, ``goal``, ``measure:<goal id>``), shown with what was typed and
    its messages instead of a fresh one."""
    posted = posted or {}
    node, history = load_community(community_id)
    today = dt.date.today()
    day = date_arg("as_of", today)
    end = date_arg("to", day)
    first = community_start(history, community_id)
    default_start = (
        max(first, add_months(end, -DEFAULT_MONTHS))
        if first and first < end
        else add_months(end, -12)
    )
    start = date_arg("from", default_start)
    every = request.args.get("every", "month")
    if every not in ("month", "week"):
        flash(_("Step %(value)s is not month or week; showing months.", value=every), "error")
        every = "month"
    if start > end:
        flash(
            _(
                "The start %(start)s lies after the end %(end)s; showing 12 months.",
                start=format_date(start),
                end=format_date(end),
            ),
            "error",
        )
        start = add_months(end, -12)
    dates = series_dates(start, end, every=every)
    points = connectedness_series(history, community_id, dates)
    now = connectedness(history, community_id, as_of=day)
    profile = com.profile(history, community_id, as_of=day)
    goals = [
        goal_block(history, goal, day, posted.get(f"measure:{goal.id}"))
        for goal in community_goals(history, community_id)
    ]
    role_forms = {}
    for role in COMMUNITY_ROLES:
        form = posted.get(f"role:{role}")
        if form is None:
            form = role_form(role, **FRESH)
            holders = profile["roles"].get(role) or []
            form.staff.data = holders[0]["id"] if holders else ""
            form.on.data = today
        role_forms[role] = form
    current = [m for m in profile["members"] + profile["organisations"] if m["current"]]
    add_form = posted.get("member")
    if add_form is None:
        add_form = member_form({m["id"] for m in current}, **FRESH)
        add_form.since.data = today
    change_form = posted.get("change")
    if change_form is None:
        change_form = member_change_form(current, **FRESH)
        change_form.on.data = today
    # a community nobody has joined yet (not today, not ever): no charts of zeros, but a
    # sentence and the form to add someone
    empty = not profile["members"] and not profile["organisations"]
    return render_template(
        "community/page.html",
        node=node,
        day=day,
        now=now,
        profile=profile,
        points=points,
        charts=[] if empty else chart_blocks(points),
        empty=empty,
        start=start,
        end=end,
        every=every,
        goals=goals,
        role_forms=role_forms,
        member_form=add_form,
        change_form=change_form,
        goal_form=posted.get("goal") or new_goal_form(**FRESH),
        role_labels=ROLE_LABELS,
        role_help=ROLE_HELP,
        bond_labels=BOND_LABELS,
        member_role_labels=MEMBER_ROLE_LABELS,
        metric_labels=METRIC_LABELS,
        status_labels=STATUS_LABELS,
        direction_labels=DIRECTION_LABELS,
        max_staff=MAX_COMMUNITY_STAFF,
        fmt=fmt_value,
        month_links=month_links(day),
    )


def change_choices() -> list[tuple[str, str]]:
    return [
        ("leave", _("left the community")),
        ("ambassador", _("became an ambassador")),
        ("member", _("is an ordinary member again")),
    ]


def new_goal_form(**fresh: Any) -> GoalForm:
    form = GoalForm(prefix="goal", **fresh)
    form.metric.choices = pick([(m, str(METRIC_LABELS[m])) for m in GOAL_METRICS])
    form.direction.choices = pick([(d, str(DIRECTION_LABELS[d])) for d in DIRECTIONS])
    if not form.start.data and not form.start.raw_data:
        form.start.data = dt.date.today()
    return form


def measurement_form(goal_id: str, **fresh: Any) -> MeasurementForm:
    return MeasurementForm(prefix=f"m-{goal_id}", **fresh)


def goal_block(
    history: nx.MultiDiGraph, goal: Any, day: dt.date, form: FlaskForm | None = None
) -> dict[str, Any]:
    """A goal with its progress on ``day`` and its measurements from the start to then
    (``form``: its measurement form as posted, when that failed)."""
    start = goal.start or (goal.measurements[0].date if goal.measurements else day)
    last = max(min(day, goal.deadline), start)
    dates = series_dates(start, last) if start <= last else [day]
    *series, now = goal_progress_series(history, goal, [*dates, day])  # one sweep
    metric = goal.metric if goal.metric != MANUAL else "members"
    chart = line_chart(
        [p["date"] for p in series],
        [
            ("value", _("measured"), [p["value"] for p in series]),
            ("expected", _("on track from the start"), [p["expected"] for p in series]),
        ],
        share=goal.metric in SHARE_METRICS,
        fmt=lambda v: fmt_value(metric, v),
        date_label=fmt_date,
        references=[(_("target"), goal.target)],
    )
    if goal.manual and form is None:
        form = measurement_form(goal.id, **FRESH)
        form.date.data = dt.date.today()
    return {
        "goal": goal,
        "now": now,
        "series": series,
        "chart": chart,
        "form": form if goal.manual else None,
        "metric": metric,
    }


def definition_form() -> DefinitionForm:
    form = DefinitionForm()
    form.bond_type.choices = pick(_bond_choices())
    form.themes.choices = pick(options(NodeKind.THEME))
    form.channels.choices = pick(options(NodeKind.CHANNEL))
    form.goals.choices = pick(options(NodeKind.GOAL))
    return form


@bp.route("/communities/<community_id>/edit", methods=["GET", "POST"])
def edit(community_id: str):  # type: ignore[no-untyped-def]
    node, history = load_community(community_id)
    form = definition_form()
    if request.method == "POST":
        return handle(
            form,
            lambda: com.update_definition(
                current_workspace(),
                community_id,
                on=form.on.data,
                name=form.name.data,
                bond_type=form.bond_type.data or "",
                traits=(form.traits.data or "").splitlines(),
                texts={k: getattr(form, k).data for k in com.TEXT_PROPS},
                links={
                    "themes": form.themes.data,
                    "channels": form.channels.data,
                    "goals": form.goals.data,
                },
            ),
            again=lambda: render_template("community/edit.html", node=node, form=form),
            success=page_url(community_id, "#definition"),
            message=_("The definition of %(name)s is saved.", name=form.name.data),
        )
    profile = com.profile(history, community_id, as_of=dt.date.today())
    props = node.props
    form.name.data = node.name
    form.bond_type.data = props.get("bond_type") or ""
    form.traits.data = "\n".join(props.get("traits") or [])
    for key in com.TEXT_PROPS:
        getattr(form, key).data = props.get(key) or ""
    form.themes.data = [t["id"] for t in profile["themes"]]
    form.channels.data = [c["id"] for c in profile["channels"]]
    form.goals.data = [g["id"] for g in profile["goals"]]
    form.on.data = dt.date.today()
    return render_template("community/edit.html", node=node, form=form)


@bp.post("/communities/<community_id>/roles/<role>")
def set_role(community_id: str, role: str):  # type: ignore[no-untyped-def]
    load_community(community_id)
    if role not in COMMUNITY_ROLES:
        abort(404)
    form = role_form(role)
    return handle(
        form,
        lambda: com.set_role(
            current_workspace(), community_id, role, form.staff.data or None, on=form.on.data
        ),
        again=lambda: render_page(community_id, {f"role:{role}": form}),
        success=page_url(community_id, "#roles"),
        message=_("Role %(role)s saved.", role=ROLE_LABELS[role]),
        fields={"staff_id": "staff"},
    )


@bp.post("/communities/<community_id>/members")
def add_member(community_id: str):  # type: ignore[no-untyped-def]
    load_community(community_id)
    form = member_form()
    return handle(
        form,
        lambda: com.add_member(
            current_workspace(),
            community_id,
            form.member.data,
            since=form.since.data,
            role=form.role.data,
        ),
        again=lambda: render_page(community_id, {"member": form}),
        success=page_url(community_id, "#members"),
        message=_("Member added."),
        fields={"member_id": "member", "on": "since"},
    )


@bp.post("/communities/<community_id>/members/change")
def change_member(community_id: str):  # type: ignore[no-untyped-def]
    load_community(community_id)
    form = member_change_form()
    ws = current_workspace()

    def write() -> Any:
        if form.change.data == "leave":
            return com.end_member(ws, community_id, form.member.data, on=form.on.data)
        return com.set_member_role(
            ws, community_id, form.member.data, form.change.data, on=form.on.data
        )

    return handle(
        form,
        write,
        again=lambda: render_page(community_id, {"change": form}),
        success=page_url(community_id, "#members"),
        message=_("Change recorded."),
        fields={"member_id": "member", "role": "change"},
    )


@bp.post("/communities/<community_id>/goals")
def add_goal(community_id: str):  # type: ignore[no-untyped-def]
    load_community(community_id)
    form = new_goal_form()
    ws = current_workspace()

    def write() -> Any:
        props = check_goal_props(
            {
                "metric": form.metric.data,
                "target": form.target.data,
                "deadline": form.deadline.data,
                "direction": form.direction.data,
                "description": (form.description.data or "").strip() or None,
                **({"measurements": []} if form.metric.data == MANUAL else {}),
            }
        )
        props = {k: v for k, v in props.items() if v is not None}
        with ws.atomic():
            goal = ws.add_node(
                NodeKind.SMART_GOAL,
                form.name.data,
                props=props,
                since=form.start.data,
                origin="werkblad 6",
            )
            ws.add_tie(
                RelKind.PURSUES, community_id, goal.id, since=form.start.data, origin="werkblad 6"
            )
        return goal

    return handle(
        form,
        write,
        again=lambda: render_page(community_id, {"goal": form}),
        success=page_url(community_id, "#goals"),
        message=lambda goal: _("SMART goal %(name)s added.", name=goal.name),
    )


@bp.post("/goals/<goal_id>/measurements")
def add_goal_measurement(goal_id: str):  # type: ignore[no-untyped-def]
    ws = current_workspace()
    node = ws.get_node(goal_id)
    if node.kind is not NodeKind.SMART_GOAL:
        abort(404)
    history = com.load_history(ws)
    goal = smart_goal(history, goal_id)
    if goal.community is None:
        abort(404)
    community_id = goal.community
    if not goal.manual:
        flash(_("This goal is measured from the map; it takes no hand-entered values."), "error")
        return redirect(page_url(community_id, "#goals"))
    form = measurement_form(goal_id)

    def write() -> Any:
        props = add_measurement(node.props, form.date.data, form.value.data, form.note.data)
        return ws.update_node(goal_id, props={"measurements": props["measurements"]})

    return handle(
        form,
        write,
        again=lambda: render_page(community_id, {f"measure:{goal_id}": form}),
        success=page_url(community_id, f"#goal-{goal_id}"),
        message=_("Measurement added."),
    )


@bp.get("/communities/<community_id>/changes")
def changes(community_id: str):  # type: ignore[no-untyped-def]
    node, history = load_community(community_id)
    end = date_arg("to", dt.date.today())
    start = date_arg("from", add_months(end, -3))
    if start > end:
        flash(
            _(
                "The start %(start)s lies after the end %(end)s; they were swapped.",
                start=format_date(start),
                end=format_date(end),
            ),
            "error",
        )
        start, end = end, start
    described = com.describe(history, community_changes(history, community_id, start, end))
    before = connectedness(history, community_id, as_of=start)
    after = connectedness(history, community_id, as_of=end)
    return render_template(
        "community/changes.html",
        node=node,
        start=start,
        end=end,
        changes=described,
        labels=CHANGE_LABELS,
        before=before,
        after=after,
        metric_labels=METRIC_LABELS,
        fmt=fmt_value,
    )


def community_selection(graph: nx.MultiDiGraph, community_id: str) -> nx.MultiDiGraph:
    """The part of a projection drawn on the community map: the community, its members and
    partner organisations, the library staff in its roles or with a bond with a member, the
    library, and the ties among them."""
    keep = {community_id}
    for u, _v, d in graph.in_edges(community_id, data=True):
        if d.get("kind") in ("MEMBER_OF", "HAS_ROLE"):
            keep.add(u)
    for u, v, d in graph.edges(data=True):
        if d.get("kind") in ("BOND_WITH", "KNOWS") and (u in keep) != (v in keep):
            inside, outside = (u, v) if u in keep else (v, u)
            if graph.nodes[outside].get("kind") in ("Library", "Staff") and inside != community_id:
                keep.add(outside)
    return graph.subgraph(keep).copy()


@bp.get("/communities/<community_id>/map")
def community_map(community_id: str):  # type: ignore[no-untyped-def]
    ws = current_workspace()
    node = ws.get_node(community_id)
    if node.kind is not NodeKind.COMMUNITY:
        abort(404)
    day = date_arg("as_of", dt.date.today())
    graph = get_graph(day)
    missing = community_id not in graph
    data: dict[str, Any] = {}
    listed: list[Any] = []
    bonds: dict[Any, Any] = {}
    selection: nx.MultiDiGraph = nx.MultiDiGraph()
    if not missing:
        selection = community_selection(graph, community_id)
        bonds = library_bonds(graph, selection.nodes)
        data = maps_web.community_map(
            ws, graph, community_id, day, selection, community_selection, gettext=_, lang=lang()
        )
        listed = sorted(
            selection.nodes,
            key=lambda n: (
                str(selection.nodes[n].get("kind")),
                str(selection.nodes[n].get("name", n)).casefold(),
            ),
        )
    first = community_start(com.load_history(ws), community_id)
    months = []
    if first is not None:
        # the first link is the community's first day (the 1st of that month it did not exist
        # yet); then a link per month, the last one today
        months.append(first)
        cursor = add_months(first.replace(day=1), 1)
        while cursor <= dt.date.today():
            months.append(cursor)
            cursor = add_months(cursor, 1)
    point = connectedness(graph, community_id) if not missing else None
    return render_template(
        "community/map.html",
        node=node,
        day=day,
        data=data,
        selection=selection,
        listed=listed,
        bonds=bonds,
        missing=missing,
        month_links=month_links(day),
        months=months,
        point=point,
        legend=legend(
            _,
            kinds=[
                NodeKind.COMMUNITY,
                NodeKind.PERSON,
                NodeKind.ORGANISATION,
                NodeKind.STAFF,
                NodeKind.LIBRARY,
            ],
        ),
        strength_legend=strength_legend(lang()),
        tie_legend=tie_legend(_),
        styles=KIND_STYLES,
        fmt=fmt_value,
        metric_labels=METRIC_LABELS,
        last_day=add_months(dt.date.today(), -1),
    )


@bp.route("/readiness", methods=["GET", "POST"])
def readiness_page():  # type: ignore[no-untyped-def]
    ws = current_workspace()
    form = readiness_form_class()()
    stored = ws.info.settings.get(SETTINGS_KEY)
    saved = stored.get("answers", {}) if isinstance(stored, dict) else {}

    def write() -> None:
        answers = {
            q.key: {"yes": True, "no": False}.get(getattr(form, q.key).data) for q in QUESTIONS
        }
        ws.store.update_workspace(
            ws.slug,
            settings={
                SETTINGS_KEY: {
                    "answers": dict(check_answers(answers)),
                    "answered_on": dt.date.today().isoformat(),
                }
            },
        )

    def again() -> str:
        return render_template(
            "community/readiness.html",
            form=form,
            questions=QUESTIONS,
            result=readiness(saved),
            verdicts=VERDICT_LABELS,
            stored=stored or {},
            lang=lang(),
        )

    if request.method == "POST":
        return handle(
            form,
            write,
            again=again,
            success=url_for("community.readiness_page"),
            message=_("Your answers are saved."),
        )
    for q in QUESTIONS:
        value = saved.get(q.key)
        getattr(form, q.key).data = "" if value is None else ("yes" if value else "no")
    return again()
