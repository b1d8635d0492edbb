"""The XML of one owned sheet, streamed cell by cell, with its styles' indexes.

Text is always an inline string, so nothing a user typed can become a formula.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sheetsync import formats, template
from sheetsync.backends.xlsx import charts as xlsx_charts
from sheetsync.backends.xlsx import layout as xlsx_layout
from sheetsync.backends.xlsx.package import EPOCH_1900
from sheetsync.backends.xlsx.xmltext import text_xml
from sheetsync.formats import column_letter
from sheetsync.model import OutputTable, as_stored
from sheetsync.units import serial_of

NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@dataclass(frozen=True)
class TableStyles:
    header: int
    by_kind: dict[str, int]
    look: xlsx_layout.Look | None = None  # widths, totals, colours, print setup


DEFAULT_WIDTH = 14
# pandas' missing values (NaT, NA) reach here from data frames: written blank.
_PANDAS_BLANKS = {"NaTType", "NAType"}
_PLAIN_NUMBERS = {int, float}


def real_xml(value: numbers.Real | Decimal, kind: str) -> str | None:
    """The <v> text of a number (money: int cents), None for NaN and infinities."""
    if isinstance(value, int | numbers.Integral):
        whole = int(value)
        return formats.money_text(whole) if kind == "money" else str(whole)
    number = float(value)
    if not math.isfinite(number):
        return None
    return formats.money_text(round(number)) if kind == "money" else repr(as_stored(number))


def moment_xml(value: dt.date | dt.time | dt.timedelta, epoch: dt.date = EPOCH_1900) -> str:
    """Dates as serial days since the workbook's epoch (`package.EPOCH_1900` or
    `EPOCH_1904`); times and durations as fractions of a day."""
    if isinstance(value, dt.date):
        return repr(serial_of(value, epoch))
    if isinstance(value, dt.time):
        return repr((value.hour * 3600 + value.minute * 60 + value.second) / 86400)
    return repr(value.total_seconds() / 86400)


def cell_xml(ref: str, value: object, kind: str, style: int, epoch: dt.date = EPOCH_1900) -> str:
    """One cell typed by its Python value; blank (no element) for None."""
    body = _cell_body(value, kind, epoch)
    if body is None:
        return ""
    return f'<c r="{ref}" s="{style}"{body}</c>' if style else f'<c r="{ref}"{body}</c>'


def _cell_body(value: object, kind: str, epoch: dt.date) -> str | None:
    """The type attribute and content of a cell, None for a blank."""
    # Exact-type checks come first: they keep 100k-row tables fast.
    if type(value) is str:
        return f' t="inlineStr">{text_xml(value)}'
    if value is None or type(value).__name__ in _PANDAS_BLANKS:
        return None
    if isinstance(value, bool):
        return f' t="b"><v>{int(value)}</v>'
    if type(value) in _PLAIN_NUMBERS or isinstance(value, numbers.Real | Decimal):
        number = real_xml(value, kind)  # type: ignore[arg-type]
        return f"><v>{number}</v>" if number is not None else None
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        return f"><v>{moment_xml(value, epoch)}</v>"
    return f' t="inlineStr">{text_xml(str(value))}'


def column_widths(table: OutputTable) -> list[int]:
    """Widths from the template's output definition, matched by header."""
    tab = next((t for t in template.load().outputs if t.key == table.key), None)
    widths = {}
    for column in tab.columns if tab else ():
        widths.update({template.normalize(column.fr): column.width})
        widths.update({template.normalize(column.en): column.width})
    return [widths.get(template.normalize(h), DEFAULT_WIDTH) for h in table.header]


def _sheet_head(table: OutputTable, ref: str, look: xlsx_layout.Look | None) -> str:
    widths = look.layout.widths if look else column_widths(table)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'xmlns:r="{NS_R}">{xlsx_layout.sheet_properties() if look else ""}'
        f'<dimension ref="{ref}"/>'
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/>{xlsx_layout.columns(widths)}<sheetData>'
    )


def _total_row(
    number: int,
    row: tuple[object, ...],
    kinds: Sequence[str],
    look: xlsx_layout.Look,
    epoch: dt.date,
) -> str:
    """A Total row: bold, every cell styled, blanks too, so the border runs the whole width."""
    cells = []
    for index, kind in enumerate(kinds):
        ref = f"{column_letter(index)}{number}"
        style = look.totals.get(kind, 0)
        value = row[index] if index < len(row) else None
        cells.append(cell_xml(ref, value, kind, style, epoch) or f'<c r="{ref}" s="{style}"/>')
    return f'<row r="{number}">{"".join(cells)}</row>'


def _sheet_tail(table: OutputTable, ref: str, look: xlsx_layout.Look | None) -> str:
    """Everything after the cells, in the order the schema requires."""
    return (
        f'</sheetData><autoFilter ref="{ref}"/>'
        f"{xlsx_layout.conditional_formatting(look) if look else ''}"
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        f"{xlsx_layout.page_setup(look.layout) if look else ''}"
        f"{xlsx_charts.drawing_element(table)}</worksheet>"
    )


def table_range(table: OutputTable) -> str:
    """The cells a table covers, header included, e.g. A1:O12."""
    return f"A1:{column_letter(max(len(table.header), 1) - 1)}{len(table.rows) + 1}"


def sheet_chunks(
    table: OutputTable, styles: TableStyles, epoch: dt.date = EPOCH_1900
) -> Iterator[str]:
    """The sheet part's XML in pieces, so large tables stream into the zip; dates
    counted from `epoch`, that of the workbook's date system."""
    letters = [column_letter(i) for i in range(max(len(table.header), 1))]
    ref = table_range(table)
    look = styles.look
    yield _sheet_head(table, ref, look)
    header = "".join(
        cell_xml(f"{c}1", h, "text", styles.header)
        for c, h in zip(letters, table.header, strict=False)
    )
    yield f'<row r="1">{header}</row>'
    columns = list(
        zip(letters, table.kinds, [styles.by_kind.get(k, 0) for k in table.kinds], strict=False)
    )
    totals = {n + 2 for n in look.layout.total_rows} if look else set()
    lines: list[str] = []
    for number, row in enumerate(table.rows, start=2):
        if not row:
            continue  # a blank row of a hand-edit copy: the rows after keep their numbers
        if number in totals and look is not None:
            lines.append(_total_row(number, row, table.kinds, look, epoch))
            continue
        cells = "".join(
            cell_xml(f"{letter}{number}", value, kind, style, epoch)
            for (letter, kind, style), value in zip(columns, row, strict=False)
        )
        lines.append(f'<row r="{number}">{cells}</row>')
        if len(lines) == 2000:
            yield "".join(lines)
            lines.clear()
    yield "".join(lines)
    yield _sheet_tail(table, ref, look)
