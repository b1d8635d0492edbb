"""How the emulator shows and reads values: locale formatting, number formats, serials.

Covers the subset of Google's behaviour sheetsync depends on, not every pattern.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from tests.emulator.dates import EPOCH, default_pattern, format_date
from tests.emulator.state import Json

_COMMA_LOCALES = ("fr", "de", "es", "it", "pt", "nl", "ru", "pl", "sv", "da", "nb", "fi", "cs")
_DEFAULT_PATTERNS = {"PERCENT": "0.00%", "CURRENCY": "#,##0.00", "SCIENTIFIC": "0.00E+00"}


def separators(locale: str) -> tuple[str, str]:
    """(decimal, thousands) separators of a locale, e.g. fr_FR -> (",", narrow nbsp)."""
    language = locale.split("_", maxsplit=1)[0]
    if language == "fr":
        return ",", "\u202f"
    if language in _COMMA_LOCALES:
        return ",", "."
    return ".", ","


def plain_number(value: float) -> int | float:
    """A JSON number as Google prints it: 5 rather than 5.0."""
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value


def serial_of(value: dt.date | dt.datetime) -> float:
    moment = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
    return (moment - EPOCH).total_seconds() / 86400


def _general(value: float, locale: str) -> str:
    decimal, _ = separators(locale)
    text = f"{value:.10g}" if abs(value) < 1e15 else repr(value)
    return text.replace(".", decimal) if "e" not in text else text


def _grouped(digits: str, thousands: str) -> str:
    parts: list[str] = []
    while len(digits) > 3:
        parts.insert(0, digits[-3:])
        digits = digits[:-3]
    return thousands.join([digits, *parts])


def _literal(pattern: str) -> str:
    """Quoted text and [$€-40C] currency markers of a pattern, as shown."""
    text = re.sub(r"\[\$([^\]-]*)[^\]]*\]", r"\1", pattern)
    return re.sub(r'"([^"]*)"', r"\1", text)


def format_number(value: float, pattern: str, locale: str) -> str:
    """Format with a number pattern such as '#,##0.00 [$€-40C]' or '0.0%'."""
    pattern = pattern.split(";", maxsplit=1)[0]
    if "%" in pattern:
        value *= 100
    body = re.search(r"[#0][#0,]*(\.[#0]+)?", pattern)
    if body is None:
        return _literal(pattern)
    decimals = len(body.group(1) or "") - 1 if body.group(1) else 0
    decimal, thousands = separators(locale)
    rounded = f"{abs(value):.{max(decimals, 0)}f}"
    whole, _, fraction = rounded.partition(".")
    if "," in body.group(0):
        whole = _grouped(whole, thousands)
    number = ("-" if value < 0 and float(rounded) else "") + whole
    number += decimal + fraction if fraction else ""
    return _literal(pattern[: body.start()]) + number + _literal(pattern[body.end() :])


def formatted(cell: Json, locale: str) -> str:
    """The FORMATTED_VALUE of a stored cell."""
    value = effective(cell)
    if value is None:
        return ""
    if "stringValue" in value:
        return str(value["stringValue"])
    if "boolValue" in value:
        return "TRUE" if value["boolValue"] else "FALSE"
    if "errorValue" in value:
        return error_literal(value)
    number = float(value["numberValue"])
    spec: Json = cell.get("userEnteredFormat", {}).get("numberFormat", {})
    kind = spec.get("type", "NUMBER")
    if kind in ("DATE", "TIME", "DATE_TIME"):
        return format_date(number, spec.get("pattern") or default_pattern(kind, locale), locale)
    pattern = spec.get("pattern") or _DEFAULT_PATTERNS.get(kind, "")
    return format_number(number, pattern, locale) if pattern else _general(number, locale)


# What Google shows, and answers in values (any render option), for each error type.
ERROR_LITERALS = {
    "ERROR": "#ERROR!",
    "NULL_VALUE": "#NULL!",
    "DIVIDE_BY_ZERO": "#DIV/0!",
    "VALUE": "#VALUE!",
    "REF": "#REF!",
    "NAME": "#NAME?",
    "NUM": "#NUM!",
    "N_A": "#N/A",
    "LOADING": "Loading...",
}


def error_literal(value: Json) -> str:
    return ERROR_LITERALS.get(str(value["errorValue"].get("type")), "#ERROR!")


def effective(cell: Json) -> Json | None:
    """The effective value: formulas are stored but not evaluated by the emulator."""
    entered: Json | None = cell.get("userEnteredValue")
    if entered is None:
        return None
    if "formulaValue" in entered:
        return {"errorValue": {"type": "ERROR", "message": "Formulas are not evaluated."}}
    return entered


def date_kind(cell: Json) -> bool:
    kind = cell.get("userEnteredFormat", {}).get("numberFormat", {}).get("type")
    return kind in ("DATE", "TIME", "DATE_TIME")


def _plain(value: Json) -> Any:
    return value.get("stringValue", value.get("boolValue"))


def unformatted(cell: Json, option: str, date_option: str, locale: str) -> Any:
    """A cell's value for UNFORMATTED_VALUE / FORMULA / FORMATTED_VALUE.

    dateTimeRenderOption (ignored with FORMATTED_VALUE): SERIAL_NUMBER gives a date,
    time, date-time or duration cell as its serial number; FORMATTED_STRING as the
    text its number format shows in the spreadsheet's locale. Every other number
    stays a number either way.
    """
    if option == "FORMATTED_VALUE":
        return formatted(cell, locale)
    entered = cell.get("userEnteredValue", {})
    if option == "FORMULA" and "formulaValue" in entered:
        return entered["formulaValue"]
    value = effective(cell)
    if value is None:
        return ""
    if "numberValue" in value:
        if date_option == "FORMATTED_STRING" and date_kind(cell):
            return formatted(cell, locale)
        return plain_number(float(value["numberValue"]))
    return error_literal(value) if "errorValue" in value else _plain(value)
