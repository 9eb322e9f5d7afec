"""Step: ties and contact moments, checked against the tie rules and matched to the stored ones."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from ...errors import ValidationError
from ...i18n import Message
from ...model import (
    SYMMETRIC,
    RelKind,
    Tie,
    check_role,
    check_tie_kinds,
)
from ..readers import Table
from .base import (
    Entity,
    Ref,
    TieRow,
    _contact_key,
    _ref_id,
    tie_key,
)
from .resolve import ResolveStep


class TiesStep(ResolveStep):
    """Ties a file names: each checked, then matched to the workspace's own."""

    def _tie(
        self,
        table: Table,
        row: int,
        kind: RelKind,
        source: Ref | None,
        target: Ref | None,
        *,
        column: str,
        explicit: bool,
        strength: float | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        role: str | None = None,
        origin: str | None = None,
        props: dict[str, Any] | None = None,
        tie_id: str | None = None,
    ) -> None:
        if source is None or target is None:
            return
        if tie_id:
            first = self._tie_rows.setdefault(tie_id, (table.title, row))
            if first != (table.title, row):
                self.error(
                    table,
                    row,
                    "id",
                    tie_id,
                    Message(
                        "id {id!r} appears twice in this file (also on sheet {sheet!r}, row {row})",
                        id=tie_id,
                        sheet=first[0],
                        row=first[1],
                    ),
                )
                return
        try:
            combination = (kind, source.kind, target.kind)
            if combination not in self._fitting:
                check_tie_kinds(*combination)
                self._fitting.add(combination)
            role = check_role(kind, role) if role is not None or kind is RelKind.HAS_ROLE else None
        except ValidationError as exc:
            self.error(table, row, column if exc.field == "kind" else "role", exc.value, exc)
            return
        self._check_size()
        self.ties.append(
            TieRow(
                kind,
                source,
                target,
                strength,
                since,
                until,
                role,
                origin or (None if tie_id else self.origin),
                props,
                tie_id,
                table.title,
                row,
                explicit,
            )
        )

    def _plan_ties(self) -> None:
        if not self.ties:
            return
        by_id, by_key = self._stored_ties()
        if not by_id and not by_key:  # nothing stored to match (a first import): all new
            for t in self._one_row_per_tie().values():
                t.existing, t.action, t.changes = None, "create", None
            return
        today = dt.date.today()
        for key, t in self._one_row_per_tie().items():
            existing = by_id.get(t.id) if t.id else None
            if existing is None and key[0] != "id":
                candidates = [x for x in by_key.get(key, ()) if x.until is None] or by_key.get(
                    key, []
                )
                existing = candidates[0] if candidates else None
            t.existing = existing
            if existing is None:
                t.action, t.changes = "create", None
                continue
            self._plan_change(t, existing, today)

    def _stored_ties(self) -> tuple[dict[str, Tie], dict[tuple[str, str, str], list[Tie]]]:
        """The stored ties touching an entity the rows name: by id, and by kind and ends."""
        by_id: dict[str, Tie] = {}
        by_key: dict[tuple[str, str, str], list[Tie]] = defaultdict(list)
        if not self._existing:  # an empty workspace (a first import): nothing to match
            return by_id, by_key
        ids = {_ref_id(t.source) for t in self.ties} | {_ref_id(t.target) for t in self.ties}
        known = {i for i in ids if i in self._existing}
        if known:
            for tie in self.store.ties(self.workspace):
                if tie.source in known or tie.target in known:
                    by_id[tie.id] = tie
                    by_key[tie_key(tie.kind, tie.source, tie.target)].append(tie)
        return by_id, by_key

    def _one_row_per_tie(self) -> dict[Any, TieRow]:
        """One row per tie, the others marked duplicate: a Relaties row overrides a tie named
        in a list column; of two list mentions the later wins, taking what it leaves out
        from the earlier."""
        final: dict[Any, TieRow] = {}
        explicit_keys: set[tuple[str, str, str]] = set()
        for t in self.ties:
            # tie_key and _ref_id written out: two calls per tie cost more than the rest
            s, d = t.source, t.target
            source = s.node_id if isinstance(s, Entity) else s.id
            target = d.node_id if isinstance(d, Entity) else d.id
            if target < source and t.kind in SYMMETRIC:
                source, target = target, source
            key = (t.kind._value_, source, target)  # (.value is a property: slower)
            if t.id:
                final[("id", t.id)] = t
                explicit_keys.add(key)
                continue
            earlier = final.get(key)
            if earlier is not None and earlier.explicit and not t.explicit:
                t.action = "duplicate"
                continue
            if earlier is not None:
                earlier.action = "duplicate"
                for name in ("strength", "since", "until", "role", "props"):
                    if getattr(t, name) is None:
                        setattr(t, name, getattr(earlier, name))
            final[key] = t
        for key, t in list(final.items()) if explicit_keys else ():
            if key[0] != "id" and key in explicit_keys and not t.explicit:
                t.action = "duplicate"
                del final[key]
        return final

    @staticmethod
    def _plan_change(t: TieRow, existing: Tie, today: dt.date) -> None:
        """Match the row to the stored tie: a change (a new version from the row's date, or
        today), an end, nothing to do, or a new tie when the stored one ended before."""
        changes: dict[str, Any] = {}
        if t.strength is not None and t.strength != existing.strength:
            changes["strength"] = t.strength
        if t.role is not None and t.role != existing.role:
            changes["role"] = t.role
        if t.props is not None and t.props != existing.props:
            changes["props"] = t.props
        if changes:
            on = t.since if t.since and existing.since and t.since > existing.since else today
            if existing.since and on < existing.since:
                on = existing.since
            if existing.until is not None and on >= existing.until:
                t.existing, t.action, t.changes = None, "create", None
                return
            changes["on"] = on
        if t.until is not None and (existing.until is None or t.until < existing.until):
            changes["until"] = t.until
        t.changes = changes
        t.action = "change" if changes else "match"

    def _plan_contacts(self) -> None:
        if not self.contacts:
            return
        ids = {_ref_id(c.a) for c in self.contacts} | {_ref_id(c.b) for c in self.contacts}
        known = {i for i in ids if i in self._existing}
        seen_ids: set[str] = set()
        seen: set[tuple[Any, ...]] = set()
        for stored in self.store.contacts(self.workspace) if known else ():
            seen_ids.add(stored.id)
            seen.add(_contact_key(stored.a, stored.b, stored.on, stored.mode, stored.notes))
        for c in self.contacts:
            key = _contact_key(_ref_id(c.a), _ref_id(c.b), c.on, c.mode, c.notes)
            if (c.id in seen_ids) if c.id else (key in seen):
                c.action = "match"
            else:
                c.action = "create"
                seen.add(key)
                if c.id:
                    seen_ids.add(c.id)
