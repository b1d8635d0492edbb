"""Closings: freezing everything dated up to a day, computing later syncs on the frozen
figures, flagging frozen rows edited afterwards, and reopening with a reason.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sheetsync import display
from sheetsync.books import rules
from sheetsync.books.rules import Figures
from sheetsync.errors import EXIT_USAGE, SheetsyncError
from sheetsync.ledger import closing_tab, journal, rowsets
from sheetsync.ledger.rowsets import Values
from sheetsync.ledger.state import Closing, Reopen, State
from sheetsync.messages import message
from sheetsync.model import Anomaly, Book, OutputTable, RawWorkbook, Severity
from sheetsync.parse import cells, responses
from sheetsync.template import Lang, load
from sheetsync.text import tr

# Excel refuses these in a tab title, and titles longer than 31 characters.
FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
MAX_TITLE = 31

PAYMENT_TYPES = {"row": "int64", "date": "datetime64[ns]", "amount": "int64"}


class ClosingError(SheetsyncError):
    """A close or reopen that cannot be done as asked (a usage error)."""

    exit_code = EXIT_USAGE


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


# A close or reopen: the state it leaves, from the state read and the rows standing.
Action = Callable[[State, Standing, str], State]


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


# ---------------------------------------------------------------- closing and reopening


def check_label(label: str, lang: Lang) -> str:
    """The label trimmed, if it makes a tab title every spreadsheet program accepts."""
    cleaned = " ".join(label.split())
    prefix = load().ledger_tab("closing").name(lang)
    if not cleaned or FORBIDDEN.search(cleaned) or len(f"{prefix} {cleaned}") > MAX_TITLE:
        raise ClosingError(
            tr(
                lang,
                "Libellé « {label} » refusé : {limit} caractères au plus, sans [ ] : * ? / \\.",
                "Label '{label}' refused: at most {limit} characters, without [ ] : * ? / \\.",
                label=label,
                limit=MAX_TITLE - len(prefix) - 1,
            )
        )
    return cleaned


def close(kept: State, now: Standing, until: dt.date, label: str, time: str) -> State:
    """The state with a new closing of everything dated up to `until`."""
    lang = now.book.lang
    label = check_label(label, lang)
    active = kept.active()
    if (same := kept.latest(label)) is not None and same.reopened is None:
        raise ClosingError(
            tr(
                lang,
                "La clôture « {label} » existe déjà.",
                "The closing '{label}' already exists.",
                label=label,
            )
        )
    if active is not None and until <= active.until:
        raise ClosingError(
            tr(
                lang,
                "La clôture « {label} » va déjà jusqu'au {until} : choisissez une date après.",
                "The closing '{label}' already runs up to {until}: choose a later date.",
                label=active.label,
                until=active.until.isoformat(),
            )
        )
    closing = freeze(now, until, label, time)
    line = (
        time,
        closing_tab.closing_title(closing),
        None,
        tr(lang, "clôture", "closing"),
        closing_tab.closed_detail(closing),
    )
    return journal.note(dataclasses.replace(kept, closings=(*kept.closings, closing)), line)


def freeze(now: Standing, until: dt.date, label: str, time: str) -> Closing:
    """The closing of everything dated up to `until`, as the rows stand now."""
    book, rows, day = now.book, now.rows, pd.Timestamp(until)
    closed_rows = rows[rows["date"] <= day]
    payments = book.payments[book.payments["date"].notna() & (book.payments["date"] <= day)]
    closed_book = dataclasses.replace(book, payments=payments)
    return Closing(
        label=label,
        until=until,
        time=time,
        lang=book.lang,
        rows=closed_rows.reset_index(drop=True),
        payments=payments.reset_index(drop=True),
        table=tuple(closing_tab.closing_rows(closed_book, closed_rows, until)),
    ).sealed()


def reopen(kept: State, label: str, reason: str, time: str, lang: Lang) -> State:
    """The state with the closing `label` undone and why kept."""
    active = kept.active()
    closing = kept.latest(label)
    if closing is None or closing.reopened is not None or active is None:
        raise ClosingError(
            tr(
                lang,
                "Aucune clôture en cours nommée « {label} ».",
                "No closing in force named '{label}'.",
                label=label,
            )
        )
    if closing is not active:
        raise ClosingError(
            tr(
                lang,
                "Rouvrez d'abord la clôture la plus récente, « {latest} ».",
                "Reopen the latest closing first, '{latest}'.",
                latest=active.label,
            )
        )
    record = Reopen(label, reason.strip(), time)
    closings = tuple(
        dataclasses.replace(c, reopened=record) if c is closing else c for c in kept.closings
    )
    reopened = dataclasses.replace(kept, closings=closings, reopens=(*kept.reopens, record))
    line = (
        time,
        closing_tab.closing_title(closing),
        None,
        tr(lang, "réouverture", "reopening"),
        record.reason,
    )
    return journal.note(reopened, line)


@dataclass(frozen=True)
class Close:
    """The action of `sheetsync close`: freeze everything dated up to `until`.

    Unless `force`, the pipeline first refuses while rows dated in that range
    carry an error anomaly (see `unresolved`): they would be frozen out of the books.
    """

    until: dt.date
    label: str | None = None
    force: bool = False

    def __call__(self, kept: State, now: Standing, time: str) -> State:
        return close(kept, now, self.until, self.label or self.until.isoformat(), time)


def closer(until: dt.date, label: str | None = None, *, force: bool = False) -> Close:
    """The action of `sheetsync close`."""
    return Close(until, label, force)


def unresolved(
    raw: RawWorkbook, book: Book, anomalies: Iterable[Anomaly], until: dt.date
) -> list[Anomaly]:
    """Error anomalies on contribution or payment rows dated up to `until` (or whose
    date cannot be read), in the order found."""
    found = []
    for key in ("contributions", "responses", "payments"):
        title = journal.title_of(book, key)
        dates = _row_dates(raw, book, key, title)
        for anomaly in anomalies:
            if anomaly.severity is Severity.ERROR and anomaly.tab == title and anomaly.row:
                day = dates(anomaly.row)
                if day is None or day <= until:
                    found.append(anomaly)
    return found


def _row_dates(
    raw: RawWorkbook, book: Book, key: str, title: str
) -> Callable[[int], dt.date | None]:
    """The date typed on a sheet row of a tab, None when absent or unreadable."""
    sheet = raw.tabs.get(title)
    header = book.headers.get(key, {}).get("date")
    if sheet is None or header is None or not sheet.rows or header not in sheet.rows[0]:
        return lambda row: None
    column = list(sheet.rows[0]).index(header)

    def date_of(row: int) -> dt.date | None:
        cells_of_row = sheet.rows[row - 1] if row - 1 < len(sheet.rows) else []
        value = cells_of_row[column] if column < len(cells_of_row) else None
        try:  # a form row without a date question is dated by its Horodateur
            return cells.parse_date(responses.day_of(value) if key == "responses" else value)
        except cells.CellError:
            return None

    return date_of


def refuse_unresolved(found: list[Anomaly], lang: Lang, until: dt.date) -> None:
    """Stop a closing whose range holds rows in error, naming them."""
    if not found:
        return
    shown = "; ".join(
        f"{a.tab} {tr(lang, 'ligne', 'row')} {a.row} ({a.message})" for a in found[:10]
    )
    more = (
        tr(lang, " ; et {n} autre(s)", "; and {n} more", n=len(found) - 10)
        if len(found) > 10
        else ""
    )
    raise ClosingError(
        tr(
            lang,
            "Clôture refusée : {n} ligne(s) datée(s) jusqu'au {until} sont en erreur et "
            "seraient figées hors des comptes : {rows}{more}. Corrigez-les, ou relancez "
            "avec --force pour clôturer quand même.",
            "Closing refused: {n} row(s) dated up to {until} carry an error and would be "
            "frozen out of the books: {rows}{more}. Correct them, or run again with --force "
            "to close anyway.",
            n=len(found),
            until=display.date(until, lang),
            rows=shown,
            more=more,
        )
    )


def reopener(label: str, reason: str) -> Action:
    """The action of `sheetsync reopen`."""
    return lambda kept, now, time: reopen(kept, label, reason, time, now.book.lang)


# ---------------------------------------------------------------- one sync's ledger tabs


def stamp(now: dt.datetime) -> str:
    """The time of a sync as journal and closings show it."""
    return now.isoformat(sep=" ", timespec="minutes")


def ledger_tables(kept: State, book: Book) -> tuple[OutputTable, ...]:
    """The closing tabs and the Journal (the hidden state tab is made last, once the
    sync's record for the fast path is known: pipeline.analyse)."""
    return (
        *closing_tab.closing_tables(kept, book.settings.currency),
        journal.table(kept, book.lang),
    )
