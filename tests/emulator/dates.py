"""Date, time and duration patterns as the emulator renders them, after the token rules
of Google's number format guide: `d dd ddd dddd`, `m mm mmm mmmm mmmmm` (minutes when
the token before is an hour or the next one seconds), `M` (always a month), `y yy yyy
yyyy`, `h hh` (12-hour with an am/pm marker), `s ss`, `0 00 000` (fractions of a
second), `[h] [m] [s]` (elapsed), `am/pm`, `a/p`, quoted text and `\\x` literals.

Month and weekday names exist in French, English and German; other locales use English.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

EPOCH = dt.datetime(1899, 12, 30)  # serial 0, as in Google Sheets

_TOKENS = re.compile(
    r'"[^"]*"|\\.|\[[hms]+\]|am/pm|a/p|M+|d+|m+|y+|h+|s+|0+|.',
    re.IGNORECASE,
)
_MONTH_FIRST = ("en_US", "en_PH", "en_CA")

# Google's month and weekday names (full, abbreviated) by language.
_MONTHS = {
    "fr": (
        "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
        "janv. févr. mars avr. mai juin juil. août sept. oct. nov. déc.",
    ),
    "en": (
        "January February March April May June July August September October November December",
        "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
    ),
    "de": (
        "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
        "Jan. Feb. März Apr. Mai Juni Juli Aug. Sept. Okt. Nov. Dez.",
    ),
}
_WEEKDAYS = {
    "fr": (
        "lundi mardi mercredi jeudi vendredi samedi dimanche",
        "lun. mar. mer. jeu. ven. sam. dim.",
    ),
    "en": (
        "Monday Tuesday Wednesday Thursday Friday Saturday Sunday",
        "Mon Tue Wed Thu Fri Sat Sun",
    ),
    "de": (
        "Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag",
        "Mo. Di. Mi. Do. Fr. Sa. So.",
    ),
}


def _names(table: dict[str, tuple[str, str]], locale: str) -> tuple[list[str], list[str]]:
    full, short = table.get(locale.split("_", maxsplit=1)[0], table["en"])
    return full.split(), short.split()


def default_pattern(kind: str, locale: str) -> str:
    """The pattern Google uses for a type set without one, by locale."""
    if locale in _MONTH_FIRST:
        day, time = "M/d/yyyy", "h:mm:ss AM/PM"
        return {"DATE": day, "TIME": time, "DATE_TIME": f"{day} H:mm:ss"}.get(kind, "")
    day = "dd.MM.yyyy" if locale.startswith("de") else "dd/MM/yyyy"
    return {"DATE": day, "TIME": "HH:mm:ss", "DATE_TIME": f"{day} HH:mm:ss"}.get(kind, "")


@dataclass(frozen=True)
class _Moment:
    serial: float
    at: dt.datetime  # to the millisecond
    twelve: bool  # an am/pm marker in the pattern: hours on a 12-hour clock
    locale: str


def _moment(serial: float, twelve: bool, locale: str) -> _Moment:
    millis = round(serial * 86_400_000)
    return _Moment(serial, EPOCH + dt.timedelta(milliseconds=millis), twelve, locale)


def _field(token: str) -> str:
    """The field a token stands for: y, M (month), d, h, m (month or minute), s, [, 0, a."""
    lower = token.lower()
    if token[0] == "M":
        return "M"
    if lower in ("am/pm", "a/p"):
        return "a"
    return lower[0] if lower[0] in "ydhms[0" else ""


def _minute_tokens(tokens: list[str]) -> set[int]:
    """Positions of m/mm tokens meaning minutes: after an hour, or before seconds."""
    fields = [(at, _field(t)) for at, t in enumerate(tokens)]
    named = [(at, f) for at, f in fields if f]
    minutes = set()
    for rank, (at, field) in enumerate(named):
        if field != "m" or len(tokens[at]) > 2:
            continue
        before = named[rank - 1][1] if rank else ""
        after = named[rank + 1][1] if rank + 1 < len(named) else ""
        if before in ("h", "[") or after == "s":
            minutes.add(at)
    return minutes


def _elapsed(token: str, moment: _Moment) -> str:
    unit = token[1].lower()
    per_day = {"h": 24, "m": 1440, "s": 86400}[unit]
    amount = math.floor(abs(moment.serial) * per_day + 1e-9)
    return ("-" if moment.serial < 0 else "") + str(amount).zfill(len(token) - 2)


def _month(token: str, moment: _Moment) -> str:
    full, short = _names(_MONTHS, moment.locale)
    number = moment.at.month
    size = len(token)
    if size <= 2:
        return str(number).zfill(size)
    if size == 3:
        return short[number - 1]
    return full[number - 1][0] if size == 5 else full[number - 1]


def _day(token: str, moment: _Moment) -> str:
    if len(token) <= 2:
        return str(moment.at.day).zfill(len(token))
    full, short = _names(_WEEKDAYS, moment.locale)
    return (short if len(token) == 3 else full)[moment.at.weekday()]


def _hour(token: str, moment: _Moment) -> str:
    hour = moment.at.hour
    if moment.twelve:
        hour = hour % 12 or 12
    return str(hour).zfill(min(len(token), 2))


def _marker(token: str, moment: _Moment) -> str:
    noon = moment.at.hour >= 12
    shown = ("PM" if noon else "AM") if len(token) == 5 else ("P" if noon else "A")
    return shown if token[0].isupper() else shown.lower()


def _render(token: str, field: str, moment: _Moment, minute: bool) -> str:
    at = moment.at
    if field == "[":
        return _elapsed(token, moment)
    if field == "M" or (field == "m" and not minute):
        return _month(token, moment)
    if field == "y":
        return f"{at.year % 100:02d}" if len(token) <= 2 else f"{at.year:04d}"
    renderers = {
        "d": lambda: _day(token, moment),
        "h": lambda: _hour(token, moment),
        "m": lambda: str(at.minute).zfill(min(len(token), 2)),
        "s": lambda: str(at.second).zfill(min(len(token), 2)),
        "0": lambda: f"{at.microsecond // 1000:03d}"[: len(token)],
        "a": lambda: _marker(token, moment),
    }
    return renderers[field]() if field in renderers else _literal(token)


def _literal(token: str) -> str:
    if token.startswith('"'):
        return token[1:-1]
    return token[1:] if token.startswith("\\") else token


def format_date(serial: float, pattern: str, locale: str = "en_US") -> str:
    """A serial shown with a date, time or duration pattern such as `d mmm yyyy`."""
    tokens = _TOKENS.findall(pattern)
    twelve = any(_field(t) == "a" for t in tokens)
    moment = _moment(serial, twelve, locale)
    minutes = _minute_tokens(tokens)
    out = []
    for at, token in enumerate(tokens):
        field = _field(token)
        out.append(_render(token, field, moment, at in minutes) if field else _literal(token))
    return "".join(out)
