"""Readers: turn an uploaded file into tables of rows, telling what format they found.

CSV is read as Dutch Excel writes it (semicolon separator, UTF-8 with a byte-order mark or
Windows-1252) as well as comma-separated UTF-8; a zip of CSV files (as the CSV export writes)
is read member by member; XLSX through openpyxl; GraphML and GEXF through networkx, turned into
the same rows as the ``Overige`` (nodes) and ``Relaties`` (edges) sheets.

Examples
--------
>>> data = "\\ufeffsoort;naam\\npersoon;José\\n".encode("utf-8")
>>> found = read_bytes(data, "scan.csv")
>>> found.format, found.tables[0].sheet.key, found.tables[0].rows
('CSV (semicolon, UTF-8 with BOM)', 'entities', [['persoon', 'José']])
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

import networkx as nx

from ..errors import ValidationError
from ..i18n import N_, Message, format_number, render
from . import kumu
from .cells import restore
from .directions import edge_directions
from .templates import DIRECTION, OTHERS, TIES, Column, Sheet, guess_sheet, ignored_sheet, sheet_for

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


@dataclass(frozen=True)
class Limits:
    """What a reader accepts from one file; anything beyond is refused with a :class:`ReadError`
    naming the limit (no input may take unbounded memory or time).

    The defaults keep the peak memory of reading and planning any file well under 300 MB
    (``tests/test_hardening_files.py`` measures it with the bombs in ``tests/data/bad``).
    """

    #: Data rows in one file, all sheets together.
    rows: int = 50_000
    #: Columns of one sheet.
    columns: int = 64
    #: Cells kept (rows times their width), all sheets together.
    cells: int = 1_000_000
    #: Characters in one cell.
    cell_chars: int = 100_000
    #: Bytes of the file itself (the web app allows 20 MB uploads).
    file_bytes: int = 64 * 1024 * 1024
    #: Bytes of a zip's (or workbook's) members once uncompressed, together.
    uncompressed_bytes: int = 64 * 1024 * 1024
    #: Bytes of a workbook's shared strings once uncompressed (openpyxl keeps them all).
    shared_strings_bytes: int = 16 * 1024 * 1024
    #: Largest ratio of uncompressed to compressed size of a member above one megabyte.
    ratio: int = 100
    #: Entities and ties one file may name (list cells name many per row).
    entities: int = 100_000
    ties: int = 200_000
    #: Elements of a GraphML or GEXF file, and how deep they nest.
    xml_elements: int = 1_000_000
    xml_depth: int = 64


DEFAULT_LIMITS = Limits()
#: Members smaller than this are not held to :attr:`Limits.ratio` (tiny files compress well).
RATIO_FLOOR = 1024 * 1024


class ReadError(ValidationError):
    """A file cannot be read at all (wrong format, broken zip, no known sheet, over a limit).

    ``code`` names the kind of problem; ``params`` (plain text and numbers, kept with an
    upload) are its values, for the message id and for an interface that says it in its own
    words (the web app does). ``message`` renders it in the reader's language, numbers the
    reader's way (``1.000.000``).

    >>> from mapper.i18n import use_language
    >>> err = ReadError("the file has more than {limit} rows", code="rows", limit=1_000_000)
    >>> with use_language("nl"):
    ...     err.message
    'het bestand heeft meer dan 1.000.000 rijen'
    """

    def __init__(
        self,
        message: str,
        *,
        code: str = "unreadable",
        params: dict[str, Any] | None = None,
        field: str | None = "file",
        value: object = None,
        **values: Any,
    ):
        super().__init__(message, field=field, value=value, **{**(params or {}), **values})
        self.code = code

    @property
    def message(self) -> str:
        numbers = {
            k: format_number(v) if isinstance(v, int) and not isinstance(v, bool) else v
            for k, v in self.params.items()
        }
        return render(self.msgid, numbers)


class _Budget:
    """Rows and cells read so far from one file, checked against its :class:`Limits`."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.rows = 0
        self.cells = 0

    def row(self, row: list[Any] | tuple[Any, ...], where: str) -> None:
        limits = self.limits
        self.rows += 1
        if self.rows > limits.rows + 1:  # + the header row
            raise ReadError(
                "the file has more than {limit} rows (the most one import takes)",
                code="rows",
                params={"limit": limits.rows},
            )
        width = len(row)
        if width > limits.columns:
            last = max((i for i, v in enumerate(row) if _filled(v)), default=-1)
            if last >= limits.columns:
                raise ReadError(
                    "sheet {sheet!r} has more than {limit} columns",
                    code="columns",
                    params={"limit": limits.columns, "sheet": where},
                )
        self.cells += width
        if self.cells > limits.cells:
            raise ReadError(
                "the file has more than {limit} cells (the most one import takes)",
                code="cells",
                params={"limit": limits.cells},
            )
        for value in row:
            if type(value) is str and len(value) > limits.cell_chars:
                raise ReadError(
                    "sheet {sheet!r} has a cell of more than {limit} characters",
                    code="cell_chars",
                    params={"limit": limits.cell_chars, "sheet": where},
                )


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


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


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
    _check_file_size(size, limits)
    return read_bytes(path.read_bytes(), path.name, limits=limits)


def _check_file_size(size: int, limits: Limits) -> None:
    if size > limits.file_bytes:
        raise ReadError(
            "the file is larger than {limit_mb} MB",
            code="file_bytes",
            params={"limit_mb": limits.file_bytes // (1024 * 1024)},
        )


def read_bytes(data: bytes, filename: str, *, limits: Limits = DEFAULT_LIMITS) -> Found:
    """Read an import file's bytes; ``filename`` tells its format (and, for a single CSV, which
    sheet it holds when the headers do not).

    Raises
    ------
    ReadError
        When the format is not supported, the content does not fit it, or the file goes
        beyond ``limits``.
    """
    _check_file_size(len(data), limits)
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
        table, fmt = read_csv(data, filename, budget=_Budget(limits))
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


_DELIMITER_WORDS = {";": "semicolon", ",": "comma", "\t": "tab"}


def read_csv(
    data: bytes, filename: str, *, sheet: Sheet | None = None, budget: _Budget | None = None
) -> tuple[Table, str]:
    """One CSV file as a :class:`Table`, and a description of the format found. Rows are
    read one by one and counted against the file's :class:`Limits`."""
    budget = budget or _Budget(DEFAULT_LIMITS)
    text, encoding = decode_csv(data)
    del data
    delimiter = detect_delimiter(text)
    rows: list[list[Any]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            budget.row(row, filename)
            rows.append([restore(v) for v in row])  # a neutralised formula: cells.py
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
    fmt = f"CSV ({_DELIMITER_WORDS[delimiter]}, {encoding})"
    return _table(rows, filename, sheet=sheet), fmt


def _table(rows: list[list[Any]], title: str, *, sheet: Sheet | None = None) -> Table:
    """Build a table from raw rows: the first non-empty row holds the headers."""
    header_at = next((i for i, r in enumerate(rows) if any(_filled(v) for v in r)), None)
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


#: Compression methods the zip module can undo.
ZIP_METHODS = frozenset(
    {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
)
#: What a damaged or unusual zip member raises while it is read.
_ZIP_ERRORS = (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError, zlib.error, OSError)


def _open_zip(data: bytes, damaged: str) -> zipfile.ZipFile:
    """The zip file (or Excel file) in ``data``; ``damaged`` is the message id if it is not one."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, *_ZIP_ERRORS):
        raise ReadError(damaged, code="damaged") from None


def check_zip(zf: zipfile.ZipFile, limits: Limits, members: Iterable[zipfile.ZipInfo]) -> None:
    """Refuse encrypted members, compression methods the zip module cannot undo, and members
    that would unpack beyond ``limits`` (in all, or by their ratio): before anything is
    unpacked."""
    total = 0
    for info in members:
        name = Path(info.filename).name
        if info.flag_bits & 0x1:
            raise ReadError(
                "{member!r} in the zip file is encrypted (protected with a password)",
                code="encrypted",
                params={"member": name},
            )
        if info.compress_type not in ZIP_METHODS:
            raise ReadError(
                "{member!r} in the zip file is packed with compression method "
                "{method}, which cannot be read; pack it again as a normal zip",
                code="compression",
                params={"member": name, "method": str(info.compress_type)},
            )
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > limits.ratio:
            raise ReadError(
                "{member!r} in the zip file would unpack to {ratio} times its size "
                "(at most {limit} times)",
                code="ratio",
                params={"member": name, "limit": limits.ratio},
                ratio=round(ratio),
            )
    if total > limits.uncompressed_bytes:
        raise ReadError(
            "the zip file would unpack to more than {limit_mb} MB",
            code="uncompressed",
            params={"limit_mb": limits.uncompressed_bytes // (1024 * 1024)},
        )


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> bytes:
    """A member's bytes, never more than ``limits`` allow (whatever its header claims)."""
    try:
        with zf.open(info) as fh:
            data = fh.read(limits.uncompressed_bytes + 1)
    except _ZIP_ERRORS as exc:
        raise ReadError(
            "{member!r} in the zip file cannot be unpacked ({reason})",
            code="member",
            params={"member": Path(info.filename).name},
            reason=str(exc),
        ) from None
    if len(data) > limits.uncompressed_bytes:
        raise ReadError(
            "the zip file would unpack to more than {limit_mb} MB",
            code="uncompressed",
            params={"limit_mb": limits.uncompressed_bytes // (1024 * 1024)},
        )
    return data


def read_zip(data: bytes, *, limits: Limits = DEFAULT_LIMITS) -> Found:
    """A zip of template CSV files (as the CSV export writes it)."""
    zf = _open_zip(data, N_("the zip file is damaged"))
    tables: list[Table] = []
    formats: set[str] = set()
    notes: list[Message | str] = []
    budget = _Budget(limits)
    with zf:
        members = sorted(
            (i for i in zf.infolist() if i.filename.lower().endswith(".csv") and not i.is_dir()),
            key=lambda i: i.filename,
        )
        check_zip(zf, limits, members)
        for info in members:
            name = Path(info.filename).name
            table, fmt = read_csv(
                _read_member(zf, info, limits), name, sheet=sheet_for(name), budget=budget
            )
            tables.append(table)
            formats.add(fmt)
    if not tables:
        raise ReadError("the zip file holds no CSV files", field="file")
    return Found(f"zip of {len(tables)} " + " / ".join(sorted(formats)), tables, notes)


# --------------------------------------------------------------------------- XLSX


def _check_workbook(data: bytes, limits: Limits) -> None:
    """The zip checks of :func:`check_zip` for a workbook, plus its shared strings (which
    openpyxl keeps in memory whole)."""
    with _open_zip(data, N_("the Excel file is damaged")) as zf:
        infos = zf.infolist()
        check_zip(zf, limits, infos)
        for info in infos:
            if info.filename.lower() == "xl/sharedstrings.xml" and (
                info.file_size > limits.shared_strings_bytes
            ):
                raise ReadError(
                    "the Excel file holds more than {limit_mb} MB of text",
                    code="shared_strings",
                    params={"limit_mb": limits.shared_strings_bytes // (1024 * 1024)},
                )


def _sheet_rows(ws: Any, budget: _Budget) -> list[Any]:
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
        if row == empty or not any(_filled(v) for v in row):
            pending += 1
            continue
        if pending:
            for _ in range(pending):
                budget.row((), ws.title)
                rows.append(())
            pending = 0
        trimmed = list(row)
        while trimmed and not _filled(trimmed[-1]):
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

    _check_workbook(data, limits)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, ValueError, TypeError, *_ZIP_ERRORS) as exc:
        raise ReadError(
            "the Excel file cannot be read ({reason})", code="excel", reason=str(exc)
        ) from None
    except Exception as exc:  # noqa: BLE001 - a damaged workbook's XML raises many kinds
        raise ReadError(
            "the Excel file cannot be read ({reason})", code="excel", reason=str(exc)
        ) from None
    tables: list[Table] = []
    notes: list[Message | str] = []
    budget = _Budget(limits)
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
    return Found("Excel (XLSX)", tables, notes)


# --------------------------------------------------------------------------- graphs

#: Node attributes Gephi adds for layout; not taken over as properties.
GEPHI_LAYOUT = frozenset(
    {
        "x",
        "y",
        "z",
        "size",
        "r",
        "g",
        "b",
        "color",
        "viz",
        "label",
        "id",
        "pid",
        "spells",
        "start",
        "end",
        "networkx_key",
        "weight",
        "type",
    }
)
NODE_FIELDS = ("kind", "name", "since", "until", "notes", "props", "mode")
EDGE_FIELDS = ("kind", "strength", "since", "until", "role", "origin", "props", "id")


def _latest(value: Any) -> Any:
    """The latest value of a dynamic GEXF attribute (a list of (value, start, end))."""
    if isinstance(value, list) and value and isinstance(value[0], tuple):
        ordered = sorted(value, key=lambda v: (v[1] is not None, str(v[1] or "")))
        return ordered[-1][0]
    return value


def _prop_key(key: str) -> str:
    return re.sub(r"[^0-9A-Za-z_]+", "_", key).strip("_") or "attribute"


def check_xml(data: bytes, limits: Limits = DEFAULT_LIMITS, *, what: str = "XML") -> int:
    """Scan XML with expat, keeping nothing: refuse a DOCTYPE (entities, "billion laughs"),
    more than ``limits.xml_elements`` elements or nesting deeper than ``limits.xml_depth``.
    Returns the number of ``node`` and ``edge`` elements, for the row limit."""
    parser = expat.ParserCreate()
    depth = [0]
    counts = [0, 0]  # elements, nodes + edges

    def refuse_doctype(*_args: Any) -> None:
        raise ReadError(
            "the {what} file declares a DOCTYPE or entities, which are not accepted",
            code="xml_doctype",
            what=what,
        )

    def start(name: str, _attrs: Any) -> None:
        depth[0] += 1
        counts[0] += 1
        if depth[0] > limits.xml_depth:
            raise ReadError(
                "the {what} file nests deeper than {limit} levels",
                code="xml_depth",
                params={"limit": limits.xml_depth},
                what=what,
            )
        if counts[0] > limits.xml_elements:
            raise ReadError(
                "the {what} file has more than {limit} elements",
                code="xml_elements",
                params={"limit": limits.xml_elements},
                what=what,
            )
        local = name.rsplit("}", 1)[-1].rsplit(":", 1)[-1]
        if local in ("node", "edge"):
            counts[1] += 1

    def end(_name: str) -> None:
        depth[0] -= 1

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_doctype
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise ReadError(
            "the {what} file cannot be read ({reason}, line {line})",
            code="xml",
            what=what,
            reason=str(expat.ErrorString(exc.code)),
            line=exc.lineno,
        ) from None
    return counts[1]


def read_graph(data: bytes, fmt: str, *, limits: Limits = DEFAULT_LIMITS) -> Found:
    """A GraphML or GEXF file (as written by networkx or Gephi) as node and edge tables.

    Nodes need ``kind``; ``name`` falls back on the GEXF label, then the node id. Edges need
    ``kind``; ``strength``, ``since``, ``until`` (or GEXF ``start``/``end``), ``role``,
    ``origin`` are read when present. Other plain node attributes become properties. The file
    is scanned first (:func:`check_xml`), so a bomb never reaches the XML tree builder.
    """
    items = check_xml(data, limits, what=fmt.upper())
    if items > limits.rows:
        raise ReadError(
            "the file has more than {limit} rows (the most one import takes)",
            code="rows",
            params={"limit": limits.rows},
        )
    data, directions = edge_directions(data, fmt)  # undirected edges: see plan (issue 16)
    try:
        if fmt == "graphml":
            graph = nx.read_graphml(io.BytesIO(data))
        else:
            graph = nx.read_gexf(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - networkx raises many kinds on bad XML
        raise ReadError(
            "the {what} file cannot be read ({reason})",
            code="xml",
            what=fmt.upper(),
            reason=str(exc),
        ) from None
    node_headers = ["ref", "id", "kind", "name", "since", "until", "notes", "mode", "extra"]
    node_rows: list[list[Any]] = []
    for key, attrs in graph.nodes(data=True):
        attrs = {k: _latest(v) for k, v in attrs.items()}
        extra = {}
        if isinstance(attrs.get("props"), str) and attrs["props"].strip():
            try:
                loaded = json.loads(attrs["props"])
                extra = loaded if isinstance(loaded, dict) else {}
            except (ValueError, RecursionError):
                extra = {"props": attrs["props"]}
        for k, v in attrs.items():
            if (
                k not in NODE_FIELDS
                and k not in GEPHI_LAYOUT
                and isinstance(v, (str, int, float, bool))
            ):
                extra.setdefault(_prop_key(k), v)
        name = attrs.get("name") or attrs.get("label") or str(key)
        node_rows.append(
            [
                str(key),
                str(key),
                attrs.get("kind"),
                name,
                attrs.get("since") or attrs.get("start"),
                attrs.get("until") or attrs.get("end"),
                attrs.get("notes"),
                attrs.get("mode"),
                json.dumps(extra, ensure_ascii=False) if extra else None,
            ]
        )
    edge_headers = [
        "id",
        "van",
        "naar",
        "soort relatie",
        "sterkte",
        "sinds",
        "tot",
        "rol",
        "bron",
        "overige gegevens",
        "richting",
    ]
    undirected = not graph.is_directed()
    edge_rows: list[list[Any]] = []
    if graph.is_multigraph():
        edges: Iterable[tuple[Any, Any, Any, dict[str, Any]]] = graph.edges(keys=True, data=True)  # type: ignore[call-overload]
    else:
        edges = ((u, v, None, d) for u, v, d in graph.edges(data=True))
    for u, v, key, attrs in edges:
        attrs = {k: _latest(val) for k, val in attrs.items()}
        tie_id = attrs.get("id") if attrs.get("id") is not None else key
        edge_rows.append(
            [
                str(tie_id) if tie_id is not None else None,
                str(u),
                str(v),
                attrs.get("kind"),
                attrs.get("strength"),
                attrs.get("since") or attrs.get("start"),
                attrs.get("until") or attrs.get("end"),
                attrs.get("role"),
                attrs.get("origin"),
                attrs.get("props") or None,
                "undirected" if directions.take(str(u), str(v)) or undirected else None,
            ]
        )
    label = "GraphML" if fmt == "graphml" else "GEXF"
    node_table = Table(
        OTHERS,
        "nodes",
        node_headers,
        node_rows,
        first_row=1,
        columns=[_REF, *[OTHERS.column_for(h) for h in node_headers[1:]]],
    )
    edge_table = Table(
        TIES,
        "edges",
        edge_headers,
        edge_rows,
        first_row=1,
        columns=[*[TIES.column_for(h) for h in edge_headers[:-1]], DIRECTION],
    )
    edge_table.graph = True  # type: ignore[attr-defined]
    node_table.graph = True  # type: ignore[attr-defined]
    return Found(label, [node_table, edge_table])


#: A column only graph files have: the node's key in the file, which edges refer to.
_REF = Column("ref", "ref", "node key in the graph file")


def open_bytes(source: str | Path | bytes | IO[bytes]) -> bytes:
    """The bytes of a path, an open binary file, or bytes."""
    if isinstance(source, bytes):
        return source
    if isinstance(source, (str, Path)):
        return Path(source).read_bytes()
    return source.read()
