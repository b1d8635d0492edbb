"""Real error cells (a saved #DIV/0!, #REF!, #N/A — not the text) are anomalies naming the
cell and its error, and their rows are never paid on a guess."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from sheetsync.backends.gsheets.cells import read_cell
from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.model import ErrorCell
from sheetsync.sync import pipeline
from tests.support.golden import write_xlsx
from tests.support.ledger_cases import AS_OF, INPUTS, NOW


def workbook_with_errors(path: Path) -> None:
    """The ledger cases' budget, saved with three cells in error, as Excel stores them."""
    write_xlsx(INPUTS, path)
    workbook = openpyxl.load_workbook(path)
    contributions, payments = workbook["Contributions"], workbook["Versements"]
    contributions["F3"] = "#DIV/0!"  # Bo's requested amount
    contributions["B4"] = "#N/A"  # Cy's name
    payments["C2"] = "#REF!"  # Ana's payment
    workbook.save(path)


def test_the_workbook_holds_real_error_cells(tmp_path: Path) -> None:
    path = tmp_path / "budget.xlsx"
    workbook_with_errors(path)
    with zipfile.ZipFile(path) as package:
        xml = b"".join(package.read(n) for n in package.namelist() if "worksheets/" in n)
    assert xml.count(b't="e"') == 3


def test_error_cells_are_anomalies_and_their_rows_are_not_paid(tmp_path: Path) -> None:
    path = tmp_path / "budget.xlsx"
    workbook_with_errors(path)
    outcome = pipeline.run_sync(XlsxBackend(path, "fr"), AS_OF, now=NOW)
    found = {(a.tab, a.row, a.column, a.value) for a in outcome.anomalies if a.code == "cell_error"}
    assert found == {
        ("Contributions", 3, "Montant demandé", "#DIV/0!"),
        ("Contributions", 4, "Personne", "#N/A"),
        ("Versements", 2, "Montant", "#REF!"),
    }
    assert all(a.severity.value == "error" for a in outcome.anomalies if a.code == "cell_error")
    paid_rows = set(outcome.figures.rows["row"])
    assert {3, 4} & paid_rows == set()  # neither row counts, not even at its reference
    assert int(outcome.figures.payouts["paid"].sum()) == 0  # the payment in error is left out
    message = next(a.message for a in outcome.anomalies if a.row == 3 and a.code == "cell_error")
    assert "« #DIV/0! »" in message


@pytest.mark.parametrize("kind", ["DIVIDE_BY_ZERO", "REF", "N_A"])
def test_google_error_cells_are_typed_as_errors(kind: str) -> None:
    value = read_cell({"effectiveValue": {"errorValue": {"type": kind, "message": "x"}}})
    assert isinstance(value, ErrorCell)


def test_a_text_that_looks_like_an_error_stays_text(tmp_path: Path) -> None:
    path = tmp_path / "budget.xlsx"
    workbook_with_errors(path)
    workbook = openpyxl.load_workbook(path)
    cell = workbook["Contributions"]["G2"]
    cell.value = "#N/A"
    cell.data_type = "s"  # typed by a person: a description, not an error
    workbook.save(path)
    outcome = pipeline.run_sync(XlsxBackend(path, "fr"), dt.date(2026, 6, 30), now=NOW)
    errors = [(a.tab, a.row) for a in outcome.anomalies if a.code == "cell_error"]
    assert ("Contributions", 2) not in errors
