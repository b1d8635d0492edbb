"""What every tab reader shares: the located tab, the number conventions, fast column reading.

Columns are read whole, each distinct cell parsed once, so a million rows stay fast.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from itertools import repeat
from operator import itemgetter
from typing import Any, TypeVar, overload

import numpy as np
import numpy.typing as npt
import pandas as pd

from sheetsync import cells
from sheetsync.errors import CellError
from sheetsync.messages import message, say, severity
from sheetsync.model import Anomaly, CellValue, ErrorCell
from sheetsync.template import Lang
from sheetsync.units import per_distinct

T = TypeVar("T")
B = TypeVar("B")
K = TypeVar("K", bound=Hashable)
Mask = npt.NDArray[np.bool_]
# Days from 0001-01-01 (date.toordinal() == 1) to 1970-01-01, numpy's datetime origin.
_UNIX_ORDINAL = 719163
_NAT = np.iinfo(np.int64).min  # numpy's "not a time"


@dataclass(frozen=True)
class Reading:
    """How this spreadsheet writes numbers, dates and days, and when its period starts."""

    lang: Lang
    decimal_comma: bool
    month_first: bool
    hours_per_day: Fraction = Fraction(7)
    # Rows dated before it belong to earlier periods (SPEC §12): their group is checked
    # against the closings that froze them (ledger.ended), not against today's Groupes.
    period_start: dt.date | None = None


@dataclass(frozen=True)
class Sheet:
    """One input tab found in the spreadsheet, with its columns located."""

    key: str
    title: str
    lang: Lang
    index: dict[str, int]  # column key -> position in the row
    headers: dict[str, str]  # column key -> header text as written
    rows: list[list[CellValue]]  # data rows: sheet row 2 onwards (see data_rows)
    numbers: list[int] | None = None  # each row's number in the sheet; None: 2, 3, 4…
    # Columns are read by several checks: each is extracted, and its blanks found, once.
    _columns: dict[str, list[CellValue]] = field(default_factory=dict, repr=False, compare=False)
    _blanks: dict[str, Mask] = field(default_factory=dict, repr=False, compare=False)

    def row_number(self, at: int) -> int:
        """The number the sheet shows for data row `at` (0-based)."""
        return at + 2 if self.numbers is None else self.numbers[at]

    def row_numbers(self) -> npt.NDArray[np.int64]:
        """The sheet's number of every data row."""
        if self.numbers is None:
            return np.arange(2, len(self.rows) + 2, dtype=np.int64)
        return np.array(self.numbers, dtype=np.int64)

    def positions(self, numbers: Sequence[int]) -> list[int]:
        """The data rows (0-based) that the sheet shows with these numbers."""
        if self.numbers is None:
            return [n - 2 for n in numbers]
        at = {n: i for i, n in enumerate(self.numbers)}
        return [at[n] for n in numbers]

    def has(self, key: str) -> bool:
        return key in self.index

    def cells(self, key: str) -> list[CellValue]:
        """The column's cells, one per data row; None when absent or past a short row."""
        if key not in self._columns:
            self._columns[key] = self._extract(key)
        return self._columns[key]

    def blanks(self, key: str) -> Mask:
        """True where the column's cell is blank."""
        if key not in self._blanks:
            self._blanks[key] = blank_mask(self.cells(key))
        return self._blanks[key]

    @cached_property
    def _shortest_row(self) -> int:
        return min(map(len, self.rows), default=0)

    def _extract(self, key: str) -> list[CellValue]:
        at = self.index.get(key)
        if at is None:
            return [None] * len(self.rows)
        if self._shortest_row > at:
            return list(map(itemgetter(at), self.rows))
        return [row[at] if at < len(row) else None for row in self.rows]

    def empty_rows(self) -> Mask:
        """True for rows whose template columns are all blank: skipped silently."""
        empty = np.ones(len(self.rows), dtype=bool)
        for key in self.index:
            empty &= self.blanks(key)
        return empty

    def anomaly(
        self, at: int | None, key: str | None, value: CellValue, *, code: str, message: str
    ) -> Anomaly:
        """A problem found at data row `at` (0-based) in column `key`, as serious as its code."""
        return Anomaly(
            severity=severity(code),
            tab=self.title,
            row=None if at is None else self.row_number(at),
            column=self.headers.get(key) if key else None,
            value=cells.as_text(value),
            message=message,
            code=code,
        )


# Blank rows are kept as they are unless they outnumber the others by this much.
SPARSE_ROWS = 1_000


def data_rows(
    rows: list[list[CellValue]], first: int = 2
) -> tuple[list[list[CellValue]], list[int] | None]:
    """The data rows (sheet row 2 onwards) to read, and their numbers in the sheet.

    A tab whose rows are mostly empty (a stray value at row 1,048,576) keeps only
    its non-empty rows with their numbers: reading costs what is there, not the
    rows in between. Empty rows are skipped silently anyway. `first` is the number
    shown for the first data row (RawTab.first).
    """
    present = [at for at, row in enumerate(rows) if row]
    if len(rows) - len(present) <= len(present) + SPARSE_ROWS:
        return rows, None if first == 2 else list(range(first, first + len(rows)))
    return [rows[at] for at in present], [at + first for at in present]


def blank_mask(values: Sequence[CellValue]) -> Mask:
    """True where a cell is blank (None or only spaces)."""
    # Equal numbers and booleans share a set entry, harmlessly: none of them is blank.
    blanks = {value for value in set(values) if cells.is_blank(value)}
    return np.fromiter(map(blanks.__contains__, values), dtype=bool, count=len(values))


@overload
def read_cells(
    values: list[CellValue], parse: Callable[[CellValue], T]
) -> tuple[list[T | None], dict[int, CellValue]]: ...
@overload
def read_cells(
    values: list[CellValue], parse: Callable[[CellValue], T], blank: B
) -> tuple[list[T | B], dict[int, CellValue]]: ...
def read_cells(
    values: list[CellValue], parse: Callable[[CellValue], T], blank: object = None
) -> tuple[list[Any], dict[int, CellValue]]:
    """Each cell parsed (`blank` when blank) and the unreadable ones by position."""

    def read(value: CellValue) -> object:
        outcome = attempt(parse, value)
        return blank if outcome is None else outcome

    outcomes = per_distinct(values, read)
    failed = np.fromiter(map(isinstance, outcomes, repeat(CellError)), dtype=bool)
    errors: dict[int, CellValue] = {}
    for at in np.flatnonzero(failed).tolist():
        errors[at] = values[at]
        outcomes[at] = blank
    return outcomes, errors


def attempt(parse: Callable[[CellValue], T], value: CellValue) -> T | CellError | None:
    """One cell parsed: None when blank, the CellError when unreadable."""
    if cells.is_blank(value):
        return None
    try:
        return parse(value)
    except CellError as error:
        return error


def text_cells(values: list[CellValue]) -> list[str]:
    """Free-text cells as text, surrounding spaces removed."""
    return per_distinct(values, lambda v: cells.as_text(v).strip())


def dates_to_datetime64(dates: Sequence[dt.date | None]) -> npt.NDArray[np.datetime64]:
    """Dates as datetime64[ns], NaT for None, without a slow per-object conversion."""
    days = per_distinct(dates, lambda d: _NAT if d is None else d.toordinal() - _UNIX_ORDINAL)
    return np.array(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[ns]")


def left_out_rows(tab: str, rows: pd.DataFrame) -> pd.DataFrame:
    """Rows left out of the books for an error, with what could be read of them: their
    input tab's key, row, date (NaT when unreadable) and group ("" for payments); see
    model.Book.left_out."""
    return pd.DataFrame(
        {
            "tab": pd.Series(tab, index=range(len(rows)), dtype=object),
            "row": rows["row"].to_numpy(),
            "date": rows["date"].to_numpy(),
            "group": rows["group"].to_numpy() if "group" in rows else "",
        }
    )


def quoted(lang: Lang, text: str) -> str:
    return say(lang, "format.quoted", text=text)


def hits(mask: Mask) -> list[int]:
    """Positions where the mask is true."""
    return np.flatnonzero(mask).tolist()


def hits_among(values: Sequence[object], wanted: AbstractSet[object]) -> list[int]:
    """Positions of the values that are in `wanted` (usually none: checked fast)."""
    if not wanted:
        return []
    return hits(np.fromiter(map(wanted.__contains__, values), dtype=bool, count=len(values)))


# ---------------------------------------------------------------- shared messages


def date_unreadable(
    sheet: Sheet, lang: Lang, at: int, value: CellValue, *, month_first: bool
) -> Anomaly:
    order = "month_first" if month_first else "day_first"
    text = message(f"date_unreadable.{order}", lang, v=quoted(lang, cells.as_text(value)))
    return sheet.anomaly(at, "date", value, code="date_unreadable", message=text)


def amount_unreadable(sheet: Sheet, lang: Lang, at: int, key: str, value: CellValue) -> Anomaly:
    text = message("amount_unreadable", lang, v=quoted(lang, cells.as_text(value)))
    return sheet.anomaly(at, key, value, code="amount_unreadable", message=text)


def error_cells(sheet: Sheet, live: Mask) -> list[tuple[int, str, str]]:
    """(row position, column key, error text) of each cell saved as an error in the
    live rows of the tab's known columns: an amount in error is never read as blank."""
    found = []
    for key in sheet.index:
        column = sheet.cells(key)
        # The types a column holds are found in C: most columns hold no error at all.
        if not any(issubclass(kind, ErrorCell) for kind in set(map(type, column))):
            continue
        for at, value in enumerate(column):
            if isinstance(value, ErrorCell) and live[at]:
                found.append((at, key, str(value)))
    return sorted(found)
