"""community-mapper: graph-based community mapping for public libraries.

The library's public face, in the manner of sqlite-utils' ``sqlite_utils/__init__.py``::

    >>> import mapper
    >>> store = mapper.open_store(":memory:")
    >>> ws = store.create_workspace("rijnstad", "Bibliotheek Rijnstad")
    >>> isinstance(ws, mapper.Workspace), isinstance(store, mapper.Store)
    (True, True)
    >>> store.close()

Names are loaded on first use, so ``import mapper`` (and ``mapper --help``) stays cheap; nothing
here imports Flask.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .errors import (
        ConflictError,
        MapperError,
        NotFoundError,
        StoreUnavailableError,
        ValidationError,
    )
    from .store import SQLiteStore, Store, Workspace, open_store

#: Where each public name lives; loaded lazily by ``__getattr__``.
_EXPORTS = {
    "open_store": "mapper.store",
    "Store": "mapper.store",
    "Workspace": "mapper.store",
    "SQLiteStore": "mapper.store",
    "MapperError": "mapper.errors",
    "ValidationError": "mapper.errors",
    "NotFoundError": "mapper.errors",
    "ConflictError": "mapper.errors",
    "StoreUnavailableError": "mapper.errors",
}

__all__ = [
    "ConflictError",
    "MapperError",
    "NotFoundError",
    "SQLiteStore",
    "Store",
    "StoreUnavailableError",
    "ValidationError",
    "Workspace",
    "__version__",
    "open_store",
]


def _version() -> str:
    # Read on first use: importlib.metadata costs tens of milliseconds at every `mapper` start.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("community-mapper")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
        return "0.0.0"


def __getattr__(name: str) -> Any:
    if name == "__version__":
        globals()[name] = value = _version()
        return value
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mapper' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
