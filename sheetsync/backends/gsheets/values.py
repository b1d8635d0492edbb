"""Cells read as values (spreadsheets.values.batchGet), typed where a value alone
cannot tell: error literals, and the dates, times and durations Google shows as text.

Values cost about a fifth of the bytes of grid data, and decode with one json.loads.
They are asked with `UNFORMATTED_VALUE` and `dateTimeRenderOption=FORMATTED_STRING`:
a plain number arrives as a number, and a cell formatted as a date, a time, a date-time
or a duration arrives as the text its number format shows (`31/03/2026`, `2:00:00`).
What that loses, and how it comes back:

- an error cell arrives as its literal ("#DIV/0!"): a text exactly equal to one of
  Google's error literals is read as an error cell (ErrorCell). Google reads such a
  literal typed in a cell as the error itself; only a text forced with a leading
  apostrophe is taken for an error too;
- a date arrives as text: the date columns of the input tabs (and the dates of the
  Paramètres and Horodateur columns) are typed from what they show (`shown.py`), the
  day and month in the order the column proves; the date columns of the output tabs
  likewise, sheetsync writing them day first;
- a time or duration in an hours column arrives as `2:00:00` (a number of hours stays
  a number), which the parser reads; a 12-hour clock (`2:00:00 PM`) is typed here;
- a cell whose text does not pin its value down (a format without the year, months
  named in another language, an order no cell of the column shows in a month-first
  locale) is left for one formats request (`Unread`), only when the books are
  computed (never on the unchanged-sync fast path).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from sheetsync.backends.gsheets.cells import ERROR_TEXTS, read_cell
from sheetsync.backends.gsheets.shown import Order, Shown, clock_span, column_order, read_shown
from sheetsync.cells import as_text, number_conventions, parse_hours
from sheetsync.errors import CellError
from sheetsync.formats import column_letter
from sheetsync.model import CellValue, ErrorCell, RawTab, RawWorkbook
from sheetsync.template import Tab, load, normalize

Json = dict[str, Any]

# Asked of values.batchGet: raw numbers; dates, times and durations as they are shown.
VALUE_PARAMS = {
    "valueRenderOption": "UNFORMATTED_VALUE",
    "dateTimeRenderOption": "FORMATTED_STRING",
    "majorDimension": "ROWS",
}

# Asked of spreadsheets.get for the cells whose shown text could not be read.
FORMAT_FIELDS = (
    "sheets(properties(title),"
    "data(startRow,startColumn,rowData(values(effectiveValue,effectiveFormat/numberFormat))))"
)

ERROR_LITERALS = frozenset({*ERROR_TEXTS.values(), "#ERROR!"}) - {"Loading..."}
# A blank reads as None, an error literal as an ErrorCell; anything else as it came.
_SPECIAL: dict[object, CellValue] = {"": None, **{t: ErrorCell(t) for t in ERROR_LITERALS}}
# Columns of other kinds whose cells are dates: a setting's value, a form's timestamp.
_DATED = frozenset({("settings", "value"), ("responses", "timestamp")})
SINGLE_CELLS = 20  # above, a column's span is asked for rather than each cell


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


@dataclass
class Unread:
    """Cells whose shown text could not be read: title -> column -> rows (0-based)."""

    cells: dict[str, dict[int, list[int]]] = field(default_factory=dict)

    def add(self, title: str, column: int, rows: list[int]) -> None:
        if rows:
            self.cells.setdefault(title, {}).setdefault(column, []).extend(rows)

    def merge(self, other: Unread) -> Unread:
        for title, columns in other.cells.items():
            for column, rows in columns.items():
                self.add(title, column, rows)
        return self

    def __bool__(self) -> bool:
        return bool(self.cells)

    def ranges(self) -> list[str]:
        """A1 ranges of these cells: each cell, or a column's span when there are many."""
        found: list[str] = []
        for title, columns in self.cells.items():
            for column, rows in columns.items():
                found += _column_ranges(title, column, sorted(set(rows)))
        return found


def _column_ranges(title: str, at: int, rows: list[int]) -> list[str]:
    letter, tab = column_letter(at), quote_title(title)
    if len(rows) > SINGLE_CELLS:
        return [f"{tab}!{letter}{rows[0] + 1}:{letter}{rows[-1] + 1}"]
    return [f"{tab}!{letter}{n + 1}" for n in rows]


def type_output_dates(tabs: Mapping[str, RawTab], owned: Mapping[str, str]) -> Unread:
    """The date columns of owned output tabs, shown as text, as dates again, so the
    tab's cells give back the fingerprint sheetsync wrote (hand-edit check). sheetsync
    writes them dd/mm/yyyy whatever the locale: day first unless the column proves
    otherwise. Returns the cells still unread."""
    unread = Unread()
    for title, raw in tabs.items():
        tab = _template_tab(title, load().outputs) if title in owned else None
        if tab is None:
            continue
        for at, column in enumerate(tab.columns):
            if column.kind == "date":
                unread.add(title, at, type_dates(raw.rows, at, "dmy", strict=True))
    return unread


def type_inputs(tabs: Mapping[str, RawTab], owned: Mapping[str, str], locale: str | None) -> Unread:
    """The dates and clock times of the input tabs read (columns found by their header
    in row 1), typed from what they show, in place. Returns the cells still unread:
    a date or hours column's text that shows no whole date or duration, and a date
    whose day and month its column leaves in doubt."""
    decimal_comma, month_first = number_conventions(locale, "fr")
    # A column that proves no order: day first, as both the locale and sheetsync's
    # template write it, unless the locale writes months first (the template does not).
    default: Order | None = None if month_first else "dmy"
    unread = Unread()
    for title, raw in tabs.items():
        tab = None if title in owned else _template_tab(title, load().inputs)
        if tab is None or not raw.rows:
            continue
        by_name = {k: c for c in tab.columns for k in c.match_keys()}
        for at, cell in enumerate(raw.rows[0]):
            column = by_name.get(normalize(as_text(cell)))
            if column is None:
                continue
            if column.kind == "date" or (tab.key, column.key) in _DATED:
                strict = column.kind == "date"
                unread.add(title, at, type_dates(raw.rows, at, default, strict=strict))
            elif column.kind == "hours":
                unread.add(title, at, type_hours(raw.rows, at, decimal_comma))
    return unread


def _texts_at(rows: list[list[CellValue]], at: int) -> list[int]:
    """Rows (below the header) whose cell in this column is a text."""
    return [n for n in range(1, len(rows)) if at < len(rows[n]) and type(rows[n][at]) is str]


def type_dates(
    rows: list[list[CellValue]], at: int, default: Order | None, *, strict: bool
) -> list[int]:
    """A column's texts that show a date typed as dates, in place; the rows left for
    the formats: in doubt (day and month), or, `strict`, showing no date at all."""
    texted = _texts_at(rows, at)
    shown: dict[str, Shown | None] = {}
    for n in texted:
        text = str(rows[n][at])
        if text not in shown:
            shown[text] = read_shown(text)
    order = column_order([s for s in shown.values() if s is not None], default)
    typed: dict[str, dt.date | None] = {}
    doubtful: set[str] = set()
    for text, seen in shown.items():
        own = None if seen is None else seen.order or order
        typed[text] = None if seen is None or own is None else seen.moment(own)
        if seen is not None and own is None:
            doubtful.add(text)
    unread = []
    for n in texted:
        text = str(rows[n][at])
        value = typed[text]
        if value is not None:
            rows[n][at] = value
        elif strict or text in doubtful:
            unread.append(n)
    return unread


def type_hours(rows: list[list[CellValue]], at: int, decimal_comma: bool) -> list[int]:
    """An hours column's texts: what the parser reads stays text, a 12-hour clock
    (`2:00:00 PM`) is typed as a duration, in place; the rows of the others."""
    texted = _texts_at(rows, at)
    typed: dict[str, CellValue] = {}
    for n in texted:
        text = str(rows[n][at])
        if text not in typed:
            typed[text] = _hours_text(text, decimal_comma)
    unread = []
    for n in texted:
        value = typed[str(rows[n][at])]
        if value is None:
            unread.append(n)
        elif not isinstance(value, str):
            rows[n][at] = value
    return unread


def _hours_text(text: str, decimal_comma: bool) -> CellValue:
    """The text itself when the parser reads it, a duration from a clock, else None."""
    try:
        parse_hours(text, decimal_comma=decimal_comma, hours_per_day=Fraction(7))
    except CellError:
        return clock_span(text)
    return text


@dataclass(frozen=True)
class ValuesWorkbook(RawWorkbook):
    """A workbook read as values: `complete()` types the cells shown as text (dates,
    clock times), in place, and asks the formats of those it cannot read: one request,
    made once, none when every shown text was read."""

    pending: Callable[[], None] | None = None

    def complete(self) -> None:
        if self.pending is not None:
            self.pending()


def apply_formats(tabs: Mapping[str, RawTab], body: Json) -> None:
    """The cells still shown as text typed from their value and number format, from a
    spreadsheets.get answer asked with FORMAT_FIELDS for an `Unread`, in place; a
    cell whose value is a text stays as it is."""
    for sheet in body.get("sheets", []):
        raw = tabs.get(str(sheet.get("properties", {}).get("title", "")))
        if raw is None:
            continue
        for grid in sheet.get("data", []):
            top, column = int(grid.get("startRow", 0)), int(grid.get("startColumn", 0))
            for offset, row_data in enumerate(grid.get("rowData", [])):
                cells = row_data.get("values", [])
                at = top + offset
                if not cells or at >= len(raw.rows) or column >= len(raw.rows[at]):
                    continue
                row = raw.rows[at]
                value = read_cell(cells[0])
                if type(row[column]) is str and value is not None and not isinstance(value, str):
                    row[column] = value
