"""The writes that rewrite stored history instead of adding to it: erasing an entity or a
tie (privacy), and merging or unmerging two entities.
"""

from __future__ import annotations

from ...model import RelKind
from .contacts import ContactCypher
from .ties import ALL_REL_KINDS, TieCypher


class ErasureCypher(TieCypher, ContactCypher):
    """The erasure and merge statements of :class:`~mapper.store.neo4j.Neo4jStore` (a mixin that
    uses the tie and contact statements)."""

    def _erase_node(self, workspace: str, node_id: str) -> dict[str, int]:
        with self.atomic():
            self._on_undo(self._cannot_undo("erasing an entity"))
            ties = self._query_ties(workspace, node_id, None, None, True)
            tie_versions = list(ties)
            tie_ids = sorted({t.id for t in tie_versions})
            contact_ids = [c.id for c in self._query_contacts(workspace, node_id, None, None)]
            refs = [node_id, *tie_ids, *contact_ids]
            audit = self._write(
                "MATCH (e:AuditEntry {workspace: $ws}) WHERE any(x IN e.refs WHERE x IN $refs) "
                "DELETE e RETURN count(*) AS n",
                ws=workspace,
                refs=refs,
            )
            self._delete_contacts(workspace, contact_ids)
            versions = self._write(
                "MATCH (v:NodeVersion {workspace: $ws, id: $id}) DELETE v RETURN count(*) AS n",
                ws=workspace,
                id=node_id,
            )
            # DETACH DELETE removes every version of every tie at either end.
            self._write(
                "MATCH (n:Entity {workspace: $ws, id: $id}) DETACH DELETE n",
                ws=workspace,
                id=node_id,
            )
        return {
            "versions": (versions[0]["n"] if versions else 0) + 1,
            "ties": len(tie_ids),
            "tie_versions": len(tie_versions),
            "contacts": len(contact_ids),
            "audit": audit[0]["n"] if audit else 0,
        }

    def _erase_tie(self, workspace: str, tie_id: str) -> dict[str, int]:
        # for Store.erase_tie
        with self.atomic():
            self._on_undo(self._cannot_undo("erasing a tie"))
            rows = self._tie_rows(workspace, [tie_id])
            audit = self._write(
                "MATCH (e:AuditEntry {workspace: $ws}) WHERE $id IN e.refs "
                "DELETE e RETURN count(*) AS n",
                ws=workspace,
                id=tie_id,
            )
            self._delete_relationships(workspace, [eid for eid, _ in rows])
        return {"tie_versions": len(rows), "audit": audit[0]["n"] if audit else 0}

    def _repoint_ties(
        self,
        workspace: str,
        old: str,
        new: str,
        ties: list[tuple[str, str]],
        contacts: list[tuple[str, str]],
    ) -> None:
        """For ``unmerge_nodes``: move the given ties (every version) and contact
        moments at ``old`` to ``new``; a relationship is deleted and created again, as in
        :meth:`_repoint_node`."""
        with self.atomic():
            self._on_undo(self._cannot_undo("undoing a merge"))
            ends = {"ws": workspace, "old": old, "new": new}
            outgoing = [t for t, end in ties if end == "source"]
            incoming = [t for t, end in ties if end == "target"]
            for kind in RelKind:  # types from the enum only
                for ids, pattern, create in (
                    (
                        outgoing,
                        f"(o:Entity {{workspace: $ws, id: $old}})-[r:{kind.value}]->(x:Entity)",
                        f"CREATE (n)-[moved:{kind.value}]->(x)",
                    ),
                    (
                        incoming,
                        f"(x:Entity)-[r:{kind.value}]->(o:Entity {{workspace: $ws, id: $old}})",
                        f"CREATE (x)-[moved:{kind.value}]->(n)",
                    ),
                ):
                    if ids:
                        self._write(
                            f"MATCH {pattern} WHERE r.tie_id IN $ids "
                            "WITH r, x, properties(r) AS p DELETE r "
                            "WITH x, p MATCH (n:Entity {workspace: $ws, id: $new}) "
                            f"{create} SET moved = p",
                            ids=ids,
                            **ends,
                        )
            ids = [c for c, _end in contacts]
            if ids:
                self._write(
                    "MATCH (c:Contact {workspace: $ws})-[i:INVOLVES]->"
                    "(:Entity {workspace: $ws, id: $old}) WHERE c.id IN $ids "
                    "MATCH (n:Entity {workspace: $ws, id: $new}) "
                    "DELETE i CREATE (c)-[:INVOLVES]->(n) "
                    "SET c.a = CASE WHEN c.a = $old THEN $new ELSE c.a END, "
                    "c.b = CASE WHEN c.b = $old THEN $new ELSE c.b END",
                    ids=ids,
                    **ends,
                )

    def _repoint_node(self, workspace: str, old: str, new: str) -> None:
        """For ``merge_nodes``: move every tie version and contact moment at ``old`` to
        ``new``; drop those joining the two; rename ``old`` in the audit trail; delete
        ``old`` with its history. A relationship cannot change its ends in Neo4j, so each is
        deleted and created again with the same type and properties."""
        with self.atomic():
            self._on_undo(self._cannot_undo("merging entities"))
            ends = {"ws": workspace, "old": old, "new": new}
            self._write(
                "MATCH (o:Entity {workspace: $ws, id: $old})-[r]-(n:Entity {workspace: $ws, id: $new}) "
                "WHERE type(r) IN $kinds DELETE r",
                kinds=ALL_REL_KINDS,
                **ends,
            )
            self._write(
                "MATCH (c:Contact {workspace: $ws}) "
                "WHERE (c.a = $old AND c.b = $new) OR (c.a = $new AND c.b = $old) DETACH DELETE c",
                **ends,
            )
            for kind in RelKind:  # types from the enum only
                for pattern, create in (
                    (
                        f"(o:Entity {{workspace: $ws, id: $old}})-[r:{kind.value}]->(x:Entity)",
                        f"CREATE (n)-[moved:{kind.value}]->(x)",
                    ),
                    (
                        f"(x:Entity)-[r:{kind.value}]->(o:Entity {{workspace: $ws, id: $old}})",
                        f"CREATE (x)-[moved:{kind.value}]->(n)",
                    ),
                ):
                    # Delete first, then create: the (workspace, tie_id, version) uniqueness
                    # constraint must never see the old and the moved copy at once.
                    self._write(
                        f"MATCH {pattern} WITH r, x, properties(r) AS p DELETE r "
                        "WITH x, p MATCH (n:Entity {workspace: $ws, id: $new}) "
                        f"{create} SET moved = p",
                        **ends,
                    )
            self._write(
                "MATCH (c:Contact {workspace: $ws})-[i:INVOLVES]->(:Entity {workspace: $ws, id: $old}) "
                "MATCH (n:Entity {workspace: $ws, id: $new}) "
                "DELETE i CREATE (c)-[:INVOLVES]->(n) "
                "SET c.a = CASE WHEN c.a = $old THEN $new ELSE c.a END, "
                "c.b = CASE WHEN c.b = $old THEN $new ELSE c.b END",
                **ends,
            )
            self._write(
                "MATCH (e:AuditEntry {workspace: $ws}) WHERE $old IN e.refs "
                "SET e.refs = [x IN e.refs | CASE WHEN x = $old THEN $new ELSE x END]",
                **ends,
            )
            self._write("MATCH (v:NodeVersion {workspace: $ws, id: $old}) DELETE v", **ends)
            self._write("MATCH (o:Entity {workspace: $ws, id: $old}) DETACH DELETE o", **ends)
