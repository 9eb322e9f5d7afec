"""The import plan: what a file would create, update and match, before anything is written.

:func:`plan_import` reads the rows of a file (see :mod:`mapper.io.readers`), checks every cell,
resolves every name, and matches entities to what the workspace already holds:

- by ``id`` when the row gives one (an export always does);
- by the same name and kind (case, accents and spacing ignored);
- names that are *near* an existing one ("J. de Vries" for "Jan de Vries") are **proposed** as a
  match: by default the row becomes a new entity, unless the decision says it is the existing
  one (:class:`Proposal`). Nothing is merged silently.

Every bad cell becomes a :class:`RowError` naming sheet, row, column and value; all of them are
collected. :meth:`ImportPlan.apply` writes all or nothing in one transaction, and refuses a plan
with errors. Importing the same file twice changes nothing the second time: every row then
matches what the first import wrote.
"""

from __future__ import annotations

import datetime as dt
import difflib
import gc
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ..errors import MapperError, ValidationError
from ..model import (
    ID_PREFIX,
    SYMMETRIC,
    TIE_RULES,
    Node,
    NodeKind,
    RelKind,
    Tie,
    check_interval,
    check_name,
    check_props,
    check_role,
    check_tie_kinds,
)
from ..privacy import PERSONAL_KINDS, check_privacy_props, organisations_only
from ..store.base import ID_RE, Store, new_id, new_ids, now_iso
from .matching import MATCHED_KINDS, NameIndex
from .readers import Found, Table
from .templates import cached_fold as fold
from .templates import parse_contact_mode, parse_node_kind, parse_rel_kind, parse_role
from .values import parse_date, parse_extra, parse_strength, parse_yes, split_list, text

#: Rows written per store call while applying a plan (progress is reported between chunks).
CHUNK = 100_000
#: Ids from graph files are kept only when they look like the store's own.
STORE_ID_SHAPE = tuple(f"{p}-" for p in (*ID_PREFIX.values(), "tie", "cnt"))
#: How many examples of each action a summary lists.
SAMPLE = 50
#: Up to this many new entities in a file are also compared for spelling differences among
#: themselves (the keys of :mod:`mapper.io.matching` are always compared).
MAX_TYPO_CHECKS = 5_000

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class RowError:
    """One bad cell: where it is, what it holds, and what is wrong."""

    sheet: str
    row: int
    column: str
    value: Any
    message: str

    def __str__(self) -> str:
        return f"{self.sheet}, row {self.row}, column {self.column!r}: {self.message}"


class ImportErrors(MapperError):
    """A file has bad rows; ``errors`` lists every one of them."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        shown = "; ".join(str(e) for e in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        super().__init__(f"{len(errors)} bad row(s), nothing imported: {shown}{more}")


@dataclass(eq=False)
class Entity:
    """An entity a file names: created, or matched to an existing node."""

    kind: NodeKind
    name: str
    sheet: str
    row: int
    given_id: str | None = None
    props: dict[str, Any] = field(default_factory=dict)
    since: dt.date | None = None
    until: dt.date | None = None
    implicit: bool = False
    cells: dict[str, Any] = field(default_factory=dict)
    existing: Node | None = None
    how: str = ""
    proposals: list[Node] = field(default_factory=list)
    node_id: str = ""
    action: str = ""
    changes: dict[str, Any] = field(default_factory=dict)

    @property
    def token(self) -> str:
        """A stable key for this row, used by decisions on proposals."""
        return f"{self.sheet}:{self.row}:{fold(self.name)}:{self.kind.value}"


Ref = Entity | Node


@dataclass(eq=False, slots=True)
class TieRow:
    kind: RelKind
    source: Ref
    target: Ref
    strength: float | None
    since: dt.date | None
    until: dt.date | None
    role: str | None
    origin: str | None
    props: dict[str, Any] | None
    id: str | None
    sheet: str
    row: int
    explicit: bool
    action: str = ""
    existing: Tie | None = None
    changes: dict[str, Any] | None = None


@dataclass(eq=False, slots=True)
class ContactRow:
    a: Ref
    b: Ref
    on: dt.date
    mode: str | None
    notes: str | None
    outcome: str | None
    id: str | None
    sheet: str
    row: int
    action: str = ""


@dataclass
class Proposal:
    """A row whose name is near an existing entity's: the person importing decides."""

    entity: Entity
    candidates: list[Node]

    @property
    def token(self) -> str:
        return self.entity.token


def _ref_id(ref: Ref) -> str:
    return ref.node_id if isinstance(ref, Entity) else ref.id


def _ref_name(ref: Ref) -> str:
    return ref.name


def _ref_kind(ref: Ref) -> NodeKind:
    return ref.kind


def tie_key(kind: RelKind, source: str, target: str) -> tuple[str, str, str]:
    """The identity of a tie by kind and ends (either direction for symmetric kinds)."""
    if kind in SYMMETRIC and target < source:
        source, target = target, source
    return kind.value, source, target


class ImportPlan:
    """What importing a file would do. Built by :func:`plan_import`; see the module docstring."""

    def __init__(self, store: Store, workspace: str, found: Found, origin: str):
        self.store = store
        self.workspace = workspace
        self.found = found
        self.origin = origin
        self.errors: list[RowError] = []
        self.entities: list[Entity] = []
        self.ties: list[TieRow] = []
        self.contacts: list[ContactRow] = []
        self.decisions: dict[str, str] = {}
        self._existing: dict[str, Node] = {}
        self._existing_by_name: dict[tuple[NodeKind, str], list[Node]] = defaultdict(list)
        self._existing_any_name: dict[str, list[Node]] = defaultdict(list)
        self._by_ref: dict[str, Entity] = {}
        self._by_name: dict[tuple[NodeKind, str], list[Entity]] = defaultdict(list)
        self._any_name: dict[str, list[Entity]] = defaultdict(list)
        self._library_ref: Ref | None = None
        self._index: NameIndex | None = None
        self.file_duplicates: list[tuple[Entity, Entity]] = []
        self._orgs_only = organisations_only(store.get_workspace(workspace).settings)
        self._fitting: set[tuple[RelKind, NodeKind, NodeKind]] = set()

    # ------------------------------------------------------------------ reporting

    def error(self, table: Table | str, row: int, column: str, value: Any, message: str) -> None:
        title = table.title if isinstance(table, Table) else table
        header = column
        if isinstance(table, Table):
            col = next((c for c in table.sheet.columns if c.field == column), None)
            header = col.header if col else column
        self.errors.append(RowError(title, row, header, text(value) or "", message))

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def proposals(self) -> list[Proposal]:
        return [
            Proposal(e, e.proposals) for e in self.entities if e.proposals and e.existing is None
        ]

    def counts(self) -> dict[str, int]:
        """How many entities, ties and contact moments would be created, updated, matched."""
        out: Counter[str] = Counter()
        for e in self.entities:
            out[f"entities_{e.action}"] += 1
        for t in self.ties:
            out[f"ties_{t.action}"] += 1
        for c in self.contacts:
            out[f"contacts_{c.action}"] += 1
        out["proposals"] = len(self.proposals)
        out["errors"] = len(self.errors)
        return dict(out)

    def summary(self, limit: int = SAMPLE) -> dict[str, Any]:
        """Counts plus up to ``limit`` examples of each action, ready to show."""
        entities: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for e in self.entities:
            if len(entities[e.action]) < limit:
                entities[e.action].append(
                    {
                        "kind": e.kind.value,
                        "name": e.name,
                        "id": e.node_id,
                        "sheet": e.sheet,
                        "row": e.row,
                        "how": e.how,
                        "changes": sorted(e.changes),
                        "existing": e.existing.name if e.existing else None,
                    }
                )
        ties: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for t in self.ties:
            if len(ties[t.action]) < limit:
                ties[t.action].append(
                    {
                        "kind": t.kind.value,
                        "source": _ref_name(t.source),
                        "target": _ref_name(t.target),
                        "strength": t.strength,
                        "sheet": t.sheet,
                        "row": t.row,
                        "changes": sorted(t.changes or ()),
                    }
                )
        contacts: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for c in self.contacts:
            if len(contacts[c.action]) < limit:
                contacts[c.action].append(
                    {
                        "on": c.on.isoformat(),
                        "a": _ref_name(c.a),
                        "b": _ref_name(c.b),
                        "mode": c.mode,
                        "sheet": c.sheet,
                        "row": c.row,
                    }
                )
        return {
            "format": self.found.format,
            "notes": list(self.found.notes),
            "counts": self.counts(),
            "entities": dict(entities),
            "ties": dict(ties),
            "contacts": dict(contacts),
            "proposals": [
                {
                    "token": p.token,
                    "kind": p.entity.kind.value,
                    "name": p.entity.name,
                    "sheet": p.entity.sheet,
                    "row": p.entity.row,
                    "candidates": [{"id": n.id, "name": n.name} for n in p.candidates],
                    "choice": self.decisions.get(p.token, "new"),
                }
                for p in self.proposals
            ],
            "file_duplicates": [
                {
                    "a": a.name,
                    "b": b.name,
                    "kind": a.kind.value,
                    "rows": f"{a.sheet} {a.row} / {b.sheet} {b.row}",
                }
                for a, b in self.file_duplicates
            ],
            "errors": [
                {
                    "sheet": e.sheet,
                    "row": e.row,
                    "column": e.column,
                    "value": e.value,
                    "message": e.message,
                }
                for e in self.errors
            ],
        }

    def changes_nothing(self) -> bool:
        """True if applying would write nothing (everything matches)."""
        return (
            all(e.action == "match" for e in self.entities)
            and all(t.action in ("match", "duplicate") for t in self.ties)
            and all(c.action == "match" for c in self.contacts)
        )

    # ------------------------------------------------------------------ building

    def _load_existing(self) -> None:
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
            return self._by_ref[entity.given_id]
        self.entities.append(entity)
        self._by_name[key].append(entity)
        self._any_name[fold(entity.name)].append(entity)
        for r in (entity.given_id, ref):
            if r:
                self._by_ref[r] = entity
        return entity

    def _entity_row(
        self, table: Table, row: int, rec: Mapping[str, Any], kind: NodeKind | None
    ) -> None:
        """One row of an entity sheet (entities, others, activities, graph nodes)."""
        before = len(self.errors)
        try:
            kind = kind or parse_node_kind(text(rec.get("kind")) or "")
        except ValidationError as exc:
            self.error(table, row, "kind", rec.get("kind"), exc.message)
        name = None
        try:
            name = check_name(text(rec.get("name")) or "", field="name")
        except ValidationError as exc:
            self.error(table, row, "name", rec.get("name"), exc.message)
        given = text(rec.get("id"))
        graph = getattr(table, "graph", False)
        if given and graph and not given.startswith(STORE_ID_SHAPE):
            given = None
        if given and not ID_RE.match(given):
            self.error(table, row, "id", given, f"id {given!r} is not a valid id")
            given = None
        props: dict[str, Any] = {}
        try:
            props.update(parse_extra(rec.get("extra"), field="extra"))
        except ValidationError as exc:
            self.error(table, row, "extra", rec.get("extra"), exc.message)
        if text(rec.get("notes")):
            props["notes"] = text(rec.get("notes"))
        if text(rec.get("mode")):
            mode = fold(text(rec.get("mode")) or "")
            if mode not in ("online", "offline"):
                self.error(
                    table,
                    row,
                    "mode",
                    rec.get("mode"),
                    f"{text(rec.get('mode'))!r} is not online or offline",
                )
            else:
                props["mode"] = mode
        try:
            props = check_props(props)
            check_privacy_props(props)
        except ValidationError as exc:
            self.error(table, row, "extra", rec.get("extra"), exc.message)
        if kind is not None and kind in PERSONAL_KINDS and self._orgs_only:
            self.error(
                table,
                row,
                "kind",
                rec.get("kind") or kind.value,
                f"this workspace keeps organisations only: no {kind.value} can be added",
            )
        since = until = None
        for col in ("since", "until"):
            try:
                value = parse_date(rec.get(col), field=col)
            except ValidationError as exc:
                self.error(table, row, col, rec.get(col), exc.message)
                continue
            since, until = (value, until) if col == "since" else (since, value)
        try:
            check_interval(since, until)
        except ValidationError as exc:
            self.error(table, row, "until", rec.get("until"), exc.message)
        if len(self.errors) > before or kind is None or name is None:
            # keep the name known, so other rows referring to it don't report twice
            if kind is not None and name is not None:
                self._add_entity(Entity(kind, name, table.title, row, given, cells={"bad": True}))
            return
        cells = {
            k: rec.get(k)
            for k in (
                "online",
                "offline",
                "activities",
                "themes",
                "bond",
                "bond_strength",
                "bond_staff",
                "organisers",
                "channels",
            )
            if not _blank(rec.get(k))
        }
        self._add_entity(
            Entity(kind, name, table.title, row, given, props, since, until, cells=cells),
            ref=text(rec.get("ref")),
        )

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
                        f"id {e.given_id!r} belongs to a {node.kind.value}, not a {e.kind.value}",
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
                    f"{e.name!r} matches {len(same)} existing entities ({ids}); give the id",
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
            self.error(table, row, column, name, exc.message)
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
                f"this workspace keeps organisations only: no {kind.value} can be added",
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
        what: str,
    ) -> Ref | None:
        """The entity a cell names (id, file reference, or name); an error when none or many."""
        raw = text(value)
        if raw is None:
            self.error(table, row, column, value, f"{column} is empty")
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
            hint = f" (did you mean: {', '.join(close)}?)" if close else ""
            self.error(
                table,
                row,
                column,
                raw,
                f"no entity called {raw!r} in this file or the workspace{hint}",
            )
            return None
        fitting = [r for r in found if allowed is None or r.kind in allowed]
        if not fitting:
            kinds = ", ".join(sorted({r.kind.value for r in found}))
            self.error(table, row, column, raw, f"{raw!r} is a {kinds}; {what}")
            return None
        if len(fitting) > 1:
            ids = ", ".join(sorted(f"{r.kind.value}" for r in fitting))
            self.error(
                table,
                row,
                column,
                raw,
                f"{raw!r} names {len(fitting)} entities ({ids}); use the id",
            )
            return None
        return fitting[0]

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
        try:
            combination = (kind, source.kind, target.kind)
            if combination not in self._fitting:
                check_tie_kinds(*combination)
                self._fitting.add(combination)
            role = check_role(kind, role) if role is not None or kind is RelKind.HAS_ROLE else None
        except ValidationError as exc:
            self.error(
                table, row, column if exc.field == "kind" else "role", exc.value, exc.message
            )
            return
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

    def _relation_cells(self, e: Entity, table: Table) -> None:
        """The ties an entity row names in its list columns."""
        row, cells = e.row, e.cells
        for name in split_list(cells.get("themes")):
            rel = RelKind.ABOUT if e.kind is NodeKind.ACTIVITY else RelKind.ACTIVE_ON
            theme = self._implicit(NodeKind.THEME, name, table, row, "themes")
            self._tie(table, row, rel, e, theme, column="themes", explicit=False)
        for column, mode in (("online", "online"), ("offline", "offline"), ("channels", None)):
            for name in split_list(cells.get(column)):
                channel = self._implicit(
                    NodeKind.CHANNEL, name, table, row, column, {"mode": mode} if mode else None
                )
                self._tie(table, row, RelKind.ACTIVE_IN, e, channel, column=column, explicit=False)
        for name in split_list(cells.get("activities")):
            activity = self._implicit(NodeKind.ACTIVITY, name, table, row, "activities")
            self._tie(
                table, row, RelKind.ORGANISES, e, activity, column="activities", explicit=False
            )
        for name in split_list(cells.get("organisers")):
            sources = TIE_RULES[RelKind.ORGANISES][0]
            organiser = self._resolve(
                name,
                table,
                row,
                "organisers",
                sources,
                "an organiser is a person, organisation, library, staff member or community",
            )
            self._tie(
                table, row, RelKind.ORGANISES, organiser, e, column="organisers", explicit=False
            )
        bond = strength = None
        try:
            bond = parse_yes(cells.get("bond"))
        except ValidationError as exc:
            self.error(table, row, "bond", cells.get("bond"), exc.message)
        try:
            strength = parse_strength(cells.get("bond_strength"), field="strength")
        except ValidationError as exc:
            self.error(table, row, "bond_strength", cells.get("bond_strength"), exc.message)
        if bond or (bond is None and strength is not None):
            self._tie(
                table,
                row,
                RelKind.BOND_WITH,
                self._library(table, row),
                e,
                column="bond",
                explicit=False,
                strength=strength,
            )
        for name in split_list(cells.get("bond_staff")):
            staff = self._resolve_staff(name, table, row)
            self._tie(table, row, RelKind.BOND_WITH, staff, e, column="bond_staff", explicit=False)

    def _resolve_staff(self, name: str, table: Table, row: int) -> Ref | None:
        key = fold(name)
        if name in self._by_ref or name in self._existing:
            return self._resolve(
                name,
                table,
                row,
                "bond_staff",
                frozenset({NodeKind.STAFF, NodeKind.LIBRARY}),
                "a bond comes from a staff member",
            )
        for ref in [*self._any_name.get(key, ()), *self._existing_any_name.get(key, ())]:
            if ref.kind is NodeKind.STAFF:
                return ref
        return self._implicit(NodeKind.STAFF, name, table, row, "bond_staff")

    def _tie_row(self, table: Table, row: int, rec: Mapping[str, Any]) -> None:
        before = len(self.errors)
        kind = None
        try:
            kind = parse_rel_kind(text(rec.get("kind")) or "")
        except ValidationError as exc:
            self.error(table, row, "kind", rec.get("kind"), exc.message)
        sources, targets, allowed_s, allowed_t = _allowed(kind)
        source = self._resolve(rec.get("source"), table, row, "source", sources, allowed_s)
        target = self._resolve(rec.get("target"), table, row, "target", targets, allowed_t)
        values: dict[str, Any] = {}
        for col, parse in (
            ("strength", parse_strength),
            ("since", parse_date),
            ("until", parse_date),
        ):
            try:
                values[col] = parse(rec.get(col), field=col)
            except ValidationError as exc:
                self.error(table, row, col, rec.get(col), exc.message)
        try:
            check_interval(values.get("since"), values.get("until"))
        except ValidationError as exc:
            self.error(table, row, "until", rec.get("until"), exc.message)
        props = None
        try:
            extra = rec.get("extra")
            if isinstance(extra, str) and extra.strip() or not _blank(extra):
                props = check_props(parse_extra(extra, field="extra"))
        except ValidationError as exc:
            self.error(table, row, "extra", rec.get("extra"), exc.message)
        tie_id = text(rec.get("id"))
        if tie_id and getattr(table, "graph", False) and not tie_id.startswith("tie-"):
            tie_id = None
        if tie_id and not ID_RE.match(tie_id):
            self.error(table, row, "id", tie_id, f"id {tie_id!r} is not a valid id")
        if len(self.errors) > before or kind is None:
            return
        role = text(rec.get("role"))
        self._tie(
            table,
            row,
            kind,
            source,
            target,
            column="kind",
            explicit=True,
            strength=values.get("strength"),
            since=values.get("since"),
            until=values.get("until"),
            role=parse_role(role) if role else None,
            origin=text(rec.get("origin")),
            props=props,
            tie_id=tie_id,
        )

    def _contact_row(self, table: Table, row: int, rec: Mapping[str, Any]) -> None:
        before = len(self.errors)
        a = self._resolve(rec.get("a"), table, row, "a", None, "")
        b = self._resolve(rec.get("b"), table, row, "b", None, "")
        on = mode = None
        try:
            on = parse_date(rec.get("on"), field="date")
            if on is None:
                self.error(table, row, "on", None, "a contact moment needs a date")
        except ValidationError as exc:
            self.error(table, row, "on", rec.get("on"), exc.message)
        if text(rec.get("mode")):
            try:
                mode = parse_contact_mode(text(rec.get("mode")) or "")
            except ValidationError as exc:
                self.error(table, row, "mode", rec.get("mode"), exc.message)
        if a is not None and b is not None and a is b:
            self.error(
                table, row, "b", rec.get("b"), "a contact moment needs two different parties"
            )
        notes = text(rec.get("notes"))
        if notes and len(notes) > 10_000:
            self.error(
                table, row, "notes", notes[:40], "notes are too long (max 10,000 characters)"
            )
        cid = text(rec.get("id"))
        if cid and not ID_RE.match(cid):
            self.error(table, row, "id", cid, f"id {cid!r} is not a valid id")
        if len(self.errors) > before or a is None or b is None or on is None:
            return
        self.contacts.append(
            ContactRow(a, b, on, mode, notes, text(rec.get("outcome")), cid, table.title, row)
        )

    def build(self) -> None:
        self._load_existing()
        tables = self.found.tables
        entity_sheets = {"entities": None, "others": None, "activities": NodeKind.ACTIVITY}
        for table in tables:
            if table.sheet.key in entity_sheets:
                for row, rec in table.records():
                    self._entity_row(table, row, rec, entity_sheets[table.sheet.key])
        self._match_entities()
        tables_by_title = {t.title: t for t in tables}
        for e in list(self.entities):
            if e.cells and not e.cells.get("bad"):
                self._relation_cells(e, tables_by_title[e.sheet])
        for table in tables:
            if table.sheet.key == "ties":
                for row, rec in table.records():
                    self._tie_row(table, row, rec)
            elif table.sheet.key == "contacts":
                for row, rec in table.records():
                    self._contact_row(table, row, rec)
        order = {t.title: i for i, t in enumerate(tables)}
        self.errors.sort(key=lambda e: (order.get(e.sheet, len(order)), e.row))
        self.decide({})

    # ------------------------------------------------------------------ decisions

    def decide(self, decisions: Mapping[str, str]) -> None:
        """Settle the proposals and work out every action.

        ``decisions`` maps a proposal's token to the id of the existing entity it is (one of
        its candidates), or to ``"new"``. Proposals not mentioned become new entities.

        Raises
        ------
        ValidationError
            When a decision names an entity that was not proposed for that row.
        """
        self.decisions = {}
        by_token = {p.token: p for p in self.proposals}
        for token, choice in decisions.items():
            proposal = by_token.get(token)
            if proposal is None or choice in ("", "new"):
                continue
            if choice not in {n.id for n in proposal.candidates}:
                raise ValidationError(
                    f"{choice!r} was not proposed for {proposal.entity.name!r}",
                    field="decision",
                    value=choice,
                )
            self.decisions[token] = choice
        for e in self.entities:
            chosen = self.decisions.get(e.token) if e.existing is None else None
            target = e.existing or (self._existing[chosen] if chosen else None)
            if target is None:
                e.node_id = (
                    e.node_id
                    if e.node_id and e.action == "create"
                    else (e.given_id or new_id(ID_PREFIX[e.kind]))
                )
                e.action, e.changes = "create", {}
                continue
            e.node_id = target.id
            changes: dict[str, Any] = {}
            if e.how == "id" and e.name != target.name:
                changes["name"] = e.name
            if not e.implicit:
                for key, value in e.props.items():
                    if target.props.get(key) != value:
                        changes.setdefault("props", {})[key] = value
                for key in ("since", "until"):
                    value = getattr(e, key)
                    if value is not None and value != getattr(target, key):
                        changes[key] = value
            e.changes = changes
            e.action = "update" if changes else "match"
        self._plan_ties()
        self._plan_contacts()

    def _plan_ties(self) -> None:
        if not self.ties:
            return
        ids = {_ref_id(t.source) for t in self.ties} | {_ref_id(t.target) for t in self.ties}
        known = {i for i in ids if i in self._existing}
        by_id: dict[str, Tie] = {}
        by_key: dict[tuple[str, str, str], list[Tie]] = defaultdict(list)
        if known:
            for tie in self.store.ties(self.workspace):
                if tie.source in known or tie.target in known:
                    by_id[tie.id] = tie
                    by_key[tie_key(tie.kind, tie.source, tie.target)].append(tie)
        # one row per tie: a Relaties row overrides a tie named in a list column
        final: dict[Any, TieRow] = {}
        explicit_keys: set[tuple[str, str, str]] = set()
        for t in self.ties:
            key = tie_key(t.kind, _ref_id(t.source), _ref_id(t.target))
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
        for key, t in list(final.items()):
            if key[0] != "id" and key in explicit_keys and not t.explicit:
                t.action = "duplicate"
                del final[key]
        today = dt.date.today()
        for key, t in final.items():
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
                    continue
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
        for c in self.store.contacts(self.workspace) if known else ():
            seen_ids.add(c.id)
            seen.add(_contact_key(c.a, c.b, c.on, c.mode, c.notes))
        for c in self.contacts:
            key = _contact_key(_ref_id(c.a), _ref_id(c.b), c.on, c.mode, c.notes)
            if (c.id in seen_ids) if c.id else (key in seen):
                c.action = "match"
            else:
                c.action = "create"
                seen.add(key)
                if c.id:
                    seen_ids.add(c.id)

    # ------------------------------------------------------------------ writing

    def apply(self, *, progress: Progress | None = None) -> dict[str, int]:
        """Write the plan, all or nothing, and return the counts of what was done.

        Raises
        ------
        ImportErrors
            When the plan has bad rows (nothing is written).
        """
        if self.errors:
            raise ImportErrors(self.errors)
        store, ws = self.store, self.workspace
        creates = [e for e in self.entities if e.action == "create"]
        updates = [e for e in self.entities if e.action == "update"]
        new_ties = [t for t in self.ties if t.action == "create"]
        unnamed = [t for t in new_ties if not t.id]
        for t, tie_id in zip(unnamed, new_ids("tie", len(unnamed))):
            t.id = tie_id  # ids given now, and written in order: appends to the index
        new_ties.sort(key=lambda t: t.id or "")
        changes = [t for t in self.ties if t.action == "change"]
        new_contacts = [c for c in self.contacts if c.action == "create"]
        total = len(creates) + len(updates) + len(new_ties) + len(changes) + len(new_contacts)
        done = 0

        def report(n: int, what: str) -> None:
            nonlocal done
            done += n
            if progress is not None:
                progress(done, total, what)

        report(0, "start")
        # Many ties at once: the store may rebuild its tie indexes once at the end.
        with _no_gc(), store.bulk_write(ties=len(new_ties)):
            for chunk in _chunks(creates, CHUNK):
                store.add_nodes(
                    ws,
                    [
                        dict(
                            kind=e.kind,
                            name=e.name,
                            id=e.node_id,
                            props=e.props,
                            since=e.since,
                            until=e.until,
                            origin=self.origin,
                        )
                        for e in chunk
                    ],
                )
                report(len(chunk), "entities")
            for e in updates:
                fields = dict(e.changes)
                store.update_node(ws, e.node_id, **fields)
            report(len(updates), "updates")
            for chunk in _chunks(new_ties, CHUNK):
                # Every value was checked while planning (strength, dates, role, kinds, ids,
                # properties); the store still checks that both ends exist and fit the kind.
                stamp = now_iso()
                store.add_ties(
                    ws,
                    [
                        Tie(
                            t.id or new_id("tie"),
                            t.kind,
                            _ref_id(t.source),
                            _ref_id(t.target),
                            t.strength,
                            t.since,
                            t.until,
                            t.role,
                            t.origin,
                            dict(t.props) if t.props else {},
                            1,
                            True,
                            stamp,
                        )
                        for t in chunk
                    ],
                )
                report(len(chunk), "ties")
            for t in changes:
                assert t.existing is not None and t.changes is not None
                fields = {k: v for k, v in t.changes.items() if k not in ("on", "until")}
                tie = t.existing
                if "on" in t.changes:
                    tie = store.change_tie(ws, tie.id, on=t.changes["on"], **fields)
                if "until" in t.changes:
                    store.end_tie(ws, tie.id, on=t.changes["until"])
            report(len(changes), "changes")
            for chunk in _chunks(new_contacts, CHUNK):
                store.add_contacts(
                    ws,
                    [
                        dict(
                            a=_ref_id(c.a),
                            b=_ref_id(c.b),
                            on=c.on,
                            mode=c.mode,
                            notes=c.notes,
                            outcome=c.outcome,
                            id=c.id,
                        )
                        for c in chunk
                    ],
                )
                report(len(chunk), "contacts")
        return {
            "entities_created": len(creates),
            "entities_updated": len(updates),
            "ties_created": len(new_ties),
            "ties_changed": len(changes),
            "contacts_created": len(new_contacts),
        }


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: planning and writing a big file make millions of
    small objects that live until the end, and every full collection would rescan them all
    (about a tenth of a 1M-tie import). Nothing here makes reference cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@cache
def _allowed(kind: RelKind | None) -> tuple[Any, Any, str, str]:
    """The kinds a tie of ``kind`` may start and end at, and the words saying so."""
    if kind is None:
        return None, None, "", ""
    sources, targets = TIE_RULES[kind]
    if kind in SYMMETRIC:
        sources = targets = sources | targets
    words = f"a {kind.value} tie goes "
    return (
        sources,
        targets,
        f"{words}from {' | '.join(sorted(k.value for k in sources))}",
        f"{words}to {' | '.join(sorted(k.value for k in targets))}",
    )


def _contact_key(
    a: str, b: str, on: dt.date, mode: str | None, notes: str | None
) -> tuple[Any, ...]:
    return (min(a, b), max(a, b), on, mode or "", notes or "")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def plan_import(
    store: Store,
    workspace: str,
    found: Found,
    *,
    origin: str = "import",
    decisions: Mapping[str, str] | None = None,
) -> ImportPlan:
    """Plan importing what a file holds into ``workspace``, writing nothing.

    Parameters
    ----------
    store : Store
        The store to import into.
    workspace : str
        The workspace slug.
    found : Found
        The file's tables, from :func:`mapper.io.readers.read_file`.
    origin : str
        Recorded as the ``origin`` of new ties and entities (e.g. ``"import scan.xlsx"``).
    decisions : mapping, optional
        Proposal token → existing entity id (or ``"new"``); see :meth:`ImportPlan.decide`.

    Returns
    -------
    ImportPlan
        With ``errors`` (every bad cell), ``proposals`` and the actions; ``apply()`` writes it.

    Examples
    --------
    >>> from mapper.store import SQLiteStore
    >>> from mapper.io.readers import read_bytes
    >>> store = SQLiteStore(":memory:")
    >>> ws = store.create_workspace("demo")
    >>> found = read_bytes(b"soort;naam;thema's\\npersoon;Jan de Vries;duurzaamheid\\n", "scan.csv")
    >>> plan = plan_import(store, "demo", found)
    >>> plan.counts()["entities_create"], plan.counts()["ties_create"]
    (2, 1)
    >>> _ = plan.apply()
    >>> plan_import(store, "demo", found).changes_nothing()
    True
    """
    plan = ImportPlan(store, workspace, found, origin)
    store.get_workspace(workspace)
    with _no_gc():
        plan.build()
    if decisions:
        plan.decide(decisions)
    return plan


def import_file(
    store: Store,
    workspace: str,
    source: Any,
    *,
    filename: str | None = None,
    decisions: Mapping[str, str] | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportPlan:
    """Read, plan and (unless ``dry_run``) apply an import in one call.

    ``source`` is a path, or bytes with ``filename`` telling the format. Raises
    :class:`ImportErrors` when the file has bad rows (nothing is written).
    """
    from pathlib import Path

    from .readers import read_bytes, read_file

    if isinstance(source, bytes):
        found = read_bytes(source, filename or "upload.csv")
        name = filename or "upload"
    else:
        found = read_file(source)
        name = Path(source).name
    plan = plan_import(store, workspace, found, origin=f"import {name}", decisions=decisions)
    if not dry_run:
        plan.apply(progress=progress)
    return plan


__all__ = [
    "ImportPlan",
    "ImportErrors",
    "RowError",
    "Proposal",
    "plan_import",
    "import_file",
    "tie_key",
]
