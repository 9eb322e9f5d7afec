"""A workspace with its whole history, as plain values: what migration and backup copy.

:meth:`mapper.store.base.Store.dump_workspace` reads a :class:`WorkspaceDump` from any store
and :meth:`~mapper.store.base.Store.load_workspace` writes one, verbatim (every node version,
every tie version, every contact moment, the workspace's settings, ids and ``recorded_at``
times unchanged), into any store. :func:`checksum` is computed from the dump alone, so the
same content gives the same checksum whichever store it was read from; the workspace slug is
left out of it, so a copy under another name verifies too.

Examples
--------
>>> from mapper.store import SQLiteStore
>>> a, b = SQLiteStore(":memory:"), SQLiteStore(":memory:")
>>> ws = a.create_workspace("rijnstad")
>>> jan = ws.add_node("Person", "Jan")
>>> _ = ws.update_node(jan.id, name="Jan de Vries")
>>> dump = a.dump_workspace("rijnstad")
>>> copy = b.load_workspace(dump)
>>> [v.name for v in copy.node_history(jan.id)]
['Jan', 'Jan de Vries']
>>> checksum(b.dump_workspace("rijnstad")) == checksum(dump)
True
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..audit import AuditEntry
from ..errors import ValidationError
from ..model import Contact, Node, NodeKind, RelKind, Tie, WorkspaceInfo

#: Name and version of the plain-data format written by :func:`dump_to_dict`.
DUMP_FORMAT = "community-mapper-workspace"
DUMP_VERSION = 1


@dataclass(frozen=True)
class WorkspaceDump:
    """One workspace with its full history.

    ``nodes`` holds every node *version* (ordered by id, then version); the highest version
    of each id is the current one. ``ties`` holds every tie version (ordered by id, then
    version) with its ``current`` flag; ``contacts`` every contact moment (by date, then id).
    """

    info: WorkspaceInfo
    nodes: list[Node] = field(default_factory=list)
    ties: list[Tie] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    #: The audit trail, oldest first (``seq`` is left to the store that loads it).
    audit: list[AuditEntry] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Numbers of records: node ids, node versions, tie ids, tie versions, contacts."""
        return {
            "nodes": len({n.id for n in self.nodes}),
            "node_versions": len(self.nodes),
            "ties": len({t.id for t in self.ties}),
            "tie_versions": len(self.ties),
            "contacts": len(self.contacts),
            "audit": len(self.audit),
        }


def _d(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def node_to_dict(node: Node) -> dict[str, Any]:
    return {
        "id": node.id,
        "kind": node.kind.value,
        "name": node.name,
        "props": node.props,
        "since": _d(node.since),
        "until": _d(node.until),
        "origin": node.origin,
        "version": node.version,
        "recorded_at": node.recorded_at,
    }


def tie_to_dict(tie: Tie) -> dict[str, Any]:
    return {
        "id": tie.id,
        "kind": tie.kind.value,
        "source": tie.source,
        "target": tie.target,
        "strength": tie.strength,
        "since": _d(tie.since),
        "until": _d(tie.until),
        "role": tie.role,
        "origin": tie.origin,
        "props": tie.props,
        "version": tie.version,
        "current": tie.current,
        "recorded_at": tie.recorded_at,
    }


def contact_to_dict(contact: Contact) -> dict[str, Any]:
    return {
        "id": contact.id,
        "a": contact.a,
        "b": contact.b,
        "on": contact.on.isoformat(),
        "mode": contact.mode,
        "notes": contact.notes,
        "outcome": contact.outcome,
        "recorded_at": contact.recorded_at,
    }


def audit_to_dict(entry: AuditEntry) -> dict[str, Any]:
    return {
        "at": entry.at,
        "actor": entry.actor,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "label": entry.label,
        "refs": list(entry.refs),
        "detail": entry.detail,
    }


def dump_to_dict(dump: WorkspaceDump) -> dict[str, Any]:
    """The dump as JSON-ready plain data (the format of a backup file)."""
    info = dump.info
    return {
        "format": DUMP_FORMAT,
        "version": DUMP_VERSION,
        "workspace": {
            "slug": info.slug,
            "name": info.name,
            "created_at": info.created_at,
            "settings": info.settings,
        },
        "nodes": [node_to_dict(n) for n in dump.nodes],
        "ties": [tie_to_dict(t) for t in dump.ties],
        "contacts": [contact_to_dict(c) for c in dump.contacts],
        "audit": [audit_to_dict(e) for e in dump.audit],
    }


def dump_from_dict(data: Mapping[str, Any]) -> WorkspaceDump:
    """Read plain data written by :func:`dump_to_dict`; ValidationError on another format."""
    if not isinstance(data, Mapping) or data.get("format") != DUMP_FORMAT:
        found = data.get("format") if isinstance(data, Mapping) else None
        raise ValidationError(
            "not a community-mapper workspace dump (format {found!r})", field="format", found=found
        )
    if data.get("version") != DUMP_VERSION:
        raise ValidationError(
            "workspace dump version {version!r} is not supported (this version reads {supported})",
            field="version",
            value=data.get("version"),
            version=data.get("version"),
            supported=DUMP_VERSION,
        )
    try:
        w = data["workspace"]
        info = WorkspaceInfo(w["slug"], w["name"], w["created_at"], dict(w.get("settings") or {}))
        nodes = [
            Node(
                id=n["id"],
                kind=NodeKind(n["kind"]),
                name=n["name"],
                props=dict(n.get("props") or {}),
                since=_date(n.get("since")),
                until=_date(n.get("until")),
                origin=n.get("origin"),
                version=int(n["version"]),
                recorded_at=n.get("recorded_at"),
            )
            for n in data.get("nodes", [])
        ]
        ties = [
            Tie(
                id=t["id"],
                kind=RelKind(t["kind"]),
                source=t["source"],
                target=t["target"],
                strength=t.get("strength"),
                since=_date(t.get("since")),
                until=_date(t.get("until")),
                role=t.get("role"),
                origin=t.get("origin"),
                props=dict(t.get("props") or {}),
                version=int(t["version"]),
                current=bool(t["current"]),
                recorded_at=t.get("recorded_at"),
            )
            for t in data.get("ties", [])
        ]
        contacts = [
            Contact(
                id=c["id"],
                a=c["a"],
                b=c["b"],
                on=dt.date.fromisoformat(c["on"]),
                mode=c.get("mode"),
                notes=c.get("notes"),
                outcome=c.get("outcome"),
                recorded_at=c.get("recorded_at"),
            )
            for c in data.get("contacts", [])
        ]
        audit = [
            AuditEntry(
                at=e["at"],
                actor=e["actor"],
                action=e["action"],
                target_type=e["target_type"],
                target_id=e.get("target_id"),
                label=e.get("label"),
                refs=tuple(e.get("refs") or ()),
                detail=dict(e.get("detail") or {}),
            )
            for e in data.get("audit", [])
        ]
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationError("the workspace dump is damaged: {exc!r}", exc=exc) from None
    return WorkspaceDump(info, nodes, ties, contacts, audit)


def canonical(dump: WorkspaceDump) -> WorkspaceDump:
    """The dump with its records in the canonical order (nodes and ties by id then version,
    contacts by date then id; the audit trail keeps its order), so that two stores' dumps
    compare equal."""
    return WorkspaceDump(
        dump.info,
        sorted(dump.nodes, key=lambda n: (n.id, n.version)),
        sorted(dump.ties, key=lambda t: (t.id, t.version)),
        sorted(dump.contacts, key=lambda c: (c.on, c.id)),
        list(dump.audit),
    )


def checksum(dump: WorkspaceDump) -> str:
    """SHA-256 (hex) of the dump's content in canonical form, without the workspace slug.

    Computed from plain values only, so it is the same for the same content in any store.
    """
    data = dump_to_dict(canonical(dump))
    del data["workspace"]["slug"]
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
