"""A community over time (werkblad 4 and 6, "aan de slag"): the community page with its
definition, members and the library's three roles; SMART goals with their progress;
connectedness charts (inline SVG, each with a table beside it); what changed between two
dates; a community map as of a date with a month step; and the readiness check.

Every page reads the history of its communities once, around them
(:func:`mapper.community_history.community_history`: the members, their ties and the library's
bonds with them, not the whole workspace), and evaluates dates in memory. The member picker is
a search box (:func:`member_search` answers its suggestions; without JavaScript a GET search
shows the matches) and the member table is shown a page at a time, so a page's weight does not
grow with the workspace. Every change is a Flask-WTF form posted to the server, written
through the store (so history is kept), and followed by a redirect.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import networkx as nx
from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from mapper import communities as com
from mapper.analysis.community import (
    add_months,
    community_changes,
    community_start,
    connectedness,
    connectedness_series,
    series_dates,
)
from mapper.analysis.goals import (
    MANUAL,
    add_measurement,
    check_goal_props,
    community_goals,
    goal_progress_series,
    smart_goal,
)
from mapper.analysis.readiness import QUESTIONS, SETTINGS_KEY, check_answers, readiness
from mapper.community_history import community_history, goal_community
from mapper.i18n import format_date
from mapper.labels import label
from mapper.model import COMMUNITY_ROLES, MAX_COMMUNITY_STAFF, NodeKind, RelKind

from .community_forms import (
    FRESH,
    NewCommunityForm,
    definition_form,
    measurement_form,
    member_change_form,
    member_form,
    new_community_form,
    new_goal_form,
    readiness_form_class,
    role_form,
)
from .community_labels import (
    BOND_LABELS,
    CHANGE_LABELS,
    DEFAULT_MONTHS,
    DIRECTION_LABELS,
    MEMBER_ROLE_LABELS,
    METRIC_LABELS,
    ROLE_HELP,
    ROLE_LABELS,
    STATUS_LABELS,
    VERDICT_LABELS,
    fmt_value,
    lang,
)
from .community_map import community_map
from .community_pages import (
    SEARCH_LIMIT,
    calendar_owners,
    chart_blocks,
    current_member_ids,
    goal_block,
    history_around,
    member_matches,
    page_args,
    paginate,
    posted_member,
    whole_history,
)
from .dates import date_arg, month_links
from .db import current_workspace, derived
from .forms import handle

bp = Blueprint("community", __name__)
bp.get("/communities/<community_id>/map")(community_map)  # the view lives in community_map.py


NAV = [
    ("community.index", _l("4–6 · Communities")),
    ("community.readiness_page", _l("Readiness check")),
]


# --------------------------------------------------------------------------- helpers


def community_node(community_id: str) -> Any:
    """The community's node (404 when it is not a community of this workspace)."""
    node = current_workspace().get_node(community_id)  # NotFoundError → 404
    if node.kind is not NodeKind.COMMUNITY:
        abort(404)
    return node


def load_community(community_id: str) -> tuple[Any, nx.MultiDiGraph]:
    """The community's node and its history (read around it, not the whole workspace)."""
    node = community_node(community_id)
    return node, history_around([community_id], calendar_owners(node))


def page_url(community_id: str, anchor: str = "") -> str:
    return url_for("community.page", community_id=community_id) + anchor


# --------------------------------------------------------------------------- pages


@bp.get("/communities/")
def index():  # type: ignore[no-untyped-def]
    return render_index(new_community_form())


def render_index(form: NewCommunityForm) -> str:
    ws = current_workspace()
    nodes = com.communities(ws)
    day = date_arg("as_of", dt.date.today())
    figures = index_figures(tuple(n.id for n in nodes), day)
    rows = [{"node": node, **figures[node.id]} for node in nodes]
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


def index_figures(community_ids: tuple[str, ...], day: dt.date) -> dict[str, dict[str, Any]]:
    """Per community: its connectedness on ``day`` and its SMART goals (how many, how many
    met), kept with the history around them (:func:`web.db.derived`), which a write that
    touched none of it carries over to the next snapshot."""
    history = history_around(community_ids)

    def compute() -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for community_id in community_ids:
            goals = community_goals(history, community_id)
            statuses = [goal_progress_series(history, g, [day])[0]["status"] for g in goals]
            out[community_id] = {
                "point": connectedness(history, community_id, as_of=day),
                "goals": len(goals),
                "goals_met": statuses.count("met"),
            }
        return out

    return derived(("community-index", community_ids, day, dt.date.today()), compute, of=history)


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


@bp.get("/communities/<community_id>")
def page(community_id: str):  # type: ignore[no-untyped-def]
    return render_page(community_id)


@bp.get("/communities/<community_id>/member-search")
def member_search(community_id: str):  # type: ignore[no-untyped-def]
    """The member search box's suggestions: ``?q=`` part of a name, ``?limit=`` (at most
    :data:`SEARCH_LIMIT`); people and organisations of this workspace who are not members
    today, best match first, as JSON ``[{id, name, kind, kind_label}]``."""
    community_node(community_id)
    text = (request.args.get("q") or "").strip()[:200]
    limit = max(1, min(request.args.get("limit", SEARCH_LIMIT, type=int), SEARCH_LIMIT))
    exclude = current_member_ids(community_id, dt.date.today()) if text else set()
    return jsonify(
        [
            {"id": n.id, "name": n.name, "kind": n.kind.value, "kind_label": label(n.kind)}
            for n in member_matches(text, exclude, limit)
        ]
    )


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
    # the analyses, once per history around the community (carried over with it by a write
    # that touched none of it) for the same question: a second visitor gets them at once
    points, now, profile = derived(
        ("community-page", community_id, tuple(dates), day, today),
        lambda: (
            connectedness_series(history, community_id, dates),
            connectedness(history, community_id, as_of=day),
            com.profile(history, community_id, as_of=day),
        ),
        of=history,
    )
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
    query = (request.args.get("member_q") or "").strip()[:200]
    add_form = posted.get("member")
    if add_form is None:
        add_form = member_form(member_matches(query, {m["id"] for m in current}), **FRESH)
        add_form.since.data = today
    has_people = derived(
        ("has-people",),
        lambda: any(
            d.get("kind") in ("Person", "Organisation") for d in whole_history().nodes.values()
        ),
    )
    members_page = paginate(profile["members"], request.args.get("members_page"))
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
        member_query=query,
        has_people=has_people,
        members_page=members_page,
        page_args=page_args,
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
    community_node(community_id)
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
    community_node(community_id)
    form = member_form(posted_member())
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
    community_node(community_id)
    form = member_change_form([{"id": n.id, "name": n.name} for n in posted_member()])
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
    community_node(community_id)
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
    history = community_history(ws, goal_community(ws, goal_id))
    if goal_id not in history:  # a goal no community pursues
        abort(404)
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
