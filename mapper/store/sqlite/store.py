"""The SQLite store, put together from its parts."""

from __future__ import annotations

from .erasure import SQLiteErasure
from .primitives import SQLitePrimitives
from .queries import SQLiteQueries


class SQLiteStore(SQLiteErasure, SQLiteQueries, SQLitePrimitives):
    """The embedded store in one SQLite file (or in memory with ``":memory:"``).

    Parameters
    ----------
    path : str or Path
        The database file; created with its folder if missing. ``":memory:"`` for a
        throw-away store.

    Examples
    --------
    >>> store = SQLiteStore(":memory:")
    >>> ws = store.create_workspace("demo")
    >>> ws.add_node("Theme", "lezen").name
    'lezen'
    """

    backend = "sqlite"
