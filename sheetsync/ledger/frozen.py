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

from sheetsync import sources
from sheetsync.books import rules
from sheetsync.books.rules import Figures
from sheetsync.ledger import anomalies, ended, history, periods, periods_tab, rowsets
from sheetsync.ledger.state import Closing, State
from sheetsync.model import Anomaly, Book, Settings, Severity
from sheetsync.sources import tab_title

PAYMENT_TYPES = {"row": "int64", "date": "datetime64[ns]", "amount": "int64"}


@dataclass(frozen=True)
class Opened:
    """The books as the closings leave them to compute.

    book: the parsed Book with only the open contribution rows (the current
    period's, after its closed range) and the current period's payments, frozen ones
    in place of the closed range's; frozen: the current period's frozen rows with
    their amounts (None without a closing in it); anomalies: frozen rows edited,
    deleted or added afterwards, and rows left behind before the period;
    layers: the earlier periods and the current period's closing in force.
    """

    book: Book
    frozen: pd.DataFrame | None
    anomalies: tuple[Anomaly, ...]
    layers: periods.Layers
    # The frame rows ("row") of the contributions and payments of earlier periods, by
    # tab key: history, about which nothing is said any more (SPEC §12).
    history: dict[str, np.ndarray] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class Standing:
    """The books' rows as they stand under the closings: what a close freezes.

    book: the Book (the current period's payments, frozen ones in place); rows: the
    current period's rows with their payables (rules.Figures.rows); opened: the Book
    the rules compute on; anomalies: the frozen rows touched since, rows left behind;
    layers: the earlier periods and the current period's closing in force.
    """

    book: Book
    rows: pd.DataFrame
    opened: Book
    anomalies: tuple[Anomaly, ...]
    layers: periods.Layers


@dataclass(frozen=True)
class Effective:
    """The books of a run: the Book (frozen payments in place), its figures, and the
    earlier periods they carry balances from."""

    book: Book
    figures: Figures
    anomalies: tuple[Anomaly, ...]
    layers: periods.Layers


def standing(book: Book, kept: State, *, before: Standing | None = None) -> Standing:
    """The rows and their payables under the closings (rules.payable_rows).

    `before`: the rows as they stood when the current period's closing in force was
    just made from this very Book (sheetsync close). Unless frozen rows were touched
    since (their errors must be found again), its frozen rows are then the rows dated
    up to its end and the open rows keep the amounts worked out before: only what is
    left of each envelope is shared among them anew.
    """
    amounts = None
    touched = before is None or any(a.severity is Severity.ERROR for a in before.anomalies)
    active = periods.layers(kept, book).active
    if before is not None and not touched and active is not None:
        amounts = _later(before.rows, active.until)
    opening = opened(book, kept, fresh=amounts is not None)
    rows = rules.payable_rows(opening.book, frozen=opening.frozen, amounts=amounts)
    outputs = _current(book, opening)
    return Standing(outputs, rows, opening.book, opening.anomalies, opening.layers)


def _current(book: Book, opening: Opened) -> Book:
    """The Book the outputs and checks see: the current period's payments (frozen ones
    in place), and neither the rows of earlier periods nor what was said about them."""
    earlier = opening.history
    contributions = book.contributions
    # Rows of a group that ended, in no closing (ledger.ended): counted nowhere, shown
    # nowhere.
    unlisted = ended.unlisted_rows(book)
    if unlisted.any():
        contributions = contributions[~unlisted]
    if not any(len(rows) for rows in earlier.values()):
        return dataclasses.replace(
            book, contributions=contributions, payments=opening.book.payments
        )
    kept = contributions[~contributions["row"].isin(earlier["contributions"])]
    keys = {
        tab_title(book, "contributions"): ("contributions", 0),
        tab_title(book, "responses"): ("contributions", sources.RESPONSE_ROWS),
        tab_title(book, "payments"): ("payments", 0),
    }
    rows = {key: set(found.tolist()) for key, found in earlier.items()}

    def about_history(anomaly: Anomaly) -> bool:
        key, offset = keys.get(anomaly.tab, ("", 0))
        return anomaly.row is not None and anomaly.row + offset in rows.get(key, ())

    return dataclasses.replace(
        book,
        contributions=kept,
        payments=opening.book.payments,
        anomalies=tuple(a for a in book.anomalies if not about_history(a)),
    )


def effective(now: Standing, as_of: dt.date) -> Effective:
    """The books of the run from the rows standing: every figure the outputs show.

    Payouts bring forward what the earlier periods left due, and owe the smoothing
    of the current period's year-end closing (SPEC §12).
    """
    layers = now.layers
    active = layers.active
    ups = periods.top_ups(active) if active is not None else ()
    figures = rules.figures_of(now.opened, now.rows, as_of, carried=layers.carried(), top_ups=ups)
    return Effective(now.book, figures, now.anomalies, layers)


# ---------------------------------------------------------------- figures with frozen rows

# Where a row belongs (`_homes`), besides the index of the closing whose range holds it.
OPEN = -1  # the current period, after its closed range (or undated)
LEFT = -2  # before the current period, in no earlier period: counted nowhere
OUTSIDE = -3  # after the current period's end


def opened(book: Book, kept: State, *, fresh: bool = False) -> Opened:
    """The Book as the rules compute it under the closings (`fresh`: see `standing`;
    its rows are then not matched against the frozen ones)."""
    layers = periods.layers(kept, book)
    owners = _owners(layers)
    row_homes = _homes(book.contributions, layers, book.settings, "contributions")
    payment_homes = _homes(book.payments, layers, book.settings, "payments")
    left = anomalies.left_behind(book, book.contributions[row_homes == LEFT], "contributions")
    left += anomalies.left_behind(book, book.payments[payment_homes == LEFT], "payments")
    earlier = len(layers.history)
    history = {
        "contributions": book.contributions["row"].to_numpy()[
            (row_homes >= 0) & (row_homes < earlier)
        ],
        "payments": book.payments["row"].to_numpy()[
            (payment_homes >= 0) & (payment_homes < earlier)
        ],
    }
    if not owners:
        current = book.payments[payment_homes == OPEN]
        return Opened(dataclasses.replace(book, payments=current), None, tuple(left), layers)
    active = layers.active
    if fresh:
        open_rows = book.contributions[row_homes == OPEN]
        open_payments = book.payments[payment_homes == OPEN]
        found: list[Anomaly] = []
    else:
        matched = [
            _open_rows(book, book.contributions, row_homes, layers, "contributions"),
            _open_rows(book, book.payments, payment_homes, layers, "payments"),
        ]
        (open_rows, row_anomalies), (open_payments, payment_anomalies) = matched
        found = [*row_anomalies, *payment_anomalies]
    frozen_rows, frozen_payments = None, book.payments.iloc[0:0]
    if active is not None:
        frozen_rows = _frozen_part(active, "contributions", layers, book.settings)
        frozen_payments = _frozen_part(active, "payments", layers, book.settings)
    frozen_payments = frozen_payments.reindex(columns=list(book.payments.columns))
    paid = rules.joined([frozen_payments, open_payments], PAYMENT_TYPES)
    open_book = dataclasses.replace(book, contributions=open_rows, payments=paid)
    return Opened(open_book, frozen_rows, (*found, *left), layers, history)


def _owners(layers: periods.Layers) -> list[Closing]:
    """The closings rows can belong to: the earlier periods', then the current one's."""
    return [*(p.closing for p in layers.history), *([layers.active] if layers.active else [])]


def _homes(rows: pd.DataFrame, layers: periods.Layers, settings: Settings, key: str) -> np.ndarray:
    """For each row, the index of the closing whose range holds it (the earlier
    periods' in order, then the current period's in force), or OPEN, LEFT, OUTSIDE.

    A contribution dated in the current period is the current period's; a payment
    is an earlier period's when a closing of that period froze up to its date.
    """
    dates = rows["date"].to_numpy(dtype="datetime64[ns]")
    start, end = np.datetime64(settings.period_start), np.datetime64(settings.period_end)
    undated = pd.isna(dates)
    homes = np.full(len(dates), LEFT, dtype=np.int64)
    current = ~undated & (dates >= start)
    if key == "contributions":
        homes[current & (dates > end)] = OUTSIDE
        current &= dates <= end
    homes[current] = OPEN
    homes[undated] = OPEN
    if layers.active is not None:
        homes[current & (dates <= np.datetime64(layers.active.until))] = len(layers.history)
    if layers.history:
        lows = np.array([p.low for p in layers.history], dtype="datetime64[ns]")
        untils = np.array([p.until for p in layers.history], dtype="datetime64[ns]")
        found = np.searchsorted(untils, dates, side="left")
        inside = ~undated & (found < len(untils))
        inside[inside] &= dates[inside] >= lows[found[inside]]
        if key == "contributions":
            inside &= ~current
        homes[inside] = found[inside]
    return homes


def _frozen_part(
    closing: Closing, key: str, layers: periods.Layers, settings: Settings
) -> pd.DataFrame:
    """What the current period's closing froze of the current period (a closing made
    before periods were recorded may hold earlier rows too)."""
    frame = closing.rows if key == "contributions" else closing.payments
    homes = _homes(frame, periods.Layers(layers.history, closing), settings, key)
    kept: pd.DataFrame = frame[homes == len(layers.history)]
    return kept.reset_index(drop=True)


def _frozen_sets(
    owners: list[Closing], layers: periods.Layers, settings: Settings, key: str, first: int = 0
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Every frozen row of a tab (`typed`), their hashes, and the index of their closing
    (from the closing at `first`: those before it are left out)."""
    parts, owned = [], []
    for at, closing in enumerate(owners):
        if at < first:
            continue
        if at < len(layers.history):
            frame = _period_frame(layers.history[at], key)
        else:
            frame = _frozen_part(closing, key, layers, settings)
        parts.append(_typed_and_hashed(closing, key, frame))
        owned.append(np.full(len(parts[-1][0]), at, np.int64))
    if not parts:
        none = rowsets.typed(pd.DataFrame(columns=["row", "date"]), key)
        return none, np.zeros(0, np.uint64), np.zeros(0, np.int64)
    typed = rules.joined([p[0] for p in parts], {}).reset_index(drop=True)
    return typed, np.concatenate([p[1] for p in parts]), np.concatenate(owned)


def _period_frame(period: periods.Period, key: str) -> pd.DataFrame:
    return period.rows if key == "contributions" else period.book.payments


_HASHED: dict[tuple[int, str, int], tuple[Closing, pd.DataFrame, np.ndarray]] = {}


def _typed_and_hashed(
    closing: Closing, key: str, frame: pd.DataFrame
) -> tuple[pd.DataFrame, np.ndarray]:
    """A closing's frozen rows typed and hashed once per process (they never change)."""
    mark = (id(closing), key, len(frame))
    cached = _HASHED.get(mark)
    if cached is None or cached[0] is not closing:
        if len(_HASHED) > 16:
            _HASHED.clear()
        typed = rowsets.typed(frame, key)
        cached = _HASHED[mark] = (closing, typed, rowsets.hashes(typed))
    return cached[1], cached[2]


def _open_rows(
    book: Book, rows: pd.DataFrame, homes: np.ndarray, layers: periods.Layers, key: str
) -> tuple[pd.DataFrame, list[Anomaly]]:
    """The current period's rows after its closed range, and an error for each frozen
    row touched: edited, deleted, or added in a closed range afterwards."""
    owners = _owners(layers)
    candidates = (homes >= 0) | (homes == OPEN)
    current = rowsets.typed(rows[candidates], key)
    home = homes[candidates]
    first = 0
    if _history_unchanged(layers, key, current, home):
        # Each earlier period's rows are exactly those it froze: they pair off with
        # them, at the same sheet rows, whatever else the match finds (rowsets.match).
        first = len(layers.history)
        kept = (home == first) | (home == OPEN)
        current, home = current[kept].reset_index(drop=True), home[kept]
    frozen, frozen_hashes, owner = _frozen_sets(owners, layers, book.settings, key, first)
    changes = rowsets.match(frozen, frozen_hashes, current)
    if not changes:
        return rows.iloc[0:0], []
    # A frozen row edited so that its date leaves its closing's range is deleted from
    # that closing, and the row is new where its date now falls.
    modified = changes.modified
    moved = home[modified[:, 1]] != owner[modified[:, 0]]
    deleted = np.concatenate([changes.deleted, modified[moved, 0]])
    added = np.sort(np.concatenate([changes.added, modified[moved, 1]]))
    late = home[added] == OPEN
    touched = anomalies.Touched(book, key, frozen, current)
    found = [
        *(touched.modified(owners[owner[old]], old, new) for old, new in modified[~moved]),
        *(touched.deleted(owners[owner[at]], at) for at in deleted),
        *(touched.added(owners[home[at]], at) for at in added[~late]),
    ]
    later = current["row"].to_numpy()[added[late]]
    return rows[rows["row"].isin(later)], found


def _history_unchanged(
    layers: periods.Layers, key: str, current: pd.DataFrame, home: np.ndarray
) -> bool:
    """Whether the rows dated in each earlier period are, by sheet row and values, the
    ones its closing froze, as the last full sync recorded them (ledger.history)."""
    summary = layers.summary
    if summary is None or not layers.history:
        return False
    rows, hashes = current["row"].to_numpy(), rowsets.hashes(current)
    for at, recorded in enumerate(summary.frozen[key]):
        mine = home == at
        if history.rows_digest(rows[mine], hashes[mine]) != recorded:
            return False
    return True


def with_history(kept: State, layers: periods.Layers) -> State:
    """The state keeping what this sync found of the earlier periods (ledger.history)."""
    found = layers.summary or _summary(layers)
    new = None if found is None else history.record(found)
    return kept if new == kept.history else dataclasses.replace(kept, history=new)


def _summary(layers: periods.Layers) -> history.Summary | None:
    """The earlier periods as this full sync found them, when they can be kept."""
    if layers.key is None or not layers.history:
        return None
    frozen = {}
    for key in history.KEYS:
        digests = []
        for period in layers.history:
            typed, hashes = _typed_and_hashed(period.closing, key, _period_frame(period, key))
            digests.append(history.rows_digest(typed["row"].to_numpy(), hashes))
        frozen[key] = tuple(digests)
    return history.Summary(
        key=layers.key,
        lows=tuple(p.low for p in layers.history),
        lines=periods_tab.history_lines(layers),
        carried=layers.carried(),
        frozen=frozen,
    )


def _later(rows: pd.DataFrame, until: dt.date) -> pd.DataFrame:
    """The rows a closing up to `until` leaves open: dated after it, or undated."""
    dates = rows["date"].to_numpy()
    later: pd.DataFrame = rows[pd.isna(dates) | _after(dates, until)]
    return later


def _after(dates: np.ndarray, until: dt.date) -> np.ndarray:
    """Which dates fall after the closed range (undated rows do not)."""
    return ~pd.isna(dates) & (dates > np.datetime64(until))
