"""The embedded store: one SQLite file (WAL mode, foreign keys on) holds every workspace.

Tables
------
``workspaces``    one row per library graph.
``nodes``         one row per node *version*; ``current = 1`` marks the latest; ``folded``
                  is the name as name search compares it (index ``nodes_folded``).
``ties``          one row per tie *version*; ``current = 1`` marks the latest.
``contacts``      logged contact moments.
``audit``         the audit trail: who wrote what, when (``refs`` holds the ids an entry is
                  about, space-separated with a space at each end, for erasure).
``audit_refs``    the refs of the entries an erasure cannot find by their target (see
                  :mod:`.audit_refs`).
``records``       small documents beside the graph (invitations and their answers), with
                  ``refs`` as in ``audit``.

The connection runs with ``secure_delete`` on, and :meth:`SQLiteStore.erase_node` ends with a
WAL checkpoint and an incremental vacuum, so erased data is gone from the file's bytes.
Dates are ISO text (``YYYY-MM-DD``), so comparisons in SQL are plain text comparisons.

The store is made of parts, one module per job: :mod:`.schema` (tables, columns, rows to
values), :mod:`.connection` (pragmas, schema, transactions, workspaces), :mod:`.primitives`
(nodes, ties, contact moments, audit trail), :mod:`.queries` (name search, projection
rows, counts, history), :mod:`.erasure` (erasure, records, merge repointing) and
:mod:`.audit_refs` (finding the audit entries an erasure deletes, by index); :mod:`.store`
puts them together.
"""

from __future__ import annotations

from .store import SQLiteStore

__all__ = ["SQLiteStore"]
