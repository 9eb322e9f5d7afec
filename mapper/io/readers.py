"""Readers: turn an uploaded file into tables of rows, telling what format they found.

CSV is read as Dutch Excel writes it (semicolon separator, UTF-8 with a byte-order mark or
Windows-1252) as well as comma-separated UTF-8; a zip of CSV files (as the CSV export writes)
is read member by member; XLSX through openpyxl; GraphML and GEXF through networkx, turned into
the same rows as the ``Overige`` (nodes) and ``Relaties`` (edges) sheets
(:mod:`mapper.io.graphfiles`). What a reader accepts and the checks before anything is
unpacked are in :mod:`mapper.io.limits`; what it finds (``Table``, ``Found``) in
:mod:`mapper.io.found`.

Examples
--------
>>> data = "\\ufeffsoort;naam\\npersoon;José\\n".encode("utf-8")
>>> found = read_bytes(data, "scan.csv")
>>> found.format, found.tables[0].sheet.key, found.tables[0].rows
(FileFormat(kind='csv', delimiter='semicolon', encoding='utf-8-sig', parts=(), files=0), 'entities', [['persoon', 'José']])
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path
from typing import IO, Any

from ..i18n import N_, Message
from . import kumu
from .cells import QUOTE, restore
from .found import FileFormat, Found, Table
from .graphfiles import read_graph
from .limits import (
    DEFAULT_LIMITS,
    ZIP_ERRORS,
    Budget,
    Limits,
    ReadError,
    check_file_size,
    check_workbook,
    check_xml,
    check_zip,
    filled,
    open_zip,
    read_member,
)
from .templates import Sheet, guess_sheet, ignored_sheet, sheet_for

__all__ = [
    "DEFAULT_LIMITS",
    "FileFormat",
    "Found",
    "Limits",
    "ReadError",
    "Table",
    "check_xml",
    "check_zip",
    "decode_csv",
    "detect_delimiter",
    "open_bytes",
    "read_bytes",
    "read_csv",
    "read_file",
    "read_graph",
    "read_xlsx",
    "read_zip",
]

#: Formats recognised by their file name's ending.
EXTENSIONS = (".csv", ".txt", ".zip", ".xlsx", ".xlsm", ".graphml", ".gexf")
#: The byte-order mark Excel writes at the start of a UTF-8 CSV.
BOM = b"\xef\xbb\xbf"
#: Column delimiters tried on a CSV's header line, most likely first.
DELIMITERS = (";", ",", "\t")

#: The csv module's own cap on one field (characters); :attr:`Limits.cell_chars` is checked
#: on every cell as well.
CSV_FIELD_LIMIT = 1_000_000
csv.field_size_limit(CSV_FIELD_LIMIT)


# --------------------------------------------------------------------------- entry points


def read_file(path: str | Path, *, limits: Limits = DEFAULT_LIMITS) -> Found:
    """Read an import file from ``path``; the format follows from its ending and content."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ReadError(
            "file {path!r} cannot be opened ({strerror})",
            path=path.name,
            strerror=str(exc.strerror),
        ) from None
    check_file_size(size, limits)
    return read_bytes(path.read_bytes(), path.name, limits=limits)


def read_bytes(data: bytes, filename: str, *, limits: Limits = DEFAULT_LIMITS) -> Found:
    """Read an import file's bytes; ``filename`` tells its format (and, for a single CSV, which
    sheet it holds when the headers do not).

    Raises
    ------
    ReadError
        When the format is not supported, the content does not fit it, or the file goes
        beyond ``limits``.
    """
    check_file_size(len(data), limits)
    name = filename.lower()
    found: Found | None = None
    if name.endswith((".xlsx", ".xlsm")) or data[:2] == b"PK" and _is_xlsx(data):
        found = read_xlsx(data, limits=limits)
    elif name.endswith(".zip"):
        found = read_zip(data, limits=limits)
    elif name.endswith(".graphml"):
        found = read_graph(data, "graphml", limits=limits)
    elif name.endswith(".gexf"):
        found = read_graph(data, "gexf", limits=limits)
    elif name.endswith((".csv", ".txt")):
        table, fmt = read_csv(data, filename, budget=Budget(limits))
        found = Found(fmt, [table])
    if found is not None:
        found.limits = limits
        return found
    raise ReadError(
        "file {filename!r} has a format that cannot be imported (use one of {extensions})",
        field="file",
        value=filename,
        filename=filename,
        extensions=", ".join(EXTENSIONS),
    )


def _is_xlsx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "xl/workbook.xml" in zf.namelist()
    except zipfile.BadZipFile:
        return False


# --------------------------------------------------------------------------- CSV


def decode_csv(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes: UTF-8 with a BOM, UTF-8, or else Windows-1252. Returns
    ``(text, encoding description)``.

    >>> decode_csv("naam\\nCafé".encode("cp1252"))
    ('naam\\nCafé', 'Windows-1252')
    """
    if data.startswith(BOM):
        try:
            return data[len(BOM) :].decode("utf-8", errors="strict"), "UTF-8 with BOM"
        except UnicodeDecodeError as exc:
            raise ReadError(
                "the file starts with a UTF-8 mark but is not UTF-8 (byte {byte}); save "
                "it again as CSV UTF-8",
                code="encoding",
                params={"byte": exc.start + len(BOM) + 1},
            ) from None
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "Windows-1252"


def detect_delimiter(text: str) -> str:
    """The delimiter of a CSV text: the one of ``; , tab`` found most often on its first line
    outside quotes (a semicolon wins a tie, as Dutch Excel writes it).

    >>> detect_delimiter('naam;"plaats, land"\\n'), detect_delimiter("a,b\\n")
    (';', ',')
    """
    line = text.split("\n", 1)[0]
    outside = re.sub(r'"[^"]*"', "", line)
    counts = {d: outside.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: (counts[d], -DELIMITERS.index(d)))
    return best if counts[best] else ";"


#: The code of each delimiter, as :class:`~mapper.io.found.FileFormat` keeps it.
_DELIMITER_CODES = {";": "semicolon", ",": "comma", "\t": "tab"}
#: The code of each encoding :func:`decode_csv` describes.
_ENCODING_CODES = {"UTF-8 with BOM": "utf-8-sig", "UTF-8": "utf-8", "Windows-1252": "cp1252"}


def read_csv(
    data: bytes, filename: str, *, sheet: Sheet | None = None, budget: Budget | None = None
) -> tuple[Table, FileFormat]:
    """One CSV file as a :class:`Table`, and a description of the format found. Rows are
    read one by one and counted against the file's :class:`Limits`."""
    budget = budget or Budget(DEFAULT_LIMITS)
    text, encoding = decode_csv(data)
    del data
    delimiter = detect_delimiter(text)
    rows: list[list[Any]] = []
    # a neutralised formula (cells.py) is a cell that starts with QUOTE: at the start of the
    # text, of a line, after a delimiter or an opening double quote; none there, none to undo
    quoted = re.search(f'(?:^|[\r\n{re.escape(delimiter)}"]){QUOTE}', text) is not None
    limits = budget.limits
    most_rows, most_columns, most_cells = limits.rows + 1, limits.columns, limits.cells
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            width = len(row)
            if (
                budget.rows >= most_rows
                or width > most_columns
                or budget.cells + width > most_cells
                or (width and max(map(len, row)) > limits.cell_chars)
            ):
                budget.row(row, filename)  # says what is too big (or counts the row)
            else:  # what Budget.row counts, for a row within every limit
                budget.rows += 1
                budget.cells += width
            rows.append([restore(v) for v in row] if quoted else row)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            limit = budget.limits.cell_chars
            raise ReadError(
                "sheet {sheet!r} has a cell of more than {limit} characters",
                code="cell_chars",
                params={"limit": limit, "sheet": filename},
            ) from None
        raise ReadError(
            "sheet {sheet!r} is not a readable CSV file ({reason})",
            code="csv",
            params={"sheet": filename},
            reason=str(exc),
        ) from None
    fmt = FileFormat(
        "csv", delimiter=_DELIMITER_CODES[delimiter], encoding=_ENCODING_CODES[encoding]
    )
    return _table(rows, filename, sheet=sheet), fmt


def _table(rows: list[list[Any]], title: str, *, sheet: Sheet | None = None) -> Table:
    """Build a table from raw rows: the first non-empty row holds the headers."""
    header_at = next((i for i, r in enumerate(rows) if any(filled(v) for v in r)), None)
    if header_at is None:
        raise ReadError("sheet {title!r} is empty", field="file", value=title, title=title)
    headers = [str(h).strip() if h is not None else "" for h in rows[header_at]]
    foreign = kumu.table_for(rows, title, header_at)  # a Kumu or Gephi sheet (issue 16)
    if foreign is not None:
        return foreign
    found = sheet or guess_sheet(headers) or sheet_for(title)
    if found is None:
        raise ReadError(
            "sheet {title!r} does not look like a template (headers: {headers})",
            field="file",
            value=title,
            title=title,
            headers=", ".join(headers),
        )
    missing = [
        c.header
        for c in found.columns
        if c.required and not any(found.column_for(h) is c for h in headers)
    ]
    if missing:
        raise ReadError(
            "sheet {title!r} misses the column(s) {columns}",
            field="file",
            value=title,
            title=title,
            columns=", ".join(repr(m) for m in missing),
        )
    return Table(found, title, headers, rows[header_at + 1 :], first_row=header_at + 2)


def _format_key(fmt: FileFormat) -> tuple[str, str]:
    return fmt.delimiter or "", fmt.encoding or ""


def read_zip(data: bytes, *, limits: Limits = DEFAULT_LIMITS) -> Found:
    """A zip of template CSV files (as the CSV export writes it)."""
    zf = open_zip(data, N_("the zip file is damaged"))
    tables: list[Table] = []
    formats: set[FileFormat] = set()
    notes: list[Message | str] = []
    budget = Budget(limits)
    with zf:
        members = sorted(
            (i for i in zf.infolist() if i.filename.lower().endswith(".csv") and not i.is_dir()),
            key=lambda i: i.filename,
        )
        check_zip(zf, limits, members)
        for info in members:
            name = Path(info.filename).name
            table, fmt = read_csv(
                read_member(zf, info, limits), name, sheet=sheet_for(name), budget=budget
            )
            tables.append(table)
            formats.add(fmt)
    if not tables:
        raise ReadError("the zip file holds no CSV files", field="file")
    return Found(
        FileFormat("zip", parts=tuple(sorted(formats, key=_format_key)), files=len(tables)),
        tables,
        notes,
    )


# --------------------------------------------------------------------------- XLSX


def _sheet_rows(ws: Any, budget: Budget) -> list[Any]:
    """A worksheet's rows, streamed (read-only mode) and counted against the budget.

    Only the first ``columns + 1`` columns are read (a filled cell in the one past the limit is
    refused); the sheet's own dimension is not trusted (a 5 KB file may claim 16,384 columns
    by a million rows), and empty rows past the last filled one are not kept.
    """
    rows: list[Any] = []
    pending = 0  # empty rows seen since the last filled one
    limit = budget.limits.columns + 1
    ws.reset_dimensions()
    empty = (None,) * limit
    for row in ws.iter_rows(max_col=limit, values_only=True):
        if row == empty or not any(filled(v) for v in row):
            pending += 1
            continue
        if pending:
            for _ in range(pending):
                budget.row((), ws.title)
                rows.append(())
            pending = 0
        trimmed = list(row)
        while trimmed and not filled(trimmed[-1]):
            trimmed.pop()
        budget.row(trimmed, ws.title)
        rows.append(trimmed)
    return rows


def read_xlsx(data: bytes, *, limits: Limits = DEFAULT_LIMITS) -> Found:
    """An Excel workbook: every worksheet that looks like a template becomes a table.

    The workbook is checked like a zip first (:func:`check_zip`), then read in openpyxl's
    read-only (streaming) mode, row by row.
    """
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    check_workbook(data, limits)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, ValueError, TypeError, *ZIP_ERRORS) as exc:
        raise ReadError(
            "the Excel file cannot be read ({reason})", code="excel", reason=str(exc)
        ) from None
    except Exception as exc:  # noqa: BLE001 - a damaged workbook's XML raises many kinds
        raise ReadError(
            "the Excel file cannot be read ({reason})", code="excel", reason=str(exc)
        ) from None
    tables: list[Table] = []
    notes: list[Message | str] = []
    budget = Budget(limits)
    try:
        for ws in wb.worksheets:
            if ignored_sheet(ws.title):  # the template's help sheet, Kumu's "… (ignore)"
                continue
            try:
                rows = _sheet_rows(ws, budget)
            except ReadError:
                raise
            except Exception as exc:  # noqa: BLE001 - damaged sheet XML, zip or number
                raise ReadError(
                    "sheet {title!r} of the Excel file cannot be read ({reason})",
                    code="excel",
                    title=ws.title,
                    reason=str(exc),
                ) from None
            if not rows:
                continue
            try:
                tables.append(_table(rows, ws.title, sheet=sheet_for(ws.title)))
            except ReadError as exc:
                if sheet_for(ws.title) is not None:
                    raise
                notes.append(
                    Message("sheet {title!r} skipped: {reason}", title=ws.title, reason=exc)
                )
    finally:
        wb.close()
    if not tables:
        raise ReadError("the Excel file holds no sheet shaped like a template", field="file")
    return Found(FileFormat("xlsx"), tables, notes)


def open_bytes(source: str | Path | bytes | IO[bytes]) -> bytes:
    """The bytes of a path, an open binary file, or bytes."""
    if isinstance(source, bytes):
        return source
    if isinstance(source, (str, Path)):
        return Path(source).read_bytes()
    return source.read()
