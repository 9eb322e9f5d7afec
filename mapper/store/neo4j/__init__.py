"""The shared store: a Neo4j 5 database (Community, Enterprise, Aura) through the official driver.

Schema
------
``(:Workspace {slug, name, created_at, settings, audit_seq})``
    one node per workspace (library graph). ``settings`` is JSON text.
``(:Entity:<Kind> {workspace, id, kind, name, props, since, until, origin, version,
recorded_at})``
    the *current* version of every entity; ``<Kind>`` is one of
    :class:`~mapper.model.NodeKind` (``Person``, ``Theme``, …). ``props`` is JSON text;
    ``since``/``until`` are Neo4j ``DATE`` values.
``(:NodeVersion {workspace, id, kind, name, props, since, until, origin, version,
recorded_at})``
    every *earlier* version of an entity (written when it is updated).
``(:Entity)-[:<KIND> {workspace, tie_id, version, current, strength, since, until, role,
origin, props, recorded_at}]->(:Entity)``
    one relationship per tie *version*; ``<KIND>`` is one of
    :class:`~mapper.model.RelKind`. ``current = true`` marks the latest version of a tie;
    ``[since, until)`` is when that version holds.
``(:Contact {workspace, id, a, b, on_date, mode, notes, outcome, recorded_at})``
    a contact moment, with ``(:Contact)-[:INVOLVES]->(:Entity)`` to both parties.
``(:AuditEntry {workspace, seq, at, actor, action, target_type, target_id, label, refs,
detail})``
    the audit trail; ``refs`` is a list of ids, ``detail`` JSON text.

Every node and relationship carries ``workspace`` and every query filters on it, so two
libraries in one database never see each other's data. Labels and relationship types in a
query come only from the model's enums (never from user text); every value is a parameter.

Transactions
------------
:meth:`Neo4jStore.atomic` opens an explicit transaction held by the store (per thread) for
the outermost block; nested blocks join it, and every primitive runs in it while it is open
(outside, a read runs as its own managed read transaction). Neo4j has no savepoints, so a
nested block that fails is undone by *compensation*: each write inside a nested block records
how to undo itself, and a failing nested block runs those undo steps in the same transaction,
in reverse order. Compensation is only possible while the server-side transaction is alive;
an error raised by the server itself ends the transaction, and then the whole outermost block
fails (nothing is written).

Retries. Each public write of the store (``add_nodes``, ``change_tie``, ``update_node``, …)
called *outside* any ``atomic()`` block runs as a managed transaction
(``session.execute_write``): the primitives it calls join that transaction, and the driver
runs the whole method again when Neo4j reports a transient failure (a deadlock, a leader
switch, a lost connection before commit). That is safe because a failed attempt was rolled
back completely and every attempt reads the state anew (the method is idempotent as a
unit); a uniqueness clash with a concurrent writer, which the driver does not retry, is
retried here the same way. An explicit ``atomic()`` block cannot be replayed (the code inside
a ``with`` block cannot be run again), so inside one a transient failure is raised as
:class:`~mapper.errors.ConflictError` ("try again"): only the caller can repeat its block. A
commit whose outcome is unknown (``IncompleteCommit``) is never retried; it is raised as
StoreUnavailableError.

Concurrency. Neo4j reads at *read committed*: a read takes no lock, so two people changing
the same tie at once could both read version 1 and both write a version 2, and one change
would be lost. Every read-then-write here therefore takes the write lock *first*:
``change_tie`` and ``end_tie`` set (and remove) a ``_lock`` property on the tie's first
version before reading the tie, and ``update_node`` on the entity node, so the second writer
waits until the first has committed and then reads its result. The workspace node is locked
the same way by ``update_workspace`` and by any read of the workspace inside an explicit
``atomic()`` block (a read for update: a map's positions are merged into its settings). As
a second line, uniqueness constraints on ``(workspace, tie_id, version)`` and
``(workspace, id, version)`` make a duplicate version impossible; such a clash is retried as
above.

Modules
-------
``driver``       the process's drivers (one per address and login) and URL parsing
``schema``       the constraints and indexes, created idempotently once per database
``transaction``  ``atomic()`` with compensation, managed (retried) writes, driver errors
``rows``         conversion of nodes, ties, contacts … to and from Neo4j property maps
``workspaces``   the Cypher for workspaces: create, delete in batches, load in batches
``nodes``        the Cypher for entities and their earlier versions
``ties``         the Cypher for ties (one relationship per version), locks, the projection
``around``        the Cypher for a neighbourhood (``project_around``): one statement per hop
``contacts``     the Cypher for contact moments and the audit trail
``records``      the Cypher for records (small documents beside the graph)
``erasure``      the Cypher that rewrites history: erasure, merge and unmerge
``store``        :class:`Neo4jStore`, made of those mixins; opening a store; retried writes
"""

from __future__ import annotations

from .driver import close_drivers, get_driver, parse_url
from .rows import BATCH_SIZE
from .schema import REL_CONSTRAINTS, SCHEMA
from .store import Neo4jStore, wait_for_server

__all__ = [
    "Neo4jStore",
    "get_driver",
    "close_drivers",
    "parse_url",
    "wait_for_server",
    "BATCH_SIZE",
    "SCHEMA",
    "REL_CONSTRAINTS",
]
