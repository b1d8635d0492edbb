"""Cells read as values (spreadsheets.values.batchGet), typed where a value alone
cannot tell: error literals, dates of the output tabs, durations of the hours columns.

Values cost about a fifth of the bytes of grid data, and decode with one json.loads.
What they lose, and how it comes back:

- an error cell arrives as its literal ("#DIV/0!"): a text exactly equal to one of
  Google's error literals is read as an error cell (ErrorCell). Google reads such a
  literal typed in a cell as the error itself; only a text forced with a leading
  apostrophe is taken for an error too;
- a date arrives as its serial number: the parser reads serials in date columns, and
  the date columns of the output tabs are typed here from their template kind;
- a duration or time (`2:00` is 0.0833 of a day) cannot be told from a number of
  hours, nor a date typed in an amount column from an amount: the number formats of
  the input hours columns holding numbers, and of the amounts that could be date
  serials, are asked for in one extra request (`durations`), only when the books are
  computed (never on the unchanged-sync fast path).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sheetsync.backends.gsheets.cells import ERROR_TEXTS, typed_number
from sheetsync.formats import column_letter
from sheetsync.model import CellValue, ErrorCell, RawTab, RawWorkbook
from sheetsync.parse.cells import as_text
from sheetsync.template import Tab, load, normalize

Json = dict[str, Any]

# Asked of values.batchGet: raw numbers, dates and times as serial numbers.
VALUE_PARAMS = {
    "valueRenderOption": "UNFORMATTED_VALUE",
    "dateTimeRenderOption": "SERIAL_NUMBER",
    "majorDimension": "ROWS",
}

# Asked of spreadsheets.get for the cells whose format changes their meaning.
FORMAT_FIELDS = (
    "sheets(properties(title),"
    "data(startRow,startColumn,rowData(values(effectiveFormat/numberFormat/type))))"
)

ERROR_LITERALS = frozenset({*ERROR_TEXTS.values(), "#ERROR!"}) - {"Loading..."}
# A blank reads as None, an error literal as an ErrorCell; anything else as it came.
_SPECIAL: dict[object, CellValue] = {"": None, **{t: ErrorCell(t) for t in ERROR_LITERALS}}
_TIMED = frozenset({"DATE", "DATE_TIME", "TIME"})


def quote_title(title: str) -> str:
    """A tab title as an A1 range: quoted, inner quotes doubled."""
    return "'" + title.replace("'", "''") + "'"


def typed_rows(rows: list[list[Any]]) -> list[list[CellValue]]:
    """A ValueRange's rows with blanks as None and error literals as ErrorCells, in place;
    trailing blanks dropped as grid data drops them."""
    get = _SPECIAL.get
    for at, row in enumerate(rows):
        cells = [get(v, v) for v in row]
        while cells and cells[-1] is None:
            cells.pop()
        rows[at] = cells
    while rows and not rows[-1]:
        rows.pop()
    return rows


def _template_tab(title: str, tabs: Iterable[Tab]) -> Tab | None:
    key = normalize(title)
    return next((t for t in tabs if key in t.match_keys()), None)


def type_output_dates(tabs: Mapping[str, RawTab], owned: Mapping[str, str]) -> None:
    """The date columns of owned output tabs, read as serial numbers, as dates again,
    so the tab's cells give back the fingerprint sheetsync wrote (hand-edit check)."""
    for title, raw in tabs.items():
        tab = _template_tab(title, load().outputs) if title in owned else None
        if tab is None:
            continue
        dates = [at for at, c in enumerate(tab.columns) if c.kind == "date"]
        for row in raw.rows[1:]:
            for at in dates:
                if at < len(row) and _is_number(row[at]):
                    row[at] = typed_number(float(row[at]), {"type": "DATE"})  # type: ignore[arg-type]


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass(frozen=True)
class ValuesWorkbook(RawWorkbook):
    """A workbook read as values: `complete()` types the cells whose number format
    changes their meaning (`durations`), in place: one request, made once, none when
    no such cell holds a number."""

    pending: Callable[[], None] | None = None

    def complete(self) -> None:
        if self.pending is not None:
            self.pending()


@dataclass(frozen=True)
class Durations:
    """Cells whose format types may change their meaning: A1 ranges below the headers."""

    ranges: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.ranges)


# Serial numbers of 2000-01-01 and 2099-12-31: an amount among them may be a date
# typed in an amount column (12/03 becomes 46093), which the sheet shows as a date.
DATE_SERIALS = (36526, 73050)
SINGLE_CELLS = 20  # above, the whole column's formats are asked for


def durations(tabs: Mapping[str, RawTab], owned: Mapping[str, str]) -> Durations:
    """Where a number's format changes its meaning, in the input tabs read (columns
    found by their header in row 1): an hours column holding numbers (a time typed
    `2:00` is 0.0833 of a day), and the amounts of a money column that could be
    date serials (a date is no amount; the parser says so once it knows)."""
    ranges: list[str] = []
    for title, raw in tabs.items():
        tab = None if title in owned else _template_tab(title, load().inputs)
        if tab is None or not raw.rows:
            continue
        kinds = {k: c.kind for c in tab.columns for k in c.match_keys()}
        for at, cell in enumerate(raw.rows[0]):
            kind = kinds.get(normalize(as_text(cell)))
            if kind == "hours":
                rows = [n for n, r in enumerate(raw.rows) if n and _number_at(r, at)]
            elif kind == "money":
                rows = [n for n, r in enumerate(raw.rows) if n and _serial_at(r, at)]
            else:
                continue
            ranges += _column_ranges(title, at, rows, whole=kind == "hours")
    return Durations(tuple(ranges))


def _number_at(row: list[CellValue], at: int) -> bool:
    return at < len(row) and _is_number(row[at])


def _serial_at(row: list[CellValue], at: int) -> bool:
    low, high = DATE_SERIALS
    return _number_at(row, at) and low <= row[at] <= high  # type: ignore[operator]


def _column_ranges(title: str, at: int, rows: list[int], *, whole: bool) -> list[str]:
    """A1 ranges of these rows (0-based) of a column: each cell, or the column below
    its header from the first to the last."""
    if not rows:
        return []
    letter, tab = column_letter(at), quote_title(title)
    if whole or len(rows) > SINGLE_CELLS:
        return [f"{tab}!{letter}{rows[0] + 1}:{letter}{rows[-1] + 1}"]
    return [f"{tab}!{letter}{n + 1}" for n in rows]


def apply_formats(tabs: Mapping[str, RawTab], body: Json) -> None:
    """Numbers formatted as dates, times or durations typed as such, from a
    spreadsheets.get answer asked with FORMAT_FIELDS for `durations`, in place."""
    for sheet in body.get("sheets", []):
        raw = tabs.get(str(sheet.get("properties", {}).get("title", "")))
        if raw is None:
            continue
        for grid in sheet.get("data", []):
            top, column = int(grid.get("startRow", 0)), int(grid.get("startColumn", 0))
            for offset, row_data in enumerate(grid.get("rowData", [])):
                cells = row_data.get("values", [])
                kind = cells[0].get("effectiveFormat", {}).get("numberFormat", {}) if cells else {}
                at = top + offset
                if kind.get("type") not in _TIMED or at >= len(raw.rows):
                    continue
                row = raw.rows[at]
                if column < len(row) and _is_number(row[column]):
                    row[column] = typed_number(float(row[column]), kind)  # type: ignore[arg-type]
