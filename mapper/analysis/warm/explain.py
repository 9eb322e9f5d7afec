"""Explanations of a ranking in Dutch or English: the links of a route, the route as text
(:func:`describe_route`), the reasons of a route, and the routes as a small graph for a map
(:func:`route_graph`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import networkx as nx

from ...i18n import N_
from ...i18n import gettext as _
from ...model import NodeKind, RelKind, strength_label
from ..strength import DERIVED, HAND_SET, SOURCE_ATTR, UNKNOWN
from .common import _day, _speaking, _View
from .routes import Route

if TYPE_CHECKING:
    from .rank import WarmContact

K = NodeKind
R = RelKind

#: Where a tie's strength on a route comes from, in words.
SOURCE_TEXT: dict[str, str] = {
    HAND_SET: N_("hand-set"),
    DERIVED: N_("derived from contact moments"),
    UNKNOWN: N_("strength unknown"),
}


def _source(code: str | None) -> str:
    return _(SOURCE_TEXT.get(code or UNKNOWN, SOURCE_TEXT[UNKNOWN]))


def _links(
    view: _View,
    route: Route,
    strength: Callable[..., float | None],
    incident: Callable[..., Iterable],
) -> list[dict[str, Any]]:
    links = []
    for a, b, s in zip(route.path, route.path[1:], route.strengths):
        kind, source = None, None
        for u, d in incident(a):
            if u == b and strength(a, b, d) == s:
                kind = d.get("kind")
                source = d.get(SOURCE_ATTR) or (
                    HAND_SET if d.get("strength") is not None else UNKNOWN
                )
                break
        links.append(
            {
                "from": {"id": a, "name": view.name(a)},
                "to": {"id": b, "name": view.name(b)},
                "kind": kind,
                "strength": s,
                "label": strength_label(s),
                "source": source,
            }
        )
    return links


def _affiliation(view: _View, n: Any, prefer: set[str]) -> str | None:
    kind = view.kind(n)
    if kind == K.STAFF.value:
        return _("library")
    if kind != K.PERSON.value:
        return None
    groups = sorted(
        (
            (view.name(g) not in prefer, -(d.get("strength") or 0.0), view.name(g))
            for g, d in view.ties(n, R.MEMBER_OF.value, (K.ORGANISATION.value, K.COMMUNITY.value))
        ),
    )
    return groups[0][2] if groups else None


def describe_route(
    view_or_graph: Any,
    path: Iterable[Any],
    *,
    lang: str | None = "nl",
    prefer: Iterable[str] = (),
) -> str:
    """A route as text: ``"Anna (bibliotheek) → Jan de Vries (Repair Café) → Fatma"``.

    Every node but the last gets its affiliation in brackets: "bibliotheek" for staff, the
    organisation or community a person is a member of (those in ``prefer`` first). In
    ``lang`` ("nl" by default; ``None`` for the reader's language).
    """
    view = (
        view_or_graph
        if isinstance(view_or_graph, _View)
        else _View(view_or_graph, _day(view_or_graph, None))
    )
    nodes = list(path)
    prefer_set = set(prefer)
    parts = []
    for i, n in enumerate(nodes):
        label = view.name(n)
        if i < len(nodes) - 1:
            with _speaking(lang):
                aff = _affiliation(view, n, prefer_set)
            if aff and aff != label:
                label = f"{label} ({aff})"
        parts.append(label)
    return " → ".join(parts)


def _route_reasons(
    view: _View,
    route: Route | None,
    links: list[dict[str, Any]],
    via_library: bool,
    cutoff: int,
    prefer: set[str],
) -> list[str]:
    """The route's reasons in the reader's language."""
    if route is None:
        return [_("No warm route within {k} steps").format(k=cutoff)]
    first = links[0]
    if route.hops == 1:
        fill = {"label": first["label"], "source": _source(first["source"])}
        if via_library:
            return [_("Direct bond with the library ({label}, {source})").format(**fill)]
        return [
            _("{staff} knows {name} personally ({label}, {source})").format(
                staff=first["from"]["name"], name=first["to"]["name"], **fill
            )
        ]
    weakest = links[route.weakest]  # type: ignore[index]
    return [
        _("Via: {route}").format(route=describe_route(view, route.path, lang=None, prefer=prefer)),
        _("Weakest link: {a} → {b} ({label}, {source})").format(
            a=weakest["from"]["name"],
            b=weakest["to"]["name"],
            label=weakest["label"],
            source=_source(weakest["source"]),
        ),
    ]


def route_graph(G: nx.Graph, contacts: Iterable[WarmContact]) -> nx.Graph:
    """The introduction routes of ranked contacts as a small graph for a map.

    Nodes carry ``kind``, ``name`` and ``role`` (``"staff"``, ``"library"``, ``"go-between"``
    or ``"candidate"``, and ``rank`` for candidates); edges carry ``strength``, ``label`` and
    ``source``.
    """
    H: nx.Graph = nx.Graph()
    for rank, c in enumerate(contacts, start=1):
        H.add_node(
            c.id,
            kind=G.nodes[c.id].get("kind"),
            name=c.name,
            role="candidate",
            rank=rank,
            score=c.score,
            warmth=c.warmth,
        )
        if c.route is None:
            continue
        for _i, n in enumerate(c.route.path[:-1]):
            if n in H:
                continue
            kind = G.nodes[n].get("kind")
            role = (
                "library"
                if kind == K.LIBRARY.value
                else "staff"
                if kind == K.STAFF.value
                else "go-between"
            )
            H.add_node(n, kind=kind, name=str(G.nodes[n].get("name", n)), role=role)
        for link in c.links:
            a, b = link["from"]["id"], link["to"]["id"]
            if not H.has_edge(a, b):
                H.add_edge(
                    a, b, strength=link["strength"], label=link["label"], source=link["source"]
                )
    return H
