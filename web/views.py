"""The workbook's first pages: the dashboard, werkblad 1 (de kapstok), werkblad 2 (themascan),
werkblad 3 (omgevingsscan, with its map and tables) and the entity page.

Everything is read from a projection of the workspace as of a date (``?as_of=YYYY-MM-DD``,
default today); the filters of the scan are GET parameters, so a filtered map is a link that
can be shared and the page works without JavaScript (the tables show what the map shows).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from typing import Any

import networkx as nx
from flask import Blueprint, abort, flash, g, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from mapper.analysis.scan import (
    BOTH,
    LIBRARY_ONLY,
    TOWN_ONLY,
    ecosystem,
    library_bonds,
    theme_scan,
    theme_scan_again,
    worksheet_rows,
)
from mapper.errors import MapperError, NotFoundError, ValidationError
from mapper.i18n import format_date, format_number
from mapper.labels import label
from mapper.maps import (
    KIND_LABELS,
    KIND_STYLES,
    MAX_MAP_NODES,
    PHYSICS_LIMIT,
    REL_LABELS,
    SCAN_KINDS,
    format_strength,
    legend,
    scan_selection,
    strength_legend,
    tie_legend,
)
from mapper.model import STRENGTH_STEPS, NodeKind, RelKind, node_kind, strength_step

from . import maps as maps_web
from .carry import carried, scan_rows_touched
from .dates import date_arg, month_links
from .db import current_workspace, derived, get_graph, get_projection

bp = Blueprint("main", __name__)

NAV = [
    ("main.index", _l("Overview")),
    ("main.frame", _l("1 · The frame")),
    ("main.themes", _l("2 · Theme scan")),
    ("main.scan_pick", _l("3 · Environment scan")),
]


#: Display words for the usual node properties (English msgids); other keys show as they are.
PROP_LABELS: dict[str, Any] = {
    "description": _l("Description"),
    "neighbourhood": _l("Neighbourhood"),
    "lawful_basis": _l("Lawful basis (GDPR)"),
    "data_source": _l("Source of the data"),
    "type": _l("Type"),
    "schedule": _l("When"),
    "place": _l("Place"),
    "frequency": _l("Frequency"),
    "dates": _l("Dates"),
    "signals": _l("Seen in"),
    "mode": _l("Online or offline"),
    "medium": _l("Medium"),
    "job_title": _l("Job title"),
    "policy_plan": _l("Policy plan"),
    "metric": _l("Measure"),
    "target": _l("Target"),
    "deadline": _l("Deadline"),
    "bond_type": _l("Bond type"),
    "traits": _l("Traits"),
    "vision": _l("Vision"),
    "town": _l("Town"),
    "address": _l("Address"),
}


# --------------------------------------------------------------------------- helpers


def prop_word(key: str) -> str:
    """The interface word for a property name."""
    return str(PROP_LABELS.get(key, key))


#: Properties whose value is a code of a category of mapper.labels (shown as its word).
PROP_CATEGORIES: dict[str, str] = {
    "lawful_basis": "lawful_basis",
    "mode": "channel_mode",
    "bond_type": "bond_type",
    "metric": "measure",
}


def prop_value(key: str, value: Any) -> Any:
    """A property's value as people read it: a code as its word (``consent`` → toestemming),
    a deadline written out; anything else as it is."""
    if isinstance(value, str) and key in PROP_CATEGORIES:
        return label(value, PROP_CATEGORIES[key])
    if isinstance(value, str) and key == "deadline":
        return format_date(value)
    return value


def lang() -> str:
    return str(get_locale() or "nl")


def kind_word(kind: str | NodeKind) -> str:
    """The interface word for a node kind."""
    try:
        return _(KIND_LABELS[node_kind(kind)])
    except ValidationError:
        return str(kind)


def rel_word(kind: str | RelKind) -> str:
    """The interface word for a tie kind, read from source to target."""
    try:
        return _(REL_LABELS[RelKind(kind)])
    except ValueError:
        return str(kind)


def strength_text(strength: float | None) -> str:
    return format_strength(strength, lang())


def role_word(role: str | None) -> str:
    """The interface word for a role on a tie (mapper.labels)."""
    return label(role, "role")


def kind_count(kind: str, n: int) -> str:
    """``n`` of a kind with its plural right: ``1 kanaal``, ``3 kanalen``."""
    num = format_number(n)
    if kind == "Person":
        return ngettext("%(n)s person", "%(n)s people", n, n=num)
    if kind == "Organisation":
        return ngettext("%(n)s organisation", "%(n)s organisations", n, n=num)
    if kind == "Activity":
        return ngettext("%(n)s activity", "%(n)s activities", n, n=num)
    if kind == "Channel":
        return ngettext("%(n)s channel", "%(n)s channels", n, n=num)
    return f"{num} {kind_word(kind)}"


def projection(day: dt.date) -> nx.MultiDiGraph:
    """The shared, read-only graph of the workspace as of ``day`` (see web/db.py)."""
    return get_graph(day)


def scan_rows(day: dt.date) -> list[Any]:
    """The theme scan of the workspace on ``day`` (:func:`theme_scan`), worked out once per
    snapshot of the workspace and shared by the pages (never change the rows); after a write,
    only the rows of the themes it touched or that a node it touched is tied to (in any
    version) are worked out again (:func:`web.carry.carried`)."""

    def again(rows: list[Any], touched: frozenset[Any]) -> list[Any]:
        return theme_scan_again(projection(day), rows, scan_rows_touched(rows, touched))

    return derived(
        ("theme_scan", day),
        lambda: carried(("theme_scan", day), lambda: theme_scan(projection(day)), again),
    )


def kind_nodes(day: dt.date, kind: str) -> list[Any]:
    """The ids of the nodes of one kind on ``day``, by name (once per snapshot)."""

    def find() -> list[Any]:
        graph = projection(day)
        return by_name(graph, (n for n, d in graph.nodes(data=True) if d.get("kind") == kind))

    return derived(("kind_nodes", day, kind), find)


def workspace_counts() -> dict[str, int]:
    """``ws.counts()``, once per snapshot of the workspace: the nodes and ties counted in
    the shared projection (:meth:`mapper.graph.Projection.counts`; counting a province's
    million ties in the database took seconds after every write), the contact moments by
    the database."""

    def count() -> dict[str, int]:
        ws = current_workspace()
        found = get_projection().counts()
        out = {k.value: found.get(k.value, 0) for k in NodeKind}
        out["ties"] = found["ties"]
        out["contacts"] = ws.store.contact_count(ws.slug)
        return out

    return derived("counts", count)


def entity_total() -> int:
    """How many entities (current nodes of any kind) the workspace holds: the shared
    projection holds every one (its history's nodes; counted without a scan), so a write
    does not send the entity page to the database to count them again."""
    return len(get_projection().history())


def name_of(graph: nx.MultiDiGraph, node: Any) -> str:
    return str(graph.nodes[node].get("name", node)) if node in graph else str(node)


def by_name(graph: nx.MultiDiGraph, nodes: Any) -> list[Any]:
    return sorted(set(nodes), key=lambda n: (name_of(graph, n).casefold(), str(n)))


def recent_changes(entity: str | None = None) -> list[Any]:
    """The "recent changes" list of ``web/templates/edit/_recent.html`` (the same as the
    ``recent_changes`` helper of web/edit.py), kept per snapshot of the workspace for the
    minute: finding them reads back through the audit trail, which at a province's size
    costs more than the rest of the page. A write gives a new snapshot, so it shows at once;
    a change leaves the one-hour undo window up to a minute late (the undo itself checks)."""
    from mapper.audit import SYSTEM_ACTOR
    from mapper.services import edit as edit_service

    ws = current_workspace()
    actor = g.get("actor") or ws.store.actor or SYSTEM_ACTOR

    def find() -> list[Any]:
        try:
            return edit_service.recent_changes(ws, actor, entity=entity)
        except MapperError:
            return []

    return derived(("recent_changes", entity, actor, int(time.time() // 60)), find)


def audit_entries(node_id: str, limit: int = 50) -> list[Any]:
    """The audit entries about an entity (``privacy/_audit.html``), once per snapshot."""

    def find() -> list[Any]:
        try:
            return current_workspace().audit(entity=node_id, limit=limit)
        except NotFoundError:
            return []

    return derived(("audit_entries", node_id, limit), find)


def scan_ties(graph: nx.MultiDiGraph, nodes: Any) -> list[dict[str, Any]]:
    """The ties among ``nodes`` for the scan's "change or end a tie" table, as the helper of
    the same name in web/edit.py gives them, found from the nodes' own ties (not by going
    through every tie of the workspace)."""
    shown = set(nodes)
    out = [
        {
            "id": key,
            "source": u,
            "target": v,
            "kind": data.get("kind"),
            "strength": data.get("strength"),
            "step": strength_step(data.get("strength")),
        }
        for u, v, key, data in graph.out_edges(shown, keys=True, data=True)
        if v in shown
    ]

    def name(node: Any) -> str:
        return str(graph.nodes[node].get("name", node)).casefold()

    out.sort(key=lambda t: (name(t["source"]), str(t["kind"]), name(t["target"]), str(t["id"])))
    return out


#: Helpers given to the pages of this module in place of the app-wide ones of the same name.
CACHED_HELPERS = {
    "recent_changes": recent_changes,
    "audit_entries": audit_entries,
    "scan_ties": scan_ties,
}


def entity_url_maker() -> Any:
    """A fast ``url_for("main.entity", node_id=...)`` for pages with thousands of links."""
    from urllib.parse import quote

    base = url_for("main.entity", node_id="x")[:-1]
    return lambda node_id: base + quote(str(node_id), safe="")


@bp.app_context_processor
def template_helpers() -> dict[str, Any]:
    def lang_url(code: str) -> str:
        args = request.args.to_dict(flat=False)
        args["lang"] = [code]
        if request.endpoint:
            values: dict[str, Any] = {**(request.view_args or {}), **args}
            return url_for(request.endpoint, **values)
        return f"?lang={code}"

    def self_url(**changes: Any) -> str:
        """This page's URL with some query arguments changed (``None`` removes one)."""
        args = request.args.to_dict(flat=False)
        for key, value in changes.items():
            if value is None:
                args.pop(key, None)
            else:
                args[key] = [value]
        values: dict[str, Any] = {**(request.view_args or {}), **args}
        return url_for(request.endpoint or "main.index", **values)

    def focus_url_maker() -> Any:
        """A fast ``self_url(focus=node)`` for a table of thousands of rows: the address is
        made once with a marker, and each row puts its quoted id in the marker's place."""
        from urllib.parse import quote

        marker = "FOCUSMARKER0"
        base = self_url(focus=marker)
        head, _, tail = base.partition(marker)
        return lambda node: head + quote(str(node), safe="") + tail

    return {
        "lang_url": lang_url,
        "self_url": self_url,
        "focus_url_maker": focus_url_maker,
        "kind_word": kind_word,
        "rel_word": rel_word,
        "strength_text": strength_text,
        "role_word": role_word,
        "kind_count": kind_count,
        "prop_word": prop_word,
        "prop_value": prop_value,
        "current_lang": lang(),
        "get_locale": get_locale,
    }


# --------------------------------------------------------------------------- dashboard


@bp.get("/")
def index():  # type: ignore[no-untyped-def]
    ws = current_workspace()
    day = dt.date.today()
    graph = projection(day)
    rows = scan_rows(day)
    libraries = [graph.nodes[n].get("name") for n in kind_nodes(day, "Library")]
    counts = workspace_counts()
    shown_kinds = [k for k in NodeKind if counts.get(k.value)]
    return render_template(
        "index.html",
        workspace=ws.info,
        libraries=sorted(n for n in libraries if n),
        counts=counts,
        shown_kinds=shown_kinds,
        library_themes=[r for r in rows if r.in_library],
        town_only=[r for r in rows if r.status == TOWN_ONLY],
        styles=KIND_STYLES,
    )


# --------------------------------------------------------------------------- werkblad 1


@bp.get("/frame")
def frame():  # type: ignore[no-untyped-def]
    day = date_arg()
    graph = projection(day)
    goals = kind_nodes(day, "Goal")
    themes_of: dict[Any, list[Any]] = defaultdict(list)
    goals_of: dict[Any, list[Any]] = defaultdict(list)
    about_ties: dict[tuple[Any, Any], Any] = {}  # (goal, theme) -> tie id, for the forms
    for goal in goals:
        for _s, theme, key, data in graph.out_edges(goal, keys=True, data=True):
            if data.get("kind") == RelKind.ABOUT and graph.nodes[theme].get("kind") == "Theme":
                themes_of[goal].append(theme)
                goals_of[theme].append(goal)
                about_ties[(goal, theme)] = key
    rows = scan_rows(day)
    library_themes = [r for r in rows if r.in_library]
    libraries = kind_nodes(day, "Library")
    return render_template(
        "frame.html",
        **CACHED_HELPERS,
        graph=graph,
        day=day,
        goals=goals,
        themes_of={g: by_name(graph, ts) for g, ts in themes_of.items()},
        library_themes=library_themes,
        libraries=libraries,
        month_links=month_links(day),
        about_ties=about_ties,
    )


# --------------------------------------------------------------------------- werkblad 2


@bp.get("/themes")
def themes():  # type: ignore[no-untyped-def]
    day = date_arg()
    graph = projection(day)
    rows = scan_rows(day)
    return render_template(
        "themes.html",
        **CACHED_HELPERS,
        graph=graph,
        day=day,
        rows=rows,
        library_rows=[r for r in rows if r.in_library],
        town_rows=[r for r in rows if r.in_town],
        both=BOTH,
        library_only=LIBRARY_ONLY,
        town_only=TOWN_ONLY,
        town_kinds=[NodeKind.PERSON, NodeKind.ORGANISATION, NodeKind.ACTIVITY, NodeKind.CHANNEL],
        month_links=month_links(day),
    )


# --------------------------------------------------------------------------- werkblad 3


@bp.get("/scan/")
def scan_pick():  # type: ignore[no-untyped-def]
    day = date_arg()
    rows = scan_rows(day)
    return render_template("scan_pick.html", rows=rows, day=day, both=BOTH)


def scan_filters(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """The scan's filters from the query string; a bad value is flashed and ignored."""
    kinds = [k for k in request.args.getlist("kind") if k]
    valid_kinds = {k.value for k in SCAN_KINDS}
    bad = [k for k in kinds if k not in valid_kinds]
    if bad:
        flash(_("Unknown kind ignored: %(value)s", value=", ".join(bad)), "error")
    kinds = [k for k in kinds if k in valid_kinds]
    min_step = None
    raw_min = request.args.get("min", "").strip()
    if raw_min:
        if raw_min.isdigit() and 1 <= int(raw_min) <= 5:
            min_step = int(raw_min)
        else:
            flash(
                _("Minimum strength %(value)s is not a step from 1 to 5.", value=raw_min), "error"
            )
    focus = request.args.get("focus", "").strip() or None
    if focus is not None and focus not in graph:
        flash(_("Cannot focus on %(value)s: not on the map on this date.", value=focus), "error")
        focus = None
    raw_steps = request.args.get("steps", "1")
    steps = int(raw_steps) if raw_steps in ("1", "2", "3") else 1
    return {
        "kinds": kinds or None,
        "min_step": min_step,
        "bond_only": request.args.get("bond") == "1",
        "focus": focus,
        "steps": steps,
    }


#: Above this many rows, the scan page sends its "map as a table" and its list of ties as a
#: summary with a link; the browser fetches the part (``?part=table`` / ``?part=ties``) when
#: the person opens it (web/static/scan_lazy.js).
SCAN_LAZY_ROWS = 150
#: The parts of the scan page that can be fetched alone.
SCAN_PARTS = ("table", "ties")


@bp.get("/scan/<theme_id>")
def scan(theme_id: str):  # type: ignore[no-untyped-def]
    ws = current_workspace()
    day = date_arg()
    graph = projection(day)
    if theme_id not in graph or graph.nodes[theme_id].get("kind") != "Theme":
        node = ws.get_node(theme_id)  # NotFoundError → 404
        if node.kind is not NodeKind.THEME:
            abort(404, description=_("%(name)s is not a theme.", name=node.name))
        flash(_("This theme did not exist yet on %(day)s.", day=format_date(day)), "error")
        return render_template(
            "scan.html",
            theme=node,
            day=day,
            missing=True,
            month_links=month_links(day),
            filters={},
            kinds=[],
            steps=STRENGTH_STEPS,
        )
    filters = scan_filters(graph)
    try:
        selection = scan_selection(graph, theme_id, **filters)
    except MapperError as error:  # a focus outside the filtered map
        flash(str(error), "error")
        filters["focus"] = None
        selection = scan_selection(graph, theme_id, **filters)
    bonds = library_bonds(graph, selection.nodes)
    data = None
    part = request.args.get("part")
    if part not in SCAN_PARTS:
        part = None
    # the map shows the whole filtered scan (focus and showcase are drawn by the browser) over
    # the months, with kept positions (web/maps.py); the tables show the focus
    unfocused = {**filters, "focus": None, "steps": 1}
    shown = scan_selection(graph, theme_id, **unfocused) if filters["focus"] else selection
    if part is None and shown.number_of_nodes() <= MAX_MAP_NODES:
        data = maps_web.scan_map(ws, graph, theme_id, day, unfocused, shown, gettext=_, lang=lang())
        data["focus"] = filters["focus"]
        data["steps"] = filters["steps"]
    tables = worksheet_rows(graph, theme_id, selection.nodes)
    all_nodes = by_name(graph, ecosystem(graph, theme_id))
    neighbours = {
        n: by_name(graph, set(selection.predecessors(n)) | set(selection.successors(n)))
        for n in selection.nodes
    }
    ties_between: dict[tuple[Any, Any], list[dict[str, Any]]] = defaultdict(list)
    for u, v, d in selection.edges(data=True):
        ties_between[(u, v)].append(d)
        ties_between[(v, u)].append(d)
    listed = [
        n
        for kind in [NodeKind.THEME, *SCAN_KINDS]
        for n in by_name(graph, (m for m in selection if graph.nodes[m].get("kind") == kind))
    ]
    return render_template(
        "maps/scan_part.html" if part else "scan.html",
        part=part,
        lazy_rows=SCAN_LAZY_ROWS,
        missing=False,
        **CACHED_HELPERS,
        graph=graph,
        theme=graph.nodes[theme_id] | {"id": theme_id},
        theme_id=theme_id,
        day=day,
        data=data,
        tables=tables,
        bonds=bonds,
        listed=listed,
        neighbours=neighbours,
        ties_between=ties_between,
        filters=filters,
        kinds=SCAN_KINDS,
        steps=STRENGTH_STEPS,
        legend=legend(_),
        tie_legend=tie_legend(_),
        strength_legend=strength_legend(lang()),
        styles=KIND_STYLES,
        ecosystem_size=len(all_nodes),
        physics=selection.number_of_nodes() <= PHYSICS_LIMIT,
        max_map_nodes=MAX_MAP_NODES,
        month_links=month_links(day),
        filtered=any(v for v in filters.values()),
        entity_url=entity_url_maker(),
    )


# --------------------------------------------------------------------------- entity page

#: Up to this many entities, the entity page's "add a tie" field suggests every name.
ALL_NAMES_LIMIT = 2_000


@bp.get("/entity/<node_id>")
def entity(node_id: str):  # type: ignore[no-untyped-def]
    ws = current_workspace()
    node = ws.get_node(node_id)
    versions = ws.node_history(node_id)
    all_versions = list(ws.ties(node=node_id, history=True))
    by_tie: dict[str, list[Any]] = defaultdict(list)
    for tie in all_versions:
        by_tie[tie.id].append(tie)
    latest = [versions_[-1] for versions_ in by_tie.values()]
    contacts = list(ws.contacts(node=node_id))
    other_ids = {t.other(node_id) for t in all_versions} | {
        c.b if c.a == node_id else c.a for c in contacts
    }
    others = ws.get_nodes(other_ids)
    today = dt.date.today()

    def other_name(other: str) -> str:
        return others[other].name if other in others else other

    latest.sort(key=lambda t: (t.kind.value, other_name(t.other(node_id)).casefold(), t.id))
    tie_history = sorted(
        all_versions,
        key=lambda t: (t.since or dt.date.min, t.recorded_at or "", t.id, t.version),
        reverse=True,
    )
    graph = get_graph(today)
    bond = library_bonds(graph, [node_id]).get(node_id) if node_id in graph else None
    return render_template(
        "entity.html",
        **CACHED_HELPERS,
        node=node,
        versions=list(reversed(versions)),
        ties=latest,
        tie_history=tie_history,
        contacts=sorted(contacts, key=lambda c: (c.on, c.id), reverse=True),
        others=others,
        today=today,
        bond=bond,
        style=KIND_STYLES[node.kind],
        all_names=entity_total() <= ALL_NAMES_LIMIT,
    )
