"""Transactions: the explicit one of ``atomic()`` with compensation for nested blocks,
managed ones for single writes that the driver retries, and the translation of driver errors.

See the package docstring (:mod:`mapper.store.neo4j`) for how retries and locks work.
"""

from __future__ import annotations

import functools
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

import neo4j
from neo4j import exceptions as neo_errors

from ...errors import ConflictError, MapperError, StoreUnavailableError
from .. import journal
from .driver import describe

log = logging.getLogger(__name__)

#: How often a public write is attempted when Neo4j reports a clash with a concurrent writer.
MAX_ATTEMPTS = 5
#: First pause between attempts, in seconds (doubled each time, with jitter).
RETRY_DELAY = 0.05

T = TypeVar("T")


class _Retryable(ConflictError):
    """A failure after which the whole write may be run again (it was rolled back)."""


class TransactionTooBigError(MapperError):
    """The server refused a transaction for the memory it needed (``db.memory.transaction.max``,
    as managed servers and Aura set it): it was rolled back whole; running it again as it is
    fails the same way, so it is not retried. Bulk operations split their batches on it."""


#: The Neo4j status code of a transaction over the server's memory limit. The driver calls it
#: transient (and would retry it), but the same transaction needs the same memory again.
MEMORY_LIMIT_CODE = "Neo.TransientError.General.MemoryPoolOutOfMemoryError"


def _too_big(exc: BaseException) -> bool:
    return getattr(exc, "code", None) == MEMORY_LIMIT_CODE


class _CannotUndo(MapperError):
    """Raised by an undo step for a write that cannot be compensated."""


def translate(exc: Exception) -> Exception:
    """Our error for a driver error."""
    if isinstance(exc, neo_errors.ConstraintError):
        return _Retryable(f"the change clashed with stored data or another change ({exc.message})")
    if isinstance(exc, neo_errors.IncompleteCommit):
        return StoreUnavailableError(
            "the connection to Neo4j broke while committing: the change may or may not have "
            "been saved; check before repeating it"
        )
    if _too_big(exc):
        return TransactionTooBigError(
            "the change needs more memory than the Neo4j server allows one transaction "
            "(db.memory.transaction.max): {detail}",
            detail=exc.message,  # type: ignore[attr-defined]
        )
    if isinstance(exc, neo_errors.TransientError):
        return _Retryable(f"the change clashed with another one; try again ({exc.message})")
    if isinstance(exc, (neo_errors.ServiceUnavailable, neo_errors.SessionExpired)):
        return StoreUnavailableError("lost the connection to Neo4j: {reason}", reason=describe(exc))
    if isinstance(exc, neo_errors.AuthError):
        return StoreUnavailableError("Neo4j refused the login: {detail}", detail=exc.message)
    if isinstance(exc, neo_errors.Neo4jError):
        return MapperError("Neo4j error {code}: {detail}", code=exc.code, detail=exc.message)
    return MapperError("Neo4j driver error: {reason}", reason=describe(exc))


DRIVER_ERRORS = (neo_errors.Neo4jError, neo_errors.DriverError)


class _TxState(threading.local):
    """The explicit transaction a thread holds inside ``atomic()`` blocks."""

    def __init__(self) -> None:
        self.session: neo4j.Session | None = None
        self.tx: neo4j.Transaction | neo4j.ManagedTransaction | None = None
        self.depth = 0
        self.undo: list[Callable[[], object]] = []
        self.undoing = False
        self.broken: BaseException | None = None
        #: True while the transaction is a managed one (``execute_write``): driver errors
        #: then pass through untranslated, so that the driver can decide to retry.
        self.managed = False


def _retrying(method: Callable[..., T]) -> Callable[..., T]:
    """Run a public write as a managed transaction (``session.execute_write``) when no
    ``atomic()`` block is open, so the driver runs it again from the start after a transient
    failure; inside an open block it simply joins the block's transaction.

    The method is safe to run again because a failed attempt leaves nothing behind (its
    transaction was rolled back) and every attempt reads the state anew. Iterator arguments
    are read into lists first, so a second attempt sees the same input. A uniqueness clash
    with a concurrent writer (which the driver does not retry) is retried here.
    """

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> T:
        if self._state.tx is not None:
            return method(self, *args, **kwargs)
        args = tuple(list(a) if isinstance(a, Iterator) else a for a in args)
        kwargs = {k: list(v) if isinstance(v, Iterator) else v for k, v in kwargs.items()}
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                return self._managed(method, args, kwargs)
            except neo_errors.ConstraintError as exc:
                if attempt == MAX_ATTEMPTS:
                    raise ConflictError(
                        "{name} gave up after {attempts} attempts: {reason}",
                        name=method.__name__,
                        attempts=MAX_ATTEMPTS,
                        reason=translate(exc),
                    ) from None
                log.info("retrying %s after: %s", method.__name__, exc)
                time.sleep(RETRY_DELAY * 2 ** (attempt - 1) * (1 + random.random()))
            except DRIVER_ERRORS as exc:
                raise translate(exc) from None
        raise AssertionError("unreachable")  # pragma: no cover

    return wrapper


class Transactions:
    """The transaction machinery of :class:`~mapper.store.neo4j.Neo4jStore` (a mixin: it
    uses the store's ``driver``, ``database`` and ``_state``)."""

    driver: neo4j.Driver
    database: str | None
    _state: _TxState

    def _run(
        self, query: str, params: Mapping[str, Any] | None = None, *, write: bool
    ) -> list[Any]:
        """Run one statement: in the open transaction if there is one, else in its own
        managed transaction (which the driver retries on transient errors)."""
        state = self._state
        params = dict(params or {})
        if state.tx is not None:
            if state.broken is not None:
                raise ConflictError(
                    "this transaction was aborted by an earlier error: {broken}",
                    broken=state.broken,
                )
            try:
                return list(state.tx.run(query, params))
            except DRIVER_ERRORS as exc:
                state.broken = exc
                if state.managed:
                    raise  # execute_write retries it if it is transient
                raise translate(exc) from None
        try:
            result = self.driver.execute_query(
                query,
                params,
                routing_=neo4j.RoutingControl.WRITE if write else neo4j.RoutingControl.READ,
                database_=self.database,
            )
        except DRIVER_ERRORS as exc:
            raise translate(exc) from None
        return list(result.records)

    def _read(self, query: str, **params: Any) -> list[Any]:
        return self._run(query, params, write=False)

    def _write(self, query: str, **params: Any) -> list[Any]:
        return self._run(query, params, write=True)

    def _managed(
        self, method: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> T:
        """Run ``method`` in a managed write transaction that the primitives join.

        The write journal (:mod:`mapper.store.journal`) sees this transaction as the
        outermost one: the ``atomic()`` blocks of ``method`` are nested in it, and what it
        changed reaches the shared projection once the driver has committed it (the last
        attempt's record only)."""
        state = self._state

        def work(tx: neo4j.ManagedTransaction) -> tuple[T, Callable[[], None]]:
            # Each attempt starts clean: the driver rolled the previous one back.
            state.tx, state.depth, state.undo = tx, 0, []
            state.broken, state.undoing, state.managed = None, False, True
            try:
                with journal.outermost(self) as finish:
                    result = method(self, *args, **kwargs)
                    if state.broken is not None:
                        raise ConflictError(
                            "nothing was saved: the transaction was aborted by an earlier "
                            "error ({broken})",
                            broken=state.broken,
                        )
                    return result, finish()
            except neo_errors.Neo4jError as exc:
                if _too_big(exc):  # not the driver's to retry: the same work needs the same
                    raise translate(exc) from None
                raise
            finally:
                state.tx, state.depth, state.undo = None, 0, []
                state.broken, state.undoing, state.managed = None, False, False

        with self.driver.session(
            database=self.database, bookmark_manager=self.driver.execute_query_bookmark_manager
        ) as session:
            result, publish = session.execute_write(work)
        publish()
        return result

    def _on_undo(self, step: Callable[[], object]) -> None:
        """Remember how to undo a write made inside a nested ``atomic()`` block."""
        state = self._state
        if state.depth > 1 and not state.undoing:
            state.undo.append(step)

    @staticmethod
    def _cannot_undo(what: str) -> Callable[[], None]:
        def step() -> None:
            raise _CannotUndo(f"{what} cannot be undone inside a nested block")

        return step

    @contextmanager
    def atomic(self) -> Iterator[None]:
        state = self._state
        if state.tx is None:
            session = self.driver.session(
                database=self.database,
                bookmark_manager=self.driver.execute_query_bookmark_manager,
            )
            try:
                tx = session.begin_transaction()
            except DRIVER_ERRORS as exc:
                session.close()
                raise translate(exc) from None
            state.session, state.tx, state.depth = session, tx, 1
            state.undo, state.broken, state.undoing = [], None, False
            try:
                yield
            except BaseException:
                self._end(state, commit=False)
                raise
            if state.broken is not None:
                broken = state.broken
                self._end(state, commit=False)
                raise ConflictError(
                    "nothing was saved: the transaction was aborted by an earlier error ({broken})",
                    broken=broken,
                )
            self._end(state, commit=True)
            return
        mark = len(state.undo)
        state.depth += 1
        try:
            yield
        except BaseException:
            if state.broken is None:
                state.undoing = True
                try:
                    for step in reversed(state.undo[mark:]):
                        step()
                except Exception as exc:  # noqa: BLE001 - any failure dooms the transaction
                    state.broken = exc
                finally:
                    state.undoing = False
            del state.undo[mark:]
            raise
        finally:
            state.depth -= 1

    def _end(self, state: _TxState, *, commit: bool) -> None:
        tx, session = state.tx, state.session
        state.tx, state.session, state.depth, state.undo, state.broken = None, None, 0, [], None
        try:
            if isinstance(tx, neo4j.Transaction):  # an explicit one (managed ones end themselves)
                if commit:
                    try:
                        tx.commit()
                    except DRIVER_ERRORS as exc:
                        raise translate(exc) from None
                else:
                    try:
                        tx.rollback()
                    except DRIVER_ERRORS:
                        pass  # the server already ended it; nothing was written
        finally:
            if session is not None:
                session.close()
