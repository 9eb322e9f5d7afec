"""The demo town: Bibliotheek Rijnstad and the town around it, with 24 months of history.

:func:`seed_demo` fills an empty workspace through the public :class:`~mapper.store.base.Store`
API. The facts (names, organisations, activities, channels, communities) are in
:mod:`seeds.rijnstad`; this module turns them into nodes, ties, tie changes and contact
moments. Everything is deterministic: ids are derived from stable keys, and every random
choice comes from one :class:`random.Random` with a fixed seed, so two runs give the same
content (only the ``recorded_at`` timestamps differ).

What is in it
-------------
- one Library, 7 Staff (WORKS_AT; ACTIVE_ON their themes), 6 Goals (Library PURSUES Goal;
  Goal ABOUT Theme) and 12 Themes: 8 the library pursues and 4 alive only in town
  (sport en bewegen, mobiliteit, armoede en schulden, mantelzorg): the theme scan shows the
  overlap and the town's gaps. One library theme (digitale vaardigheden) has no ``signals``
  (nobody wrote about it) and lives only through the library's own activities; its goal
  entered the policy plan a year into the window;
- 189 Persons with Dutch names of a mixed town (tussenvoegsels, diacritics), each with a
  main organisation (MEMBER_OF, some with a role), ACTIVE_ON themes, KNOWS ties clustered by
  organisation and neighbourhood with a few bridges, ACTIVE_IN channels;
- 40 Organisations, 33 Activities (ORGANISES, ATTENDS, ABOUT, SERVES), 10 Channels;
- Staff KNOWS and BOND_WITH some residents, the Library BOND_WITH some organisations and
  ORGANISES the activities it hosts (fewer than half of persons and organisations have a bond);
- 3 Communities (ABOUT a theme, SERVES a goal, MEMBER_OF with join dates, ambassadors,
  leavers, HAS_ROLE per staff role — "Samen in de Wijk" has no driver yet) and 4 SmartGoals;
- history: ties begin at different dates, communities grow month by month, strengths change
  (:meth:`~mapper.store.base.Store.change_tie`), some ties end
  (:meth:`~mapper.store.base.Store.end_tie`), and several hundred contact moments (staff ↔
  residents and residents ↔ residents, always between people who know each other by then);
- three residents (:data:`VIA_VIA`) no staff member knows, each two steps away: examples
  for the warm-contact ranking.

Everything is written in one transaction (``store.atomic()``), recorded in the audit trail
as the work of ``seeds.demo``.

Properties used (plain JSON values)
-----------------------------------
==============  =============================================================================
kind            props
==============  =============================================================================
Library         ``town``, ``address``
Staff           ``job_title``
Goal            ``description``, ``policy_plan``
Theme           ``description``, ``signals`` (list of where the theme was seen in town:
                "lokale krant", "Facebook", "meetup.com", "buurtapp", "collega's"; empty for a
                theme only the library has)
Person          ``neighbourhood``, ``description``, ``lawful_basis`` and ``data_source``
                (see :mod:`mapper.privacy`)
Organisation    ``type`` (e.g. "basisschool", "repair café"), ``neighbourhood``
Activity        ``schedule``, ``place``, ``frequency`` (weekly, biweekly, monthly,
                twice-yearly, yearly); ``dates`` (ISO dates of the sessions inside the
                history window) for all but weekly activities
Channel         ``mode`` ("online"/"offline"), ``medium``, ``description``
Community       ``bond_type`` (geography/identity/affinity), ``traits`` (list), ``vision``
SmartGoal       ``metric`` ("members": persons with a current MEMBER_OF tie to the
                community; "ambassadors": those with role ambassador;
                "activities_per_month": activities it organises, counted by their
                ``dates``), ``target`` (number),
                ``deadline`` (ISO date), ``description``
==============  =============================================================================

Ties carry ``origin`` (where the information came from, e.g. "omgevingsscan", "gesprek",
"ledenlijst", "beleidsplan 2024–2027", "contactlog").

Time
----
The history runs over the :data:`HISTORY_MONTHS` months before ``today``. ``today`` defaults
to the fixed :data:`DEFAULT_TODAY`, not the real date, so that the demo (and every test on it)
is the same on every machine and every day; pass ``today=datetime.date.today()`` for a demo
whose history ends now. Every date is computed relative to ``today``.

Examples
--------
>>> from mapper.store import SQLiteStore
>>> from seeds.demo import seed_demo
>>> with SQLiteStore(":memory:") as store:
...     counts = seed_demo(store, "demo")
>>> counts["Person"] >= 150 and counts["Organisation"] == 40
True
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import random
from typing import Any

from mapper.model import ID_PREFIX, NodeKind, RelKind, add_months, check_date
from mapper.store.base import Store

from . import aandeslag
from . import rijnstad as town

#: The day the demo history ends when no ``today`` is given (fixed: the demo is deterministic).
DEFAULT_TODAY = dt.date(2026, 11, 1)
#: How many months of dated history lie before ``today``.
HISTORY_MONTHS = 24
#: Seed of the one random generator behind every choice.
SEED = 20261101
#: A name that is an XSS probe. It is NOT in the demo town: browser and page tests add a
#: person with this name themselves and check it is shown as text.
XSS_NAME = "<img src=x onerror=alert(1)>"
#: Name of the demo workspace (the library).
WORKSPACE_NAME = town.LIBRARY_NAME

#: Background mix of generated members, per organisation type (default: town.NAME_MIX).
_ORG_NAME_MIX: dict[str, dict[str, int]] = {
    "moskee": {"tr": 45, "ma": 50, "sy_er": 5},
    "taalhuis": {"nl": 35, "tr": 10, "ma": 15, "sy_er": 25, "pl": 15},
    "vluchtelingenorganisatie": {"nl": 30, "sy_er": 70},
    "kerk": {"nl": 80, "sr": 10, "pl": 10},
    "seniorenvereniging": {"nl": 85, "sr": 10, "tr": 5},
    "voedselbank": {"nl": 50, "ma": 20, "sr": 20, "pl": 10},
}
_MEMBER_ROLES = (("member", 60), ("volunteer", 25), ("board", 10), ("employee", 5))
_EMPLOYER_TYPES = {
    "gemeente",
    "welzijnsorganisatie",
    "basisschool",
    "mbo-school",
    "museum",
    "archief",
    "zorginstelling",
    "jeugdgezondheidszorg",
    "woningcorporatie",
    "cultuurcentrum",
    "jongerenwerk",
}
#: Lawful basis (see mapper.privacy): residents the library knows personally gave consent;
#: the others are recorded from public sources for the environment scan.
_CONSENT, _LEGITIMATE = "consent", "legitimate_interest"


def stable_id(prefix: str, key: str) -> str:
    """A deterministic id such as ``per-3f9a0c1b2d4e`` for a stable key.

    >>> stable_id("per", "fatma") == stable_id("per", "fatma")
    True
    """
    digest = hashlib.sha256(f"rijnstad/{prefix}/{key}".encode()).hexdigest()
    return f"{prefix}-{digest[:12]}"


class _Town:
    """Collects the specs of the demo town before they are written in one go."""

    def __init__(self, today: dt.date, rng: random.Random):
        self.today = today
        self.start = add_months(today, -HISTORY_MONTHS)
        self.rng = rng
        self.nodes: list[dict[str, Any]] = []
        self.kinds: dict[str, NodeKind] = {}
        self.node_since: dict[str, dt.date | None] = {}
        self.node_until: dict[str, dt.date | None] = {}
        self.ties: list[dict[str, Any]] = []
        self.tie_index: dict[tuple[str, str, str], dict[str, Any]] = {}
        self.tie_by_id: dict[str, dict[str, Any]] = {}
        self.node_names: dict[str, str] = {}
        self.changes: list[tuple[dt.date, str, dict[str, Any]]] = []
        self.ends: dict[str, dt.date] = {}
        self.contacts: list[dict[str, Any]] = []
        # keys -> ids
        self.ids: dict[str, str] = {}
        self.person_orgs: dict[str, list[str]] = {}  # person id -> organisation keys
        self.person_wijk: dict[str, str] = {}
        self.person_themes: dict[str, list[str]] = {}
        self.names: set[str] = set()

    # ------------------------------------------------------------------ dates

    def month(self, m: int) -> dt.date:
        """The day ``m`` months after the start of the history window."""
        return add_months(self.start, m)

    def between(self, a: dt.date, b: dt.date) -> dt.date:
        """A random day in ``[a, b)`` (``a`` if the range is empty)."""
        span = (b - a).days
        return a + dt.timedelta(days=self.rng.randrange(span)) if span > 0 else a

    def long_ago(self) -> dt.date:
        """A random day between eight years and a month before the window."""
        return self.between(add_months(self.start, -96), add_months(self.start, -1))

    def tie_since(self, recent_share: float, *, earliest: dt.date | None = None) -> dt.date:
        """A start date: within the window with probability ``recent_share``, else before it."""
        if self.rng.random() < recent_share:
            day = self.between(self.start, self.today - dt.timedelta(days=14))
        else:
            day = self.long_ago()
        if earliest is not None and day < earliest:
            day = self.between(
                earliest, max(earliest + dt.timedelta(days=1), self.today - dt.timedelta(days=14))
            )
        return day

    # ------------------------------------------------------------------ writing specs

    def node(
        self,
        kind: NodeKind,
        key: str,
        name: str,
        props: dict[str, Any],
        since: dt.date | None = None,
        until: dt.date | None = None,
        origin: str = "omgevingsscan",
    ) -> str:
        node_id = stable_id(ID_PREFIX[kind], key)
        assert node_id not in self.kinds, key
        self.ids[key] = node_id
        self.kinds[node_id] = kind
        self.node_names[node_id] = name
        self.node_since[node_id] = since
        self.node_until[node_id] = until
        self.nodes.append(
            dict(
                id=node_id,
                kind=kind,
                name=name,
                props=props,
                since=since,
                until=until,
                origin=origin,
            )
        )
        return node_id

    def tie(
        self,
        kind: RelKind,
        source: str,
        target: str,
        *,
        since: dt.date,
        strength: float | None = None,
        role: str | None = None,
        origin: str = "omgevingsscan",
        until: dt.date | None = None,
    ) -> str | None:
        """Plan a tie; returns its id, or None if the same tie exists already."""
        a, b = (
            (min(source, target), max(source, target))
            if kind is RelKind.KNOWS
            else (source, target)
        )
        index = (kind.value, a, b)
        if index in self.tie_index or a == b:
            return None
        # A tie never starts before its ends exist, nor outlives them.
        for end in (a, b):
            node_since = self.node_since[end]
            if node_since is not None and since < node_since:
                since = node_since
            node_until = self.node_until[end]
            if node_until is not None and (until is None or until > node_until):
                until = node_until
        if until is not None and until <= since:
            return None
        tie_id = stable_id("tie", "/".join(index))
        spec = dict(
            id=tie_id,
            kind=kind,
            source=a,
            target=b,
            strength=strength,
            since=since,
            role=role,
            origin=origin,
        )
        self.ties.append(spec)
        self.tie_index[index] = spec
        self.tie_by_id[tie_id] = spec
        if until is not None:
            self.end(tie_id, until)
        return tie_id

    def find_tie(self, kind: RelKind, source: str, target: str) -> dict[str, Any] | None:
        if kind is RelKind.KNOWS:
            source, target = min(source, target), max(source, target)
        return self.tie_index.get((kind.value, source, target))

    def end(self, tie_id: str | None, day: dt.date) -> None:
        """Plan the end of a tie on ``day`` (ignored unless it lies before today); changes
        planned on or after that day are dropped."""
        if tie_id is None or day >= self.today or day <= self.tie_by_id[tie_id]["since"]:
            return
        self.ends[tie_id] = min(day, self.ends.get(tie_id, day))
        self.changes = [c for c in self.changes if c[1] != tie_id or c[0] < self.ends[tie_id]]

    def change(self, tie_id: str | None, day: dt.date, **fields: Any) -> bool:
        """Plan a change of a tie on ``day`` if it falls inside the tie's life."""
        if tie_id is None:
            return False
        spec = self.tie_by_id[tie_id]
        ended = self.ends.get(tie_id)
        same_day = any(c[1] == tie_id and c[0] == day for c in self.changes)
        if day <= spec["since"] or day >= self.today or (ended and day >= ended) or same_day:
            return False
        self.changes.append((day, tie_id, fields))
        return True

    def strength(self, low: float, high: float) -> float:
        """A strength in ``[low, high]`` on a 0.05 grid."""
        steps = round((high - low) / 0.05)
        return round(low + 0.05 * self.rng.randint(0, steps), 2)

    def contact(
        self, a: str, b: str, on: dt.date, mode: str, notes: str, outcome: str | None = None
    ) -> None:
        number = len(self.contacts)
        self.contacts.append(
            dict(
                id=stable_id("cnt", str(number)),
                a=a,
                b=b,
                on=on,
                mode=mode,
                notes=notes,
                outcome=outcome,
            )
        )


# --------------------------------------------------------------------------- building


def _weighted(rng: random.Random, weights: dict[str, int] | tuple[tuple[str, int], ...]) -> str:
    items = list(weights.items()) if isinstance(weights, dict) else list(weights)
    return rng.choices([k for k, _ in items], weights=[w for _, w in items])[0]


def _person_name(t: _Town, mix: dict[str, int], gender: str) -> str:
    for _ in range(200):
        female, male, surnames = town.NAME_POOLS[_weighted(t.rng, mix)]
        first = t.rng.choice(female if gender == "f" else male)
        surname = t.rng.choice(surnames)
        if isinstance(surname, tuple):
            surname = surname[0] if gender == "m" else surname[1]
        name = f"{first} {surname}"
        if name not in t.names:
            t.names.add(name)
            return name
    raise RuntimeError("name pools exhausted")  # pragma: no cover - pools are large enough


def _frame(t: _Town) -> None:
    """Library, staff, themes and goals (werkblad 1 and 2)."""
    lib = t.node(
        NodeKind.LIBRARY,
        "library",
        town.LIBRARY_NAME,
        {"town": town.TOWN, "address": "Kadeplein 1, Rijnstad"},
        origin="beleidsplan",
    )
    for key, (name, description, signals) in town.THEMES.items():
        t.node(
            NodeKind.THEME,
            f"theme:{key}",
            name,
            {"description": description, "signals": list(signals)},
        )
    plan_start = t.month(-10)  # the policy plan began ten months before the window
    plan = f"beleidsplan {plan_start.year}–{plan_start.year + 3}"
    library_themes: list[str] = []
    for key, (name, description, themes) in town.GOALS.items():
        goal = t.node(
            NodeKind.GOAL,
            f"goal:{key}",
            name,
            {"description": description, "policy_plan": plan},
            origin="beleidsplan",
        )
        # Digital inclusion entered the plan at its mid-term review, a year into the window.
        since = t.month(12) if key == "digitaal" else plan_start
        t.tie(RelKind.PURSUES, lib, goal, since=since, strength=1.0, origin=plan)
        for theme in themes:
            t.tie(
                RelKind.ABOUT, goal, t.ids[f"theme:{theme}"], since=since, strength=1.0, origin=plan
            )
            if theme not in library_themes:
                library_themes.append(theme)
    for theme in library_themes:
        t.tie(
            RelKind.ACTIVE_ON,
            lib,
            t.ids[f"theme:{theme}"],
            since=plan_start,
            strength=0.8,
            origin=plan,
        )
    for key, (name, title, themes, years) in town.STAFF.items():
        since = add_months(t.today, -10) if years == 0 else add_months(t.today, -12 * years)
        # A staff node is valid from the day they joined, so no tie of theirs starts earlier.
        staff = t.node(
            NodeKind.STAFF,
            f"staff:{key}",
            name,
            {"job_title": title},
            since=since,
            origin="personeelsadministratie",
        )
        t.tie(
            RelKind.WORKS_AT,
            staff,
            lib,
            since=since,
            strength=1.0,
            origin="personeelsadministratie",
        )
        for theme in themes:
            t.tie(
                RelKind.ACTIVE_ON,
                staff,
                t.ids[f"theme:{theme}"],
                since=since,
                strength=t.strength(0.6, 1.0),
                origin="personeelsadministratie",
            )
    staff_ids = [t.ids[f"staff:{k}"] for k in town.STAFF]
    for i, a in enumerate(staff_ids):
        for b in staff_ids[i + 1 :]:
            since = max(_works_since(t, a), _works_since(t, b))
            t.tie(RelKind.KNOWS, a, b, since=since, strength=0.8, origin="collega's")


def _works_since(t: _Town, staff_id: str) -> dt.date:
    spec = t.find_tie(RelKind.WORKS_AT, staff_id, t.ids["library"])
    assert spec is not None
    return spec["since"]


def _organisations(t: _Town) -> None:
    lib = t.ids["library"]
    for key, (name, kind, wijk, themes, _size, bond) in town.ORGANISATIONS.items():
        org = t.node(
            NodeKind.ORGANISATION, f"org:{key}", name, {"type": kind, "neighbourhood": wijk}
        )
        for i, theme in enumerate(themes):
            t.tie(
                RelKind.ACTIVE_ON,
                org,
                t.ids[f"theme:{theme}"],
                since=t.long_ago(),
                strength=t.strength(0.7, 1.0) if i == 0 else t.strength(0.4, 0.8),
            )
        if bond is not None:
            tie = t.tie(
                RelKind.BOND_WITH,
                lib,
                org,
                since=t.tie_since(0.3),
                strength=bond,
                origin="relatiebeheer",
            )
            if t.rng.random() < 0.3:
                t.change(
                    tie,
                    t.between(t.month(3), t.month(22)),
                    strength=round(min(1.0, bond + 0.2), 2),
                    origin="gesprek",
                )


def _people(t: _Town) -> None:
    # Hand-written residents first, then generated members for every organisation.
    for key, (name, _gender, wijk, orgs, role, description) in town.PEOPLE.items():
        t.names.add(name)
        _person(
            t,
            f"person:{key}",
            name,
            wijk,
            orgs,
            role,
            description,
            _CONSENT,
            "gesprek met de bibliotheek",
        )
    number = 0
    for org_key, (_n, kind, wijk, _themes, size, _bond) in town.ORGANISATIONS.items():
        mix = _ORG_NAME_MIX.get(kind, town.NAME_MIX)
        for _ in range(size):
            number += 1
            gender = t.rng.choice("fm")
            name = _person_name(t, mix, gender)
            home = wijk if t.rng.random() < 0.75 else t.rng.choice(town.WIJKEN)
            orgs = [org_key]
            if t.rng.random() < 0.3:  # a second membership: the bridges between circles
                near = [
                    k
                    for k, o in town.ORGANISATIONS.items()
                    if k != org_key
                    and (o[2] == home or set(o[3]) & set(town.ORGANISATIONS[org_key][3]))
                ]
                orgs.append(t.rng.choice(near))
            role = (
                "employee"
                if kind in _EMPLOYER_TYPES and t.rng.random() < 0.5
                else _weighted(t.rng, _MEMBER_ROLES)
            )
            description = _description(t, role, org_key, kind)
            _person(
                t,
                f"person:gen{number:03d}",
                name,
                home,
                orgs,
                role,
                description,
                _LEGITIMATE,
                f"omgevingsscan: {town.ORGANISATIONS[org_key][0]}",
            )


def _description(t: _Town, role: str, org_key: str, kind: str) -> str:
    """A short description fitting a generated resident's role in their main organisation."""
    org = town.ORGANISATIONS[org_key][0]
    if role == "employee":
        return f"Werkt bij {org}"
    if role == "board":
        return f"Bestuurslid van {org}"
    if role == "volunteer":
        return f"Vrijwilliger bij {org}"
    return t.rng.choice(town.DESCRIPTIONS.get(kind, town.DEFAULT_DESCRIPTIONS))


def _person(
    t: _Town,
    key: str,
    name: str,
    wijk: str,
    orgs: list[str],
    role: str,
    description: str,
    basis: str,
    source: str,
) -> None:
    pid = t.node(
        NodeKind.PERSON,
        key,
        name,
        {
            "neighbourhood": wijk,
            "description": description,
            "lawful_basis": basis,
            "data_source": source,
        },
    )
    t.person_orgs[pid] = list(orgs)
    t.person_wijk[pid] = wijk
    themes: list[str] = []
    for i, org_key in enumerate(orgs):
        org = t.ids[f"org:{org_key}"]
        since = t.tie_since(0.25)
        tie = t.tie(
            RelKind.MEMBER_OF,
            pid,
            org,
            since=since,
            role=role if i == 0 else "member",
            strength=t.strength(0.6, 1.0) if i == 0 else t.strength(0.3, 0.6),
            origin="ledenlijst",
        )
        if i > 0 and t.rng.random() < 0.15:  # some leave their second club
            t.end(tie, t.between(max(since, t.start) + dt.timedelta(days=30), t.today))
        org_themes = town.ORGANISATIONS[org_key][3]
        for j, theme in enumerate(org_themes):
            if theme not in themes and (i == 0 and j == 0 or t.rng.random() < 0.35):
                themes.append(theme)
    t.person_themes[pid] = themes
    for i, theme in enumerate(themes):
        tie = t.tie(
            RelKind.ACTIVE_ON,
            pid,
            t.ids[f"theme:{theme}"],
            since=t.tie_since(0.3),
            strength=t.strength(0.5, 0.9) if i == 0 else t.strength(0.2, 0.6),
        )
        if t.rng.random() < 0.1:
            t.change(tie, t.between(t.month(2), t.month(23)), strength=t.strength(0.6, 1.0))


#: Acquaintances between the hand-written residents (their stories cross here).
_STORY_TIES = [
    ("fatma", "rasha", 0.8),
    ("fatma", "youssef", 0.6),
    ("gerrit", "theo", 0.8),
    ("ingrid", "zoe", 0.8),
    ("eline", "zoe", 0.8),
    ("rene", "piotr", 1.0),
    ("rene", "hanneke", 0.6),
    ("chloe", "rene", 0.6),
    ("annelies", "rene", 0.8),
    ("riet", "kees", 0.4),
    ("riet", "wilma", 0.8),
    ("mehmet", "youssef", 0.8),
    ("theo", "margriet", 0.8),
    ("theo", "daniel_dh", 0.6),
    ("noelle", "sanne", 0.6),
    ("bram", "tesfay", 0.6),
    ("sjoerd", "rene", 0.4),
    ("jolanda", "khadija", 0.8),
    ("ravi", "jolanda", 0.6),
    ("agnieszka", "rasha", 0.6),
    ("gerrit", "ingrid", 0.6),
    ("eline", "mehmet", 0.4),
    ("khadija", "fatma", 0.6),
    ("wilma", "eline", 0.6),
    ("piotr", "agnieszka", 0.4),
    ("hanneke", "chloe", 0.4),
]


def _acquaintances(t: _Town) -> None:
    """KNOWS ties: dense inside organisations and neighbourhoods, a few bridges across."""
    people = [p for p in t.person_orgs]
    members: dict[str, list[str]] = {}
    for pid in people:
        for org_key in t.person_orgs[pid]:
            members.setdefault(org_key, []).append(pid)
    by_wijk: dict[str, list[str]] = {}
    for pid in people:
        by_wijk.setdefault(t.person_wijk[pid], []).append(pid)
    for a, b, strength in _STORY_TIES:
        t.tie(
            RelKind.KNOWS,
            t.ids[f"person:{a}"],
            t.ids[f"person:{b}"],
            since=t.tie_since(0.2),
            strength=strength,
            origin="gesprek",
        )
    for pid in people:
        main = t.person_orgs[pid][0]
        circle = [p for p in members[main] if p != pid]
        weights = [3 if t.person_wijk[p] == t.person_wijk[pid] else 1 for p in circle]
        for other in t.rng.choices(
            circle, weights=weights, k=min(len(circle), t.rng.randint(2, 4))
        ):
            _knows(t, pid, other, t.strength(0.4, 0.8))
        for org_key in t.person_orgs[pid][1:]:
            circle = [p for p in members[org_key] if p != pid]
            if circle:
                _knows(t, pid, t.rng.choice(circle), t.strength(0.3, 0.6))
        if t.rng.random() < 0.35:  # a neighbour from another circle
            neighbours = [p for p in by_wijk[t.person_wijk[pid]] if main not in t.person_orgs[p]]
            if neighbours:
                _knows(t, pid, t.rng.choice(neighbours), t.strength(0.2, 0.5))


def _knows(t: _Town, a: str, b: str, strength: float) -> None:
    since = t.tie_since(0.3)
    tie = t.tie(RelKind.KNOWS, a, b, since=since, strength=strength)
    if tie is None:
        return
    roll = t.rng.random()
    if roll < 0.12:
        t.change(
            tie,
            t.between(max(since, t.start), t.today),
            strength=round(min(1.0, max(0.2, strength + t.rng.choice((-0.2, 0.2)))), 2),
        )
    elif roll < 0.16:
        t.end(tie, t.between(max(since, t.start) + dt.timedelta(days=30), t.today))


def _activities(t: _Town) -> None:
    lib = t.ids["library"]
    goal_themes = {key: themes for key, (_n, _d, themes) in town.GOALS.items()}
    for key, (
        name,
        themes,
        organisers,
        place,
        schedule,
        frequency,
        since_m,
        until_m,
    ) in town.ACTIVITIES.items():
        since = t.month(since_m) + dt.timedelta(days=t.rng.randrange(28))
        until = t.month(until_m) if until_m is not None else None
        props: dict[str, Any] = {"schedule": schedule, "place": place, "frequency": frequency}
        sessions = _sessions(t, since, until, frequency)
        if sessions:
            props["dates"] = sessions
        act = t.node(NodeKind.ACTIVITY, f"activity:{key}", name, props, since=since, until=until)
        for theme in themes:
            t.tie(RelKind.ABOUT, act, t.ids[f"theme:{theme}"], since=since, strength=1.0)
        hosted_by_library = place.startswith(town.LIBRARY_NAME)
        if hosted_by_library:
            t.tie(
                RelKind.ORGANISES,
                lib,
                act,
                since=since,
                role="host",
                strength=0.8,
                origin="programma bibliotheek",
            )
        library_run = hosted_by_library or any(o.startswith("staff:") for o in organisers)
        if library_run:
            for goal, gthemes in goal_themes.items():
                if set(gthemes) & set(themes):
                    t.tie(
                        RelKind.SERVES,
                        act,
                        t.ids[f"goal:{goal}"],
                        since=since,
                        strength=0.8,
                        origin="programma bibliotheek",
                    )
        pool: list[str] = []
        for i, organiser in enumerate(organisers):
            ref = (
                organiser
                if organiser.startswith("staff:")
                else (
                    f"org:{organiser}" if organiser in town.ORGANISATIONS else f"person:{organiser}"
                )
            )
            t.tie(
                RelKind.ORGANISES,
                t.ids[ref],
                act,
                since=since,
                role="organiser" if i == 0 else "co-organiser",
                strength=t.strength(0.8, 1.0),
            )
            if organiser in town.ORGANISATIONS:
                pool += [p for p, orgs in t.person_orgs.items() if organiser in orgs]
        pool += [p for p, th in t.person_themes.items() if set(th) & set(themes)]
        pool = list(dict.fromkeys(pool))
        for pid in t.rng.sample(pool, min(len(pool), t.rng.randint(6, 14))):
            tie = t.tie(
                RelKind.ATTENDS,
                pid,
                act,
                since=t.tie_since(0.5, earliest=since),
                strength=t.strength(0.3, 0.8),
                origin="presentielijst",
            )
            if tie and t.rng.random() < 0.12:
                t.end(tie, t.between(t.month(3), t.today))


#: Days between sessions, for activities whose sessions are listed in ``props["dates"]``
#: (weekly activities run on their schedule and list none: too many to be useful).
_SESSION_MONTHS: dict[str, int] = {"monthly": 1, "twice-yearly": 6, "yearly": 12}
_SESSION_DAYS: dict[str, int] = {"biweekly": 14}


def _sessions(t: _Town, since: dt.date, until: dt.date | None, frequency: str) -> list[str]:
    """ISO dates of the sessions inside the history window (before ``until`` and today)."""
    end = min(until or t.today, t.today)
    out: list[str] = []
    step = 0
    while True:
        if frequency in _SESSION_MONTHS:
            day = add_months(since, step * _SESSION_MONTHS[frequency])
        elif frequency in _SESSION_DAYS:
            day = since + dt.timedelta(days=step * _SESSION_DAYS[frequency])
        else:
            return []
        if day >= end:
            return out
        if day >= t.start:
            out.append(day.isoformat())
        step += 1


def _channels(t: _Town) -> None:
    lib = t.ids["library"]
    for key, (name, mode, medium, themes, description) in town.CHANNELS.items():
        chn = t.node(
            NodeKind.CHANNEL,
            f"channel:{key}",
            name,
            {"mode": mode, "medium": medium, "description": description},
        )
        for theme in themes:
            t.tie(RelKind.ABOUT, chn, t.ids[f"theme:{theme}"], since=t.long_ago(), strength=0.6)
    for key in ("kenniscloud", "fb_rijnstad", "courant", "markt"):
        t.tie(
            RelKind.ACTIVE_IN,
            lib,
            t.ids[f"channel:{key}"],
            since=t.long_ago(),
            strength=t.strength(0.4, 0.8),
        )
    channel_themes = {t.ids[f"channel:{k}"]: c[3] for k, c in town.CHANNELS.items()}
    online = [t.ids[f"channel:{k}"] for k, c in town.CHANNELS.items() if c[1] == "online"]
    for pid, themes in t.person_themes.items():
        if t.rng.random() < 0.45:
            fitting = [c for c, th in channel_themes.items() if set(th) & set(themes)]
            chn = t.rng.choice(fitting or online)
            tie = t.tie(
                RelKind.ACTIVE_IN, pid, chn, since=t.tie_since(0.4), strength=t.strength(0.2, 0.8)
            )
            if t.rng.random() < 0.1:
                t.change(tie, t.between(t.month(4), t.today), strength=t.strength(0.6, 1.0))
    for key, org in town.ORGANISATIONS.items():
        fitting = [c for c, th in channel_themes.items() if set(th) & set(org[3])]
        for chn in t.rng.sample(fitting, min(len(fitting), t.rng.randint(0, 2))):
            t.tie(
                RelKind.ACTIVE_IN,
                t.ids[f"org:{key}"],
                chn,
                since=t.tie_since(0.2),
                strength=t.strength(0.4, 0.9),
            )
    for key, act in town.ACTIVITIES.items():
        fitting = [c for c, th in channel_themes.items() if set(th) & set(act[1])]
        if fitting:
            t.tie(
                RelKind.ACTIVE_IN,
                t.ids[f"activity:{key}"],
                t.rng.choice(fitting),
                since=t.month(act[6]),
                strength=0.6,
                origin="aankondiging",
            )


#: Residents no staff member knows yet: reachable only via via (good examples for the
#: warm-contact ranking: Kees through Riet, Tesfay through Bram or Rasha, Agnieszka through
#: Fatma's circle).
VIA_VIA: tuple[str, ...] = ("kees", "tesfay", "agnieszka")

_STAFF_MODES = (("conversation", 45), ("meeting", 20), ("phone", 20), ("email", 10), ("message", 5))


def _staff_relations(t: _Town) -> None:
    """Staff know residents (and some have a bond); staff and residents meet (contacts)."""
    staff_themes = {t.ids[f"staff:{k}"]: s[2] for k, s in town.STAFF.items()}
    hidden = {t.ids[f"person:{k}"] for k in VIA_VIA}
    key_people = [t.ids[f"person:{k}"] for k in town.PEOPLE if t.ids[f"person:{k}"] not in hidden]
    generated = [p for p in t.person_orgs if p not in key_people and p not in hidden]
    for sid, themes in staff_themes.items():
        works = _works_since(t, sid)
        near = [p for p in key_people if set(t.person_themes[p]) & set(themes)]
        others = [p for p in generated if set(t.person_themes[p]) & set(themes)]
        known = t.rng.sample(near, min(len(near), t.rng.randint(4, 8))) + t.rng.sample(
            others, min(len(others), t.rng.randint(3, 7))
        )
        for pid in known:
            since = t.tie_since(0.35, earliest=works)
            strength = t.strength(0.4, 0.8) if pid in key_people else t.strength(0.2, 0.6)
            tie = t.tie(RelKind.KNOWS, sid, pid, since=since, strength=strength, origin="gesprek")
            if tie is None:  # they met in a community already
                since = t.find_tie(RelKind.KNOWS, sid, pid)["since"]  # type: ignore[index]
            else:
                _staff_contacts(t, sid, pid, since, strength, tie, themes)
            if t.rng.random() < (0.6 if pid in key_people else 0.35):
                t.tie(
                    RelKind.BOND_WITH,
                    sid,
                    pid,
                    since=t.between(since, t.today),
                    strength=t.strength(0.4, 0.9),
                    origin="relatiebeheer",
                )
    for staff_key, org_key in _STAFF_ORG_BONDS:
        sid = t.ids[f"staff:{staff_key}"]
        t.tie(
            RelKind.BOND_WITH,
            sid,
            t.ids[f"org:{org_key}"],
            since=t.tie_since(0.3, earliest=_works_since(t, sid)),
            strength=t.strength(0.6, 1.0),
            origin="relatiebeheer",
        )


#: Staff who keep an organisation's relation personally (their contact person there).
_STAFF_ORG_BONDS = (
    ("samira", "taalhuis"),
    ("samira", "vluchtelingenwerk"),
    ("henk", "historisch"),
    ("daniel", "regenboog"),
    ("daniel", "cjg"),
    ("anouk", "repaircafe"),
    ("joost", "gemeente"),
    ("priya", "roc"),
)


def _notes_for(t: _Town, themes: list[str], name: str) -> str:
    theme = t.rng.choice(themes) if themes else "lezen"
    notes = town.CONTACT_NOTES.get(theme) or town.CONTACT_NOTES["lezen"]
    return t.rng.choice(notes).format(name=name)


def _staff_contacts(
    t: _Town, sid: str, pid: str, since: dt.date, strength: float, tie: str, staff_themes: list[str]
) -> None:
    first_name = t.node_names[pid].split(" ")[0]
    themes = [th for th in t.person_themes[pid] if th in staff_themes] or t.person_themes[pid]
    begin = max(since, t.start)
    # Contact comes at a steady rate over the months they know each other, higher for a
    # stronger tie: about one month in three for a strong one.
    months = (t.today - begin).days // 30
    count = 1 + sum(1 for _ in range(months) if t.rng.random() < strength * 0.45)
    days = sorted(t.between(begin, t.today) for _ in range(count))
    if since >= t.start:
        days[0] = since
    for i, day in enumerate(days):
        notes = _notes_for(t, themes, first_name)
        if i == 0 and since >= t.start:
            notes = f"Eerste kennismaking. {notes}"
        outcome = t.rng.choice(town.OUTCOMES) if t.rng.random() < 0.4 else None
        t.contact(sid, pid, day, _weighted(t.rng, _STAFF_MODES), notes, outcome)
    if len(days) >= 4:  # regular contact makes a tie stronger
        t.change(tie, days[3], strength=round(min(1.0, strength + 0.2), 2), origin="contactlog")


_WELCOME_NOTES = (
    ("Welkomstgesprek {c}", "conversation"),
    ("{name} kwam voor het eerst bij {c}", "event"),
    ("Nagebeld na de eerste bijeenkomst van {c}", "phone"),
)
_CHECK_IN_NOTES = (
    ("Bijgepraat over de plannen van {c}", "conversation"),
    ("Kennisgemaakt als nieuw aanspreekpunt voor {c}", "meeting"),
    ("Gevraagd wat {name} nodig heeft van de bibliotheek", "phone"),
)


def _community_contacts(t: _Town) -> None:
    """The staff in a community's roles meet new members and the ambassadors."""
    events: list[tuple[dt.date, str, str, str, str, str | None]] = []
    carriers: set[str] = set()
    for key, c in town.COMMUNITIES.items():
        com = t.ids[f"community:{key}"]
        name = str(c["name"])
        roles = [s for s in t.ties if s["kind"] is RelKind.HAS_ROLE and s["target"] == com]
        members = [
            s
            for s in t.ties
            if s["kind"] is RelKind.MEMBER_OF
            and s["target"] == com
            and t.kinds[s["source"]] is NodeKind.PERSON
        ]
        ambassadors = {t.ids[f"person:{k}"] for k in c["ambassadors"]}  # type: ignore[attr-defined]
        core = {t.ids[f"person:{k}"] for k in c["core"]}  # type: ignore[attr-defined]
        carriers |= ambassadors | core
        for role in roles:
            sid = role["source"]
            role_end = t.ends.get(role["id"], t.today)
            share = 0.3 if role["role"] == "connector" else 0.1
            for member in members:
                pid = member["source"]
                first = t.node_names[pid].split(" ")[0]
                begin = max(member["since"], role["since"], t.start)
                end = min(
                    role_end, t.ends.get(member["id"], t.today), begin + dt.timedelta(days=45)
                )
                if end <= begin or not (
                    pid in ambassadors or pid in core or t.rng.random() < share
                ):
                    continue
                day = t.between(begin, end)
                if member["since"] >= max(role["since"], t.start):  # a new member
                    note, mode = t.rng.choice(_WELCOME_NOTES)
                else:  # a member already when this staff member took the role
                    note, mode = t.rng.choice(_CHECK_IN_NOTES)
                events.append(
                    (
                        day,
                        sid,
                        pid,
                        mode,
                        note.format(c=name, name=first),
                        t.rng.choice(town.OUTCOMES) if t.rng.random() < 0.3 else None,
                    )
                )
                if pid in ambassadors:
                    for _ in range(t.rng.randint(2, 4)):
                        later = t.between(day, role_end)
                        if later > day:
                            events.append(
                                (
                                    later,
                                    sid,
                                    pid,
                                    "meeting",
                                    f"Overleg met de ambassadeurs van {name}",
                                    t.rng.choice(town.OUTCOMES),
                                )
                            )
    # In date order, so an acquaintance begins at the first meeting, whichever community it was.
    for day, sid, pid, mode, note, outcome in sorted(events, key=lambda e: e[:3]):
        t.tie(
            RelKind.KNOWS, sid, pid, since=day, strength=t.strength(0.3, 0.6), origin="contactlog"
        )
        t.contact(sid, pid, day, mode, note, outcome)
        if pid in carriers:  # the library's bond with those who carry a community
            t.tie(
                RelKind.BOND_WITH,
                sid,
                pid,
                since=t.between(day, day + dt.timedelta(days=90)),
                strength=t.strength(0.6, 1.0),
                origin="werkblad 4",
            )


def _resident_contacts(t: _Town, target: int) -> None:
    """About ``target`` contact moments between residents who know each other."""
    pairs = [
        s
        for s in t.ties
        if s["kind"] is RelKind.KNOWS
        and t.kinds[s["source"]] is NodeKind.PERSON
        and t.kinds[s["target"]] is NodeKind.PERSON
    ]
    made = 0
    for spec in t.rng.sample(pairs, len(pairs)):
        if made >= target:
            break
        begin = max(spec["since"], t.start)
        end = t.ends.get(spec["id"], t.today)
        if end <= begin:
            continue
        months = (end - begin).days // 30
        for _ in range(1 + sum(1 for _ in range(months) if t.rng.random() < 0.08)):
            note, mode = t.rng.choice(town.RESIDENT_NOTES)
            t.contact(spec["source"], spec["target"], t.between(begin, end), mode, note)
            made += 1


def _communities(t: _Town) -> None:
    lib = t.ids["library"]
    for key, c in town.COMMUNITIES.items():
        founded = t.month(int(str(c["founded"]))) + dt.timedelta(days=t.rng.randrange(21))
        com = t.node(
            NodeKind.COMMUNITY,
            f"community:{key}",
            str(c["name"]),
            {
                "bond_type": c["bond_type"],
                "traits": list(c["traits"]),  # type: ignore[call-overload]
                "vision": c["vision"],
            },
            since=founded,
            origin="werkblad 4",
        )
        t.tie(
            RelKind.ABOUT,
            com,
            t.ids[f"theme:{c['theme']}"],
            since=founded,
            strength=1.0,
            origin="werkblad 4",
        )
        t.tie(
            RelKind.SERVES,
            com,
            t.ids[f"goal:{c['goal']}"],
            since=founded,
            strength=1.0,
            origin="werkblad 4",
        )
        t.tie(RelKind.BOND_WITH, lib, com, since=founded, strength=0.8, origin="werkblad 4")
        for chn in c["channels"]:  # type: ignore[attr-defined]
            t.tie(
                RelKind.ACTIVE_IN,
                com,
                t.ids[f"channel:{chn}"],
                since=founded,
                strength=t.strength(0.5, 0.9),
                origin="werkblad 6",
            )
        for org_key in c["organisations"]:  # type: ignore[attr-defined]
            t.tie(
                RelKind.MEMBER_OF,
                t.ids[f"org:{org_key}"],
                com,
                since=founded + dt.timedelta(days=30),
                strength=0.8,
                origin="werkblad 4",
            )
        for role, holders in c["roles"].items():  # type: ignore[attr-defined]
            for staff_key, from_m, until_m in holders:
                t.tie(
                    RelKind.HAS_ROLE,
                    t.ids[f"staff:{staff_key}"],
                    com,
                    since=max(founded, t.month(from_m)),
                    role=role,
                    strength=0.8,
                    until=t.month(until_m) if until_m is not None else None,
                    origin="teamoverleg",
                )
        _community_members(t, key, c, com, founded)


def _community_members(t: _Town, key: str, c: dict[str, Any], com: str, founded: dt.date) -> None:
    core = [t.ids[f"person:{k}"] for k in c["core"]]
    ambassadors = [t.ids[f"person:{k}"] for k in c["ambassadors"]]
    pool = [p for p, orgs in t.person_orgs.items() if set(orgs) & set(c["pool"])]
    if "wijk" in c:
        pool = [p for p in t.person_orgs if t.person_wijk[p] == c["wijk"]]
    hidden = {t.ids[f"person:{k}"] for k in VIA_VIA}
    pool = [p for p in pool if p not in core and p not in ambassadors and p not in hidden]
    t.rng.shuffle(pool)
    leavers = int(c["leavers"])
    late_ambassadors = [a for a in ambassadors if a not in core]
    total = int(c["today"]) + leavers
    others = pool[: total - len(core) - len(late_ambassadors)]
    if len(others) < total - len(core) - len(late_ambassadors):
        raise RuntimeError(f"community {key!r}: not enough candidates ({len(pool)})")
    early = max(0, int(c["at_start"]) - len(core)) if founded < t.start else 0
    joins: list[tuple[dt.date, str]] = [(founded, p) for p in core]
    for pid in others[:early]:
        joins.append((t.between(founded + dt.timedelta(days=7), t.start), pid))
    later = others[early:]
    t.rng.shuffle(later)
    begin = max(founded + dt.timedelta(days=7), t.start)
    span = (t.today - begin).days
    for pid in late_ambassadors:  # ambassadors who joined later still had time to grow
        joins.append((begin + dt.timedelta(days=t.rng.randrange(span // 2)), pid))
    for pid in later:
        # Growth speeds up once the community finds its feet: later dates are likelier.
        offset = int(span * t.rng.random() ** 0.7)
        joins.append((begin + dt.timedelta(days=min(offset, span - 1)), pid))
    joins.sort(key=lambda j: (j[0], j[1]))
    joined: list[str] = []
    leaving = [p for _, p in joins if p not in core and p not in ambassadors]
    leaving = t.rng.sample(leaving[: len(leaving) * 2 // 3], leavers)
    for day, pid in joins:
        tie = t.tie(
            RelKind.MEMBER_OF,
            pid,
            com,
            since=day,
            role="member",
            strength=t.strength(0.4, 0.7),
            origin="werkblad 4",
        )
        if pid in ambassadors:
            # The founders carry the group from early on; later ambassadors grow into it.
            latest = day + dt.timedelta(days=120) if pid in core else t.today - dt.timedelta(days=7)
            t.change(
                tie,
                t.between(day + dt.timedelta(days=30), min(latest, t.today)),
                role="ambassador",
                strength=0.9,
                origin="gesprek",
            )
        elif pid in leaving:
            t.end(tie, t.between(day + dt.timedelta(days=45), t.today - dt.timedelta(days=7)))
        elif t.rng.random() < 0.25:
            t.change(tie, t.between(day + dt.timedelta(days=30), t.today), strength=0.8)
        # Members meet in the community: new acquaintances dated from the join.
        for other in t.rng.sample(joined, min(len(joined), t.rng.randint(1, 2))):
            met = t.between(day, min(t.today, day + dt.timedelta(days=60)))
            t.tie(
                RelKind.KNOWS,
                pid,
                other,
                since=met,
                strength=t.strength(0.3, 0.6),
                origin=f"via {c['name']}",
            )
        joined.append(pid)
    for activity in {
        "taalmaatjes": ["maatjesavond", "nt2"],
        "repair": ["repair_meetup", "repair_bieb"],
        "samen": ["koffie_samen", "huiskamer"],
    }.get(key, []):
        t.tie(
            RelKind.ORGANISES,
            com,
            t.ids[f"activity:{activity}"],
            since=founded,
            role="co-organiser",
            strength=0.8,
            origin="werkblad 6",
        )


def _smart_goals(t: _Town) -> None:
    for number, (com_key, name, spec) in enumerate(town.SMART_GOALS):
        c = town.COMMUNITIES[com_key]
        deadline = add_months(
            t.today.replace(day=1), int(str(spec["deadline_months"]))
        ) - dt.timedelta(days=1)  # type: ignore[call-overload]
        founded = t.node_since[t.ids[f"community:{com_key}"]]
        assert founded is not None
        set_on = max(founded + dt.timedelta(days=60), t.start)
        props = {
            "metric": spec["metric"],
            "target": spec["target"],
            "deadline": deadline.isoformat(),
            "description": name,
        }
        sgl = t.node(
            NodeKind.SMART_GOAL,
            f"smartgoal:{number}",
            name,
            props,
            since=set_on,
            origin="werkblad 6",
        )
        com = t.ids[f"community:{com_key}"]
        t.tie(RelKind.PURSUES, com, sgl, since=set_on, strength=1.0, origin="werkblad 6")
        t.tie(
            RelKind.SERVES,
            sgl,
            t.ids[f"goal:{c['goal']}"],
            since=set_on,
            strength=1.0,
            origin="werkblad 6",
        )
        t.tie(
            RelKind.ABOUT,
            sgl,
            t.ids[f"theme:{c['theme']}"],
            since=set_on,
            strength=1.0,
            origin="werkblad 6",
        )


def build_town(today: dt.date | str | None = None) -> _Town:
    """Plan the whole demo town (nodes, ties, changes, ends, contacts) without writing it."""
    t = _Town(check_date(today, field="today") or DEFAULT_TODAY, random.Random(SEED))
    _frame(t)
    _organisations(t)
    _people(t)
    _acquaintances(t)
    _activities(t)
    _channels(t)
    _communities(t)
    _smart_goals(t)
    aandeslag.plan(t)  # working agreements, content calendar, measurement moments
    _community_contacts(t)  # first: the acquaintances made in a community date from there
    _staff_relations(t)
    _resident_contacts(t, target=260)
    return t


def seed_demo(
    store: Store, workspace: str = "demo", *, today: dt.date | str | None = None
) -> dict[str, int]:
    """Create ``workspace`` and fill it with the demo town of Rijnstad.

    Parameters
    ----------
    store : Store
        Any store adapter.
    workspace : str
        Slug of the new workspace; it must not exist yet.
    today : date or ISO text, optional
        The day the 24 months of history end (default :data:`DEFAULT_TODAY`, fixed so the
        demo is the same everywhere).

    Returns
    -------
    dict
        Counts as :meth:`~mapper.store.base.Store.counts` gives them (current nodes per kind,
        current ties, contact moments), plus ``tie_changes`` and ``ties_ended``.

    Raises
    ------
    ConflictError
        If the workspace exists already. Nothing is written.
    ValidationError
        If ``today`` is not a date.
    """
    t = build_town(today)
    acting_as = getattr(store, "acting_as", None)  # the audit trail names the seeder
    with acting_as("seeds.demo") if acting_as else contextlib.nullcontext(), store.atomic():
        store.create_workspace(
            workspace,
            WORKSPACE_NAME,
            settings={
                "town": town.TOWN,
                "library_id": t.ids["library"],
                "demo_today": t.today.isoformat(),
            },
        )
        store.add_nodes(workspace, t.nodes)
        store.add_ties(workspace, t.ties)
        for day, tie_id, fields in sorted(t.changes, key=lambda c: (c[0], c[1])):
            store.change_tie(workspace, tie_id, on=day, **fields)
        for tie_id, day in sorted(t.ends.items()):
            store.end_tie(workspace, tie_id, on=day)
        store.add_contacts(workspace, sorted(t.contacts, key=lambda c: (c["on"], c["id"])))
    counts = store.counts(workspace)
    counts["tie_changes"] = len(t.changes)
    counts["ties_ended"] = len(t.ends)
    return counts


__all__ = [
    "seed_demo",
    "build_town",
    "add_months",
    "stable_id",
    "DEFAULT_TODAY",
    "HISTORY_MONTHS",
    "SEED",
    "XSS_NAME",
    "WORKSPACE_NAME",
    "VIA_VIA",
]
