"""What a reader finds in a file: its :class:`Table` per sheet, the :class:`FileFormat` it
found, and the :class:`Found` that holds them.

The format is kept as values (the kind of file; for a CSV its delimiter and encoding), never
as a sentence, and said in the reader's language when it is shown; an upload's JSON keeps the
values (:meth:`FileFormat.to_json`), and an upload stored before that, with an English
sentence, still shows that sentence (:meth:`FileFormat.from_json`).

>>> from mapper.i18n import use_language
>>> csv = FileFormat("csv", delimiter="semicolon", encoding="utf-8-sig")
>>> with use_language("nl"):
...     str(csv), str(FileFormat("zip", parts=(csv,), files=2))
('CSV (puntkomma, UTF-8 met BOM)', 'zip met 2 CSV-bestanden: CSV (puntkomma, UTF-8 met BOM)')
>>> with use_language("en"):
...     str(csv)
'CSV (semicolon, UTF-8 with BOM)'
>>> FileFormat.from_json(csv.to_json()) == csv, FileFormat.from_json("CSV (comma, UTF-8)")
(True, 'CSV (comma, UTF-8)')
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..i18n import Message, gettext, ngettext
from ..labels import label
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

    def cells(self, name: str) -> Iterator[Any]:
        """The cells of field ``name`` row by row, as :meth:`records` gives them (the last
        column of that field; ``None`` where a row is short), blank rows included; nothing
        when no column has that field."""
        index = next(
            (
                i
                for i in reversed(range(len(self.columns)))
                if (c := self.columns[i]) and c.field == name
            ),
            None,
        )
        if index is None:
            return
        for row in self.rows:
            yield row[index] if index < len(row) else None

    @property
    def unknown_headers(self) -> list[str]:
        return [h for h, c in zip(self.headers, self.columns) if h and c is None]


#: Names of file formats; names, not words, so said the same in every language.
FORMAT_NAMES: dict[str, str] = {"xlsx": "Excel (XLSX)", "graphml": "GraphML", "gexf": "GEXF"}
#: Names of encodings, the same in every language (one with words: ``labels`` ``encoding``).
ENCODING_NAMES: dict[str, str] = {"utf-8": "UTF-8", "cp1252": "Windows-1252"}


@dataclass(frozen=True)
class FileFormat:
    """The format a reader found, as values: ``kind`` is ``csv``, ``zip`` (of CSV files),
    ``xlsx``, ``graphml``, ``gexf``, or ``files`` (several files read as one); a CSV has its
    ``delimiter`` (``semicolon``, ``comma``, ``tab``) and ``encoding`` (``utf-8-sig``,
    ``utf-8``, ``cp1252``); a zip and several files have their ``parts`` (a zip's distinct
    member formats) and a zip the number of its CSV ``files``.

    ``str()`` says it in the reader's language (:mod:`mapper.labels`, categories
    ``delimiter`` and ``encoding``).
    """

    kind: str
    delimiter: str | None = None
    encoding: str | None = None
    parts: tuple[FileFormat, ...] = ()
    files: int = 0

    def __str__(self) -> str:
        if self.kind == "csv":
            return gettext("CSV ({delimiter}, {encoding})").format(
                delimiter=label(self.delimiter, "delimiter"),
                encoding=ENCODING_NAMES.get(self.encoding or "")
                or label(self.encoding, "encoding"),
            )
        if self.kind == "zip":
            formats = " / ".join(sorted(str(p) for p in self.parts))
            return ngettext(
                "zip of {n} CSV file: {formats}", "zip of {n} CSV files: {formats}", self.files
            ).format(n=self.files, formats=formats)
        if self.kind == "files":
            return " + ".join(str(p) for p in self.parts)
        return FORMAT_NAMES.get(self.kind, self.kind)

    def to_json(self) -> dict[str, Any]:
        """The values as plain JSON data, for :meth:`from_json`."""
        data: dict[str, Any] = {"kind": self.kind}
        if self.delimiter:
            data["delimiter"] = self.delimiter
        if self.encoding:
            data["encoding"] = self.encoding
        if self.parts:
            data["parts"] = [p.to_json() for p in self.parts]
        if self.files:
            data["files"] = self.files
        return data

    @classmethod
    def from_json(cls, data: Any) -> FileFormat | str:
        """The format of :meth:`to_json`'s data; a plain string (an upload stored before the
        format was kept as values) comes back as it is, to be shown as it was."""
        if not isinstance(data, dict):
            return str(data)
        parts = tuple(cls.from_json(p) for p in data.get("parts") or ())
        return cls(
            kind=str(data.get("kind", "")),
            delimiter=data.get("delimiter"),
            encoding=data.get("encoding"),
            parts=tuple(p for p in parts if isinstance(p, FileFormat)),
            files=int(data.get("files") or 0),
        )


def format_to_json(value: FileFormat | str) -> Any:
    """A :attr:`Found.format` as JSON data (a plain string stays one)."""
    return value.to_json() if isinstance(value, FileFormat) else value


@dataclass
class Found:
    """What a file held: the format found (:class:`FileFormat`; a plain string when it comes
    from an upload stored before formats were kept as values) and its tables (sheets)."""

    format: FileFormat | str
    tables: list[Table]
    notes: list[Message | str] = field(default_factory=list)
    #: The limits the file was read with (the import plan holds it to them too).
    limits: Limits = DEFAULT_LIMITS

    @property
    def rows(self) -> int:
        return sum(len(t.rows) for t in self.tables)
