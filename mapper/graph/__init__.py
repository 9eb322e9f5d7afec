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

The package's modules: :mod:`~mapper.graph.build` (rows to a graph, ``valid_on``),
:mod:`~mapper.graph.projection` (the shared projection and its copy-on-write edits),
:mod:`~mapper.graph.days` (views of other days), :mod:`~mapper.graph.history` (the whole
history as a view over the same memory: :meth:`Projection.history`, equal to
``Store.project_history``, nothing rebuilt after a write) and :mod:`~mapper.graph.shared`
(the per-process registry).
"""

from __future__ import annotations

from .build import MAX_APPLY, MAX_SHARED, Change, NodeRow, TieRow, build_graph, valid_on
from .projection import Projection
from .shared import committed, forget, invalidate, shared_projection

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
    "Change",
    "MAX_APPLY",
    "MAX_SHARED",
]
