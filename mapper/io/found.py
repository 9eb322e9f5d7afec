"""What a reader finds in a file: its :class:`Table` per sheet and the :class:`Found` that
holds them with a description of the file's format.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..i18n import Message
from .limits import DEFAULT_LIMITS, Limits
from .templates import Column, Sheet


@dataclass
class Table:
    """One sheet of a file: its template, its title, the headers and the rows (lists of cell
    values in header order). ``first_row`` is the spreadsheet row number of ``rows[0]``."""

    sheet: Sheet
    title: str
    headers: list[str]
    rows: list[list[Any]]
    first_row: int = 2
    columns: list[Column | None] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.columns:
            self.columns = [self.sheet.column_for(h) if h else None for h in self.headers]

    def records(self) -> Iterable[tuple[int, dict[str, Any]]]:
        """``(row number, {field: value})`` for every non-empty row."""
        cols = [(i, c.field) for i, c in enumerate(self.columns) if c is not None]
        for offset, row in enumerate(self.rows):
            for value in row:  # skip rows with nothing but blanks
                if value is not None and (type(value) is not str or value.strip()):
                    break
            else:
                continue
            record = {f: (row[i] if i < len(row) else None) for i, f in cols}
            yield self.first_row + offset, record

    @property
    def unknown_headers(self) -> list[str]:
        return [h for h, c in zip(self.headers, self.columns) if h and c is None]


@dataclass
class Found:
    """What a file held: a description of its format and its tables (sheets)."""

    format: str
    tables: list[Table]
    notes: list[Message | str] = field(default_factory=list)
    #: The limits the file was read with (the import plan holds it to them too).
    limits: Limits = DEFAULT_LIMITS

    @property
    def rows(self) -> int:
        return sum(len(t.rows) for t in self.tables)
