"""One run over one spreadsheet: read, parse, compute, check, render, write.

The CLI and the nightly jobs call these functions; they never touch a backend's
internals, and the rules never see a backend. Once parsed, the sheet says its language:
the later stages, the write and the errors raised after it speak it (`Outcome.book.lang`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from sheetsync import progress
from sheetsync.backends.base import Backend, CountsRequests, tab_not_ours
from sheetsync.books import checks
from sheetsync.books.rules import Figures
from sheetsync.errors import UsageError, written_in
from sheetsync.ledger import closing, ended, frozen, journal, periods, state
from sheetsync.messages import say
from sheetsync.model import Anomaly, Book, OutputTable, RawWorkbook, Severity
from sheetsync.parse import book as parse
from sheetsync.report import charts
from sheetsync.report import tables as report
from sheetsync.sync import collector, handedits, unchanged
from sheetsync.template import Lang, load, normalize

log = logging.getLogger("sheetsync")


@contextmanager
def log_time(stage: str, lang: Lang | None = None) -> Iterator[None]:
    """Log how long a stage took, so `--verbose` shows where time goes; a terminal
    shows the stage as it runs (sheetsync.progress), in `lang` once the sheet's is known
    (None: the language it was shown in so far)."""
    progress.enter(stage, lang)
    start = time.perf_counter()
    yield
    log.info("%-8s %.3f s", stage, time.perf_counter() - start)


@dataclass(frozen=True)
class Outcome:
    """What one check or sync found and did: the books of the run and their outputs.

    `book` is the parsed input with the frozen payments of the closed range in
    place; `figures` are the effective books (closings applied). Every output
    — tabs, terminal, JSON, exports, statements — is rendered from these two.
    """

    book: Book
    figures: Figures
    anomalies: tuple[Anomaly, ...]
    tables: tuple[OutputTable, ...]
    changed: tuple[str, ...]  # output titles whose content differs from the sheet's
    written: bool
    # Nothing changed since the last sync (ledger.unchanged): the books were not
    # computed; `book` holds only the language and currency, `figures` is empty,
    # the anomalies are the last sync's and the tables the output tabs read back.
    fast: bool = False
    # The earlier periods and the current period's closing in force (SPEC §12).
    layers: periods.Layers | None = None
    # The state the run writes (journal included), for a later step of the same run
    # (remind records its mails in it); None on the fast path, which computes none.
    state: state.State | None = None

    def count(self, severity: Severity) -> int:
        return sum(1 for a in self.anomalies if a.severity is severity)

    def table(self, key: str) -> OutputTable:
        return next(t for t in self.tables if t.key == key)

    def period(self, label: str | None) -> tuple[Book, Figures, tuple[Anomaly, ...]]:
        """The books of a period by its label (`--period`): an earlier one as its
        closing froze it, the current one (None, or its own label) as computed.

        An unknown label is a usage error naming the known ones.
        """
        layers = self.layers or periods.Layers((), None)
        current = periods.current_label(self.book.settings)
        if label is None or (label == current and layers.period(label) is None):
            return self.book, self.figures, self.anomalies
        if (period := layers.period(label)) is not None:
            return period.book, layers.full(period), ()
        known = ", ".join(p.label for p in layers.history) or "—"
        raise UsageError(
            say(
                self.book.lang,
                "pipeline.unknown_period_earlier_periods_current",
                label=label,
                known=known,
                current=current,
            )
        )


def is_input_title(title: str) -> bool:
    """Whether a tab title names one of the template's input tabs, in any language."""
    return any(normalize(title) in tab.match_keys() for tab in load().inputs)


@runtime_checkable
class Deferred(Protocol):
    """A workbook some of whose cells are typed only when the books need them."""

    def complete(self) -> None: ...


def analyse(
    backend: Backend,
    as_of: dt.date,
    *,
    now: dt.datetime | None = None,
    action: closing.Action | None = None,
    fast: bool = False,
) -> tuple[RawWorkbook, Outcome]:
    """Read and compute everything; write nothing.

    `now` stamps the journal (default: the current time); `action` closes or
    reopens a period (sheetsync close, reopen); `fast` lets an unchanged sheet
    skip parse, rules and ledger (see ledger.unchanged).
    """
    with log_time("read"), collector.paused():
        # Output tabs are read too, to see whether someone typed into them.
        raw = backend.read(
            lambda t: is_input_title(t) or handedits.is_output_title(t) or state.is_state_title(t)
        )
    with collector.frozen():  # the cells read: see sheetsync.sync.collector
        return raw, _analysed(raw, as_of, now=now, action=action, fast=fast)


@contextmanager
def computed(
    backend: Backend, as_of: dt.date, *, now: dt.datetime | None = None
) -> Iterator[Outcome]:
    """The books of the spreadsheet (`analyse`, writing nothing), for a caller that works
    on from them: what goes wrong inside is said in the sheet's words (errors.written_in)."""
    _, outcome = analyse(backend, as_of, now=now)
    with written_in(outcome.book.lang):
        yield outcome


def _analysed(
    raw: RawWorkbook,
    as_of: dt.date,
    *,
    now: dt.datetime | None,
    action: closing.Action | None,
    fast: bool,
) -> Outcome:
    """`analyse` once the cells are read: each stage one function, called once, in
    the order the data flows (cells, Book, state, books under the closings, checks,
    tables, journal and state tab), each handing the next what it needs."""
    with log_time("digest"):
        seen = unchanged.digest(raw, as_of)
    if fast and action is None and (same := _unchanged(raw, seen, as_of)) is not None:
        return same
    book = _parsed(raw, as_of)
    stamp = closing.stamp(now or dt.datetime.now().astimezone())
    with written_in(book.lang):  # what goes wrong from now on is said in the sheet's words
        book, read = _state_read(raw, book)
        books, kept = _books(book, read, as_of, action, stamp)
        edits, anomalies = _checked(raw, books, as_of)
        rendered = _report(books, anomalies, edits)
        kept, tables = _journal(
            raw,
            read,
            books,
            parsed=book,
            kept=kept,
            said=(anomalies, rendered, edits),
            at=(stamp, seen),
        )
        _refuse_foreign_titles(raw, tables.all, books.book)
    outcome = Outcome(books.book, books.figures, anomalies, tables.all, tables.changed, False)
    return dataclasses.replace(outcome, layers=books.layers, state=kept)


def _unchanged(raw: RawWorkbook, seen: str, as_of: dt.date) -> Outcome | None:
    """The last sync's outcome when nothing changed since (sync.unchanged), else None."""
    with log_time("unchanged"):
        same = unchanged.check(raw, unchanged.recorded(raw), seen, as_of)
    if same is None:
        return None
    log.info("unchanged: parse, rules and ledger skipped")
    shown = (same.book, same.figures, same.anomalies, same.tables)
    return Outcome(*shown, changed=(), written=False, fast=True)


def _parsed(raw: RawWorkbook, as_of: dt.date) -> Book:
    """The Book from the cells: from here on the run speaks the sheet's language."""
    if isinstance(raw, Deferred):
        with log_time("complete"):
            raw.complete()
    with log_time("parse"):
        return parse.read_template(raw, as_of)


@dataclass(frozen=True)
class StateRead:
    """The state tab as read, and its packed text when it can be written back as it
    is ("" when not)."""

    state: state.State
    packed: str


def _state_read(raw: RawWorkbook, book: Book) -> tuple[Book, StateRead]:
    """The state, and the Book with its earlier rows of groups no longer listed settled
    against the closings' groups (ledger.ended)."""
    with log_time("state", book.lang):
        read = StateRead(*state.read_as_packed(raw, book.lang))
        return ended.with_ended_groups(book, read.state), read


def _books(
    book: Book, read: StateRead, as_of: dt.date, action: closing.Action | None, stamp: str
) -> tuple[frozen.Effective, state.State]:
    """The books under the closings, after a close or reopen (ledger.closing.books)."""
    with log_time("rules", book.lang):
        return closing.books(book, read.state, as_of, action, stamp)


def _checked(
    raw: RawWorkbook, books: frozen.Effective, as_of: dt.date
) -> tuple[handedits.HandEdits, tuple[Anomaly, ...]]:
    """The hand edits of owned tabs, and every anomaly in the Anomalies tab's order
    (for the tab, the terminal and --json alike)."""
    book, figures = books.book, books.figures
    with log_time("checks", book.lang):
        edits = handedits.find(raw, book.lang, book.settings.currency, as_of)
        found = (*book.anomalies, *checks.run(book, figures, as_of), *edits.anomalies)
        return edits, tuple(sorted((*found, *books.anomalies), key=report.anomaly_order(book)))


def _report(
    books: frozen.Effective, anomalies: tuple[Anomaly, ...], edits: handedits.HandEdits
) -> tuple[OutputTable, ...]:
    """The output tabs and their charts, the tabs edited by hand rewritten or copied."""
    book = books.book
    with log_time("report", book.lang):
        rendered = charts.with_charts(book, report.render(book, books.figures, list(anomalies)))
        return (*handedits.to_rewrite(rendered, edits), *edits.copies)


@dataclass(frozen=True)
class Tables:
    """Every table a run writes, the state tab last, and the titles among them whose
    content differs from the sheet's (or edited by hand)."""

    all: tuple[OutputTable, ...]
    changed: tuple[str, ...]


def _journal(
    raw: RawWorkbook,
    read: StateRead,
    books: frozen.Effective,
    *,
    parsed: Book,
    kept: state.State,
    said: tuple[tuple[Anomaly, ...], tuple[OutputTable, ...], handedits.HandEdits],
    at: tuple[str, str],
) -> tuple[state.State, Tables]:
    """The journal of the changes, the ledger's tabs, and the state tab, written back
    as read when nothing in it changed.

    `parsed`: the Book as read, whose rows the journal compares with the last
    snapshot's; `kept`: the state the books left; `said`: the anomalies, the output
    tables and the hand edits; `at`: the sync's time stamp and the digest of the cells
    read, which tells the journal whether its last snapshot was taken from these very
    cells."""
    (anomalies, rendered, edits), (stamp, seen) = said, at
    with log_time("journal", parsed.lang):
        kept = journal.record(kept, parsed, stamp, seen)
        others = (*rendered, *closing.ledger_tables(kept, books))
        changed = _changed(raw, others, edits.titles)
        as_read = read.packed if kept is read.state else ""
        if not as_read or changed:
            # The state keeps what this sync saw, for the next one's fast path.
            kept = unchanged.with_record(kept, seen, books.book, anomalies, others)
            kept = frozen.with_history(kept, books.layers)
        # Encoded once, or written back as read when nothing in it changed.
        own = state.table(kept, as_read if kept is read.state else "")
        return kept, Tables((*others, own), changed + _changed(raw, (own,), edits.titles))


def _changed(
    raw: RawWorkbook, tables: tuple[OutputTable, ...], edited: tuple[str, ...]
) -> tuple[str, ...]:
    """Titles of the tables whose content differs from the sheet's, or edited by hand."""
    return tuple(
        t.title for t in tables if raw.owned.get(t.title) != t.fingerprint() or t.title in edited
    )


def run_sync(
    backend: Backend,
    as_of: dt.date,
    *,
    dry_run: bool = False,
    now: dt.datetime | None = None,
    action: closing.Action | None = None,
    fast: bool = False,
) -> Outcome:
    """Sync once: the owned tabs are written only when their content changed.

    `fast`: a caller that shows only the summary (the terminal, --json, the nightly
    jobs) lets an unchanged sheet skip parse, rules and ledger (ledger.unchanged);
    its Outcome then carries no books. A close or reopen always computes.
    """
    _, outcome = analyse(backend, as_of, now=now, action=action, fast=fast)
    if dry_run or not outcome.changed:
        _log_requests(backend)
        return outcome
    lang = outcome.book.lang
    with log_time("write", lang), written_in(lang):
        backend.write(outcome.tables, lang)
    _log_requests(backend)
    return dataclasses.replace(outcome, written=True)


def _log_requests(backend: Backend) -> None:
    """The sync's requests, for a backend that counts them (`-v`: Airtable's quota)."""
    if isinstance(backend, CountsRequests):
        log.info("%-8s %d", "requests", backend.requests)


def _refuse_foreign_titles(raw: RawWorkbook, tables: tuple[OutputTable, ...], book: Book) -> None:
    """An output title held by a tab sheetsync did not create stops the sync.

    Both Google Sheets and Excel refuse two tabs whose titles differ only by
    case, so a tab `SYNTHÈSE GROUPES` holds the title `Synthèse groupes` too;
    the message names the user's tab as it is spelled.
    """
    by_key = {title.casefold(): title for title in raw.all_titles if title not in raw.owned}
    for table in tables:
        if table.title in raw.owned:
            continue
        held = by_key.get(table.title.casefold())
        if held is not None:
            raise tab_not_ours(book.lang, [held])
