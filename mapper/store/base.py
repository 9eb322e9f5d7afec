"""The storage interface every adapter implements.

:class:`Store` holds the rules (validation, history, ids) once; an adapter implements the
small set of ``_``-prefixed primitives that read and write its database. Every method takes
the workspace slug first: a workspace is one library's graph, and nothing crosses between
workspaces. :meth:`Store.workspace` returns a :class:`Workspace` handle that supplies the slug,
which reads more naturally::

    store = open_store("sqlite:///town.db")
    ws = store.create_workspace("rijnstad", "Bibliotheek Rijnstad")
    jan = ws.add_node("Person", "Jan de Vries")
    theme = ws.add_node("Theme", "duurzaamheid")
    tie = ws.add_tie("ACTIVE_ON", jan.id, theme.id, strength=0.6, since="2025-01-01")
    ws.change_tie(tie.id, on="2025-06-01", strength=0.8)   # closes version 1, opens version 2
    graph = ws.project(as_of="2025-03-01")                 # networkx MultiDiGraph

Writes are atomic: each public write runs in one transaction, and ``with store.atomic():``
groups several (nested blocks become savepoints). A write that fails half-way leaves nothing.

The interface is made of parts, one module per job: :mod:`.core` (lifecycle, workspaces,
audit trail, records, the adapter primitives), :mod:`.nodes`, :mod:`.ties` (and contact
moments), :mod:`.erase_merge`, :mod:`.projection` and :mod:`.dump_api`; the shared helpers
are in :mod:`.values`.
"""

from __future__ import annotations

from typing import Any

from ..ids import UNSET
from .dump_api import DumpAPI
from .erase_merge import EraseMergeAPI
from .projection import ProjectionAPI
from .values import (
    ID_RE,
    RECORD_COLLECTIONS,
    SLUG_RE,
    Record,
    _kind_words,
    _kinds_arg,
    _rel_kinds_arg,
    check_id,
    check_slug,
    fold,
    new_id,
    new_ids,
    node_attrs,
    now_iso,
    tie_attrs,
)
from .workspace import Workspace

__all__ = [
    "ID_RE",
    "RECORD_COLLECTIONS",
    "SLUG_RE",
    "UNSET",
    "Record",
    "Store",
    "Workspace",
    "_kind_words",
    "_kinds_arg",
    "_rel_kinds_arg",
    "check_id",
    "check_slug",
    "fold",
    "new_id",
    "new_ids",
    "node_attrs",
    "now_iso",
    "tie_attrs",
]


class Store(EraseMergeAPI, ProjectionAPI, DumpAPI):
    """The storage interface: a set of workspaces, each a graph with history.

    Adapters implement the abstract ``_`` primitives and :meth:`atomic`; the public methods
    here validate input, assign ids and versions, and keep history.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Every adapter's writes are journaled for the shared projection (mapper/graph.py).
        super().__init_subclass__(**kwargs)
        from .journal import install

        install(cls)
