"""Two entities side by side before a merge, and what merging them would do.

:func:`compare` gathers, for a proposed duplicate pair, every field of both (name, dates,
properties), their ties and contact moments (with the other end's name), and their sources
(``data_source``, ``lawful_basis`` and the origins of their ties), and says what a merge of
``drop`` into ``keep`` would do; :meth:`mapper.store.base.Store.merge_nodes` does it, and
:meth:`mapper.store.base.Store.unmerge_nodes` undoes it.

Examples
--------
>>> from mapper.store import SQLiteStore
>>> ws = SQLiteStore(":memory:").create_workspace("demo")
>>> jan = ws.add_node("Person", "Jan de Vries", props={"email": "jan@example.nl"})
>>> dup = ws.add_node("Person", "J. de Vries", props={"phone": "06-1234"})
>>> _ = ws.add_tie("KNOWS", jan.id, dup.id, strength=0.6)
>>> c = compare(ws, jan.id, dup.id)
>>> [(f.field, f.keep, f.drop, f.result) for f in c.fields][:2]
[('name', 'Jan de Vries', 'J. de Vries', 'Jan de Vries'), ('email', 'jan@example.nl', None, 'jan@example.nl')]
>>> print("\\n".join(c.consequences()))
J. de Vries goes into Jan de Vries: 0 ties and 0 contact moments move to Jan de Vries, with their history.
Jan de Vries keeps its own values; J. de Vries's fill the gaps (phone), and 'J. de Vries' is kept as another name.
1 tie between them (KNOWS) becomes a note on Jan de Vries.
The merge can be undone afterwards (mapper unmerge, or Undo on the duplicates page).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import Node
from ..store.base import fold

#: Properties shown as the entity's sources.
SOURCE_PROPS = ("data_source", "lawful_basis")
#: Properties a merge writes itself, not compared.
MERGE_PROPS = ("merged_from", "also_known_as")


@dataclass(frozen=True)
class FieldRow:
    """One field of both entities and what the merged entity would hold."""

    field: str
    keep: Any
    drop: Any
    result: Any

    @property
    def differs(self) -> bool:
        return self.keep is not None and self.drop is not None and self.keep != self.drop


@dataclass(frozen=True)
class TieRow:
    """A tie of one of the two, with the other end."""

    id: str
    kind: str
    other_id: str
    other_name: str
    outgoing: bool
    strength: float | None
    since: str | None
    until: str | None
    origin: str | None


@dataclass
class Comparison:
    """Two entities side by side (see the module docstring)."""

    keep: Node
    drop: Node
    fields: list[FieldRow] = field(default_factory=list)
    ties: dict[str, list[TieRow]] = field(default_factory=dict)  # by "keep" / "drop"
    between: list[TieRow] = field(default_factory=list)
    contacts: dict[str, int] = field(default_factory=dict)
    contacts_between: int = 0
    sources: dict[str, list[str]] = field(default_factory=dict)

    @property
    def filled_from_drop(self) -> list[str]:
        return [f.field for f in self.fields if f.keep is None and f.drop is not None]

    def consequences(self) -> list[str]:
        """What merging ``drop`` into ``keep`` does, in sentences (English; the web app says
        it in Dutch from the same numbers)."""
        k, d = self.keep.name, self.drop.name
        out = [
            f"{d} goes into {k}: {len(self.ties['drop'])} ties and {self.contacts['drop']} "
            f"contact moments move to {k}, with their history."
        ]
        gaps = ", ".join(self.filled_from_drop)
        alias = f", and {d!r} is kept as another name" if fold(d) != fold(k) else ""
        out.append(f"{k} keeps its own values; {d}'s fill the gaps ({gaps or 'none'}){alias}.")
        if self.between or self.contacts_between:
            kinds = ", ".join(sorted({t.kind for t in self.between}))
            parts = []
            if self.between:
                word = "tie" if len(self.between) == 1 else "ties"
                parts.append(f"{len(self.between)} {word} between them ({kinds})")
            if self.contacts_between:
                parts.append(f"{self.contacts_between} contact moment(s) between them")
            out.append(f"{' and '.join(parts)} becomes a note on {k}.")
        out.append(
            "The merge can be undone afterwards (mapper unmerge, or Undo on the duplicates page)."
        )
        return out


def _value(node: Node, name: str) -> Any:
    if name == "name":
        return node.name
    if name in ("since", "until"):
        day = getattr(node, name)
        return day.isoformat() if day else None
    value = node.props.get(name)
    return None if value in (None, "", [], {}) else value


def compare(ws: Any, keep: str, drop: str) -> Comparison:
    """The two entities ``keep`` and ``drop`` of workspace ``ws`` side by side."""
    a, b = ws.get_node(keep), ws.get_node(drop)
    cmp = Comparison(a, b)
    names = ["name", "since", "until"]
    for key in sorted({*a.props, *b.props} - set(MERGE_PROPS), key=lambda k: (k != "notes", k)):
        names.append(key)
    for name in names:
        x, y = _value(a, name), _value(b, name)
        if x is None and y is None:
            continue
        cmp.fields.append(FieldRow(name, x, y, x if x is not None else y))
    others: dict[str, str] = {}
    for side, node in (("keep", a), ("drop", b)):
        rows = []
        for t in ws.ties(node=node.id):
            other = t.target if t.source == node.id else t.source
            if other not in others:
                others[other] = ws.get_node(other).name
            row = TieRow(
                t.id,
                t.kind.value,
                other,
                others[other],
                t.source == node.id,
                t.strength,
                t.since.isoformat() if t.since else None,
                t.until.isoformat() if t.until else None,
                t.origin,
            )
            if {t.source, t.target} == {keep, drop}:
                if side == "keep":
                    cmp.between.append(row)
                continue
            rows.append(row)
        cmp.ties[side] = rows
        contacts = list(ws.contacts(node=node.id))
        cmp.contacts[side] = sum(1 for c in contacts if {c.a, c.b} != {keep, drop})
        if side == "keep":
            cmp.contacts_between = sum(1 for c in contacts if {c.a, c.b} == {keep, drop})
        sources = [f"{k}: {node.props[k]}" for k in SOURCE_PROPS if node.props.get(k)]
        sources += sorted({f"tie: {t.origin}" for t in rows if t.origin})
        cmp.sources[side] = sources
    return cmp


__all__ = ["Comparison", "FieldRow", "TieRow", "compare"]
