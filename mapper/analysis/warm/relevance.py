"""Relevance: the people of a target's ecosystem and the signals that put them there
(:func:`ecosystem_signals`), combined as ``1 - Π(1 - p)`` (:func:`relevance`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from ...errors import NotFoundError, ValidationError
from ...i18n import N_, ngettext
from ...i18n import gettext as _
from ...labels import label
from ...model import NodeKind, RelKind
from .common import DIGITS, TARGET_KINDS, P, _day, _key, _speaking, _View

K = NodeKind
R = RelKind

#: Relevance signals: code → (chance-like points, message id). ``{x}`` is filled with the
#: names involved; the Dutch is in ``mapper/translations/nl/warm.po``.
SIGNALS: dict[str, tuple[float, str]] = {
    "is_target": (1.0, N_("Is {x}")),
    "active_on": (0.6, N_("Active on the theme {x}")),
    "organises": (0.5, N_("Organises {x}")),
    "ambassador": (0.5, N_("Ambassador of {x}")),
    "board": (0.35, N_("Board member or founder of {x}")),
    "member": (0.25, N_("Member of {x}")),
    "attends": (0.25, N_("Takes part in {x}")),
    "knows_target": (0.5, N_("Knows {x}")),
    "comember": (0.2, N_("Shares {x} with the person")),
    "community_theme": (0.3, N_("Active on {x}, a theme of the community")),
    "channel": (0.15, N_("Active in {x}")),
    # "central" is counted: Signal.text says "one other" or "{x} others"
    "central": (0.3, N_("Knows {x} others in this network")),
}
#: Members with these roles get the stronger signals.
AMBASSADOR_ROLES = frozenset({"ambassador"})
BOARD_ROLES = frozenset({"board", "founder"})
#: Centrality signal: ``points · k / (k + CENTRAL_HALF)`` for k ecosystem acquaintances.
CENTRAL_HALF = 3


# --------------------------------------------------------------------------- the ecosystem


@dataclass
class Signal:
    """One reason a candidate matters for the target: a code of :data:`SIGNALS`, its points
    and the names (or count) it is about."""

    code: str
    points: float
    about: list[str] = field(default_factory=list)

    def text(self, lang: str | None = "nl") -> str:
        """The signal in words, in ``lang`` (``None``: the reader's language)."""
        with _speaking(lang):
            if self.code == "central" and len(self.about) == 1 and self.about[0].isdigit():
                k = int(self.about[0])
                return ngettext(
                    "Knows {x} other in this network", "Knows {x} others in this network", k
                ).format(x=k)
            return _(SIGNALS[self.code][1]).format(x=_names(self.about))


def _names(names: list[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``, ``A, B, C and 2 more`` in the reader's language."""
    names = sorted(dict.fromkeys(names))
    if len(names) > 3:
        more = len(names) - 3
        return ngettext("{names} and {n} more", "{names} and {n} more", more).format(
            names=", ".join(names[:3]), n=more
        )
    if len(names) > 1:
        return _("{names} and {last}").format(names=", ".join(names[:-1]), last=names[-1])
    return names[0] if names else ""


def ecosystem_signals(G: nx.Graph, target: Any, *, as_of: Any = None) -> dict[Any, list[Signal]]:
    """The people of a target's ecosystem, each with the signals that put them there.

    Parameters
    ----------
    G : networkx graph
        A projection: nodes carry ``kind`` and ``name``, ties carry ``kind`` (and ``role``).
    target : node
        A Theme, Organisation, Community or Person node.
    as_of : date, optional
        Ties not valid on this day do not count (default: the graph's ``as_of``, else today).

    Returns
    -------
    dict
        Person → list of :class:`Signal`, one per signal code.

    Notes
    -----
    * Theme: people ACTIVE_ON it; organisers and attendees of activities ABOUT it; members of
      organisations ACTIVE_ON it or organising such activities, and of communities ABOUT it
      (by role: ambassador, board or founder, other); people ACTIVE_IN channels ABOUT it.
    * Organisation: its members (by role), organisers and attendees of its activities.
    * Community: its members (by role), organisers and attendees of its activities, and people
      active on the themes the community is ABOUT.
    * Person: the person, those who know them, and those sharing an organisation or community.

    For every kind, people who know others in the ecosystem also get the "central" signal.
    """
    view = _View(G, _day(G, as_of))
    if target not in G:
        raise NotFoundError("no entity with id {id!r} (on this date)", id=target)
    kind = view.kind(target)
    if kind not in TARGET_KINDS:
        raise ValidationError(
            "{target!r} is a {kind}; warm contacts are found for a {allowed}",
            field="target",
            value=target,
            target=target,
            kind=label(kind, "kind") if kind else kind,
            allowed=", ".join(label(k, "kind") for k in TARGET_KINDS),
        )
    signals = _Signals(view)
    if kind == K.THEME.value:
        signals.theme(target)
    elif kind in (K.ORGANISATION.value, K.COMMUNITY.value):
        signals.group(target, kind)
    else:
        signals.person(target)
    signals.central()
    return {p: list(s.values()) for p, s in signals.found.items()}


class _Signals:
    """The signals of :func:`ecosystem_signals`, gathered person by person."""

    def __init__(self, view: _View):
        self.view = view
        self.found: dict[Any, dict[str, Signal]] = {}

    def add(self, person: Any, code: str, about: str, points: float | None = None) -> None:
        signals = self.found.setdefault(person, {})
        if code in signals:
            signals[code].about.append(about)
        else:
            signals[code] = Signal(code, SIGNALS[code][0] if points is None else points, [about])

    def members(self, group: Any) -> None:
        for u, d in self.view.ties(group, R.MEMBER_OF.value, P):
            role = d.get("role")
            code = (
                "ambassador"
                if role in AMBASSADOR_ROLES
                else "board"
                if role in BOARD_ROLES
                else "member"
            )
            self.add(u, code, self.view.name(group))

    def activity_people(self, activity: Any) -> None:
        view = self.view
        for u, _tie in view.ties(activity, R.ORGANISES.value, P):
            self.add(u, "organises", view.name(activity))
        for u, _tie in view.ties(activity, R.ATTENDS.value, P):
            self.add(u, "attends", view.name(activity))

    def theme(self, target: Any) -> None:
        view, name = self.view, self.view.name(target)
        groups: set[Any] = set()
        for u, _tie in view.ties(target, R.ACTIVE_ON.value, P):
            self.add(u, "active_on", name)
        groups.update(u for u, _tie in view.ties(target, R.ACTIVE_ON.value, K.ORGANISATION.value))
        for a, _tie in view.ties(target, R.ABOUT.value, K.ACTIVITY.value):
            self.activity_people(a)
            groups.update(u for u, _tie in view.ties(a, R.ORGANISES.value, K.ORGANISATION.value))
        groups.update(u for u, _tie in view.ties(target, R.ABOUT.value, K.COMMUNITY.value))
        for g in sorted(groups, key=_key):
            self.members(g)
        for c, _tie in view.ties(target, R.ABOUT.value, K.CHANNEL.value):
            for u, _tie in view.ties(c, R.ACTIVE_IN.value, P):
                self.add(u, "channel", view.name(c))

    def group(self, target: Any, kind: str) -> None:
        view = self.view
        self.members(target)
        for a, _tie in view.ties(target, R.ORGANISES.value, K.ACTIVITY.value):
            self.activity_people(a)
        if kind == K.COMMUNITY.value:
            for theme, _tie in view.ties(target, R.ABOUT.value, K.THEME.value):
                for u, _tie in view.ties(theme, R.ACTIVE_ON.value, P):
                    self.add(u, "community_theme", view.name(theme))

    def person(self, target: Any) -> None:
        view, name = self.view, self.view.name(target)
        self.add(target, "is_target", name)
        for u, _tie in view.ties(target, R.KNOWS.value, P):
            self.add(u, "knows_target", name)
        groups = (K.ORGANISATION.value, K.COMMUNITY.value)
        for g, _tie in view.ties(target, R.MEMBER_OF.value, groups):
            for u, _tie in view.ties(g, R.MEMBER_OF.value, P):
                if u != target:
                    self.add(u, "comember", view.name(g))

    def central(self) -> None:
        """People who know others in the ecosystem: more so the more they know."""
        view, people = self.view, set(self.found)
        points, half = SIGNALS["central"][0], CENTRAL_HALF
        for person in sorted(people, key=_key):
            known = {
                u for u, _tie in view.ties(person, R.KNOWS.value, P) if u in people and u != person
            }
            if known:
                k = len(known)
                self.found[person]["central"] = Signal("central", points * k / (k + half), [str(k)])


def relevance(signals: Iterable[Signal]) -> float:
    """Combine signals as ``1 - Π(1 - points)``.

    >>> relevance([Signal("active_on", 0.6), Signal("member", 0.25)])
    0.7
    """
    rest = 1.0
    for s in signals:
        rest *= 1.0 - s.points
    return round(1.0 - rest, DIGITS)
