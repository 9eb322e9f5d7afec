"""Tie strength: set by hand, or derived from the logged contact moments.

A tie's ``strength`` (0–1, shown on the five-step scale of :data:`mapper.model.STRENGTH_STEPS`)
is either **hand-set** or **derived**:

* **Hand-set**: the tie version carries a number in ``strength``. It always wins, and is shown
  as "handmatig" / "hand-set".
* **Derived**: the tie version carries ``strength = None``. Its strength is then computed, as of
  the day asked for, from the contact moments logged between its two ends (in either
  direction): every contact on day *d* adds ``0.5 ** ((day - d) / half_life)`` to a *contact
  score* ``c`` (so a contact counts fully on its day, half after one half-life, a quarter after
  two), contacts after the day do not count, and the strength is::

      max(FLOOR, c / (c + 1))

  One conversation today gives 0.5 ("redelijk"), two give 0.67 and four give 0.8 ("sterk"),
  nine give 0.9 ("zeer sterk"); when contact stops the strength fades, and after one half-life
  a single conversation is worth 0.33 ("zwak"). The half-life is :data:`HALF_LIFE_DAYS`
  (182 days, half a year) unless given.
* A tie with no strength and no logged contact counts as :data:`FLOOR` (0.2, "vluchtig"): the
  tie is known to exist, not how strong it is. A derived strength never fades below it.

So a tie records *how* its strength is known by whether ``strength`` is set: hand-set ties carry
the number, derived ties carry ``None``. When a conversation is logged on a derived tie (see
:mod:`web.warm`), the store's ``change_tie`` opens a new version that still has ``strength =
None`` and records, for history, ``props = {"strength_source": "derived", "derived_strength":
…, "last_contact": "YYYY-MM-DD"}``; that snapshot is informational, the ranking always derives
the strength afresh for its own date, so it keeps fading correctly and any past date can be
projected.

Contact moments between two nodes that have no tie between them do not count for warmth: a
logged conversation creates the tie (see :func:`mapper.services.warm.log_conversation`).

Examples
--------
>>> import datetime as dt
>>> day = dt.date(2026, 1, 1)
>>> contact_strength([day], as_of=day)
0.5
>>> round(contact_strength([day - dt.timedelta(days=HALF_LIFE_DAYS)], as_of=day), 3)
0.333
>>> contact_strength([], as_of=day)
0.2
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import networkx as nx

from ..errors import ValidationError

#: Days after which a contact moment counts for half (half a year).
HALF_LIFE_DAYS = 182
#: The strength of a tie with no hand-set strength and no logged contact, and the lowest a
#: derived strength fades to ("vluchtig", the first step).
FLOOR = 0.2
#: How a tie's effective strength is known, as written in :data:`SOURCE_ATTR`.
HAND_SET, DERIVED, UNKNOWN = "hand-set", "derived", "unknown"
#: Edge attribute names written by :func:`annotate_strengths`.
STRENGTH_ATTR = "warm_strength"
SOURCE_ATTR = "strength_source"
#: Tie property naming how the strength of a stored version is known.
PROP_SOURCE = "strength_source"

Pair = frozenset


def _check_half_life(half_life: float) -> float:
    try:
        value = float(half_life)
    except (TypeError, ValueError):
        raise ValidationError(
            "the half-life {given!r} is not a number",
            field="half_life",
            value=half_life,
            given=half_life,
        ) from None
    if not value > 0:
        raise ValidationError(
            "the half-life {given!r} must be more than 0 days",
            field="half_life",
            value=half_life,
            given=half_life,
        )
    return value


def contact_score(
    dates: Iterable[dt.date], *, as_of: dt.date, half_life: float = HALF_LIFE_DAYS
) -> float:
    """The decayed number of contact moments on ``dates`` as seen on ``as_of``.

    Each contact counts ``0.5 ** (age / half_life)`` with its age in days; contacts after
    ``as_of`` do not count.

    >>> import datetime as dt
    >>> contact_score([dt.date(2026, 1, 1)] * 2, as_of=dt.date(2026, 1, 1))
    2.0
    """
    half = _check_half_life(half_life)
    total = 0.0
    for day in dates:
        age = (as_of - day).days
        if age >= 0:
            total += 0.5 ** (age / half)
    return total


def contact_strength(
    dates: Iterable[dt.date], *, as_of: dt.date, half_life: float = HALF_LIFE_DAYS
) -> float:
    """The strength derived from contact moments on ``dates``: ``max(FLOOR, c / (c + 1))``.

    Parameters
    ----------
    dates : iterable of date
        Days of the contact moments between the two ends of a tie.
    as_of : date
        The day the strength is wanted for; later contacts do not count.
    half_life : float
        Days after which a contact counts for half (default :data:`HALF_LIFE_DAYS`).

    Returns
    -------
    float
        A strength in ``[FLOOR, 1)``.

    >>> import datetime as dt
    >>> d = dt.date(2026, 3, 1)
    >>> [round(contact_strength([d] * n, as_of=d), 2) for n in (1, 2, 4, 9)]
    [0.5, 0.67, 0.8, 0.9]
    """
    score = contact_score(dates, as_of=as_of, half_life=half_life)
    return max(FLOOR, score / (score + 1.0))


def contact_dates(contacts: Iterable[Any]) -> dict[frozenset, list[dt.date]]:
    """Group contact moments (objects with ``a``, ``b``, ``on``) by unordered pair of ends."""
    out: dict[frozenset, list[dt.date]] = defaultdict(list)
    for c in contacts:
        out[frozenset((c.a, c.b))].append(c.on)
    return dict(out)


def effective_strength(
    strength: float | None,
    dates: Iterable[dt.date] = (),
    *,
    as_of: dt.date,
    half_life: float = HALF_LIFE_DAYS,
) -> tuple[float, str]:
    """A tie's strength for ranking and how it is known: ``(value, source)``.

    A hand-set ``strength`` wins; otherwise it is derived from the contact ``dates``; with no
    contact either it is :data:`FLOOR` with source ``"unknown"``.

    >>> import datetime as dt
    >>> d = dt.date(2026, 3, 1)
    >>> effective_strength(0.8, [d], as_of=d)
    (0.8, 'hand-set')
    >>> effective_strength(None, [d], as_of=d)
    (0.5, 'derived')
    >>> effective_strength(None, [], as_of=d)
    (0.2, 'unknown')
    """
    if strength is not None:
        return float(strength), HAND_SET
    dates = [d for d in dates if d <= as_of]
    if not dates:
        return FLOOR, UNKNOWN
    return contact_strength(dates, as_of=as_of, half_life=half_life), DERIVED


def strength_annotator(
    contacts: Iterable[Any] | Mapping[frozenset, list[dt.date]],
    *,
    as_of: dt.date,
    half_life: float = HALF_LIFE_DAYS,
    weight: str = "strength",
    attr: str = STRENGTH_ATTR,
    source_attr: str = SOURCE_ATTR,
) -> Callable[[Any, Any, Mapping[str, Any]], dict[str, Any]]:
    """``annotate(u, v, attrs)``: the attributes :func:`annotate_strengths` would give the edge
    ``u → v``, as a new dict (``attrs`` is left as it is), for a view that works strengths
    out when an edge is first read (:func:`mapper.graph.annotated.annotated_view`).

    ``contacts`` are contact moments, or already grouped by :func:`contact_dates`.

    >>> from mapper.model import Contact
    >>> day = dt.date(2026, 3, 1)
    >>> annotate = strength_annotator([Contact("c1", "a", "b", dt.date(2026, 2, 1))], as_of=day)
    >>> annotate("a", "b", {"strength": None})[SOURCE_ATTR], annotate("b", "c", {"strength": 0.5})
    ('derived', {'strength': 0.5, 'warm_strength': 0.5, 'strength_source': 'hand-set'})
    """
    by_pair = contacts if isinstance(contacts, Mapping) else contact_dates(contacts)

    def annotate(u: Any, v: Any, data: Mapping[str, Any]) -> dict[str, Any]:
        value, source = effective_strength(
            data.get(weight), by_pair.get(frozenset((u, v)), ()), as_of=as_of, half_life=half_life
        )
        return {**data, attr: value, source_attr: source}

    return annotate


def annotate_strengths(
    G: nx.Graph,
    contacts: Iterable[Any] = (),
    *,
    as_of: Any = None,
    weight: str = "strength",
    half_life: float = HALF_LIFE_DAYS,
    attr: str = STRENGTH_ATTR,
    source_attr: str = SOURCE_ATTR,
) -> nx.Graph:
    """Write every edge's effective strength and its source into the edge data, in place.

    Parameters
    ----------
    G : networkx graph
        A projection (any networkx graph); edges carry the hand-set strength in ``weight``
        (``None`` when not set).
    contacts : iterable
        Contact moments (:class:`mapper.model.Contact` or anything with ``a``, ``b``, ``on``).
    as_of : date or ISO text, optional
        The day (default: the graph's ``as_of`` attribute, else today).
    weight : str
        Edge attribute holding the hand-set strength.
    half_life : float
        Days after which a contact counts for half.
    attr, source_attr : str
        Edge attributes written: the effective strength, and ``"hand-set"``, ``"derived"`` or
        ``"unknown"``.

    Returns
    -------
    G
        The same graph, for chaining.

    Examples
    --------
    >>> import datetime as dt
    >>> from mapper.model import Contact
    >>> G = nx.MultiDiGraph(as_of=dt.date(2026, 3, 1))
    >>> G.add_edge("a", "b", key="t1", kind="KNOWS", strength=None)
    't1'
    >>> G.add_edge("a", "c", key="t2", kind="KNOWS", strength=0.8)
    't2'
    >>> met = Contact("c1", "b", "a", dt.date(2026, 3, 1))
    >>> H = annotate_strengths(G, [met])
    >>> H.edges["a", "b", "t1"]["warm_strength"], H.edges["a", "b", "t1"]["strength_source"]
    (0.5, 'derived')
    >>> H.edges["a", "c", "t2"]["strength_source"]
    'hand-set'
    """
    from ..model import check_date

    raw = check_date(as_of, field="as_of") or G.graph.get("as_of") or dt.date.today()
    day: dt.date = check_date(raw, field="as_of") if isinstance(raw, str) else raw  # type: ignore[assignment]
    half = _check_half_life(half_life)
    by_pair = contact_dates(contacts)
    for u, v, data in G.edges(data=True):
        value, source = effective_strength(
            data.get(weight), by_pair.get(frozenset((u, v)), ()), as_of=day, half_life=half
        )
        data[attr] = value
        data[source_attr] = source
    return G
