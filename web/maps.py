"""Maps that are kept: stored layouts, the time slider's data, saved views and presentations.

Every map page (the environment scan, the community map, the warm-contact routes) draws its
map with ``web/static/mapview.js`` from the JSON this module assembles:

- **Positions are kept** per map and per workspace, in the workspace settings (one key per map,
  ``maplayout_<hash of the map key>``): the first visit lays the map out, later visits and
  other dates and filters reuse those positions and only place new points (next to their
  neighbours, see :func:`mapper.maps.stable_positions`). Reading a map never writes: the page
  lists the points it placed afresh (``unsaved``) and its script posts them once as
  ``placed`` (kept only where nothing is kept yet). A person with the editor role may drag
  points; the page posts the new positions (with its CSRF token) to ``/maps/layout`` and they
  are kept for everyone. Saving merges per point inside one transaction, so two people
  dragging different points at the same moment both keep theirs.
- **Time in place**: the scan and community maps carry every point and tie present in any
  month of the range, with the months each is present in, so the slider changes the month in
  the browser, without a reload.
- **Saved views** (``/maps/views``): a name, a text and the map's address with its filters,
  focus and date, each with its own link; the views in a row make a **presentation**.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import networkx as nx
from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from mapper.analysis.scan import ecosystem, library_bonds
from mapper.errors import MapperError
from mapper.i18n import format_date
from mapper.maps import (
    CLUSTER_LIMIT,
    FOCUS_STEPS,
    MAX_MAP_NODES,
    map_network,
    map_timeline,
    network_data,
    point_measures,
    scan_selection,
    timeline_days,
)
from mapper.maps.timeline import first_day, subgraph_copy
from mapper.store import Workspace

from .auth import has_role
from .carry import carried
from .db import current_workspace, get_projection
from .map_layouts import (
    MAX_POSITIONS,
    clean_positions,
    kept_positions,
    layout_setting,
    save_layout,
)

bp = Blueprint("maps", __name__, url_prefix="/maps")

#: Workspace-settings key of the saved views.
VIEWS_KEY = "map_views"
#: At most this many saved views per workspace.
MAX_VIEWS = 200
#: Map pages a saved view may point to (endpoint prefixes of their paths).
VIEW_PATHS = ("/scan/", "/communities/", "/warm")

#: What the measures in the side panel mean (shown in Dutch by default).
MEASURE_HELP: dict[str, Any] = {
    "ties": _l("Ties: how many others this point is directly connected to on the map."),
    "broker": _l(
        "Go-between: lies on many of the shortest routes between others on the map "
        "(betweenness); someone who links groups that would otherwise hardly meet."
    ),
    "bridge": _l("Bridge: without this point the map falls apart into separate groups."),
    "isolated": _l("Isolated: a person with no tie to anyone on the map but the theme."),
}


# --------------------------------------------------------------------------- layouts


# --------------------------------------------------------------------------- map data


def _empty_if_missing(
    select: Callable[[nx.MultiDiGraph], nx.MultiDiGraph], centre: Any
) -> Callable[[nx.MultiDiGraph], nx.MultiDiGraph]:
    def guarded(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
        if centre not in graph:
            return nx.MultiDiGraph()
        try:
            return select(graph)
        except MapperError:
            return nx.MultiDiGraph()

    return guarded


def timeline_map(
    ws: Workspace,
    *,
    map_key: str,
    centre: Any,
    day: dt.date,
    universe: Callable[[nx.MultiDiGraph], set[Any]],
    select: Callable[[nx.MultiDiGraph], nx.MultiDiGraph],
    draw: Callable[..., Any],
    current: nx.MultiDiGraph,
    cache_key: Any = None,
    history: nx.MultiDiGraph | None = None,
) -> dict[str, Any]:
    """The JSON of a map over months, with kept positions and per-point measures.

    ``universe(history)`` gives every node the map could ever show (unfiltered: the layout is
    made on it, so filters and dates never move a point); ``select(graph)`` what the map shows
    on one day (filters applied); ``draw(selection, positions=...)`` builds the pyvis network;
    ``current`` is the selection on ``day``, for the measures. ``cache_key`` names the
    selection (e.g. the filters): the result is kept per process while the map's kept
    positions stay the same and the writes since touched none of the points the map could
    show (:meth:`mapper.graph.Projection.touched_since`; every tie the map draws or reads
    has an end among them, so a write elsewhere changes nothing on it).
    """
    p = get_projection()
    if history is None:
        history = p.history()  # from memory, equal to ws.project_history()
    key = None
    if cache_key is not None:
        layout = ws.info.settings.get(layout_setting(map_key))
        key = (
            map_key,
            cache_key,
            day,
            dt.date.today(),
            str(get_locale()),
            has_role("editor"),
            hashlib.sha1(json.dumps(layout, sort_keys=True).encode()).hexdigest(),
        )

    def make() -> tuple[frozenset[Any], dict[str, Any]]:
        data, nodes = _timeline_data(
            ws, map_key, centre, day, universe, select, draw, current, history
        )
        return frozenset(nodes), data

    def carry(
        old: tuple[frozenset[Any], dict[str, Any]], touched: frozenset[Any]
    ) -> tuple[frozenset[Any], dict[str, Any]] | None:
        # every tie the map draws or reads has an end among its points
        return old if touched.isdisjoint(old[0]) else None

    if key is None:
        return with_token(make()[1])
    # the callers only set top-level keys (links, focus, the token), so a shallow copy keeps
    # the kept map as it was; its nodes and edges are shared, never changed (a deep copy of
    # a 1,500-point map cost a tenth of the page)
    return with_token(dict(carried(key, make, carry, pool="maps")[1]))


def with_token(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with this session's CSRF token for the map's POSTs (never cached: every
    page has one, even a page without a form, like the warm-contact routes)."""
    data["csrf"] = generate_csrf() if data.get("canEdit") else ""
    return data


def _timeline_data(
    ws: Workspace,
    map_key: str,
    centre: Any,
    day: dt.date,
    universe: Callable[[nx.MultiDiGraph], set[Any]],
    select: Callable[[nx.MultiDiGraph], nx.MultiDiGraph],
    draw: Callable[..., Any],
    current: nx.MultiDiGraph,
    history: nx.MultiDiGraph,
) -> tuple[dict[str, Any], set[Any]]:
    """The map's JSON, and every point it could show (``universe(history)``)."""
    nodes = universe(history)
    scope = subgraph_copy(history, nodes)
    today = dt.date.today()
    days = timeline_days(first_day(scope), max(today, day), day)
    if len(nodes) > MAX_MAP_NODES * 2:  # too much history to send: only this day
        days = [day]
    timeline = map_timeline(scope, days, _empty_if_missing(select, centre), keep_day=day)
    if timeline.union.number_of_nodes() > MAX_MAP_NODES:
        timeline = map_timeline(scope, [day], _empty_if_missing(select, centre), keep_day=day)
    positions, unsaved = kept_positions(ws, map_key, scope, centre=centre)
    net = draw(timeline.union, positions=positions)
    data = network_data(net)
    drawn = {str(n) for n in timeline.union}
    data["unsaved"] = [n for n in unsaved if n in drawn]
    measures = point_measures(current, centre=centre)
    index = {d: i for i, d in enumerate(timeline.days)}
    union = timeline.union
    for node in data["nodes"]:
        node["days"] = timeline.node_days.get(node["id"], [])
        node["measures"] = measures.get(node["id"]) or {  # not on the map on the page's day
            "ties": len(set(union.predecessors(node["id"])) | set(union.successors(node["id"]))),
            "broker": 0.0,
            "bridge": False,
            "isolated": False,
        }
    for edge in data["edges"]:
        a, b = sorted((str(edge["from"]), str(edge["to"])))
        edge["days"] = timeline.edge_days.get((a, b), [])
    data["days"] = [d.isoformat() for d in timeline.days]
    data["dayLabels"] = [format_date(d) for d in timeline.days]
    data["day"] = index.get(day, len(timeline.days) - 1)
    data.update(map_context(map_key))
    share_edge_styles(data)
    return data, nodes


#: The drawing options of a tie that depend only on its kind, strength and place (sent once per
#: distinct combination, see :func:`share_edge_styles`).
EDGE_STYLE_KEYS = ("color", "dashes", "arrows", "width")


def share_edge_styles(data: dict[str, Any]) -> None:
    """Send the ties' drawing options once: ``data["edgeStyles"]`` lists each distinct
    combination of :data:`EDGE_STYLE_KEYS` (a handful: by tie kind, strength and whether the
    tie is a bond or goes to the centre) and each edge names its combination by index in
    ``style`` instead of repeating it; ``mapview.js`` puts them back before drawing.

    >>> data = {"edges": [{"id": "a|b", "color": {"color": "#111"}, "width": 2},
    ...                   {"id": "a|c", "color": {"color": "#111"}, "width": 2}]}
    >>> share_edge_styles(data)
    >>> data["edgeStyles"], data["edges"]
    ([{'color': {'color': '#111'}, 'width': 2}], [{'id': 'a|b', 'style': 0}, {'id': 'a|c', 'style': 0}])
    """
    styles: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for edge in data.get("edges", []):
        style = {k: edge.pop(k) for k in EDGE_STYLE_KEYS if k in edge}
        key = json.dumps(style, sort_keys=True)
        if key not in index:
            index[key] = len(styles)
            styles.append(style)
        edge["style"] = index[key]
    data["edgeStyles"] = styles


def scan_map(
    ws: Workspace,
    graph: nx.MultiDiGraph,
    theme_id: Any,
    day: dt.date,
    filters: Mapping[str, Any],
    shown: nx.MultiDiGraph,
    *,
    gettext: Callable[[str], str],
    lang: str,
) -> dict[str, Any]:
    """The environment-scan map of ``theme_id`` over months (filters without focus)."""

    def draw(selection: nx.MultiDiGraph, positions: Any) -> Any:
        bonds = library_bonds(graph, [n for n in selection if n in graph])
        return map_network(
            selection,
            centre=theme_id,
            bonds=bonds,
            gettext=gettext,
            lang=lang,
            positions=positions,
        )

    data = timeline_map(
        ws,
        map_key=f"scan:{theme_id}",
        centre=theme_id,
        day=day,
        universe=lambda history: ecosystem(history, theme_id),
        select=lambda g: scan_selection(g, theme_id, copy=False, **filters),
        draw=draw,
        current=shown,
        cache_key=("scan", repr(sorted((k, repr(v)) for k, v in filters.items()))),
    )
    add_links(data)
    data["theme"] = str(theme_id)
    return data


def community_map(
    ws: Workspace,
    graph: nx.MultiDiGraph,
    community_id: Any,
    day: dt.date,
    shown: nx.MultiDiGraph,
    select: Callable[[nx.MultiDiGraph, Any], nx.MultiDiGraph],
    *,
    gettext: Callable[[str], str],
    lang: str,
    history: nx.MultiDiGraph | None = None,
) -> dict[str, Any]:
    """The community map over the months since the community began (``select(graph, id)``
    is the page's selection: members, partners, staff in its roles, the library);
    ``history``: the part of the workspace's history the map can show (default: all)."""

    def draw(selection: nx.MultiDiGraph, positions: Any) -> Any:
        bonds = library_bonds(graph, [n for n in selection if n in graph])
        return map_network(
            selection,
            centre=community_id,
            bonds=bonds,
            gettext=gettext,
            lang=lang,
            positions=positions,
        )

    data = timeline_map(
        ws,
        map_key=f"community:{community_id}",
        centre=community_id,
        day=day,
        universe=lambda history: set(select(history, community_id)),
        select=lambda g: select(g, community_id),
        draw=draw,
        current=shown,
        cache_key=("community",),
        history=history,
    )
    add_links(data)
    return data


def add_links(data: dict[str, Any]) -> None:
    """Entity-page links and names of the map's points (for the panel and the search)."""
    base = url_for("main.entity", node_id="x")[:-1]
    data["links"] = {n["id"]: base + quote(str(n["id"]), safe="") for n in data["nodes"]}
    data["names"] = {n["id"]: n.get("name", n["id"]) for n in data["nodes"]}


def static_map(
    ws: Workspace,
    *,
    map_key: str,
    selection: nx.MultiDiGraph,
    centre: Any,
    draw: Callable[..., Any],
) -> dict[str, Any]:
    """The JSON of a map of one moment (e.g. the warm-contact routes), with kept positions."""
    positions, unsaved = kept_positions(ws, map_key, selection, centre=centre)
    data = network_data(draw(selection, positions=positions))
    data["unsaved"] = unsaved
    measures = point_measures(selection, centre=centre)
    for node in data["nodes"]:
        node["measures"] = measures.get(node["id"], {})
    data.update(map_context(map_key))
    return with_token(data)


def map_context(map_key: str) -> dict[str, Any]:
    """What every map's script needs besides the network: where to keep dragged positions."""
    return {
        "map": map_key,
        "layoutUrl": url_for("maps.save_positions"),
        "canEdit": has_role("editor"),
        "focusSteps": list(FOCUS_STEPS),
        "clusterLimit": CLUSTER_LIMIT,
        "measureHelp": {k: str(v) for k, v in MEASURE_HELP.items()},
    }


# --------------------------------------------------------------------------- routes: layout


@bp.post("/layout")
def save_positions():  # type: ignore[no-untyped-def]
    """Keep positions of a map, per point: JSON ``{"map": key, "positions": {id: [x, y]}}``
    for dragged points (they replace what was kept for those points) and/or
    ``"placed": {id: [x, y]}`` for points the page placed first (kept only where nothing is
    kept yet). Only POST, with the page's CSRF token; a GET never writes."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("map"), str):
        return jsonify(error=_("Send the map and its positions as JSON.")), 400
    map_key = body["map"]
    parts = {name: body.get(name) for name in ("positions", "placed") if name in body}
    if not map_key or len(map_key) > 300 or not parts:
        return jsonify(error=_("Send the map and its positions as JSON.")), 400
    if sum(len(v) for v in parts.values() if isinstance(v, (dict, list))) > MAX_POSITIONS:
        return jsonify(error=_("Too many positions at once.")), 400
    clean = {name: clean_positions(value) for name, value in parts.items()}
    if any(value is None for value in clean.values()):
        return jsonify(error=_("A position is two numbers.")), 400
    ws = current_workspace()
    saved = 0
    if clean.get("positions"):
        saved += save_layout(ws, map_key, clean["positions"] or {})
    if clean.get("placed"):
        saved += save_layout(ws, map_key, clean["placed"] or {}, only_new=True)
    return jsonify(saved=saved)


# --------------------------------------------------------------------------- saved views


class ViewForm(FlaskForm):
    title = StringField(_l("Name of the view"), validators=[DataRequired(), Length(max=120)])
    text = TextAreaField(_l("Text for the presentation"), validators=[Length(max=2000)])
    url = HiddenField(validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("Save this view"))


class DeleteViewForm(FlaskForm):
    submit = SubmitField(_l("Delete"))


def saved_views(ws: Workspace) -> list[dict[str, Any]]:
    """The saved views of the workspace, in the order they were saved."""
    raw = ws.info.settings.get(VIEWS_KEY)
    views = raw.get("views") if isinstance(raw, dict) else None
    return (
        [v for v in views if isinstance(v, dict) and "id" in v] if isinstance(views, list) else []
    )


def _store_views(ws: Workspace, views: list[dict[str, Any]]) -> None:
    ws.store.update_workspace(ws.slug, settings={VIEWS_KEY: {"views": views}})


def clean_view_url(raw: str) -> str | None:
    """A map page's path and query, or None when ``raw`` is not one of this app's map pages.

    >>> clean_view_url("/scan/th1?as_of=2026-01-01&view=x&kind=Person")
    '/scan/th1?as_of=2026-01-01&kind=Person'
    >>> clean_view_url("https://evil.example/scan/x") is None, clean_view_url("//x") is None
    (True, True)
    """
    parts = urlsplit(raw)
    if parts.scheme or parts.netloc or not parts.path.startswith(VIEW_PATHS):
        return None
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in ("view", "present", "lang")]
    return parts.path + (("?" + urlencode(query)) if query else "")


def _with_args(url: str, **args: Any) -> str:
    parts = urlsplit(url)
    query = parse_qsl(parts.query) + [(k, str(v)) for k, v in args.items()]
    return parts.path + "?" + urlencode(query)


@bp.post("/views")
def save_view():  # type: ignore[no-untyped-def]
    ws = current_workspace()
    form = ViewForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(request.referrer or url_for("maps.views"))
    url = clean_view_url(form.url.data or "")
    if url is None:
        flash(_("A view can only be saved of a map of this app."), "error")
        return redirect(url_for("maps.views"))
    views = saved_views(ws)
    if len(views) >= MAX_VIEWS:
        flash(_("There are already %(n)s saved views; delete some first.", n=MAX_VIEWS), "error")
        return redirect(url_for("maps.views"))
    view = {
        "id": secrets.token_hex(4),
        "title": form.title.data.strip(),
        "text": (form.text.data or "").strip(),
        "url": url,
        "saved_on": dt.date.today().isoformat(),
    }
    _store_views(ws, [*views, view])
    flash(_("The view is saved; its link is below."), "success")
    return redirect(url_for("maps.views") + f"#view-{view['id']}")


@bp.get("/views")
def views():  # type: ignore[no-untyped-def]
    ws = current_workspace()
    return render_template("maps/views.html", views=saved_views(ws), delete_form=DeleteViewForm())


@bp.get("/views/<view_id>")
def open_view(view_id: str):  # type: ignore[no-untyped-def]
    view = next((v for v in saved_views(current_workspace()) if v["id"] == view_id), None)
    if view is None:
        abort(404)
    return redirect(_with_args(view["url"], view=view_id))


@bp.post("/views/<view_id>/delete")
def delete_view(view_id: str):  # type: ignore[no-untyped-def]
    ws = current_workspace()
    views = saved_views(ws)
    if not any(v["id"] == view_id for v in views):
        abort(404)  # not a view of this workspace: nothing to delete, and nothing said about it
    form = DeleteViewForm()
    if form.validate_on_submit():
        _store_views(ws, [v for v in views if v["id"] != view_id])
        flash(_("The view is deleted."), "success")
    return redirect(url_for("maps.views"))


@bp.get("/present/<int:number>")
def present(number: int):  # type: ignore[no-untyped-def]
    """Slide ``number`` (from 1) of the presentation: the saved views in a row."""
    all_views = saved_views(current_workspace())
    if not 1 <= number <= len(all_views):
        abort(404)
    view = all_views[number - 1]
    return redirect(_with_args(view["url"], view=view["id"], present=number))


def presentation_context() -> dict[str, Any]:
    """For a map page: the saved view it shows (``?view=``) and, in a presentation
    (``?present=N``), the slide with links to the previous and next one."""
    ws = current_workspace()
    all_views = saved_views(ws)
    view_id = request.args.get("view")
    view = next((v for v in all_views if v["id"] == view_id), None)
    slide = None
    raw = request.args.get("present", "")
    if raw.isdigit() and 1 <= int(raw) <= len(all_views):
        number = int(raw)
        slide = {
            "number": number,
            "count": len(all_views),
            "view": all_views[number - 1],
            "prev": url_for("maps.present", number=number - 1) if number > 1 else None,
            "next": url_for("maps.present", number=number + 1) if number < len(all_views) else None,
        }
    return {"saved_view": view, "slide": slide, "view_form": ViewForm()}


@bp.app_context_processor
def map_helpers() -> dict[str, Any]:
    return {"map_presentation": presentation_context}
