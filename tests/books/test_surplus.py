"""Surplus at a closing: the commons part, smoothing shared by shortfall to the cent."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd
import pytest

from sheetsync.books import surplus
from sheetsync.model import Settings
from tests.support.factories import settings_of


def settings(commons: int, smoothing: int) -> Settings:
    return settings_of(
        surplus_commons=Fraction(commons, 100), surplus_smoothing=Fraction(smoothing, 100)
    )


@pytest.mark.parametrize(
    ("envelopes", "consumed", "lacking", "shares", "expected"),
    [
        # 100.00 € of smoothing over shortfalls 1:1:1 that do not divide evenly.
        (
            30000,
            10000,
            [("Ana", 5000), ("Bo", 5000), ("Cy", 5000)],
            (0, 50),
            (0, [3334, 3333, 3333], 10000),
        ),
        # Uneven shortfalls 7:11:13, 10.01 € to share: largest remainders take the cents.
        (2002, 0, [("Ana", 700), ("Bo", 1100), ("Cy", 1300)], (0, 50), (0, [226, 355, 420], 1001)),
        # More smoothing than needed: each gets exactly the shortfall, never above.
        (100000, 0, [("Ana", 123), ("Bo", 4567)], (10, 90), (10000, [123, 4567], 85310)),
        # Consumption above the envelopes: no surplus at all.
        (1000, 2000, [("Ana", 500)], (50, 50), (0, [0], 0)),
        # Shares summing past 100 %: smoothing gets only what the commons left.
        (10000, 0, [("Ana", 100000)], (70, 70), (7000, [3000], 0)),
    ],
)
def test_parts_add_up_to_the_cent(
    envelopes: int,
    consumed: int,
    lacking: list[tuple[str, int]],
    shares: tuple[int, int],
    expected: tuple[int, list[int], int],
) -> None:
    result = surplus.compute(envelopes, consumed, lacking, settings(*shares))
    commons, top_ups, unallocated = expected
    assert result.total == max(envelopes - consumed, 0)
    assert (result.commons, [t.amount for t in result.top_ups], result.unallocated) == expected
    assert result.commons + result.smoothing + result.unallocated == result.total
    assert all(t.amount <= t.shortfall for t in result.top_ups)
    assert sum(top_ups) + commons + unallocated == result.total


def test_shortfalls_count_only_what_rows_may_receive() -> None:
    rows = pd.DataFrame(
        {
            "person": ["Émilie", "Bo", "Bo", "Cy", "Dan"],
            "candidate": [1000, 500, 300, 0, 800],
            "payable": [600, 500, 100, 0, 0],
            "counted": [True, True, True, True, True],
            "pending": [False, False, False, False, True],
        }
    )
    # Cy asked for no money (candidate 0); Dan's row is still pending.
    assert surplus.shortfalls(rows) == [("Bo", 200), ("Émilie", 400)]
