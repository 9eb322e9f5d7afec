"""Rows to and from Neo4j: the store's records as property maps, and back.

Dates are Neo4j ``DATE`` values (``neo4j.time.Date`` when read), ``props``, ``settings`` and
audit ``detail`` are JSON text, and a property that is ``None`` is simply absent when read.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

import neo4j

from ...model import Contact, Node, NodeKind, RelKind, Tie, WorkspaceInfo
from ..base import Record, fold

#: Rows per ``UNWIND`` statement when writing many records.
BATCH_SIZE = 1000

T = TypeVar("T")


def _date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, neo4j.time.Date):
        return value.to_native()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def name_key(name: str) -> str:
    """The search key kept beside an entity's name: its folded form (``fold``: case, accents
    and spacing removed), written as its UTF-8 bytes, one character per byte (Latin-1).

    Neo4j compares strings by UTF-16 code units, Python by code points; the two disagree on
    names with characters beyond U+FFFF (an emoji sorts before U+E000 in Neo4j). Bytes of
    UTF-8 sort in code point order, so ``ORDER BY`` on the key sorts as Python sorts the
    folded names, and since UTF-8 is self-synchronising, ``=``, ``STARTS WITH`` and
    ``CONTAINS`` on keys mean the same as on the folded names.

    >>> name_key("  Fatma  Yılmaz ") == name_key("fatma yilmaz") == "fatma yilmaz"
    True
    >>> name_key("Zoë") == "zoe", name_key("中") == "中".encode().decode("latin-1")
    (True, True)
    """
    return fold(name).encode("utf-8").decode("latin-1")


def _node_row(workspace: str, node: Node) -> dict[str, Any]:
    return {
        "workspace": workspace,
        "id": node.id,
        "kind": node.kind.value,
        "name": node.name,
        "name_key": name_key(node.name),
        "props": _json(node.props),
        "since": node.since,
        "until": node.until,
        "origin": node.origin,
        "version": node.version,
        "recorded_at": node.recorded_at,
    }


def _node(m: Mapping[str, Any]) -> Node:
    return Node(
        id=m["id"],
        kind=NodeKind(m["kind"]),
        name=m["name"],
        props=json.loads(m.get("props") or "{}"),
        since=_date(m.get("since")),
        until=_date(m.get("until")),
        origin=m.get("origin"),
        version=int(m["version"]),
        recorded_at=m.get("recorded_at"),
    )


def _tie_props(workspace: str, tie: Tie) -> dict[str, Any]:
    return {
        "workspace": workspace,
        "tie_id": tie.id,
        "version": tie.version,
        "current": bool(tie.current),
        "strength": tie.strength,
        "since": tie.since,
        "until": tie.until,
        "role": tie.role,
        "origin": tie.origin,
        "props": _json(tie.props),
        "recorded_at": tie.recorded_at,
    }


def _tie(record: Mapping[str, Any]) -> Tie:
    r = record["r"]
    return Tie(
        id=r["tie_id"],
        kind=RelKind(record["kind"]),
        source=record["source"],
        target=record["target"],
        strength=r.get("strength"),
        since=_date(r.get("since")),
        until=_date(r.get("until")),
        role=r.get("role"),
        origin=r.get("origin"),
        props=json.loads(r.get("props") or "{}"),
        version=int(r["version"]),
        current=bool(r.get("current")),
        recorded_at=r.get("recorded_at"),
    )


def _contact(m: Mapping[str, Any]) -> Contact:
    return Contact(
        id=m["id"],
        a=m["a"],
        b=m["b"],
        on=_date(m["on_date"]),  # type: ignore[arg-type]
        mode=m.get("mode"),
        notes=m.get("notes"),
        outcome=m.get("outcome"),
        recorded_at=m.get("recorded_at"),
    )


def _record(m: Mapping[str, Any]) -> Record:
    return Record(
        collection=m["collection"],
        id=m["id"],
        body=json.loads(m.get("body") or "{}"),
        refs=tuple(m.get("refs") or ()),
        created_at=m.get("created_at") or "",
        updated_at=m.get("updated_at") or "",
    )


def _workspace(m: Mapping[str, Any]) -> WorkspaceInfo:
    return WorkspaceInfo(
        m["slug"], m["name"], m["created_at"], json.loads(m.get("settings") or "{}")
    )


def _ties_by_kind(workspace: str, ties: list[Tie]) -> dict[RelKind, list[dict[str, Any]]]:
    """Tie versions as ``UNWIND`` rows for :func:`_create_ties_query`, by kind."""
    by_kind: dict[RelKind, list[dict[str, Any]]] = {}
    for tie in ties:
        by_kind.setdefault(tie.kind, []).append(
            {"source": tie.source, "target": tie.target, "p": _tie_props(workspace, tie)}
        )
    return by_kind


def _create_ties_query(kind: RelKind) -> str:
    """Create one relationship per row between two entities of ``$ws``, answering how many
    it made (fewer than the rows: an end is not there)."""
    # The relationship type comes from the RelKind enum, never from user text.
    return (
        "UNWIND $rows AS row "
        "MATCH (a:Entity {workspace: $ws, id: row.source}) "
        "MATCH (b:Entity {workspace: $ws, id: row.target}) "
        f"CREATE (a)-[r:{RelKind(kind).value}]->(b) SET r = row.p "
        "RETURN count(r) AS n"
    )


def _chunks(items: list[T], size: int | None = None) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (default :data:`BATCH_SIZE`, read at call time).

    >>> [len(c) for c in _chunks(list(range(5)), 2)]
    [2, 2, 1]
    """
    size = size or BATCH_SIZE
    for i in range(0, len(items), size):
        yield items[i : i + size]
