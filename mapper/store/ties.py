"""Ties and contact moments of :class:`~mapper.store.base.Store`: build, add, read, change,
end, reopen, list; log and list contact moments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, cast

from .. import audit as _audit
from ..errors import Day, NotFoundError, ValidationError
from ..ids import UNSET
from ..model import (
    Contact,
    NodeKind,
    RelKind,
    Tie,
    check_date,
    check_interval,
    check_props,
    check_role,
    check_strength,
    check_text,
    check_tie_kinds,
    rel_kind,
)
from .core import StoreCore
from .values import _rel_kinds_arg, check_id, new_id, now_iso

if TYPE_CHECKING:  # the whole interface, for methods that need more than this part
    from .base import Store


class TiesAPI(StoreCore):
    """The tie and contact-moment methods of a :class:`~mapper.store.base.Store`."""

    # ------------------------------------------------------------------ ties

    def make_tie(
        self,
        kind: str | RelKind,
        source: str,
        target: str,
        *,
        strength: Any = None,
        since: Any = None,
        until: Any = None,
        role: str | None = None,
        origin: str | None = None,
        props: Mapping[str, Any] | None = None,
        id: str | None = None,
    ) -> Tie:
        """Validate and build a tie (version 1) without writing it or checking its ends."""
        kind = rel_kind(kind)
        since_d = check_date(since, field="since")
        until_d = check_date(until, field="until")
        check_interval(since_d, until_d)
        return Tie(
            id=check_id(id) if id is not None else new_id("tie"),
            kind=kind,
            source=check_id(source, field="source"),
            target=check_id(target, field="target"),
            strength=check_strength(strength),
            since=since_d,
            until=until_d,
            role=check_role(kind, role),
            origin=check_text(origin, field="origin") or None,
            props=check_props(props),
            version=1,
            current=True,
            recorded_at=now_iso(),
        )

    def add_tie(
        self, workspace: str, kind: str | RelKind, source: str, target: str, **fields: Any
    ) -> Tie:
        """Add one tie; ``fields`` are those of :meth:`make_tie`."""
        return self.add_ties(workspace, [dict(kind=kind, source=source, target=target, **fields)])[
            0
        ]

    def add_ties(self, workspace: str, specs: Iterable[Mapping[str, Any] | Tie]) -> list[Tie]:
        """Add many ties in one transaction, checking that both ends exist in this workspace
        and that the tie kind fits their kinds. Any error writes nothing."""
        self.get_workspace(workspace)
        ties = [s if isinstance(s, Tie) else self.make_tie(**s) for s in specs]
        with self.atomic():
            self._check_ends(workspace, [(t.kind, t.source, t.target) for t in ties])
            self._insert_ties(workspace, ties)
            # one entry per tie, as _audit_entry makes them; time and actor read once
            self._insert_tie_audit(workspace, ties, now_iso(), self.actor or _audit.SYSTEM_ACTOR)
        return ties

    def add_tie_rows(self, workspace: str, rows: Sequence[tuple[Any, ...]]) -> int:
        """Add many new ties, each given as the values of :class:`Tie`'s fields in order
        (``Tie(*row)``: id, kind, source, target, strength, since, until, role, origin,
        props, version 1, current, recorded_at), checked already as :meth:`make_tie` checks
        them (an import checks every cell while planning). As :meth:`add_ties`: both ends
        must exist in this workspace and fit the kind, one ``create`` entry per tie, one
        transaction, any error writes nothing; an adapter may write the rows without
        building a :class:`Tie` per row (SQLite does). Returns how many ties were added."""
        self.get_workspace(workspace)
        with self.atomic():
            self._check_ends(workspace, [(r[1], r[2], r[3]) for r in rows])
            self._insert_tie_rows(workspace, rows, now_iso(), self.actor or _audit.SYSTEM_ACTOR)
        return len(rows)

    def _check_ends(self, workspace: str, ends: list[tuple[RelKind, str, str]]) -> None:
        """Both ends of each (kind, source, target) exist in the workspace and fit the kind."""
        ids = {s for _, s, _ in ends} | {t for _, _, t in ends}
        kinds = self._node_kinds(workspace, ids)
        if len(kinds) == len(ids):  # every end there: each combination checked once
            of = kinds.__getitem__
            combinations = set(
                zip(
                    [k for k, _, _ in ends],
                    map(of, [s for _, s, _ in ends]),
                    map(of, [t for _, _, t in ends]),
                )
            )
            try:
                for combination in combinations:
                    check_tie_kinds(*combination)
                return
            except ValidationError:
                pass  # the first tie in order that does not fit says so, as below
        fitting: set[tuple[RelKind, NodeKind, NodeKind]] = set()  # combinations checked
        for kind, source, target in ends:
            for end in (source, target):
                if end not in kinds:
                    raise NotFoundError(
                        "no entity with id {node_id!r} in this workspace", node_id=end
                    )
            combination = (kind, kinds[source], kinds[target])
            if combination not in fitting:
                check_tie_kinds(*combination)
                fitting.add(combination)

    def get_tie(self, workspace: str, tie_id: str) -> Tie:
        """The current (latest) version of a tie."""
        versions = self._tie_versions(workspace, tie_id) if isinstance(tie_id, str) else []
        if not versions:
            raise NotFoundError("no tie with id {tie_id!r} in this workspace", tie_id=tie_id)
        return versions[-1]

    def tie_history(self, workspace: str, tie_id: str) -> list[Tie]:
        """Every version of a tie, oldest first."""
        versions = self._tie_versions(workspace, tie_id)
        if not versions:
            raise NotFoundError("no tie with id {tie_id!r} in this workspace", tie_id=tie_id)
        return versions

    def change_tie(
        self,
        workspace: str,
        tie_id: str,
        *,
        on: Any,
        strength: Any = UNSET,
        role: str | None = UNSET,
        origin: str | None = UNSET,
        props: Mapping[str, Any] = UNSET,
    ) -> Tie:
        """Change a tie from day ``on``: the current version is closed (``until = on``) and a
        new version opens on ``on`` with the changed values. Nothing is overwritten."""
        day = check_date(on, field="on")
        if day is None:
            raise ValidationError("a change needs the date it takes effect", field="on")
        with self.atomic():
            current = self.get_tie(workspace, tie_id)
            if current.since is not None and day < current.since:
                raise ValidationError(
                    "change date {day} lies before the tie began ({since})",
                    field="on",
                    value=day.isoformat(),
                    day=Day(day),
                    since=Day(current.since),
                )
            if current.until is not None and day >= current.until:
                raise ValidationError(
                    "the tie ended on {until}; add a new tie instead",
                    field="on",
                    value=day.isoformat(),
                    until=Day(current.until),
                )
            new = replace(
                current,
                strength=current.strength if strength is UNSET else check_strength(strength),
                role=current.role if role is UNSET else check_role(current.kind, role),
                origin=current.origin
                if origin is UNSET
                else (check_text(origin, field="origin") or None),
                props=current.props if props is UNSET else check_props(props),
                since=day,
                version=current.version + 1,
                current=True,
                recorded_at=now_iso(),
            )
            self._close_tie_version(workspace, tie_id, current.version, day)
            self._insert_ties(workspace, [new])
            changed = [
                f
                for f in ("strength", "role", "origin", "props")
                if getattr(new, f) != getattr(current, f)
            ]
            self._audit_write(
                workspace,
                _audit.CHANGE,
                "tie",
                tie_id,
                new.kind.value,
                (tie_id, new.source, new.target),
                {"changed": changed, "on": day.isoformat(), "version": new.version},
            )
        return new

    def end_tie(self, workspace: str, tie_id: str, *, on: Any) -> Tie:
        """End a tie from day ``on`` (its current version gets ``until = on``)."""
        day = check_date(on, field="on")
        if day is None:
            raise ValidationError("ending a tie needs a date", field="on")
        with self.atomic():
            current = self.get_tie(workspace, tie_id)
            check_interval(current.since, day)
            if current.until is not None and current.until <= day:
                return current
            self._set_tie_until(workspace, tie_id, current.version, day)
            self._audit_write(
                workspace,
                _audit.END,
                "tie",
                tie_id,
                current.kind.value,
                (tie_id, current.source, current.target),
                {"on": day.isoformat(), "version": current.version},
            )
        return replace(current, until=day)

    def reopen_tie(self, workspace: str, tie_id: str) -> Tie:
        """Undo the end of a tie: a new version opens on the day the current one ended, with
        the same values and no end. The ended version stays in the history."""
        with self.atomic():
            current = self.get_tie(workspace, tie_id)
            if current.until is None:
                return current
            new = replace(
                current,
                since=current.until,
                until=None,
                version=current.version + 1,
                current=True,
                recorded_at=now_iso(),
            )
            self._close_tie_version(workspace, tie_id, current.version, current.until)
            self._insert_ties(workspace, [new])
            self._audit_write(
                workspace,
                _audit.CHANGE,
                "tie",
                tie_id,
                new.kind.value,
                (tie_id, new.source, new.target),
                {"changed": ["until"], "on": current.until.isoformat(), "version": new.version},
            )
        return new

    def ties(
        self,
        workspace: str,
        *,
        node: str | None = None,
        kind: str | RelKind | Iterable[str | RelKind] | None = None,
        as_of: Any = None,
        history: bool = False,
    ) -> Iterator[Tie]:
        """Ties, ordered by id then version.

        Parameters
        ----------
        node : str, optional
            Only ties with this node at either end.
        kind : str or iterable, optional
            Only ties of these kinds.
        as_of : date or ISO text, optional
            Only the versions valid on that day (``since <= day < until``).
        history : bool
            Without ``as_of``: every version instead of only the latest of each tie.
        """
        kinds = _rel_kinds_arg(kind)
        day = check_date(as_of, field="as_of")
        return self._query_ties(workspace, node, kinds, day, history)

    # ------------------------------------------------------------------ contact moments

    def add_contact(
        self,
        workspace: str,
        a: str,
        b: str,
        *,
        on: Any,
        mode: str | None = None,
        notes: str | None = None,
        outcome: str | None = None,
        id: str | None = None,
    ) -> Contact:
        """Log a contact moment between ``a`` and ``b`` on day ``on``."""
        return self.add_contacts(
            workspace, [dict(a=a, b=b, on=on, mode=mode, notes=notes, outcome=outcome, id=id)]
        )[0]

    def add_contacts(self, workspace: str, specs: Iterable[Mapping[str, Any]]) -> list[Contact]:
        self.get_workspace(workspace)
        contacts = []
        for spec in specs:
            day = check_date(spec.get("on"), field="on")
            if day is None:
                raise ValidationError("a contact moment needs a date", field="on")
            notes = spec.get("notes")
            if notes is not None and len(notes) > 10_000:
                raise ValidationError("notes are too long (max 10,000 characters)", field="notes")
            contacts.append(
                Contact(
                    id=check_id(spec["id"]) if spec.get("id") else new_id("cnt"),
                    a=check_id(spec["a"], field="a"),
                    b=check_id(spec["b"], field="b"),
                    on=day,
                    mode=check_text(spec.get("mode"), field="mode") or None,
                    notes=check_text(notes, field="notes") or None,
                    outcome=check_text(spec.get("outcome"), field="outcome") or None,
                    recorded_at=now_iso(),
                )
            )
        with self.atomic():
            known = self._node_kinds(workspace, {c.a for c in contacts} | {c.b for c in contacts})
            for c in contacts:
                for end in (c.a, c.b):
                    if end not in known:
                        raise NotFoundError(
                            "no entity with id {node_id!r} in this workspace", node_id=end
                        )
                if c.a == c.b:
                    raise ValidationError("a contact moment needs two different parties")
            self._insert_contacts(workspace, contacts)
            self._insert_audit(
                workspace,
                [
                    self._audit_entry(
                        _audit.CREATE,
                        "contact",
                        c.id,
                        c.mode,
                        (c.id, c.a, c.b),
                        {"on": c.on.isoformat()},
                    )
                    for c in contacts
                ],
            )
        return contacts

    def contacts(
        self,
        workspace: str,
        *,
        node: str | None = None,
        between: tuple[str, str] | None = None,
        until: Any = None,
    ) -> Iterator[Contact]:
        """Contact moments, by date then id; only those up to and including ``until``."""
        day = check_date(until, field="until")
        return self._query_contacts(workspace, node, between, day)

    def last_contact(self, workspace: str, node_id: str) -> dt.date | None:
        """The date of the last logged contact moment with a node (None if never)."""
        cast("Store", self).get_node(workspace, node_id)
        days = [c.on for c in self.contacts(workspace, node=node_id)]
        return max(days) if days else None
