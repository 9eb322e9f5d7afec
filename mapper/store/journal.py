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
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from ..model import Tie


class _State(threading.local):
    """One store's journal, per thread: a store may be shared by threads (Neo4j's holds
    each thread's transaction apart), and each thread's transaction has its own record."""

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


_MAKING = threading.Lock()


def _state(store: Any) -> _State:
    state = store.__dict__.get("_journal")
    if state is None:
        with _MAKING:  # two threads asking at once get the same one
            state = store.__dict__.setdefault("_journal", _State())
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


def changing(store: Any, workspace: str) -> bool:
    """Whether a transaction of ``store`` is open and has changed ``workspace``."""
    state = _state(store)
    return state.depth > 0 and workspace in state.before


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


def _finish(store: Any) -> Callable[[], None]:
    """The outermost transaction is about to commit: read the change marks (still inside
    it) and take its record; returns what to call once the commit has succeeded."""
    state = _state(store)
    pending, before = state.changes, state.before
    state.changes, state.before = [], {}
    # Still inside the transaction (SQLite holds the write lock, Neo4j the workspace node's
    # lock taken by the audit entry): exactly our marks.
    after = {ws: store._change_mark(ws) for ws in before}

    def publish() -> None:
        from .. import graph as _graph

        key = store._projection_key()
        for ws, (mark_before, _) in before.items():
            _graph.committed(key, ws, mark_before, after[ws], [c for w, c in pending if w == ws])

    return publish


@contextmanager
def outermost(store: Any) -> Iterator[Callable[[], Callable[[], None]]]:
    """For an adapter whose outermost transaction is not an ``atomic()`` block (Neo4j's
    managed, retried writes: ``session.execute_write``): the journal of one attempt.

    Inside, ``atomic()`` blocks are nested ones; the body calls the value given (``finish``)
    as its last step inside the transaction, and calls what that returns once the
    transaction has committed. An attempt that fails leaves no record (a retry starts anew).
    """
    state = _state(store)
    state.depth += 1
    state.truncate(0)
    try:
        yield lambda: _finish(store)
    finally:
        state.depth -= 1
        state.truncate(0)


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
        try:
            publish = _finish(self)
        except BaseException:
            if not manager.__exit__(*sys.exc_info()):
                raise
            return
        manager.__exit__(None, None, None)  # the commit; raises if it fails
        publish()

    atomic._journaled = True  # type: ignore[attr-defined]
    return atomic


def _resolved(cls: type, name: str) -> Any:
    """What ``cls.name`` resolves to, unless it is the abstract interface's own (``Store``
    and the API classes it is made of), which there is no point wrapping."""
    from .base import Store

    for klass in cls.__mro__:
        if name in klass.__dict__:
            return None if klass in Store.__mro__ else klass.__dict__[name]
    return None


def install(cls: type) -> None:
    """Wrap the primitives and ``atomic`` that ``cls`` has (once), wherever they are
    defined: on the class itself or on a mixin that is no store (``Neo4jStore`` takes its
    ``atomic`` from ``neo4j.transaction.Transactions``)."""
    for name in [*PRIMITIVES, "atomic"]:
        func = _resolved(cls, name)
        if func is not None and not getattr(func, "_journaled", False):
            wrap = _wrap_atomic if name == "atomic" else functools.partial(_wrap_primitive, name)
            setattr(cls, name, wrap(func))
