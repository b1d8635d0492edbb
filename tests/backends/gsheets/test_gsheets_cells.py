"""Google cells read as typed values, error cells as the text the sheet shows."""

from __future__ import annotations

import pytest

from sheetsync.backends.gsheets.cells import read_cell
from sheetsync.backends.gsheets.values import VALUE_PARAMS, typed_rows
from sheetsync.model import ErrorCell


@pytest.mark.parametrize(
    ("error_type", "shown"),
    [("REF", "#REF!"), ("DIVIDE_BY_ZERO", "#DIV/0!"), ("N_A", "#N/A"), ("ERROR", "#ERROR!")],
)
def test_error_cells_read_as_their_text(error_type: str, shown: str) -> None:
    cell = {"effectiveValue": {"errorValue": {"type": error_type, "message": "x"}}}
    assert read_cell(cell) == shown


def test_values_are_asked_unformatted_with_dates_as_shown() -> None:
    assert VALUE_PARAMS["valueRenderOption"] == "UNFORMATTED_VALUE"
    assert VALUE_PARAMS["dateTimeRenderOption"] == "FORMATTED_STRING"


@pytest.mark.parametrize("literal", ["#DIV/0!", "#REF!", "#N/A", "#NAME?", "#ERROR!"])
def test_error_literals_read_as_values_are_error_cells(literal: str) -> None:
    rows = typed_rows([["Date", "Hours"], [46000, literal, ""], ["", "", ""]])
    assert rows == [["Date", "Hours"], [46000, literal]]
    assert isinstance(rows[1][1], ErrorCell)
    assert not isinstance(rows[0][1], ErrorCell)


@pytest.mark.parametrize("kind", ["DATE", "DATE_TIME", "TIME"])
def test_a_date_formatted_number_out_of_any_calendar_stays_a_number(kind: str) -> None:
    cell = {
        "effectiveValue": {"numberValue": 1e12},
        "effectiveFormat": {"numberFormat": {"type": kind}},
    }
    assert read_cell(cell) == 1e12
