"""The Exercices tab (Periods, SPEC §12): one row per period and group, then a Total
row per period, oldest period first and the current one last, with the surplus split
and the checksum of the closing that ends each period.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from sheetsync.books import figures as books
from sheetsync.books.rules import SECONDS_PER_HOUR, Figures
from sheetsync.ledger import closing_tab, periods
from sheetsync.ledger.state import Closing
from sheetsync.model import TOTAL, Book, OutputTable
from sheetsync.template import load

SURPLUS_PARTS = ("total", "commons", "smoothing", "unallocated")


def table(book: Book, current: Figures, layers: periods.Layers) -> OutputTable:
    """The tab, from the earlier periods' frozen books and the current figures."""
    tab, lang = load().ledger_tab("periods"), book.lang
    rows: list[tuple[object, ...]] = []
    totals: list[int] = []  # each period's lines end with its Total row
    for lines in history_lines(layers):
        rows += lines
        totals.append(len(rows) - 1)
    active = layers.active
    ended = active if active is not None and periods.is_year_end(active) else None
    dates = (book.settings.period_start, book.settings.period_end)
    rows += _lines(periods.current_label(book.settings), dates, current, ended)
    totals.append(len(rows) - 1)
    return OutputTable(
        key=tab.key,
        title=tab.name(lang),
        header=tuple(c.name(lang) for c in tab.columns),
        kinds=tuple(c.kind for c in tab.columns),
        rows=rows,
        currency=book.settings.currency,
        total_rows=tuple(totals),
    )


def history_lines(layers: periods.Layers) -> tuple[tuple[tuple[object, ...], ...], ...]:
    """Each earlier period's lines, as the last full sync found them when it kept them."""
    if layers.summary is not None:
        return layers.summary.lines
    return tuple(
        tuple(_lines(period.label, (period.start, period.end), frozen, period.closing))
        for period, frozen in zip(layers.history, layers.books, strict=True)
    )


def _lines(
    label: str, dates: tuple[dt.date, dt.date], figures: Figures, ending: Closing | None
) -> list[tuple[object, ...]]:
    """A period's group rows and its Total row (surplus and checksum when a closing
    that reaches the period end ends it)."""
    groups = figures.groups
    lines: list[tuple[object, ...]] = [
        (
            label,
            *dates,
            g["group"],
            int(g["envelope"]),
            int(g["consumed"]),
            int(g["remaining"]),
            int(g["seconds"]) / SECONDS_PER_HOUR,
            int(g["contributors"]),
            int(g["unpaid_valued"]),
            None,
            None,
            None,
            None,
            None,
        )
        for g in groups.to_dict("records")
    ]
    envelopes, consumed = int(groups["envelope"].sum()), int(groups["consumed"].sum())
    counted = books.counted_rows(figures.rows, "person")
    parts = _surplus(ending) if ending is not None else dict.fromkeys(SURPLUS_PARTS)
    total = (
        label,
        *dates,
        TOTAL,
        envelopes,
        consumed,
        envelopes - consumed,
        int(groups["seconds"].sum()) / SECONDS_PER_HOUR,
        int(counted["person"].map(str.casefold).nunique()),
        int(groups["unpaid_valued"].sum()),
        *(parts[name] for name in SURPLUS_PARTS),
        ending.checksum if ending is not None else None,
    )
    return [*lines, total]


def _surplus(closing: Closing) -> dict[str, int | None]:
    """The surplus and its parts as the closing's tab froze them (À verser column)."""
    words = closing_tab.sections(closing.lang)
    names = {words[name]: name for name in SURPLUS_PARTS}
    found: dict[str, int | None] = dict.fromkeys(SURPLUS_PARTS)
    for line in closing.table:
        if line[0] == words["surplus"] and line[1] in names:
            found[names[str(line[1])]] = _cents(line[4])
    return found


def _cents(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)  # type: ignore[call-overload]
