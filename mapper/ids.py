"""Small shared values of the library that every layer may import without pulling in a store.

>>> UNSET, bool(UNSET), UNSET is type(UNSET)()
(UNSET, False, True)
"""

from __future__ import annotations

from typing import Any

__all__ = ["UNSET"]


class _Unset:
    """Sentinel for "not given" where ``None`` is a meaningful value."""

    _instance: _Unset | None = None

    def __new__(cls) -> _Unset:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET: Any = _Unset()
