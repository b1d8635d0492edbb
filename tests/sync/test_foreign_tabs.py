"""A tab sheetsync did not create that holds an output title — exactly or differing only by
case, which Google Sheets and Excel both treat as the same title — stops the sync before
any write, with a message in the sheet's language naming the tab as the user spelled it."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.errors import StructureError
from sheetsync.model import CellValue
from sheetsync.sync import pipeline
from tests.support.golden import write_xlsx
from tests.support.gsheets import GsheetFactory
from tests.support.ledger_cases import AS_OF, INPUTS

CLASHES = ["Synthèse groupes", "SYNTHÈSE GROUPES", "synthèse Groupes"]


def with_tab(title: str) -> dict[str, list[list[CellValue]]]:
    return {**INPUTS, title: [["à moi"]]}


@pytest.mark.parametrize("title", CLASHES)
def test_a_clash_stops_a_local_sync_before_writing(tmp_path: Path, title: str) -> None:
    path = tmp_path / "budget.xlsx"
    write_xlsx(with_tab(title), path)
    before = path.read_bytes()
    with pytest.raises(StructureError) as raised:
        pipeline.run_sync(XlsxBackend(path, "fr"), AS_OF)
    assert f"L'onglet « {title} » existe déjà" in str(raised.value)
    assert path.read_bytes() == before
    assert openpyxl.load_workbook(path).sheetnames == [*INPUTS, title]


@pytest.mark.parametrize("title", CLASHES)
def test_a_clash_stops_a_google_sync_before_writing(
    gsheet_backend_from_rows: GsheetFactory, title: str
) -> None:
    backend, emulator = gsheet_backend_from_rows(with_tab(title))
    with pytest.raises(StructureError) as raised:
        pipeline.run_sync(backend, AS_OF)
    assert f"L'onglet « {title} » existe déjà" in str(raised.value)
    titles = [s.title for s in emulator.books[backend.spreadsheet_id].sheets]
    assert titles == [*INPUTS, title]
    assert emulator.tab_values(backend.spreadsheet_id, title) == [["à moi"]]


def test_an_english_sheet_gets_the_english_message(tmp_path: Path) -> None:
    path = tmp_path / "budget.xlsx"
    inputs: dict[str, list[list[CellValue]]] = {
        "Groups": [["Group", "Envelope"], ["Comms", 100]],
        "Contributions": [["Date", "Person", "Group", "Hours"], ["2026-03-02", "Ann", "Comms", 2]],
        "GROUP SUMMARY": [["mine"]],
    }
    write_xlsx(inputs, path)
    with pytest.raises(StructureError, match="The tab 'GROUP SUMMARY' already exists"):
        pipeline.run_sync(XlsxBackend(path, "fr"), AS_OF)
