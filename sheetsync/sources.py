"""Where a contribution row comes from: the Contributions tab or a form's responses tab.

Both sources share one table of contributions; a row of the responses tab is numbered
RESPONSE_ROWS + its sheet row, so every row keeps one stable identity across syncs and
closings, and every message still names the tab and the row the user sees.
"""

from __future__ import annotations

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
