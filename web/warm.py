"""Warme contacten (werkblad 4–5): the ranked list for a target with reasons and a map of the
introduction routes, the printable conversation preparation sheet, the form to log the
conversation afterwards, and the same ranking as JSON (``GET /api/warm-contacts``).

Pages read a projection of the workspace on ``?as_of=YYYY-MM-DD`` (default today) with tie
strengths derived from the contact log (:mod:`mapper.analysis.strength`).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from typing import Any

import networkx as nx
from flask import (
    Blueprint,
    abort,
    current_app,
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
from wtforms import DateField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from mapper.analysis.strength import (
    FLOOR,
    HALF_LIFE_DAYS,
    STRENGTH_ATTR,
    contact_dates,
    strength_annotator,
)
from mapper.analysis.warm import (
    DEFAULT_CUTOFF,
    INTRODUCTION_TIES,
    SOURCE_KINDS,
    WarmContact,
    describe_route,
    route_graph,
    warm_routes,
)
from mapper.errors import NotFoundError, ValidationError
from mapper.graph.annotated import annotated_view
from mapper.maps import KIND_LABELS, map_network, network_data
from mapper.model import STRENGTH_STEPS, NodeKind, RelKind, check_date, step_strength
from mapper.services.warm import (
    KEEP,
    OUTCOMES,
    TARGET_OPTIONS,
    log_conversation,
    resolve_target,
    warm_contacts,
)

from . import maps as maps_web
from .dates import date_arg
from .db import current_workspace, derived, get_graph
from .forms import handle

bp = Blueprint("warm", __name__)

NAV = [("warm.pick", _l("4–5 · Warm contacts"))]

#: Results shown on the page by default, and the most a request may ask for.
PAGE_LIMIT = 20
MAX_LIMIT = 500

OUTCOME_LABELS = {
    "follow-up": _l("Follow-up agreed"),
    "positive": _l("Positive, no follow-up yet"),
    "neutral": _l("Neutral"),
    "not-now": _l("Not now"),
}
TARGET_LABELS = {
    "theme": _l("Theme"),
    "organisation": _l("Organisation"),
    "community": _l("Community"),
    "person": _l("Person"),
}

# Werkblad 5, "Gespreksvoorbereiding": the workbook's questions and tips (English msgids, the
# workbook's Dutch words in web/translations/nl/warm.po).
QUESTIONS: list[tuple[Any, list[Any]]] = [
    (
        _l("Questions to start the conversation and break the ice"),
        [
            _l("How is your day/week going so far?"),
            _l("Thank you for choosing this place. Is it your favourite (café, workplace, etc.)?"),
            _l("Tell me about your work."),
            _l("How did you end up in the work you do now?"),
            _l("How long have you been involved in your organisation/community?"),
        ],
    ),
    (
        _l("Questions that help you understand what the community is worth"),
        [
            _l("What inspires you?"),
            _l("What gives you the most satisfaction in your life at the moment?"),
        ],
    ),
    (
        _l("Questions about the challenges they meet"),
        [
            _l("Tell me about a challenge you have come across. What did you learn from it?"),
            _l("What worries you most within your community?"),
            _l("What do you need?"),
        ],
    ),
    (
        _l("Questions about their goals"),
        [
            _l("What changes would you like to see in your community?"),
            _l("Would you tell me about one of your goals in life?"),
            _l("(For an organisation): which practical goals do you pursue?"),
        ],
    ),
    (
        _l("Questions about their own contribution"),
        [
            _l("Could you tell me a bit more about yourself and your work?"),
            _l("What does your (day or week) schedule look like?"),
        ],
    ),
    (
        _l("Questions about what success looks like for this community"),
        [
            _l("What does a great day look like for you?"),
            _l("What does a place look like where you feel safe, happy, accepted and valued?"),
            _l("What can we do to help you reach your goals?"),
            _l("What does the ideal outcome of our cooperation (this project) look like?"),
        ],
    ),
]
TIPS: list[tuple[Any, Any]] = [
    (
        _l("Use open questions"),
        _l(
            "Yes/no questions, or questions that can be answered in one word, give no insight "
            "into thoughts and emotions."
        ),
    ),
    (
        _l("Encourage telling stories"),
        _l(
            "Avoid standard answers. Ask so that you learn about their experiences and what they "
            "value in them. Do NOT ask: do you like walking in the woods? DO ask: tell me about "
            "the last time you had a good time in nature."
        ),
    ),
    (
        _l("Ask neutral questions"),
        _l(
            "Avoid asking in a way that implies there is a correct answer; give room to answer "
            "in their own way. Do NOT ask: what frustrates you about…? DO ask: what do you "
            "think of…?"
        ),
    ),
    (
        _l("Cherish silences"),
        _l(
            "Long pauses will happen, and that is fine. Give your conversation partner time to "
            "reflect, and let them break the silence themselves."
        ),
    ),
    (
        _l("Be prepared to open up"),
        _l(
            "If you ask personal questions, be prepared to be asked them too. You need not "
            "prepare answers, but be open to investing personally in the conversation."
        ),
    ),
    (
        _l("Wandering off is fine"),
        _l(
            "Conversations will leave the script, and that is fine. Resist the urge to steer "
            "back to the subject: a passionate conversation shows how they see things."
        ),
    ),
    (
        _l("Watch body language"),
        _l(
            "Non-verbal signals can show how someone feels before they can say it. Use your own "
            "judgement: take a step back, or go all in."
        ),
    ),
]


# --------------------------------------------------------------------------- helpers


def lang() -> str:
    return str(get_locale() or "nl")


def limit_arg(default: int = PAGE_LIMIT) -> int:
    raw = request.args.get("limit", "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise ValidationError(
            "limit {limit!r} must be a whole number from 1 to {max}",
            field="limit",
            value=raw,
            limit=raw,
            max=MAX_LIMIT,
        )
    return int(raw)


def kind_word(kind: str | None) -> str:
    try:
        return _(KIND_LABELS[NodeKind(kind)]) if kind else ""
    except (KeyError, ValueError):
        return str(kind)


def target_node(node_id: str) -> Any:
    ws = current_workspace()
    try:
        node = ws.get_node(node_id)
    except NotFoundError:
        abort(404)
    if node.kind.value not in {k.value for k in TARGET_OPTIONS.values()}:
        abort(404)
    return node


def route_map(
    graph: nx.MultiDiGraph, contacts: list[WarmContact], target: str | None = None
) -> dict[str, Any]:
    """vis-network data of the introduction routes, drawn like every map of the app, with
    the positions kept per target (``web/maps.py``)."""
    routes = route_graph(graph, contacts)
    selection: nx.MultiDiGraph = nx.MultiDiGraph()
    for n in routes.nodes:
        selection.add_node(n, **{**graph.nodes[n], "kind": graph.nodes[n].get("kind")})
    for a, b, data in routes.edges(data=True):
        kind = None
        for d in graph.get_edge_data(a, b, default={}).values():  # type: ignore[var-annotated]
            kind = d.get("kind")
        for d in graph.get_edge_data(b, a, default={}).values():
            kind = kind or d.get("kind")
        selection.add_edge(a, b, kind=kind or RelKind.KNOWS.value, strength=data["strength"])
    if target is not None:
        data = maps_web.static_map(
            current_workspace(),
            map_key=f"warm:{target}",
            selection=selection,
            centre=None,
            draw=lambda sel, positions: map_network(
                sel, gettext=_, lang=lang(), height="520px", positions=positions
            ),
        )
    else:
        data = network_data(map_network(selection, gettext=_, lang=lang(), height="520px"))
    data["roles"] = {str(n): d["role"] for n, d in routes.nodes(data=True)}
    data["ranks"] = {str(n): d["rank"] for n, d in routes.nodes(data=True) if "rank" in d}
    return data


def warm_view(ws: Any, day: dt.date) -> nx.MultiDiGraph:
    """The workspace on ``day`` with every tie's effective strength from the contact log,
    equal to ``warm_graph(ws, as_of=day)`` (mapper.services.warm) but made without copying
    the graph: a view over the shared projection that works a tie's strength out when the
    ranking first reads it (mapper.graph.annotated). So the first ranking after a write pays
    for the neighbourhood it searches, not for the whole workspace."""
    graph = get_graph(day)
    by_pair = contact_dates(ws.contacts(until=day))
    annotate = strength_annotator(by_pair, as_of=day, half_life=HALF_LIFE_DAYS)

    # The view of the previous snapshot lends every row a write did not touch; the ends of
    # a pair whose contact moments changed are worked out again.
    key = (current_app.config["DATABASE_URL"], ws.slug, day)
    with _LAST_LOCK:
        last = _LAST_VIEWS.get(key)
    like: nx.MultiDiGraph | None = None
    dirty: set[Any] = set()
    if last is not None:
        like, old_pairs = last
        for pair in by_pair.keys() | old_pairs.keys():
            if by_pair.get(pair) != old_pairs.get(pair):
                dirty.update(pair)
    view = annotated_view(graph, annotate, like=like, dirty=dirty)
    with _LAST_LOCK:
        _LAST_VIEWS[key] = (view, by_pair)
        _LAST_VIEWS.move_to_end(key)
        while len(_LAST_VIEWS) > 4:
            _LAST_VIEWS.popitem(last=False)
    return view


#: The newest warm view per (database, workspace, day), with the contact dates it was made
#: with: :func:`warm_view` reuses what a write did not change.
_LAST_VIEWS: OrderedDict[tuple[Any, ...], tuple[nx.MultiDiGraph, dict[Any, Any]]] = OrderedDict()
_LAST_LOCK = threading.Lock()


def ranking(ws: Any, node: Any, day: dt.date, limit: int) -> Any:
    """:func:`warm_contacts` for ``node`` on ``day``, kept with the workspace's shared
    projection: the warm graph (strengths from the contact log) is made once per snapshot of
    the workspace and day (:func:`warm_view`), and each ranking once per target, day,
    limit and language. Every
    write, contact moments included, gives a new snapshot, so nothing stale is shown."""

    def rank() -> Any:
        graph = derived(("warm_graph", day), lambda: warm_view(ws, day))
        return warm_contacts(ws, node, as_of=day, limit=limit, lang=lang(), graph=graph)

    return derived(("warm_contacts", node.id, day, limit, lang()), rank)


def pick_lists() -> dict[str, list[Any]]:
    ws = current_workspace()
    return {
        option: sorted(ws.nodes(kind=kind), key=lambda n: n.name.casefold())
        for option, kind in TARGET_OPTIONS.items()
        if option != "person"
    }


# --------------------------------------------------------------------------- pages


@bp.get("/warm-contacts")
def pick():  # type: ignore[no-untyped-def]
    """Pick a target: by kind and name (``?kind=theme&name=…``), or from the lists."""
    name = request.args.get("name", "").strip()
    kind = request.args.get("kind", "theme")
    if name:
        if kind not in TARGET_OPTIONS:
            abort(400)
        try:
            node = resolve_target(current_workspace(), kind, name)
        except NotFoundError as exc:
            return render_template(
                "warm/pick.html",
                lists=pick_lists(),
                labels=TARGET_LABELS,
                kind=kind,
                name=name,
                missing=exc.message,
                suggestions=exc.suggestions,
            ), 404
        args: dict[str, Any] = {k: v for k, v in request.args.items() if k in ("as_of", "limit")}
        return redirect(url_for("warm.page", node_id=node.id, **args))
    return render_template(
        "warm/pick.html",
        lists=pick_lists(),
        labels=TARGET_LABELS,
        kind=kind,
        name="",
        missing=None,
        suggestions=[],
    )


@bp.get("/warm-contacts/<node_id>")
def page(node_id: str):  # type: ignore[no-untyped-def]
    node = target_node(node_id)
    day = date_arg("as_of", aliases=("date",))
    try:
        limit = limit_arg()
        result = ranking(current_workspace(), node, day, limit)
    except ValidationError as exc:
        flash(str(exc), "error")
        return redirect(url_for("warm.pick"))
    return render_template(
        "warm/page.html",
        result=result,
        target=node,
        kind_word=kind_word(node.kind.value),
        day=day,
        limit=limit,
        cutoff=DEFAULT_CUTOFF,
        map_data=route_map(result.graph, result.contacts, node_id),
        target_option={v.value: k for k, v in TARGET_OPTIONS.items()}[node.kind.value],
    )


class LogForm(FlaskForm):
    """After the conversation (werkblad 5): log it, and how strong the tie now is."""

    staff = SelectField(_l("Who had the conversation"), validators=[DataRequired()])
    on = DateField(_l("Date"), validators=[InputRequired()], default=dt.date.today)
    outcome = SelectField(_l("Outcome"), choices=[], default="")
    notes = TextAreaField(_l("Notes"), validators=[Length(max=10_000)])
    strength = SelectField(_l("Strength of the tie from now on"), default="keep")
    submit = SubmitField(_l("Log the conversation"))

    def fill(self, staff: list[Any], default_staff: Any | None) -> None:
        self.staff.choices = [(s.id, s.name) for s in staff]
        if default_staff is not None and not self.staff.data:
            self.staff.data = default_staff
        self.outcome.choices = [("", "—")] + [(o, str(OUTCOME_LABELS[o])) for o in OUTCOMES]
        self.strength.choices = [
            ("keep", _("Keep as it is")),
            ("derive", _("Derive from the logged contact moments")),
        ] + [
            (str(step), f"{step} · {nl if lang() == 'nl' else en}")
            for step, nl, en in STRENGTH_STEPS
        ]


def sheet_context(node: Any, person_id: str, day: dt.date) -> dict[str, Any]:
    """What werkblad 5 needs for one candidate: who they are, their place, the route."""
    ws = current_workspace()
    graph = derived(("warm_graph", day), lambda: warm_view(ws, day))
    if person_id not in graph or graph.nodes[person_id].get("kind") != NodeKind.PERSON.value:
        abort(404)
    result = warm_contacts(ws, node, as_of=day, limit=None, lang=lang(), graph=graph)
    contact = next((c for c in result.contacts if c.id == person_id), None)
    if contact is None:
        abort(404)
    person = ws.get_node(person_id)
    related: dict[str, list[tuple[str, str | None]]] = {
        "themes": [],
        "organisations": [],
        "activities": [],
        "channels": [],
    }
    knows: set[Any] = set()
    for _u, v, d in list(graph.out_edges(person_id, data=True)) + [
        (v, u, d) for u, v, d in graph.in_edges(person_id, data=True)
    ]:
        other, kind = v, d.get("kind")
        other_kind = graph.nodes[other].get("kind")
        name = graph.nodes[other].get("name", other)
        if kind == RelKind.ACTIVE_ON and other_kind == NodeKind.THEME:
            related["themes"].append((name, None))
        elif kind == RelKind.MEMBER_OF:
            related["organisations"].append((name, d.get("role")))
        elif kind in (RelKind.ORGANISES, RelKind.ATTENDS):
            related["activities"].append(
                (name, _("organises") if kind == RelKind.ORGANISES else _("takes part"))
            )
        elif kind == RelKind.ACTIVE_IN:
            related["channels"].append((name, None))
        elif kind == RelKind.KNOWS and other_kind == NodeKind.PERSON:
            knows.add(other)
    library_side = {n for n, k in graph.nodes(data="kind") if k in ("Staff", "Library")}
    shared = []
    for other in knows:
        holders = sorted(
            {graph.nodes[x]["name"] for x in nx.all_neighbors(graph, other) if x in library_side}
        )
        if holders:
            shared.append((graph.nodes[other]["name"], other, holders))
    shared.sort(key=lambda t: (t[0].casefold(), t[1]))
    sources = [n for n, k in graph.nodes(data="kind") if k in SOURCE_KINDS]
    routes = warm_routes(
        graph,
        sources,
        weight=STRENGTH_ATTR,
        targets=knows,
        tie_kinds=INTRODUCTION_TIES,
        as_of=day,
        default=FLOOR,
    )
    introducers = sorted(
        (
            (graph.nodes[n]["name"], n, r, describe_route(graph, r.path, lang=lang()))
            for n, r in routes.items()
        ),
        key=lambda t: (-t[2].warmth, t[0].casefold(), t[1]),
    )
    staff = sorted(ws.nodes(kind="Staff", as_of=day), key=lambda n: n.name.casefold())
    first = contact.route.path[0] if contact.route is not None else None
    default_staff = first if first in {s.id for s in staff} else None
    return {
        "graph": graph,
        "target": node,
        "person": person,
        "contact": contact,
        "route_text": (
            describe_route(graph, contact.route.path, lang=lang())
            if contact.route is not None
            else None
        ),
        "related": {
            k: sorted(set(v), key=lambda t: str(t[0]).casefold()) for k, v in related.items()
        },
        "shared": shared,
        "introducers": introducers[:5],
        "staff": staff,
        "default_staff": default_staff,
        "history": list(ws.contacts(node=person_id)),
        "day": day,
    }


@bp.get("/warm-contacts/<node_id>/sheet/<person_id>")
def sheet(node_id: str, person_id: str):  # type: ignore[no-untyped-def]
    return render_sheet(target_node(node_id), person_id)


def render_sheet(node: Any, person_id: str, form: LogForm | None = None) -> str:
    """Werkblad 5 for one candidate; ``form`` is the log form as posted, when it failed."""
    day = date_arg("as_of", aliases=("date",))
    ctx = sheet_context(node, person_id, day)
    if form is None:
        form = LogForm()
        form.fill(ctx["staff"], ctx["default_staff"])
    return render_template(
        "warm/sheet.html",
        form=form,
        questions=QUESTIONS,
        tips=TIPS,
        outcome_labels=OUTCOME_LABELS,
        kind_word=kind_word,
        **ctx,
    )


@bp.post("/warm-contacts/<node_id>/log/<person_id>")
def log(node_id: str, person_id: str):  # type: ignore[no-untyped-def]
    node = target_node(node_id)
    ws = current_workspace()
    try:
        person = ws.get_node(person_id)
    except NotFoundError:
        abort(404)
    if person.kind is not NodeKind.PERSON:
        abort(404)
    form = LogForm()
    form.fill(sorted(ws.nodes(kind="Staff"), key=lambda n: n.name.casefold()), None)

    def write() -> Any:
        choice = form.strength.data
        strength: Any = (
            KEEP if choice == "keep" else None if choice == "derive" else step_strength(int(choice))
        )
        return log_conversation(
            ws,
            staff=form.staff.data,
            person=person.id,
            on=form.on.data,
            notes=form.notes.data,
            outcome=form.outcome.data or None,
            strength=strength,
        )

    return handle(
        form,
        write,
        again=lambda: render_sheet(node, person.id, form),
        success=lambda _result: (
            url_for("warm.page", node_id=node.id, as_of=form.on.data.isoformat())
            + f"#c-{person.id}"
        ),
        message=_("Conversation with %(name)s logged; the ranking is updated.", name=person.name),
        fields={"staff_id": "staff", "date": "on"},
    )


# --------------------------------------------------------------------------- JSON API


@bp.get("/api/warm-contacts")
def api():  # type: ignore[no-untyped-def]
    """The ranking as JSON: ``?theme=NAME`` (or organisation, community, person),
    ``&limit=N&date=YYYY-MM-DD``. A list, best first."""
    given = [(k, request.args[k].strip()) for k in TARGET_OPTIONS if request.args.get(k)]
    if len(given) != 1:
        return jsonify(
            error="give exactly one target: theme, organisation, community or person",
            suggestions=[],
        ), 400
    kind, name = given[0]
    ws = current_workspace()
    try:
        raw_day = request.args.get("date") or request.args.get("as_of")
        day = check_date(raw_day, field="date") or dt.date.today()
        limit = limit_arg(default=20)
        node = resolve_target(ws, kind, name)
        result = ranking(ws, node, day, limit)
    except NotFoundError as exc:
        return jsonify(error=str(exc.message), suggestions=exc.suggestions), 404
    except ValidationError as exc:
        return jsonify(error=str(exc), suggestions=[]), 400
    return jsonify(result.as_json())
