"""Frozen figures: the books' rows under the closing in force — the frozen rows as a
closing kept them, the open ones computed on what it left of each envelope — and an
error for each frozen row edited, deleted or added afterwards.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sheetsync.books import rules
from sheetsync.books.rules import Figures
from sheetsync.ledger import journal, rowsets
from sheetsync.ledger.rowsets import Values
from sheetsync.ledger.state import Closing, State
from sheetsync.messages import message
from sheetsync.model import Anomaly, Book, Severity

PAYMENT_TYPES = {"row": "int64", "date": "datetime64[ns]", "amount": "int64"}


@dataclass(frozen=True)
class Opened:
    """The books as a closing leaves them to compute.

    book: the parsed Book with only the open contribution rows (those after
    the closed range) and the frozen payments in place of the closed range's;
    frozen: the frozen rows with their amounts (None without a closing);
    anomalies: frozen rows edited, deleted or added afterwards.
    """

    book: Book
    frozen: pd.DataFrame | None
    anomalies: tuple[Anomaly, ...]


@dataclass(frozen=True)
class Standing:
    """The books' rows as they stand under the closing in force: what a close freezes.

    book: the Book (frozen payments in place); rows: its rows with their payables
    (rules.Figures.rows); opened: the Book the rules compute on; anomalies: the
    frozen rows touched since.
    """

    book: Book
    rows: pd.DataFrame
    opened: Book
    anomalies: tuple[Anomaly, ...]


@dataclass(frozen=True)
class Effective:
    """The books of a run: the Book (frozen payments in place) and its figures."""

    book: Book
    figures: Figures
    anomalies: tuple[Anomaly, ...]


def standing(book: Book, kept: State, *, before: Standing | None = None) -> Standing:
    """The rows and their payables under the closing in force (rules.payable_rows).

    `before`: the rows as they stood when that closing was just made from this very
    Book (sheetsync close). Unless rows frozen by an earlier closing were touched
    since (their errors must be found again), its frozen rows are then the rows dated
    up to its end and the open rows keep the amounts worked out before: only what is
    left of each envelope is shared among them anew.
    """
    active = kept.active()
    amounts = None
    if before is not None and active is not None and not before.anomalies:
        amounts = _later(before.rows, active.until)
    opening = opened(book, kept, fresh=amounts is not None)
    rows = rules.payable_rows(opening.book, frozen=opening.frozen, amounts=amounts)
    outputs = dataclasses.replace(book, payments=opening.book.payments)
    return Standing(outputs, rows, opening.book, opening.anomalies)


def effective(now: Standing, as_of: dt.date) -> Effective:
    """The books of the run from the rows standing: every figure the outputs show."""
    return Effective(now.book, rules.figures_of(now.opened, now.rows, as_of), now.anomalies)


# ---------------------------------------------------------------- figures with frozen rows


def opened(book: Book, kept: State, *, fresh: bool = False) -> Opened:
    """The Book as the rules compute it under the closing in force, if any (`fresh`:
    see `standing`; its rows are then not matched against the frozen ones)."""
    closing = kept.active()
    if closing is None:
        return Opened(book, None, ())
    contributions = book.contributions[rules.in_period(book.contributions, book.settings)]
    row_anomalies: list[Anomaly] = []
    payment_anomalies: list[Anomaly] = []
    if fresh:
        open_rows = _later(contributions, closing.until)
        open_payments = _later(book.payments, closing.until)
    else:
        open_rows, row_anomalies = _open_rows(book, contributions, closing, "contributions")
        open_payments, payment_anomalies = _open_rows(book, book.payments, closing, "payments")
    frozen_payments = closing.payments.reindex(columns=list(book.payments.columns))
    paid = rules.joined([frozen_payments, open_payments], PAYMENT_TYPES)
    open_book = dataclasses.replace(book, contributions=open_rows, payments=paid)
    return Opened(open_book, closing.rows, (*row_anomalies, *payment_anomalies))


def _open_rows(
    book: Book, rows: pd.DataFrame, closing: Closing, key: str
) -> tuple[pd.DataFrame, list[Anomaly]]:
    """The rows after the closed range, and an error for each frozen row touched."""
    frozen, frozen_hashes = closing.frozen(key)
    current = rowsets.typed(rows, key)
    changes = rowsets.match(frozen, frozen_hashes, current)
    if not changes:
        return rows.iloc[0:0], []
    dates = current["date"].to_numpy()
    # A row dated after the closing that took a deleted frozen row's place in the
    # sheet is a later row, not an edit of the frozen one: the frozen row is deleted.
    modified = changes.modified
    moved_in = _after(dates[modified[:, 1]], closing.until)
    deleted = np.concatenate([changes.deleted, modified[moved_in, 0]])
    added = np.sort(np.concatenate([changes.added, modified[moved_in, 1]]))
    late = pd.isna(dates[added]) | _after(dates[added], closing.until)
    messages = _Messages(book, closing, key, frozen, current)
    anomalies = [
        *(messages.modified(old, new) for old, new in modified[~moved_in]),
        *(messages.deleted(at) for at in deleted),
        *(messages.added(at) for at in added[~late]),
    ]
    later = current["row"].to_numpy()[added[late]]
    return rows[rows["row"].isin(later)], anomalies


def _later(rows: pd.DataFrame, until: dt.date) -> pd.DataFrame:
    """The rows a closing up to `until` leaves open: dated after it, or undated."""
    dates = rows["date"].to_numpy()
    later: pd.DataFrame = rows[pd.isna(dates) | _after(dates, until)]
    return later


def _after(dates: np.ndarray, until: dt.date) -> np.ndarray:
    """Which dates fall after the closed range (undated rows do not)."""
    return ~pd.isna(dates) & (dates > np.datetime64(until))


@dataclass(frozen=True)
class _Messages:
    book: Book
    closing: Closing
    key: str
    frozen: pd.DataFrame
    current: pd.DataFrame

    def _values(self, rows: pd.DataFrame, at: int) -> Values:
        return rowsets.values(rows, at, self.key, self.book.lang)

    def _error(self, row: int, column: str | None, value: str, message: str, code: str) -> Anomaly:
        tab, number = journal.where(self.book, self.key, row)
        return Anomaly(Severity.ERROR, tab, number, column, value, message, code)

    def _params(self) -> dict[str, str]:
        return {"label": self.closing.label, "until": self.closing.until.isoformat()}

    def modified(self, old_at: int, new_at: int) -> Anomaly:
        old, new = self._values(self.frozen, old_at), self._values(self.current, new_at)
        pairs = zip(new, old, strict=True)
        changed = [name for (name, value), (_, before) in pairs if value != before]
        value = dict(new).get(changed[0], "") if changed else ""
        text = message(
            "frozen_row_modified",
            self.book.lang,
            change=rowsets.difference(old, new),
            **self._params(),
        )
        row = rowsets.sheet_row(self.current, new_at)
        return self._error(row, changed[0] if changed else None, value, text, "frozen_row_modified")

    def deleted(self, at: int) -> Anomaly:
        text = message(
            "frozen_row_deleted",
            self.book.lang,
            values=rowsets.describe(self._values(self.frozen, at)),
            **self._params(),
        )
        return self._error(rowsets.sheet_row(self.frozen, at), None, "", text, "frozen_row_deleted")

    def added(self, at: int) -> Anomaly:
        text = message(
            "row_added_after_closing",
            self.book.lang,
            values=rowsets.describe(self._values(self.current, at)),
            **self._params(),
        )
        row = rowsets.sheet_row(self.current, at)
        return self._error(row, None, "", text, "row_added_after_closing")
