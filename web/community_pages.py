"""Pieces of the community pages that are not forms or words: the history around some
communities, from the shared projection once per snapshot (:func:`history_around`); the member search's matches
(:func:`member_matches`); the blocks a page is built of (the
connectedness charts, a SMART goal with its chart, the part of the graph the community map
draws); and a long table shown a page at a time (:func:`paginate`, with :func:`page_args` for
the links to the other pages)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from itertools import chain
from typing import Any

import networkx as nx
from flask import request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from mapper import workplan
from mapper.analysis.community import SHARE_METRICS, series_dates
from mapper.analysis.goals import MANUAL, goal_progress_series
from mapper.community_history import carry_over, community_history_from
from mapper.model import NodeKind
from mapper.svg_charts import line_chart, series

from .carry import carried
from .community_forms import FRESH, measurement_form
from .community_labels import CHARTS, METRIC_HELP, METRIC_LABELS, fmt_date, fmt_value
from .db import current_workspace, derived, get_projection

#: How many matches the member search offers (its suggestions, and the page without JavaScript).
SEARCH_LIMIT = 20
#: Rows per page of a long table (the members of a community).
PER_PAGE = 50


def history_around(community_ids: Iterable[str], also: Iterable[str] = ()) -> nx.MultiDiGraph:
    """The history the analyses of ``community_ids`` read (shaped as
    :func:`mapper.community_history.community_history`), from the shared in-memory projection
    and kept with its snapshot (:func:`web.db.derived`): no database read, and the next
    request on the same snapshot gets the same graph at once. Read-only (frozen): it is
    shared between requests."""
    key = (frozenset(community_ids), frozenset(i for i in also if isinstance(i, str)))

    def compute() -> nx.MultiDiGraph:
        history = get_projection().history()
        return carried(
            ("community-history", key),
            lambda: nx.freeze(community_history_from(history, sorted(key[0]), also=sorted(key[1]))),
            lambda older, touched: carry_over(older, history, touched, key[0], also=key[1]),
        )

    return derived(("community-history", key), compute)


def whole_history() -> nx.MultiDiGraph:
    """The workspace's whole history (every tie kind): a read-only view over this request's
    snapshot of the shared projection (:meth:`mapper.graph.Projection.history`), nothing
    copied; ask it for parts (a node's ties, a subgraph), never for every edge."""
    return get_projection().history()


def calendar_owners(node: Any) -> list[str]:
    """Who owns the items of a community's content calendar (the pulse looks them up)."""
    return [str(i["owner"]) for i in workplan.records(node, "calendar") if i.get("owner")]


def paginate(items: Sequence[Any], raw: str | None, per_page: int = PER_PAGE) -> dict[str, Any]:
    """One page of ``items``: ``raw`` is the page number asked for (1-based; anything else,
    or a page past the end, gives the nearest page there is).

    Returns ``items`` (that page's), ``page``, ``pages``, ``total``, ``first`` and ``last``
    (the 1-based positions of the page's first and last item; 0 when there are none).
    """
    total = len(items)
    pages = max(1, -(-total // per_page))
    try:
        page = int(raw or 1)
    except ValueError:
        page = 1
    page = min(max(page, 1), pages)
    start = (page - 1) * per_page
    chunk = list(items[start : start + per_page])
    return {
        "items": chunk,
        "page": page,
        "pages": pages,
        "total": total,
        "first": start + 1 if chunk else 0,
        "last": start + len(chunk),
    }


def page_args(anchor: str = "", **changes: Any) -> str:
    """This page's URL with some query arguments changed (``None`` drops one)."""
    args: dict[str, Any] = {k: v for k, v in request.args.items() if k not in changes}
    args.update({k: v for k, v in changes.items() if v is not None})
    args.update(request.view_args or {})
    return url_for(str(request.endpoint), **args) + anchor


def chart_blocks(points: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The connectedness charts of :data:`CHARTS` over ``points``, each with its id, title and
    the metrics its table shows."""
    labels = [fmt_date(p["date"]) for p in points]
    blocks = []
    for index, (title, metrics, share) in enumerate(CHARTS):
        first = metrics[0]
        chart = line_chart(
            labels,
            series(points, [(m, METRIC_LABELS[m]) for m in metrics]),
            title=str(title),
            id=f"chart-{index}",
            share=share,
            whole=not share,  # counts: whole-number ticks
            fmt=lambda v, m=first: fmt_value(m, v),  # type: ignore[misc]
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


def goal_block(
    history: nx.MultiDiGraph, goal: Any, day: dt.date, form: FlaskForm | None = None
) -> dict[str, Any]:
    """A goal with its progress on ``day`` and its measurements from the start to then
    (``form``: its measurement form as posted, when that failed)."""
    start = goal.start or (goal.measurements[0].date if goal.measurements else day)
    last = max(min(day, goal.deadline), start)
    dates = series_dates(start, last) if start <= last else [day]
    *points, now = goal_progress_series(history, goal, [*dates, day])  # one sweep
    metric = goal.metric if goal.metric != MANUAL else "members"
    chart = line_chart(
        [fmt_date(p["date"]) for p in points],
        series(points, [("value", _("measured")), ("expected", _("on track from the start"))]),
        title=goal.name,
        id=f"goal-chart-{goal.id}",
        share=goal.metric in SHARE_METRICS,
        fmt=lambda v: fmt_value(metric, v),
        references=[(f"{_('target')} {fmt_value(metric, goal.target)}", goal.target)],
    )
    if goal.manual and form is None:
        form = measurement_form(goal.id, **FRESH)
        form.date.data = dt.date.today()
    return {
        "goal": goal,
        "now": now,
        "series": points,
        "chart": chart,
        "form": form if goal.manual else None,
        "metric": metric,
    }


def community_selection(graph: nx.MultiDiGraph, community_id: str) -> nx.MultiDiGraph:
    """The part of a projection drawn on the community map: the community, its members and
    partner organisations, the library staff in its roles or with a bond with a member, the
    library, and the ties among them.

    Walks only the community's own ties and its members' ties (the neighbourhood), never the
    whole graph."""
    keep = {community_id}
    for u, _v, d in graph.in_edges(community_id, data=True):
        if d.get("kind") in ("MEMBER_OF", "HAS_ROLE"):
            keep.add(u)
    nodes = graph.nodes
    for inside in sorted(keep - {community_id}, key=str):
        for u, v, d in chain(graph.out_edges(inside, data=True), graph.in_edges(inside, data=True)):
            if d.get("kind") in ("BOND_WITH", "KNOWS"):
                outside = v if u == inside else u
                if outside not in keep and nodes[outside].get("kind") in ("Library", "Staff"):
                    keep.add(outside)
    return graph.subgraph(keep).copy()


def map_neighbourhood(history: nx.MultiDiGraph, community_id: str) -> nx.MultiDiGraph:
    """The part of a history graph the community map can ever show (its selection on any
    day is inside it): the community, everyone with a tie to it, the library and its staff,
    and the ties among them."""
    keep = {community_id} | set(history.predecessors(community_id))
    keep |= set(history.successors(community_id))
    keep |= {n for n, d in history.nodes.items() if d.get("kind") in ("Library", "Staff")}
    return history.subgraph(keep).copy()


def member_matches(text: str, exclude: set[str], limit: int = SEARCH_LIMIT) -> list[Any]:
    """People and organisations whose name matches ``text`` (best first, at most ``limit``),
    leaving out ``exclude`` (the current members)."""
    if not text.strip():
        return []
    found = current_workspace().find_nodes(
        text, kind=[NodeKind.PERSON, NodeKind.ORGANISATION], limit=limit + len(exclude)
    )
    return [n for n in found if n.id not in exclude][:limit]


def posted_member() -> list[Any]:
    """The person or organisation a posted member form names (as its only choice), if any."""
    value = request.form.get("member") or ""
    node = current_workspace().get_nodes([value]).get(value) if value else None
    ok = node is not None and node.kind in (NodeKind.PERSON, NodeKind.ORGANISATION)
    return [node] if ok else []


def current_member_ids(community_id: str, day: dt.date) -> set[str]:
    return {
        t.source
        for t in current_workspace().ties(node=community_id, kind="MEMBER_OF", as_of=day)
        if t.target == community_id
    }
