"""The exception hierarchy of community-mapper.

Every error raised on purpose by the library derives from :class:`MapperError`; the CLI turns
them into one clear line and the web app into a flashed message or a 4xx page.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import Any

from .i18n import Message, format_date, format_number, render


class MapperError(Exception):
    """Base class of all errors raised on purpose by community-mapper.

    An error carries an English *message id* and its values, not a finished sentence: the
    sentence is made in the reader's language when it is shown (:mod:`mapper.i18n`), so the
    same error reads in Dutch on a Dutch page and in English in an English shell.

    >>> from mapper.i18n import use_language
    >>> err = NotFoundError("no {kind} called {name!r}", kind="Theme", name="duurzaam",
    ...                     suggestions=["duurzaamheid"])
    >>> with use_language("en"):
    ...     str(err)
    "no Theme called 'duurzaam' (did you mean: duurzaamheid?)"
    >>> err.msgid, err.params["name"]
    ('no {kind} called {name!r}', 'duurzaam')
    """

    def __init__(self, message: object = "", /, **params: Any):
        msgid = message.msgid if isinstance(message, Message) else str(message)
        if isinstance(message, Message):
            params = {**message.params, **params}
        super().__init__(msgid)
        self.msgid = msgid
        self.params = params

    @property
    def message(self) -> str:
        """The sentence in the reader's language."""
        return render(self.msgid, self.params)

    def as_message(self) -> Message:
        """The message id and values, to show later in whatever language is read then."""
        return Message(self.msgid, **self.params)

    def __str__(self) -> str:
        return self.message


class Day(Message):
    """A date a message names, written out the reader's way when the message is shown.

    >>> import datetime
    >>> from mapper.i18n import use_language
    >>> err = ValidationError("until {until} lies before since {since}",
    ...                       until=Day(datetime.date(2020, 1, 1)), since=Day("2021-03-04"))
    >>> with use_language("en"):
    ...     err.message
    'until 1 January 2020 lies before since 4 March 2021'
    """

    __slots__ = ()

    def __init__(self, day: _dt.date | str) -> None:
        super().__init__("{day}", day=day)

    def __str__(self) -> str:
        return format_date(self.params["day"])


class Number(Message):
    """A number a message names, written the reader's way when the message is shown
    (``10.000`` in Dutch, ``10,000`` in English)."""

    __slots__ = ()

    def __init__(self, value: float) -> None:
        super().__init__("{value}", value=value)

    def __str__(self) -> str:
        return format_number(self.params["value"])


class ValidationError(MapperError, ValueError):
    """A value does not fit the model: an unknown kind, a strength out of range, a bad date.

    Parameters
    ----------
    message : str
        What is wrong: an English message id with ``{name}`` fields for the values.
    field : str, optional
        The field (attribute, column) the bad value was given for.
    value : object, optional
        The bad value itself.
    **params
        The values the message names.
    """

    def __init__(
        self, message: object, *, field: str | None = None, value: object = None, **params: Any
    ):
        super().__init__(message, **params)
        self.field = field
        self.value = value


class NotFoundError(MapperError, LookupError):
    """An entity, tie or workspace does not exist (in this workspace).

    ``suggestions`` holds close matches where the lookup was by name.
    """

    def __init__(self, message: object, *, suggestions: Iterable[str] = (), **params: Any):
        super().__init__(message, **params)
        self.suggestions = list(suggestions)

    @property
    def message(self) -> str:
        text = render(self.msgid, self.params)
        if self.suggestions:
            return render(
                "{message} (did you mean: {suggestions}?)",
                {"message": text, "suggestions": ", ".join(self.suggestions)},
            )
        return text


class ConflictError(MapperError):
    """A write clashes with the stored state (e.g. a duplicate id, a concurrent change)."""


class StoreUnavailableError(MapperError):
    """The configured store cannot be reached or opened (wrong URL, server down, bad login)."""


#: ``errno`` values that mean the disk (or the file's allowance) is full.
_FULL_ERRNOS = frozenset({28, 27, 122})  # ENOSPC, EFBIG, EDQUOT
#: SQLite's primary result codes for a full disk and a failed write (SQLITE_FULL, SQLITE_IOERR).
_SQLITE_FULL_CODES = frozenset({13, 10})


def is_disk_full(exc: BaseException) -> bool:
    """True if ``exc``, or an exception it was raised from, says the disk is full or a file
    could not be written (``ENOSPC``, a file size limit, SQLite's "database or disk is full"
    or "disk I/O error").

    >>> is_disk_full(OSError(28, "No space left on device")), is_disk_full(ValueError("x"))
    (True, False)
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in _FULL_ERRNOS:
            return True
        code = getattr(current, "sqlite_errorcode", None)
        if isinstance(code, int) and code & 0xFF in _SQLITE_FULL_CODES:
            return True
        text = str(current)
        if "database or disk is full" in text or "disk I/O error" in text:
            return True
        current = current.__cause__ or current.__context__
    return False


#: What the command line says when :func:`is_disk_full`.
DISK_FULL_MESSAGE = (
    "the disk is full or cannot be written; nothing was written (the data is as it was "
    "before). Free up space and try again"
)
