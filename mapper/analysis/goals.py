"""SMART goals of a community (werkblad 6): a measurable quantity, a target and a deadline.

A goal is a ``SmartGoal`` node that its community ``PURSUES``. Its properties:

==============  ============================================================================
``metric``      what is measured: a key of :data:`GOAL_METRICS` — one of the connectedness
                metrics of :mod:`mapper.analysis.community` (``members``, ``ambassadors``,
                ``library_reach``, ``activities_90d``, …), ``activities_per_month``, or
                ``manual`` for a quantity the product cannot measure
``target``      the number to reach, in the metric's unit (shares as 0–1; a share target
                above 1 is read as a percentage: 60 means 0.6)
``deadline``    ISO date by which the target is to be reached
``direction``   ``at_least`` (default) or ``at_most``
``start``       ISO date the goal was set (default: the node's ``since``)
``measurements`` for ``manual`` goals: hand-entered ``{"date", "value", "note"}`` entries,
                shown as hand-entered; the latest one on or before a day is the value then
``description``, ``unit``  free text
==============  ============================================================================

Progress on a day is computed from the graph as of that day, never typed in:

* **met** — the value on the day reaches the target (``>=``, or ``<=`` for ``at_most``);
* **on_track** — not met, the deadline not passed, and the value is at least where a straight
  line from the value at the start to the target at the deadline says it should be by now;
* **behind** — not met, and below that line (or no start to draw it from);
* **missed** — the deadline has passed and the target was not met on the deadline; after the
  deadline the value *on the deadline* is what counts;
* **unmeasured** — a manual goal without any measurement yet.

Examples
--------
>>> goal = SmartGoal("sgl-1", "50 leden", "com-1", "members", 50, dt.date(2025, 12, 31),
...                  start=dt.date(2025, 1, 1))
>>> progress_status(goal, value=30, baseline=10, day=dt.date(2025, 7, 2))
'on_track'
>>> progress_status(goal, value=20, baseline=10, day=dt.date(2025, 7, 2))
'behind'
>>> progress_status(goal, value=50, baseline=10, day=dt.date(2025, 7, 2))
'met'
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import networkx as nx

from ..errors import NotFoundError, ValidationError
from ..i18n import N_, Message
from ..labels import label
from ..model import check_date
from .community import METRICS, SHARE_METRICS, connectedness_series

#: Status words of a goal's progress.
STATUSES: tuple[str, ...] = ("met", "on_track", "behind", "missed", "unmeasured")
#: Directions of a target.
DIRECTIONS: tuple[str, ...] = ("at_least", "at_most")
#: The metric of a goal tracked by hand-entered measurements.
MANUAL = "manual"
#: Metrics a goal can track: the connectedness metrics, derived ones, and ``manual``.
GOAL_METRICS: tuple[str, ...] = (
    *(m for m in METRICS if m not in ("roles_filled", "staff")),
    "activities_per_month",
    "roles_filled",
    MANUAL,
)
#: Derived metrics: name → (connectedness metric, divisor).
DERIVED: dict[str, tuple[str, float]] = {
    # "one activity a month": the average over the last three months (90 days), so that a
    # monthly activity on the 31st does not drop out of a 30-day window in February.
    "activities_per_month": ("activities_90d", 3.0),
}


@dataclass(frozen=True)
class Measurement:
    """A hand-entered value of a manual goal."""

    date: dt.date
    value: float
    note: str | None = None


@dataclass(frozen=True)
class SmartGoal:
    """A SMART goal as read from its node (see the module docstring)."""

    id: str
    name: str
    community: str | None
    metric: str
    target: float
    deadline: dt.date
    direction: str = "at_least"
    start: dt.date | None = None
    measurements: tuple[Measurement, ...] = field(default_factory=tuple)
    description: str | None = None

    @property
    def manual(self) -> bool:
        """True for a goal tracked by hand-entered measurements."""
        return self.metric == MANUAL

    def reached(self, value: float | None) -> bool:
        if value is None:
            return False
        return value >= self.target if self.direction == "at_least" else value <= self.target


#: The number fields of a goal as a person reads them in a message (English ids).
FIELD_LABELS: dict[str, str] = {"target": N_("the target"), "value": N_("the value")}


def _field(field: str) -> Message:
    return Message(FIELD_LABELS.get(field, field))


def check_goal_props(props: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a goal's properties and return them cleaned (dates as ISO text).

    Raises
    ------
    ValidationError
        Naming the bad value: an unknown metric or direction, a target that is not a number,
        a missing or bad deadline, a bad measurement.

    Examples
    --------
    >>> check_goal_props({"metric": "library_reach", "target": "60", "deadline": "2026-12-31"})
    {'metric': 'library_reach', 'target': 0.6, 'deadline': '2026-12-31', 'direction': 'at_least'}
    """
    out = dict(props)
    metric = str(props.get("metric") or "").strip()
    if metric not in GOAL_METRICS:
        raise ValidationError(
            "goal metric {given!r} is not one of {allowed}",
            field="metric",
            value=metric,
            given=metric,
            allowed=", ".join(GOAL_METRICS),
        )
    out["metric"] = metric
    out["target"] = _number(props.get("target"), field="target")
    if metric in SHARE_METRICS and out["target"] > 1:
        out["target"] = out["target"] / 100
        if out["target"] > 1:
            raise ValidationError(
                "the target {given!r} is more than 100%",
                field="target",
                value=props.get("target"),
                given=props.get("target"),
            )
    deadline = check_date(props.get("deadline"), field="deadline")
    if deadline is None:
        raise ValidationError("a SMART goal needs a deadline", field="deadline")
    out["deadline"] = deadline.isoformat()
    direction = props.get("direction") or "at_least"
    if direction not in DIRECTIONS:
        raise ValidationError(
            "direction {given!r} is not one of {allowed}",
            field="direction",
            value=direction,
            given=direction,
            allowed=", ".join(DIRECTIONS),
        )
    out["direction"] = direction
    if props.get("start"):
        out["start"] = check_date(props["start"], field="start").isoformat()  # type: ignore[union-attr]
    if "measurements" in props:
        out["measurements"] = [
            {"date": m.date.isoformat(), "value": m.value, **({"note": m.note} if m.note else {})}
            for m in _measurements(props["measurements"])
        ]
    return out


def _number(value: Any, *, field: str) -> float:
    if isinstance(value, bool) or value is None or value == "":
        raise ValidationError(
            "{name} {given!r} is not a number",
            field=field,
            value=value,
            name=_field(field),
            given=value,
        )
    try:
        number = float(str(value).replace(",", ".")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise ValidationError(
            "{name} {given!r} is not a number",
            field=field,
            value=value,
            name=_field(field),
            given=value,
        ) from None
    if math.isnan(number) or math.isinf(number) or number < 0:
        raise ValidationError(
            "{name} {given!r} is not a number of zero or more",
            field=field,
            value=value,
            name=_field(field),
            given=value,
        )
    return number


def _measurements(raw: Any) -> list[Measurement]:
    if not raw:
        return []
    if not isinstance(raw, list):
        raise ValidationError(
            "the measurements {given!r} are not a list", field="measurements", given=raw
        )
    out = []
    for entry in raw:
        if not isinstance(entry, Mapping):
            raise ValidationError(
                "the measurement {given!r} is not a mapping", field="measurements", given=entry
            )
        day = check_date(entry.get("date"), field="date")
        if day is None:
            raise ValidationError("a measurement needs a date", field="date")
        note = entry.get("note")
        out.append(Measurement(day, _number(entry.get("value"), field="value"), note or None))
    out.sort(key=lambda m: m.date)
    return out


def add_measurement(
    props: Mapping[str, Any], day: Any, value: Any, note: str | None = None
) -> dict[str, Any]:
    """The goal's properties with one hand-entered measurement added (a measurement on the
    same day replaces the earlier one). Pure: the caller writes them with ``update_node``.

    >>> add_measurement({"metric": "manual", "target": 5, "deadline": "2026-01-01"},
    ...                 "2025-03-01", "3")["measurements"]
    [{'date': '2025-03-01', 'value': 3.0}]
    """
    day_d = check_date(day, field="date")
    if day_d is None:
        raise ValidationError("a measurement needs a date", field="date")
    number = _number(value, field="value")
    kept = [m for m in _measurements(props.get("measurements")) if m.date != day_d]
    kept.append(Measurement(day_d, number, (note or "").strip() or None))
    kept.sort(key=lambda m: m.date)
    return {
        **props,
        "measurements": [
            {"date": m.date.isoformat(), "value": m.value, **({"note": m.note} if m.note else {})}
            for m in kept
        ],
    }


def smart_goal(G: nx.MultiDiGraph, goal: str) -> SmartGoal:
    """Read the SmartGoal node ``goal`` of ``G`` (a projection or a history graph).

    Its community is the Community with a ``PURSUES`` tie to it (any version).

    Raises
    ------
    NotFoundError
        If there is no such node.
    ValidationError
        If it is not a SmartGoal, or its properties are not a valid goal.
    """
    if goal not in G:
        raise NotFoundError("no SMART goal with id {id!r}", id=goal)
    attrs = G.nodes[goal]
    if attrs.get("kind") != "SmartGoal":
        raise ValidationError(
            "{id!r} is a {kind}, not a SMART goal",
            field="goal",
            id=goal,
            kind=label(attrs.get("kind"), "kind"),
        )
    props = check_goal_props(attrs.get("props") or {})
    communities = sorted(
        {
            u
            for u, _, d in G.in_edges(goal, data=True)
            if d.get("kind") == "PURSUES" and G.nodes[u].get("kind") == "Community"
        }
    )
    start = check_date(props.get("start"), field="start") or attrs.get("since")
    return SmartGoal(
        id=goal,
        name=attrs.get("name", goal),
        community=communities[0] if communities else None,
        metric=props["metric"],
        target=props["target"],
        deadline=dt.date.fromisoformat(props["deadline"]),
        direction=props["direction"],
        start=start,
        measurements=tuple(_measurements(props.get("measurements"))),
        description=props.get("description"),
    )


def community_goals(G: nx.MultiDiGraph, community: str) -> list[SmartGoal]:
    """The SMART goals a community pursues, by deadline then name. Goals whose properties
    are not valid are left out (see :func:`check_goal_props`)."""
    goals = []
    for goal in sorted(
        {v for _, v, d in G.out_edges(community, data=True) if d.get("kind") == "PURSUES"}
    ):
        if G.nodes[goal].get("kind") != "SmartGoal":
            continue
        try:
            goals.append(smart_goal(G, goal))
        except ValidationError:
            continue
    goals.sort(key=lambda g: (g.deadline, g.name, g.id))
    return goals


def metric_value(point: Mapping[str, Any], metric: str) -> float | None:
    """The value of ``metric`` in a connectedness point (derived metrics computed).

    >>> metric_value({"activities_90d": 4}, "activities_per_month")
    1.3333333333333333
    """
    if metric in DERIVED:
        base, divisor = DERIVED[metric]
        value = point.get(base)
        return None if value is None else value / divisor
    return point.get(metric)


def manual_value(goal: SmartGoal, day: dt.date) -> float | None:
    """The latest hand-entered value on or before ``day``, or None."""
    value = None
    for m in goal.measurements:
        if m.date <= day:
            value = m.value
    return value


def expected_value(goal: SmartGoal, baseline: float | None, day: dt.date) -> float | None:
    """Where the value should be on ``day``: a straight line from ``baseline`` at the start to
    the target at the deadline (the target itself from the deadline on); None without a start
    or baseline."""
    if day >= goal.deadline:
        return goal.target
    if goal.start is None or baseline is None or goal.start >= goal.deadline:
        return None
    if day <= goal.start:
        return baseline
    share = (day - goal.start).days / (goal.deadline - goal.start).days
    return baseline + (goal.target - baseline) * share


def progress_status(
    goal: SmartGoal, *, value: float | None, baseline: float | None, day: dt.date
) -> str:
    """The status word of a goal on ``day`` given its value then (see the module docstring).

    ``value`` is the value on ``day`` — or on the deadline, once ``day`` is past it."""
    if value is None:
        return "unmeasured"
    if goal.reached(value):
        return "met"
    if day > goal.deadline:
        return "missed"
    expected = expected_value(goal, baseline, day)
    if expected is None:
        return "behind"
    ahead = value >= expected if goal.direction == "at_least" else value <= expected
    return "on_track" if ahead else "behind"


def goal_progress_series(
    G: nx.MultiDiGraph, goal: SmartGoal | str, dates: Iterable[Any], **options: Any
) -> list[dict[str, Any]]:
    """The goal's progress on each of ``dates``, computed from ``G`` (a history graph).

    Returns
    -------
    list of dict
        Per date: ``date``, ``value`` (on the date, or on the deadline once past it),
        ``expected`` (the straight line's value), ``target``, ``status``, ``progress`` (share
        of the way from the start value to the target, 0–1, None when unknown), ``manual``.
        ``options`` go to :func:`~mapper.analysis.community.connectedness_series`.
    """
    if not isinstance(goal, SmartGoal):
        goal = smart_goal(G, goal)
    checked = [check_date(d, field="date") for d in dates]
    days = [d for d in checked if d is not None]
    if len(days) != len(checked):
        raise ValidationError("a series date is missing", field="date")
    measured_days = {min(d, goal.deadline) for d in days}
    if goal.manual:
        values = {d: manual_value(goal, d) for d in measured_days}
        first = goal.measurements[0] if goal.measurements else None
        baseline = first.value if first else None
        if first is not None and (goal.start is None or first.date > goal.start):
            goal = _with_start(goal, first.date)
    else:
        if goal.community is None:
            raise ValidationError(
                "the SMART goal {name!r} belongs to no community",
                field="goal",
                value=goal.id,
                name=goal.name,
            )
        wanted = sorted(measured_days | ({goal.start} if goal.start else set()))
        points = connectedness_series(G, goal.community, wanted, **options)
        by_day = {dt.date.fromisoformat(p["date"]): p for p in points}
        values = {d: metric_value(by_day[d], goal.metric) for d in measured_days}
        baseline = metric_value(by_day[goal.start], goal.metric) if goal.start else None
    out = []
    for day in days:
        value = values[min(day, goal.deadline)]  # type: ignore[type-var, index]
        expected = expected_value(goal, baseline, day)  # type: ignore[arg-type]
        out.append(
            {
                "date": day.isoformat(),  # type: ignore[union-attr]
                "value": value,
                "expected": expected,
                "target": goal.target,
                "baseline": baseline,
                "status": progress_status(goal, value=value, baseline=baseline, day=day),  # type: ignore[arg-type]
                "progress": _progress(goal, value, baseline),
                "manual": goal.manual,
            }
        )
    return out


def goal_progress(
    G: nx.MultiDiGraph, goal: SmartGoal | str, *, as_of: Any = None, **options: Any
) -> dict[str, Any]:
    """The goal's progress on one day (default: ``G.graph["as_of"]``, else today); see
    :func:`goal_progress_series`."""
    day = check_date(as_of, field="as_of") if as_of is not None else G.graph.get("as_of")
    return goal_progress_series(G, goal, [day or dt.date.today()], **options)[0]


def _with_start(goal: SmartGoal, start: dt.date) -> SmartGoal:
    return replace(goal, start=start)


def _progress(goal: SmartGoal, value: float | None, baseline: float | None) -> float | None:
    if value is None:
        return None
    if goal.reached(value):
        return 1.0
    if baseline is None or baseline == goal.target:
        return None
    share = (value - baseline) / (goal.target - baseline)
    return min(1.0, max(0.0, share))


__all__ = [
    "DIRECTIONS",
    "GOAL_METRICS",
    "MANUAL",
    "STATUSES",
    "Measurement",
    "SmartGoal",
    "add_measurement",
    "check_goal_props",
    "community_goals",
    "expected_value",
    "goal_progress",
    "goal_progress_series",
    "manual_value",
    "metric_value",
    "progress_status",
    "smart_goal",
]
