"""LibreOffice opens a synced demo workbook and reads every output number sheetsync wrote."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import openpyxl
import pytest

from sheetsync import demo
from sheetsync.model import OutputTable
from sheetsync.sync.pipeline import Outcome
from tests.support.libreoffice import convert

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> tuple[Outcome, Path]:
    """The demo synced by sheetsync, then opened and saved again by LibreOffice."""
    folder = tmp_path_factory.mktemp("lo-sync")
    path, outcome = demo.run(folder, "fr")
    out = folder / "out"
    convert(path, "xlsx", out, folder / "profile")
    return outcome, out / path.name


def expected_cell(value: object, kind: str) -> object:
    """What a spreadsheet shows for a cell sheetsync wrote."""
    if value is None or value == "":
        return None
    if kind == "money":
        return int(value) / 100  # type: ignore[call-overload]
    return value


def same(read: object, wrote: object) -> bool:
    if isinstance(read, dt.datetime):
        read = read.date()
    if isinstance(wrote, float) and isinstance(read, int | float):
        return math.isclose(read, wrote, abs_tol=1e-9)
    return read == wrote


def test_every_output_number_reads_back(synced: tuple[Outcome, Path]) -> None:
    outcome, resaved = synced
    workbook = openpyxl.load_workbook(resaved, data_only=True)
    table: OutputTable
    for table in outcome.tables:
        sheet = workbook[table.title]
        rows = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
        assert len(rows) == len(table.rows), table.title
        for read_row, wrote_row in zip(rows, table.rows, strict=True):
            for read, wrote, kind in zip(read_row, wrote_row, table.kinds, strict=False):
                assert same(read, expected_cell(wrote, kind)), (table.title, read, wrote)
