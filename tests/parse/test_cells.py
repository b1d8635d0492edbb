"""Reading single cells: every format SPEC §3 lists, the locale tie-breaker, money rounding."""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheetsync import cells, units
from sheetsync.errors import CellError
from sheetsync.model import CellValue

SEVEN = Fraction(7)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, True),
        ("", True),
        ("  \t", True),
        ("\u00a0", True),
        ("x", False),
        (0, False),
        (False, False),
        (dt.date(2026, 1, 1), False),
    ],
)
def test_is_blank(value: CellValue, expected: bool) -> None:
    assert cells.is_blank(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("texte", "texte"),
        (3.0, "3"),
        (3.5, "3.5"),
        (12, "12"),
        (True, "TRUE"),
        (dt.datetime(2026, 11, 28), "2026-11-28"),
        (dt.datetime(2026, 11, 28, 9, 30), "2026-11-28 09:30:00"),
        (dt.date(2026, 11, 28), "2026-11-28"),
        (dt.time(1, 30), "01:30:00"),
        (dt.timedelta(hours=26, minutes=5), "26:05"),
        (dt.timedelta(minutes=-90), "-1:30"),
    ],
)
def test_as_text(value: CellValue, expected: str) -> None:
    assert cells.as_text(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(5, 2), 3),
        (Fraction(-5, 2), -3),
        (Fraction(7, 3), 2),
        (Fraction(-7, 3), -2),
        (Fraction(1, 2), 1),
        (Fraction(0), 0),
    ],
)
def test_round_half_away(value: Fraction, expected: int) -> None:
    assert units.round_half_away(value) == expected


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_to_cents_of_a_float_is_its_exact_value_rounded_half_away(value: float) -> None:
    assert units.to_cents(value) == units.round_half_away(Fraction(value) * 100)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.125, 13), (-0.125, -13), (2.5, 250), (0.375, 38), (7, 700), (Decimal("0.005"), 1)],
)
def test_to_cents_rounds_halves_away_from_zero(value: float | Decimal, expected: int) -> None:
    assert units.to_cents(value) == expected


# ---------------------------------------------------------------- dates

NOV_28 = dt.date(2026, 11, 28)


@pytest.mark.parametrize(
    ("value", "month_first", "expected"),
    [
        (NOV_28, False, NOV_28),
        (dt.datetime(2026, 11, 28, 17, 45), False, NOV_28),
        (46354, False, NOV_28),
        (46354.75, False, NOV_28),
        (1, False, dt.date(1899, 12, 31)),
        ("28/11/2026", False, NOV_28),
        ("28/11/26", False, NOV_28),
        ("28.11.2026", False, NOV_28),
        ("28-11-2026", False, NOV_28),
        ("2026-11-28", False, NOV_28),
        ("2026-11-28 00:00:00", False, NOV_28),
        ("  28/11/2026 ", False, NOV_28),
        ("1/2/2026", False, dt.date(2026, 2, 1)),
        ("1/2/2026", True, dt.date(2026, 1, 2)),
        ("11/28/2026", True, NOV_28),
        # Dotted dates are day-first even in a month-first locale.
        ("28.11.2026", True, NOV_28),
        ("2026-11-28", True, NOV_28),
    ],
)
def test_parse_date(value: CellValue, month_first: bool, expected: dt.date) -> None:
    assert cells.parse_date(value, month_first=month_first) == expected


@pytest.mark.parametrize(
    "value",
    [
        "32/01/2026",
        "29/02/2026",
        "28/13/2026",
        "11/28/2026",
        "demain",
        "2026",
        "28/11",
        0,
        -5,
        10**9,
        float("nan"),
        True,
        dt.time(10, 0),
        dt.timedelta(days=1),
    ],
)
def test_parse_date_rejects(value: CellValue) -> None:
    with pytest.raises(CellError):
        cells.parse_date(value)


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3, Decimal(3)),
        (3.5, Decimal("3.5")),
        (0.1, Decimal("0.1")),
        ("3,5", Decimal("3.5")),
        ("3.5", Decimal("3.5")),
        ("1 234,50", Decimal("1234.50")),
        ("1 234,50 €", Decimal("1234.50")),
        ("€1,234.50", Decimal("1234.50")),
        ("1\u00a0234,5", Decimal("1234.5")),
        ("1\u202f234,5", Decimal("1234.5")),
        ("1'234.50 CHF", Decimal("1234.50")),
        ("1.234.567,89", Decimal("1234567.89")),
        ("1,234,567.89", Decimal("1234567.89")),
        ("12 345 678", Decimal("12345678")),
        ("EUR 42", Decimal(42)),
        ("42 euros", Decimal(42)),
        ("-12,5", Decimal("-12.5")),
        ("\u22123,5", Decimal("-3.5")),
        ("- 7 €", Decimal(-7)),
        ("+7", Decimal(7)),
        (",5", Decimal("0.5")),
        ("0,500", Decimal("0.5")),
    ],
)
def test_parse_number(value: CellValue, expected: Decimal) -> None:
    assert cells.parse_number(value, decimal_comma=True) == expected
    assert cells.parse_number(value, decimal_comma=False) == expected


@pytest.mark.parametrize(
    ("text", "decimal_comma", "expected"),
    [
        ("1,234", True, Decimal("1.234")),
        ("1,234", False, Decimal(1234)),
        ("1.234", True, Decimal(1234)),
        ("1.234", False, Decimal("1.234")),
        # Anything but three digits after the separator is never ambiguous.
        ("1,23", False, Decimal("1.23")),
        ("1.2345", True, Decimal("1.2345")),
    ],
)
def test_locale_decides_ambiguous_separator(
    text: str, decimal_comma: bool, expected: Decimal
) -> None:
    assert cells.parse_number(text, decimal_comma=decimal_comma) == expected


@pytest.mark.parametrize(
    "value",
    [
        "abc",
        "12 34",
        "1,2,3",
        "12,34,567",
        "1.2.3",
        "1e5",
        "3 h",
        "",
        "€",
        "--3",
        True,
        float("inf"),
        float("nan"),
        NOV_28,
        dt.time(1, 0),
    ],
)
def test_parse_number_rejects(value: CellValue) -> None:
    with pytest.raises(CellError):
        cells.parse_number(value, decimal_comma=True)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (150, 15000),
        (150.5, 15050),
        ("150,50 €", 15050),
        ("0,005", 1),
        ("-0,005", -1),
        ("0,004", 0),
        (12.345, 1235),
        (0.1 + 0.2, 30),
        ("1 234,56", 123456),
        (-3, -300),
    ],
)
def test_parse_money_rounds_half_away_from_zero(value: CellValue, expected: int) -> None:
    assert cells.parse_money(value, decimal_comma=True) == expected


def test_parse_money_refuses_absurd_amounts() -> None:
    with pytest.raises(CellError):
        cells.parse_money(10.0**20, decimal_comma=True)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("80", Fraction(4, 5)),
        ("80 %", Fraction(4, 5)),
        ("80%", Fraction(4, 5)),
        (0.8, Fraction(4, 5)),
        (80, Fraction(4, 5)),
        ("12,5 %", Fraction(1, 8)),
        ("0,5 %", Fraction(1, 200)),
        (1, Fraction(1)),
        (0, Fraction(0)),
        (150, Fraction(3, 2)),
    ],
)
def test_parse_percent(value: CellValue, expected: Fraction) -> None:
    assert cells.parse_percent(value, decimal_comma=True) == expected


@pytest.mark.parametrize(("value", "expected"), [(30, 30), (30.0, 30), ("45", 45), ("1 000", 1000)])
def test_parse_integer(value: CellValue, expected: int) -> None:
    assert cells.parse_integer(value, decimal_comma=True) == expected


def test_parse_integer_rejects_fractions() -> None:
    with pytest.raises(CellError):
        cells.parse_integer("2,5", decimal_comma=True)


# ---------------------------------------------------------------- hours


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2, 7200),
        (1.5, 5400),
        (0.25, 900),
        ("1,5", 5400),
        ("1.5", 5400),
        ("1h30", 5400),
        ("1 h 30", 5400),
        ("1H30", 5400),
        ("1h30min", 5400),
        ("2h", 7200),
        ("2 heures", 7200),
        ("1,5 h", 5400),
        ("1:30", 5400),
        ("0:45", 2700),
        ("1:30:30", 5430),
        ("90 min", 5400),
        ("90min", 5400),
        ("45mn", 2700),
        ("45 minutes", 2700),
        ("0,5 j", 12600),
        ("0.5 d", 12600),
        ("1 jour", 25200),
        ("2 jours", 50400),
        ("1 day", 25200),
        ("-2h", -7200),
        (-1, -3600),
        (dt.time(1, 30), 5400),
        (dt.time(0, 0, 30), 30),
        (dt.timedelta(hours=26), 93600),
        (dt.timedelta(minutes=90), 5400),
    ],
)
def test_parse_hours(value: CellValue, expected: int) -> None:
    assert cells.parse_hours(value, decimal_comma=True, hours_per_day=SEVEN) == expected


@pytest.mark.parametrize(
    ("hours_per_day", "expected"),
    [(Fraction(7), 12600), (Fraction(8), 14400), (Fraction(15, 2), 13500)],
)
def test_days_use_hours_per_day(hours_per_day: Fraction, expected: int) -> None:
    assert cells.parse_hours("0,5 j", decimal_comma=True, hours_per_day=hours_per_day) == expected


@pytest.mark.parametrize(
    "value",
    ["deux heures", "1h75", "1:75", "1:5", "h", "min", "5 semaines", "1h-30", True, NOV_28],
)
def test_parse_hours_rejects(value: CellValue) -> None:
    with pytest.raises(CellError):
        cells.parse_hours(value, decimal_comma=True, hours_per_day=SEVEN)


# ---------------------------------------------------------------- yes/no, enums


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("oui", True),
        ("Oui", True),
        ("yes", True),
        ("vrai", True),
        ("TRUE", True),
        ("x", True),
        ("X", True),
        (1, True),
        (1.0, True),
        (True, True),
        ("non", False),
        ("no", False),
        ("faux", False),
        ("false", False),
        (0, False),
        (False, False),
        ("", False),
        (None, False),
    ],
)
def test_parse_bool(value: CellValue, expected: bool) -> None:
    assert cells.parse_bool(value) is expected


@pytest.mark.parametrize("value", ["peut-être", 2, "ouiii", NOV_28])
def test_parse_bool_rejects(value: CellValue) -> None:
    with pytest.raises(CellError):
        cells.parse_bool(value)


@pytest.mark.parametrize(
    ("value", "enum", "expected"),
    [
        ("validé", "status", "validated"),
        ("VALIDE", "status", "validated"),
        ("rejected", "status", "rejected"),
        (" Créa ", "kind", "creative"),
        ("creative", "kind", "creative"),
        ("ordre d'arrivée", "policy", "first_come"),
        ("Pro-rata", "policy", "pro_rata"),
        ("bénévole", "retribution", "volunteer"),
        ("non-financière", "retribution", "non_financial"),
    ],
)
def test_parse_enum(value: CellValue, enum: str, expected: str) -> None:
    assert cells.parse_enum(value, enum) == expected


@pytest.mark.parametrize(("value", "enum"), [("fini", "status"), ("", "kind"), (3, "policy")])
def test_parse_enum_rejects(value: CellValue, enum: str) -> None:
    with pytest.raises(CellError):
        cells.parse_enum(value, enum)


# ---------------------------------------------------------------- properties

amounts = st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False)


def _written(amount: Decimal, style: str) -> str:
    """The amount as a user of that convention types it, with thousands separators."""
    text = f"{abs(amount):,.2f}"  # 1,234.50
    if style == "fr":
        text = text.replace(",", "\u202f").replace(".", ",") + " €"
    elif style == "de":
        text = text.replace(",", "X").replace(".", ",").replace("X", ".")
    else:
        text = "€" + text
    return ("-" if amount < 0 else "") + text


@given(amount=amounts, style=st.sampled_from(["fr", "de", "en"]), comma=st.booleans())
def test_written_amounts_read_back_to_the_same_cents(
    amount: Decimal, style: str, comma: bool
) -> None:
    # Two decimals after the point are never ambiguous, whatever the locale.
    cents = int(amount * 100)
    assert cells.parse_money(_written(amount, style), decimal_comma=comma) == cents


@given(amount=amounts)
def test_float_cells_give_the_cents_they_show(amount: Decimal) -> None:
    assert cells.parse_money(float(amount), decimal_comma=True) == int(amount * 100)


@given(hours=st.integers(0, 99), minutes=st.integers(0, 59))
def test_hours_and_minutes_agree_across_notations(hours: int, minutes: int) -> None:
    expected = hours * 3600 + minutes * 60
    for text in (f"{hours}h{minutes:02d}", f"{hours}:{minutes:02d}", f"{hours * 60 + minutes} min"):
        assert cells.parse_hours(text, decimal_comma=True, hours_per_day=SEVEN) == expected


@given(day=st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_dates_agree_across_notations(day: dt.date) -> None:
    serial = (day - units.SERIAL_EPOCH).days
    texts = [day.strftime("%d/%m/%Y"), day.strftime("%d.%m.%Y"), day.isoformat()]
    if day.year >= 2000:
        texts.append(day.strftime("%d/%m/%y"))
    values: list[CellValue] = [*texts, serial, dt.datetime.combine(day, dt.time(12))]
    for value in values:
        assert cells.parse_date(value) == day
    assert cells.parse_date(day.strftime("%m/%d/%Y"), month_first=True) == day


@given(
    value=st.one_of(
        st.none(),
        st.text(),
        st.integers(),
        st.floats(),
        st.booleans(),
        st.dates(),
        st.datetimes(),
        st.times(),
        st.timedeltas(),
    )
)
def test_any_cell_is_read_or_refused_with_cell_error(value: CellValue) -> None:
    for read in (
        cells.parse_date,
        lambda v: cells.parse_money(v, decimal_comma=True),
        lambda v: cells.parse_hours(v, decimal_comma=False, hours_per_day=SEVEN),
        lambda v: cells.parse_percent(v, decimal_comma=True),
        lambda v: cells.parse_enum(v, "status"),
        cells.parse_bool,
    ):
        with contextlib.suppress(CellError):
            read(value)
    assert isinstance(cells.as_text(value), str)
