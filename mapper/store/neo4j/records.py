"""Records: small documents kept beside the graph (``:Record``; invitations and answers)."""

from __future__ import annotations

from ..base import Record, Store
from .rows import (
    _json,
    _record,
)
from .transaction import Transactions


class RecordCypher(Transactions, Store):
    """The record statements of :class:`~mapper.store.neo4j.Neo4jStore` (a mixin)."""

    def _put_record(self, workspace: str, record: Record) -> None:
        with self.atomic():
            old = self._get_record(workspace, record.collection, record.id)
            self._on_undo(
                lambda: (
                    self._set_record(workspace, old)
                    if old is not None
                    else self._delete_record(workspace, record.collection, record.id)
                )
            )
            self._set_record(workspace, record)

    def _set_record(self, workspace: str, record: Record) -> None:
        self._write(
            "MERGE (r:Record {workspace: $ws, collection: $collection, id: $id}) "
            "SET r.body = $body, r.refs = $refs, r.created_at = $created_at, "
            "r.updated_at = $updated_at",
            ws=workspace,
            collection=record.collection,
            id=record.id,
            body=_json(record.body),
            refs=list(record.refs),
            created_at=record.created_at,
            updated_at=record.updated_at,
        )

    def _get_record(self, workspace: str, collection: str, record_id: str) -> Record | None:
        rows = self._read(
            "MATCH (r:Record {workspace: $ws, collection: $collection, id: $id}) "
            "RETURN r {.*} AS r",
            ws=workspace,
            collection=collection,
            id=record_id,
        )
        return _record(rows[0]["r"]) if rows else None

    def _query_records(self, workspace: str, collection: str, ref: str | None) -> list[Record]:
        rows = self._read(
            "MATCH (r:Record {workspace: $ws, collection: $collection}) "
            "WHERE $ref IS NULL OR $ref IN r.refs "
            "RETURN r {.*} AS r ORDER BY r.created_at, r.id",
            ws=workspace,
            collection=collection,
            ref=ref,
        )
        return [_record(r["r"]) for r in rows]

    def _delete_record(self, workspace: str, collection: str, record_id: str) -> bool:
        self._on_undo(self._cannot_undo("deleting a record"))
        rows = self._write(
            "MATCH (r:Record {workspace: $ws, collection: $collection, id: $id}) "
            "DELETE r RETURN count(*) AS n",
            ws=workspace,
            collection=collection,
            id=record_id,
        )
        return bool(rows and rows[0]["n"])

    def _delete_records_naming(self, workspace: str, ref: str) -> int:
        self._on_undo(self._cannot_undo("deleting records"))
        rows = self._write(
            "MATCH (r:Record {workspace: $ws}) WHERE $ref IN r.refs DELETE r RETURN count(*) AS n",
            ws=workspace,
            ref=ref,
        )
        return rows[0]["n"] if rows else 0
