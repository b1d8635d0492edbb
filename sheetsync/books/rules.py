"""The rules of the contributive budget: per-row amounts, overrun policies and frozen
rows, then the figures (books.figures); money in integer cents, time in integer seconds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

import numpy as np
import pandas as pd

from sheetsync.books.allocate import first_come, largest_remainder
from sheetsync.books.figures import (
    daily_rate,
    group_figures,
    monthly,
    people_by_group,
    people_figures,
)
from sheetsync.books.payouts import Carried, payouts
from sheetsync.model import Book, Group, Kind, Policy, Retribution, Settings, Status
from sheetsync.text import name_key
from sheetsync.units import per_distinct_array, round_half_away_column

SECONDS_PER_HOUR = 3600
UNPAID_RETRIBUTIONS = (Retribution.VOLUNTEER.value, Retribution.NON_FINANCIAL.value)


class ZeroReason(StrEnum):
    """Why a counted row's candidate is 0 ("" when it is not forced to 0)."""

    NONE = ""
    REJECTED = "rejected"
    RETRIBUTION = "retribution"
    COORDINATION = "coordination"
    UNINVITED = "creative_uninvited"


@dataclass(frozen=True, eq=False)
class Figures:
    """Everything computed from a Book; money in int cents, time in int seconds.

    rows: the contribution rows inside the period, the Book's columns (group
    as written, charged the group that pays: every group figure uses it) plus
    rate, reference (Int64, <NA> without hours), amount (requested or else
    reference), candidate, zero_reason, counted (not rejected), pending,
    payable, unpaid_valued.
    groups: one row per group in Groupes-tab order: group, pilot, envelope,
    policy, daily_rate, candidate, consumed, pending, remaining,
    consumed_pct (float, NaN when the envelope is 0), state, seconds,
    contributors, unpaid_valued, projection, applied_factor,
    last_contribution (dt.date or None).
    people: every person of the People tab, then every unknown person with a
    row in the period: person, known, retribution, billing_entity,
    payment_method, payee, seconds, reference, requested, payable,
    unpaid_valued, groups (tuple of group names in Groupes-tab order),
    last_contribution (dt.date or None).
    people_by_group: person, group, seconds, requested, payable, for each
    pair with a counted row.
    payouts: payee, people (tuple), payment_method, brought_forward (left by
    earlier periods), payable (smoothing top-ups included), paid, balance
    (brought forward + payable − paid), last_payment_row (int or None), sorted
    by payee; payees with nothing brought forward, due or paid are left out.
    monthly: month ("YYYY-MM"), group, seconds, consumed, cumulative.
    """

    rows: pd.DataFrame
    groups: pd.DataFrame
    people: pd.DataFrame
    people_by_group: pd.DataFrame
    payouts: pd.DataFrame
    monthly: pd.DataFrame
    as_of: dt.date
    # The smoothing due at a year-end closing of the period, (person, cents).
    top_ups: tuple[tuple[str, int], ...] = ()


def compute(book: Book, as_of: dt.date, frozen: pd.DataFrame | None = None) -> Figures:
    """Apply every rule to the Book, as of a day (for the projection).

    `frozen`: the rows a closing froze, with the amounts they had (Figures.rows
    columns). They are kept as they are; the Book's own rows — the open ones —
    share what the frozen rows left of each envelope.
    """
    return figures_of(book, payable_rows(book, frozen), as_of)


def payable_rows(
    book: Book, frozen: pd.DataFrame | None = None, amounts: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The rows with their amounts and payables (Figures.rows), frozen rows first.

    `amounts`: the Book's rows with their amounts already worked out (`row_amounts`),
    when only the payables are left to share.
    """
    rows = row_amounts(book) if amounts is None else amounts.copy()
    if frozen is None:
        rows["payable"] = allocate(rows, book.groups)
        return rows
    rows["payable"] = allocate(rows, left_in_envelopes(book.groups, frozen))
    return with_frozen(frozen, rows)


def figures_of(
    book: Book,
    rows: pd.DataFrame,
    as_of: dt.date,
    *,
    carried: Mapping[str, Carried] | None = None,
    top_ups: Sequence[tuple[str, int]] = (),
    full: bool = True,
) -> Figures:
    """Groups, people, payouts and months of rows whose payables are known.

    `carried`: each payee's balance left by earlier periods; `top_ups`: the smoothing
    a year-end closing of this period gave, (person, cents): both are due in payouts.
    Not `full`: people by group and months are left empty (an earlier period's books
    when only its groups and balances are shown).
    """
    people = people_figures(book, rows)
    return Figures(
        rows=rows,
        groups=group_figures(book, rows, as_of),
        people=people,
        people_by_group=people_by_group(book, rows) if full else pd.DataFrame(),
        payouts=payouts(book, people, carried, top_ups),
        monthly=monthly(book, rows) if full else pd.DataFrame(),
        as_of=as_of,
        top_ups=tuple(top_ups),
    )


# The dtypes of Figures.rows that frozen rows are brought back to.
ROW_TYPES = {
    "row": "int64",
    "date": "datetime64[ns]",
    "seconds": "Int64",
    "requested": "Int64",
    "exception": "bool",
    "person_known": "bool",
    "rate": "int64",
    "reference": "Int64",
    "amount": "int64",
    "counted": "bool",
    "pending": "bool",
    "candidate": "int64",
    "unpaid_valued": "int64",
    "payable": "int64",
    "frozen": "bool",
}


def left_in_envelopes(groups: Iterable[Group], frozen: pd.DataFrame) -> tuple[Group, ...]:
    """Each group with what its frozen rows consumed taken off its envelope."""
    consumed = frozen["payable"].astype("int64").groupby(_charged(frozen)).sum()
    return tuple(
        dataclasses.replace(g, envelope=max(g.envelope - int(consumed.get(g.name, 0)), 0))
        for g in groups
    )


def with_frozen(frozen: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """The frozen rows, marked, then the open rows, in one frame of the rows' dtypes."""
    kept = frozen.reindex(columns=list(rows.columns)).assign(frozen=True)
    kept["charged"] = _charged(frozen)  # rows frozen before créa was charged elsewhere
    return joined([kept, rows], ROW_TYPES)


def _charged(rows: pd.DataFrame) -> pd.Series:
    return rows["charged"].fillna(rows["group"]) if "charged" in rows else rows["group"]


def joined(parts: list[pd.DataFrame], types: dict[str, str]) -> pd.DataFrame:
    """Frames one after the other, with the given dtypes."""
    # Concatenating an empty frame is deprecated in pandas: leave it out.
    kept = [p for p in parts if not p.empty] or parts[-1:]
    whole = pd.concat(kept, ignore_index=True) if len(kept) > 1 else kept[0].reset_index(drop=True)
    return whole.astype({c: t for c, t in types.items() if c in whole.columns})


# ---------------------------------------------------------------- per row


def in_period(contributions: pd.DataFrame, settings: Settings) -> pd.Series:
    """Which contribution rows fall inside the period, bounds included."""
    dates = contributions["date"]
    start, end = pd.Timestamp(settings.period_start), pd.Timestamp(settings.period_end)
    return (dates >= start) & (dates <= end)


def reference_amounts(seconds: pd.Series, rates: pd.Series, hours_per_day: Fraction) -> pd.Series:
    """round(hours / hours per day × rate) in cents, exactly; <NA> where hours are blank.

    days × rate = seconds × rate × hpd.denominator / (3600 × hpd.numerator),
    so whole-number arithmetic rounds it with no float on the way.
    """
    numerators = seconds.astype("Int64") * rates.astype("int64") * hours_per_day.denominator
    return round_half_away_column(numerators, SECONDS_PER_HOUR * hours_per_day.numerator)


def row_amounts(book: Book) -> pd.DataFrame:
    """The rows inside the period with reference, amount, candidate and why it is 0."""
    contributions = _typed(book.contributions)
    rows = contributions[in_period(contributions, book.settings)].copy()
    settings = book.settings
    rates = {g.name: daily_rate(g, settings) for g in book.groups}
    rows["rate"] = per_distinct_array(
        rows["charged"], lambda group: rates.get(group, settings.reference_rate), np.int64
    )
    rows["reference"] = reference_amounts(rows["seconds"], rows["rate"], settings.hours_per_day)
    requested = rows["requested"].astype("Int64")
    rows["amount"] = requested.fillna(rows["reference"]).fillna(0).astype("int64")
    reasons = _zero_reasons(rows, book)
    rows["zero_reason"] = reasons
    rows["counted"] = rows["status"] != Status.REJECTED.value
    rows["pending"] = settings.validation_required & (rows["status"] == Status.DECLARED.value)
    forced_zero = reasons != ZeroReason.NONE.value
    rows["candidate"] = rows["amount"].where(~forced_zero, 0).astype("int64")
    unpaid = np.isin(reasons, [ZeroReason.RETRIBUTION.value, ZeroReason.COORDINATION.value])
    rows["unpaid_valued"] = rows["reference"].fillna(0).where(unpaid, 0).astype("int64")
    rows["frozen"] = False  # a closing's rows are marked when the ledger puts them back
    return rows


def _typed(contributions: pd.DataFrame) -> pd.DataFrame:
    """The columns the rules compute with, in the Book's dtypes even when empty."""
    return contributions.astype(
        {
            "row": "int64",
            "date": "datetime64[ns]",
            "seconds": "Int64",
            "requested": "Int64",
            "exception": "bool",
        }
    )


def _zero_reasons(rows: pd.DataFrame, book: Book) -> np.ndarray:
    """The first rule of SPEC §4.5 that forces a row's candidate to 0, or ""."""
    known = {name_key(p.name): p.retribution.value for p in book.people}
    financial = Retribution.FINANCIAL.value
    coordination_paid = book.settings.coordination_paid
    exception = rows["exception"].fillna(False).astype(bool)

    # Deciding once per distinct text is far faster than a string method per row.
    def unpaid_person(name: object) -> bool:
        key = name_key(name) if isinstance(name, str) else ""
        return known.get(key, financial) in UNPAID_RETRIBUTIONS

    def named(text: object) -> bool:
        return not pd.isna(text) and bool(str(text).strip())  # type: ignore[call-overload]

    unpaid = per_distinct_array(rows["person"], unpaid_person, bool)
    invited = per_distinct_array(rows["invited_by"], named, bool)
    kind = rows["kind"].to_numpy()
    conditions: list[np.ndarray] = [
        (rows["status"] == Status.REJECTED.value).to_numpy(dtype=bool),
        unpaid,
        (kind == Kind.COORDINATION.value) & ~(coordination_paid | exception.to_numpy()),
        (kind == Kind.CREATIVE.value) & ~invited,
    ]
    reasons = [ZeroReason.REJECTED, ZeroReason.RETRIBUTION, ZeroReason.COORDINATION]
    choices = [np.asarray(r.value) for r in (*reasons, ZeroReason.UNINVITED)]
    return np.select(conditions, choices, default=ZeroReason.NONE.value)


# ---------------------------------------------------------------- overrun policies


def allocate(rows: pd.DataFrame, groups: Iterable[Group]) -> pd.Series:
    """Payable per row: the candidate, cut by the group's policy when C > envelope.

    Pending and rejected rows pay nothing. Pro-rata shares the envelope over
    the rows in sheet-row order; first-come pays in (date, sheet row) order.
    """
    validated = rows["counted"] & ~rows["pending"]
    payable = rows["candidate"].where(validated, 0).astype("int64")
    totals = payable.groupby(rows["charged"]).sum()
    for group in groups:
        if group.policy is Policy.FLAG or totals.get(group.name, 0) <= group.envelope:
            continue
        part = rows[validated & (rows["charged"] == group.name)]
        if group.policy is Policy.PRO_RATA:
            ordered = part.sort_values("row", kind="stable")
            shares = largest_remainder(group.envelope, ordered["candidate"].tolist())
        else:
            ordered = part.sort_values(["date", "row"], kind="stable")
            shares = first_come(group.envelope, ordered["candidate"].tolist())
        payable.loc[ordered.index] = np.array(shares, dtype=np.int64)
    return payable
