"""Access requests: everything held on one person as a dict and as JSON, and taking a person
out of the records that name them by id before an erasure.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..model import Node, strength_label
from ..policy import DATA_SOURCE, LAWFUL_BASIS
from .review import last_contact

if TYPE_CHECKING:  # pragma: no cover
    from ..store.base import Store


def access_export(store: Store, workspace: str, node_id: str) -> dict[str, Any]:
    """Everything the store holds on one entity (usually a person), as plain values.

    Holds the current details, every recorded version, every tie (every version, with the
    other end's kind and name), every contact moment (with the other party), the audit
    entries that name the entity, the lawful basis, and every source the data came from.
    Raises NotFoundError if the entity is not in this workspace. This is the machine-readable
    form (for portability: codes and ISO dates); :func:`export_html` makes it readable.
    """
    node = store.get_node(workspace, node_id)
    versions = store.node_history(workspace, node_id)
    ties = list(store.ties(workspace, node=node_id, history=True))
    contacts = list(store.contacts(workspace, node=node_id))
    others = store.get_nodes(
        workspace,
        {t.other(node_id) for t in ties} | {c.b if c.a == node_id else c.a for c in contacts},
    )

    def other(other_id: str) -> dict[str, Any]:
        found = others.get(other_id)
        return {
            "id": other_id,
            "kind": found.kind.value if found else None,
            "name": found.name if found else None,
        }

    sources: set[str] = set()
    for version in versions:
        for value in (version.origin, version.props.get(DATA_SOURCE)):
            if value:
                sources.add(str(value))
    for tie in ties:
        if tie.origin:
            sources.add(tie.origin)
    return {
        "format": "community-mapper access export 1",
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "workspace": {"slug": workspace, "name": store.get_workspace(workspace).name},
        "entity": _node_dict(node),
        "lawful_basis": node.props.get(LAWFUL_BASIS),
        "data_source": node.props.get(DATA_SOURCE),
        "last_contact": _iso(last_contact(store, workspace, node_id)),
        "versions": [_node_dict(v) for v in versions],
        "ties": [
            {
                "id": t.id,
                "version": t.version,
                "current": t.current,
                "kind": t.kind.value,
                "direction": "out" if t.source == node_id else "in",
                "other": other(t.other(node_id)),
                "strength": t.strength,
                "strength_label": strength_label(t.strength, "en"),  # a code, like "kind"
                "role": t.role,
                "since": _iso(t.since),
                "until": _iso(t.until),
                "origin": t.origin,
                "props": t.props,
                "recorded_at": t.recorded_at,
            }
            for t in ties
        ],
        "contacts": [
            {
                "id": c.id,
                "on": c.on.isoformat(),
                "with": other(c.b if c.a == node_id else c.a),
                "mode": c.mode,
                "notes": c.notes,
                "outcome": c.outcome,
                "recorded_at": c.recorded_at,
            }
            for c in contacts
        ],
        "audit": [e.as_dict() for e in reversed(store.audit(workspace, entity=node_id))],
        "sources": sorted(sources),
        # invitation answers naming the entity (mapper.invitations), waiting or accepted
        "answers": _answers_about(store, workspace, node_id),
        # Aan de slag: tasks, calendar items and moments that name the person (by id only).
        "aandeslag": _aandeslag_about(store, workspace, node_id),
    }


def _answers_about(store: Store, workspace: str, node_id: str) -> list[dict[str, Any]]:
    from ..invitations import answers_about

    return answers_about(store.workspace(workspace), node_id)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _node_dict(node: Node) -> dict[str, Any]:
    return {
        "id": node.id,
        "kind": node.kind.value,
        "name": node.name,
        "props": node.props,
        "since": _iso(node.since),
        "until": _iso(node.until),
        "origin": node.origin,
        "version": node.version,
        "recorded_at": node.recorded_at,
    }


def export_json(data: Mapping[str, Any]) -> str:
    """An access export as indented JSON text (UTF-8, readable names)."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)


def _aandeslag_about(store: Store, workspace: str, node_id: str) -> list[dict[str, Any]]:
    """The *Aan de slag* records (working agreements, calendar, measurement moments, the
    contact person) that name ``node_id``."""
    from .. import workplan

    return workplan.references(store.workspace(workspace), node_id)


def forget_everywhere(store: Store, workspace: str, node_id: str) -> int:
    """Before an erasure: take ``node_id`` out of the records that name it by id in other
    nodes' details (the *Aan de slag* tasks, calendar items and moments, the contact person).
    Returns how many references were removed."""
    from .. import workplan

    return workplan.forget(store.workspace(workspace), node_id)
