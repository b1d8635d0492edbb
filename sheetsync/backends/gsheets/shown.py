"""Dates, times and durations as values.batchGet shows them with
dateTimeRenderOption=FORMATTED_STRING (each in its number format, in the spreadsheet's
locale), read back as dates and durations.

A shown text cannot always pin its date down: a format may drop the year or the day,
name months in a language not read here, or put the day and the month in an order the
text does not show (03/04/2026). Such cells are left as text for the formats request
(see values.py); docs/GOOGLE.md, "Dates and durations as shown", says when.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

Order = Literal["dmy", "mdy"]

# inline language: words Google writes in cells, read back (both languages whatever the
# sheet's), not sentences sheetsync says; a new language adds the words it reads here.
_MONTH_NAMES = (
    # French then English, full and abbreviated as Google shows them (accents and final
    # dots dropped when matched).
    ("janvier janv", "january jan"),
    ("fevrier fevr", "february feb"),
    ("mars", "march mar"),
    ("avril avr", "april apr"),
    ("mai", "may"),
    ("juin", "june jun"),
    ("juillet juil", "july jul"),
    ("aout", "august aug"),
    ("septembre sept", "september sep"),
    ("octobre oct", "october"),
    ("novembre nov", "november"),
    ("decembre dec", "december"),
)
MONTHS = {word: n for n, names in enumerate(_MONTH_NAMES, 1) for w in names for word in w.split()}
# inline language: as the months above.
_WEEKDAY_NAMES = (
    ("lundi lun", "monday mon"),
    ("mardi mar", "tuesday tue tues"),
    ("mercredi mer", "wednesday wed"),
    ("jeudi jeu", "thursday thu thur thurs"),
    ("vendredi ven", "friday fri"),
    ("samedi sam", "saturday sat"),
    ("dimanche dim", "sunday sun"),
)
WEEKDAYS = {w: n for n, names in enumerate(_WEEKDAY_NAMES) for ws in names for w in ws.split()}

_CLOCK = r"(\d{1,3}):(\d{2})(?::(\d{2})(?:[.,](\d{1,3}))?)?(?:\s*([ap])\.?(?:m\.?)?)?"
_CLOCK_TEXT = re.compile(_CLOCK, re.IGNORECASE)
_WITH_CLOCK = re.compile(rf"(.*?\d.*?)(?:[T\s,]+|\s+(?:à|at)\s+)({_CLOCK})", re.IGNORECASE)
_NUMERIC = re.compile(r"(\d{1,4})([/.\-])(\d{1,2})\2(\d{1,4})")
_PIECES = re.compile(r"[^\W\d_]+|\d+|[\s,./'-]+|.")
_SEPARATORS = frozenset(" ,./'-")


@dataclass(frozen=True)
class Shown:
    """A date as a text shows it. `fixed`: the text says which number is the day (a
    month name, dots, the year first); else `first` and `second` are day and month in
    an order the column has to tell."""

    year: int
    first: int
    second: int
    fixed: bool
    clock: dt.time | None = None
    weekday: int | None = None

    @property
    def order(self) -> Order | None:
        """The order this text proves by itself (a number over 12), if any."""
        if self.fixed or self.first == self.second:
            return "dmy"
        if self.first > 12 >= self.second:
            return "dmy"
        if self.second > 12 >= self.first:
            return "mdy"
        return None

    def moment(self, order: Order) -> dt.date | None:
        """The date (with its time when shown) read in this order, unless the text fixes
        its own; None if no such day."""
        swap = order == "mdy" and not self.fixed
        day, month = (self.second, self.first) if swap else (self.first, self.second)
        try:
            date = dt.date(self.year, month, day)
        except ValueError:
            return None
        if self.weekday is not None and date.weekday() != self.weekday:
            return None
        return dt.datetime.combine(date, self.clock) if self.clock else date


def _word(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in plain if not unicodedata.combining(c))


def _year(text: str) -> int | None:
    if len(text) == 4:
        return int(text)
    return 2000 + int(text) if len(text) == 2 else None


def clock_time(text: str) -> dt.time | None:
    """A time of day shown as `14:05`, `2:05:33 PM`, `14:05:33.500`; None otherwise."""
    found = _CLOCK_TEXT.fullmatch(text.strip())
    if not found:
        return None
    span = _clock_span(found)
    if span is None or span >= dt.timedelta(days=1):
        return None
    return (dt.datetime.min + span).time()


def clock_span(text: str) -> dt.timedelta | None:
    """A duration or time shown as `2:00:00`, `26:30`, `2:00:00 AM`, `0:30:00.000`."""
    found = _CLOCK_TEXT.fullmatch(text.strip())
    return _clock_span(found) if found else None


def _clock_span(found: re.Match[str]) -> dt.timedelta | None:
    hours, minutes = int(found[1]), int(found[2])
    seconds, millis = int(found[3] or 0), int((found[4] or "0").ljust(3, "0"))
    if minutes > 59 or seconds > 59:
        return None
    if found[5]:  # a 12-hour clock: 12 AM is midnight, 12 PM noon
        if not 1 <= hours <= 12:
            return None
        hours = hours % 12 + (12 if found[5].lower() == "p" else 0)
    return dt.timedelta(hours=hours, minutes=minutes, seconds=seconds, milliseconds=millis)


def read_shown(text: str) -> Shown | None:
    """The date a text shows (`31/03/2026`, `3/31/26 14:05:33`, `mardi 31 mars 2026`,
    `Mar 31, 2026 2:05 PM`, `2026-03-31`), or None when it shows no whole date."""
    text = text.strip()
    clock = None
    timed = _WITH_CLOCK.fullmatch(text)
    if timed:
        clock = clock_time(timed[2])
        if clock is None:
            return None
        text = timed[1].strip()
    shown = _numeric(text) or _named(text)
    if shown is None or clock is None:
        return shown
    return Shown(shown.year, shown.first, shown.second, shown.fixed, clock, shown.weekday)


def _numeric(text: str) -> Shown | None:
    found = _NUMERIC.fullmatch(text)
    if not found:
        return None
    head, separator, middle, tail = found.groups()
    if len(head) == 4:  # year first: 2026-03-31, 2026/03/31
        return Shown(int(head), int(tail), int(middle), fixed=True) if len(tail) <= 2 else None
    year = _year(tail)
    if year is None or len(head) > 2:
        return None
    # Dotted dates are day-first everywhere, as the parser reads them.
    return Shown(year, int(head), int(middle), fixed=separator == ".")


def _named(text: str) -> Shown | None:
    """A date with its month in words, and perhaps its weekday."""
    pieces = _PIECES.findall(text)
    if any(not p.isalnum() and not all(c.isspace() or c in _SEPARATORS for c in p) for p in pieces):
        return None
    words = [_word(p) for p in pieces if p.isalpha()]
    numbers = [p for p in pieces if p.isdigit()]
    named = _month_and_weekday(words)
    if named is None or len(numbers) != 2:
        return None
    month, weekday = named
    first, second = numbers
    day_text, year_text = (second, first) if len(first) == 4 else (first, second)
    year = _year(year_text)
    if year is None or len(day_text) > 2:
        return None
    return Shown(year, int(day_text), month, fixed=True, weekday=weekday)


def _month_and_weekday(words: list[str]) -> tuple[int, int | None] | None:
    """The month a date's words name, and its weekday if one is named too."""
    if len(words) == 1:
        month = MONTHS.get(words[0])
        return None if month is None else (month, None)
    if len(words) != 2:
        return None
    readings = {
        (MONTHS[m], WEEKDAYS[w]) for m, w in (words, words[::-1]) if m in MONTHS and w in WEEKDAYS
    }
    return readings.pop() if len(readings) == 1 else None


def column_order(shown: list[Shown], default: Order | None) -> Order | None:
    """The order of a column's numeric dates: the one its texts prove (a day over 12);
    `default` when they prove none; None when they prove both (mixed formats)."""
    proved = {s.order for s in shown if not s.fixed and s.first != s.second} - {None}
    if len(proved) == 1:
        return proved.pop()
    return default if not proved else None
