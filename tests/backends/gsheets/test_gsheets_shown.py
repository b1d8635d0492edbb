"""Dates and durations as Google shows them (dateTimeRenderOption=FORMATTED_STRING),
read back: each text alone, a column's order, and what the emulator renders."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheetsync.backends.gsheets.shown import (
    Shown,
    clock_span,
    clock_time,
    column_order,
    read_shown,
)
from sheetsync.backends.gsheets.values import type_dates, type_hours
from sheetsync.model import CellValue
from tests.emulator.dates import format_date
from tests.emulator.render import serial_of

MARCH_31 = dt.date(2026, 3, 31)


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("31/03/2026", "dmy", MARCH_31),
        ("3/31/2026", "mdy", MARCH_31),
        ("31/03/26", "dmy", MARCH_31),
        ("31.3.2026", "mdy", MARCH_31),  # dots: day first whatever the column says
        ("2026-03-31", "mdy", MARCH_31),
        ("2026/03/31", "dmy", MARCH_31),
        ("31 mars 2026", "mdy", MARCH_31),
        ("31 déc. 2026", "dmy", dt.date(2026, 12, 31)),
        ("31\u202fmars\u00a02026", "dmy", MARCH_31),  # no-break spaces
        ("1 févr. 2026", "dmy", dt.date(2026, 2, 1)),
        ("mardi 31 mars 2026", "dmy", MARCH_31),
        ("mar. 31 mars 2026", "dmy", MARCH_31),  # "mar." is Tuesday beside "mars"
        ("Tuesday, March 31, 2026", "dmy", MARCH_31),
        ("Mar 31, 2026", "dmy", MARCH_31),
        ("31-Mar-26", "dmy", MARCH_31),
        ("31/03/2026 14:05:33", "dmy", dt.datetime(2026, 3, 31, 14, 5, 33)),
        ("3/31/2026 2:05:33 PM", "mdy", dt.datetime(2026, 3, 31, 14, 5, 33)),
        ("2026-03-31T14:05", "dmy", dt.datetime(2026, 3, 31, 14, 5)),
        ("March 31 at 2:05 PM", "dmy", None),  # no year
    ],
)
def test_a_shown_date_is_read(text: str, order: str, expected: dt.date | None) -> None:
    shown = read_shown(text)
    found = None if shown is None else shown.moment(order)  # type: ignore[arg-type]
    assert found == expected


@pytest.mark.parametrize(
    "text",
    [
        "31 mars",  # the year dropped
        "mars 2026",  # the day dropped
        "31. März 2026",  # a month named in a language not read here
        "mercredi 31 mars 2026",  # the weekday does not match
        "31/03",
        "hier",
        "14:05:33",  # a time is no date
        "1h30",
        "",
    ],
)
def test_a_text_that_pins_no_date_is_not_read(text: str) -> None:
    shown = read_shown(text)
    assert shown is None or shown.moment("dmy") is None


@pytest.mark.parametrize(
    ("text", "order"),
    [("31/03/2026", "dmy"), ("03/31/2026", "mdy"), ("03/04/2026", None), ("04/04/2026", "dmy")],
)
def test_a_numeric_date_proves_its_order_only_with_a_number_over_12(
    text: str, order: str | None
) -> None:
    shown = read_shown(text)
    assert shown is not None
    assert shown.order == order


def _numeric(first: int, second: int) -> Shown:
    return Shown(2026, first, second, fixed=False)


@pytest.mark.parametrize(
    ("shown", "default", "order"),
    [
        ([_numeric(3, 4), _numeric(31, 3)], None, "dmy"),  # a day over 12 settles it
        ([_numeric(3, 4), _numeric(3, 31)], "dmy", "mdy"),  # against the locale, too
        ([_numeric(3, 4)], "dmy", "dmy"),  # nothing proved: the default
        ([_numeric(3, 4)], None, None),  # nothing proved, no default: in doubt
        ([_numeric(31, 3), _numeric(3, 31)], "dmy", None),  # both: mixed formats
    ],
)
def test_a_column_order(shown: list[Shown], default: str | None, order: str | None) -> None:
    assert column_order(shown, default) == order  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("2:00:00", 2),
        ("26:30:00", 26.5),
        ("2:00:00 AM", 2),
        ("2:30:00 PM", 14.5),
        ("12:30 AM", 0.5),
        ("0:30:00.000", 0.5),
        ("2:60", None),
        ("13:00 PM", None),
    ],
)
def test_a_shown_duration(text: str, hours: float | None) -> None:
    span = clock_span(text)
    assert (None if span is None else span / dt.timedelta(hours=1)) == hours


def test_a_clock_time_is_under_a_day() -> None:
    assert clock_time("14:05") == dt.time(14, 5)
    assert clock_time("26:30") is None


def _column(*cells: CellValue) -> list[list[CellValue]]:
    return [["Date"], *([c] for c in cells)]


def test_a_column_of_dates_typed_in_the_order_it_proves() -> None:
    # sheetsync's template writes dd/mm/yyyy, also in a month-first locale.
    rows = _column("03/04/2026", "31/03/2026", 46000, None)
    assert type_dates(rows, 0, None, strict=True) == []
    assert [r[0] for r in rows[1:]] == [dt.date(2026, 4, 3), MARCH_31, 46000, None]


def test_a_column_in_doubt_is_left_for_the_formats() -> None:
    rows = _column("03/04/2026", "05/05/2026", "31 mars")
    assert type_dates(rows, 0, None, strict=True) == [1, 3]
    assert rows[2][0] == dt.date(2026, 5, 5)
    # Not strict (a setting's value): only what is in doubt, never plain text.
    rows = _column("03/04/2026", "EUR")
    assert type_dates(rows, 0, None, strict=False) == [1]


def test_an_hours_column_keeps_what_the_parser_reads() -> None:
    rows = _column("2:00:00", "2h30", "2:30:00 PM", "31/03/2026", 3.5)
    assert type_hours(rows, 0, decimal_comma=True) == [4]
    assert rows[1:] == [
        ["2:00:00"],
        ["2h30"],
        [dt.timedelta(hours=14, minutes=30)],
        ["31/03/2026"],
        [3.5],
    ]


PATTERNS = [
    ("dd/mm/yyyy", "fr_FR", "dmy"),
    ("M/d/yyyy", "en_US", "mdy"),
    ("d mmm yyyy", "fr_FR", "dmy"),
    ("d mmmm yyyy", "fr_FR", "dmy"),
    ("dddd d mmmm yyyy", "fr_FR", "dmy"),
    ("ddd d mmm yyyy", "fr_FR", "dmy"),
    ("dddd, mmmm d, yyyy", "en_US", "dmy"),
    ("mmm d, yyyy h:mm AM/PM", "en_US", "dmy"),
    ("dd-mmm-yy", "en_US", "dmy"),
    ("yyyy-mm-dd", "fr_FR", "dmy"),
    ("dd/MM/yyyy HH:mm:ss", "fr_FR", "dmy"),
    ("M/d/yyyy H:mm:ss", "en_US", "mdy"),
    ("dd.MM.yyyy", "de_DE", "mdy"),
]


@given(
    day=st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)),
    pattern=st.sampled_from(PATTERNS),
)
def test_what_the_emulator_shows_is_read_back(day: dt.date, pattern: tuple[str, str, str]) -> None:
    text, locale, order = pattern
    shown = read_shown(format_date(serial_of(day), text, locale))
    assert shown is not None
    found = shown.moment(order)  # type: ignore[arg-type]
    assert found is not None
    assert (found.date() if isinstance(found, dt.datetime) else found) == day
