"""The file format a reader found is kept as values (kind, delimiter, encoding) and said in the
reader's language when it is shown: Dutch by default, English on request; an upload stored
before, with an English sentence, still shows that sentence."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest

from mapper.i18n import use_language
from mapper.io.found import FileFormat
from mapper.io.readers import read_bytes
from mapper.io.uploads import found_from_json, found_to_json

CSV_1252 = "soort;naam\npersoon;José\n".encode("cp1252")
CSV_BOM = "\ufeffsoort,naam\npersoon,Ada\n".encode()


def said(value: object, lang: str) -> str:
    with use_language(lang):
        return str(value)


def test_a_csv_format_is_values_said_in_dutch_and_in_english():
    found = read_bytes(CSV_1252, "scan.csv")
    assert found.format == FileFormat("csv", delimiter="semicolon", encoding="cp1252")
    assert said(found.format, "nl") == "CSV (puntkomma, Windows-1252)"
    assert said(found.format, "en") == "CSV (semicolon, Windows-1252)"
    bom = read_bytes(CSV_BOM, "scan.csv").format
    assert said(bom, "nl") == "CSV (komma, UTF-8 met BOM)"
    assert said(bom, "en") == "CSV (comma, UTF-8 with BOM)"


def test_a_zip_of_csv_files_says_how_many_and_which_formats():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("individuen-en-organisaties.csv", CSV_1252)
        zf.writestr("overige.csv", "soort;naam\nthema;Café\n".encode("cp1252"))
    fmt = read_bytes(out.getvalue(), "scan.zip").format
    assert said(fmt, "nl") == "zip met 2 CSV-bestanden: CSV (puntkomma, Windows-1252)"
    assert said(fmt, "en") == "zip of 2 CSV files: CSV (semicolon, Windows-1252)"


def test_the_format_survives_the_uploads_json_and_an_old_plain_string_is_kept():
    found = read_bytes(CSV_1252, "scan.csv")
    data = json.loads(json.dumps(found_to_json(found)))
    assert data["format"] == {"kind": "csv", "delimiter": "semicolon", "encoding": "cp1252"}
    assert found_from_json(data).format == found.format
    data["format"] = "CSV (semicolon, UTF-8)"  # an upload stored before formats were values
    old = found_from_json(data).format
    assert said(old, "nl") == said(old, "en") == "CSV (semicolon, UTF-8)"


def test_a_format_json_of_an_unknown_shape_does_not_break():
    assert FileFormat.from_json(None) == "None"
    assert str(FileFormat.from_json({"kind": "graphml"})) == "GraphML"


# --------------------------------------------------------------------------- the web preview


@pytest.fixture
def app(app, tmp_path):
    app.config["IMPORT_FOLDER"] = str(tmp_path / "imports")
    return app


def _upload(client, data: bytes, filename: str) -> str:
    page = client.get("/io/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    answer = client.post(
        "/io/upload",
        data={"csrf_token": token, "file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 302
    return answer.headers["Location"]


def _format_shown(html: str) -> str:
    """What the preview's "Format found:" line says (the line is in the page's language)."""
    found = re.search(r"<p>[^<]*<strong>([^<]*)</strong></p>", html)
    assert found, "no format line on the preview"
    return found.group(1)


def test_the_preview_says_the_format_in_dutch_by_default_and_english_on_request(client, app):
    url = _upload(client, CSV_1252, "scan.csv")
    dutch = client.get(url)
    assert dutch.status_code == 200
    assert _format_shown(dutch.get_data(as_text=True)) == "CSV (puntkomma, Windows-1252)"
    english = client.get(url + "?lang=en")
    assert _format_shown(english.get_data(as_text=True)) == "CSV (semicolon, Windows-1252)"


def test_an_upload_stored_with_a_plain_format_string_still_shows_it(client, app):
    url = _upload(client, CSV_1252, "scan.csv")
    token = url.rstrip("/").rsplit("/", 1)[-1]
    rows = Path(app.config["IMPORT_FOLDER"]) / f"{token}.rows.json"
    data = json.loads(rows.read_text(encoding="utf-8"))
    assert data["format"]["kind"] == "csv"  # kept as values, not as a sentence
    data["format"] = "CSV (semicolon, Windows-1252)"  # as uploads were kept before
    rows.write_text(json.dumps(data), encoding="utf-8")
    page = client.get(url)
    assert page.status_code == 200
    assert _format_shown(page.get_data(as_text=True)) == "CSV (semicolon, Windows-1252)"


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_a_neutralised_formula_is_read_back_wherever_its_cell_starts(delimiter):
    """A CSV cell an export neutralised (``'=…``) is read as it was, at the start of the
    file, of a line (LF or CRLF), after a delimiter or inside double quotes; an apostrophe
    inside a name stays."""
    d = delimiter
    text = (
        f"soort{d}naam{d}notities\r\n'=1+1{d}persoon{d}x\r\n"
        f"persoon{d}'@Jan{d}'+31 6\npersoon{d}\"'-2, of zo\"{d}O'Brien's\n"
    )
    rows = read_bytes(text.encode(), "entiteiten.csv").tables[0].rows
    assert rows == [
        ["=1+1", "persoon", "x"],
        ["persoon", "@Jan", "+31 6"],
        ["persoon", "-2, of zo", "O'Brien's"],
    ]
    plain = read_bytes(f"soort{d}naam\npersoon{d}O'Brien\n".encode(), "e.csv").tables[0].rows
    assert plain == [["persoon", "O'Brien"]]
