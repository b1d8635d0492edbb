"""The surplus at a closing: what the envelopes did not consume, split per the settings
between the commons, smoothing (topping up people paid less than they asked), and the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

from sheetsync.books.allocate import largest_remainder
from sheetsync.books.figures import alphabetical_key
from sheetsync.model import Settings
from sheetsync.units import round_half_away


@dataclass(frozen=True)
class TopUp:
    person: str
    shortfall: int  # cents asked and allowed but not paid (candidate − payable)
    amount: int  # cents of smoothing, never above the shortfall


@dataclass(frozen=True)
class Surplus:
    """All in cents: total = commons + Σ top-ups + unallocated."""

    total: int
    commons: int
    top_ups: tuple[TopUp, ...]
    unallocated: int

    @property
    def smoothing(self) -> int:
        return sum(t.amount for t in self.top_ups)


def shortfalls(rows: pd.DataFrame) -> list[tuple[str, int]]:
    """People paid less than they asked, alphabetically, with what they lack.

    Only what a row may receive counts (its candidate): a volunteer's or
    unpaid coordination's time asked for no money, and a pending or
    rejected row was not yet owed.
    """
    owed = rows[rows["counted"] & ~rows["pending"]]
    lacking = (owed["candidate"] - owed["payable"]).groupby(owed["person"]).sum()
    people = sorted((str(p) for p, cents in lacking.items() if cents > 0), key=alphabetical_key)
    return [(person, int(lacking[person])) for person in people]


def share(amount: int, part: Fraction) -> int:
    """round(amount × part) to the cent, half away from zero."""
    return round_half_away(amount * part.numerator, part.denominator)


def compute(
    envelopes: int, consumed: int, lacking: Sequence[tuple[str, int]], settings: Settings
) -> Surplus:
    """surplus = Σ envelopes − Σ consumed (none when negative), then its parts.

    The commons part comes first; the smoothing part never exceeds what is
    left, nor the shortfalls it tops up (largest remainder, to the cent).
    """
    total = max(envelopes - consumed, 0)
    commons = min(share(total, settings.surplus_commons), total)
    pool = min(share(total, settings.surplus_smoothing), total - commons)
    weights = [cents for _, cents in lacking]
    amounts = largest_remainder(min(pool, sum(weights)), weights)
    top_ups = tuple(
        TopUp(person, cents, amount)
        for (person, cents), amount in zip(lacking, amounts, strict=True)
    )
    given = sum(amounts)
    return Surplus(total, commons, top_ups, total - commons - given)
