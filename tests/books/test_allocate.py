"""Exact sharing of envelopes: rounding half away from zero, largest remainder,
first come; hand-computed cases, cents exact."""

from __future__ import annotations

import pytest

from sheetsync.books.allocate import first_come, largest_remainder
from sheetsync.units import round_half_away


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (10, 4, 3),  # 2.5 rounds away from zero
        (-10, 4, -3),
        (9, 4, 2),  # 2.25
        (11, 4, 3),  # 2.75
        (-11, 4, -3),
        (1, 3, 0),
        (2, 3, 1),
        (0, 7, 0),
        (10, -4, -3),  # the sign of the denominator counts too
        (30000 * 3600, 7 * 3600, 4286),  # 1 h at 300 €/day of 7 h: 42.857 €
    ],
)
def test_round_half_away(numerator: int, denominator: int, expected: int) -> None:
    assert round_half_away(numerator, denominator) == expected


def test_round_half_away_refuses_zero_denominator() -> None:
    with pytest.raises(ZeroDivisionError):
        round_half_away(1, 0)


@pytest.mark.parametrize(
    ("total", "weights", "expected"),
    [
        (10, [10, 10, 10], [4, 3, 3]),  # three equal remainders: the first index wins
        (100, [1, 1, 1], [34, 33, 33]),
        (10, [5, 3, 2], [5, 3, 2]),  # exact shares, nothing left over
        (7, [5, 3, 2], [4, 2, 1]),  # 3.5, 2.1, 1.4: the largest remainder (.5) gets the cent
        (5, [1, 2, 2, 1], [1, 2, 1, 1]),  # 0.833, 1.667, 1.667, 0.833: ties to earlier index
        (3, [0, 5, 0, 5], [0, 2, 0, 1]),  # a zero weight never gets a cent
        (0, [4, 4], [0, 0]),
        (100000, [30000, 80000], [27273, 72727]),
        (10, [], []),
        (10, [0, 0], [0, 0]),  # nothing to share by
    ],
)
def test_largest_remainder(total: int, weights: list[int], expected: list[int]) -> None:
    assert largest_remainder(total, weights) == expected


@pytest.mark.parametrize(
    ("total", "amounts", "expected"),
    [
        (50, [30, 30, 30], [30, 20, 0]),  # the second crosses and gets the rest
        (60, [30, 30, 30], [30, 30, 0]),  # exactly used up: later rows get 0
        (100, [30, 30, 30], [30, 30, 30]),
        (10, [0, 30, 5], [0, 10, 0]),
        (0, [5], [0]),
        (-5, [5], [0]),  # a negative envelope pays nothing
    ],
)
def test_first_come(total: int, amounts: list[int], expected: list[int]) -> None:
    assert first_come(total, amounts) == expected
