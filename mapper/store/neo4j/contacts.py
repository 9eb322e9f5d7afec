"""Contact moments (``:Contact``, linked to both parties) and the audit trail
(``:AuditEntry``, numbered by a counter on the workspace node).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

from ...audit import AuditEntry
from ...errors import ConflictError
from ...model import Contact
from ..base import Store
from .rows import (
    _chunks,
    _contact,
    _json,
)
from .transaction import Transactions

#: Sequence numbers per read of a workspace's whole audit trail (:meth:`_whole_audit`).
AUDIT_PAGE = 20_000


class ContactCypher(Transactions, Store):
    """The contact-moment and audit-trail statements of
    :class:`~mapper.store.neo4j.Neo4jStore` (a mixin)."""

    def _insert_contacts(self, workspace: str, contacts: list[Contact]) -> None:
        if not contacts:
            return
        ids = [c.id for c in contacts]
        if len(set(ids)) != len(ids):
            raise ConflictError("the same contact moment id is given twice")
        for chunk in _chunks(ids):
            rows = self._read(
                "UNWIND $ids AS cid MATCH (c:Contact {workspace: $ws, id: cid}) RETURN c.id AS id",
                ws=workspace,
                ids=chunk,
            )
            if rows:
                raise ConflictError(
                    "a contact moment with id {id!r} already exists", id=rows[0]["id"]
                )
        self._on_undo(lambda: self._delete_contacts(workspace, ids))
        rows = [
            {
                "workspace": workspace,
                "id": c.id,
                "a": c.a,
                "b": c.b,
                "on_date": c.on,
                "mode": c.mode,
                "notes": c.notes,
                "outcome": c.outcome,
                "recorded_at": c.recorded_at,
            }
            for c in contacts
        ]
        for chunk in _chunks(rows):
            self._write(
                "UNWIND $rows AS row "
                "CREATE (c:Contact) SET c = row "
                "WITH c, row UNWIND [row.a, row.b] AS party "
                "MATCH (x:Entity {workspace: $ws, id: party}) "
                "CREATE (c)-[:INVOLVES]->(x)",
                ws=workspace,
                rows=chunk,
            )

    def _delete_contacts(self, workspace: str, ids: list[str]) -> None:
        for chunk in _chunks(ids):
            self._write(
                "UNWIND $ids AS cid MATCH (c:Contact {workspace: $ws, id: cid}) DETACH DELETE c",
                ws=workspace,
                ids=chunk,
            )

    def _query_contacts(
        self,
        workspace: str,
        node: str | None,
        between: tuple[str, str] | None,
        until: dt.date | None,
    ) -> Iterator[Contact]:
        where = []
        if node is not None:
            where.append("(c.a = $node OR c.b = $node)")
        if between is not None:
            where.append("((c.a = $x AND c.b = $y) OR (c.a = $y AND c.b = $x))")
        if until is not None:
            where.append("c.on_date <= $until")
        x, y = between if between is not None else (None, None)
        rows = self._read(
            "MATCH (c:Contact {workspace: $ws}) "
            + (f"WHERE {' AND '.join(where)} " if where else "")
            + "RETURN c {.*} AS c ORDER BY c.on_date, c.id",
            ws=workspace,
            node=node,
            x=x,
            y=y,
            until=until,
        )
        contacts = [_contact(r["c"]) for r in rows]
        contacts.sort(key=lambda c: (c.on, c.id))
        return iter(contacts)

    # ------------------------------------------------------------------ audit trail

    def _insert_audit(self, workspace: str, entries: list[AuditEntry]) -> None:
        if not entries:
            return
        rows = [
            {
                "workspace": workspace,
                "at": e.at,
                "actor": e.actor,
                "action": e.action,
                "target_type": e.target_type,
                "target_id": e.target_id,
                "label": e.label,
                "refs": list(e.refs),
                "detail": _json(e.detail),
            }
            for e in entries
        ]
        # The sequence counter lives on the workspace node; taking it locks the workspace's
        # audit trail until the transaction ends, so numbers are never handed out twice.
        for chunk in _chunks(rows):
            result = self._write(
                "MATCH (w:Workspace {slug: $ws}) "
                "SET w.audit_seq = coalesce(w.audit_seq, 0) + size($rows) "
                "WITH w.audit_seq - size($rows) AS base "
                "UNWIND range(0, size($rows) - 1) AS i "
                "CREATE (e:AuditEntry) SET e = $rows[i], e.seq = base + i + 1 "
                "RETURN min(e.seq) AS first, max(e.seq) AS last",
                ws=workspace,
                rows=chunk,
            )
            if result and result[0]["first"] is not None:
                first, last = result[0]["first"], result[0]["last"]
                self._on_undo(
                    lambda first=first, last=last: self._write(  # type: ignore[misc]
                        "MATCH (e:AuditEntry {workspace: $ws}) WHERE e.seq >= $first AND e.seq <= $last "
                        "DELETE e",
                        ws=workspace,
                        first=first,
                        last=last,
                    )
                )

    def _whole_audit(self, workspace: str) -> list[Any]:
        """Every audit entry of a workspace, newest first, read in ranges of
        :data:`AUDIT_PAGE` sequence numbers (each a seek in the ``(workspace, seq)`` index),
        sorted here: sorting a province's million entries on the server needs more memory
        than a managed server allows one transaction (``db.memory.transaction.max``)."""
        bounds = self._read(
            "MATCH (e:AuditEntry {workspace: $ws}) RETURN min(e.seq) AS lo, max(e.seq) AS hi",
            ws=workspace,
        )
        if not bounds or bounds[0]["lo"] is None:
            return []
        rows: list[Any] = []
        lo, hi = int(bounds[0]["lo"]), int(bounds[0]["hi"])
        for start in range(lo, hi + 1, AUDIT_PAGE):
            rows += self._read(
                "MATCH (e:AuditEntry) WHERE e.workspace = $ws AND e.seq >= $lo AND e.seq < $hi "
                "RETURN e {.*} AS e",
                ws=workspace,
                lo=start,
                hi=start + AUDIT_PAGE,
            )
        rows.sort(key=lambda r: r["e"]["seq"], reverse=True)
        return rows

    def _query_audit(
        self,
        workspace: str,
        entity: str | None,
        actions: list[str] | None,
        limit: int | None,
    ) -> list[AuditEntry]:
        where = []
        if entity is not None:
            where.append("$entity IN e.refs")
        if actions:
            where.append("e.action IN $actions")
        query = (
            "MATCH (e:AuditEntry {workspace: $ws}) "
            + (f"WHERE {' AND '.join(where)} " if where else "")
            + "RETURN e {.*} AS e ORDER BY e.seq DESC"
            + (" LIMIT $limit" if limit is not None else "")
        )
        if entity is None and not actions and limit is None:
            rows = self._whole_audit(workspace)
        else:
            rows = self._read(
                query,
                ws=workspace,
                entity=entity,
                actions=actions,
                limit=int(limit) if limit is not None else None,
            )
        return [
            AuditEntry(
                seq=m["seq"],
                at=m["at"],
                actor=m["actor"],
                action=m["action"],
                target_type=m["target_type"],
                target_id=m.get("target_id"),
                label=m.get("label"),
                refs=tuple(m.get("refs") or ()),
                detail=json.loads(m.get("detail") or "{}"),
            )
            for m in (r["e"] for r in rows)
        ]
