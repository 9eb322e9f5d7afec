"""Shared pieces of the warm-contact modules: the routing constants, the language a
block speaks, and reading a graph on one day (the day, incident ties, kinds and names)."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Collection, Iterable, Iterator
from typing import Any

import networkx as nx

from ...errors import ValidationError
from ...i18n import LANGUAGES, use_language
from ...model import NodeKind, RelKind, check_date, strength_step

K = NodeKind
R = RelKind

#: Routes longer than this many ties are not warm.
DEFAULT_CUTOFF = 3
#: A direct tie at or above this step ("sterk") is always the route (see the module notes).
STRONG_STEP = 4
#: Tie kinds an introduction can go along.
INTRODUCTION_TIES: frozenset[str] = frozenset({R.KNOWS.value, R.BOND_WITH.value, R.MEMBER_OF.value})
#: Kinds of node routes start from: the library itself and its staff.
SOURCE_KINDS: frozenset[str] = frozenset({K.LIBRARY.value, K.STAFF.value})
#: Kinds of target the ranking takes.
TARGET_KINDS: tuple[str, ...] = (
    K.THEME.value,
    K.ORGANISATION.value,
    K.COMMUNITY.value,
    K.PERSON.value,
)
#: Scores are rounded to this many decimals, so that equal routes computed along different
#: float paths rank the same (ties are then broken by name and id).
DIGITS = 9


@contextlib.contextmanager
def _speaking(lang: str | None) -> Iterator[None]:
    """Speak ``lang`` inside the block ("nl" or "en"); ``None`` is the reader's language."""
    if lang is None:
        yield
        return
    if lang not in LANGUAGES:
        raise ValidationError(
            "language {lang!r} is not nl or en", field="lang", value=lang, lang=lang
        )
    with use_language(lang):
        yield


# --------------------------------------------------------------------------- helpers


def is_strong(strength: float | None) -> bool:
    """True when ``strength`` is at least "sterk" (step :data:`STRONG_STEP`).

    >>> is_strong(0.8), is_strong(0.6), is_strong(None)
    (True, False, False)
    """
    step = strength_step(strength)
    return step is not None and step >= STRONG_STEP


def _day(G: nx.Graph, as_of: Any) -> dt.date:
    day = check_date(as_of, field="as_of")
    if day is None:
        given = G.graph.get("as_of")
        day = check_date(given, field="as_of") if given is not None else None
    return day or dt.date.today()


def _incident_fn(G: nx.Graph) -> Callable[[Any], Iterable[tuple[Any, dict[str, Any]]]]:
    """A function giving every (neighbour, edge data) at a node, ties in both directions."""
    if G.is_multigraph():
        adjs = (G._succ, G._pred) if G.is_directed() else (G._adj,)  # type: ignore[attr-defined]  # networkx's own dicts, for speed

        def incident(v: Any) -> Iterator[tuple[Any, dict[str, Any]]]:
            for adj in adjs:
                for u, keyed in adj[v].items():
                    for d in keyed.values():
                        yield u, d

        return incident
    if G.is_directed():
        succ, pred = G._succ, G._pred  # type: ignore[attr-defined]  # networkx's own dicts, for speed

        def incident_di(v: Any) -> Iterator[tuple[Any, dict[str, Any]]]:
            yield from succ[v].items()
            yield from pred[v].items()

        return incident_di
    adj = G._adj  # type: ignore[attr-defined]  # networkx's own dicts, for speed
    return lambda v: adj[v].items()


def _key(node: Any) -> str:
    return str(node)


class _View:
    """Kinds, names and valid incident ties of a graph on one day."""

    def __init__(self, G: nx.Graph, day: dt.date):
        self.G = G
        self.day = day
        self.nodes = G._node  # type: ignore[attr-defined]  # networkx's own dicts, for speed
        self._incident = _incident_fn(G)

    def kind(self, n: Any) -> str | None:
        return self.nodes[n].get("kind")

    def name(self, n: Any) -> str:
        return str(self.nodes[n].get("name", n))

    def ties(
        self, n: Any, kind: str, other: str | Collection[str] | None = None
    ) -> Iterator[tuple[Any, dict[str, Any]]]:
        day = self.day
        for u, d in self._incident(n):
            if d.get("kind") != kind:
                continue
            since, until = d.get("since"), d.get("until")
            if (since is not None and since > day) or (until is not None and until <= day):
                continue
            if other is not None:
                k = self.nodes[u].get("kind")
                if (k != other) if isinstance(other, str) else (k not in other):
                    continue
            yield u, d


#: The person kind, as the projection spells it.
P = K.PERSON.value
