"""Exports for accounting: one computed table as CSV (formula-safe, Excel-ready) or as
a one-tab .xlsx, in the input's language, with the same figures as the summary tabs.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.cell.cell import Cell

from sheetsync import display, formats, sources
from sheetsync.backends.base import Backend
from sheetsync.books.rules import SECONDS_PER_HOUR, Figures
from sheetsync.messages import say
from sheetsync.model import Book, OutputTable
from sheetsync.report import tables as report
from sheetsync.report.names import EXPORT_KINDS
from sheetsync.sync import pipeline
from sheetsync.template import Lang, load
from sheetsync.units import to_units

# What users ask for -> the output tab it comes from ("contributions" is built here).
KINDS = EXPORT_KINDS
# OWASP CSV injection: text starting with these may be run as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def contributions_table(book: Book, figures: Figures) -> OutputTable:
    """Every contribution row of the period with what it is worth and what it gets."""
    tab, lang = load().export("contributions"), book.lang
    rows = [_contribution(book, row) for _, row in figures.rows.sort_values("row").iterrows()]
    return OutputTable(
        "contributions",
        load().input("contributions").name(lang),
        tuple(c.name(lang) for c in tab.columns),
        tuple(c.kind for c in tab.columns),
        rows,
        book.settings.currency,
    )


def _contribution(book: Book, row: pd.Series) -> tuple[object, ...]:
    """A rejected row is listed with nothing requested, as it counts in no amount."""
    enums = load().enums
    seconds, reference = row["seconds"], row["reference"]
    tab, number = sources.located(book, int(row["row"]))
    return (
        number,
        row["date"].date(),
        str(row["person"]),
        str(row["group"]),
        str(row["charged"]),
        enums["kind"].label(str(row["kind"]), book.lang),
        enums["status"].label(str(row["status"]), book.lang),
        None if pd.isna(seconds) else int(seconds) / SECONDS_PER_HOUR,
        None if pd.isna(reference) else int(reference),
        int(row["amount"]) if row["counted"] else 0,
        int(row["payable"]),
        tab,
    )


def pick(kind: str, tables: Sequence[OutputTable], book: Book, figures: Figures) -> OutputTable:
    """The table an export kind stands for, from the rendered output tables."""
    key = KINDS[kind]
    if not key:
        return contributions_table(book, figures)
    return next(t for t in tables if t.key == key)


# ---------------------------------------------------------------- CSV


def neutralise(text: str) -> str:
    """Text a spreadsheet could run as a formula, quoted so it stays text."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


# Fractions (percentages, factors) to 4 decimals — a hundredth of a percent — and hours
# to the hundredth: what a spreadsheet shows, with no float artefact.
CSV_DIGITS = {"percent": 4, "factor": 4, "hours": 2}


def csv_cell(value: object, kind: str, lang: Lang) -> str:
    """One cell as CSV text: numbers stay numbers (decimal comma in French)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    return _value_text(value, kind, lang)


def _value_text(value: object, kind: str, lang: Lang) -> str:
    if isinstance(value, dt.date):
        return display.date(value, lang)
    if isinstance(value, bool):
        return str(int(value))
    if kind == "money":
        return display.amount(int(value), lang)  # type: ignore[call-overload]
    if isinstance(value, float):
        return display.decimal(value, lang, CSV_DIGITS.get(kind, 6))
    return str(value)


def to_csv(table: OutputTable, lang: Lang) -> bytes:
    """UTF-8 with a BOM (Excel reads the accents), `;` in French and `,` in English."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=say(lang, "format.csv_delimiter"), lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in table.header])
    for row in table.rows:
        writer.writerow([csv_cell(v, k, lang) for v, k in zip(row, table.kinds, strict=False)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# ---------------------------------------------------------------- xlsx


def to_xlsx(table: OutputTable, path: Path) -> None:
    """A new workbook holding the table: typed cells, text never a formula."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = table.title[:31]
    sheet.append(list(table.header))
    for number, row in enumerate(table.rows, start=2):
        for column, (value, kind) in enumerate(zip(row, table.kinds, strict=False), start=1):
            cell = sheet.cell(number, column)
            assert isinstance(cell, Cell)  # a new sheet has no merged cells
            _xlsx_cell(cell, value, kind, table.currency)
    sheet.freeze_panes = "A2"
    workbook.save(path)


def _xlsx_cell(cell: Cell, value: object, kind: str, currency: str) -> None:
    if value is None:
        return
    if kind == "money":
        value = to_units(int(value))  # type: ignore[call-overload]
    cell.value = value  # type: ignore[assignment]
    if isinstance(value, str):
        cell.data_type = "s"  # text a user wrote as "=..." stays text, never a formula
    number_format = formats.number_format(kind, currency)
    if number_format:
        cell.number_format = number_format


def export_table(
    backend: Backend, kind: str, as_of: dt.date, period: str | None = None
) -> tuple[OutputTable, Lang]:
    """Read and compute the spreadsheet (writing nothing); the table to export and its language.

    The table comes from the run's books, closings applied: it equals the tabs
    a sync at the same as-of date writes. `period`: an earlier period's label, its
    tables exactly as its closing froze them (SPEC §12).
    """
    with pipeline.computed(backend, as_of) as outcome:
        if period is None:
            return pick(kind, outcome.tables, outcome.book, outcome.figures), outcome.book.lang
        book, figures, _anomalies = outcome.period(period)
        tables = outcome.tables if book is outcome.book else report.render(book, figures, [])
        return pick(kind, tables, book, figures), book.lang
