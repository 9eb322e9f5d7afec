"""The value types (:class:`Node`, :class:`Tie`, :class:`Contact`, :class:`WorkspaceInfo`) and
the time helpers they use (valid time is half-open: ``[since, until)``).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .vocabulary import NodeKind, RelKind


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months, clamped to the last day of a shorter month.

    >>> add_months(dt.date(2025, 3, 31), -1)
    datetime.date(2025, 2, 28)
    >>> add_months(dt.date(2025, 11, 15), 3)
    datetime.date(2026, 2, 15)
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def valid_on(since: dt.date | None, until: dt.date | None, day: dt.date) -> bool:
    """True if the half-open interval ``[since, until)`` contains ``day``."""
    return (since is None or since <= day) and (until is None or day < until)


# --------------------------------------------------------------------------- value types


@dataclass(frozen=True, slots=True)
class Node:
    """An entity on the map (a version of it, when read from history)."""

    id: str
    kind: NodeKind
    name: str
    props: dict[str, Any] = field(default_factory=dict)
    since: dt.date | None = None
    until: dt.date | None = None
    origin: str | None = None
    version: int = 1
    recorded_at: str | None = None

    def valid_on(self, day: dt.date) -> bool:
        return valid_on(self.since, self.until, day)


@dataclass(frozen=True, slots=True)
class Tie:
    """One version of a tie between two nodes.

    ``id`` names the tie across its versions; ``version`` counts from 1. ``origin`` says where
    the information came from (a conversation, an import, the environment scan, …).
    """

    id: str
    kind: RelKind
    source: str
    target: str
    strength: float | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    role: str | None = None
    origin: str | None = None
    props: dict[str, Any] = field(default_factory=dict)
    version: int = 1
    current: bool = True
    recorded_at: str | None = None

    def valid_on(self, day: dt.date) -> bool:
        return valid_on(self.since, self.until, day)

    def other(self, node_id: str) -> str:
        """The end of this tie that is not ``node_id``."""
        return self.target if node_id == self.source else self.source


@dataclass(frozen=True, slots=True)
class Contact:
    """A logged contact moment (conversation, meeting, message) between two nodes."""

    id: str
    a: str
    b: str
    on: dt.date
    mode: str | None = None
    notes: str | None = None
    outcome: str | None = None
    recorded_at: str | None = None


@dataclass(frozen=True, slots=True)
class WorkspaceInfo:
    """A workspace: one library's graph."""

    slug: str
    name: str
    created_at: str
    settings: dict[str, Any] = field(default_factory=dict)
