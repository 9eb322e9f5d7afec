"""The exception hierarchy of community-mapper.

Every error raised on purpose by the library derives from :class:`MapperError`; the CLI turns
them into one clear line and the web app into a flashed message or a 4xx page.
"""

from __future__ import annotations

from collections.abc import Iterable


class MapperError(Exception):
    """Base class of all errors raised on purpose by community-mapper."""


class ValidationError(MapperError, ValueError):
    """A value does not fit the model: an unknown kind, a strength out of range, a bad date.

    Parameters
    ----------
    message : str
        What is wrong, naming the bad value.
    field : str, optional
        The field (attribute, column) the bad value was given for.
    value : object, optional
        The bad value itself.
    """

    def __init__(self, message: str, *, field: str | None = None, value: object = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.value = value


class NotFoundError(MapperError, LookupError):
    """An entity, tie or workspace does not exist (in this workspace).

    ``suggestions`` holds close matches where the lookup was by name.
    """

    def __init__(self, message: str, *, suggestions: Iterable[str] = ()):
        super().__init__(message)
        self.message = message
        self.suggestions = list(suggestions)

    def __str__(self) -> str:
        if self.suggestions:
            return f"{self.message} (bedoelde je: {', '.join(self.suggestions)}?)"
        return self.message


class ConflictError(MapperError):
    """A write clashes with the stored state (e.g. a duplicate id, a concurrent change)."""


class StoreUnavailableError(MapperError):
    """The configured store cannot be reached or opened (wrong URL, server down, bad login)."""
