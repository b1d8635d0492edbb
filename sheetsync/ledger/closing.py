"""Closings: freezing everything dated up to a day, refusing a close over rows in
error, and reopening with a reason. Later syncs compute on the frozen figures and
flag frozen rows edited afterwards: ledger.frozen.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd

from sheetsync import display, sources
from sheetsync.errors import ClosingError
from sheetsync.ledger import closing_tab, frozen, journal, periods, periods_tab
from sheetsync.ledger.frozen import Effective, Standing
from sheetsync.ledger.state import Closing, Reopen, State
from sheetsync.messages import say
from sheetsync.model import Anomaly, Book, OutputTable, Severity
from sheetsync.sources import tab_title
from sheetsync.template import Lang, load

# Excel refuses these in a tab title, and titles longer than 31 characters.
FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
MAX_TITLE = 31


# A close or reopen: the state it leaves, from the state read and the rows standing.
Action = Callable[[State, Standing, str], State]


# ---------------------------------------------------------------- closing and reopening


def check_label(label: str, lang: Lang) -> str:
    """The label trimmed, if it makes a tab title every spreadsheet program accepts."""
    cleaned = " ".join(label.split())
    prefix = load().ledger_tab("closing").name(lang)
    if not cleaned or FORBIDDEN.search(cleaned) or len(f"{prefix} {cleaned}") > MAX_TITLE:
        raise ClosingError(
            say(
                lang,
                "ledger.closing.label_refused_most_characters_without",
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
        raise ClosingError(say(lang, "ledger.closing.closing_already_exists", label=label))
    if active is not None and until <= active.until:
        raise ClosingError(
            say(
                lang,
                "ledger.closing.closing_already_runs_up_choose",
                label=active.label,
                until=active.until.isoformat(),
            )
        )
    closing = freeze(now, until, label, time)
    line = (
        time,
        closing_tab.closing_title(closing),
        None,
        say(lang, "ledger.closing.closing"),
        closing_tab.closed_detail(closing),
    )
    return journal.note(dataclasses.replace(kept, closings=(*kept.closings, closing)), line)


def freeze(now: Standing, until: dt.date, label: str, time: str) -> Closing:
    """The closing of everything dated up to `until`, as the rows stand now."""
    book, rows, day = now.book, now.rows, pd.Timestamp(until)
    closed_rows = rows[rows["date"] <= day]
    payments = book.payments[book.payments["date"].notna() & (book.payments["date"] <= day)]
    closed_book = dataclasses.replace(book, payments=payments)
    table, top_ups = closing_tab.closing_rows(closed_book, closed_rows, until, now.layers.carried())
    return Closing(
        label=label,
        until=until,
        time=time,
        lang=book.lang,
        rows=closed_rows.reset_index(drop=True),
        payments=payments.reset_index(drop=True),
        table=tuple(table),
        period=periods.record(book, top_ups),
    ).sealed()


def reopen(kept: State, label: str, reason: str, time: str, lang: Lang) -> State:
    """The state with the closing `label` undone and why kept."""
    active = kept.active()
    closing = kept.latest(label)
    if closing is None or closing.reopened is not None or active is None:
        raise ClosingError(say(lang, "ledger.closing.no_closing_force_named", label=label))
    if closing is not active:
        raise ClosingError(
            say(lang, "ledger.closing.reopen_latest_closing_first", latest=active.label)
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
        say(lang, "ledger.closing.reopening"),
        record.reason,
    )
    return journal.note(reopened, line)


@dataclass(frozen=True)
class Close:
    """The action of `sheetsync close`: freeze everything dated up to `until`.

    Unless `force`, `books` first refuses while rows dated in that range
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


def unresolved(book: Book, anomalies: Iterable[Anomaly], until: dt.date) -> list[Anomaly]:
    """Error anomalies on contribution or payment rows dated in the current period up to
    `until` (or whose date cannot be read), in the order found; the dates are the
    parse's (the rows it kept and those it left out), not read again.

    A row dated before the period's start is an earlier period's (or left behind): a
    closing of this period freezes nothing of it, so its error does not stop one."""
    titles = {tab_title(book, key) for key in ("contributions", "responses", "payments")}
    errors = [a for a in anomalies if a.severity is Severity.ERROR and a.tab in titles and a.row]
    read = sources.rows_read(book, ((a.tab, a.row) for a in errors if a.row))
    start = book.settings.period_start
    found = []
    for anomaly in errors:
        row = read.get((anomaly.tab, anomaly.row or 0))
        if row is None or row.date is None or start <= row.date <= until:
            found.append(anomaly)
    return found


def refuse_unresolved(found: list[Anomaly], lang: Lang, until: dt.date) -> None:
    """Stop a closing whose range holds rows in error, naming them."""
    if not found:
        return
    shown = "; ".join(
        say(lang, "ledger.closing.unresolved_row", tab=a.tab, row=a.row, message=a.message)
        for a in found[:10]
    )
    more = say(lang, "ledger.closing.more", n=len(found) - 10) if len(found) > 10 else ""
    raise ClosingError(
        say(
            lang,
            "ledger.closing.closing_refused_row_s_dated",
            n=len(found),
            until=display.date(until, lang),
            rows=shown,
            more=more,
        )
    )


def reopener(label: str, reason: str) -> Action:
    """The action of `sheetsync reopen`."""

    def reopening(kept: State, now: Standing, time: str) -> State:
        refuse_earlier_period(now, label)
        return reopen(kept, label, reason, time, now.book.lang)

    return reopening


def refuse_earlier_period(now: Standing, label: str) -> None:
    """A closing of an earlier period is history: reopened only once the period
    settings are set back to it (SPEC §12)."""
    period = now.layers.period(label)
    if period is None:
        return
    lang = now.book.lang
    raise ClosingError(
        say(
            lang,
            "ledger.closing.closing_belongs_earlier_period_first",
            label=label,
            start=display.date(period.start, lang),
            end=display.date(period.end, lang),
            settings=tab_title(now.book, "settings"),
        )
    )


# ---------------------------------------------------------------- the books under the closings


def books(
    book: Book, read: State, as_of: dt.date, action: Action | None, time: str
) -> tuple[Effective, State]:
    """The books of a run under the closings of the state read, after the close or
    reopen asked for (sheetsync close, reopen), and the state that leaves.

    A close without `--force` over rows in error is refused, naming them.
    """
    rows, kept = frozen.standing(book, read), read
    if isinstance(action, Close) and not action.force:
        found = unresolved(book, (*book.anomalies, *rows.anomalies), action.until)
        refuse_unresolved(found, book.lang, action.until)
    if action is not None:  # close or reopen, then the rows under the new state
        kept = action(read, rows, time)
        made = isinstance(action, Close)  # from these rows, just now
        rows = frozen.standing(book, kept, before=rows if made else None)
    return frozen.effective(rows, as_of), kept


# ---------------------------------------------------------------- one sync's ledger tabs


def stamp(now: dt.datetime) -> str:
    """The time of a sync as journal and closings show it."""
    return now.isoformat(sep=" ", timespec="minutes")


def ledger_tables(kept: State, books: Effective) -> tuple[OutputTable, ...]:
    """The closing tabs, Exercices and the Journal (the hidden state tab is made last,
    once the sync's record for the fast path is known: pipeline.analyse)."""
    book = books.book
    return (
        *closing_tab.closing_tables(kept, book.settings.currency),
        periods_tab.table(book, books.figures, books.layers),
        journal.table(kept, book.lang),
    )
