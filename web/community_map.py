"""The community's map page (werkblad 6 as a picture): the community, its members and their
ties on a day, with the months to step through and the community's connectedness beside it.
Registered on the communities blueprint by :mod:`web.community`."""

from __future__ import annotations

import datetime as dt
from typing import Any

import networkx as nx
from flask import abort, render_template
from flask_babel import gettext as _

from mapper.analysis.community import add_months, community_start, connectedness
from mapper.analysis.scan import library_bonds
from mapper.maps import KIND_STYLES, legend, strength_legend, tie_legend
from mapper.model import NodeKind

from . import maps as maps_web
from .community_labels import METRIC_LABELS, fmt_value, lang
from .community_pages import community_selection, history_around, map_neighbourhood, whole_history
from .dates import date_arg, month_links
from .db import current_workspace, get_graph


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
            ws,
            graph,
            community_id,
            day,
            selection,
            community_selection,
            gettext=_,
            lang=lang(),
            history=map_neighbourhood(whole_history(), community_id),
        )
        listed = sorted(
            selection.nodes,
            key=lambda n: (
                str(selection.nodes[n].get("kind")),
                str(selection.nodes[n].get("name", n)).casefold(),
            ),
        )
    first = community_start(history_around([community_id]), community_id)
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
