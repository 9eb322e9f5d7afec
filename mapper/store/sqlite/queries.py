"""The SQLite store's graph reads: the shared projection's key and change mark, counts by
``GROUP BY``, name search from an index, the projection's plain rows, and the whole history
as one graph."""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
from collections.abc import Iterable, Iterator
from typing import Any

from ...model import Node, NodeKind
from ..values import _kinds_arg, fold
from .connection import SQLiteConnection

#: Tie rows read from SQLite at a time while the projection is built from them.
STREAM_ROWS = 10_000


class SQLiteQueries(SQLiteConnection):
    """The graph reads of :class:`~mapper.store.sqlite.SQLiteStore`."""

    # ------------------------------------------------------------------ projection

    def _projection_key(self) -> Any:
        if self.path == ":memory:":
            return ("sqlite-memory", self._instance)
        return ("sqlite", os.path.realpath(self.path))

    @property
    def _instance(self) -> str:
        if "_instance_token" not in self.__dict__:
            row = self._rows("SELECT value FROM meta WHERE key = 'instance'")
            self.__dict__["_instance_token"] = row[0][0] if row else ""
        return self.__dict__["_instance_token"]  # type: ignore[no-any-return]

    def _change_mark(self, workspace: str) -> Any:
        # The newest audit entry of the workspace (one seek in audit_workspace(workspace,
        # seq)), and which database file this is.
        seq = self._rows("SELECT max(seq) FROM audit WHERE workspace = ?", (workspace,))[0][0]
        return (self._instance, seq or 0)

    def _changes_since(self, workspace: str, mark: Any) -> list[Any] | None:
        instance, seq = mark
        if instance != self._instance:
            return None  # another database file at this path
        return super()._changes_since(workspace, seq)

    def _audit_after(
        self, workspace: str, seq: Any, limit: int
    ) -> list[tuple[str, str, str | None]] | None:
        return [
            (r[0], r[1], r[2])
            for r in self._rows(
                "SELECT action, target_type, target_id FROM audit"
                " WHERE workspace = ? AND seq > ? ORDER BY seq LIMIT ?",
                (workspace, seq, limit),
            )
        ]

    def counts(self, workspace: str) -> dict[str, int]:
        """As :meth:`Store.counts`, counted by the database (GROUP BY), not read row by row."""
        from ...model import NodeKind as _Kinds

        out: dict[str, int] = {k.value: 0 for k in _Kinds}
        for kind, n in self._rows(
            "SELECT kind, count(*) FROM nodes WHERE workspace = ? AND current = 1 GROUP BY kind",
            (workspace,),
        ):
            out[kind] = n
        out["ties"] = self._rows(
            "SELECT count(*) FROM ties WHERE workspace = ? AND current = 1", (workspace,)
        )[0][0]
        out["contacts"] = self._rows(
            "SELECT count(*) FROM contacts WHERE workspace = ?", (workspace,)
        )[0][0]
        return out

    def contact_count(self, workspace: str) -> int:
        """As :meth:`Store.contact_count`, counted by the database."""
        return int(
            self._rows("SELECT count(*) FROM contacts WHERE workspace = ?", (workspace,))[0][0]
        )

    def find_nodes(
        self,
        workspace: str,
        text: str,
        *,
        kind: str | NodeKind | Iterable[str | NodeKind] | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> list[Node]:
        """As :meth:`Store.find_nodes` (the same answers), from the folded names in the
        ``nodes_folded`` index, not the rows: a range of it gives the exact and prefix
        matches in order, a scan of it the substring matches only when those do not fill the
        page; only the nodes returned are read. (Text order in SQLite
        is by UTF-8 bytes, which is Python's order of code points.)"""
        wanted = fold(text)
        if not wanted:
            return []
        kinds = _kinds_arg(kind)
        base = "SELECT id FROM nodes INDEXED BY nodes_folded WHERE workspace = ? AND current = 1"
        params: list[Any] = [workspace]
        if kinds is not None:
            base += f" AND kind IN ({','.join('?' * len(kinds))})"
            params += [k.value for k in kinds]
        want, bound = offset + limit, wanted + "\U0010ffff"
        # Exact and prefix matches are one range of the index, already in their order (the
        # exact match is the smallest name with the prefix): a short word fills the page
        # from there without reading the rest.
        head = f"{base} AND folded >= ? AND folded < ? ORDER BY folded, id LIMIT ?"
        # Then the substring matches, and any prefix match past the range's end (a name that
        # goes on with U+10FFFF), which sorts after every name in the range.
        tail = (
            f"{base} AND instr(folded, ?) > 0 AND NOT (folded >= ? AND folded < ?)"
            " ORDER BY instr(folded, ?) != 1, folded, id LIMIT ?"
        )
        with self._lock:
            ids = [r[0] for r in self.conn.execute(head, [*params, wanted, bound, want])]
            if len(ids) < want:
                rest = [*params, wanted, wanted, bound, wanted, want - len(ids)]
                ids += [r[0] for r in self.conn.execute(tail, rest)]
            ids = ids[offset:want]
            found = self._get_nodes(workspace, ids)
        return [found[i] for i in ids if i in found]

    def _graph_rows(
        self,
        workspace: str,
        *,
        as_of: dt.date | None = None,
        kinds: list[NodeKind] | None = None,
    ) -> tuple[list[Any], Iterator[Any]]:
        """Plain rows, no value objects (see :meth:`Store._graph_rows`); the tie rows as an
        iterator, to be read once."""
        nodes_sql = (
            "SELECT id, kind, name, props, since, until FROM nodes"
            " WHERE workspace = ? AND current = 1"
        )
        ties_sql = (
            "SELECT id, version, kind, source, target, strength, since, until, role, origin"
            " FROM ties WHERE workspace = ?"
        )
        node_params: list[Any] = [workspace]
        tie_params: list[Any] = [workspace]
        if kinds is not None:
            nodes_sql += f" AND kind IN ({','.join('?' * len(kinds))})"
            node_params += [k.value for k in kinds]
        if as_of is not None:
            valid = " AND (since IS NULL OR since <= ?) AND (until IS NULL OR until > ?)"
            nodes_sql += valid
            ties_sql += valid
            node_params += [as_of.isoformat()] * 2
            tie_params += [as_of.isoformat()] * 2
        # One read transaction, so nodes and ties are of the same moment. The tie rows are
        # handed over as they are read (a million rows as one list took ~520 bytes each, half
        # a gigabyte at the top of building a province's projection); the transaction and the
        # connection's lock end when they have all been read (or the reader drops them).
        self._lock.acquire()
        outer = self._depth == 0 and not self.conn.in_transaction
        try:
            if outer:
                self.conn.execute("BEGIN")
            nodes = self.conn.execute(nodes_sql + " ORDER BY id", node_params).fetchall()
            cursor = self.conn.execute(ties_sql + " ORDER BY id, version", tie_params)
        except BaseException:
            self._end_read(outer)
            raise
        ties = self._stream(cursor, outer)
        next(ties)  # started, so that closing it (or dropping it) always ends the read
        return nodes, ties

    def _stream(self, cursor: Any, outer: bool) -> Iterator[Any]:
        try:
            yield None
            while rows := cursor.fetchmany(STREAM_ROWS):
                yield from rows
        finally:
            self._end_read(outer)

    def _end_read(self, outer: bool) -> None:
        try:
            if outer:
                self.conn.execute("COMMIT")
        finally:
            self._lock.release()

    def _around_nodes(
        self, workspace: str, node_ids: list[str], day: dt.date, kinds: list[NodeKind] | None
    ) -> list[Any]:
        """As :meth:`Store._around_nodes`: one query for any number of ids (a JSON array,
        one ``nodes_current`` seek per id), the day and kinds tested by the database."""
        if not node_ids:
            return []
        sql = (
            "SELECT n.id, n.kind, n.name, n.props, n.since, n.until"
            " FROM json_each(?) AS j CROSS JOIN nodes AS n"
            " ON n.workspace = ? AND n.id = j.value AND n.current = 1"
            " WHERE (n.since IS NULL OR n.since <= ?) AND (n.until IS NULL OR n.until > ?)"
        )
        text = day.isoformat()
        params: list[Any] = [json.dumps(node_ids), workspace, text, text]
        if kinds is not None:
            sql += f" AND n.kind IN ({','.join('?' * len(kinds))})"
            params += [k.value for k in kinds]
        return self._rows(sql, params)

    def _around_ties(
        self,
        workspace: str,
        node_ids: list[str],
        day: dt.date,
        *,
        inner: bool = False,
    ) -> list[Any]:
        """As :meth:`Store._around_ties`: one query, a seek in ``ties_source`` and one in
        ``ties_target`` per id (with ``inner`` only the first, the other end tested against
        the ids as a set built once), the day tested by the database; plain rows."""
        if not node_ids:
            return []
        text = day.isoformat()
        ids = json.dumps(node_ids)
        sql = (
            "SELECT t.id, t.version, t.kind, t.source, t.target, t.strength, t.since, t.until,"
            " t.role, t.origin FROM json_each(?) AS j CROSS JOIN ties AS t INDEXED BY {index}"
            " ON t.workspace = ? AND t.{end} = j.value"
            " WHERE (t.since IS NULL OR t.since <= ?) AND (t.until IS NULL OR t.until > ?)"
        )
        if inner:
            sql = sql.format(index="ties_source", end="source")
            sql += " AND t.target IN (SELECT value FROM json_each(?))"
            return self._rows(sql, [ids, workspace, text, text, ids])
        both = " UNION ALL ".join(
            sql.format(index=index, end=end)
            for index, end in (("ties_source", "source"), ("ties_target", "target"))
        )
        return self._rows(both, [ids, workspace, text, text] * 2)

    def project_history(self, workspace: str, *, kinds: Any = None, tie_kinds: Any = None) -> Any:
        """As :meth:`Store.project_history` — the same graph — read with two plain queries
        and no value object per row, which is several times faster on a long history
        (see ``benchmarks/connectedness.py``)."""
        import networkx as nx

        from ..base import _kinds_arg, _rel_kinds_arg

        node_kinds = _kinds_arg(kinds)
        rel_kinds = _rel_kinds_arg(tie_kinds)
        days: dict[str | None, dt.date | None] = {None: None}

        def day(text: str | None) -> dt.date | None:
            if text not in days:
                days[text] = dt.date.fromisoformat(text)  # type: ignore[arg-type]
            return days[text]

        sql = "SELECT id, kind, name, props, since, until FROM nodes WHERE workspace = ? AND current = 1"
        params: list[Any] = [workspace]
        if node_kinds is not None:
            sql += f" AND kind IN ({','.join('?' * len(node_kinds))})"
            params += [k.value for k in node_kinds]
        graph: nx.MultiDiGraph = nx.MultiDiGraph(workspace=workspace, as_of=None, history=True)
        graph.add_nodes_from(
            (
                id_,
                {
                    "kind": kind,
                    "name": name,
                    "props": json.loads(props) if props != "{}" else {},
                    "since": day(since),
                    "until": day(until),
                },
            )
            for id_, kind, name, props, since, until in self._rows(sql + " ORDER BY id", params)
        )
        sql = (
            "SELECT id, version, kind, source, target, strength, since, until, role, origin"
            " FROM ties WHERE workspace = ?"
        )
        params = [workspace]
        if rel_kinds is not None:
            sql += f" AND kind IN ({','.join('?' * len(rel_kinds))})"
            params += [k.value for k in rel_kinds]
        nodes = graph._node  # type: ignore[attr-defined]  # networkx's own dicts, for speed
        collecting = gc.isenabled()
        gc.disable()  # tens of thousands of live dicts: the cyclic collector would only rescan them
        try:
            graph.add_edges_from(  # type: ignore[misc]  # the stubs know no (u, v, key, data)
                (  # type: ignore[misc]
                    source,
                    target,
                    f"{id_}:{version}",
                    {
                        "tie": id_,
                        "kind": kind,
                        "strength": strength,
                        "since": day(since),
                        "until": day(until),
                        "role": role,
                        "origin": origin,
                        "version": version,
                    },
                )
                for id_, version, kind, source, target, strength, since, until, role, origin in self._rows(
                    sql + " ORDER BY id, version", params
                )
                if source in nodes and target in nodes
            )
        finally:
            if collecting:
                gc.enable()
        return graph
