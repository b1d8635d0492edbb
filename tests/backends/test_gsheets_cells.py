"""Google cells read as typed values, error cells as the text the sheet shows."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from sheetsync.backends.gsheets.backend import CELL_FIELDS
from sheetsync.backends.gsheets.cells import cells_as_values, read_cell, read_rows


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


def test_cells_become_values_while_the_answer_is_decoded() -> None:
    answer = json.dumps(
        {
            "sheets": [
                {
                    "properties": {"title": "Contributions"},
                    "data": [
                        {
                            "rowData": [
                                {"values": [{"effectiveValue": {"stringValue": "Date"}}, {}]},
                                {
                                    "values": [
                                        {
                                            "effectiveValue": {"numberValue": 46354},
                                            "effectiveFormat": {"numberFormat": {"type": "DATE"}},
                                        },
                                        {"effectiveValue": {"numberValue": 3.5}},
                                    ]
                                },
                            ]
                        }
                    ],
                }
            ]
        }
    )
    body = json.loads(answer, object_hook=cells_as_values)
    grid = body["sheets"][0]["data"][0]
    assert body["sheets"][0]["properties"] == {"title": "Contributions"}
    assert read_rows(grid) == [["Date"], [dt.date(2026, 11, 28), 3.5]]
