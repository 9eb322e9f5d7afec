"""Quick-add for a workshop: several names at once, one per line ("Repair Café Noord,
organisatie"), checked against what the workspace holds with the import's near-duplicate
check (:mod:`mapper.io.matching`), then the new ones added in one change.

Examples
--------
>>> from mapper.store import SQLiteStore
>>> ws = SQLiteStore(":memory:").create_workspace("w", "Bibliotheek W")
>>> _ = ws.add_node("Organisation", "Stichting Repair Café")
>>> lines = check_lines(ws, "Repair Cafe, organisatie\\nBuurthuis De Kern\\nJan Smit, persoon")
>>> [(line.name, line.kind.value, line.status) for line in lines]
[('Repair Cafe', 'Organisation', 'similar'), ('Buurthuis De Kern', 'Organisation', 'new'), \
('Jan Smit', 'Person', 'new')]
>>> change = add_lines(ws, [line for line in lines if line.status == "new"])
>>> sorted(n.name for n in change.nodes)
['Buurthuis De Kern', 'Jan Smit']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..errors import ValidationError
from ..i18n import N_
from ..io.matching import NameIndex, same_name
from ..model import MAX_NAME_LENGTH, Node, NodeKind
from ..privacy import PERSONAL_KINDS, organisations_only
from ..store.base import Workspace
from . import edit

#: At most this many lines in one quick-add.
MAX_LINES = 200

#: Line status: not there yet; the same name exists; a near-duplicate exists; cannot be added.
NEW, EXISTS, SIMILAR, INVALID = "new", "exists", "similar", "invalid"


@dataclass
class Line:
    """One line of a quick-add, with what the workspace already holds."""

    number: int
    text: str
    name: str
    kind: NodeKind | None
    status: str
    matches: list[Node] = field(default_factory=list)
    error: edit.EditError | ValidationError | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "line": self.number,
            "name": self.name,
            "kind": self.kind.value if self.kind else None,
            "status": self.status,
            "matches": [{"id": n.id, "name": n.name} for n in self.matches],
            "error": str(self.error) if self.error else None,
        }


def parse_line(text: str, default_kind: NodeKind) -> tuple[str, NodeKind]:
    """Name and kind of one line: ``name, kind`` (the last part is the kind when it names
    one: "persoon", "organisatie", "Person", …), else the whole line is the name.

    >>> parse_line("Repair Café Noord, organisatie", NodeKind.PERSON)
    ('Repair Café Noord', <NodeKind.ORGANISATION: 'Organisation'>)
    >>> parse_line("Vries, Jan de", NodeKind.PERSON)
    ('Vries, Jan de', <NodeKind.PERSON: 'Person'>)
    """
    for separator in (";", ",", "\t"):
        if separator in text:
            head, _, tail = text.rpartition(separator)
            try:
                return " ".join(head.split()), edit.parse_kind(tail.strip())
            except ValidationError:
                continue
    return " ".join(text.split()), default_kind


def check_lines(
    ws: Workspace, text: str, *, default_kind: Any = NodeKind.ORGANISATION
) -> list[Line]:
    """Each non-empty line with its status: ``new``, ``exists`` (same name and kind, or the
    same name twice in the list), ``similar`` (a near-duplicate: proposed, not decided) or
    ``invalid`` (an empty or too long name, a kind the workspace refuses)."""
    kind0 = edit.parse_kind(default_kind)
    raw = [line for line in str(text or "").splitlines()]
    if sum(1 for line in raw if line.strip()) > MAX_LINES:
        raise edit.EditError(
            "too_many_lines",
            N_("at most {max} lines at once"),
            field="names",
            value=len(raw),
            max=MAX_LINES,
        )
    today = dt.date.today()
    present = [n for n in ws.nodes(as_of=today)]
    index = NameIndex()
    by_id = {}
    for node in present:
        index.add(node.id, node.kind, node.name)
        by_id[node.id] = node
    people_refused = organisations_only(ws.info.settings)
    out: list[Line] = []
    seen: list[Line] = []
    for number, line in enumerate(raw, start=1):
        if not line.strip():
            continue
        name, kind = parse_line(line, kind0)
        item = Line(number, line.strip(), name, kind, NEW)
        if not name or len(name) > MAX_NAME_LENGTH:
            item.status = INVALID
            item.error = edit.EditError(
                "name",
                N_("the name {name!r} is empty or too long (at most {most} characters)"),
                field="name",
                name=name,
                most=MAX_NAME_LENGTH,
            )
        elif people_refused and kind in PERSONAL_KINDS:
            item.status = INVALID
            item.error = edit.EditError(
                "organisations_only",
                N_("this workspace keeps organisations only: cannot add the person {name!r}"),
                field="kind",
                name=name,
            )
        else:
            same = [n for n in present if n.kind is kind and same_name(n.name, name)]
            twice = [s for s in seen if s.kind is kind and same_name(s.name, name)]
            if same or twice:
                item.status = EXISTS
                item.matches = same
            else:
                near = [by_id[str(i)] for i in index.near(name, kind)]
                if near:
                    item.status = SIMILAR
                    item.matches = near
            seen.append(item)
        out.append(item)
    return out


def add_lines(
    ws: Workspace,
    lines: Iterable[Line],
    *,
    theme: str | None = None,
    origin: str | None = None,
) -> edit.Change:
    """Add the given lines (those a person chose: the new ones, and near-duplicates they said
    are someone new) in one change; with ``theme`` each is active on (or about) it."""
    chosen = [line for line in lines if line.kind is not None and line.status in (NEW, SIMILAR)]
    if not chosen:
        raise edit.EditError("nothing_chosen", N_("no names to add"), field="names")
    theme_node = edit.resolve(ws, theme, field="theme", kinds=[NodeKind.THEME]) if theme else None
    change = edit.Change("quick_add", ", ".join(line.name for line in chosen)[:190])
    day = dt.date.today()
    with ws.atomic():
        for line in chosen:
            assert line.kind is not None
            edit._check_people_allowed(ws, line.kind, line.name)
            node = change.add_node(ws, line.kind, line.name, origin=origin)
            if theme_node is not None:
                if line.kind in edit.ACTIVE_ON_KINDS:
                    change.add_tie(ws, edit.R.ACTIVE_ON, node.id, theme_node.id, since=day)
                elif line.kind in edit.ABOUT_KINDS:
                    change.add_tie(ws, edit.R.ABOUT, node.id, theme_node.id, since=day)
        change.commit(ws, target_type="node", extra={"count": len(chosen)})
    return change


__all__ = ["Line", "check_lines", "add_lines", "parse_line", "NEW", "EXISTS", "SIMILAR", "INVALID"]
