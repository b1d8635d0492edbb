"""The layout in a written .xlsx, read back by openpyxl: conditional colours, bold bordered
totals, widths, print setup and titles, the group chart in sight, chart data hidden."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.model import CellValue
from sheetsync.sync.pipeline import Outcome, run_sync
from tests.support.golden import load_case, write_xlsx
from tests.support.paths import GOLDEN

CASE = load_case(GOLDEN / "fr-flag-over.toml")
LATER = CASE.as_of.replace(month=11, day=30)  # other projections: every tab rewritten
# The schema's order of a worksheet's children (ECMA-376 CT_Worksheet), as far as we write.
ORDER = [
    "sheetPr",
    "dimension",
    "sheetViews",
    "sheetFormatPr",
    "cols",
    "sheetData",
    "autoFilter",
    "conditionalFormatting",
    "pageMargins",
    "pageSetup",
    "drawing",
]


def sync(inputs: dict[str, list[list[CellValue]]], path: Path) -> Outcome:
    if not path.exists():
        write_xlsx(inputs, path)
    return run_sync(XlsxBackend(path, "fr"), CASE.as_of)


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Outcome]:
    path = tmp_path_factory.mktemp("layout") / "budget.xlsx"
    return path, sync(CASE.inputs, path)


@pytest.fixture(scope="module")
def workbook(synced: tuple[Path, Outcome]) -> openpyxl.Workbook:
    return openpyxl.load_workbook(synced[0])


def _rules(sheet: Worksheet) -> dict[str, list[tuple[str, str | None, list[str]]]]:
    return {
        str(cf.sqref): [(r.type, r.operator, list(r.formula)) for r in cf.rules]
        for cf in sheet.conditional_formatting
    }


def test_state_words_coloured(workbook: openpyxl.Workbook, synced: tuple[Path, Outcome]) -> None:
    sheet = workbook["Synthèse groupes"]
    rules = _rules(sheet)
    states = rules["H2:H3"]
    assert ("cellIs", "equal", ['"dépassé"']) in states
    assert ("cellIs", "equal", ['"alerte"']) in states
    assert ("cellIs", "equal", ['"ok"']) in states
    # The colour of "dépassé" is red.
    over = next(
        r for cf in sheet.conditional_formatting for r in cf.rules if r.formula == ['"dépassé"']
    )
    dxfs: Any = getattr(workbook, "_differential_styles")  # noqa: B009 - openpyxl keeps them private
    assert dxfs[over.dxfId].fill.bgColor.rgb == "FFFFC7CE"


def test_negative_remaining_and_balance_red(workbook: openpyxl.Workbook) -> None:
    assert _rules(workbook["Synthèse groupes"])["F2:F3"] == [("cellIs", "lessThan", ["0"])]
    payouts = workbook["Paiements"]
    assert ("cellIs", "lessThan", ["0"]) in _rules(payouts)[f"G2:G{payouts.max_row}"]


def test_anomaly_lines_tinted(workbook: openpyxl.Workbook) -> None:
    sheet = workbook["Anomalies"]
    rules = _rules(sheet)[f"A2:F{sheet.max_row}"]
    assert ("expression", None, ['$A2="erreur"']) in rules
    assert ("expression", None, ['$A2="avertissement"']) in rules


def test_total_row_bold_with_a_top_border(workbook: openpyxl.Workbook) -> None:
    sheet = workbook["Synthèse groupes"]
    total = next(iter(sheet.iter_rows(min_row=3, max_row=3)))
    assert total[0].value == "Total"
    assert all(cell.font.b for cell in total)
    assert all(cell.border.top.style == "thin" for cell in total)  # blanks too: one line
    assert not sheet["A2"].font.b


def test_every_owned_tab_prints_landscape_one_page_wide(
    workbook: openpyxl.Workbook, synced: tuple[Path, Outcome]
) -> None:
    for table in synced[1].tables:
        sheet = workbook[table.title]
        assert sheet.page_setup.orientation == "landscape", table.title
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        fit = sheet.sheet_properties.pageSetUpPr
        assert fit is not None
        assert fit.fitToPage
        assert sheet.print_title_rows == "$1:$1"


def test_input_tabs_untouched(workbook: openpyxl.Workbook) -> None:
    sheet = workbook["Groupes"]
    assert sheet.page_setup.orientation is None
    assert not sheet.conditional_formatting
    assert sheet.print_title_rows is None


def test_columns_wide_enough_for_every_header(
    workbook: openpyxl.Workbook, synced: tuple[Path, Outcome]
) -> None:
    for table in synced[1].tables:
        sheet = workbook[table.title]
        for index, header in enumerate(table.header):
            letter = openpyxl.utils.get_column_letter(index + 1)
            assert sheet.column_dimensions[letter].width >= len(header) + 2, (table.title, header)


def test_group_chart_below_the_table(workbook: openpyxl.Workbook) -> None:
    sheet: Any = workbook["Synthèse groupes"]
    (chart,) = sheet._charts
    start = chart.anchor._from
    # Rows are 0-based: header, 1 group, Total, one empty row, then the chart.
    assert (start.col, start.row) == (0, 4)


def test_chart_data_hidden_journal_last_visible(workbook: openpyxl.Workbook) -> None:
    assert workbook["Graphiques (données)"].sheet_state == "hidden"
    assert workbook["sheetsync"].sheet_state == "hidden"
    visible = [s.title for s in workbook.worksheets if s.sheet_state == "visible"]
    assert visible[-1] == "Journal"


def test_sheet_parts_keep_the_schema_order(synced: tuple[Path, Outcome]) -> None:
    with zipfile.ZipFile(synced[0]) as zf:
        parts = [n for n in zf.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)]
        for part in parts:
            tags = [child.tag.split("}")[1] for child in ET.fromstring(zf.read(part))]  # noqa: S314
            known = [t for t in tags if t in ORDER]
            assert known == sorted(known, key=ORDER.index), part


def _edit_workbook_part(path: Path, edit: Callable[[str], str]) -> None:
    with zipfile.ZipFile(path) as zf:
        parts = {info: zf.read(info) for info in zf.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in parts.items():
            text = edit(data.decode()).encode() if info.filename == "xl/workbook.xml" else data
            zf.writestr(info, text)


def test_an_older_visible_chart_data_tab_is_hidden_at_the_next_write(tmp_path: Path) -> None:
    path = tmp_path / "budget.xlsx"
    sync(CASE.inputs, path)
    position = openpyxl.load_workbook(path).sheetnames.index("Graphiques (données)")

    def as_an_older_sync_left_it(text: str) -> str:
        # Chart data shown, and the workbook opening on it.
        text = re.sub(r'(<sheet name="Graphiques \(données\)"[^>]*?) state="hidden"', r"\1", text)
        return re.sub(r'activeTab="\d+"', f'activeTab="{position}"', text)

    _edit_workbook_part(path, as_an_older_sync_left_it)
    assert openpyxl.load_workbook(path)["Graphiques (données)"].sheet_state == "visible"
    assert run_sync(XlsxBackend(path, "fr"), LATER).written
    reread = openpyxl.load_workbook(path)
    assert reread["Graphiques (données)"].sheet_state == "hidden"
    active: Any = reread.active  # the tab the workbook opens on
    assert active.sheet_state == "visible"


def test_styles_do_not_grow_with_syncs(tmp_path: Path) -> None:
    path = tmp_path / "budget.xlsx"
    sync(CASE.inputs, path)
    with zipfile.ZipFile(path) as zf:
        first = zf.read("xl/styles.xml")
    assert run_sync(XlsxBackend(path, "fr"), LATER).written
    with zipfile.ZipFile(path) as zf:
        second = zf.read("xl/styles.xml")
    assert second.count(b"<dxf>") == first.count(b"<dxf>") > 0
    assert second.count(b"<xf ") == first.count(b"<xf ")
