"""The input template says what to type: a note on every header, in the workbook's
language, from the template's [notes]; number formats on dates, hours and amounts; and
new input tabs print like the owned ones (landscape, one page wide, header repeated)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from sheetsync.backends.header_notes import header_notes
from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.template import LANGS, Lang, load
from tests.support.gsheets import GsheetFactory

# The tabs `init` creates; a form's responses tab is made by the form itself.
INIT_TABS = [tab for tab in load().inputs if tab.on_init]


def test_every_input_column_has_a_note_in_both_languages() -> None:
    for tab in INIT_TABS:
        for lang in LANGS:
            notes = header_notes(tab, lang)
            assert all(notes), (tab.key, lang, notes)
    contributions = load().input("contributions")
    date = contributions.columns.index(contributions.column("date"))
    assert "28/11/2026" in header_notes(contributions, "fr")[date]


@pytest.mark.parametrize("lang", LANGS)
def test_xlsx_headers_carry_their_notes(lang: Lang, tmp_path: Path) -> None:
    path = tmp_path / "budget.xlsx"
    XlsxBackend(path, "fr").init(lang, {})
    workbook = openpyxl.load_workbook(path)
    for tab in INIT_TABS:
        sheet = workbook[tab.name(lang)]
        notes = [sheet.cell(1, n).comment for n in range(1, len(tab.columns) + 1)]
        assert [n.text if n else "" for n in notes] == header_notes(tab, lang)


def test_xlsx_input_tabs_print_one_page_wide_with_formats(tmp_path: Path) -> None:
    path = tmp_path / "budget.xlsx"
    XlsxBackend(path, "fr").init("fr", {})
    sheet = openpyxl.load_workbook(path)["Contributions"]
    assert sheet.page_setup.orientation == "landscape"
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == "$1:$1"
    letters = {str(sheet.cell(1, n).value): get_column_letter(n) for n in range(1, 7)}
    formats = {header: sheet.column_dimensions[letter] for header, letter in letters.items()}
    assert formats["Date"].number_format == "dd/mm/yyyy"
    assert formats["Durée (h)"].number_format == "0.00"
    assert formats["Montant demandé"].number_format == "#,##0.00"


def test_google_headers_carry_their_notes(gsheet_backend_from_rows: GsheetFactory) -> None:
    backend, emulator = gsheet_backend_from_rows({"Feuille 1": []})
    backend.init("fr", {})
    book = emulator.books[backend.spreadsheet_id]
    for tab in INIT_TABS:
        sheet = book.sheet_by_title(tab.name("fr"))
        notes = [sheet.cells[(0, n)].get("note", "") for n in range(len(tab.columns))]
        assert notes == header_notes(tab, "fr")
