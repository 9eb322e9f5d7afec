"""The shared in-memory projection of one workspace (:class:`Projection`): the graph as of
today, what is valid on other days beside it, and copy-on-write edits that apply a
transaction's journaled changes (:class:`_Edit`)."""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

import networkx as nx

from .build import (
    MAX_APPLY,
    Change,
    NodeRow,
    TieRow,
    _Dates,
    _no_gc,
    _node_attrs,
    _tie_attrs,
    _valid,
    fill,
)
from .days import _DayView
from .history import history_view

#: How many applied writes a projection remembers the touched nodes of (:meth:`touched_since`).
LOG_KEPT = 16


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
        log: tuple[tuple[Any, frozenset[Any]], ...] = (),
        lineage: object | None = None,
        counts: dict[str, int] | None = None,
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
        self._histories: dict[Any, nx.MultiDiGraph] = {}
        #: The last few applied writes, oldest first: (mark before, ids of the nodes they
        #: touched), see :meth:`touched_since`.
        self._log = log
        #: The same object for a built projection and every one applied from it: what was
        #: derived from a snapshot of another lineage is never carried over.
        self.lineage = lineage if lineage is not None else object()
        self._counts: dict[str, int] | None = counts

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
            fill(graph, present.items(), edges)
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
        """The workspace with its whole history, equal to :meth:`Store.project_history` with
        the same filters (every current node, every tie version keyed
        ``"<tie id>:<version>"``): a read-only view over this projection's memory
        (:mod:`mapper.graph.history`), made once per filter and snapshot, nothing copied.

        It answers what is asked of it (a node's ties, a subgraph) in time proportional to
        that; iterating every edge is as slow as building the graph, so ask for parts."""
        key = (
            frozenset(getattr(k, "value", k) for k in kinds) if kinds is not None else None,
            frozenset(getattr(k, "value", k) for k in tie_kinds) if tie_kinds is not None else None,
        )
        with self._views_lock:
            view = self._histories.get(key)
            if view is None:
                view = self._histories[key] = history_view(self, *key)
                while len(self._histories) > 8:
                    self._histories.pop(next(iter(self._histories)))
            return view

    def counts(self) -> dict[str, int]:
        """Current nodes per kind (only the kinds there are) and ``"ties"``, the number of
        ties (each tie id once, whatever its versions), as ``Store.counts`` counts them
        (without the contact moments): from memory, worked out once per snapshot."""
        with self._views_lock:
            if self._counts is None:
                out: dict[str, int] = {}
                for source in (self.graph._node, self._off_nodes):  # type: ignore[attr-defined]  # networkx's own dicts, for speed
                    for d in source.values():
                        out[d["kind"]] = out.get(d["kind"], 0) + 1
                succ = self.graph._succ  # type: ignore[attr-defined]  # networkx's own dicts, for speed
                ties = sum(len(keydict) for nbrs in succ.values() for keydict in nbrs.values())
                for k, versions in self._off_ties.items():
                    u, v, _d = versions[0]
                    if k not in succ.get(u, {}).get(v, ()):  # no version of it valid today
                        ties += 1
                out["ties"] = ties
                self._counts = out
            return dict(self._counts)

    def touched_since(self, mark: Any) -> frozenset[Any] | None:
        """The ids of the nodes whose attributes or ties (any version) changed between the
        snapshot of ``mark`` and this one (erased nodes and the other ends of their ties
        included), or None when that is not known (built again since, or too many writes
        ago). Lets what was derived from an older snapshot be carried over when none of the
        nodes it read was touched."""
        if mark == self.mark:
            return frozenset()
        found: set[Any] = set()
        for before, touched in reversed(self._log):
            found |= touched
            if before == mark:
                return frozenset(found)
        return None

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
        #: Nodes whose attributes or ties this edit changes.
        self.touched: set[Any] = set()
        #: For the counts: each tie met (its ends, whether it was there before) and each node
        #: met (its kind before, or None).
        self.ties_met: dict[Any, tuple[Any, Any, bool]] = {}
        self.nodes_met: dict[Any, Any] = {}

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
        first = tie_id not in self.ties_met
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
        if first:
            self.ties_met[tie_id] = (u, v, bool(out))
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
        self.touched.update((tie.source, tie.target))
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
        self.touched.update((u, v))
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
        self.touched.add(n)
        self._meet(n)
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
        self.touched.update((u, v))
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
        self.touched.update((u, v))
        self._versions(tie_id, u, v)

    def erase_node(self, n: Any) -> None:
        self.touched.add(n)
        self._meet(n)
        for k, u, v in self._ties_at(n):
            self.touched.update((u, v))
            self._versions(k, u, v)
        if n in self.node:
            del self.node[n], self.succ[n], self.pred[n]
        self.off_nodes.pop(n, None)
        self.off_at.pop(n, None)

    def _meet(self, n: Any) -> None:
        if n not in self.nodes_met:
            d = self.node.get(n) or self.off_nodes.get(n)
            self.nodes_met[n] = d["kind"] if d is not None else None

    def _counts(self) -> dict[str, int] | None:
        """The base's counts with this edit's changes (None when the base has none yet)."""
        base = self.base._counts
        if base is None:
            return None
        out = dict(base)
        for n, before in self.nodes_met.items():
            d = self.node.get(n) or self.off_nodes.get(n)
            after = d["kind"] if d is not None else None
            if before != after:
                if before is not None:
                    out[before] -= 1
                if after is not None:
                    out[after] = out.get(after, 0) + 1
        for k, (u, v, before) in self.ties_met.items():
            after = k in self.off_ties or k in self.succ.get(u, {}).get(v, ())
            out["ties"] += int(after) - int(before)
        return out

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
            (*self.base._log, (self.base.mark, frozenset(self.touched)))[-LOG_KEPT:],
            self.base.lineage,
            self._counts(),
        )


# ---------------------------------------------------------------------------- other days
