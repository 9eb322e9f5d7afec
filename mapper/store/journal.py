"""The write journal: what each transaction changed in the graph, for the shared projection.

:class:`~mapper.store.base.Store` installs this on every adapter class
(``Store.__init_subclass__``): the adapter primitives that change nodes and ties are wrapped so
that each records what it did, and ``atomic()`` is wrapped so that the record of a transaction
is kept or dropped with it (savepoints included) and handed to :func:`mapper.graph.committed`
once the outermost transaction has committed. No adapter needs to know about it.

The change mark of a workspace (:meth:`Store._change_mark`, the newest audit-trail entry) is
read before the transaction's first change to that workspace and again just before the commit,
so the shared projection applies the changes only if it had seen everything up to the first
(otherwise another process wrote in between, and it is built again).

An adapter primitive that changes nodes or ties must be listed in :data:`PRIMITIVES`; any
primitive listed as ``reset`` makes the projection be built again from the store.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from ..model import Tie


class _State:
    __slots__ = ("depth", "changes", "before")

    def __init__(self) -> None:
        self.depth = 0
        #: (workspace, change) in the order written.
        self.changes: list[tuple[str, tuple[Any, ...]]] = []
        #: workspace → (mark before its first change, index in ``changes`` at that time).
        self.before: dict[str, tuple[Any, int]] = {}

    def truncate(self, at: int) -> None:
        del self.changes[at:]
        for ws in [w for w, (_, i) in self.before.items() if i >= at]:
            del self.before[ws]


def _state(store: Any) -> _State:
    state = store.__dict__.get("_journal")
    if state is None:
        state = store.__dict__["_journal"] = _State()
    return state  # type: ignore[no-any-return]


class TieRows(Sequence[Any]):
    """New ties journaled as the rows of their fields: a :class:`~mapper.model.Tie` is made
    of each only when the shared projection applies them (which it does not for more than
    :data:`mapper.graph.MAX_APPLY` ties: a big import makes none)."""

    __slots__ = ("rows",)

    def __init__(self, rows: Sequence[tuple[Any, ...]]) -> None:
        self.rows = list(rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [Tie(*row) for row in self.rows[index]]
        return Tie(*self.rows[index])


def _ends(store: Any, workspace: str, tie_id: str) -> tuple[str, str] | None:
    versions = store._tie_versions(workspace, tie_id)
    return (versions[0].source, versions[0].target) if versions else None


# name → function(store, args) giving the change, called *before* the primitive runs
# (so a tie's ends can still be read), recorded only once it succeeded.
PRIMITIVES: dict[str, Callable[..., tuple[Any, ...]]] = {
    "_insert_nodes": lambda s, ws, nodes, *a, **k: ("nodes", list(nodes)),
    "_insert_node_version": lambda s, ws, node, *a, **k: ("nodes", [node]),
    "_insert_ties": lambda s, ws, ties, *a, **k: ("ties", list(ties)),
    "_insert_tie_rows": lambda s, ws, rows, *a, **k: ("ties", TieRows(rows)),
    "_close_tie_version": lambda s, ws, tie_id, version, until, *a, **k: (
        "close",
        tie_id,
        version,
        until,
        _ends(s, ws, tie_id),
    ),
    "_set_tie_until": lambda s, ws, tie_id, version, until, *a, **k: (
        "close",
        tie_id,
        version,
        until,
        _ends(s, ws, tie_id),
    ),
    "_erase_node": lambda s, ws, node_id, *a, **k: ("erase", node_id),
    "_erase_tie": lambda s, ws, tie_id, *a, **k: ("erase_tie", tie_id, _ends(s, ws, tie_id)),
    "_insert_audit": lambda s, ws, *a, **k: ("audit",),
    "_insert_tie_audit": lambda s, ws, *a, **k: ("audit",),
    "_repoint_node": lambda s, ws, *a, **k: ("reset",),
    "_repoint_ties": lambda s, ws, *a, **k: ("reset",),
    "_load_versions": lambda s, ws, *a, **k: ("reset",),
    "_create_workspace": lambda s, info, *a, **k: ("reset",),
    "delete_workspace": lambda s, ws, *a, **k: ("reset",),
}


def _slug(name: str, args: tuple[Any, ...]) -> str:
    first = args[0]
    return first.slug if name == "_create_workspace" else first  # type: ignore[no-any-return]


def _wrap_primitive(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    describe = PRIMITIVES[name]

    @functools.wraps(func)
    def journaled(self: Any, *args: Any, **kwargs: Any) -> Any:
        state = _state(self)
        workspace = _slug(name, args)
        if state.depth == 0:
            # Outside a transaction (not how the store writes): just let it be built again.
            result = func(self, *args, **kwargs)
            from .. import graph as _graph

            _graph.invalidate(self._projection_key(), workspace)
            return result
        first = workspace not in state.before
        if first:
            state.before[workspace] = (self._change_mark(workspace), len(state.changes))
        change = describe(self, *args, **kwargs)
        try:
            result = func(self, *args, **kwargs)
        except BaseException:
            if first:
                state.before.pop(workspace, None)  # a rolled-back inner block may have dropped it
            raise
        state.changes.append((workspace, change))
        return result

    journaled._journaled = True  # type: ignore[attr-defined]
    return journaled


def _wrap_atomic(func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    @contextmanager
    def atomic(self: Any, *args: Any, **kwargs: Any) -> Iterator[None]:
        manager = func(self, *args, **kwargs)
        manager.__enter__()
        state = _state(self)
        state.depth += 1
        mark = len(state.changes)
        try:
            yield
        except BaseException:
            state.depth -= 1
            if state.depth == 0:
                state.truncate(0)
            else:
                state.truncate(mark)
            if not manager.__exit__(*sys.exc_info()):
                raise
            return
        state.depth -= 1
        if state.depth:
            manager.__exit__(None, None, None)
            return
        pending = state.changes
        before = state.before
        state.changes, state.before = [], {}
        after = {}
        try:
            # Still inside the transaction (SQLite holds the write lock): exactly our marks.
            after = {ws: self._change_mark(ws) for ws in before}
        finally:
            manager.__exit__(None, None, None)  # the commit; raises if it fails
        from .. import graph as _graph

        key = self._projection_key()
        for ws, (mark_before, _) in before.items():
            _graph.committed(key, ws, mark_before, after[ws], [c for w, c in pending if w == ws])

    atomic._journaled = True  # type: ignore[attr-defined]
    return atomic


def install(cls: type) -> None:
    """Wrap the primitives and ``atomic`` that ``cls`` itself defines (once)."""
    for name in PRIMITIVES:
        func = cls.__dict__.get(name)
        if func is not None and not getattr(func, "_journaled", False):
            setattr(cls, name, _wrap_primitive(name, func))
    func = cls.__dict__.get("atomic")
    if func is not None and not getattr(func, "_journaled", False):
        cls.atomic = _wrap_atomic(func)  # type: ignore[attr-defined]
