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
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import networkx as nx

from ..errors import ValidationError
from .directions import edge_directions
from .templates import DIRECTION, OTHERS, TIES, Column, Sheet, guess_sheet, ignored_sheet, sheet_for

#: Formats recognised by their file name's ending.
EXTENSIONS = (".csv", ".txt", ".zip", ".xlsx", ".xlsm", ".graphml", ".gexf")
#: The byte-order mark Excel writes at the start of a UTF-8 CSV.
BOM = b"\xef\xbb\xbf"
#: Column delimiters tried on a CSV's header line, most likely first.
DELIMITERS = (";", ",", "\t")

csv.field_size_limit(10_000_000)


class ReadError(ValidationError):
    """A file cannot be read at all (wrong format, broken zip, no known sheet)."""


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
    notes: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(len(t.rows) for t in self.tables)


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


# --------------------------------------------------------------------------- entry points


def read_file(path: str | Path) -> Found:
    """Read an import file from ``path``; the format follows from its ending and content."""
    path = Path(path)
    return read_bytes(path.read_bytes(), path.name)


def read_bytes(data: bytes, filename: str) -> Found:
    """Read an import file's bytes; ``filename`` tells its format (and, for a single CSV, which
    sheet it holds when the headers do not).

    Raises
    ------
    ReadError
        When the format is not supported or the content does not fit it.
    """
    name = filename.lower()
    if name.endswith((".xlsx", ".xlsm")) or data[:2] == b"PK" and _is_xlsx(data):
        return read_xlsx(data)
    if name.endswith(".zip"):
        return read_zip(data)
    if name.endswith(".graphml"):
        return read_graph(data, "graphml")
    if name.endswith(".gexf"):
        return read_graph(data, "gexf")
    if name.endswith((".csv", ".txt")):
        table, fmt = read_csv(data, filename)
        return Found(fmt, [table])
    raise ReadError(
        f"file {filename!r} has a format that cannot be imported "
        f"(use one of {', '.join(EXTENSIONS)})",
        field="file",
        value=filename,
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
        return data[len(BOM) :].decode("utf-8", errors="strict"), "UTF-8 with BOM"
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


def read_csv(data: bytes, filename: str, *, sheet: Sheet | None = None) -> tuple[Table, str]:
    """One CSV file as a :class:`Table`, and a description of the format found."""
    text, encoding = decode_csv(data)
    delimiter = detect_delimiter(text)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    fmt = f"CSV ({_DELIMITER_WORDS[delimiter]}, {encoding})"
    return _table(rows, filename, sheet=sheet), fmt


def _table(rows: list[list[Any]], title: str, *, sheet: Sheet | None = None) -> Table:
    """Build a table from raw rows: the first non-empty row holds the headers."""
    header_at = next((i for i, r in enumerate(rows) if any(_filled(v) for v in r)), None)
    if header_at is None:
        raise ReadError(f"sheet {title!r} is empty", field="file", value=title)
    headers = [str(h).strip() if h is not None else "" for h in rows[header_at]]
    found = sheet or guess_sheet(headers) or sheet_for(title)
    if found is None:
        raise ReadError(
            f"sheet {title!r} does not look like a template (headers: {', '.join(headers)})",
            field="file",
            value=title,
        )
    missing = [
        c.header
        for c in found.columns
        if c.required and not any(found.column_for(h) is c for h in headers)
    ]
    if missing:
        raise ReadError(
            f"sheet {title!r} misses the column(s) {', '.join(repr(m) for m in missing)}",
            field="file",
            value=title,
        )
    return Table(found, title, headers, rows[header_at + 1 :], first_row=header_at + 2)


def read_zip(data: bytes) -> Found:
    """A zip of template CSV files (as the CSV export writes it)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ReadError("the zip file is damaged", field="file") from None
    tables: list[Table] = []
    formats: set[str] = set()
    notes: list[str] = []
    with zf:
        for member in sorted(zf.namelist()):
            if not member.lower().endswith(".csv") or member.endswith("/"):
                continue
            table, fmt = read_csv(
                zf.read(member), Path(member).name, sheet=sheet_for(Path(member).name)
            )
            tables.append(table)
            formats.add(fmt)
    if not tables:
        raise ReadError("the zip file holds no CSV files", field="file")
    return Found(f"zip of {len(tables)} " + " / ".join(sorted(formats)), tables, notes)


# --------------------------------------------------------------------------- XLSX


def read_xlsx(data: bytes) -> Found:
    """An Excel workbook: every worksheet that looks like a template becomes a table."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise ReadError(f"the Excel file cannot be read ({exc})", field="file") from None
    tables: list[Table] = []
    notes: list[str] = []
    try:
        for ws in wb.worksheets:
            if ignored_sheet(ws.title):  # the template's help sheet, Kumu's "… (ignore)"
                continue
            rows = [list(r) for r in ws.iter_rows(values_only=True)]
            if not any(any(_filled(v) for v in r) for r in rows):
                continue
            try:
                tables.append(_table(rows, ws.title, sheet=sheet_for(ws.title)))
            except ReadError as exc:
                if sheet_for(ws.title) is not None:
                    raise
                notes.append(f"sheet {ws.title!r} skipped: {exc.message}")
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


def read_graph(data: bytes, fmt: str) -> Found:
    """A GraphML or GEXF file (as written by networkx or Gephi) as node and edge tables.

    Nodes need ``kind``; ``name`` falls back on the GEXF label, then the node id. Edges need
    ``kind``; ``strength``, ``since``, ``until`` (or GEXF ``start``/``end``), ``role``,
    ``origin`` are read when present. Other plain node attributes become properties.
    """
    data, directions = edge_directions(data, fmt)  # undirected edges: see plan (issue 16)
    try:
        if fmt == "graphml":
            graph = nx.read_graphml(io.BytesIO(data))
        else:
            graph = nx.read_gexf(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - networkx raises many kinds on bad XML
        raise ReadError(f"the {fmt.upper()} file cannot be read ({exc})", field="file") from None
    node_headers = ["ref", "id", "kind", "name", "since", "until", "notes", "mode", "extra"]
    node_rows: list[list[Any]] = []
    for key, attrs in graph.nodes(data=True):
        attrs = {k: _latest(v) for k, v in attrs.items()}
        extra = {}
        if isinstance(attrs.get("props"), str) and attrs["props"].strip():
            try:
                loaded = json.loads(attrs["props"])
                extra = loaded if isinstance(loaded, dict) else {}
            except ValueError:
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
        edges: Iterable[tuple[Any, Any, Any, dict[str, Any]]] = graph.edges(keys=True, data=True)
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
