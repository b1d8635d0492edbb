"""A corpus of nasty cells: what sloppy or hostile spreadsheets put in any column.

Used by the fuzzing tests in every column of every input tab.
"""

from __future__ import annotations

import datetime as dt

from sheetsync.model import CellValue

LONG = 10_000

NASTY: dict[str, CellValue] = {
    # wrong types for the column
    "true": True,
    "false": False,
    "time": dt.time(13, 45),
    "duration 3 days": dt.timedelta(days=3),
    "negative duration": dt.timedelta(hours=-2),
    "date-time": dt.datetime(2026, 3, 2, 23, 59, 59),
    "zero": 0,
    "negative": -5,
    "huge int": 10**20,
    "huge float": 1e308,
    "tiny float": 5e-324,
    "fraction": 0.1 + 0.2,
    # long and strange text
    "10k chars": "x" * LONG,
    "10k accents": "é" * LONG,
    "10k digits": "9" * LONG,
    "control chars": "a\x00b\x01c\x1f",
    "zero-width": "\u200b\ufeff",
    "line breaks": "line\r\nbreak\rx\n",
    "tab": "\t",
    "spaces": "   ",
    "emoji": "😀🎉",
    "family emoji": "👩‍👩‍👧",
    "right-to-left": "\u202eabc",
    "lone surrogate": "\ud800",
    # formulas and error values
    "formula": "=SUM(A1:A2)",
    "division formula": "=1/0",
    "plus": "+1+1",
    "at": "@SUM(A1)",
    "minus formula": "-1+1",
    "#REF!": "#REF!",
    "#N/A": "#N/A",
    "#DIV/0!": "#DIV/0!",
    "#VALUE!": "#VALUE!",
    "#NAME?": "#NAME?",
    # a header repeated mid-sheet
    "header Date": "Date",
    "header Personne": "Personne",
    "header Montant": "Montant demandé",
    # 1900 date system edges (serials and dates)
    "serial 0": 0.0,
    "serial 59": 59,
    "serial 60 (1900-02-29)": 60,
    "serial 61": 61,
    "serial -1": -1,
    "serial max": 2_958_465,
    "serial beyond": 2_958_466,
    "date 1899-12-30": dt.date(1899, 12, 30),
    "date 1900-01-01": dt.date(1900, 1, 1),
    "date 1900-02-28": dt.date(1900, 2, 28),
    "date 9999-12-31": dt.date(9999, 12, 31),
    "date 0001-01-01": dt.date(1, 1, 1),
    "text 29/02/1900": "29/02/1900",
    "text 31/02/2026": "31/02/2026",
    "text 00/00/0000": "00/00/0000",
    # ambiguous numbers
    "1,234": "1,234",
    "1.234": "1.234",
    "1,234.5": "1,234.5",
    "1.234,5": "1.234,5",
    "1 234": "1 234",
    "narrow nbsp": "1\u202f234",
    "1e5 text": "1e5",
    "hex": "0x10",
    "percent": "50 %",
    "two commas": "1,2,3",
    # signed zero, NaN and infinities
    "negative zero": -0.0,
    "-0 text": "-0",
    "-0,0 text": "-0,0",
    "NaN": float("nan"),
    "inf": float("inf"),
    "-inf": float("-inf"),
    "NaN text": "NaN",
    "nan text": "nan",
    "inf text": "inf",
    "-inf text": "-inf",
    "Infinity text": "Infinity",
}
