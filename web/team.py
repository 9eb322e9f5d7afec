"""Het team: a page per staff member (roles, agreed hours, contacts and how warm, what is due)
and a team overview (who carries how much, communities without a full set of roles, staff
in more than they can carry). Thin over :mod:`mapper.team`; read-only."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, render_template
from flask_babel import lazy_gettext as _l

from mapper import content_calendar as cc
from mapper.model import NodeKind
from mapper.team import MAX_COMMUNITIES_PER_STAFF, MAX_HOURS_PER_MONTH, staff_summary, team_overview

from .aandeslag import ics_response
from .dates import date_arg
from .db import current_workspace

bp = Blueprint("team", __name__)

NAV = [("team.index", _l("The team"))]

ROLE_LABELS = {"builder": _l("builder"), "connector": _l("connector"), "driver": _l("driver")}


@bp.get("/team/")
def index():  # type: ignore[no-untyped-def]
    day = date_arg("as_of", dt.date.today())
    overview = team_overview(current_workspace(), as_of=day)
    return render_template(
        "aandeslag/team.html",
        overview=overview,
        day=day,
        role_labels=ROLE_LABELS,
        max_communities=MAX_COMMUNITIES_PER_STAFF,
        max_hours=MAX_HOURS_PER_MONTH,
    )


@bp.get("/team/<staff_id>")
def member(staff_id: str):  # type: ignore[no-untyped-def]
    ws = current_workspace()
    if ws.get_node(staff_id).kind is not NodeKind.STAFF:
        abort(404)
    day = date_arg("as_of", dt.date.today())
    return render_template(
        "aandeslag/staff.html",
        s=staff_summary(ws, staff_id, as_of=day),
        day=day,
        role_labels=ROLE_LABELS,
        max_communities=MAX_COMMUNITIES_PER_STAFF,
        max_hours=MAX_HOURS_PER_MONTH,
    )


@bp.get("/team/<staff_id>/kalender.ics")
def member_ics(staff_id: str):  # type: ignore[no-untyped-def]
    ws = current_workspace()
    node = ws.get_node(staff_id)
    if node.kind is not NodeKind.STAFF:
        abort(404)
    data = cc.to_ical(
        f"Contentkalender {node.name}",
        cc.staff_items(ws, staff_id),
        checkpoints=cc.staff_checkpoints(ws, staff_id),
    )
    return ics_response(data, "kalender.ics")
