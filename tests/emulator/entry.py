"""What a USER_ENTERED or RAW value becomes once stored, as typed into the Sheets UI.

USER_ENTERED turns text into numbers, dates, booleans and formulas by the locale.
"""

from __future__ import annotations

import datetime as dt
import re

from tests.emulator.render import separators, serial_of
from tests.emulator.state import Json

_BOOLS = {"true": True, "false": False, "vrai": True, "faux": False}


def _number(text: str, locale: str) -> float | None:
    decimal, thousands = separators(locale)
    cleaned = text.replace(thousands, "").replace("\u00a0", "").replace(" ", "")
    if decimal == ",":
        cleaned = cleaned.replace(",", ".")
    if re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", cleaned):
        return float(cleaned)
    return None


def _date(text: str, locale: str) -> dt.date | None:
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
    else:
        found = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", text)
        if not found:
            return None
        first, second, year = (int(g) for g in found.groups())
        day, month = (second, first) if locale == "en_US" else (first, second)
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _time(text: str) -> float | None:
    found = re.fullmatch(r"(\d{1,3}):(\d{2})(?::(\d{2}))?", text)
    if not found:
        return None
    hours, minutes, seconds = (int(g or 0) for g in found.groups())
    return (hours * 3600 + minutes * 60 + seconds) / 86400


def _special(text: str) -> Json | None:
    """Formulas, quote-prefixed text and booleans."""
    if text.startswith("="):
        return {"userEnteredValue": {"formulaValue": text}}
    if text.startswith("'"):
        return {"userEnteredValue": {"stringValue": text[1:]}}
    if text.strip().casefold() in _BOOLS:
        return {"userEnteredValue": {"boolValue": _BOOLS[text.strip().casefold()]}}
    return None


def _numeric(text: str, locale: str) -> Json | None:
    """Numbers (with a percent sign), dates and times typed as text."""
    percent = text.endswith("%")
    number = _number(text.rstrip("%").strip(), locale)
    if number is not None:
        cell: Json = {"userEnteredValue": {"numberValue": number / 100 if percent else number}}
        if percent:
            cell["userEnteredFormat"] = {"numberFormat": {"type": "PERCENT", "pattern": "0%"}}
        return cell
    date = _date(text, locale)
    if date is not None:
        fmt = {"type": "DATE", "pattern": "yyyy-mm-dd"} if "-" in text else {"type": "DATE"}
        return {
            "userEnteredValue": {"numberValue": serial_of(date)},
            "userEnteredFormat": {"numberFormat": fmt},
        }
    moment = _time(text)
    if moment is None:
        return None
    return {
        "userEnteredValue": {"numberValue": moment},
        "userEnteredFormat": {"numberFormat": {"type": "TIME", "pattern": "[h]:mm:ss"}},
    }


def _typed_text(text: str, locale: str) -> Json:
    """The cell a text typed by a user becomes (value and format)."""
    found = _special(text) or _numeric(text.strip(), locale)
    return found or {"userEnteredValue": {"stringValue": text}}


def entered(value: object, option: str, locale: str) -> Json | None:
    """The stored cell for one value of a values.update body; None clears nothing."""
    if value is None:
        return None
    if isinstance(value, bool):
        return {"userEnteredValue": {"boolValue": value}}
    if isinstance(value, int | float):
        return {"userEnteredValue": {"numberValue": float(value)}}
    text = str(value)
    if text == "":
        return {}
    if option == "RAW":
        return {"userEnteredValue": {"stringValue": text}}
    return _typed_text(text, locale)
