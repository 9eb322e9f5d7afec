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

from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

from ...errors import ValidationError
from ...i18n import Message
from ...model import ID_PREFIX, NodeKind, RelKind
from ...store.base import Store, new_id
from ..kumu import PIPE, mapped_kind, remembered, type_report
from ..readers import Found, Table
from ..templates import EXAMPLE_MARK, is_example, is_marked
from ..templates import cached_fold as fold
from ..values import text
from .apply import ApplyStep
from .base import (
    SAMPLE,
    KindWords,
    Progress,
    Proposal,
    _no_gc,
    _ref_name,
)
from .rows import RowsStep


class ImportPlan(RowsStep, ApplyStep):
    """What importing a file would do. Built by :func:`plan_import`; see the module docstring."""

    _by_content: bool | None = None
    #: Kumu/Gephi type → kind, by ``"element"``/``"connection"`` (see :mod:`mapper.io.kumu`).
    type_mapping: dict[str, dict[str, str]] = {}  # noqa: RUF012 - replaced, never mutated

    # ------------------------------------------------------------------ reporting

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
            "notes": [str(n) for n in (*self.found.notes, *self.notes)],
            # the same, with a code and its values for an interface to say in its own words
            "note_items": [
                *({"text": str(n), "code": None, "params": {}} for n in self.found.notes),
                *(
                    {"text": str(n), "code": code, "params": params}
                    for n, (code, params) in zip(self.notes, self.note_codes)
                ),
            ],
            "types": [
                {"part": r.kind, "type": r.raw, "count": r.count, "kind": r.proposal}
                for r in type_report(self.found, self.type_mapping)
            ],
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
                    "message": str(e.message),
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

    def build(self) -> None:
        self._load_existing()
        tables = self.found.tables
        entity_sheets = {"entities": None, "others": None, "activities": NodeKind.ACTIVITY}
        for table in tables:
            if table.sheet.key in entity_sheets:
                for row, rec in self._records(table):
                    self._entity_row(table, row, rec, entity_sheets[table.sheet.key])
        self._match_entities()
        tables_by_title = {t.title: t for t in tables}
        for e in list(self.entities):
            if e.cells and not e.cells.get("bad"):
                self._relation_cells(e, tables_by_title[e.sheet])
        for table in tables:
            if table.sheet.key == "ties" and getattr(table, "kumu", None) is None:
                for row, rec in self._tie_sheet(table, by_content=self._content_examples()):
                    if not self._example_row(table, row, rec):
                        self._tie_row(table, row, rec)
            elif table.sheet.key == "ties":
                for row, rec in self._records(table):
                    self._tie_row(table, row, rec)
            elif table.sheet.key == "contacts":
                for row, rec in self._records(table):
                    self._contact_row(table, row, rec)
        order = {t.title: i for i, t in enumerate(tables)}
        self.errors.sort(key=lambda e: (order.get(e.sheet, len(order)), e.row))
        self.decide({})

    def _content_examples(self) -> bool:
        """Whether rows equal to an example row are examples: in a file without marked
        example rows (a template from before the marks). In a current template a row whose
        mark was removed is the person's own."""
        if self._by_content is None:
            self._by_content = not any(
                is_marked({"id": cell})
                for t in self.found.tables
                for cell in t.cells("id")
                if isinstance(cell, str)
            )
        return self._by_content

    def _example_row(self, table: Table, row: int, rec: Mapping[str, Any]) -> bool:
        """True (and noted) when the row is one of the template's example rows."""
        if not is_example(table.sheet, rec, by_content=self._content_examples()):
            return False
        what = " → ".join(
            str(v) for k in ("name", "source", "target", "a", "b") if (v := text(rec.get(k)))
        )
        self.note(
            Message(
                "{sheet}, row {row}: example row of the template ({what}), skipped; "
                "to import it, empty its id cell ({mark!r})",
                sheet=table.title,
                row=row,
                what=what,
                mark=EXAMPLE_MARK,
            ),
            "example_row",
            sheet=table.title,
            row=row,
            what=what,
            mark=EXAMPLE_MARK,
        )
        return True

    def _records(self, table: Table) -> Iterator[tuple[int, Mapping[str, Any]]]:
        """The rows of ``table``, without the template's example rows (each one noted)."""
        for row, rec in table.records():
            if self._example_row(table, row, rec):
                continue
            part = getattr(table, "kumu", None)
            if part is None:
                yield row, rec
                continue
            rec = {**rec, "kind": mapped_kind(part, rec.get("kind"), self.type_mapping)}
            if part == "element":
                yield row, rec
                continue
            targets = str(rec.get("target") or "").split(PIPE)  # Kumu: From → each of To
            ends: list[str | None] = [t.strip() for t in targets if t.strip()]
            for target in ends or [None]:
                one = {**rec, "target": target}
                if text(one.get("kind")) is None and not self._default_kind(table, row, one):
                    continue
                yield row, one

    def _default_kind(self, table: Table, row: int, rec: dict[str, Any]) -> bool:
        """An empty connection type: KNOWS between two people, MEMBER_OF from a person to an
        organisation (either way round). False (and the row reported) otherwise."""
        a, b = self._quiet_kind(rec.get("source")), self._quiet_kind(rec.get("target"))
        people = {NodeKind.PERSON, NodeKind.STAFF}
        if a in people and b in people:
            rec["kind"] = RelKind.KNOWS.value
            return True
        if {a, b} == {NodeKind.PERSON, NodeKind.ORGANISATION}:
            rec["kind"] = RelKind.MEMBER_OF.value
            if a is NodeKind.ORGANISATION:
                rec["source"], rec["target"] = rec["target"], rec["source"]
            return True
        if a is None or b is None:
            return True  # an unknown end: reported as such by the tie row
        self.error(
            table,
            row,
            "kind",
            "",
            Message(
                "this connection between a {a} and a {b} has no type: give it one "
                "(without a type only person–person (KNOWS) and person–organisation "
                "(MEMBER_OF) are understood)",
                a=KindWords([a]),
                b=KindWords([b]),
            ),
        )
        return False

    def _quiet_kind(self, value: Any) -> NodeKind | None:
        """The kind of the one entity a cell names, or None; reports nothing."""
        raw = text(value)
        if raw is None:
            return None
        for ref in (self._by_ref.get(raw), self._existing.get(raw)):
            if ref is not None:
                return ref.kind
        kinds = {r.kind for r in self._any_name.get(fold(raw), ())}
        kinds |= {n.kind for n in self._existing_any_name.get(fold(raw), ())}
        return kinds.pop() if len(kinds) == 1 else None

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
                    "{choice!r} was not proposed for {name!r}",
                    field="decision",
                    value=choice,
                    choice=choice,
                    name=proposal.entity.name,
                )
            self.decisions[token] = choice
        decided = self.decisions
        for e in self.entities:
            chosen = decided.get(e.token) if e.existing is None and decided else None
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


def plan_import(
    store: Store,
    workspace: str,
    found: Found,
    *,
    origin: str = "import",
    decisions: Mapping[str, str] | None = None,
    type_mapping: Mapping[str, dict[str, str]] | None = None,
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
    type_mapping : mapping, optional
        For Kumu and Gephi sheets: ``{"element": {type: kind}, "connection": {type: kind}}``
        (see :mod:`mapper.io.kumu`); default the workspace's remembered mapping. The obvious
        Dutch and English type names map by themselves either way.

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
    info = store.get_workspace(workspace)
    plan.type_mapping = (
        dict(type_mapping) if type_mapping is not None else remembered(info.settings)
    )
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

    from ..readers import read_bytes, read_file

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
