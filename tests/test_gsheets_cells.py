"""Google cells read as typed values, error cells as the text the sheet shows."""

from __future__ import annotations

import pytest

from sheetsync.backends.gsheets import CELL_FIELDS
from sheetsync.backends.gsheets_cells import read_cell


@pytest.mark.parametrize(
    ("error_type", "shown"),
    [("REF", "#REF!"), ("DIVIDE_BY_ZERO", "#DIV/0!"), ("N_A", "#N/A"), ("ERROR", "#ERROR!")],
)
def test_error_cells_read_as_their_text(error_type: str, shown: str) -> None:
    cell = {"effectiveValue": {"errorValue": {"type": error_type, "message": "x"}}}
    assert read_cell(cell) == shown


def test_read_asks_no_formatted_values() -> None:

    assert "formattedValue" not in CELL_FIELDS


@pytest.mark.parametrize("kind", ["DATE", "DATE_TIME", "TIME"])
def test_a_date_formatted_number_out_of_any_calendar_stays_a_number(kind: str) -> None:
    cell = {
        "effectiveValue": {"numberValue": 1e12},
        "effectiveFormat": {"numberFormat": {"type": kind}},
    }
    assert read_cell(cell) == 1e12
