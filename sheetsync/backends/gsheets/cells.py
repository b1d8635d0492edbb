"""Cells between sheetsync and the Sheets API: typed CellData read and written.

Text is always written as stringValue, so nothing a user typed can become a formula.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sheetsync import formats
from sheetsync.model import CellValue, ErrorCell
from sheetsync.units import moment_of, serial_of, to_units

Json = dict[str, Any]

# Google's number format type for each column kind; the pattern comes from formats.py.
_FORMAT_TYPES = {"money": "CURRENCY", "percent": "PERCENT", "date": "DATE"}


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _timed(serial: float) -> CellValue:
    """Time-formatted cells: under a day a time of day, else a duration.

    The parser reads both as a duration, so the format's pattern (elapsed
    `[h]` or clock `h`) is not worth fetching for every cell.
    """
    span = dt.timedelta(seconds=round(serial * 86400))
    if not 0 <= serial < 1:
        return span
    return (dt.datetime.min + span).time()


def typed_number(serial: float, number_format: Json) -> CellValue:
    """A number typed by its number format: a date, a time, a duration, else the number."""
    kind = number_format.get("type")
    try:
        if kind in ("DATE", "DATE_TIME"):
            moment = moment_of(serial)
            return moment.date() if kind == "DATE" else moment
        if kind == "TIME":
            return _timed(serial)
    except OverflowError:
        pass  # a number no calendar holds: hand it over as the number, the parser reports it
    return _number(serial)


# What the sheet shows for each ErrorValue type, and what values.batchGet answers.
ERROR_TEXTS = {
    "NULL_VALUE": "#NULL!",
    "DIVIDE_BY_ZERO": "#DIV/0!",
    "VALUE": "#VALUE!",
    "REF": "#REF!",
    "NAME": "#NAME?",
    "NUM": "#NUM!",
    "N_A": "#N/A",
    "LOADING": "Loading...",
}


def read_cell(cell: Json) -> CellValue:
    """The CellValue of one CellData (effectiveValue + effectiveFormat.numberFormat)."""
    value: Json = cell.get("effectiveValue", {})
    if "numberValue" in value:
        number_format = cell.get("effectiveFormat", {}).get("numberFormat", {})
        return typed_number(float(value["numberValue"]), number_format)
    if "stringValue" in value:
        return str(value["stringValue"])
    if "boolValue" in value:
        return bool(value["boolValue"])
    if "errorValue" in value:
        return ErrorCell(ERROR_TEXTS.get(str(value["errorValue"].get("type")), "#ERROR!"))
    return None


def _format(kind: str, pattern: str | None) -> Json:
    if pattern is None:
        return {}
    number_type = _FORMAT_TYPES.get(kind, "NUMBER")
    return {"numberFormat": {"type": number_type, "pattern": pattern}}


def number_format(kind: str, currency: str = "EUR", *, output: bool = True) -> Json:
    """userEnteredFormat of a column of this kind ({} for text and plain numbers)."""
    pattern = formats.number_format(kind, currency) if output else formats.input_format(kind)
    return _format(kind, pattern)


def _value(value: object) -> Json:
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int | float):
        return {"numberValue": value}
    if isinstance(value, dt.timedelta):
        return {"numberValue": value.total_seconds() / 86400}
    if isinstance(value, dt.date):
        return {"numberValue": serial_of(value)}
    # Everything else is text, sent as stringValue: never parsed, never a formula.
    return {"stringValue": str(value)}


def write_cell(value: object, kind: str = "text", currency: str = "EUR") -> Json:
    """CellData for one output value; money arrives in integer cents."""
    if value is None or value == "":
        return {}
    if kind == "money" and isinstance(value, int) and not isinstance(value, bool):
        # Cents to units at the edge only: one division, nothing accumulated.
        return {"userEnteredValue": {"numberValue": to_units(value)}}
    cell: Json = {"userEnteredValue": _value(value)}
    if isinstance(value, dt.timedelta):
        cell["userEnteredFormat"] = {"numberFormat": {"type": "TIME", "pattern": "[h]:mm"}}
    elif isinstance(value, dt.date) and kind != "date":
        cell["userEnteredFormat"] = _format("date", formats.DATE_FORMAT)
    return cell


def header_cell(text: str) -> Json:
    return {
        "userEnteredValue": {"stringValue": text},
        "userEnteredFormat": {"textFormat": {"bold": True}},
    }
