"""Ties: one relationship per version, their locks, queries by day and the projection."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from ...errors import ConflictError, NotFoundError
from ...model import RelKind, Tie
from ..base import Store
from .rows import (
    _chunks,
    _create_ties_query,
    _tie,
    _ties_by_kind,
)
from .transaction import Transactions, _retrying

ALL_REL_KINDS = [k.value for k in RelKind]

_TIE_RETURN = (
    "RETURN r {.*} AS r, type(r) AS kind, a.id AS source, b.id AS target, elementId(r) AS eid"
)

#: All versions of some tie ids, whatever their kind: one index seek per relationship type.
_TIES_BY_ID = "\nUNION ALL\n".join(
    f"UNWIND $ids AS tid MATCH (a:Entity)-[r:{k.value}]->(b:Entity) "
    f"WHERE r.tie_id = tid AND r.workspace = $ws {_TIE_RETURN}"
    for k in RelKind
)

_VALID_ON = "(r.since IS NULL OR r.since <= $day) AND (r.until IS NULL OR r.until > $day)"


class TieCypher(Transactions, Store):
    """The tie statements of :class:`~mapper.store.neo4j.Neo4jStore` (a mixin)."""

    def _tie_rows(self, workspace: str, tie_ids: list[str]) -> list[tuple[str, Tie]]:
        """(element id, tie version) for every version of the given ties."""
        out: list[tuple[str, Tie]] = []
        for chunk in _chunks(tie_ids):
            out += [(r["eid"], _tie(r)) for r in self._read(_TIES_BY_ID, ws=workspace, ids=chunk)]
        out.sort(key=lambda p: (p[1].id, p[1].version))
        return out

    def _insert_ties(self, workspace: str, ties: list[Tie]) -> None:
        if not ties:
            return
        keys = [(t.id, t.version) for t in ties]
        if len(set(keys)) != len(keys):
            raise ConflictError("the same tie version is given twice")
        stored = {
            (t.id, t.version): t.kind
            for _, t in self._tie_rows(workspace, sorted({t.id for t in ties}))
        }
        kinds = {tid: kind for (tid, _), kind in stored.items()}
        for tie in ties:
            if (tie.id, tie.version) in stored:
                raise ConflictError(
                    "a tie with id {tie_id!r} (version {version}) already exists",
                    tie_id=tie.id,
                    version=tie.version,
                )
            if kinds.get(tie.id, tie.kind) is not tie.kind:
                raise ConflictError(
                    "tie {tie_id!r} is a {stored} tie, not {kind}",
                    tie_id=tie.id,
                    stored=kinds[tie.id].value,
                    kind=tie.kind.value,
                )
        self._on_undo(lambda: self._delete_tie_versions(workspace, ties))
        for kind, rows in _ties_by_kind(workspace, ties).items():
            query = _create_ties_query(kind)
            for chunk in _chunks(rows):
                done = self._write(query, ws=workspace, rows=chunk)
                if not done or done[0]["n"] != len(chunk):
                    raise NotFoundError("an end of one of these ties is not in this workspace")

    def _delete_tie_versions(self, workspace: str, ties: list[Tie]) -> None:
        keys = {(t.id, t.version) for t in ties}
        eids = [
            eid
            for eid, t in self._tie_rows(workspace, sorted({t.id for t in ties}))
            if (t.id, t.version) in keys
        ]
        self._delete_relationships(workspace, eids)

    def _delete_relationships(self, workspace: str, eids: list[str]) -> None:
        for chunk in _chunks(eids):
            self._write(
                "UNWIND $eids AS eid MATCH ()-[r]->() "
                "WHERE elementId(r) = eid AND r.workspace = $ws DELETE r",
                ws=workspace,
                eids=chunk,
            )

    def _version_eid(self, workspace: str, tie_id: str, version: int) -> tuple[str, Tie]:
        for eid, tie in self._tie_rows(workspace, [tie_id]):
            if tie.version == version:
                return eid, tie
        raise NotFoundError(
            "no tie with id {tie_id!r} (version {version}) in this workspace",
            tie_id=tie_id,
            version=version,
        )

    def _set_tie_fields(
        self, workspace: str, eid: str, until: dt.date | None, current: bool
    ) -> None:
        self._write(
            "MATCH ()-[r]->() WHERE elementId(r) = $eid AND r.workspace = $ws "
            "SET r.until = $until, r.current = $current",
            ws=workspace,
            eid=eid,
            until=until,
            current=current,
        )

    def _close_tie_version(self, workspace: str, tie_id: str, version: int, until: dt.date) -> None:
        eid, old = self._version_eid(workspace, tie_id, version)
        self._on_undo(lambda: self._set_tie_fields(workspace, eid, old.until, old.current))
        self._set_tie_fields(workspace, eid, until, False)

    def _set_tie_until(self, workspace: str, tie_id: str, version: int, until: dt.date) -> None:
        eid, old = self._version_eid(workspace, tie_id, version)
        self._on_undo(lambda: self._set_tie_fields(workspace, eid, old.until, old.current))
        self._set_tie_fields(workspace, eid, until, old.current)

    def _tie_versions(self, workspace: str, tie_id: str) -> list[Tie]:
        return [t for _, t in self._tie_rows(workspace, [tie_id])]

    def _lock_tie(self, workspace: str, tie_id: str) -> None:
        """Take the write lock of the tie's first version (which every version-changing
        write takes first) before the tie is read: see the module docstring."""
        if not isinstance(tie_id, str):
            return
        rows = self._tie_rows(workspace, [tie_id])
        if rows:
            self._write(
                "MATCH ()-[r]->() WHERE elementId(r) = $eid AND r.workspace = $ws "
                "SET r._lock = true REMOVE r._lock",
                ws=workspace,
                eid=rows[0][0],
            )

    @_retrying
    def change_tie(self, workspace: str, tie_id: str, **fields: Any) -> Tie:
        with self.atomic():
            self._lock_tie(workspace, tie_id)
            return super().change_tie(workspace, tie_id, **fields)

    @_retrying
    def end_tie(self, workspace: str, tie_id: str, **fields: Any) -> Tie:
        with self.atomic():
            self._lock_tie(workspace, tie_id)
            return super().end_tie(workspace, tie_id, **fields)

    @_retrying
    def reopen_tie(self, workspace: str, tie_id: str) -> Tie:
        with self.atomic():
            self._lock_tie(workspace, tie_id)
            return super().reopen_tie(workspace, tie_id)

    def _tie_query(
        self,
        match: str,
        kinds: list[RelKind] | None,
        as_of: dt.date | None,
        history: bool,
        extra: tuple[str, ...] = (),
        **params: Any,
    ) -> list[Tie]:
        where = ["r.workspace = $ws", "type(r) IN $kinds", *extra]
        if as_of is not None:
            where.append(_VALID_ON)
        elif not history:
            where.append("r.current = true")
        rows = self._read(
            f"{match} WHERE {' AND '.join(where)} {_TIE_RETURN}",
            kinds=[k.value for k in kinds] if kinds is not None else ALL_REL_KINDS,
            day=as_of,
            **params,
        )
        found = {(t.id, t.version): t for t in map(_tie, rows)}
        return [found[k] for k in sorted(found)]

    def _query_ties(
        self,
        workspace: str,
        node: str | None,
        kinds: list[RelKind] | None,
        as_of: dt.date | None,
        history: bool,
    ) -> Iterator[Tie]:
        if node is None:
            match = "MATCH (a:Entity {workspace: $ws})-[r]->(b:Entity {workspace: $ws})"
            return iter(self._tie_query(match, kinds, as_of, history, ws=workspace))
        out = self._tie_query(
            "MATCH (a:Entity {workspace: $ws, id: $node})-[r]->(b:Entity)",
            kinds,
            as_of,
            history,
            ws=workspace,
            node=node,
        ) + self._tie_query(
            "MATCH (a:Entity)-[r]->(b:Entity {workspace: $ws, id: $node})",
            kinds,
            as_of,
            history,
            ws=workspace,
            node=node,
        )
        found = {(t.id, t.version): t for t in out}
        return iter([found[k] for k in sorted(found)])

    def _ties_touching(self, workspace: str, node_ids: list[str], day: dt.date) -> list[Tie]:
        out: list[Tie] = []
        for chunk in _chunks(node_ids):
            out += self._tie_query(
                "UNWIND $ids AS nid MATCH (a:Entity {workspace: $ws, id: nid})-[r]->(b:Entity)",
                None,
                day,
                False,
                ws=workspace,
                ids=chunk,
            ) + self._tie_query(
                "UNWIND $ids AS nid MATCH (a:Entity)-[r]->(b:Entity {workspace: $ws, id: nid})",
                None,
                day,
                False,
                ws=workspace,
                ids=chunk,
            )
        found = {t.id: t for t in sorted(out, key=lambda t: (t.id, t.version))}
        return [found[k] for k in sorted(found)]
