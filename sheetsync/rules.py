"""The rules of the contributive budget: per-row amounts, then the figures per group,
person, payee and month, all money in integer cents and all time in integer seconds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from sheetsync.allocate import first_come, largest_remainder, round_half_away
from sheetsync.model import Book, Group, Kind, Person, Policy, Retribution, Settings, Status
from sheetsync.template import normalize
from sheetsync.text import clean_name, name_key

SECONDS_PER_HOUR = 3600
UNPAID_RETRIBUTIONS = (Retribution.VOLUNTEER.value, Retribution.NON_FINANCIAL.value)


class ZeroReason(StrEnum):
    """Why a counted row's candidate is 0 ("" when it is not forced to 0)."""

    NONE = ""
    REJECTED = "rejected"
    RETRIBUTION = "retribution"
    COORDINATION = "coordination"
    UNINVITED = "creative_uninvited"


class State(StrEnum):
    """A group's consumption state, keyed as the template's `state` enum."""

    OK = "ok"
    WARNING = "warning"
    OVER = "over"


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
    payouts: payee, people (tuple), payment_method, payable, paid, balance,
    last_payment_row (int or None), sorted by payee; payees with nothing
    due and nothing paid are left out.
    monthly: month ("YYYY-MM"), group, seconds, consumed, cumulative.
    """

    rows: pd.DataFrame
    groups: pd.DataFrame
    people: pd.DataFrame
    people_by_group: pd.DataFrame
    payouts: pd.DataFrame
    monthly: pd.DataFrame
    as_of: dt.date


def compute(book: Book, as_of: dt.date, frozen: pd.DataFrame | None = None) -> Figures:
    """Apply every rule to the Book, as of a day (for the projection).

    `frozen`: the rows a closing froze, with the amounts they had (Figures.rows
    columns). They are kept as they are; the Book's own rows — the open ones —
    share what the frozen rows left of each envelope.
    """
    rows = row_amounts(book)
    if frozen is None:
        rows["payable"] = allocate(rows, book.groups)
    else:
        rows["payable"] = allocate(rows, left_in_envelopes(book.groups, frozen))
        rows = with_frozen(frozen, rows)
    people = people_figures(book, rows)
    return Figures(
        rows=rows,
        groups=group_figures(book, rows, as_of),
        people=people,
        people_by_group=people_by_group(book, rows),
        payouts=payouts(book, people),
        monthly=monthly(book, rows),
        as_of=as_of,
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
    return _round_half_away(numerators, SECONDS_PER_HOUR * hours_per_day.numerator)


def daily_rate(group: Group, settings: Settings) -> int:
    """The group's own daily rate when set, else the reference rate (cents per day)."""
    return settings.reference_rate if group.daily_rate is None else group.daily_rate


def _round_half_away(numerators: pd.Series, denominator: int) -> pd.Series:
    """allocate.round_half_away over a whole column at once."""
    magnitude = numerators.abs()
    rounds_up = (2 * (magnitude % denominator) >= denominator).astype("Int64")
    rounded = magnitude // denominator + rounds_up
    return rounded.where(numerators >= 0, -rounded)


def row_amounts(book: Book) -> pd.DataFrame:
    """The rows inside the period with reference, amount, candidate and why it is 0."""
    contributions = _typed(book.contributions)
    rows = contributions[in_period(contributions, book.settings)].copy()
    settings = book.settings
    rates = {g.name: daily_rate(g, settings) for g in book.groups}
    rows["rate"] = rows["charged"].map(rates).fillna(settings.reference_rate).astype("int64")
    rows["reference"] = reference_amounts(rows["seconds"], rows["rate"], settings.hours_per_day)
    requested = rows["requested"].astype("Int64")
    rows["amount"] = requested.fillna(rows["reference"]).fillna(0).astype("int64")
    rows["zero_reason"] = _zero_reasons(rows, book)
    rows["counted"] = rows["status"] != Status.REJECTED.value
    rows["pending"] = settings.validation_required & (rows["status"] == Status.DECLARED.value)
    forced_zero = rows["zero_reason"] != ZeroReason.NONE.value
    rows["candidate"] = rows["amount"].where(~forced_zero, 0).astype("int64")
    unpaid = rows["zero_reason"].isin([ZeroReason.RETRIBUTION.value, ZeroReason.COORDINATION])
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
    retributions = retribution_of(rows["person"], book.people)
    coordination_paid = book.settings.coordination_paid
    exception = rows["exception"].fillna(False).astype(bool)
    # Mapping each distinct text once is far faster than a string method per row.
    invited = per_distinct(rows["invited_by"].fillna(""), lambda text: bool(str(text).strip()))
    conditions = [
        rows["status"] == Status.REJECTED.value,
        retributions.isin(UNPAID_RETRIBUTIONS),
        (rows["kind"] == Kind.COORDINATION.value) & ~(coordination_paid | exception),
        (rows["kind"] == Kind.CREATIVE.value) & ~invited,
    ]
    reasons = [ZeroReason.REJECTED, ZeroReason.RETRIBUTION, ZeroReason.COORDINATION]
    choices = [r.value for r in (*reasons, ZeroReason.UNINVITED)]
    return np.select(conditions, choices, default=ZeroReason.NONE.value)


def retribution_of(names: pd.Series, people: Iterable[Person]) -> pd.Series:
    """Each name's retribution; a person missing from the People tab is financial."""
    known = {name_key(p.name): p.retribution.value for p in people}
    mapping = {n: known.get(name_key(n), Retribution.FINANCIAL.value) for n in names.unique()}
    return names.map(mapping)


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


# ---------------------------------------------------------------- per group


def group_figures(book: Book, rows: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """One row per group in Groupes-tab order; see Figures for the columns."""
    counted = rows[rows["counted"]]
    validated = counted[~counted["pending"]]
    by_group = counted.groupby("charged")
    sums = {
        "candidate": validated.groupby("charged")["candidate"].sum(),
        "consumed": by_group["payable"].sum(),
        "pending": counted[counted["pending"]].groupby("charged")["candidate"].sum(),
        "seconds": by_group["seconds"].sum(),
        "contributors": by_group["person"].nunique(),
        "unpaid_valued": by_group["unpaid_valued"].sum(),
    }
    last = by_group["date"].max()
    records = [
        _group_record(book.settings, group, _pick(sums, group.name), last.get(group.name), as_of)
        for group in book.groups
    ]
    return pd.DataFrame.from_records(records, columns=GROUP_COLUMNS)


GROUP_COLUMNS = [
    "group",
    "pilot",
    "envelope",
    "policy",
    "daily_rate",
    "candidate",
    "consumed",
    "pending",
    "remaining",
    "consumed_pct",
    "state",
    "seconds",
    "contributors",
    "unpaid_valued",
    "projection",
    "applied_factor",
    "last_contribution",
]


def _pick(sums: dict[str, pd.Series], key: Hashable) -> dict[str, int]:
    """The integer sums of one group (0 when it has no row)."""
    return {name: int(series.get(key, 0)) for name, series in sums.items()}


def _group_record(
    settings: Settings, group: Group, sums: dict[str, int], last: object, as_of: dt.date
) -> dict[str, object]:
    envelope, consumed, candidate = group.envelope, sums["consumed"], sums["candidate"]
    return {
        "group": group.name,
        "pilot": group.pilot,
        "envelope": envelope,
        "policy": group.policy.value,
        "daily_rate": daily_rate(group, settings),
        **sums,
        "remaining": envelope - consumed,
        "consumed_pct": consumed / envelope if envelope else float("nan"),
        "state": state(consumed, envelope, settings.alert_threshold).value,
        "projection": projection(consumed, settings, as_of),
        "applied_factor": consumed / candidate if candidate > envelope else 1.0,
        "last_contribution": _as_date(last),
    }


def _as_date(value: object) -> dt.date | None:
    """A pandas timestamp as a plain date; None for a missing one."""
    if isinstance(value, pd.Timestamp) and not pd.isna(value):
        return value.date()
    return None


def state(consumed: int, envelope: int, threshold: Fraction) -> State:
    """over above 100 %, warning at or above the alert threshold, else ok.

    A group with an envelope of 0 is ok until it consumes something.
    """
    if consumed > envelope:
        return State.OVER
    if envelope > 0 and consumed * threshold.denominator >= threshold.numerator * envelope:
        return State.WARNING
    return State.OK


def projection(consumed: int, settings: Settings, as_of: dt.date) -> int:
    """Consumption at the period end if it goes on at the pace seen so far.

    round(consumed × period days / elapsed days), both counted inclusively.
    Once as_of is past the period end the period is over: consumed itself.
    Before the period start no day has elapsed to extrapolate from, so the
    projection is consumed as well (rows dated ahead are warned about).
    """
    start, end = settings.period_start, settings.period_end
    if not start <= as_of <= end:
        return consumed
    period_days = (end - start).days + 1
    elapsed_days = (as_of - start).days + 1
    return round_half_away(consumed * period_days, elapsed_days)


# ---------------------------------------------------------------- per person


PEOPLE_COLUMNS = [
    "person",
    "known",
    "retribution",
    "billing_entity",
    "payment_method",
    "payee",
    "seconds",
    "reference",
    "requested",
    "payable",
    "unpaid_valued",
    "groups",
    "last_contribution",
]


def people_figures(book: Book, rows: pd.DataFrame) -> pd.DataFrame:
    """Every person of the People tab, then unknown people with a row in the period."""
    counted = rows[rows["counted"]]
    # Keys from the counted rows themselves: pandas gives an empty frame the index
    # of an assigned Series, which would bring back rejected rows as NaN groups.
    counted = counted.assign(key=_keys(counted["person"]))
    by_person = counted.groupby("key")
    sums = {
        "seconds": by_person["seconds"].sum(),
        "reference": by_person["reference"].sum(),
        "requested": by_person["amount"].sum(),
        "payable": by_person["payable"].sum(),
        "unpaid_valued": by_person["unpaid_valued"].sum(),
    }
    last = by_person["date"].max()
    order = {g.name: i for i, g in enumerate(book.groups)}
    groups = counted.groupby("key")["charged"].unique()
    records = []
    for person, known in _everyone(book, rows):
        key = name_key(person.name)
        names = sorted(groups.get(key, ()), key=lambda g: order.get(g, len(order)))
        records.append(
            {
                **_person_identity(person, known),
                **_pick(sums, key),
                "groups": tuple(names),
                "last_contribution": _as_date(last.get(key)),
            }
        )
    return pd.DataFrame.from_records(records, columns=PEOPLE_COLUMNS)


def _keys(names: pd.Series) -> pd.Series:
    """text.name_key over a column."""
    return per_distinct(names, lambda name: name_key(str(name)))


def per_distinct(column: pd.Series, function: Callable[[Any], object]) -> pd.Series:
    """function applied to a column, called once per distinct value."""
    return column.map({value: function(value) for value in column.unique()})


def _everyone(book: Book, rows: pd.DataFrame) -> list[tuple[Person, bool]]:
    """People of the People tab, then those only seen in contributions (financial)."""
    seen = {name_key(p.name) for p in book.people}
    unknown: dict[str, Person] = {}
    # Sorted so that the order of the contribution rows never shows in the figures.
    for name in sorted(rows["person"].unique(), key=alphabetical_key):
        key = name_key(name)
        if key not in seen and key not in unknown:
            unknown[key] = Person(name, "", Retribution.FINANCIAL, "", "", row=0)
    return [(p, True) for p in book.people] + [(p, False) for p in unknown.values()]


def _person_identity(person: Person, known: bool) -> dict[str, object]:
    billing_entity = clean_name(person.billing_entity)
    return {
        "person": person.name,
        "known": known,
        "retribution": person.retribution.value,
        "billing_entity": billing_entity,
        "payment_method": person.payment_method.strip(),
        "payee": billing_entity or person.name,
    }


def people_by_group(book: Book, rows: pd.DataFrame) -> pd.DataFrame:
    """Hours, requested and payable per (person, group) pair with a counted row.

    Sorted by person (alphabetical, ignoring case and accents), then group
    in Groupes-tab order.
    """
    counted = rows[rows["counted"]]
    sums = (
        counted.groupby(["person", "charged"], as_index=False)
        .agg(seconds=("seconds", "sum"), requested=("amount", "sum"), payable=("payable", "sum"))
        .rename(columns={"charged": "group"})
    )
    order = {g.name: i for i, g in enumerate(book.groups)}
    sums["_person"] = sums["person"].map(alphabetical_key)
    sums["_group"] = sums["group"].map(order)
    ordered = sums.sort_values(["_person", "_group"], kind="stable")
    result = ordered.drop(columns=["_person", "_group"]).reset_index(drop=True)
    return result.astype({"seconds": "int64", "requested": "int64", "payable": "int64"})


def alphabetical_key(name: str) -> tuple[str, str]:
    """Sort key ignoring case and accents (Émilie with the E's), ties by the name."""
    return normalize(name), name.casefold()


# ---------------------------------------------------------------- payees


PAYOUT_COLUMNS = [
    "payee",
    "people",
    "payment_method",
    "payable",
    "paid",
    "balance",
    "last_payment_row",
]


def payouts(book: Book, people: pd.DataFrame) -> pd.DataFrame:
    """Due, paid and balance per payee (billing entity when set, else the person).

    Payees match payments by text.name_key. Every payment counts, whatever
    its date: work of the period is often paid after it ends.
    """
    payments = book.payments.astype({"row": "int64", "amount": "int64"})
    keys = _keys(payments["payee"])
    paid = payments["amount"].groupby(keys).sum()
    last_row = payments["row"].groupby(keys).max()
    names: dict[str, str] = {}
    members: dict[str, list[pd.Series]] = {}
    for _, person in people.iterrows():
        key = name_key(person["payee"])
        names.setdefault(key, person["payee"])
        members.setdefault(key, []).append(person)
    for payee in payments["payee"]:
        names.setdefault(name_key(payee), payee)
    records = [
        _payout_record(names[key], members.get(key, []), paid.get(key, 0), last_row.get(key))
        for key in names
    ]
    kept = [r for r in records if r["payable"] or r["paid"]]
    kept.sort(key=lambda r: alphabetical_key(str(r["payee"])))
    frame = pd.DataFrame.from_records(kept, columns=PAYOUT_COLUMNS)
    return frame.astype({"payable": "int64", "paid": "int64", "last_payment_row": "Int64"})


def _payout_record(
    payee: str, members: list[pd.Series], paid: object, last_row: object
) -> dict[str, object]:
    due = sum(int(m["payable"]) for m in members)
    methods = dict.fromkeys(m["payment_method"] for m in members if m["payment_method"])
    return {
        "payee": payee,
        "people": tuple(sorted((m["person"] for m in members), key=alphabetical_key)),
        "payment_method": ", ".join(methods),
        "payable": due,
        "paid": int(paid),  # type: ignore[call-overload]
        "balance": due - int(paid),  # type: ignore[call-overload]
        "last_payment_row": None if last_row is None else int(last_row),  # type: ignore[call-overload]
    }


# ---------------------------------------------------------------- per month


def monthly(book: Book, rows: pd.DataFrame) -> pd.DataFrame:
    """Hours and consumption per (month, group), with the group's running total.

    Only months in which the group has a counted row are listed.
    """
    counted = rows[rows["counted"]]
    dates = counted["date"]
    month_number = dates.dt.year * 100 + dates.dt.month
    group = counted["charged"].rename("group")
    sums = counted.groupby([month_number.rename("month"), group], as_index=False).agg(
        seconds=("seconds", "sum"), consumed=("payable", "sum")
    )
    order = {g.name: i for i, g in enumerate(book.groups)}
    sums = sums.sort_values(
        ["month", "group"], key=lambda c: c.map(order) if c.name == "group" else c
    )
    sums["cumulative"] = sums.groupby("group")["consumed"].cumsum()
    sums["month"] = sums["month"].map(lambda m: f"{m // 100:04d}-{m % 100:02d}")
    columns = ["month", "group", "seconds", "consumed", "cumulative"]
    result = sums[columns].reset_index(drop=True)
    return result.astype({"seconds": "int64", "consumed": "int64", "cumulative": "int64"})
