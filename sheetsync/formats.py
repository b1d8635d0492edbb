"""Spreadsheet number formats for each column kind, and the value a cell holds.

Shared by the backends so a money, percent or date column looks the same in
Excel, LibreOffice and Google Sheets.
"""

from __future__ import annotations

import re

from sheetsync.units import split_cents

# Day first: the template's default reading order (SPEC §3), and unambiguous
# for the French-speaking networks that are the first users.
DATE_FORMAT = "dd/mm/yyyy"
HOURS_FORMAT = "0.00"
AMOUNT_FORMAT = "#,##0.00"

# Symbols users recognise; every other currency is shown by its code.
_SYMBOLS = {"EUR": "€"}

_FIXED_FORMATS = {
    "percent": "0.0%",
    "factor": "0.0000",
    "hours": HOURS_FORMAT,
    "number": "0.00",
    "integer": "0",
    "date": DATE_FORMAT,
}


# Spreadsheet serial day 0: dates count days from here (the 1900 system).
def currency_label(currency: str) -> str:
    """The symbol or code shown after amounts; only letters and digits are kept."""
    code = re.sub(r"[^0-9A-Za-z]", "", currency).upper()
    return _SYMBOLS.get(code, code)


def money_format(currency: str) -> str:
    """Amounts with two decimals and the currency after them, e.g. 1 234,50 €."""
    label = currency_label(currency)
    return f'{AMOUNT_FORMAT} "{label}"' if label else AMOUNT_FORMAT


def number_format(kind: str, currency: str = "EUR") -> str | None:
    """Format of an output column of this kind; None leaves the cell General."""
    if kind == "money":
        return money_format(currency)
    return _FIXED_FORMATS.get(kind)


def input_format(kind: str) -> str | None:
    """Format of an input column of the template: amounts carry no currency,
    since the Devise setting may change after the workbook is created."""
    if kind == "money":
        return AMOUNT_FORMAT
    if kind in ("date", "hours"):
        return _FIXED_FORMATS[kind]
    return None


def money_text(cents: int) -> str:
    """Exact decimal text of an amount in cents, e.g. -1234 -> "-12.34"."""
    sign, units, rest = split_cents(cents)
    return f"{sign}{units}.{rest:02d}" if rest else f"{sign}{units}"


def column_letter(index: int) -> str:
    """Spreadsheet column name of a 0-based index: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
