"""The store: :class:`Neo4jStore`, put together from the statement mixins of this package
(``workspaces``, ``nodes``, ``ties``, ``contacts``, ``records``, ``erasure``), plus opening a
store (the login, the driver's timeouts) and the list of public writes that are retried.

Labels and relationship types in a statement come only from the model's enums (never from
user text); every value is a parameter; every statement is scoped to one workspace.
"""

from __future__ import annotations

import os
import time
from typing import Any

import neo4j

from ...errors import StoreUnavailableError
from ..base import Store
from . import schema
from .around import AroundCypher
from .contacts import ContactCypher
from .driver import _env, get_driver, parse_url
from .erasure import ErasureCypher
from .nodes import NodeCypher
from .records import RecordCypher
from .ties import TieCypher
from .transaction import _retrying, _TxState
from .workspaces import WorkspaceCypher

#: How long (s) a transaction is retried after a transient error before the error is shown.
RETRY_SECONDS = 10.0
#: How long (s) opening one connection may take.
CONNECTION_TIMEOUT = 5.0
#: Server notifications not asked for (Neo4j 5.7+): "the property `until` does not exist",
#: which the store's queries provoke on purpose on a database where no tie has ended yet.
QUIET_NOTIFICATIONS = [neo4j.NotificationDisabledClassification.UNRECOGNIZED]


def retry_seconds() -> float:
    """``MAPPER_NEO4J_RETRY_SECONDS`` if it is a number ≥ 0, else :data:`RETRY_SECONDS`.

    >>> retry_seconds() > 0
    True
    """
    try:
        value = float(os.environ.get("MAPPER_NEO4J_RETRY_SECONDS", RETRY_SECONDS))
    except ValueError:
        return RETRY_SECONDS
    return value if value >= 0 else RETRY_SECONDS


class Neo4jStore(
    WorkspaceCypher,
    NodeCypher,
    ErasureCypher,
    TieCypher,
    AroundCypher,
    ContactCypher,
    RecordCypher,
    Store,
):
    """The store in a Neo4j 5 database, shared by many workspaces (libraries).

    Parameters
    ----------
    uri : str
        ``neo4j://``, ``neo4j+s://``, ``bolt://`` … address of the server or cluster.
    user, password : str, optional
        The login (default: ``MAPPER_NEO4J_USER``/``MAPPER_NEO4J_PASSWORD``, else
        ``NEO4J_USER``/``NEO4J_PASSWORD``). Without a user, no authentication is sent.
    database : str, optional
        The database to use (default: ``MAPPER_NEO4J_DATABASE``/``NEO4J_DATABASE``, else the
        server's default database).
    **config
        Passed to ``neo4j.GraphDatabase.driver`` when this process creates the driver.

    Raises
    ------
    StoreUnavailableError
        When the server cannot be reached or refuses the login.

    Examples
    --------
    Needs a running server, so not run as a doctest::

        store = Neo4jStore("neo4j://localhost:7687", user="neo4j", password="secret")
        ws = store.create_workspace("rijnstad", "Bibliotheek Rijnstad")
    """

    backend = "neo4j"

    def __init__(
        self,
        uri: str,
        *,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        **config: Any,
    ):
        self.uri = uri
        self.user = user if user is not None else _env("MAPPER_NEO4J_USER", "NEO4J_USER")
        password = (
            password if password is not None else _env("MAPPER_NEO4J_PASSWORD", "NEO4J_PASSWORD")
        )
        self.database = database or _env("MAPPER_NEO4J_DATABASE", "NEO4J_DATABASE") or None
        # A request should not hang while the driver retries a dead server: the driver's own
        # default retries for 30 s. Transient clashes (deadlocks, lock timeouts) clear well
        # within these seconds; MAPPER_NEO4J_RETRY_SECONDS sets them for a slow cluster.
        config.setdefault("max_transaction_retry_time", retry_seconds())
        config.setdefault("connection_timeout", CONNECTION_TIMEOUT)
        # The server warns about every query that names a property, label or relationship
        # type no record has yet (`until` on a fresh database, before any tie has ended):
        # expected here, so that class is not sent; real warnings (deprecations, …) still are.
        config.setdefault("notifications_disabled_classifications", QUIET_NOTIFICATIONS)
        self.driver = get_driver(uri, self.user, password, **config)
        self._state = _TxState()
        self._closed = False
        self._ensure_schema()

    @classmethod
    def from_url(cls, url: str, **options: Any) -> Neo4jStore:
        """Open the store a URL names, e.g. ``neo4j+s://user:secret@host:7687?database=libs``.

        A login in the URL and a ``database`` query parameter are taken out of the address
        given to the driver (see :func:`parse_url`); ``options`` (``user``, ``password``,
        ``database``, driver settings) win over both, and the environment fills in what is
        still missing.
        """
        clean, user, password, database = parse_url(url)
        for key, value in (("user", user), ("password", password), ("database", database)):
            if options.get(key) is None:
                options[key] = value
        return cls(clean, **options)

    def __repr__(self) -> str:
        db = f", database={self.database!r}" if self.database else ""
        return f"Neo4jStore({self.uri!r}{db})"

    def close(self) -> None:
        """Forget this handle. The driver is shared by the process and stays open (see
        :func:`close_drivers`); an open transaction of this thread is rolled back."""
        state = self._state
        if state.tx is not None:
            self._end(state, commit=False)
        self._closed = True

    # ------------------------------------------------------------------ schema

    def _ensure_schema(self) -> None:
        schema.ensure_schema(self)

    def _create_schema(self) -> None:
        """Create the constraints and indexes (idempotent: ``IF NOT EXISTS``)."""
        schema.create_schema(self)


# Public writes that run in their own transaction are retried as a whole after a transient
# failure (see the package docstring). update_workspace, update_node, change_tie, end_tie and
# reopen_tie take a lock first and are wrapped where they are defined (workspaces, nodes,
# ties); delete_workspace runs in batches, each batch its own retried transaction.
for _name in (
    "create_workspace",
    "add_nodes",
    "add_ties",
    "add_tie_rows",
    "add_contacts",
    "record_audit",
    "erase_node",
    "merge_nodes",
    "unmerge_nodes",
    "erase_tie",
    "put_record",
    "delete_record",
):
    if hasattr(Store, _name):
        setattr(Neo4jStore, _name, _retrying(getattr(Store, _name)))
del _name


def wait_for_server(url: str, *, timeout: float = 60.0, **options: Any) -> Neo4jStore:
    """Open the store, waiting up to ``timeout`` seconds for a server that is starting."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return Neo4jStore.from_url(url, **options)
        except StoreUnavailableError:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


__all__ = ["Neo4jStore", "wait_for_server"]
