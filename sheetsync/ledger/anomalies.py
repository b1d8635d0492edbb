"""What the ledger says of rows: each frozen row touched since its closing (edited,
deleted, added afterwards) and the rows left behind before the period (SPEC §9, §12).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from sheetsync import display
from sheetsync.ledger import journal, rowsets
from sheetsync.ledger.rowsets import Values
from sheetsync.ledger.state import Closing
from sheetsync.messages import message
from sheetsync.model import Anomaly, Book, Severity


def left_behind(book: Book, left: pd.DataFrame, key: str) -> list[Anomaly]:
    """One warning per tab for the rows of a tab (`key`) dated before the period that no
    closing froze."""
    if left.empty:
        return []
    by_tab: dict[str, list[tuple[int, dt.date]]] = {}
    for row, date in zip(left["row"], left["date"], strict=True):
        tab, number = journal.where(book, key, int(row))
        by_tab.setdefault(tab, []).append((number, pd.Timestamp(date).date()))
    start = book.settings.period_start
    found = []
    for tab, places in by_tab.items():
        first_row = min(number for number, _ in places)
        days = [day for _, day in places]
        text = message(
            "rows_left_behind",
            book.lang,
            n=len(places),
            row=first_row,
            first=display.date(min(days), book.lang),
            last=display.date(max(days), book.lang),
            start=display.date(start, book.lang),
            until=display.date(start - dt.timedelta(days=1), book.lang),
        )
        column = book.headers.get(key, {}).get("date")
        value = display.date(min(days), book.lang)
        found.append(
            Anomaly(Severity.WARNING, tab, first_row, column, value, text, "rows_left_behind")
        )
    return found


@dataclass(frozen=True)
class Touched:
    """The error of each frozen row touched since its closing, the frozen rows and the
    current ones of a tab (`key`) at hand."""

    book: Book
    key: str
    frozen: pd.DataFrame
    current: pd.DataFrame

    def _values(self, rows: pd.DataFrame, at: int) -> Values:
        return rowsets.values(rows, at, self.key, self.book.lang)

    def _error(self, row: int, column: str | None, value: str, message: str, code: str) -> Anomaly:
        tab, number = journal.where(self.book, self.key, row)
        return Anomaly(Severity.ERROR, tab, number, column, value, message, code)

    @staticmethod
    def _params(closing: Closing) -> dict[str, str]:
        return {"label": closing.label, "until": closing.until.isoformat()}

    def modified(self, closing: Closing, old_at: int, new_at: int) -> Anomaly:
        old, new = self._values(self.frozen, old_at), self._values(self.current, new_at)
        pairs = zip(new, old, strict=True)
        changed = [name for (name, value), (_, before) in pairs if value != before]
        value = dict(new).get(changed[0], "") if changed else ""
        text = message(
            "frozen_row_modified",
            self.book.lang,
            change=rowsets.difference(old, new),
            **self._params(closing),
        )
        row = rowsets.sheet_row(self.current, new_at)
        return self._error(row, changed[0] if changed else None, value, text, "frozen_row_modified")

    def deleted(self, closing: Closing, at: int) -> Anomaly:
        text = message(
            "frozen_row_deleted",
            self.book.lang,
            values=rowsets.describe(self._values(self.frozen, at)),
            **self._params(closing),
        )
        return self._error(rowsets.sheet_row(self.frozen, at), None, "", text, "frozen_row_deleted")

    def added(self, closing: Closing, at: int) -> Anomaly:
        text = message(
            "row_added_after_closing",
            self.book.lang,
            values=rowsets.describe(self._values(self.current, at)),
            **self._params(closing),
        )
        row = rowsets.sheet_row(self.current, at)
        return self._error(row, None, "", text, "row_added_after_closing")
