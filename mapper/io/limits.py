"""What a reader accepts from one file, and the checks that hold it to that before anything
is unpacked or parsed: :class:`Limits`, the :class:`ReadError` naming the limit, the row and
cell budget, the zip and workbook checks, and the XML scan of graph files.

>>> check_file_size(10, Limits(file_bytes=5))
Traceback (most recent call last):
...
mapper.io.limits.ReadError: the file is larger than 0 MB
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.parsers import expat

from ..errors import ValidationError
from ..i18n import N_, format_number, render


@dataclass(frozen=True)
class Limits:
    """What a reader accepts from one file; anything beyond is refused with a :class:`ReadError`
    naming the limit (no input may take unbounded memory or time).

    The defaults keep the peak memory of reading and planning any file well under 300 MB
    (``tests/web/test_hardening_files.py`` measures it with the bombs in ``tests/data/bad``).
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


class Budget:
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
            last = max((i for i, v in enumerate(row) if filled(v)), default=-1)
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


def filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def check_file_size(size: int, limits: Limits) -> None:
    if size > limits.file_bytes:
        raise ReadError(
            "the file is larger than {limit_mb} MB",
            code="file_bytes",
            params={"limit_mb": limits.file_bytes // (1024 * 1024)},
        )


#: Compression methods the zip module can undo.
ZIP_METHODS = frozenset(
    {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
)
#: What a damaged or unusual zip member raises while it is read.
ZIP_ERRORS = (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError, zlib.error, OSError)


def open_zip(data: bytes, damaged: str) -> zipfile.ZipFile:
    """The zip file (or Excel file) in ``data``; ``damaged`` is the message id if it is not one."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, *ZIP_ERRORS):
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


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> bytes:
    """A member's bytes, never more than ``limits`` allow (whatever its header claims)."""
    try:
        with zf.open(info) as fh:
            data = fh.read(limits.uncompressed_bytes + 1)
    except ZIP_ERRORS as exc:
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


def check_workbook(data: bytes, limits: Limits) -> None:
    """The zip checks of :func:`check_zip` for a workbook, plus its shared strings (which
    openpyxl keeps in memory whole)."""
    with open_zip(data, N_("the Excel file is damaged")) as zf:
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
