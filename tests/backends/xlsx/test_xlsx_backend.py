"""Tests of the local .xlsx backend: reading typed cells, writing owned tabs by
zip part surgery, and never losing data (SPEC §2, §5, §8)."""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.drawing.image import Image
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet
from PIL import Image as PillowImage

from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.backends.xlsx.xmltext import text_xml
from sheetsync.formats import column_letter
from sheetsync.model import BackendError, CellValue, OutputTable, StructureError

EVERYTHING = lambda title: True  # noqa: E731


def table(
    title: str = "Synthèse groupes",
    rows: list[tuple[object, ...]] | None = None,
    currency: str = "EUR",
) -> OutputTable:
    header = (
        "Groupe",
        "Enveloppe",
        "Consommé (%)",
        "Heures",
        "Contributeurs",
        "Dernière contribution",
    )
    kinds = ("text", "money", "percent", "hours", "integer", "date")
    default: list[tuple[object, ...]] = [
        ("Com", 123456, 0.85, 12.5, 3, dt.date(2026, 3, 1)),
        ("Total", -5, None, 0.0, 0, None),
    ]
    return OutputTable(
        "group_summary", title, header, kinds, default if rows is None else rows, currency
    )


def input_workbook(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Contributions"
    sheet.append(["Date", "Personne", "Durée (h)"])
    sheet.append([dt.date(2026, 2, 3), "Alice", 2])
    workbook.save(path)
    return path


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


# ------------------------------------------------------------------ read


@pytest.mark.parametrize(
    ("value", "number_format", "expected"),
    [
        ("du texte", None, "du texte"),
        (3.5, None, 3.5),
        (3, None, 3),
        (True, None, True),
        (dt.date(2026, 11, 28), "dd/mm/yyyy", dt.date(2026, 11, 28)),
        (dt.datetime(2026, 11, 28, 10, 30), "dd/mm/yyyy hh:mm", dt.datetime(2026, 11, 28, 10, 30)),
        (0.0625, "h:mm", dt.time(1, 30)),
        (1.5, "[h]:mm:ss", dt.timedelta(hours=36)),
        ("=1+1 as text", "@", "=1+1 as text"),
    ],
)
def test_read_gives_typed_cells(
    tmp_path: Path, value: CellValue, number_format: str | None, expected: CellValue
) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "T"
    cell = sheet.cell(2, 2, value)
    if isinstance(value, str):
        cell.data_type = "s"
    if number_format:
        cell.number_format = number_format
    workbook.save(tmp_path / "t.xlsx")
    raw = XlsxBackend(tmp_path / "t.xlsx", "fr").read(EVERYTHING)
    assert raw.tabs["T"].rows == [[None, None], [None, expected]]
    assert type(raw.tabs["T"].rows[1][1]) is type(expected)


def test_read_keeps_row_one_first_and_drops_trailing_blank_rows(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["C3"] = "x"
    sheet["A6"].number_format = "0.00"  # formatted but empty
    workbook.create_sheet("Other")["A1"] = "y"
    workbook.save(tmp_path / "t.xlsx")
    raw = XlsxBackend(tmp_path / "t.xlsx", "fr").read(lambda title: title == "Sheet")
    assert raw.tabs["Sheet"].rows[2] == [None, None, "x"]
    assert len(raw.tabs["Sheet"].rows) == 3
    assert list(raw.tabs) == ["Sheet"]
    assert raw.all_titles == ("Sheet", "Other")
    assert raw.owned == {}
    assert raw.locale is None


def test_owned_marks_round_trip_even_when_long(tmp_path: Path) -> None:
    path = input_workbook(tmp_path / "book.xlsx")
    # Many tabs make the marks longer than one 255-character property.
    tables = [table(f"Synthèse {n}") for n in range(6)]
    XlsxBackend(path, "fr").write(tables, "fr")
    raw = XlsxBackend(path, "fr").read(EVERYTHING)
    assert raw.owned == {t.title: t.fingerprint() for t in tables}
    assert raw.all_titles == ("Contributions", *(t.title for t in tables))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.xlsx", None, "not found"),
        ("old.xls", b"whatever", "save it as .xlsx"),
        ("calc.ods", b"whatever", "save it as .xlsx"),
        ("notes.txt", b"whatever", ".xlsx or .xlsm"),
        ("text.xlsx", b"not a zip at all", "endommagé|damaged"),
    ],
)
@pytest.mark.usefixtures("english")
def test_unreadable_files_give_backend_errors(
    tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(BackendError, match=message):
        XlsxBackend(path, "en").read(EVERYTHING)
    with pytest.raises(BackendError, match=message):
        XlsxBackend(path, "en").write([table()], "en")


@pytest.mark.usefixtures("english")
def test_zip_without_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(BackendError, match="not an Excel workbook"):
        XlsxBackend(path, "en").read(EVERYTHING)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.xlsx", None, "missing.xlsx introuvable"),
        ("old.xls", b"whatever", "enregistrez-le au format .xlsx"),
        ("empty.xlsx", b"", "classeur endommagé"),
    ],
)
def test_unreadable_files_are_explained_in_french_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, content: bytes | None, message: str
) -> None:
    for variable in ("LANG", "LC_ALL"):
        monkeypatch.delenv(variable, raising=False)
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(BackendError, match=message):
        XlsxBackend(path, "fr").read(EVERYTHING)


# ------------------------------------------------------------------ write


def written(tmp_path: Path, output: OutputTable) -> openpyxl.Workbook:
    path = input_workbook(tmp_path / "book.xlsx")
    XlsxBackend(path, "fr").write([output], "fr")
    return openpyxl.load_workbook(path)


@pytest.mark.parametrize(
    ("column", "expected_value", "format_part"),
    [
        ("A", "Com", "General"),
        ("B", 1234.56, '"€"'),
        ("C", 0.85, "%"),
        ("D", 12.5, "0.00"),
        ("E", 3, "0"),
        ("F", dt.datetime(2026, 3, 1), "dd/mm/yyyy"),
    ],
)
def test_written_cells_are_typed_and_formatted(
    tmp_path: Path, column: str, expected_value: object, format_part: str
) -> None:
    sheet = written(tmp_path, table())["Synthèse groupes"]
    assert sheet[f"{column}2"].value == expected_value
    assert format_part in sheet[f"{column}2"].number_format


def test_negative_cents_blank_cells_and_other_currency(tmp_path: Path) -> None:
    sheet = written(tmp_path, table(currency="CHF"))["Synthèse groupes"]
    assert sheet["B3"].value == -0.05
    assert '"CHF"' in sheet["B3"].number_format
    assert sheet["C3"].value is None
    assert sheet["F3"].value is None


@pytest.mark.parametrize("text", ["=1+1", "+33 6 12", "-5", "@SUM(A1)", '=HYPERLINK("x")'])
def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path, text: str) -> None:
    sheet = written(tmp_path, table(rows=[(text, 0, 0.0, 0.0, 0, None)]))["Synthèse groupes"]
    assert sheet["A2"].value == text
    assert sheet["A2"].data_type == "s"


def test_header_is_bold_frozen_filtered_and_sized(tmp_path: Path) -> None:
    sheet = written(tmp_path, table())["Synthèse groupes"]
    assert [c.value for c in sheet[1]][:2] == ["Groupe", "Enveloppe"]
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:F3"
    assert sheet.column_dimensions["A"].width == 24  # the template's width for Groupe


@pytest.mark.parametrize(
    ("text", "read_back"),
    [
        ("a & b < c", "a & b < c"),
        ("  spaces kept  ", "  spaces kept  "),
        ("line\nbreak", "line\nbreak"),
        ("bell\x07kept", "bell\x07kept"),
        ("cr\r\nkept", "cr\r\nkept"),
        ("literal _x0041_ stays", "literal _x0041_ stays"),
    ],
)
def test_awkward_text_round_trips(tmp_path: Path, text: str, read_back: str) -> None:
    path = input_workbook(tmp_path / "book.xlsx")
    XlsxBackend(path, "fr").write([table(rows=[(text, 0, 0.0, 0.0, 0, None)])], "fr")
    raw = XlsxBackend(path, "fr").read(lambda title: title == "Synthèse groupes")
    assert raw.tabs["Synthèse groupes"].rows[1][0] == read_back


@pytest.mark.parametrize(
    ("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ"), (702, "AAA")]
)
def test_column_letter(index: int, letters: str) -> None:
    assert column_letter(index) == letters


def test_text_xml_escapes_markup() -> None:
    assert text_xml("<b>&") == "<is><t>&lt;b&gt;&amp;</t></is>"


def test_second_identical_write_changes_nothing(tmp_path: Path) -> None:
    path = input_workbook(tmp_path / "book.xlsx")
    backend = XlsxBackend(path, "fr")
    backend.write([table(), table("Anomalies")], "fr")
    first = members(path)
    backend.write([table(), table("Anomalies")], "fr")
    assert members(path) == first  # styles did not grow, sheets are byte-identical


def test_replaced_tab_keeps_its_position_and_part(tmp_path: Path) -> None:
    path = input_workbook(tmp_path / "book.xlsx")
    backend = XlsxBackend(path, "fr")
    backend.write([table(), table("Anomalies")], "fr")
    parts_before = set(members(path))
    backend.write([table(rows=[("Autre", 1, 0.1, 1.0, 1, None)])], "fr")
    assert XlsxBackend(path, "fr").read(EVERYTHING).all_titles == (
        "Contributions",
        "Synthèse groupes",
        "Anomalies",
    )
    assert set(members(path)) == parts_before
    sheet = openpyxl.load_workbook(path)["Synthèse groupes"]
    assert sheet["A2"].value == "Autre"
    assert sheet.max_row == 2


def workbook_with_extras(path: Path) -> Path:
    """An input tab holding an image, a chart and a comment, plus a defined name."""
    workbook = openpyxl.Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "Contributions"
    rows: list[list[str | int]] = [["Groupe", "Heures"], ["Com", 3], ["Prod", 5]]
    for row in rows:
        sheet.append(row)
    sheet["A1"].comment = Comment("Une note", "Équipe")
    chart = BarChart()
    chart.add_data(Reference(sheet, min_col=2, min_row=1, max_row=3), titles_from_data=True)
    sheet.add_chart(chart, "D2")
    picture = io.BytesIO()
    PillowImage.new("RGB", (8, 8), "red").save(picture, format="PNG")
    sheet.add_image(Image(picture), "D20")
    workbook.defined_names["Heures"] = DefinedName("Heures", attr_text="Contributions!$B$2:$B$3")
    workbook.save(path)
    return path


CHANGED_PARTS = {
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "[Content_Types].xml",
    "xl/styles.xml",
    "docProps/custom.xml",
    "_rels/.rels",
}


def test_sync_keeps_every_other_part_byte_identical(tmp_path: Path) -> None:
    path = workbook_with_extras(tmp_path / "book.xlsx")
    original = members(path)
    backend = XlsxBackend(path, "fr")
    backend.write([table(), table("Anomalies")], "fr")
    backend.write([table(rows=[("Autre", 1, 0.1, 1.0, 1, None)]), table("Anomalies")], "fr")
    after = members(path)
    kept = {name for name in original if name not in CHANGED_PARTS}
    assert any("media" in name for name in kept)
    assert any("charts" in name for name in kept)
    assert any("comments" in name for name in kept)
    assert {name: after[name] for name in kept} == {name: original[name] for name in kept}
    reopened = openpyxl.load_workbook(path)
    sheet = reopened["Contributions"]
    assert isinstance(sheet, Worksheet)
    assert len(sheet._images) == 1  # type: ignore[attr-defined]
    assert len(sheet._charts) == 1  # type: ignore[attr-defined]
    assert sheet["A1"].comment is not None
    assert "Heures" in reopened.defined_names


def test_write_keeps_a_backup_of_the_previous_file(tmp_path: Path) -> None:
    path = input_workbook(tmp_path / "book.xlsx")
    previous = path.read_bytes()
    backend = XlsxBackend(path, "fr")
    backend.write([table()], "fr")
    assert backend.backup_path == tmp_path / "book.xlsx.bak"
    assert backend.backup_path.read_bytes() == previous
    assert path.read_bytes() != previous
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx", "book.xlsx.bak"]


@pytest.mark.parametrize("lock", [".~lock.book.xlsx#", "~$book.xlsx"])
@pytest.mark.usefixtures("english")
def test_open_workbook_is_not_written(tmp_path: Path, lock: str) -> None:
    path = input_workbook(tmp_path / "book.xlsx")
    (tmp_path / lock).write_text("locked")
    before = path.read_bytes()
    with pytest.raises(BackendError, match="open in a spreadsheet program"):
        XlsxBackend(path, "en").write([table()], "en")
    assert path.read_bytes() == before


@pytest.mark.parametrize("title", ["Contributions", "contributions"])
def test_title_held_by_a_user_tab_stops_the_write(tmp_path: Path, title: str) -> None:
    path = input_workbook(tmp_path / "book.xlsx")
    before = path.read_bytes()
    with pytest.raises(StructureError, match="Contributions"):
        XlsxBackend(path, "fr").write([table(), table(title)], "fr")
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["book.xlsx"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permissions")
def test_read_only_folder_gives_a_backend_error(tmp_path: Path) -> None:
    path = input_workbook(tmp_path / "book.xlsx")
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(BackendError, match="cannot write"):
            XlsxBackend(path, "fr").write([table()], "fr")
    finally:
        tmp_path.chmod(0o755)


def test_failed_rename_gives_a_backend_error_and_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = input_workbook(tmp_path / "book.xlsx")
    before = path.read_bytes()

    def refuse(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(BackendError, match="Permission denied"):
        XlsxBackend(path, "fr").write([table()], "fr")
    assert path.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".tmp"]


def test_write_keeps_file_permissions(tmp_path: Path) -> None:
    path = input_workbook(tmp_path / "book.xlsx")
    path.chmod(0o640)
    XlsxBackend(path, "fr").write([table()], "fr")
    assert path.stat().st_mode & 0o777 == 0o640


@pytest.mark.slow
def test_large_table_writes_and_reads_back(tmp_path: Path) -> None:
    path = input_workbook(tmp_path / "book.xlsx")
    rows: list[tuple[object, ...]] = [
        (f"Groupe {n % 40}", n, 0.5, 1.25, n, dt.date(2026, 1, 1)) for n in range(20000)
    ]
    XlsxBackend(path, "fr").write([table(rows=rows)], "fr")
    raw = XlsxBackend(path, "fr").read(lambda title: title == "Synthèse groupes")
    assert len(raw.tabs["Synthèse groupes"].rows) == 20001
    assert raw.tabs["Synthèse groupes"].rows[-1][:2] == ["Groupe 39", 199.99]


def add_formula_and_calc_chain(path: Path) -> None:
    """Put a formula in the owned tab, with the calculation chain Excel keeps for it."""
    parts = members(path)
    sheet = "xl/worksheets/sheet2.xml"
    parts[sheet] = parts[sheet].replace(b"<v>3</v>", b"<f>1+2</f><v>3</v>", 1)
    parts["xl/calcChain.xml"] = (
        b'<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<c r="E2" i="2"/></calcChain>'
    )
    rels = "xl/_rels/workbook.xml.rels"
    parts[rels] = parts[rels].replace(
        b"</Relationships>",
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/calcChain" Target="calcChain.xml"/></Relationships>',
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.calcChain+xml"/></Types>',
    )
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def test_replacing_a_tab_with_formulas_drops_the_calculation_chain(tmp_path: Path) -> None:
    path = input_workbook(tmp_path / "book.xlsx")
    XlsxBackend(path, "fr").write([table()], "fr")
    add_formula_and_calc_chain(path)
    XlsxBackend(path, "fr").write([table()], "fr")
    after = members(path)
    assert "xl/calcChain.xml" not in after
    assert b"calcChain" not in after["xl/_rels/workbook.xml.rels"]
    assert b"calcChain" not in after["[Content_Types].xml"]
    assert openpyxl.load_workbook(path)["Synthèse groupes"]["E2"].value == 3
