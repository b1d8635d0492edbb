"""Reading one spreadsheet cell as a typed value: date, number, money, hours, yes/no, enum.

Pure functions shared by every tab reader; a cell that cannot be read raises CellError.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from fractions import Fraction

from sheetsync import template
from sheetsync.errors import CellError
from sheetsync.messages import say
from sheetsync.model import CellValue
from sheetsync.units import SERIAL_EPOCH, round_half_away, to_cents

# Spreadsheet serial day 0; serials count days from here (1900 leap-year bug included).
_LAST_SERIAL = (dt.date.max - SERIAL_EPOCH).days
# Sanity bounds keep results inside int64 columns whatever is typed.
_MAX_CENTS = 10**15
_MAX_SECONDS = 10**12

_SIGNS = {"-": -1, "\u2212": -1, "+": 1}
# Thousands separators people type: spaces (normal, no-break, narrow, thin, figure) and
# the Swiss apostrophe.
_GROUPING = " \u00a0\u202f\u2009\u2007'\u2019"
_CURRENCY = re.compile(
    r"[€$£¥]|\b(?:eur|euros?|usd|chf|cad|gbp|xof|xpf|frs?)\b\.?",
    re.IGNORECASE,
)
_NO_GROUPING = str.maketrans("", "", _GROUPING)
_GROUPED = re.compile(rf"\d{{1,3}}(?:[{_GROUPING}]\d{{3}})+(?:[.,]\d*)?")
_CORE = re.compile(r"[\d.,]*\d[\d.,]*")
# Unambiguous whatever the locale: "1.234" is left to the tie-breaker.
_PLAIN = re.compile(r"-?\d+(?:\.\d{1,2}|\.\d{4,})?")

_DMY = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})(?:[T ]+\d{1,2}:\d{2}(?::\d{2})?)?")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")

_HOUR_UNIT = r"(?:h|hrs?|heures?|hours?)"
_HOURS_MINUTES = re.compile(rf"(\d+)\s*{_HOUR_UNIT}\s*(?:(\d{{1,2}})\s*(?:min|mn|m)?)?", re.I)
_CLOCK = re.compile(r"(\d+):(\d{2})(?::(\d{2}))?")
_WITH_UNIT = re.compile(rf"(.*?\d)\s*(min|mn|minutes?|j|jours?|d|days?|{_HOUR_UNIT})\.?", re.I)
_SECONDS_PER_UNIT = {"min": 60, "mn": 60, "minute": 60, "minutes": 60}
_DAY_UNITS = frozenset({"j", "jour", "jours", "d", "day", "days"})


def is_blank(value: CellValue) -> bool:
    """True for an empty cell: None, or text made only of spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value: CellValue) -> str:
    """The cell as a user would read it: dates ISO, 3.0 shown as "3"."""
    if value is None or isinstance(value, str):
        return value or ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return _typed_text(value)


def _typed_text(value: CellValue) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return _duration_text(value)
    return str(value)


def _duration_text(value: dt.timedelta) -> str:
    seconds = round(value.total_seconds())
    sign = "-" if seconds < 0 else ""
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours}:{minutes:02d}" + (f":{secs:02d}" if secs else "")


# ---------------------------------------------------------------- dates


def parse_date(value: CellValue, *, month_first: bool = False) -> dt.date:
    """A date cell, a serial number or a date written as text."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial_date(value)
    if isinstance(value, str):
        return _text_date(value.strip(), month_first)
    raise CellError("not a date")


def _serial_date(serial: float) -> dt.date:
    if not (math.isfinite(serial) and 1 <= serial <= _LAST_SERIAL):
        raise CellError("serial number out of range")
    return SERIAL_EPOCH + dt.timedelta(days=math.floor(serial))


def _text_date(text: str, month_first: bool) -> dt.date:
    iso = _ISO.fullmatch(text)
    if iso:
        return _checked_date(int(iso[1]), int(iso[2]), int(iso[3]))
    dmy = _DMY.fullmatch(text)
    if not dmy:
        raise CellError("not a date")
    first, separator, second, year_text = dmy[1], dmy[2], dmy[3], dmy[4]
    # Dotted dates are day-first everywhere; slashes and dashes follow the locale.
    day, month = (second, first) if month_first and separator != "." else (first, second)
    year = int(year_text) + (2000 if len(year_text) == 2 else 0)
    return _checked_date(year, int(month), int(day))


def _checked_date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as error:
        raise CellError("no such day") from error


# ---------------------------------------------------------------- numbers


def parse_number(value: CellValue, *, decimal_comma: bool) -> Decimal:
    """A real number, or a number written as text in either convention."""
    if isinstance(value, bool):
        raise CellError("yes/no, not a number")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellError("not a finite number")
        return Decimal(repr(value))
    if not isinstance(value, str):
        raise CellError("not a number")
    text = value.strip()
    if _PLAIN.fullmatch(text):
        return Decimal(text)
    return _text_number(text, decimal_comma)


def _text_number(text: str, decimal_comma: bool) -> Decimal:
    body = _CURRENCY.sub("", text).strip()
    sign = _SIGNS.get(body[:1], 0)
    if sign:
        body = body[1:].strip()
    if _GROUPED.fullmatch(body):
        # Space-grouped thousands: whatever separator follows is the decimal point.
        digits = body.translate(_NO_GROUPING).replace(",", ".")
    elif _CORE.fullmatch(body):
        digits = _normalized(body, decimal_comma)
    else:
        raise CellError("not a number")
    number = Decimal(digits.rstrip(".") or "0")
    return -number if sign < 0 else number


def _normalized(body: str, decimal_comma: bool) -> str:
    """Digits with at most one "." as decimal point, from "1.234,5", "1,234.5", "3,5"…"""
    last_comma, last_dot = body.rfind(","), body.rfind(".")
    if last_comma < 0 and last_dot < 0:
        return body
    if last_comma >= 0 and last_dot >= 0:
        point, thousands = (",", ".") if last_comma > last_dot else (".", ",")
    else:
        point, thousands = _lone_separator_role(
            body, "," if last_comma >= 0 else ".", decimal_comma
        )
    whole, _, fraction = body.rpartition(point) if point else (body, "", "")
    groups = whole.split(thousands) if thousands else [whole]
    if not _valid_groups(groups) or (fraction and not fraction.isdigit()):
        raise CellError("misplaced separator")
    return "".join(groups) + ("." + fraction if fraction else "")


def _lone_separator_role(body: str, separator: str, decimal_comma: bool) -> tuple[str, str]:
    """(decimal point, thousands separator) when only one kind of separator is used."""
    as_point, as_thousands = (separator, ""), ("", separator)
    if body.count(separator) > 1:
        return as_thousands
    whole, _, fraction = body.partition(separator)
    if len(fraction) != 3 or whole.strip("0") == "":
        return as_point
    # "1,234" or "1.234": the spreadsheet's locale decides.
    return as_point if (separator == ",") == decimal_comma else as_thousands


def _valid_groups(groups: list[str]) -> bool:
    if len(groups) == 1:
        return groups[0] == "" or groups[0].isdigit()
    head_ok = groups[0].isdigit() and len(groups[0]) <= 3
    return head_ok and all(len(g) == 3 and g.isdigit() for g in groups[1:])


def parse_money(value: CellValue, *, decimal_comma: bool) -> int:
    """An amount in cents, rounded half away from zero."""
    if isinstance(value, int) and not isinstance(value, bool):
        cents = to_cents(value)
    else:
        cents = to_cents(parse_number(value, decimal_comma=decimal_comma))
    if abs(cents) >= _MAX_CENTS:
        raise CellError("amount too large")
    return cents


def parse_fraction(value: CellValue, *, decimal_comma: bool) -> Fraction:
    """A number kept exact (hours per day, factors)."""
    return Fraction(parse_number(value, decimal_comma=decimal_comma))


def parse_integer(value: CellValue, *, decimal_comma: bool) -> int:
    """A whole number; 3.0 is fine, 3.5 is not."""
    number = parse_fraction(value, decimal_comma=decimal_comma)
    if number.denominator != 1:
        raise CellError("not a whole number")
    return int(number)


def parse_percent(value: CellValue, *, decimal_comma: bool) -> Fraction:
    """A share: "80", "80 %" and 0.8 (a percent-formatted cell) all mean 80 %."""
    if isinstance(value, str) and value.strip().endswith("%"):
        return parse_fraction(value.strip()[:-1], decimal_comma=decimal_comma) / 100
    number = parse_fraction(value, decimal_comma=decimal_comma)
    # A percent-formatted cell holds the fraction itself; a typed number is in percent.
    return number if number <= 1 else number / 100


# ---------------------------------------------------------------- hours


def parse_hours(value: CellValue, *, decimal_comma: bool, hours_per_day: Fraction) -> int:
    """A duration in whole seconds: hours as a number, "1h30", "1:30", "90 min", "0,5 j"…"""
    if isinstance(value, dt.time):
        micro = value.hour * 3600_000_000 + value.minute * 60_000_000
        micro += value.second * 1_000_000 + value.microsecond
        return round_half_away(Fraction(micro, 1_000_000))
    if isinstance(value, dt.timedelta):
        return _bounded(round_half_away(Fraction(value // dt.timedelta(microseconds=1), 10**6)))
    if isinstance(value, str):
        return _bounded(_text_hours(value.strip(), decimal_comma, hours_per_day))
    if isinstance(value, dt.date):
        raise CellError("a date, not a duration")
    hours = parse_fraction(value, decimal_comma=decimal_comma)
    return _bounded(round_half_away(hours * 3600))


def _bounded(seconds: int) -> int:
    if abs(seconds) >= _MAX_SECONDS:
        raise CellError("duration too long")
    return seconds


def _text_hours(text: str, decimal_comma: bool, hours_per_day: Fraction) -> int:
    sign = _SIGNS.get(text[:1], 0)
    body = text[1:].strip() if sign else text
    seconds = _unsigned_text_hours(body, decimal_comma, hours_per_day)
    return -seconds if sign < 0 else seconds


def _unsigned_text_hours(body: str, decimal_comma: bool, hours_per_day: Fraction) -> int:
    clock = _CLOCK.fullmatch(body) or _HOURS_MINUTES.fullmatch(body)
    if clock:
        hours, minutes, seconds = (int(part) for part in (*clock.groups("0"), "0")[:3])
        if minutes >= 60 or seconds >= 60:
            raise CellError("minutes or seconds over 59")
        return hours * 3600 + minutes * 60 + seconds
    with_unit = _WITH_UNIT.fullmatch(body)
    if not with_unit:
        return round_half_away(parse_fraction(body, decimal_comma=decimal_comma) * 3600)
    amount = parse_fraction(with_unit[1], decimal_comma=decimal_comma)
    if amount < 0:
        raise CellError("sign inside a duration")
    unit = with_unit[2].casefold()
    if unit in _DAY_UNITS:
        return round_half_away(amount * hours_per_day * 3600)
    return round_half_away(amount * _SECONDS_PER_UNIT.get(unit, 3600))


# ---------------------------------------------------------------- yes/no, enums


def parse_enum(value: CellValue, enum: str) -> str:
    """The key of the template enum value the cell names ("validé" -> "validated")."""
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        raise CellError("not one of the listed values")
    key = template.load().enums[enum].lookup(as_text(value))
    if key is None:
        raise CellError("not one of the listed values")
    return key


def parse_bool(value: CellValue) -> bool:
    """Yes/no: oui/non, yes/no, vrai/faux, true/false, 1/0, x; blank means no."""
    if isinstance(value, bool):
        return value
    if is_blank(value):
        return False
    return parse_enum(value, "bool") == "yes"


def enum_labels(enum: str, lang: template.Lang) -> str:
    """The values a user may write, for messages: "signaler, proportionnel, …"."""
    return ", ".join(template.load().enums[enum].labels(lang))


# ---------------------------------------------------------------- conventions

# Languages whose locales write 1,234.5; every other one writes 1 234,5 or 1.234,5.
_DOT_LANGUAGES = frozenset({"en", "ja", "zh", "ko", "he", "th", "hi", "ms", "ga", "mt", "sw"})
_DOT_LOCALES = frozenset({"de_CH", "it_CH", "es_MX", "es_US", "fr_CH"})
_MONTH_FIRST_LOCALES = frozenset({"en_US", "en_PH", "es_US"})


def number_conventions(locale: str | None, lang: template.Lang) -> tuple[bool, bool]:
    """(decimal comma, month-first dates) from the spreadsheet's locale, else its language."""
    if not locale:
        return say(lang, "format.decimal_mark") == ",", False
    code = locale.replace("-", "_")
    language = code.split("_")[0].lower()
    decimal_comma = language not in _DOT_LANGUAGES and code not in _DOT_LOCALES
    return decimal_comma, code in _MONTH_FIRST_LOCALES
