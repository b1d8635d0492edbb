"""Numbers' one home: rounding half away from zero, cents <-> currency units, the
spreadsheet serial epoch, and a function applied once per distinct value of a column.

Every stage uses these; none of them knows a stage.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # numpy and pandas load with the first column: `--help` needs neither
    import numpy.typing as npt
    import pandas as pd

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)

# Spreadsheet serial day 0: dates count days from here in the 1900 date system
# (Windows Excel, LibreOffice, Google); the 1904 one starts 1,462 days later.
SERIAL_EPOCH = dt.date(1899, 12, 30)
SERIAL_EPOCH_1904 = dt.date(1904, 1, 1)
_EPOCH_MOMENT = dt.datetime(1899, 12, 30)

CENTS_PER_UNIT = 100


# ---------------------------------------------------------------- rounding


def round_half_away(numerator: int | Fraction, denominator: int = 1) -> int:
    """numerator / denominator to the nearest integer, halves away from zero
    (5 / 2 -> 3, -5 / 2 -> -3); a Fraction alone is rounded the same way."""
    if isinstance(numerator, Fraction):
        numerator, denominator = numerator.numerator, numerator.denominator * denominator
    if denominator == 0:
        raise ZeroDivisionError("round_half_away: denominator is zero")
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    quotient, remainder = divmod(abs(numerator), denominator)
    if 2 * remainder >= denominator:
        quotient += 1
    return quotient if numerator >= 0 else -quotient


def round_half_away_column(numerators: pd.Series, denominator: int) -> pd.Series:
    """round_half_away over a whole column of integer numerators at once."""
    magnitude = numerators.abs()
    rounds_up = (2 * (magnitude % denominator) >= denominator).astype("Int64")
    rounded = magnitude // denominator + rounds_up
    return rounded.where(numerators >= 0, -rounded)


# ---------------------------------------------------------------- cents and units


def to_units(cents: int) -> float:
    """Cents as currency units for a spreadsheet cell: one division, at the edge only."""
    return cents / CENTS_PER_UNIT


def to_cents(units: float | Fraction | Decimal | int) -> int:
    """Currency units (a cell's number) as cents, half away from zero."""
    if type(units) is float:  # its exact ratio, as Fraction(units) has, without one
        numerator, denominator = units.as_integer_ratio()
        return round_half_away(numerator * CENTS_PER_UNIT, denominator)
    if isinstance(units, int) and not isinstance(units, bool):
        return units * CENTS_PER_UNIT
    return round_half_away(Fraction(units) * CENTS_PER_UNIT)


def split_cents(cents: int) -> tuple[str, int, int]:
    """("-" or "", whole units, cents left) of an amount: -123456 -> ("-", 1234, 56)."""
    units, rest = divmod(abs(cents), CENTS_PER_UNIT)
    return ("-" if cents < 0 else ""), units, rest


# ---------------------------------------------------------------- serial dates


def serial_of(value: dt.date, epoch: dt.date = SERIAL_EPOCH) -> float | int:
    """A date (whole days) or a date-time (with its fraction of a day) as a serial."""
    if isinstance(value, dt.datetime):
        delta = value.replace(tzinfo=None) - dt.datetime.combine(epoch, dt.time())
        return delta.days + delta.seconds / 86400 + delta.microseconds / 86_400_000_000
    return (value - epoch).days


def moment_of(serial: float) -> dt.datetime:
    """The date-time a serial stands for, to the second."""
    return _EPOCH_MOMENT + dt.timedelta(seconds=round(serial * 86400))


# ---------------------------------------------------------------- per distinct value

_ZERO_ONE_TYPES = (bool, int, float)


def per_distinct(values: Sequence[K], convert: Callable[[K], T]) -> list[T]:
    """`convert` applied once per distinct cell and mapped back over the column.

    Spreadsheets repeat the same dates, names and hours, so this is what keeps a
    million rows fast.
    """
    distinct = dict.fromkeys(values)
    if _may_hide_booleans(distinct) and bool in set(map(type, values)):
        # True == 1 and False == 0: key by type too, so yes/no never shares a number's result.
        typed = list(zip(map(type, values), values, strict=True))
        by_type = {key: convert(key[1]) for key in dict.fromkeys(typed)}
        return list(map(by_type.__getitem__, typed))
    converted = {value: convert(value) for value in distinct}
    return list(map(converted.__getitem__, values))


def _may_hide_booleans(distinct: dict[K, None]) -> bool:
    return any(v.__class__ in _ZERO_ONE_TYPES and v in (0, 1) for v in distinct)


def per_distinct_array(
    column: pd.Series, function: Callable[[Any], object], dtype: type
) -> npt.NDArray[Any]:
    """`function` of each row's value of a frame's column as an array, called once per
    distinct value (a missing value is one of them): no Series built and cast back."""
    import numpy as np  # noqa: PLC0415 - see the imports
    import pandas as pd  # noqa: PLC0415

    codes, distinct = pd.factorize(column, use_na_sentinel=False)
    return np.array([function(value) for value in distinct], dtype=dtype)[codes]
