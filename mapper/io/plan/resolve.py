"""Step: resolve names to entities, in the file and in the workspace.

Every entity row becomes one :class:`~mapper.io.plan.base.Entity`, matched by id, by the same
name and kind, or proposed as a near match; a cell naming an entity is resolved to exactly one.
"""

from __future__ import annotations

import difflib
from typing import Any

from ...errors import ValidationError
from ...i18n import Message
from ...model import (
    Node,
    NodeKind,
    check_name,
    field_word,
)
from ...privacy import PERSONAL_KINDS
from ..matching import MATCHED_KINDS, NameIndex
from ..readers import Table
from ..templates import cached_fold as fold
from ..values import text
from .base import (
    MAX_TYPO_CHECKS,
    Entity,
    KindWords,
    PlanBase,
    Ref,
)


class ResolveStep(PlanBase):
    """Finding the entity a row or a cell means."""

    def _load_existing(self) -> None:
        self._resolved.clear()
        for node in self.store.nodes(self.workspace):
            self._existing[node.id] = node
            self._existing_by_name[node.kind, fold(node.name)].append(node)
            self._existing_any_name[fold(node.name)].append(node)

    def _name_index(self) -> NameIndex:
        if self._index is None:
            self._index = NameIndex()
            for node in self._existing.values():
                if node.kind in MATCHED_KINDS:
                    self._index.add(node.id, node.kind, node.name)
        return self._index

    def _add_entity(self, entity: Entity, ref: str | None = None) -> Entity:
        self._resolved.clear()  # a name may now mean another (or one more) entity
        key = (entity.kind, fold(entity.name))
        if entity.given_id is None and ref is None:
            for other in self._by_name.get(key, ()):  # the same row twice: one entity
                if other.given_id is None:
                    if not other.implicit:
                        other.props.update(entity.props)
                    for k, v in entity.cells.items():
                        other.cells.setdefault(k, v)
                    return other
        if entity.given_id is not None and entity.given_id in self._by_ref:
            first = self._by_ref[entity.given_id]
            if (
                not first.implicit
                and not entity.implicit
                and (first.sheet, first.row)
                != (
                    entity.sheet,
                    entity.row,
                )
            ):
                self.error(
                    entity.sheet,
                    entity.row,
                    "id",
                    entity.given_id,
                    Message(
                        "id {id!r} appears twice in this file (also on sheet {sheet!r}, row {row})",
                        id=entity.given_id,
                        sheet=first.sheet,
                        row=first.row,
                    ),
                )
            return first
        self._check_size()
        self.entities.append(entity)
        self._by_name[key].append(entity)
        self._any_name[fold(entity.name)].append(entity)
        for r in (entity.given_id, ref):
            if r:
                self._by_ref[r] = entity
        return entity

    def _match_entities(self) -> None:
        for e in self.entities:
            if e.given_id is not None and e.given_id in self._existing:
                node = self._existing[e.given_id]
                if node.kind is not e.kind:
                    self.error(
                        e.sheet,
                        e.row,
                        "id",
                        e.given_id,
                        Message(
                            "id {id!r} belongs to a {kind}, not a {wanted}",
                            id=e.given_id,
                            kind=KindWords([node.kind]),
                            wanted=KindWords([e.kind]),
                        ),
                    )
                    continue
                e.existing, e.how = node, "id"
                continue
            if e.given_id is not None:
                continue
            same = self._existing_by_name.get((e.kind, fold(e.name)), [])
            if len(same) == 1:
                e.existing, e.how = same[0], "name"
            elif len(same) > 1:
                ids = ", ".join(n.id for n in same[:5])
                self.error(
                    e.sheet,
                    e.row,
                    "name",
                    e.name,
                    Message(
                        "{name!r} matches {n} existing entities ({ids}); give the id",
                        name=e.name,
                        n=len(same),
                        ids=ids,
                    ),
                )
            elif e.kind in MATCHED_KINDS:
                near = self._name_index().near(e.name, e.kind)
                e.proposals = [self._existing[i] for i in near[:5]]  # type: ignore[index]
        # near-duplicates among the new rows of the file itself
        index = NameIndex()
        new = [e for e in self.entities if e.existing is None and e.kind in MATCHED_KINDS]
        typos = len(new) <= MAX_TYPO_CHECKS
        for i, e in enumerate(new):
            index.add(i, e.kind, e.name)
        seen: set[tuple[int, int]] = set()
        for i, e in enumerate(new):
            for j in index.near(e.name, e.kind, typos=typos):
                pair = (min(i, int(j)), max(i, int(j)))  # type: ignore[call-overload]
                if pair[0] != pair[1] and pair not in seen:
                    seen.add(pair)
                    self.file_duplicates.append((new[pair[0]], new[pair[1]]))

    def _implicit(
        self,
        kind: NodeKind,
        name: str,
        table: Table,
        row: int,
        column: str,
        props: dict[str, Any] | None = None,
    ) -> Entity | Node | None:
        """The entity of ``kind`` a cell names; created (implicitly) when none exists."""
        try:
            name = check_name(name, field=column)
        except ValidationError as exc:
            self.error(table, row, column, name, exc)
            return None
        for found in (self._by_ref.get(name), self._existing.get(name)):
            if found is not None and found.kind is kind:
                return found
        key = (kind, fold(name))
        if self._by_name.get(key):
            return self._by_name[key][0]
        if self._existing_by_name.get(key):
            return self._existing_by_name[key][0]
        if kind in PERSONAL_KINDS and self._orgs_only:
            self.error(
                table,
                row,
                column,
                name,
                Message(
                    "this workspace keeps organisations only: no {kind} can be added",
                    kind=KindWords([kind]),
                ),
            )
            return None
        entity = Entity(kind, name, table.title, row, props=dict(props or {}), implicit=True)
        self._add_entity(entity)
        if kind in MATCHED_KINDS:
            near = self._name_index().near(name, kind)
            entity.proposals = [self._existing[i] for i in near[:5]]  # type: ignore[index]
        return entity

    def _resolve(
        self,
        value: Any,
        table: Table,
        row: int,
        column: str,
        allowed: frozenset[NodeKind] | None,
        what: Message | str,
    ) -> Ref | None:
        """The entity a cell names (id, file reference, or name); an error when none or many."""
        raw = text(value)
        if raw is None:
            self.error(
                table, row, column, value, Message("{column} is empty", column=field_word(column))
            )
            return None
        key = fold(raw)
        same = self._any_name.get(key)
        unique = (
            same is not None
            and len(same) == 1
            and raw not in self._by_ref
            and raw not in self._existing
            and key not in self._existing_any_name
        )
        # The common case: one name, one entity.
        if unique and same and (allowed is None or same[0].kind in allowed):
            return same[0]
        if raw in self._by_ref:
            found: list[Ref] = [self._by_ref[raw]]
        elif raw in self._existing:
            found = [self._existing[raw]]
        else:
            found = list(self._any_name.get(key, ()))
            claimed = {e.existing.id for e in found if isinstance(e, Entity) and e.existing}
            found += [n for n in self._existing_any_name.get(key, ()) if n.id not in claimed]
        if not found:
            names = list({*self._any_name, *self._existing_any_name})
            close = (
                difflib.get_close_matches(fold(raw), names, n=3, cutoff=0.75)
                if len(names) < 50_000
                else []
            )
            missing = (
                Message(
                    "no entity called {name!r} in this file or the workspace (did you mean: "
                    "{close}?)",
                    name=raw,
                    close=", ".join(close),
                )
                if close
                else Message("no entity called {name!r} in this file or the workspace", name=raw)
            )
            self.error(table, row, column, raw, missing)
            return None
        fitting = [r for r in found if allowed is None or r.kind in allowed]
        if not fitting:
            kinds = KindWords({r.kind for r in found}, sep=", ")
            self.error(
                table,
                row,
                column,
                raw,
                Message("{name!r} is a {kinds}; {what}", name=raw, kinds=kinds, what=what),
            )
            return None
        if len(fitting) > 1:
            ids = KindWords([r.kind for r in fitting], sep=", ")
            self.error(
                table,
                row,
                column,
                raw,
                Message(
                    "{name!r} names {n} entities ({ids}); use the id",
                    name=raw,
                    n=len(fitting),
                    ids=ids,
                ),
            )
            return None
        return fitting[0]

    def _resolve_end(
        self,
        value: Any,
        table: Table,
        row: int,
        column: str,
        allowed: frozenset[NodeKind] | None,
        what: Message | str,
    ) -> Ref | None:
        """:meth:`_resolve` for a tie's end: the entity a cell's text names is kept for the
        other rows naming it (a name found once is found again; one not found, or naming
        several, is resolved and reported on every row)."""
        if type(value) is not str:
            return self._resolve(value, table, row, column, allowed, what)
        key = (value, allowed)
        ref = self._resolved.get(key)
        if ref is None:
            ref = self._resolve(value, table, row, column, allowed, what)
            if ref is not None:
                self._resolved[key] = ref
        return ref

    def _library(self, table: Table, row: int) -> Ref:
        if self._library_ref is None:
            libs = [e for e in self.entities if e.kind is NodeKind.LIBRARY]
            existing = sorted(
                (n for n in self._existing.values() if n.kind is NodeKind.LIBRARY),
                key=lambda n: n.id,
            )
            if existing:
                self._library_ref = existing[0]
            elif libs:
                self._library_ref = libs[0]
            else:
                name = self.store.get_workspace(self.workspace).name
                entity = Entity(NodeKind.LIBRARY, name, table.title, row, implicit=True)
                self._library_ref = self._add_entity(entity)
        return self._library_ref

    def _resolve_staff(self, name: str, table: Table, row: int) -> Ref | None:
        key = fold(name)
        if name in self._by_ref or name in self._existing:
            return self._resolve(
                name,
                table,
                row,
                "bond_staff",
                frozenset({NodeKind.STAFF, NodeKind.LIBRARY}),
                Message("a bond comes from a staff member"),
            )
        for ref in [*self._any_name.get(key, ()), *self._existing_any_name.get(key, ())]:
            if ref.kind is NodeKind.STAFF:
                return ref
        return self._implicit(NodeKind.STAFF, name, table, row, "bond_staff")
