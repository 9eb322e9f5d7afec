"""Make the bombs and broken files the hardening tests feed the readers.

The small ones are committed next to this script (``python tests/data/bad/make_bad_files.py``
writes them again, byte for byte the same); the large ones (a zip that unpacks to 1 GB, a CSV
with a 10 MB cell) are made by the tests into a temporary folder with :func:`make_large`.
"""

from __future__ import annotations

import io
import struct
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).parent
HEADER = "soort;naam;thema's;overige gegevens\r\n"
#: A fixed timestamp, so the zips come out the same every time.
STAMP = (2026, 1, 1, 0, 0, 0)


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = method
            zf.writestr(info, data)
    return out.getvalue()


def _patch_headers(data: bytes, *, flag: int | None = None, method: int | None = None) -> bytes:
    """Set the general-purpose flag bits or the compression method in every local and
    central header of a zip (as a tool that encrypts, or packs with AES/method 99, writes)."""
    buf = bytearray(data)
    for signature, flag_at, method_at in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        start = 0
        while (at := buf.find(signature, start)) != -1:
            if flag is not None:
                old = struct.unpack_from("<H", buf, at + flag_at)[0]
                struct.pack_into("<H", buf, at + flag_at, old | flag)
            if method is not None:
                struct.pack_into("<H", buf, at + method_at, method)
            start = at + 4
    return bytes(buf)


def sparse_xlsx() -> bytes:
    """A workbook with only A1 and XFD1048576 filled: its dimension claims 16,384 columns by
    1,048,576 rows (the 5 KB file that drove the server to 7.9 GB)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Individuen en organisaties"
    ws["A1"] = "soort"
    ws["B1"] = "naam"
    ws["A2"] = "persoon"
    ws["B2"] = "Jan de Vries"
    ws["XFD1048576"] = "x"
    out = io.BytesIO()
    wb.save(out)
    return _normalise_xlsx(out.getvalue())


def _normalise_xlsx(data: bytes) -> bytes:
    """Rewrite a workbook with fixed timestamps (openpyxl stamps the time it was saved)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    members = {}
    for info in src.infolist():
        body = src.read(info)
        if info.filename == "docProps/core.xml":
            import re

            body = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2026-01-01T00:00:00Z", body)
        members[info.filename] = body
    return _zip(members)


def small_zip_bomb() -> bytes:
    """A 10 KB zip whose CSV unpacks to 10 MB (ratio about 1000)."""
    body = (HEADER + "persoon;Jan;lezen;\r\n" * (10 * 1024 * 1024 // 20)).encode()
    return _zip({"individuen-en-organisaties.csv": body})


def files() -> dict[str, bytes]:
    plain = _zip({"individuen-en-organisaties.csv": (HEADER + "persoon;Jan;lezen;\r\n").encode()})
    deep = "[" * 5_000 + "]" * 5_000
    return {
        "sparse.xlsx": sparse_xlsx(),
        "zip-bomb-small.zip": small_zip_bomb(),
        "bom-invalid-utf8.csv": b"\xef\xbb\xbf" + HEADER.encode() + b"persoon;Jan \xff\xfe;;\r\n",
        "encrypted-member.zip": _patch_headers(plain, flag=0x1),
        "method-99.zip": _patch_headers(plain, method=99),
        "deep-json.csv": (HEADER + f'persoon;Jan de Vries;;"{{""a"": {deep}}}"\r\n').encode(),
        "nan.csv": (HEADER + 'persoon;Jan de Vries;;"{""score"": NaN}"\r\n').encode(),
        "billion-laughs.graphml": (
            b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
            b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
            b'<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="directed">'
            b'<node id="&lol3;"/></graph></graphml>\n'
        ),
        "deep-nesting.gexf": b"<gexf>" + b"<a>" * 5_000 + b"</a>" * 5_000 + b"</gexf>",
        "not-a-zip.xlsx": b"PK\x03\x04 this is not a workbook",
        "duplicate-ids.csv": (
            b"id;soort;naam\r\nper-aaaa1111;persoon;Jan de Vries\r\nper-aaaa1111;persoon;Piet Jansen\r\n"
        ),
    }


def make_large(folder: Path) -> dict[str, Path]:
    """The large bombs, written into ``folder``: a zip of about 1 MB whose CSV unpacks to
    1 GB (streamed, never held in memory), and a CSV with one 11 MB cell."""
    folder.mkdir(parents=True, exist_ok=True)
    bomb = folder / "zip-bomb-1gb.zip"
    if not bomb.exists():
        line = b"persoon;Jan;lezen;\r\n" * 50_000  # 1 MB
        with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
            with zf.open("individuen-en-organisaties.csv", "w", force_zip64=True) as fh:
                fh.write(HEADER.encode())
                for _ in range(1024):
                    fh.write(line)
    field = folder / "huge-field.csv"
    if not field.exists():
        field.write_bytes(HEADER.encode() + b'persoon;"' + b"x" * (11 * 1024 * 1024) + b'";;\r\n')
    return {"zip-bomb-1gb.zip": bomb, "huge-field.csv": field}


def main() -> None:
    for name, data in files().items():
        (HERE / name).write_bytes(data)
        print(f"{name}: {len(data):,} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
