"""The projection: from a store's nodes and ties to a networkx graph, as of a day.

Two things live here, for every store adapter:

* :func:`build_graph` — the one place that turns rows of nodes and tie versions into a
  ``MultiDiGraph`` and decides what "valid on day X" means (:func:`valid_on`). It is lean: no
  value object per row, no JSON decoding of empty properties, dates parsed once per distinct
  text, edges added in bulk, the cyclic garbage collector paused while the graph is built.
* :class:`Projection` — one in-memory graph per workspace that lives across requests, shared
  by every thread of the process (:func:`shared_projection`). It holds the graph as of today
  (a frozen, plain networkx graph: the analyses run at full speed on it) and, beside it, what
  is not valid today (nodes outside their dates, closed or future tie versions), so the graph
  as of any other day is a read-only view derived from memory (:meth:`Projection.as_of`),
  without reading the database again. Only one copy is kept per workspace.

Keeping it current
------------------
Every write through a store is journaled by :class:`mapper.store.base.Store` at the level of
the adapter primitives (nodes inserted, tie versions inserted or closed, a node erased, …).
After the transaction commits, the journal is applied to the shared projection as a new
snapshot (copy-on-write: only the touched adjacency dicts are copied, so requests reading the
previous snapshot are never disturbed). Writes by *other processes* are noticed by the
workspace's change mark — the sequence number of its newest audit-trail entry, which every
write advances (SQLite: ``max(seq)`` of the ``audit`` table; Neo4j: the workspace node's
``audit_seq`` counter) — checked with one indexed query per use; a mark the projection did not
see means it is built again. A write whose effect cannot be applied precisely (a merge, a
restore, a bulk import of many ties) also means building again.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import networkx as nx

__all__ = [
    "valid_on",
    "build_graph",
    "Projection",
    "shared_projection",
    "forget",
    "invalidate",
    "committed",
    "NodeRow",
    "TieRow",
]

#: ``(id, kind, name, props, since, until)``; ``props`` a dict or JSON text, dates as
#: ``datetime.date`` or ISO text or None.
NodeRow = tuple[Any, Any, Any, Any, Any, Any]
#: ``(id, version, kind, source, target, strength, since, until, role, origin)``.
TieRow = tuple[Any, Any, Any, Any, Any, Any, Any, Any, Any, Any]

#: A journaled change (see :meth:`Projection.apply`): ``(what, *arguments)``.
Change = tuple[Any, ...]

#: Workspaces kept in memory per process (least recently used beyond this are dropped).
MAX_SHARED = 4
#: A transaction that writes more tie versions than this is not applied change by change;
#: the projection is built again instead (an import).
MAX_APPLY = 20_000


def valid_on(since: dt.date | None, until: dt.date | None, day: dt.date) -> bool:
    """Whether something valid from ``since`` up to, not including, ``until`` holds on ``day``.

    ``None`` is an open end. This is the one definition every projection uses.

    >>> import datetime as dt
    >>> valid_on(dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 1, 31))
    True
    >>> valid_on(dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 2, 1))
    False
    >>> valid_on(None, None, dt.date(1900, 1, 1))
    True
    """
    return (since is None or since <= day) and (until is None or day < until)


def _valid(attrs: Mapping[str, Any], day: dt.date) -> bool:
    since, until = attrs["since"], attrs["until"]
    return (since is None or since <= day) and (until is None or day < until)


class _Dates(dict[Any, Any]):
    """ISO text → ``date``, parsed once per distinct text (a million ties share few dates)."""

    def __missing__(self, text: Any) -> Any:
        value = dt.date.fromisoformat(text) if isinstance(text, str) else text
        self[text] = value
        return value


def _props(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        return json.loads(value) if value != "{}" else {}
    return dict(value) if value else {}


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: building a graph makes millions of dicts that it
    would only scan over and over (none of them form cycles worth collecting)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _node_attrs(row: NodeRow, dates: _Dates) -> dict[str, Any]:
    _id, kind, name, props, since, until = row
    return {
        "kind": getattr(kind, "value", kind),
        "name": name,
        "props": _props(props),
        "since": dates[since],
        "until": dates[until],
    }


def _tie_attrs(row: TieRow, dates: _Dates) -> dict[str, Any]:
    _id, version, kind, _s, _t, strength, since, until, role, origin = row
    return {
        "kind": getattr(kind, "value", kind),
        "strength": strength,
        "since": dates[since],
        "until": dates[until],
        "role": role,
        "origin": origin,
        "version": version,
    }


def build_graph(
    nodes: Iterable[NodeRow],
    ties: Iterable[TieRow],
    *,
    workspace: str,
    as_of: dt.date,
) -> nx.MultiDiGraph:
    """The graph of a workspace on day ``as_of`` from its rows, as :meth:`Store.project` gives it.

    Parameters
    ----------
    nodes : iterable of NodeRow
        Current node versions (those not valid on ``as_of`` are left out here).
    ties : iterable of TieRow
        Tie versions (those not valid on ``as_of``, or with an end that is not in the graph,
        are left out here); at most one version of a tie is valid on a day.
    workspace : str
        Kept in ``graph.graph["workspace"]``.
    as_of : date
        The day; kept in ``graph.graph["as_of"]``.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes carry ``kind``, ``name``, ``props``, ``since``, ``until``; edges are keyed by tie
        id and carry ``kind``, ``strength``, ``since``, ``until``, ``role``, ``origin``,
        ``version``.

    Examples
    --------
    >>> import datetime as dt
    >>> G = build_graph(
    ...     [("p1", "Person", "Jan", "{}", None, None), ("t1", "Theme", "lezen", "{}", None, None)],
    ...     [("tie-1", 1, "ACTIVE_ON", "p1", "t1", 0.6, "2025-01-01", None, None, None)],
    ...     workspace="demo", as_of=dt.date(2025, 6, 1))
    >>> G["p1"]["t1"]["tie-1"]["strength"], G.graph["as_of"]
    (0.6, datetime.date(2025, 6, 1))
    """
    dates = _Dates({None: None})
    graph: nx.MultiDiGraph = nx.MultiDiGraph(workspace=workspace, as_of=as_of)
    with _no_gc():
        present: dict[Any, dict[str, Any]] = {}
        for row in nodes:
            attrs = _node_attrs(row, dates)
            if _valid(attrs, as_of):
                present[row[0]] = attrs
        graph.add_nodes_from(present.items())
        edges = []
        for tie in ties:
            if tie[3] in present and tie[4] in present:
                attrs = _tie_attrs(tie, dates)
                if _valid(attrs, as_of):
                    edges.append((tie[3], tie[4], tie[0], attrs))
        graph.add_edges_from(edges)  # type: ignore[arg-type]  # the stubs know no (u, v, key, data)
    return graph


# ---------------------------------------------------------------------------- sharing


class Projection:
    """A workspace's graph held in memory: as of today, plus what is valid on other days.

    Read-only for its users: :attr:`graph` is frozen, and every view shares its attribute
    dicts (never change them). Make one with :meth:`build`; writes give a new one with
    :meth:`apply` (the old one stays as it was, for the requests still reading it).

    Attributes
    ----------
    graph : networkx.MultiDiGraph
        Exactly ``store.project(workspace, as_of=today)``, frozen.
    today : date
        The day :attr:`graph` is for.
    mark : Any
        The workspace's change mark this projection reflects.
    """

    def __init__(
        self,
        workspace: str,
        today: dt.date,
        mark: Any,
        graph: nx.MultiDiGraph,
        off_nodes: dict[Any, dict[str, Any]],
        off_ties: dict[Any, list[tuple[Any, Any, dict[str, Any]]]],
        off_at: dict[Any, set[Any]],
    ):
        self.workspace = workspace
        self.today = today
        self.mark = mark
        self.graph = graph
        #: Current nodes not valid today, by id.
        self._off_nodes = off_nodes
        #: Tie versions not in :attr:`graph` (not valid today, or an end not valid today),
        #: by tie id: ``[(source, target, attrs), ...]``.
        self._off_ties = off_ties
        #: Tie ids in :attr:`_off_ties` by each of their ends.
        self._off_at = off_at
        self._views: OrderedDict[dt.date, nx.MultiDiGraph] = OrderedDict()
        self._views_lock = threading.Lock()

    # -------------------------------------------------------------- building

    @classmethod
    def build(
        cls,
        nodes: Iterable[NodeRow],
        ties: Iterable[TieRow],
        *,
        workspace: str,
        today: dt.date,
        mark: Any = None,
    ) -> Projection:
        """From every current node version and every tie version of a workspace."""
        dates = _Dates({None: None})
        graph: nx.MultiDiGraph = nx.MultiDiGraph(workspace=workspace, as_of=today)
        off_nodes: dict[Any, dict[str, Any]] = {}
        off_ties: dict[Any, list[tuple[Any, Any, dict[str, Any]]]] = {}
        off_at: dict[Any, set[Any]] = {}
        with _no_gc():
            present: dict[Any, dict[str, Any]] = {}
            for row in nodes:
                attrs = _node_attrs(row, dates)
                (present if _valid(attrs, today) else off_nodes)[row[0]] = attrs
            graph.add_nodes_from(present.items())
            edges = []
            for tie in ties:
                attrs = _tie_attrs(tie, dates)
                u, v = tie[3], tie[4]
                if u in present and v in present and _valid(attrs, today):
                    edges.append((u, v, tie[0], attrs))
                elif (u in present or u in off_nodes) and (v in present or v in off_nodes):
                    off_ties.setdefault(tie[0], []).append((u, v, attrs))
                    off_at.setdefault(u, set()).add(tie[0])
                    off_at.setdefault(v, set()).add(tie[0])
            graph.add_edges_from(edges)  # type: ignore[arg-type]  # the stubs know no (u, v, key, data)
        nx.freeze(graph)
        return cls(workspace, today, mark, graph, off_nodes, off_ties, off_at)

    # -------------------------------------------------------------- reading

    def as_of(self, day: dt.date | None = None) -> nx.MultiDiGraph:
        """The graph as of ``day`` (default: today), equal to ``store.project(as_of=day)``.

        Today's is :attr:`graph` itself; another day's is a read-only view over this
        projection's memory (nothing is copied, nothing is read from the database)."""
        if day is None or day == self.today:
            return self.graph
        with self._views_lock:
            view = self._views.get(day)
            if view is None:
                view = _DayView.make(self, day)
                self._views[day] = view
                while len(self._views) > 8:
                    self._views.popitem(last=False)
            else:
                self._views.move_to_end(day)
            return view

    def history(
        self,
        *,
        kinds: Iterable[str] | None = None,
        tie_kinds: Iterable[str] | None = None,
    ) -> nx.MultiDiGraph:
        """The workspace with its whole history, as :meth:`Store.project_history` gives it
        (every current node, every tie version keyed ``"<tie id>:<version>"``), from memory."""
        node_kinds = {getattr(k, "value", k) for k in kinds} if kinds is not None else None
        rel_kinds = {getattr(k, "value", k) for k in tie_kinds} if tie_kinds is not None else None
        graph: nx.MultiDiGraph = nx.MultiDiGraph(workspace=self.workspace, as_of=None, history=True)
        with _no_gc():
            nodes = [
                (n, d)
                for source in (self.graph._node, self._off_nodes)  # type: ignore[attr-defined]  # networkx's own dicts, for speed
                for n, d in source.items()
                if node_kinds is None or d["kind"] in node_kinds
            ]
            nodes.sort(key=lambda item: item[0])
            graph.add_nodes_from(nodes)
            keep = graph._node  # type: ignore[attr-defined]  # networkx's own dicts, for speed
            rows = []
            for u, nbrs in self.graph._succ.items():  # type: ignore[attr-defined]  # networkx's own dicts, for speed
                if u not in keep:
                    continue
                for v, keydict in nbrs.items():
                    if v in keep:
                        for k, d in keydict.items():
                            if rel_kinds is None or d["kind"] in rel_kinds:
                                rows.append((k, d["version"], u, v, d))
            for k, versions in self._off_ties.items():
                for u, v, d in versions:
                    if u in keep and v in keep and (rel_kinds is None or d["kind"] in rel_kinds):
                        rows.append((k, d["version"], u, v, d))
            rows.sort(key=lambda r: (r[0], r[1]))
            # The stubs know no (u, v, key, data) edges.
            edges = [(u, v, f"{k}:{ver}", {"tie": k, **d}) for k, ver, u, v, d in rows]
            graph.add_edges_from(edges)  # type: ignore[arg-type]
        return graph

    def node(self, node_id: Any) -> dict[str, Any] | None:
        """The attributes of a current node (valid today or not), or None."""
        return self.graph._node.get(node_id) or self._off_nodes.get(node_id)  # type: ignore[attr-defined]  # networkx's own dicts, for speed

    # -------------------------------------------------------------- writing

    def apply(self, changes: list[Change], *, mark: Any) -> Projection | None:
        """A new projection with the journaled ``changes`` applied (this one is unchanged),
        or None when they cannot be applied precisely (then build it again).

        Changes are ``("nodes", [Node, ...])`` (new nodes or new current versions),
        ``("ties", [Tie, ...])`` (new tie versions), ``("close", tie_id, version, until)``
        (a tie version's end set), ``("erase", node_id)``, ``("audit",)`` (nothing in the
        graph) and ``("reset",)`` (anything else: build again).
        """
        if any(c[0] == "reset" for c in changes):
            return None
        if sum(len(c[1]) for c in changes if c[0] == "ties") > MAX_APPLY:
            return None
        edit = _Edit(self)
        for change in changes:
            what = change[0]
            if what == "nodes":
                for node in change[1]:
                    edit.put_node(node)
            elif what == "ties":
                for tie in change[1]:
                    edit.put_tie_version(tie)
            elif what == "close":
                if not edit.close_version(*change[1:]):
                    return None
            elif what == "erase":
                edit.erase_node(change[1])
            elif what == "tie_versions":
                if not edit.set_tie_versions(change[1], change[2]):
                    return None
            elif what == "erase_tie":
                if change[2] is None:
                    return None
                edit.drop_tie(change[1], *change[2])
            elif what != "audit":
                return None
        return edit.done(mark)


def _freeze_graph(
    workspace: str,
    today: dt.date,
    node: dict[Any, Any],
    succ: dict[Any, Any],
    pred: dict[Any, Any],
) -> nx.MultiDiGraph:
    graph: nx.MultiDiGraph = nx.MultiDiGraph(workspace=workspace, as_of=today)
    graph._node = node  # type: ignore[attr-defined]  # networkx's own dicts, for speed
    graph._adj = succ  # type: ignore[attr-defined]  # networkx's own dicts, for speed
    graph._succ = succ  # type: ignore[attr-defined]  # networkx's own dicts, for speed
    graph._pred = pred  # type: ignore[attr-defined]  # networkx's own dicts, for speed
    return nx.freeze(graph)


class _Edit:
    """Copy-on-write edit of a :class:`Projection`: the top-level dicts are copied once, an
    adjacency dict only when it is touched."""

    def __init__(self, base: Projection):
        g = base.graph
        self.base = base
        self.today = base.today
        self.dates = _Dates({None: None})
        self.node: dict[Any, Any] = dict(g._node)  # type: ignore[attr-defined]  # networkx's own dicts, for speed
        self.succ: dict[Any, Any] = dict(g._succ)  # type: ignore[attr-defined]  # networkx's own dicts, for speed
        self.pred: dict[Any, Any] = dict(g._pred)  # type: ignore[attr-defined]  # networkx's own dicts, for speed
        self.own_succ: set[Any] = set()
        self.own_pred: set[Any] = set()
        self.own_kd: set[tuple[Any, Any]] = set()
        self.off_nodes = dict(base._off_nodes)
        self.off_ties = {k: list(v) for k, v in base._off_ties.items()}
        self.off_at = {k: set(v) for k, v in base._off_at.items()}

    # adjacency, copied on first touch
    def _succ_of(self, u: Any) -> dict[Any, Any]:
        if u not in self.own_succ:
            self.succ[u] = dict(self.succ[u])
            self.own_succ.add(u)
        return self.succ[u]  # type: ignore[no-any-return]

    def _pred_of(self, v: Any) -> dict[Any, Any]:
        if v not in self.own_pred:
            self.pred[v] = dict(self.pred[v])
            self.own_pred.add(v)
        return self.pred[v]  # type: ignore[no-any-return]

    def _keydict(self, u: Any, v: Any) -> dict[Any, Any]:
        succ_u, pred_v = self._succ_of(u), self._pred_of(v)
        if (u, v) not in self.own_kd:
            keydict = dict(succ_u.get(v, {}))
            succ_u[v] = keydict
            pred_v[u] = keydict
            self.own_kd.add((u, v))
        return succ_u[v]  # type: ignore[no-any-return]

    def _drop_keydict_if_empty(self, u: Any, v: Any) -> None:
        if not self.succ[u].get(v, True):
            del self._succ_of(u)[v]
            del self._pred_of(v)[u]
            self.own_kd.discard((u, v))

    def _present(self, n: Any) -> bool:
        return n in self.node

    def _known(self, n: Any) -> bool:
        return n in self.node or n in self.off_nodes

    # ties
    def _versions(self, tie_id: Any, u: Any, v: Any) -> list[tuple[Any, Any, dict[str, Any]]]:
        """Every known version of a tie (removing them from where they were)."""
        out = []
        if u in self.succ and v in self.succ[u] and tie_id in self.succ[u][v]:
            keydict = self._keydict(u, v)
            out.append((u, v, keydict.pop(tie_id)))
            self._drop_keydict_if_empty(u, v)
        for version in self.off_ties.pop(tie_id, []):
            out.append(version)
            for end in (version[0], version[1]):
                if end in self.off_at:
                    self.off_at[end].discard(tie_id)
                    if not self.off_at[end]:
                        del self.off_at[end]
        return out

    def _place(self, tie_id: Any, versions: list[tuple[Any, Any, dict[str, Any]]]) -> None:
        """Put a tie's versions where they belong: the one valid today between two nodes
        valid today into the graph, the others beside it."""
        placed = False
        for u, v, attrs in sorted(versions, key=lambda x: x[2]["version"]):
            if not (self._known(u) and self._known(v)):
                continue
            if not placed and self._present(u) and self._present(v) and _valid(attrs, self.today):
                self._keydict(u, v)[tie_id] = attrs
                placed = True
            else:
                self.off_ties.setdefault(tie_id, []).append((u, v, attrs))
                self.off_at.setdefault(u, set()).add(tie_id)
                self.off_at.setdefault(v, set()).add(tie_id)

    def put_tie_version(self, tie: Any) -> None:
        attrs = _tie_attrs(
            (
                tie.id,
                tie.version,
                tie.kind,
                tie.source,
                tie.target,
                tie.strength,
                tie.since,
                tie.until,
                tie.role,
                tie.origin,
            ),
            self.dates,
        )
        versions = [x for x in self._versions(tie.id, tie.source, tie.target)]
        versions = [x for x in versions if x[2]["version"] != tie.version]
        versions.append((tie.source, tie.target, attrs))
        self._place(tie.id, versions)

    def close_version(self, tie_id: Any, version: int, until: dt.date, ends: Any = None) -> bool:
        """Set ``until`` on a version; False when the tie is not known here."""
        where = self._find_tie(tie_id, ends)
        if where is None:
            return False
        u, v = where
        versions = []
        for s, t, attrs in self._versions(tie_id, u, v):
            if attrs["version"] == version:
                attrs = {**attrs, "until": until}
            versions.append((s, t, attrs))
        self._place(tie_id, versions)
        return True

    def _find_tie(self, tie_id: Any, ends: Any) -> tuple[Any, Any] | None:
        if ends is not None:
            return ends  # type: ignore[no-any-return]
        if tie_id in self.off_ties:
            u, v, _ = self.off_ties[tie_id][0]
            return u, v
        return None

    def _ties_at(self, n: Any) -> list[tuple[Any, Any, Any]]:
        found = []
        for v, keydict in self.succ.get(n, {}).items():
            found += [(k, n, v) for k in keydict]
        for u, keydict in self.pred.get(n, {}).items():
            if u != n:
                found += [(k, u, n) for k in keydict]
        for k in self.off_at.get(n, ()):
            u, v, _ = self.off_ties[k][0]
            found.append((k, u, v))
        return list({k: (k, u, v) for k, u, v in found}.values())

    # nodes
    def put_node(self, node: Any) -> None:
        attrs = _node_attrs(
            (node.id, node.kind, node.name, node.props, node.since, node.until), self.dates
        )
        n = node.id
        was_present = n in self.node
        is_present = _valid(attrs, self.today)
        if was_present == is_present and self._known(n):
            (self.node if is_present else self.off_nodes)[n] = attrs
            return
        touching = [(k, self._versions(k, u, v)) for k, u, v in self._ties_at(n)]
        if was_present:
            for v in list(self.succ[n]):
                self._drop_keydict_if_empty(n, v)
            del self.node[n], self.succ[n], self.pred[n]
            self.own_succ.discard(n)
            self.own_pred.discard(n)
        self.off_nodes.pop(n, None)
        if is_present:
            self.node[n] = attrs
            self.succ[n] = {}
            self.pred[n] = {}
            self.own_succ.add(n)
            self.own_pred.add(n)
        else:
            self.off_nodes[n] = attrs
        for k, versions in touching:
            self._place(k, versions)

    def set_tie_versions(self, tie_id: Any, ties: list[Any]) -> bool:
        """Replace every version of a tie by ``ties`` (as read from the store)."""
        if not ties:
            return False
        u, v = ties[0].source, ties[0].target
        old = self._versions(tie_id, u, v)
        if any((s, t) != (u, v) for s, t, _ in old):
            return False
        self._place(
            tie_id,
            [
                (
                    t.source,
                    t.target,
                    _tie_attrs(
                        (
                            t.id,
                            t.version,
                            t.kind,
                            t.source,
                            t.target,
                            t.strength,
                            t.since,
                            t.until,
                            t.role,
                            t.origin,
                        ),
                        self.dates,
                    ),
                )
                for t in ties
            ],
        )
        return True

    def drop_tie(self, tie_id: Any, u: Any, v: Any) -> None:
        self._versions(tie_id, u, v)

    def erase_node(self, n: Any) -> None:
        for k, u, v in self._ties_at(n):
            self._versions(k, u, v)
        if n in self.node:
            del self.node[n], self.succ[n], self.pred[n]
        self.off_nodes.pop(n, None)
        self.off_at.pop(n, None)

    def done(self, mark: Any) -> Projection:
        graph = _freeze_graph(self.base.workspace, self.today, self.node, self.succ, self.pred)
        return Projection(
            self.base.workspace,
            self.today,
            mark,
            graph,
            self.off_nodes,
            self.off_ties,
            self.off_at,
        )


# ---------------------------------------------------------------------------- other days


class _DayNodes(Mapping[Any, Any]):
    __slots__ = ("_present",)

    def __init__(self, present: dict[Any, Any]):
        self._present = present

    def __getitem__(self, n: Any) -> Any:
        return self._present[n]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._present)

    def __len__(self) -> int:
        return len(self._present)

    def __contains__(self, n: object) -> bool:
        return n in self._present


class _DayInner(Mapping[Any, Any]):
    """The neighbours of one node on a day: other end → {tie id: attrs}."""

    __slots__ = ("_base", "_extra", "_present", "_day")

    def __init__(self, base: Mapping[Any, Any], extra: Mapping[Any, Any], present: Any, day: Any):
        self._base, self._extra, self._present, self._day = base, extra, present, day

    def __getitem__(self, v: Any) -> dict[Any, Any]:
        if v not in self._present:
            raise KeyError(v)
        day = self._day
        keydict = {k: d for k, d in self._base.get(v, {}).items() if _valid(d, day)}
        keydict.update(self._extra.get(v, ()))
        if not keydict:
            raise KeyError(v)
        return keydict

    def __iter__(self) -> Iterator[Any]:
        day, present, extra = self._day, self._present, self._extra
        for v, keydict in self._base.items():
            if v in present and (v in extra or any(_valid(d, day) for d in keydict.values())):
                yield v
        for v in extra:
            if v not in self._base:
                yield v

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __contains__(self, v: object) -> bool:
        try:
            self[v]
        except KeyError:
            return False
        return True


_EMPTY: Mapping[Any, Any] = {}


class _DayAdjacency(Mapping[Any, Any]):
    __slots__ = ("_base", "_extra", "_present", "_day")

    def __init__(self, base: Mapping[Any, Any], extra: Mapping[Any, Any], present: Any, day: Any):
        self._base, self._extra, self._present, self._day = base, extra, present, day

    def __getitem__(self, u: Any) -> _DayInner:
        if u not in self._present:
            raise KeyError(u)
        return _DayInner(
            self._base.get(u, _EMPTY), self._extra.get(u, _EMPTY), self._present, self._day
        )

    def __iter__(self) -> Iterator[Any]:
        return iter(self._present)

    def __len__(self) -> int:
        return len(self._present)

    def __contains__(self, u: object) -> bool:
        return u in self._present


class _DayView:
    @staticmethod
    def make(p: Projection, day: dt.date) -> nx.MultiDiGraph:
        present = {n: d for n, d in p.graph._node.items() if _valid(d, day)}  # type: ignore[attr-defined]  # networkx's own dicts, for speed
        present.update((n, d) for n, d in p._off_nodes.items() if _valid(d, day))
        extra_succ: dict[Any, dict[Any, dict[Any, Any]]] = {}
        extra_pred: dict[Any, dict[Any, dict[Any, Any]]] = {}
        for k, versions in p._off_ties.items():
            for u, v, d in versions:
                if u in present and v in present and _valid(d, day):
                    keydict = extra_succ.setdefault(u, {}).setdefault(v, {})
                    keydict[k] = d
                    extra_pred.setdefault(v, {})[u] = keydict
                    break
        view: nx.MultiDiGraph = nx.MultiDiGraph(workspace=p.workspace, as_of=day)
        view._node = _DayNodes(present)  # type: ignore[attr-defined, assignment]
        succ = _DayAdjacency(p.graph._succ, extra_succ, present, day)  # type: ignore[attr-defined]  # networkx's own dicts, for speed
        view._adj = succ  # type: ignore[attr-defined, assignment]
        view._succ = succ  # type: ignore[attr-defined, assignment]
        view._pred = _DayAdjacency(p.graph._pred, extra_pred, present, day)  # type: ignore[attr-defined, assignment]
        return nx.freeze(view)


# ---------------------------------------------------------------------------- the registry

_LOCK = threading.Lock()
#: (store key, workspace) → _Slot, least recently used first.
_SHARED: OrderedDict[tuple[Any, str], _Slot] = OrderedDict()


class _Slot:
    """Where one workspace's projection lives; ``lock`` lets one thread build it while the
    others wait for it (instead of twenty requests building twenty copies)."""

    def __init__(self) -> None:
        self.projection: Projection | None = None
        self.lock = threading.Lock()


def _slot(key: tuple[Any, str]) -> _Slot:
    with _LOCK:
        slot = _SHARED.get(key)
        if slot is None:
            slot = _SHARED[key] = _Slot()
            while len(_SHARED) > MAX_SHARED:
                _SHARED.popitem(last=False)
        else:
            _SHARED.move_to_end(key)
        return slot


def shared_projection(
    store_key: Any,
    workspace: str,
    *,
    mark: Callable[[], Any],
    load: Callable[[], tuple[Iterable[NodeRow], Iterable[TieRow]]],
    catch_up: Callable[[Any], list[Change] | None] | None = None,
    today: dt.date | None = None,
) -> Projection:
    """The shared projection of a workspace, built with ``load`` when there is none yet or
    when the day has changed. When ``mark()`` differs from the one it reflects (a write by
    another process), ``catch_up(old_mark)`` may give the changes since (read from the audit
    trail); they are applied, and if that is not possible it is built again. Thread-safe;
    used by :meth:`Store.projection`."""
    day = today or dt.date.today()
    slot = _slot((store_key, workspace))
    current = mark()
    p = slot.projection
    if p is not None and p.mark == current and p.today == day:
        return p
    with slot.lock:
        p = slot.projection
        current = mark()
        if p is not None and p.mark == current and p.today == day:
            return p
        if p is not None and p.today == day and catch_up is not None:
            changes = catch_up(p.mark)
            if changes is not None:
                caught = p.apply(changes, mark=current)
                if caught is not None:
                    slot.projection = caught
                    return caught
        nodes, ties = load()
        p = Projection.build(nodes, ties, workspace=workspace, today=day, mark=current)
        slot.projection = p
        return p


def committed(
    store_key: Any, workspace: str, before: Any, after: Any, changes: list[Change]
) -> None:
    """A transaction of this process committed ``changes`` to ``workspace``, moving its mark
    from ``before`` to ``after``: bring the shared projection along (or drop it)."""
    with _LOCK:
        slot = _SHARED.get((store_key, workspace))
    if slot is None:
        return
    with slot.lock:
        p = slot.projection
        if p is None:
            return
        if p.mark != before:
            slot.projection = None  # it missed a write: build again when next asked
            return
        slot.projection = p.apply(changes, mark=after)


def invalidate(store_key: Any, workspace: str) -> None:
    """Drop the shared projection of one workspace: it is built again when next asked for."""
    with _LOCK:
        slot = _SHARED.get((store_key, workspace))
    if slot is not None:
        with slot.lock:
            slot.projection = None


def forget(store_key: Any = None) -> None:
    """Drop shared projections (of one store, or all)."""
    with _LOCK:
        for key in [k for k in _SHARED if store_key is None or k[0] == store_key]:
            del _SHARED[key]
