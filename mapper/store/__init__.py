"""Stores: the storage interface and its adapters, chosen by a database URL.

``sqlite:///relative.db``, ``sqlite:////absolute/path.db``, a plain file path, or
``:memory:`` select the embedded SQLite store; ``neo4j://``, ``neo4j+s://``, ``neo4j+ssc://``,
``bolt://``, ``bolt+s://`` and ``bolt+ssc://`` select the Neo4j store (credentials from
``MAPPER_NEO4J_USER``/``MAPPER_NEO4J_PASSWORD``/``MAPPER_NEO4J_DATABASE``, or
``NEO4J_USER``/``NEO4J_PASSWORD``/``NEO4J_DATABASE``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..errors import StoreUnavailableError
from .base import UNSET, Store, Workspace
from .sqlite import SQLiteStore

NEO4J_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://")

__all__ = ["Store", "Workspace", "SQLiteStore", "open_store", "UNSET", "is_neo4j_url"]


def is_neo4j_url(url: str) -> bool:
    return url.startswith(NEO4J_SCHEMES)


def sqlite_path(url: str) -> str:
    """The file path a ``sqlite:`` URL (or plain path) names.

    >>> sqlite_path("sqlite:///data/town.db"), sqlite_path("sqlite:////tmp/t.db")
    ('data/town.db', '/tmp/t.db')
    """
    if url.startswith("sqlite:///"):
        return url[len("sqlite:///") :] or ":memory:"
    if url.startswith("sqlite://"):
        return url[len("sqlite://") :] or ":memory:"
    return url


def open_store(url: str | Path, **options: Any) -> Store:
    """Open the store a URL names (see the module docstring)."""
    url = str(url)
    if is_neo4j_url(url):
        try:
            from .neo4j import Neo4jStore
        except ImportError as exc:  # pragma: no cover - neo4j is a dependency
            raise StoreUnavailableError(
                "the Neo4j adapter is not available: {exc}", exc=exc
            ) from exc
        return Neo4jStore.from_url(url, **options)
    if "://" in url and not url.startswith("sqlite:"):
        raise StoreUnavailableError(
            "unknown database URL {url!r}: use sqlite:///FILE or neo4j://HOST:7687", url=url
        )
    return SQLiteStore(sqlite_path(url))


def default_url(instance_path: str | Path | None = None) -> str:
    """``MAPPER_DATABASE_URL`` if set, else ``mapper.db`` in the instance folder."""
    env = os.environ.get("MAPPER_DATABASE_URL")
    if env:
        return env
    folder = Path(instance_path) if instance_path else Path.cwd() / "instance"
    return f"sqlite:///{folder / 'mapper.db'}"
