"""Step: read every row of every sheet, checking each cell."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...errors import Number, ValidationError
from ...i18n import Message
from ...model import (
    SYMMETRIC,
    TIE_RULES,
    Node,
    NodeKind,
    RelKind,
    check_interval,
    check_name,
    check_props,
    check_text,
    check_tie_kinds,
)
from ...privacy import PERSONAL_KINDS, check_privacy_props
from ...store.base import ID_RE
from ..readers import Table
from ..templates import (
    ATTENDING_KINDS,
    activity_role,
    is_undirected,
    parse_contact_mode,
    parse_node_kind,
    parse_rel_kind,
    parse_role,
)
from ..templates import cached_fold as fold
from ..values import parse_date, parse_extra, parse_strength, parse_yes, split_list, text
from .base import (
    STORE_ID_SHAPE,
    ContactRow,
    Entity,
    KindWords,
    Ref,
    _allowed,
    _blank,
    _kinds,
)
from .tie_sheet import TieSheetStep

#: The longest notes a contact moment takes (characters).
NOTES_LIMIT = 10_000


def _header(table: Table, field: str) -> str:
    column = next((c for c in table.columns if c is not None and c.field == field), None)
    return column.header if column else field


class RowsStep(TieSheetStep):
    """One method per kind of row: entities, their list columns, ties, contact moments."""

    def _entity_row(
        self, table: Table, row: int, rec: Mapping[str, Any], kind: NodeKind | None
    ) -> None:
        """One row of an entity sheet (entities, others, activities, graph nodes)."""
        before = len(self.errors)
        try:
            kind = kind or parse_node_kind(text(rec.get("kind")) or "")
        except ValidationError as exc:
            self.error(table, row, "kind", rec.get("kind"), exc)
        name = None
        try:
            name = check_name(text(rec.get("name")) or "", field="name")
        except ValidationError as exc:
            self.error(table, row, "name", rec.get("name"), exc)
        given = text(rec.get("id"))
        graph = getattr(table, "graph", False)
        if given and graph and not given.startswith(STORE_ID_SHAPE):
            given = None
        if given and not ID_RE.match(given):
            self.error(table, row, "id", given, Message("id {id!r} is not a valid id", id=given))
            given = None
        props: dict[str, Any] = {}
        try:
            props.update(parse_extra(rec.get("extra"), field="extra"))
        except ValidationError as exc:
            self.error(table, row, "extra", rec.get("extra"), exc)
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
                    Message("{mode!r} is not online or offline", mode=text(rec.get("mode"))),
                )
            else:
                props["mode"] = mode
        try:
            props = check_props(props)
            check_privacy_props(props)
        except ValidationError as exc:
            self.error(table, row, "extra", rec.get("extra"), exc)
        if kind is not None and kind in PERSONAL_KINDS and self._orgs_only:
            self.error(
                table,
                row,
                "kind",
                rec.get("kind") or kind.value,
                Message(
                    "this workspace keeps organisations only: no {kind} can be added",
                    kind=KindWords([kind]),
                ),
            )
        since = until = None
        for col in ("since", "until"):
            try:
                value = parse_date(rec.get(col), field=col)
            except ValidationError as exc:
                self.error(table, row, col, rec.get(col), exc)
                continue
            since, until = (value, until) if col == "since" else (since, value)
        try:
            check_interval(since, until)
        except ValidationError as exc:
            self.error(table, row, "until", rec.get("until"), exc)
        if len(self.errors) > before or kind is None or name is None:
            self._check_cells(table, row, rec)  # every bad cell of the row, not only the first
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

    def _place_organisation(self, e: Entity, table: Table, column: str, name: str) -> bool:
        """A place in "waar actief online/offline" that is an organisation's name (in the file
        or the workspace) and no channel's: the row's entity becomes a member of it (no new
        channel), said so in the dry run. False when the name is no organisation's."""
        key = (NodeKind.CHANNEL, fold(name))
        if self._by_name.get(key) or self._existing_by_name.get(key):
            return False  # a channel of that name exists: that is the place
        okey = (NodeKind.ORGANISATION, fold(name))
        found: list[Ref] = [*self._by_name.get(okey, ())]
        claimed = {x.existing.id for x in self._by_name.get(okey, ()) if x.existing}
        found += [n for n in self._existing_by_name.get(okey, ()) if n.id not in claimed]
        if len(found) != 1:
            return False
        org = found[0]
        if org is e or (isinstance(org, Node) and e.existing is org):
            return True  # an organisation active at its own place: nothing to add
        if e.kind not in TIE_RULES[RelKind.MEMBER_OF][0]:
            return False
        self._tie(table, e.row, RelKind.MEMBER_OF, e, org, column=column, explicit=False)
        header = _header(table, column)
        self.note(
            Message(
                "{sheet}, row {row}, {column!r}: {name!r} is an organisation: {entity} becomes "
                "a member of it (no new channel)",
                sheet=table.title,
                row=e.row,
                column=header,
                name=name,
                entity=e.name,
            ),
            "place_is_organisation",
            sheet=table.title,
            row=e.row,
            column=header,
            name=name,
            entity=e.name,
        )
        return True

    def _check_cells(self, table: Table, row: int, rec: Mapping[str, Any]) -> None:
        """Check the list and bond cells of a row that is bad already (they are otherwise
        checked when its ties are made), so one look at the dry run shows every bad cell."""
        try:
            parse_yes(rec.get("bond"))
        except ValidationError as exc:
            self.error(table, row, "bond", rec.get("bond"), exc)
        try:
            parse_strength(rec.get("bond_strength"), field="strength")
        except ValidationError as exc:
            self.error(table, row, "bond_strength", rec.get("bond_strength"), exc)
        for column in ("themes", "online", "offline", "channels", "activities", "bond_staff"):
            for name in split_list(rec.get(column)):
                try:
                    check_name(name, field=column)
                except ValidationError as exc:
                    self.error(table, row, column, name, exc)

    def _relation_cells(self, e: Entity, table: Table) -> None:
        """The ties an entity row names in its list columns."""
        row, cells = e.row, e.cells
        for name in split_list(cells.get("themes")):
            rel = RelKind.ABOUT if e.kind is NodeKind.ACTIVITY else RelKind.ACTIVE_ON
            theme = self._implicit(NodeKind.THEME, name, table, row, "themes")
            self._tie(table, row, rel, e, theme, column="themes", explicit=False)
        for column, mode in (("online", "online"), ("offline", "offline"), ("channels", None)):
            for name in split_list(cells.get(column)):
                if column != "channels" and self._place_organisation(e, table, column, name):
                    continue
                channel = self._implicit(
                    NodeKind.CHANNEL, name, table, row, column, {"mode": mode} if mode else None
                )
                self._tie(table, row, RelKind.ACTIVE_IN, e, channel, column=column, explicit=False)
        for item in split_list(cells.get("activities")):
            name, organises = activity_role(item)
            if organises is None:  # a person takes part; an organisation organises
                organises = e.kind not in ATTENDING_KINDS
            rel = RelKind.ORGANISES if organises else RelKind.ATTENDS
            activity = self._implicit(NodeKind.ACTIVITY, name, table, row, "activities")
            self._tie(table, row, rel, e, activity, column="activities", explicit=False)
        for name in split_list(cells.get("organisers")):
            sources = TIE_RULES[RelKind.ORGANISES][0]
            organiser = self._resolve(
                name,
                table,
                row,
                "organisers",
                sources,
                Message(
                    "an organiser is a person, organisation, library, staff member or community"
                ),
            )
            self._tie(
                table, row, RelKind.ORGANISES, organiser, e, column="organisers", explicit=False
            )
        bond = strength = None
        try:
            bond = parse_yes(cells.get("bond"))
        except ValidationError as exc:
            self.error(table, row, "bond", cells.get("bond"), exc)
        try:
            strength = parse_strength(cells.get("bond_strength"), field="strength")
        except ValidationError as exc:
            self.error(table, row, "bond_strength", cells.get("bond_strength"), exc)
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

    def _tie_row(self, table: Table, row: int, rec: Mapping[str, Any]) -> None:
        before = len(self.errors)
        kind = None
        parsed = self._parsed
        cell = rec.get("kind")
        try:
            if type(cell) is str:
                kind = parsed.get((parse_rel_kind, cell))
                if kind is None:
                    kind = parsed[parse_rel_kind, cell] = parse_rel_kind(text(cell) or "")
            else:
                kind = parse_rel_kind(text(cell) or "")
        except ValidationError as exc:
            self.error(table, row, "kind", cell, exc)
        sources, targets, allowed_s, allowed_t = _allowed(kind)
        undirected = is_undirected(rec.get("direction")) and kind not in SYMMETRIC
        if undirected and kind is not None:
            # an undirected edge may be written either way round: each end may be either kind
            ends = sources | targets
            either = Message("a {kind} tie joins {kinds}", kind=kind.value, kinds=_kinds(ends))
            sources = targets = ends
            allowed_s = allowed_t = either
        source = self._resolve_end(rec.get("source"), table, row, "source", sources, allowed_s)
        target = self._resolve_end(rec.get("target"), table, row, "target", targets, allowed_t)
        if undirected and kind is not None and source is not None and target is not None:
            oriented = self._orient(table, row, kind, source, target)
            if oriented is None:
                return
            source, target = oriented
        values: dict[str, Any] = {}
        for col, parse in (
            ("strength", parse_strength),
            ("since", parse_date),
            ("until", parse_date),
        ):
            cell = rec.get(col)
            try:
                if type(cell) is str:
                    key = (parse, cell)
                    if key in parsed:
                        values[col] = parsed[key]
                    else:
                        values[col] = parsed[key] = parse(cell, field=col)
                else:
                    values[col] = parse(cell, field=col)
            except ValidationError as exc:
                self.error(table, row, col, cell, exc)
        try:
            check_interval(values.get("since"), values.get("until"))
        except ValidationError as exc:
            self.error(table, row, "until", rec.get("until"), exc)
        props = None
        try:
            extra = rec.get("extra")
            if isinstance(extra, str) and extra.strip() or not _blank(extra):
                props = check_props(parse_extra(extra, field="extra"))
        except ValidationError as exc:
            self.error(table, row, "extra", rec.get("extra"), exc)
        tie_id = text(rec.get("id"))
        if tie_id and getattr(table, "graph", False) and not tie_id.startswith("tie-"):
            tie_id = None
        if tie_id and not ID_RE.match(tie_id):
            self.error(table, row, "id", tie_id, Message("id {id!r} is not a valid id", id=tie_id))
        try:
            check_text(rec.get("origin"), field="origin")
        except ValidationError as exc:
            self.error(table, row, "origin", rec.get("origin"), exc)
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

    def _orient(
        self, table: Table, row: int, kind: RelKind, source: Ref, target: Ref
    ) -> tuple[Ref, Ref] | None:
        """The direction the tie rules allow an undirected edge between ``source`` and
        ``target``; an error naming what to fix when both or neither direction fit."""
        fits = [
            (a, b) for a, b in ((source, target), (target, source)) if _fits(kind, a.kind, b.kind)
        ]
        if len(fits) == 1:
            return fits[0]
        a, b = KindWords([source.kind]), KindWords([target.kind])
        if fits:
            self.error(
                table,
                row,
                "direction",
                "undirected",
                Message(
                    "this undirected {kind} tie between {source!r} and {target!r} could go "
                    "either way ({a} → {b} or {b} → {a}): make the edge directed (source "
                    "first) so it says who is the member of whom",
                    kind=kind.value,
                    source=source.name,
                    target=target.name,
                    a=a,
                    b=b,
                ),
            )
            return None
        sources, targets = TIE_RULES[kind]
        self.error(
            table,
            row,
            "kind",
            kind.value,
            Message(
                "an undirected {kind} tie cannot join a {a} and a {b} either way "
                "({kind} goes from {sources} to {targets}): change the tie kind or one of "
                "the two entities",
                kind=kind.value,
                a=a,
                b=b,
                sources=_kinds(sources),
                targets=_kinds(targets),
            ),
        )
        return None

    def _contact_row(self, table: Table, row: int, rec: Mapping[str, Any]) -> None:
        before = len(self.errors)
        a = self._resolve(rec.get("a"), table, row, "a", None, "")
        b = self._resolve(rec.get("b"), table, row, "b", None, "")
        on = mode = None
        try:
            on = parse_date(rec.get("on"), field="date")
            if on is None:
                self.error(table, row, "on", None, Message("a contact moment needs a date"))
        except ValidationError as exc:
            self.error(table, row, "on", rec.get("on"), exc)
        if text(rec.get("mode")):
            try:
                mode = parse_contact_mode(text(rec.get("mode")) or "")
            except ValidationError as exc:
                self.error(table, row, "mode", rec.get("mode"), exc)
        if a is not None and b is not None and a is b:
            self.error(
                table,
                row,
                "b",
                rec.get("b"),
                Message("a contact moment needs two different parties"),
            )
        notes = text(rec.get("notes"))
        for column in ("notes", "outcome"):
            try:
                check_text(rec.get(column), field=column)
            except ValidationError as exc:
                self.error(table, row, column, rec.get(column), exc)
        if notes and len(notes) > NOTES_LIMIT:
            self.error(
                table,
                row,
                "notes",
                notes[:40],
                Message("notes are too long (at most {n} characters)", n=Number(NOTES_LIMIT)),
            )
        cid = text(rec.get("id"))
        if cid and not ID_RE.match(cid):
            self.error(table, row, "id", cid, Message("id {id!r} is not a valid id", id=cid))
        if len(self.errors) > before or a is None or b is None or on is None:
            return
        self.contacts.append(
            ContactRow(a, b, on, mode, notes, text(rec.get("outcome")), cid, table.title, row)
        )


def _fits(kind: RelKind, source: NodeKind, target: NodeKind) -> bool:
    try:
        check_tie_kinds(kind, source, target)
    except ValidationError:
        return False
    return True
