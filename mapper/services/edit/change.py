"""One change a librarian makes: what it wrote, how to write its reverse, and how it is
recorded in the audit trail; the errors a change raises.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ... import audit
from ...errors import Day, NotFoundError, ValidationError
from ...i18n import N_
from ...model import Node, NodeKind, RelKind, Tie, check_date
from ...store.base import Workspace

#: The fields a change names entities in, as a person reads them in a message (English ids).
FIELD_LABELS: dict[str, str] = {
    "id": N_("the entity"),
    "source": N_("the first end"),
    "target": N_("the other end"),
    "theme": N_("the theme"),
    "themes": N_("the theme"),
    "channels": N_("the channel"),
    "organisers": N_("the organiser"),
    "bond_holder": N_("who holds the bond"),
    "goals": N_("the organisation goal"),
}


class EditError(ValidationError):
    """A change that cannot be made, with a ``code`` the edges turn into their own words
    (the web app into its own words) and the ``params`` to fill in; ``message`` is an English
    message id with ``{fields}`` from ``params``, read in the reader's language elsewhere (the
    command line)."""

    def __init__(
        self,
        code: str,
        message: object,
        *,
        field: str | None = None,
        value: object = None,
        **params: Any,
    ):
        super().__init__(message, field=field, value=value, **params)
        self.code = code


class UnknownRef(NotFoundError):
    """A field names an entity (by id or name) that is not in the workspace."""

    def __init__(
        self,
        message: object,
        *,
        field: str,
        value: object,
        suggestions: Iterable[str],
        **params: Any,
    ):
        super().__init__(message, suggestions=suggestions, **params)
        self.field = field
        self.value = value


# --------------------------------------------------------------------------- a change


@dataclass
class Change:
    """One change: what it wrote, and how to write its reverse.

    Attributes
    ----------
    op : str
        What was done (``add``, ``update``, ``end``, ``tie``, ``change_tie``, ``end_tie``,
        ``quick_add``, ``undo`` …).
    label : str
        A short description, e.g. the name of the entity.
    nodes, ties : list
        What was written (the new versions).
    seq : int or None
        The audit entry of the change (pass it to :func:`undo`); None when nothing changed.
    """

    op: str
    label: str
    nodes: list[Node] = field(default_factory=list)
    ties: list[Tie] = field(default_factory=list)
    reverse: list[dict[str, Any]] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    seq: int | None = None

    @property
    def node(self) -> Node:
        """The first entity written (the one the change is about)."""
        return self.nodes[0]

    @property
    def tie(self) -> Tie:
        return self.ties[0]

    @property
    def main_id(self) -> str | None:
        if self.nodes:
            return self.nodes[0].id
        return self.ties[0].id if self.ties else None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.main_id,
            "op": self.op,
            "label": self.label,
            "change": self.seq,
            "nodes": [n.id for n in self.nodes],
            "ties": [t.id for t in self.ties],
        }

    # -- writes that remember their reverse

    def _ref(self, *ids: str) -> None:
        for i in ids:
            if i not in self.refs:
                self.refs.append(i)

    def add_node(self, ws: Workspace, kind: NodeKind, name: str, **fields: Any) -> Node:
        node = ws.add_node(kind, name, **fields)
        self.nodes.append(node)
        self.reverse.append({"do": "void_node", "id": node.id, "version": node.version})
        self._ref(node.id)
        return node

    def update_node(self, ws: Workspace, node_id: str, **fields: Any) -> Node:
        old = ws.get_node(node_id)
        new = ws.update_node(node_id, **fields)
        self.nodes.append(new)
        self.reverse.append(
            {
                "do": "restore_node",
                "id": node_id,
                "version": new.version,
                "name": old.name,
                "props": dict(old.props),
                "since": _iso(old.since),
                "until": _iso(old.until),
                "origin": old.origin,
            }
        )
        self._ref(node_id)
        return new

    def add_tie(self, ws: Workspace, kind: RelKind, source: str, target: str, **fields: Any) -> Tie:
        tie = ws.add_tie(kind, source, target, **fields)
        self.ties.append(tie)
        self.reverse.append({"do": "void_tie", "id": tie.id, "version": tie.version})
        self._ref(tie.id, tie.source, tie.target)
        return tie

    def change_tie(self, ws: Workspace, tie_id: str, on: dt.date, **fields: Any) -> Tie:
        old = ws.get_tie(tie_id)
        new = ws.change_tie(tie_id, on=on, **fields)
        self.ties.append(new)
        self.reverse.append(
            {
                "do": "restore_tie",
                "id": tie_id,
                "version": new.version,
                "until": _iso(new.until),
                "on": on.isoformat(),
                "now": {"strength": new.strength, "role": new.role},
                "strength": old.strength,
                "role": old.role,
                "origin": old.origin,
                "props": dict(old.props),
            }
        )
        self._ref(tie_id, new.source, new.target)
        return new

    def end_tie(self, ws: Workspace, tie_id: str, on: dt.date) -> Tie:
        old = ws.get_tie(tie_id)
        if old.until is not None and old.until <= on:
            raise EditError(
                "tie_ended",
                N_("the tie ended already on {day}"),
                field="on",
                value=on.isoformat(),
                day=Day(old.until),
            )
        ended = ws.end_tie(tie_id, on=on)
        self.ties.append(ended)
        self.reverse.append(
            {
                "do": "reopen_tie",
                "id": tie_id,
                "version": ended.version,
                "until": on.isoformat(),
                "old_until": _iso(old.until),
            }
        )
        self._ref(tie_id, ended.source, ended.target)
        return ended

    def commit(self, ws: Workspace, *, target_type: str, extra: Mapping[str, Any] | None = None):
        """Record the change in the audit trail (inside the change's transaction)."""
        if not self.reverse:
            return self
        entry = ws.record_audit(
            audit.EDIT,
            target_type=target_type,
            target_id=self.main_id,
            label=self.label,
            refs=self.refs,
            detail={"op": self.op, "reverse": self.reverse, **(extra or {})},
        )
        self.seq = entry.seq if entry.seq is not None else _latest_seq(ws, self.main_id)
        return self


def _latest_seq(ws: Workspace, target: str | None) -> int | None:
    for entry in ws.audit(action=audit.EDIT, limit=5):
        if entry.target_id == target:
            return entry.seq
    return None


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _day(value: Any, *, field: str) -> dt.date:
    """The date given, else today."""
    day = check_date(value, field=field)
    return day if day is not None else today()


def today() -> dt.date:
    return dt.date.today()
