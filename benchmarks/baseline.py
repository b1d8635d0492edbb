"""What a user would write without sheetsync: pandas in, the same rules, pandas out.

Google: gspread-dataframe per tab. Local: pandas.read_excel, then openpyxl load and save.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

import gspread
import openpyxl
import pandas as pd
import requests
from gspread_dataframe import get_as_dataframe, set_with_dataframe  # type: ignore[import-untyped]

from sheetsync.backends.base import TitleFilter
from sheetsync.model import CellValue, OutputTable, RawTab, RawWorkbook
from sheetsync.sync.pipeline import is_input_title, run_sync
from sheetsync.template import Lang


class _Frames:
    """A stand-in backend over DataFrames already read, so the rules run as in sheetsync."""

    display_name = "DataFrames"

    def __init__(self, frames: dict[str, pd.DataFrame]) -> None:
        self.frames = frames
        self.written: list[OutputTable] = []

    def read(self, wanted: TitleFilter) -> RawWorkbook:
        found = {t: RawTab(t, _rows(f)) for t, f in self.frames.items() if wanted(t)}
        return RawWorkbook(tabs=found, locale="fr_FR", all_titles=tuple(found))

    def write(self, tables: Sequence[OutputTable], lang: Lang) -> None:
        self.written = list(tables)

    def init(self, lang: Lang, rows: Mapping[str, Sequence[Sequence[CellValue]]]) -> None:
        raise NotImplementedError


def apply_rules(frames: dict[str, pd.DataFrame], as_of: dt.date) -> list[OutputTable]:
    """The same parse, rules, checks and report as sheetsync, on DataFrames read by pandas."""
    backend = _Frames(frames)
    run_sync(backend, as_of)
    return backend.written


def google_sync(session: requests.Session, spreadsheet_id: str, as_of: dt.date) -> None:
    """get_as_dataframe per input tab, the rules, set_with_dataframe per output tab."""
    client = gspread.Client(None, session=session)  # type: ignore[arg-type]
    spreadsheet = client.open_by_key(spreadsheet_id)
    worksheets = {ws.title: ws for ws in spreadsheet.worksheets()}
    frames = {
        title: get_as_dataframe(ws, evaluate_formulas=True)
        for title, ws in worksheets.items()
        if is_input_title(title)
    }
    for table in apply_rules(frames, as_of):
        frame = _frame(table)
        worksheet = worksheets.get(table.title) or spreadsheet.add_worksheet(
            table.title, rows=len(frame) + 1, cols=len(frame.columns)
        )
        set_with_dataframe(worksheet, frame, resize=True)


def local_sync(path: Path, as_of: dt.date) -> None:
    """pandas.read_excel of every tab, the rules, then openpyxl rewrites the whole file."""
    # openpyxl: pandas' default engine for .xlsx, named to keep its coming change out.
    everything = pd.read_excel(path, sheet_name=None, engine="openpyxl")
    frames = {title: frame for title, frame in everything.items() if is_input_title(title)}
    tables = apply_rules(frames, as_of)
    workbook = openpyxl.load_workbook(path)
    for table in tables:
        if table.title in workbook.sheetnames:
            del workbook[table.title]
        sheet = workbook.create_sheet(table.title)
        sheet.append(table.header)
        for row in _frame(table).itertuples(index=False):
            sheet.append(list(row))
    workbook.save(path)


def _rows(frame: pd.DataFrame) -> list[list[CellValue]]:
    header: list[CellValue] = [str(column) for column in frame.columns]
    cells = frame.astype(object).where(frame.notna(), None)
    return [header, *cells.to_numpy().tolist()]


def _frame(table: OutputTable) -> pd.DataFrame:
    """The output as a user would hold it: euros as numbers, dates as text."""
    rows = [_user_values(row, table.kinds) for row in table.rows]
    return pd.DataFrame(rows, columns=list(table.header))


def _user_values(row: Sequence[object], kinds: Sequence[str]) -> list[object]:
    return [
        value / 100
        if kind == "money" and isinstance(value, int)
        else value.isoformat()
        if isinstance(value, dt.date)
        else value
        for value, kind in zip(row, kinds, strict=True)
    ]
