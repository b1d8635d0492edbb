"""Where a contribution row comes from: the Contributions tab or a form's responses tab.

Both sources share one table of contributions; a row of the responses tab is numbered
RESPONSE_ROWS + its sheet row, so every row keeps one stable identity across syncs and
closings, and every message still names the tab and the row the user sees.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from sheetsync.model import Book
from sheetsync.template import load

# Above any sheet's row count (Google Sheets holds at most 10 million cells).
RESPONSE_ROWS = 1_000_000_000


def is_response(row: int) -> bool:
    return row >= RESPONSE_ROWS


def source_key(row: int) -> str:
    """The input tab key a row comes from: "contributions" or "responses"."""
    return "responses" if is_response(row) else "contributions"


def sheet_row(row: int) -> int:
    """The row number the user sees in the row's own tab."""
    return row - RESPONSE_ROWS if is_response(row) else row


def tab_title(book: Book, key: str) -> str:
    """An input tab's title as found in the sheet, else its template name."""
    return book.titles.get(key) or load().input(key).name(book.lang)


def located(book: Book, row: int) -> tuple[str, int]:
    """(the tab's title, the sheet row) of a contribution row."""
    return tab_title(book, source_key(row)), sheet_row(row)


def header(book: Book, row: int, column: str) -> str | None:
    """The header of a template column in the row's own tab; None when absent."""
    return book.headers.get(source_key(row), {}).get(column)


def row_text(book: Book, row: int) -> str:
    """A row as messages name it: "12" on the Contributions tab, "3 (Form Responses 1)"
    on the responses tab."""
    if not is_response(row):
        return str(row)
    title, number = located(book, row)
    return f"{number} ({title})"


@dataclass(frozen=True)
class RowRead:
    """What the parse read of a contribution, response or payment row, kept in the books
    or left out for an error: its date (None when unreadable) and group ("" for a
    payment)."""

    date: dt.date | None
    group: str


def rows_read(book: Book, wanted: Iterable[tuple[str, int]]) -> dict[tuple[str, int], RowRead]:
    """The rows `wanted` as (tab title, sheet row), from the parsed book: the kept rows
    and the rows left out for an error (Book.left_out); nothing is read from the cells
    again. A row the parse did not see (blank, or on another tab) is absent."""
    wanted = set(wanted)
    if not wanted:
        return {}
    kept = [
        book.contributions.assign(tab="contributions")[["tab", "row", "date", "group"]],
        book.payments.assign(tab="payments", group="")[["tab", "row", "date", "group"]],
    ]
    numbers = {row for _, row in wanted}
    numbers |= {row + RESPONSE_ROWS for row in numbers}  # a response row's identity
    found: dict[tuple[str, int], RowRead] = {}
    for frame in [*kept, *([book.left_out] if book.left_out is not None else [])]:
        near = frame[frame["row"].isin(numbers)]
        for tab, row, day, group in near.itertuples(index=False, name=None):
            key = source_key(int(row)) if tab == "contributions" else tab
            where = (tab_title(book, key), sheet_row(int(row)))
            if where in wanted:
                found[where] = RowRead(None if pd.isna(day) else day.date(), str(group))
    return found
