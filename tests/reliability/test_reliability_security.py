"""Security: crafted workbooks refused, credentials never shown, user text never a formula."""

from __future__ import annotations

import csv
import io
import json
import logging
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pytest
import requests
from click.testing import CliRunner

from sheetsync import display
from sheetsync.backends.gsheets import auth
from sheetsync.backends.xlsx import safety
from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.cli.main import cli
from sheetsync.model import BackendError, OutputTable
from tests.support import keys
from tests.support.golden import write_xlsx

PLANTED = "PLANTED-SECRET-5f0c1e9a"
INJECTIONS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "=1+1"]
BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    "<sheetData><row><c><v>&lol2;</v></c></row></sheetData></worksheet>"
)

# Refusals come before any sheet is read: in the environment's language, English here.
pytestmark = pytest.mark.usefixtures("english")


def _workbook(path: Path) -> None:
    write_xlsx({"Groupes": [["Groupe", "Enveloppe"], ["GT", 100]]}, path)


def _with_part(path: Path, name: str, data: bytes, method: int = zipfile.ZIP_DEFLATED) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns on a duplicate name: that is the point
        with zipfile.ZipFile(path, "a", method) as package:
            package.writestr(name, data)


def _replace_part(path: Path, name: str, data: bytes) -> None:
    with zipfile.ZipFile(path) as source:
        parts = [(i, data if i.filename == name else source.read(i)) for i in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dest:
        for info, content in parts:
            dest.writestr(info, content)


CRAFTS = {
    "billion laughs": lambda p: _replace_part(
        p, "xl/worksheets/sheet1.xml", BILLION_LAUGHS.encode()
    ),
    "external entity": lambda p: _with_part(
        p, "xl/extra.xml", b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    ),
    "utf-16 doctype": lambda p: _with_part(
        p,
        "xl/extra.xml",
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x><x/>'.encode("utf-16"),
    ),
    "zip bomb": lambda p: _with_part(p, "xl/media/bomb.bin", bytes(40 << 20)),
    "path traversal": lambda p: _with_part(p, "../../evil.xml", b"<x/>"),
    "absolute part name": lambda p: _with_part(p, "/etc/evil.xml", b"<x/>"),
    "windows drive": lambda p: _with_part(p, "C:/evil.xml", b"<x/>"),
    "backslash": lambda p: _with_part(p, "xl\\..\\..\\evil.xml", b"<x/>"),
    "duplicate part": lambda p: _with_part(p, "xl/workbook.xml", b"<workbook/>"),
}
EXPECTED = {
    "billion laughs": "DTD",
    "external entity": "DTD",
    "utf-16 doctype": "DTD",
    "zip bomb": "times larger",
    "path traversal": "climbs out",
    "absolute part name": "absolute",
    "windows drive": "absolute",
    "backslash": "backslash",
    "duplicate part": "twice",
}


@pytest.mark.parametrize("craft", sorted(CRAFTS))
def test_crafted_workbook_is_refused_before_reading_and_writing(craft: str, tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    _workbook(path)
    CRAFTS[craft](path)
    before = path.read_bytes()
    backend = XlsxBackend(path, "en")
    with pytest.raises(BackendError, match="refused") as read_error:
        backend.read(lambda title: True)
    assert EXPECTED[craft] in str(read_error.value)
    table = OutputTable("anomalies", "Anomalies", ("a",), ("text",), [("x",)])
    with pytest.raises(BackendError, match="refused"):
        backend.write([table], "en")
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx"]


@pytest.mark.parametrize(
    ("part", "problem"),
    [
        ("xl/worksheets/sheet1.xml", None),
        ("xl/../x.xml", "climbs"),
        ("/x.xml", "absolute"),
        ("a\x00b", "NUL"),
    ],
)
def test_part_names(part: str, problem: str | None) -> None:
    found = safety.part_name_problem(part, display.environment_lang())
    assert (found is None) if problem is None else (problem in (found or ""))


def test_real_workbooks_pass(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    _workbook(path)
    _with_part(path, "xl/media/photo.bin", bytes(range(256)) * 4096)  # 1 MB, barely compressible
    safety.check_package(path, display.environment_lang())
    assert XlsxBackend(path, "en").read(lambda title: True).all_titles == ("Groupes",)


def test_only_the_spreadsheets_scope_is_requested() -> None:
    assert auth.SCOPES == ("https://www.googleapis.com/auth/spreadsheets",)


def _key_file(path: Path, *, valid: bool) -> Path:
    pem = keys.new_private_key() if valid else PLANTED
    email = "robot@p.iam.gserviceaccount.com"
    return keys.service_account_file(path, email, pem=pem, key_id=PLANTED)


@pytest.mark.parametrize("valid", [False, True])
@pytest.mark.parametrize("command", ["sync", "check"])
def test_planted_key_never_shown(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    valid: bool,
    command: str,
) -> None:
    monkeypatch.delenv("SHEETS_EMULATOR_HOST", raising=False)

    def offline(self: requests.Session, *args: object, **kwargs: object) -> object:
        raise requests.exceptions.ConnectionError(f"offline (body held {kwargs.get('data')!r})")

    # No network in tests: every request fails, and its text must not leak either.
    monkeypatch.setattr(requests.Session, "request", offline)
    key = _key_file(tmp_path / "key.json", valid=valid)
    caplog.set_level(logging.DEBUG)
    result = CliRunner().invoke(
        cli, ["-v", command, "gsheet:abc", "--json", "--credentials", str(key)]
    )
    assert result.exit_code in (3, 4)
    shown = result.output + caplog.text + repr(result.exception)
    assert "key.json" in shown or "abc" in shown or "network" in shown.lower()
    assert PLANTED not in shown
    assert "BEGIN PRIVATE KEY" not in shown


def test_token_file_is_private(tmp_path: Path) -> None:
    # Also tested in test_auth.py; repeated here so the reliability figures stand alone.
    path = tmp_path / "sub" / "token.json"
    auth.save_token(path, json.dumps({"refresh_token": PLANTED}))
    assert path.stat().st_mode & 0o777 == 0o600


def test_xlsx_writer_never_writes_a_formula(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    _workbook(path)
    kinds = ("text",) * len(INJECTIONS)
    table = OutputTable("anomalies", "Anomalies", tuple(INJECTIONS), kinds, [tuple(INJECTIONS)])
    XlsxBackend(path, "en").write([table], "en")
    sheet = openpyxl.load_workbook(path)["Anomalies"]
    cells = [c for row in sheet.iter_rows() for c in row]
    assert [c.data_type for c in cells] == ["s"] * len(cells)
    assert [c.value for c in cells[len(INJECTIONS) :]] == INJECTIONS


def test_csv_export_never_yields_a_formula() -> None:
    from sheetsync.report import export  # noqa: PLC0415 - the export writers, tested here as writers

    kinds = ("text",) * len(INJECTIONS)
    table = OutputTable("x", "x", tuple(INJECTIONS), kinds, [tuple(INJECTIONS)])
    for lang in ("fr", "en"):
        text = export.to_csv(table, lang).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";" if lang == "fr" else ","))
        cells = [cell for row in rows for cell in row]
        assert len(cells) == 2 * len(INJECTIONS)
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
        assert all(c.endswith(i) for c, i in zip(cells, INJECTIONS * 2, strict=True))


def test_xlsx_export_never_writes_a_formula(tmp_path: Path) -> None:
    from sheetsync.report import export  # noqa: PLC0415 - the export writers, tested here as writers

    kinds = ("text",) * len(INJECTIONS)
    table = OutputTable("x", "x", tuple(INJECTIONS), kinds, [tuple(INJECTIONS)])
    export.to_xlsx(table, tmp_path / "export.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "export.xlsx").active
    assert sheet is not None
    # Data rows hold users' text; the header is sheetsync's own column names.
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert [c.data_type for c in cells] == ["s"] * len(INJECTIONS)
    assert [c.value for c in cells] == INJECTIONS


def test_google_writer_never_writes_a_formula() -> None:
    # The full check with every output tab is in test_gsheets_backend.py.
    from tests.support.handedits import _google  # noqa: PLC0415

    backend, emulator = _google({"Groupes": [["Groupe"], ["GT"]]})
    kinds = ("text",) * len(INJECTIONS)
    backend.write(
        [OutputTable("anomalies", "Anomalies", tuple(INJECTIONS), kinds, [tuple(INJECTIONS)])], "en"
    )
    sheet = emulator.books[backend.spreadsheet_id].sheet_by_title("Anomalies")
    entered = [
        cell["userEnteredValue"] for cell in sheet.cells.values() if "userEnteredValue" in cell
    ]
    assert len(entered) == 2 * len(INJECTIONS)
    assert not [v for v in entered if "formulaValue" in v]
    assert {v.get("stringValue") for v in entered} == set(INJECTIONS)
