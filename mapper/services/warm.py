"""Warm contacts for a workspace: the bridge between the store and the ranking.

The ranking itself (:mod:`mapper.analysis.warm`) works on a networkx projection and never
talks to a store. This module does the three steps the CLI and the web app share: find the
target by name (:meth:`~mapper.store.base.Store.lookup`, with close matches on a miss), project
the workspace on the day with strengths derived from the contact log
(:func:`mapper.analysis.strength.annotate_strengths`), and rank. It also logs a conversation
(werkblad 5, afterwards): a contact moment plus a new version of the tie between the staff
member and the person, so the ranking changes and the history is kept.
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from ..analysis.strength import (
    FLOOR,
    HALF_LIFE_DAYS,
    PROP_SOURCE,
    STRENGTH_ATTR,
    effective_strength,
    strength_annotator,
)
from ..analysis.warm import (
    DEFAULT_CUTOFF,
    DEFAULT_LIMIT,
    INTRODUCTION_TIES,
    WarmContact,
    rank_warm_contacts,
)
from ..analysis.warm.compact import CompactGraph
from ..errors import Day, ValidationError
from ..graph.annotated import annotated_view
from ..model import Contact, Node, NodeKind, RelKind, Tie, check_date, check_strength

#: Target options of the CLI and the API: option name → node kind.
TARGET_OPTIONS: dict[str, NodeKind] = {
    "theme": NodeKind.THEME,
    "organisation": NodeKind.ORGANISATION,
    "community": NodeKind.COMMUNITY,
    "person": NodeKind.PERSON,
}

#: Outcomes of a logged conversation (stored in :attr:`mapper.model.Contact.outcome`).
OUTCOMES: tuple[str, ...] = ("follow-up", "positive", "neutral", "not-now")
#: Tie kinds a conversation between a staff member and a person is logged on.
CONVERSATION_TIES: tuple[RelKind, ...] = (RelKind.KNOWS, RelKind.BOND_WITH)
#: ``origin`` of a tie created by logging a conversation.
CONVERSATION_ORIGIN = "conversation"
#: Pass as ``strength`` to :func:`log_conversation` to leave the tie's strength as it is.
KEEP: Any = object()


@dataclass
class WarmResult:
    """A ranking with what it was computed on."""

    graph: nx.MultiDiGraph
    target: Node
    day: dt.date
    contacts: list[WarmContact]

    def as_json(self) -> list[dict[str, Any]]:
        return [c.as_dict(self.graph) for c in self.contacts]


def resolve_target(ws: Any, kind: str | NodeKind, name: str) -> Node:
    """The node of ``kind`` called ``name``; NotFoundError listing close matches."""
    if isinstance(kind, str) and kind in TARGET_OPTIONS:
        kind = TARGET_OPTIONS[kind]
    if kind not in TARGET_OPTIONS.values():
        raise ValidationError(
            "warm contacts are found for a {allowed}; not {given!r}",
            field="target",
            value=kind,
            allowed=", ".join(TARGET_OPTIONS),
            given=kind,
        )
    return ws.lookup(name, kind=kind)


#: Warm graphs made from a shared projection, newest last: ``key → (projection, graph)``.
#: A write gives the workspace a new projection, so an entry of an old one is never asked
#: for again and ages out; holding the projection keeps its ``id`` from being reused.
_WARM_GRAPHS: OrderedDict[tuple[Any, ...], tuple[Any, nx.MultiDiGraph]] = OrderedDict()
_WARM_LOCK = threading.Lock()
#: How many warm graphs a process keeps (each is one copy of a workspace's ties on a day).
WARM_GRAPHS_KEPT = 4


def _contacts_key(contacts: list[Any]) -> int:
    return hash(tuple((c.id, c.a, c.b, c.on) for c in contacts))


def warm_graph(ws: Any, *, as_of: Any = None, half_life: float = HALF_LIFE_DAYS) -> nx.MultiDiGraph:
    """The workspace on ``as_of`` (default today) with effective strengths, read-only.

    Made from the workspace's shared projection (no read of the graph from the database) as
    a view that works a tie's strength out when it is first read (nothing is copied: a
    ranking pays for the neighbourhood it searches), and kept for the next request while
    neither the graph nor the contact log changes; equal to
    ``annotate_strengths(ws.project(as_of=day), ws.contacts(until=day))``.
    """
    day = check_date(as_of, field="as_of") or dt.date.today()
    contacts = list(ws.contacts(until=day))
    projection = ws.projection()
    key = (id(ws.store), ws.slug, id(projection), day, half_life, _contacts_key(contacts))
    with _WARM_LOCK:
        hit = _WARM_GRAPHS.get(key)
        if hit is not None and hit[0] is projection:
            _WARM_GRAPHS.move_to_end(key)
            return hit[1]
    graph = annotated_view(
        projection.as_of(day), strength_annotator(contacts, as_of=day, half_life=half_life)
    )
    with _WARM_LOCK:
        _WARM_GRAPHS[key] = (projection, graph)
        while len(_WARM_GRAPHS) > WARM_GRAPHS_KEPT:
            _WARM_GRAPHS.popitem(last=False)
    return graph


#: The compact form of each warm graph in use, made on its first ranking and dropped with it.
_COMPACT: weakref.WeakKeyDictionary[nx.Graph, CompactGraph] = weakref.WeakKeyDictionary()


def compact_graph(G: nx.MultiDiGraph, *, as_of: dt.date) -> CompactGraph:
    """The integer-indexed form of a warm graph on ``as_of`` for the ranking, made once per
    graph (:class:`~mapper.analysis.warm.compact.CompactGraph`) and shared by all requests."""
    with _WARM_LOCK:
        hit = _COMPACT.get(G)
    if hit is not None and hit.day == as_of:
        return hit
    made = CompactGraph(
        G, weight=STRENGTH_ATTR, as_of=as_of, tie_kinds=INTRODUCTION_TIES, default=FLOOR
    )
    with _WARM_LOCK:
        _COMPACT[G] = made
    return made


#: Kept warm graphs ranked on once: building the compact form costs more than one ranking
#: (about 3 s of CPU at 1M ties against 0.6 s), so it is made on a graph's second ranking.
_RANKED: weakref.WeakSet[nx.Graph] = weakref.WeakSet()


def _compact_for(G: nx.MultiDiGraph, *, as_of: dt.date) -> CompactGraph | None:
    """The compact form to rank a kept warm graph on: None on its first ranking (a command
    that ranks once never pays for it), made on the second and reused after."""
    with _WARM_LOCK:
        if not any(graph is G for _projection, graph in _WARM_GRAPHS.values()):
            return None
        again = G in _RANKED
        _RANKED.add(G)
    return compact_graph(G, as_of=as_of) if again else None


def warm_contacts(
    ws: Any,
    target: Node | str,
    *,
    as_of: Any = None,
    limit: int | None = DEFAULT_LIMIT,
    cutoff: int = DEFAULT_CUTOFF,
    lang: str = "nl",
    graph: nx.MultiDiGraph | None = None,
) -> WarmResult:
    """Rank warm contacts for ``target`` (a Node or an id) in workspace ``ws``."""
    day = check_date(as_of, field="as_of") or dt.date.today()
    node = target if isinstance(target, Node) else ws.get_node(target)
    G = graph if graph is not None else warm_graph(ws, as_of=day)
    if node.id not in G:
        raise ValidationError(
            "{name!r} did not exist on {day}", field="date", value=day, name=node.name, day=Day(day)
        )
    compact = _compact_for(G, as_of=day)
    ranked = rank_warm_contacts(
        G,
        node.id,
        weight=STRENGTH_ATTR,
        limit=limit,
        cutoff=cutoff,
        as_of=day,
        lang=lang,
        compact=compact,
    )
    return WarmResult(graph=G, target=node, day=day, contacts=ranked)


def conversation_tie(ws: Any, staff: str, person: str, *, on: dt.date) -> Tie | None:
    """The tie a conversation between ``staff`` and ``person`` is logged on: a KNOWS or
    BOND_WITH tie between them valid on ``on`` or later (KNOWS first, then by id)."""
    found = []
    for tie in ws.ties(node=person, kind=list(CONVERSATION_TIES)):
        if {tie.source, tie.target} != {staff, person} or not tie.current:
            continue
        if tie.until is not None and tie.until <= on:
            continue
        found.append((tie.kind is not RelKind.KNOWS, tie.id, tie))
    return min(found)[2] if found else None


def log_conversation(
    ws: Any,
    *,
    staff: str,
    person: str,
    on: Any,
    notes: str | None = None,
    outcome: str | None = None,
    mode: str = "conversation",
    strength: Any = KEEP,
    half_life: float = HALF_LIFE_DAYS,
) -> tuple[Contact, Tie]:
    """Log a conversation between a staff member and a person, all or nothing.

    Adds a contact moment and opens a new version of their tie from the conversation day
    (the store's ``change_tie``, so the old version stays in the history), or creates a KNOWS
    tie when they had none.

    Parameters
    ----------
    strength : float, None or KEEP
        A number sets the strength by hand; None makes it derived from the contact log; KEEP
        (default) leaves a hand-set strength as it is (a new tie is derived).

    Returns
    -------
    (Contact, Tie)
        The contact moment and the tie version now current.
    """
    day = check_date(on, field="on")
    if day is None:
        raise ValidationError("a conversation needs a date", field="on")
    if day > dt.date.today():
        raise ValidationError(
            "the conversation date {day} lies in the future",
            field="on",
            value=day.isoformat(),
            day=Day(day),
        )
    if outcome is not None and outcome != "" and outcome not in OUTCOMES:
        raise ValidationError(
            "outcome {given!r} is not one of {allowed}",
            field="outcome",
            value=outcome,
            given=outcome,
            allowed=", ".join(OUTCOMES),
        )
    if strength is not KEEP:
        strength = check_strength(strength)
    with ws.atomic():
        staff_node = ws.get_node(staff)
        if staff_node.kind is not NodeKind.STAFF:
            raise ValidationError(
                "{name!r} is not a staff member", field="staff", value=staff, name=staff_node.name
            )
        contact = ws.add_contact(
            staff, person, on=day, mode=mode, notes=notes or None, outcome=outcome or None
        )
        tie = conversation_tie(ws, staff, person, on=day)
        if strength is KEEP:
            hand = tie.strength if tie is not None else None
        else:
            hand = strength
        dates = [c.on for c in ws.contacts(between=(staff, person), until=day)]
        value, source = effective_strength(hand, dates, as_of=day, half_life=half_life)
        props: Mapping[str, Any] = {
            PROP_SOURCE: source if source != "unknown" else "derived",
            "last_contact": day.isoformat(),
            **({"derived_strength": round(value, 3)} if hand is None else {}),
        }
        if tie is None:
            tie = ws.add_tie(
                RelKind.KNOWS,
                staff,
                person,
                strength=hand,
                since=day,
                origin=CONVERSATION_ORIGIN,
                props=props,
            )
        else:
            merged = {k: v for k, v in tie.props.items() if k != "derived_strength"}
            merged.update(props)
            start = max(day, tie.since) if tie.since is not None else day
            tie = ws.change_tie(tie.id, on=start, strength=hand, props=merged)
    return contact, tie
