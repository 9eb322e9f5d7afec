"""Kumu and Gephi spreadsheets: read as the templates' tables, with their types mapped.

**Kumu** (https://docs.kumu.io/guides/import/import) keeps a map as two sheets (XLSX, or two
CSV files): *elements*, whose first column is ``Label`` (or ``ID``, then ``Label``), with
``Type``, ``Description``, ``Tags`` (several separated by ``|``) and any custom fields; and
*connections*, whose first columns are ``From`` and ``To`` (a ``|``-separated ``To`` means a
connection to each), with ``Type``, ``Strength``, ``Direction`` (``directed``, ``undirected``,
``mutual``), ``Tags``. Sheets named ``… (ignore)`` are skipped.

**Gephi**'s data laboratory exports a CSV pair: nodes (``Id``, ``Label``, attribute columns)
and edges (``Source``, ``Target``, ``Type`` = ``Directed``/``Undirected``, ``Id``, ``Label``,
``Weight``, attribute columns).

Both become the tables of :mod:`mapper.io.templates` (``Overige`` rows for elements/nodes,
``Relaties`` rows for connections/edges). A Kumu element ``Type`` or connection ``Type`` is
mapped to a node or tie kind by a **type mapping** (:func:`type_report` proposes one, a
person confirms it; the obvious Dutch and English names map by themselves); an empty
connection type means KNOWS between two people and MEMBER_OF from a person to an
organisation. :func:`write_kumu` writes a workspace back in Kumu's format.

Examples
--------
>>> from mapper.io.readers import read_bytes
>>> found = read_bytes(b"Label,Type\\nJan,Person\\nRepair Caf\\xc3\\xa9,Organization\\n", "e.csv")
>>> found.tables[0].sheet.key, getattr(found.tables[0], "kumu")
('others', 'element')
>>> [(r.kind, r.raw, r.proposal) for r in type_report(found)]
[('element', 'Organization', 'Organisation'), ('element', 'Person', 'Person')]
"""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import IO, Any

from ..model import NodeKind, RelKind
from ..store.base import fold
from .templates import (
    DIRECTION,
    NODE_KIND_DUTCH,
    NODE_KIND_WORDS,
    OTHERS,
    REL_KIND_DUTCH,
    REL_KIND_WORDS,
    TIES,
    Column,
)

#: Workspace setting holding the type mapping last confirmed, for the next import.
SETTING = "kumu_types"
#: Separator of several values in one Kumu cell.
PIPE = "|"

#: Element type names that map by themselves (beside the templates' Dutch words).
ELEMENT_WORDS: dict[str, NodeKind] = {
    **NODE_KIND_WORDS,
    "library": NodeKind.LIBRARY,
    "staff": NodeKind.STAFF,
    "staff member": NodeKind.STAFF,
    "employee": NodeKind.STAFF,
    "people": NodeKind.PERSON,
    "organisation": NodeKind.ORGANISATION,
    "organization": NodeKind.ORGANISATION,
    "organisaties": NodeKind.ORGANISATION,
    "activity": NodeKind.ACTIVITY,
    "event": NodeKind.ACTIVITY,
    "evenement": NodeKind.ACTIVITY,
    "theme": NodeKind.THEME,
    "topic": NodeKind.THEME,
    "onderwerp": NodeKind.THEME,
    "channel": NodeKind.CHANNEL,
    "community": NodeKind.COMMUNITY,
    "goal": NodeKind.GOAL,
}
#: Connection type names that map by themselves (beside the templates' Dutch words).
CONNECTION_WORDS: dict[str, RelKind] = {
    **REL_KIND_WORDS,
    **{fold(k.value.replace("_", " ")): k for k in RelKind},
    **{fold(k.value): k for k in RelKind},
    "member": RelKind.MEMBER_OF,
    "lid": RelKind.MEMBER_OF,
    "friend": RelKind.KNOWS,
    "vriend": RelKind.KNOWS,
    "acquaintance": RelKind.KNOWS,
    "kennis": RelKind.KNOWS,
    "organizes": RelKind.ORGANISES,
    "organiser": RelKind.ORGANISES,
    "organizer": RelKind.ORGANISES,
    "organisator": RelKind.ORGANISES,
    "attendee": RelKind.ATTENDS,
    "deelnemer": RelKind.ATTENDS,
    "neemt deel": RelKind.ATTENDS,
    "works for": RelKind.WORKS_AT,
    "werkt voor": RelKind.WORKS_AT,
}

_REF = Column("ref", "ref", "the element's key in the file, which connections refer to")
_EXTRA = next(c for c in OTHERS.columns if c.field == "extra")
_NODE_HEADERS = ["ref", "id", "soort", "naam", "notities", "sinds", "tot", "overige gegevens"]
_NODE_COLUMNS = [_REF, *[OTHERS.column_for(h) for h in _NODE_HEADERS[1:-1]], _EXTRA]
_EDGE_HEADERS = ["id", "van", "naar", "soort relatie", "sterkte", "sinds", "tot", "rol"]
_EDGE_HEADERS += ["richting", "overige gegevens"]
_EDGE_COLUMNS = [*[TIES.column_for(h) for h in _EDGE_HEADERS[:-2]], DIRECTION, _EXTRA]


@dataclass(frozen=True)
class Shape:
    """How the headers of one foreign sheet map onto a template table."""

    source: str  # "kumu" or "gephi"
    part: str  # "element" or "connection"


def shape_of(headers: list[str]) -> Shape | None:
    """The Kumu or Gephi sheet a header row belongs to, if any.

    >>> shape_of(["Label", "Type", "Description"]), shape_of(["From", "To"]).part
    (Shape(source='kumu', part='element'), 'connection')
    >>> shape_of(["Id", "Label", "kind"]).source, shape_of(["Source", "Target", "Type"]).part
    ('gephi', 'connection')
    >>> shape_of(["soort", "naam"]) is None
    True
    """
    keys = [fold(h).strip() for h in headers]
    if not keys:
        return None
    first = keys[0]
    if first in ("label",) or (first == "id" and len(keys) > 1 and keys[1] == "label"):
        source = "gephi" if first == "id" and _gephi_nodes(keys) else "kumu"
        return Shape(source, "element")
    if keys[:2] == ["from", "to"]:
        return Shape("kumu", "connection")
    if keys[:2] == ["source", "target"]:
        return Shape("gephi", "connection")
    return None


def _gephi_nodes(keys: list[str]) -> bool:
    # Gephi writes Id,Label,(timeset),attributes...; Kumu's ID,Label has a Type column
    return "type" not in keys


def table_for(rows: list[list[Any]], title: str, header_at: int) -> Any:
    """A template table for a Kumu or Gephi sheet (``rows[header_at]`` its headers), or None
    when the sheet is neither. Used by :func:`mapper.io.readers._table`."""
    from .readers import Table

    headers = [str(h).strip() if h is not None else "" for h in rows[header_at]]
    shape = shape_of(headers)
    if shape is None:
        return None
    keys = [fold(h).strip() for h in headers]
    body = rows[header_at + 1 :]
    if shape.part == "element":
        out = [_element(keys, headers, r, shape) for r in body]
        table = Table(
            OTHERS, title, _NODE_HEADERS, out, first_row=header_at + 2, columns=_NODE_COLUMNS
        )
    else:
        out = [_connection(keys, headers, r, shape) for r in body]
        if shape.source == "gephi" and "strength" not in keys and _default_weights(out):
            for r in out:
                r[4] = None  # every Weight is Gephi's default 1: no strength given
        table = Table(
            TIES, title, _EDGE_HEADERS, out, first_row=header_at + 2, columns=_EDGE_COLUMNS
        )
    table.graph = True  # type: ignore[attr-defined]  # ids kept only when store-shaped
    table.kumu = shape.part  # type: ignore[attr-defined]
    table.source = shape.source  # type: ignore[attr-defined]
    return table


#: Element columns taken as the entity's own fields, not custom properties.
_ELEMENT_OWN = frozenset(
    {"id", "label", "type", "kind", "soort", "description", "tags", "since", "until"}
    | {"sinds", "tot"}
)
_CONNECTION_OWN = frozenset(
    {"id", "from", "to", "source", "target", "type", "kind", "soort relatie", "strength"}
    | {"weight", "direction", "since", "until", "sinds", "tot", "tags", "label", "description"}
    | {"role", "rol"}
)
#: Gephi's own layout and bookkeeping columns.
_GEPHI_SKIP = frozenset({"timeset", "interval", "x", "y", "size", "color", "modularity_class"})


def _cell(row: list[Any], keys: list[str], *names: str) -> Any:
    for name in names:
        if name in keys:
            i = keys.index(name)
            value = row[i] if i < len(row) else None
            if value is not None and str(value).strip():
                return value
    return None


def _custom(
    row: list[Any], keys: list[str], headers: list[str], own: frozenset[str]
) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for i, key in enumerate(keys):
        value = row[i] if i < len(row) else None
        if key in own or key in _GEPHI_SKIP or not key or value is None or not str(value).strip():
            continue
        value = value.strip() if isinstance(value, str) else value
        if isinstance(value, str) and PIPE in value:
            value = [v.strip() for v in value.split(PIPE) if v.strip()]
        props[re.sub(r"[^0-9A-Za-z_]+", "_", headers[i]).strip("_").lower() or "field"] = value
    return props


def _json(props: dict[str, Any]) -> str | None:
    return json.dumps(props, ensure_ascii=False, default=str) if props else None


def _element(keys: list[str], headers: list[str], row: list[Any], shape: Shape) -> list[Any]:
    label = _cell(row, keys, "label")
    given = _cell(row, keys, "id")
    props = _custom(row, keys, headers, _ELEMENT_OWN)
    tags = _cell(row, keys, "tags")
    if tags is not None:
        props["tags"] = [t.strip() for t in str(tags).split(PIPE) if t.strip()]
    if "props" in props and isinstance(props["props"], str):  # our own export's properties
        try:
            loaded = json.loads(props.pop("props"))
            props = {**(loaded if isinstance(loaded, dict) else {}), **props}
        except ValueError:
            pass
    kind = _cell(row, keys, "type", "kind", "soort")
    since, until = _cell(row, keys, "since", "sinds"), _cell(row, keys, "until", "tot")
    notes = _cell(row, keys, "description")
    return [given or label, given, kind, label, notes, since, until, _json(props)]


def _connection(keys: list[str], headers: list[str], row: list[Any], shape: Shape) -> list[Any]:
    if shape.source == "kumu":
        source, target = _cell(row, keys, "from"), _cell(row, keys, "to")
        kind = _cell(row, keys, "type", "kind", "soort relatie")
        direction = _cell(row, keys, "direction")
        strength = _cell(row, keys, "strength", "weight")
    else:  # Gephi: Type is the direction; the tie kind is an attribute column
        source, target = _cell(row, keys, "source"), _cell(row, keys, "target")
        kind = _cell(row, keys, "kind", "soort relatie", "label")
        direction = _cell(row, keys, "type")
        # a strength column when there is one; Gephi's Weight only when it says more than its
        # default of 1 (see table_for)
        strength = _cell(row, keys, "strength" if "strength" in keys else "weight")
    props = _custom(row, keys, headers, _CONNECTION_OWN)
    tags = _cell(row, keys, "tags")
    if tags is not None:
        props["tags"] = [t.strip() for t in str(tags).split(PIPE) if t.strip()]
    if shape.source == "kumu" and _cell(row, keys, "description"):
        props["description"] = _cell(row, keys, "description")
    return [
        _cell(row, keys, "id"),
        source,
        target,
        kind,
        strength,
        _cell(row, keys, "since", "sinds"),
        _cell(row, keys, "until", "tot"),
        _cell(row, keys, "role", "rol"),
        direction,
        _json(props),
    ]


def _default_weights(rows: list[list[Any]]) -> bool:
    try:
        return all(r[4] is None or float(r[4]) == 1.0 for r in rows)
    except (TypeError, ValueError):
        return False


# --------------------------------------------------------------------------- type mapping


@dataclass(frozen=True)
class TypeRow:
    """One Kumu (or Gephi) type found in a file, how often, and what it maps to."""

    kind: str  # "element" or "connection"
    raw: str
    count: int
    proposal: str | None  # a NodeKind / RelKind value, or None when nothing obvious


def obvious(kind: str, raw: str) -> str | None:
    """The node or tie kind a type name obviously means, if any.

    >>> obvious("element", "Organization"), obvious("element", "Medewerker")
    ('Organisation', 'Staff')
    >>> obvious("connection", "lid van"), obvious("element", "Company")
    ('MEMBER_OF', None)
    """
    key = fold(raw).strip()
    if kind == "element":
        node = ELEMENT_WORDS.get(key) or ELEMENT_WORDS.get(key.rstrip("s"))
        return node.value if node else None
    rel = CONNECTION_WORDS.get(key)
    return rel.value if rel else None


def type_report(
    found: Any, mapping: Mapping[str, Mapping[str, str]] | None = None
) -> list[TypeRow]:
    """The element and connection types of a file's Kumu/Gephi tables, each with the kind
    ``mapping`` (``{"element": {type: kind}, "connection": {...}}``) or the obvious names give.
    Empty connection types are left out (they follow from the two ends)."""
    counts: Counter[tuple[str, str]] = Counter()
    for table in found.tables:
        part = getattr(table, "kumu", None)
        if part is None:
            continue
        i = TYPE_INDEX[part]
        for row in table.rows:
            raw = row[i] if i < len(row) else None
            if raw is not None and str(raw).strip():
                counts[part, str(raw).strip()] += 1
    mapping = mapping or {}
    out = []
    for (part, raw), n in sorted(
        counts.items(), key=lambda x: (x[0][0] != "element", fold(x[0][1]))
    ):
        chosen = mapping.get(part, {}).get(raw)
        out.append(TypeRow(part, raw, n, chosen or obvious(part, raw)))
    return out


def mapped_kind(part: str, raw: Any, mapping: Mapping[str, Mapping[str, str]] | None) -> Any:
    """The kind a type cell maps to (``mapping``, else the obvious name), or the cell as
    written when neither says (the import then reports it)."""
    if raw is None or not str(raw).strip():
        return raw
    chosen = (mapping or {}).get(part, {}).get(str(raw).strip())
    return chosen or obvious(part, str(raw)) or raw


#: Where a Kumu/Gephi table row holds its type: the element and connection tables' columns.
TYPE_INDEX = {"element": 2, "connection": 3}


def remembered(settings: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """The type mapping a workspace remembers (see :data:`SETTING`)."""
    value = settings.get(SETTING)
    if not isinstance(value, dict):
        return {}
    return {p: dict(v) for p, v in value.items() if isinstance(v, dict)}


def remember(store: Any, workspace: str, mapping: Mapping[str, Mapping[str, str]]) -> None:
    """Keep ``mapping`` (merged over what the workspace remembers) for the next import."""
    info = store.get_workspace(workspace)
    both = merged(remembered(info.settings), mapping)
    store.update_workspace(workspace, settings={**info.settings, SETTING: both})


def merged(
    base: Mapping[str, Mapping[str, str]], over: Mapping[str, Mapping[str, str]]
) -> dict[str, dict[str, str]]:
    """``over`` laid over ``base``, part by part."""
    out = {p: dict(v) for p, v in base.items()}
    for part, chosen in over.items():
        out.setdefault(part, {}).update(chosen)
    return out


def parse_mapping(items: Iterable[str]) -> dict[str, dict[str, str]]:
    """``TYPE=kind`` items (a Dutch or model name of a node or tie kind) as a mapping.

    >>> parse_mapping(["Company=organisatie", "Personal=kent"])
    {'element': {'Company': 'Organisation'}, 'connection': {'Personal': 'KNOWS'}}
    """
    from ..errors import ValidationError
    from .templates import parse_node_kind, parse_rel_kind

    out: dict[str, dict[str, str]] = {}
    for item in items:
        raw, sep, kind = item.partition("=")
        if not sep or not raw.strip() or not kind.strip():
            raise ValidationError(
                "mapping {item!r} is not TYPE=kind (e.g. Company=organisatie)",
                field="map",
                value=item,
                item=item,
            )
        try:
            out.setdefault("element", {})[raw.strip()] = parse_node_kind(kind.strip()).value
        except ValidationError:
            out.setdefault("connection", {})[raw.strip()] = parse_rel_kind(kind.strip()).value
    return out


# --------------------------------------------------------------------------- export


def kumu_rows(selection: Any) -> tuple[list[list[Any]], list[list[Any]]]:
    """The elements and connections sheets of a selection (header row first), as Kumu reads
    them: ``ID`` first (the store's ids, so an import back matches), ``Label``, ``Type``
    (the Dutch word), ``Description``, ``Tags``; connections ``From``/``To`` by id."""
    elements: list[list[Any]] = [["ID", "Label", "Type", "Description", "Tags", "Since", "Until"]]
    elements[0].append("props")
    for n in sorted(selection.nodes, key=lambda n: (n.kind.value, fold(n.name), n.id)):
        props = {k: v for k, v in n.props.items() if k not in ("notes", "tags")}
        tags = n.props.get("tags")
        elements.append(
            [
                n.id,
                n.name,
                NODE_KIND_DUTCH[n.kind],
                n.props.get("notes", ""),
                PIPE.join(str(t) for t in tags) if isinstance(tags, list) else (tags or ""),
                n.since.isoformat() if n.since else "",
                n.until.isoformat() if n.until else "",
                json.dumps(props, ensure_ascii=False, sort_keys=True) if props else "",
            ]
        )
    connections: list[list[Any]] = [
        ["ID", "From", "To", "Type", "Strength", "Direction", "Since", "Until", "Role"]
    ]
    for t in sorted(selection.ties, key=lambda t: t.id):
        connections.append(
            [
                t.id,
                t.source,
                t.target,
                REL_KIND_DUTCH[t.kind],
                "" if t.strength is None else repr(float(t.strength)),
                "undirected" if t.kind in _symmetric() else "directed",
                t.since.isoformat() if t.since else "",
                t.until.isoformat() if t.until else "",
                t.role or "",
            ]
        )
    return elements, connections


def _symmetric() -> frozenset[RelKind]:
    from ..model import SYMMETRIC

    return SYMMETRIC


def write_kumu(selection: Any, out: IO[bytes]) -> None:
    """An XLSX workbook with Kumu's ``Elements`` and ``Connections`` sheets."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from .export import _text_cell

    elements, connections = kumu_rows(selection)
    wb = Workbook(write_only=True)
    for title, rows in (("Elements", elements), ("Connections", connections)):
        ws = wb.create_sheet(title)
        for row in rows:  # formulas as text, control characters dropped (cells.py)
            ws.append([_text_cell(ws, v, WriteOnlyCell) for v in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    out.write(buffer.getvalue())


__all__ = [
    "SETTING",
    "Shape",
    "TypeRow",
    "mapped_kind",
    "merged",
    "kumu_rows",
    "obvious",
    "parse_mapping",
    "remember",
    "remembered",
    "shape_of",
    "table_for",
    "type_report",
    "write_kumu",
]
