"""How sheetsync shows money, hours, dates and percentages to a person, one way per
language: the terminal, statements, exports, the journal and messages all use it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator
from contextvars import ContextVar
from fractions import Fraction
from functools import cache

from sheetsync.messages import say
from sheetsync.template import Lang
from sheetsync.units import split_cents

NARROW_NBSP = "\u202f"  # the French thousands separator


def money(cents: int, lang: Lang, currency: str = "EUR") -> str:
    """An amount as a reader writes it: 1 234,50 € (fr), €1,234.50 (en).

    Currencies other than the euro show their code after the amount.
    """
    sign, units, rest = split_cents(cents)
    grouped = f"{units:,}"
    symbol = "€" if currency.upper() == "EUR" else currency.upper()
    grouped = grouped.replace(",", _convention(lang, "format.thousands_separator"))
    number = f"{grouped}{_convention(lang, 'format.decimal_mark')}{rest:02d}"
    if symbol == "€":
        return say(lang, "format.money_euro", sign=sign, amount=number)
    return say(lang, "format.money", sign=sign, amount=number, currency=symbol)


@cache
def _convention(lang: Lang, key: str) -> str:
    """A sign of the language's numbers (decimal mark, thousands separator), read once."""
    return say(lang, key)


def amount(cents: int, lang: Lang) -> str:
    """An amount exactly, to the cent, without grouping or currency: 1234,56 / 1234.56.

    For cells a program reads back (CSV) and for the journal's old → new values.
    """
    sign, units, rest = split_cents(cents)
    return f"{sign}{units}{_convention(lang, 'format.decimal_mark')}{rest:02d}"


def decimal(number: float | Fraction, lang: Lang, digits: int = 2) -> str:
    """A number with at most `digits` decimals (trailing zeros dropped), in the
    language's decimal mark: 0,6667 / 0.6667; never a float artefact."""
    text = f"{float(number):.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    text = "0" if text == "-0" else text
    return text.replace(".", _convention(lang, "format.decimal_mark"))


def hours(seconds: int, lang: Lang) -> str:
    """Hours as a decimal number, to the hundredth: 1,5 / 1.5."""
    return decimal(seconds / 3600, lang, digits=2)


def duration(seconds: int) -> str:
    """3h, 1h30: whole minutes, the way people type a duration."""
    whole, rest = divmod(seconds, 3600)
    minutes = rest // 60
    return f"{whole}h{minutes:02d}" if minutes else f"{whole}h"


def percent(fraction: float | Fraction, lang: Lang, digits: int = 0) -> str:
    """A fraction as a percentage: 85 % (fr, with a no-break space), 85% (en)."""
    number = decimal(float(fraction) * 100, lang, digits)
    return say(lang, "format.percent", n=number)


def date(day: dt.date, lang: Lang) -> str:
    """31/03/2026 (fr), 2026-03-31 (en)."""
    # inline language: English dates are ISO 8601 as date.isoformat() writes them (a
    # datetime's time included), which no format template asks for.
    return day.strftime(say(lang, "format.date")) if lang == "fr" else day.isoformat()


def environment_lang() -> Lang:
    """The language before a spreadsheet says its own: LC_ALL, else LANG; French
    unless they ask for English (SPEC §10)."""
    setting = os.environ.get("LC_ALL") or os.environ.get("LANG") or ""
    return "en" if setting.lower().startswith("en") else "fr"


# The spreadsheet's language once a run has read it (per thread of a nightly run).
_SHEET_LANG: ContextVar[Lang | None] = ContextVar("sheet_lang", default=None)


def speak(lang: Lang | None) -> None:
    """From now on in this run, speak `lang` (None: back to the environment's)."""
    _SHEET_LANG.set(lang)


@contextlib.contextmanager
def speaking(lang: Lang | None) -> Iterator[None]:
    """Speak `lang` inside the block only (None: no change), then as before."""
    if lang is None:
        yield
        return
    token = _SHEET_LANG.set(lang)
    try:
        yield
    finally:
        _SHEET_LANG.reset(token)


def user_lang(guess: Lang | None = None) -> Lang:
    """The language every word to the user follows: the spreadsheet's once known,
    else the environment's (SPEC §10). `guess`: what the spreadsheet seems to speak
    before it is read (its tab titles), preferred to the environment."""
    return _SHEET_LANG.get() or guess or environment_lang()
