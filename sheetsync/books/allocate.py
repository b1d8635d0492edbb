"""Exact integer sharing of an envelope: largest remainder, first come, rounding.

Money is integer cents here; no float ever takes part in a share.
"""

from __future__ import annotations

from collections.abc import Sequence


def largest_remainder(total: int, weights: Sequence[int]) -> list[int]:
    """Share `total` in proportion to `weights`, the shares summing to `total` exactly.

    Each index first gets the floor of its exact share; the cents left over
    go one each to the largest remainders, ties to the earlier index. With
    no positive weight there is nothing to share by and every share is 0.
    """
    weight_sum = sum(weights)
    if weight_sum <= 0:
        return [0] * len(weights)
    shares: list[int] = []
    remainders: list[int] = []
    for weight in weights:
        share, remainder = divmod(total * weight, weight_sum)
        shares.append(share)
        remainders.append(remainder)
    left = total - sum(shares)
    # Sorting is stable, so equal remainders keep their order: the earlier index wins.
    by_remainder = sorted(range(len(weights)), key=lambda i: -remainders[i])
    for index in by_remainder[:left]:
        shares[index] += 1
    return shares


def first_come(total: int, amounts: Sequence[int]) -> list[int]:
    """Pay `amounts` in the given order while `total` lasts.

    The amount that crosses what is left gets the rest; later ones get 0.
    """
    left = max(total, 0)
    paid: list[int] = []
    for amount in amounts:
        share = min(amount, left)
        paid.append(share)
        left -= share
    return paid
