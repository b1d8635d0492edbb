"""Hostile workbooks: characters XML cannot hold, the 1904 date system, pathological grids.

Every artefact is a real workbook built with openpyxl (then, where Excel stores
things differently, edited in its XML as Excel would have saved it), synced
through `pipeline.run_sync` or the command line, then opened again with
openpyxl and, for the XML, with xml.etree.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import tracemalloc
import zipfile
from collections.abc import Iterable
from pathlib import Path
from xml.etree import ElementTree as ET

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.backends.xlsx.package import open_package
from sheetsync.cli.main import cli
from sheetsync.model import CellValue, RawWorkbook
from sheetsync.sync import handedits, pipeline
from tests.support.excel_parts import to_shared_strings
from tests.support.golden import read_xlsx_tab, write_xlsx
from tests.support.ledger_cases import AS_OF, INPUTS, NOW, GoogleSheet
from tests.support.libreoffice import convert

INPUT_TABS = ("Paramètres", "Groupes", "Contributions", "Versements")
Inputs = dict[str, list[list[CellValue]]]


def _inputs(**cells: CellValue) -> Inputs:
    """The ledger cases' budget with cells replaced: `Contributions_C2="x"` sets C2."""
    inputs = copy.deepcopy(INPUTS)
    for name, value in cells.items():
        tab, ref = name.rsplit("_", 1)
        column, row = ord(ref[0]) - ord("A"), int(ref[1:]) - 1
        inputs[tab][row][column] = value
    return inputs


def _sheet_parts(path: Path) -> dict[str, bytes]:
    """The XML of each tab, by title."""
    with zipfile.ZipFile(path) as package:
        return {sheet.title: package.read(sheet.part) for sheet in open_package(package).sheets}


def _every_part_parses(path: Path) -> None:
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if name.endswith((".xml", ".rels")):
                ET.fromstring(package.read(name))  # noqa: S314 - our own file
    openpyxl.load_workbook(path).close()


RESULTS = ("Synthèse groupes", "Synthèse personnes", "Paiements", "Mensuel")


def _results(path: Path, titles: Iterable[str] = RESULTS) -> dict[str, list[tuple[object, ...]]]:
    """The cells of these output tabs below their header, as openpyxl reads them."""
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return {t: list(workbook[t].iter_rows(min_row=2, values_only=True)) for t in titles}
    finally:
        workbook.close()


def _hand_copies(path: Path) -> list[str]:
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        return [t for t in workbook.sheetnames if "modifié" in t]
    finally:
        workbook.close()


# ------------------------------------------------------------------ characters XML cannot hold

BELL_GROUP = "Com\x07munication"  # a bell typed in a name, as another program left it
LITERAL = "_x0007_ Ana"  # a person whose name holds the text of an escape, typed as text


def control_workbook(path: Path) -> None:
    """Names holding a bell and a literal escape, stored as Excel stores them:
    `Com_x0007_munication` and `_x005F_x0007_ Ana`, in the shared string table."""
    excel = {"Com\x07munication": "Com_x0007_munication", LITERAL: "_x005F_x0007_ Ana"}
    inputs = _inputs(
        Groupes_A2=excel[BELL_GROUP],
        Contributions_C2=excel[BELL_GROUP],
        Contributions_C3=excel[BELL_GROUP],
        Contributions_B4=excel[LITERAL],
        Contributions_C4="Site",
    )
    write_xlsx(inputs, path)
    to_shared_strings(path)


def test_the_workbook_stores_names_as_excel_does(tmp_path: Path) -> None:
    path = tmp_path / "budget.xlsx"
    control_workbook(path)
    with zipfile.ZipFile(path) as package:
        strings = package.read("xl/sharedStrings.xml")
    assert b"<t>Com_x0007_munication</t>" in strings
    assert b"<t>_x005F_x0007_ Ana</t>" in strings
    raw = XlsxBackend(path, "fr").read(lambda title: title == "Groupes")
    assert raw.tabs["Groupes"].rows[1][0] == BELL_GROUP  # decoded as Excel decodes it


def test_control_characters_are_written_as_excel_escapes_and_never_flap(tmp_path: Path) -> None:
    path = tmp_path / "budget.xlsx"
    control_workbook(path)
    inputs_before = {t: x for t, x in _sheet_parts(path).items() if t in INPUT_TABS}
    first = pipeline.run_sync(XlsxBackend(path, "fr"), AS_OF, now=NOW)
    assert first.written
    _every_part_parses(path)
    parts = _sheet_parts(path)
    assert b"<t>Com_x0007_munication</t>" in parts["Synthèse groupes"]
    assert b"_x005F_x0007_ Ana" in parts["Synthèse personnes"]
    assert not any(re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", x) for x in parts.values())
    groups = read_xlsx_tab(path, "Synthèse groupes")
    assert [row[0] for row in groups] == ["Com_x0007_munication", "Site", "Total"]  # as stored
    raw = XlsxBackend(path, "fr").read(lambda title: title == "Synthèse personnes")
    assert LITERAL in [row[0] for row in raw.tabs["Synthèse personnes"].rows]
    for _ in range(2):  # what was written reads back as written: no edit seen, nothing to do
        assert not pipeline.run_sync(XlsxBackend(path, "fr"), AS_OF, now=NOW).written
    assert _hand_copies(path) == []
    assert {t: x for t, x in _sheet_parts(path).items() if t in INPUT_TABS} == inputs_before


def test_raw_control_characters_left_by_another_program(tmp_path: Path) -> None:
    """A program that wrote the bell as a raw byte and as character references (not
    well-formed XML, which calamine reads anyway): read, written escaped, no flap."""
    path = tmp_path / "budget.xlsx"
    control_workbook(path)
    with zipfile.ZipFile(path) as source:
        parts = {info: source.read(info) for info in source.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dest:
        for info, data in parts.items():
            raw_bell = data.replace(b"Com_x0007_munication", b"Com\x07munication")
            dest.writestr(info, raw_bell.replace(b"_x005F_x0007_ Ana", b"&#1;&#x1b; Ana"))
    raw = XlsxBackend(path, "fr").read(lambda title: title in INPUT_TABS)
    assert raw.tabs["Groupes"].rows[1][0] == BELL_GROUP
    assert raw.tabs["Contributions"].rows[3][1] == "\x01\x1b Ana"
    assert pipeline.run_sync(XlsxBackend(path, "fr"), AS_OF, now=NOW).written
    written = _sheet_parts(path)
    for title in ("Synthèse groupes", "Synthèse personnes", "Anomalies"):
        ET.fromstring(written[title])  # noqa: S314 - our own file
    assert b"_x0001__x001B_ Ana" in written["Synthèse personnes"]
    for _ in range(2):
        assert not pipeline.run_sync(XlsxBackend(path, "fr"), AS_OF, now=NOW).written


def test_a_control_character_is_shown_visibly(tmp_path: Path) -> None:
    path = tmp_path / "budget.xlsx"
    control_workbook(path)
    result = CliRunner(env={"LC_ALL": "", "LANG": ""}).invoke(
        cli, ["sync", str(path), "--as-of", AS_OF.isoformat()]
    )
    assert result.exit_code in (0, 1, 3), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Com␇munication" in result.output
    assert "\x07" not in result.output
    anomalies = read_xlsx_tab(path, "Anomalies")
    assert any("« Com␇munication »" in str(cell) for row in anomalies for cell in row)


def test_google_control_characters_do_not_flap(monkeypatch: pytest.MonkeyPatch) -> None:
    inputs = _inputs(
        Groupes_A2="Com\x07mu\x1bnication",
        Contributions_C2="Com\x07mu\x1bnication",
        Contributions_C3="Com\x07mu\x1bnication",
        Contributions_B4="C\x08y",
    )
    monkeypatch.setattr("tests.support.ledger_cases.INPUTS", inputs)
    sheet = GoogleSheet()
    before = {t: sheet.values(t) for t in INPUT_TABS}
    assert pipeline.run_sync(sheet.backend(), AS_OF, now=NOW).written
    for _ in range(2):
        assert not pipeline.run_sync(sheet.backend(), AS_OF, now=NOW).written
    assert sheet.values("Synthèse groupes")[1][0] == "Com\x07mu\x1bnication"
    assert {t: sheet.values(t) for t in INPUT_TABS} == before


# ------------------------------------------------------------------ the 1904 date system


def _save_1904(inputs: Inputs, path: Path) -> None:
    write_xlsx(inputs, path)
    workbook = openpyxl.load_workbook(path)
    workbook.epoch = CALENDAR_MAC_1904  # the dates keep their day; their serials move
    workbook.save(path)


def test_a_1904_workbook_is_read_and_written_in_its_own_dates(tmp_path: Path) -> None:
    mac, windows = tmp_path / "mac.xlsx", tmp_path / "windows.xlsx"
    _save_1904(INPUTS, mac)
    write_xlsx(INPUTS, windows)
    with zipfile.ZipFile(mac) as package:
        assert b'date1904="1"' in package.read("xl/workbook.xml")
    inputs_before = {t: x for t, x in _sheet_parts(mac).items() if t in INPUT_TABS}
    outcome = pipeline.run_sync(XlsxBackend(mac, "fr"), AS_OF, now=NOW)
    pipeline.run_sync(XlsxBackend(windows, "fr"), AS_OF, now=NOW)
    assert {t: x for t, x in _sheet_parts(mac).items() if t in INPUT_TABS} == inputs_before
    _every_part_parses(mac)
    # Input dates read right: contributions counted in their months (March and May).
    monthly = read_xlsx_tab(mac, "Mensuel")
    assert [(row[0], row[1]) for row in monthly] == [
        ("2026-03", "Communication"),
        ("2026-03", "Site"),
        ("2026-05", "Site"),
    ]
    assert outcome.figures.rows["date"].min() == dt.datetime(2026, 3, 1)
    # Output dates written in the workbook's system: openpyxl reads them back to the day.
    workbook = openpyxl.load_workbook(mac, read_only=True)
    assert workbook.epoch == CALENDAR_MAC_1904
    workbook.close()
    last = [(row[0], row[-1]) for row in read_xlsx_tab(mac, "Synthèse groupes")]
    assert last[:2] == [("Communication", dt.date(2026, 3, 10)), ("Site", dt.date(2026, 5, 1))]
    titles = ("Synthèse groupes", "Synthèse personnes", "Paiements", "Mensuel", "Journal")
    assert _results(mac, titles) == _results(windows, titles)
    assert not pipeline.run_sync(XlsxBackend(mac, "fr"), AS_OF, now=NOW).written


@pytest.mark.libreoffice
@pytest.mark.slow
def test_libreoffice_reads_the_1904_dates_written(tmp_path: Path) -> None:
    path = tmp_path / "mac.xlsx"
    _save_1904(INPUTS, path)
    pipeline.run_sync(XlsxBackend(path, "fr"), AS_OF, now=NOW)
    csv = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    convert(path, csv, tmp_path, tmp_path / "profile")
    summary = (tmp_path / "mac-Synthèse groupes.csv").read_text("utf-8").splitlines()
    assert summary[1].startswith("Communication,")
    assert summary[1].endswith(",03/10/2026")
    assert summary[2].endswith(",05/01/2026")


# ------------------------------------------------------------------ pathological grids

READ_BOUND = 50 * 2**20  # bytes: the tab's cells, not the grid they span


def _clean(tmp_path: Path) -> Path:
    """The budget without stray values, synced: the results to compare with."""
    path = tmp_path / "clean.xlsx"
    write_xlsx(INPUTS, path)
    pipeline.run_sync(XlsxBackend(path, "fr"), AS_OF, now=NOW)
    return path


def _far(tmp_path: Path, cells: dict[str, str | int], *, claim_grid: bool = False) -> Path:
    """The budget with stray values typed far away, saved by openpyxl; with `claim_grid`,
    every tab's <dimension> edited to claim the whole grid."""
    path = tmp_path / "far.xlsx"
    write_xlsx(INPUTS, path)
    workbook = openpyxl.load_workbook(path)
    for where, value in cells.items():
        tab, ref = where.split("!")
        workbook[tab][ref] = value
    workbook.save(path)
    if claim_grid:
        with zipfile.ZipFile(path) as source:
            parts = {info: source.read(info) for info in source.infolist()}
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dest:
            for info, data in parts.items():
                whole = b'<dimension ref="A1:XFD1048576"'
                dest.writestr(info, re.sub(rb'<dimension ref="[^"]*"', whole, data))
    return path


def _read_peak(path: Path, titles: Iterable[str] = INPUT_TABS) -> tuple[int, RawWorkbook]:
    """Peak bytes allocated while reading these tabs, and what was read."""
    wanted = set(titles)
    tracemalloc.start()
    try:
        raw = XlsxBackend(path, "fr").read(wanted.__contains__)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak, raw


@pytest.mark.parametrize(
    "cells",
    [
        {"Contributions!XFD1": "far right"},  # a header in the last column
        {"Contributions!XFD3": 12},  # a number under no header, in the last column
        {"Groupes!XFD1048576": "corner"},
    ],
    ids=["header-XFD1", "value-XFD3", "corner"],
)
def test_a_value_far_right_is_ignored_as_an_unknown_column(
    tmp_path: Path, cells: dict[str, str | int]
) -> None:
    clean, path = _clean(tmp_path), _far(tmp_path, cells)
    peak, raw = _read_peak(path)
    rows = raw.tabs["Contributions"].rows
    assert peak < READ_BOUND
    assert sum(1 for row in rows for cell in row if cell is not None) <= 61
    outcome = pipeline.run_sync(XlsxBackend(path, "fr"), AS_OF, now=NOW)
    assert _results(path) == _results(clean)  # no header, no meaning: as in any unknown column
    assert not [a for a in outcome.anomalies if a.severity.value == "error"]
    _every_part_parses(path)


def test_a_value_in_the_last_row_is_a_row_reported_where_it_is(tmp_path: Path) -> None:
    path = _far(tmp_path, {"Contributions!A1048576": "stray"})
    inputs_before = {t: x for t, x in _sheet_parts(path).items() if t in INPUT_TABS}
    peak, raw = _read_peak(path)
    rows = raw.tabs["Contributions"].rows
    assert peak < READ_BOUND
    assert len(rows) == 1_048_576
    assert rows[-1] == ["stray"]
    assert len({id(row) for row in rows}) <= 8  # the blank rows in between: one shared list
    outcome = pipeline.run_sync(XlsxBackend(path, "fr"), AS_OF, now=NOW)
    found = {(a.code, a.row) for a in outcome.anomalies if a.severity.value == "error"}
    assert ("date_unreadable", 1_048_576) in found
    assert {r for _, r in found} == {1_048_576}
    assert _results(path) == _results(_clean(tmp_path))
    assert {t: x for t, x in _sheet_parts(path).items() if t in INPUT_TABS} == inputs_before
    _every_part_parses(path)


def test_a_dimension_claiming_the_whole_grid_changes_nothing(tmp_path: Path) -> None:
    path = _far(tmp_path, {}, claim_grid=True)
    assert b"A1:XFD1048576" in _sheet_parts(path)["Contributions"]
    peak, raw = _read_peak(path)
    rows = raw.tabs["Contributions"].rows
    assert peak < READ_BOUND
    assert len(rows) == 6
    pipeline.run_sync(XlsxBackend(path, "fr"), AS_OF, now=NOW)
    assert _results(path) == _results(_clean(tmp_path))


def test_stray_values_far_right_in_an_output_and_the_hidden_tab(tmp_path: Path) -> None:
    path = _clean(tmp_path)
    expected = _results(path)
    workbook = openpyxl.load_workbook(path)
    workbook["Synthèse groupes"]["XFD2"] = "note"
    workbook["sheetsync"]["XFD5"] = "note"
    workbook.save(path)
    peak, _ = _read_peak(path, {"Synthèse groupes", "sheetsync"})
    assert peak < READ_BOUND
    outcome = pipeline.run_sync(XlsxBackend(path, "fr"), AS_OF, now=NOW)
    # An output tab typed into is kept as a dated copy, the stray value with it.
    assert [a.code for a in outcome.anomalies].count("hand_edited_output") == 1
    copy_title = "Synthèse… (modifié 2026-06-30)"
    assert _hand_copies(path) == [copy_title]
    copied = XlsxBackend(path, "fr").read(lambda title: title == copy_title).tabs[copy_title]
    assert copied.rows[1][16383] == "note"
    assert _results(path) == expected
    _every_part_parses(path)
    assert pipeline.run_sync(XlsxBackend(path, "fr"), AS_OF, now=NOW).changed == ("Anomalies",)
    assert not pipeline.run_sync(XlsxBackend(path, "fr"), AS_OF, now=NOW).written


def test_a_value_in_the_last_row_of_an_output_is_copied_at_its_row(tmp_path: Path) -> None:
    """The dated copy of an output tab typed into at row 1,048,576 costs its cells, not a
    million rows: blank rows are one shared empty row, neither typed nor written."""
    last = 1_048_576
    path = _clean(tmp_path)
    expected = _results(path)
    workbook = openpyxl.load_workbook(path)
    summary = [[c.value for c in row] for row in workbook["Synthèse groupes"].iter_rows()]
    workbook["Synthèse groupes"][f"A{last}"] = "note"
    workbook.save(path)
    raw = XlsxBackend(path, "fr").read(handedits.is_output_title)
    (copy_table,) = handedits.find(raw, "fr", "EUR", AS_OF).copies
    assert len(copy_table.rows) == last - 1  # the rows keep their numbers
    # The rows below the header, the last one and one blank row shared by all the others.
    assert len({id(row) for row in copy_table.rows}) == len(summary) - 1 + 2
    outcome = pipeline.run_sync(XlsxBackend(path, "fr"), AS_OF, now=NOW)
    assert [a.code for a in outcome.anomalies].count("hand_edited_output") == 1
    copy_title = "Synthèse… (modifié 2026-06-30)"
    assert _hand_copies(path) == [copy_title]
    copied = openpyxl.load_workbook(path)[copy_title]
    assert copied[f"A{last}"].value == "note"
    kept = [[c.value for c in row] for row in copied.iter_rows(max_row=len(summary))]
    assert kept == summary  # the user's cells at their places
    # Only the rows holding cells are in the copy's XML.
    numbers = [int(n) for n in re.findall(rb'<row r="([0-9]+)"', _sheet_parts(path)[copy_title])]
    assert numbers == [*range(1, len(summary) + 1), last]
    assert _results(path) == expected
    _every_part_parses(path)
    assert pipeline.run_sync(XlsxBackend(path, "fr"), AS_OF, now=NOW).changed == ("Anomalies",)
    assert not pipeline.run_sync(XlsxBackend(path, "fr"), AS_OF, now=NOW).written


def test_the_command_line_on_a_far_value(tmp_path: Path) -> None:
    path = _far(tmp_path, {"Contributions!A1048576": "stray", "Contributions!XFD2": 5})
    result = CliRunner(env={"LC_ALL": "", "LANG": ""}).invoke(
        cli, ["sync", str(path), "--as-of", AS_OF.isoformat()]
    )
    assert result.exit_code == 0, result.output  # the sync is done; the stray row is an error
    assert "ligne 1048576" in result.output


def test_a_far_row_keeps_its_types_and_its_error_cells(tmp_path: Path) -> None:
    """Read from the compact copy, a far row's cells are typed as in any other row."""
    last = 1_048_576
    row: dict[str, str | int] = {"B": "Ana", "C": "Site", "E": 7, "F": "#DIV/0!"}
    cells = {f"Contributions!{column}{last}": value for column, value in row.items()}
    path = _far(tmp_path, cells)
    workbook = openpyxl.load_workbook(path)
    workbook["Contributions"][f"A{last}"] = dt.date(2026, 4, 1)
    workbook.save(path)
    _, raw = _read_peak(path)
    read = raw.tabs["Contributions"].rows[last - 1]
    assert read[:5] == [dt.date(2026, 4, 1), "Ana", "Site", None, 7]
    outcome = pipeline.run_sync(XlsxBackend(path, "fr"), AS_OF, now=NOW)
    errors = {(a.code, a.row, a.column) for a in outcome.anomalies if a.severity.value == "error"}
    assert ("cell_error", last, "Montant demandé") in errors  # as for a row near the top
    assert {number for _, number, _ in errors} == {last}
    assert last not in set(outcome.figures.rows["row"])  # never paid on a guess
