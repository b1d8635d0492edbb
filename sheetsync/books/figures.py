"""The figures of the books per group, person, payee and month, from rows whose payable
is known: money in integer cents, time in integer seconds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import Any, cast

import numpy as np
import pandas as pd

from sheetsync.model import Book, Group, Person, Retribution, Settings
from sheetsync.template import normalize
from sheetsync.text import clean_name, name_key
from sheetsync.units import per_distinct_array, round_half_away


class State(StrEnum):
    """A group's consumption state, keyed as the template's `state` enum."""

    OK = "ok"
    WARNING = "warning"
    OVER = "over"


def daily_rate(group: Group, settings: Settings) -> int:
    """The group's own daily rate when set, else the reference rate (cents per day)."""
    return settings.reference_rate if group.daily_rate is None else group.daily_rate


# ---------------------------------------------------------------- per group


def group_figures(book: Book, rows: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """One row per group in Groupes-tab order; see Figures for the columns."""
    counted = counted_rows(
        rows,
        "charged",
        "pending",
        "candidate",
        "payable",
        "seconds",
        "person",
        "unpaid_valued",
        "date",
    )
    pending = counted["pending"].to_numpy(dtype=bool)
    candidate = counted["candidate"].to_numpy(dtype="int64")
    split = counted.assign(
        validated=np.where(pending, 0, candidate), waiting=np.where(pending, candidate, 0)
    )
    sums = split.groupby("charged").agg(
        candidate=("validated", "sum"),
        consumed=("payable", "sum"),
        pending=("waiting", "sum"),
        seconds=("seconds", "sum"),
        contributors=("person", "nunique"),
        unpaid_valued=("unpaid_valued", "sum"),
        last=("date", "max"),
    )
    found = _by_label(sums)
    records = [
        _group_record(book.settings, group, found.get(group.name, {}), as_of)
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


def _by_label(frame: pd.DataFrame) -> dict[Any, dict[str, Any]]:
    """A frame's rows as dicts, by their index label."""
    return cast("dict[Any, dict[str, Any]]", frame.to_dict("index"))


def counted_rows(rows: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """The counted rows (not refused), with only these columns: a filter copies every
    column it keeps, and the rows carry some twenty."""
    kept: pd.DataFrame = rows.loc[rows["counted"].to_numpy(dtype=bool), list(columns)]
    return kept


GROUP_SUMS = ("candidate", "consumed", "pending", "seconds", "contributors", "unpaid_valued")


def _group_record(
    settings: Settings, group: Group, found: dict[str, Any], as_of: dt.date
) -> dict[str, object]:
    """A group's line from its sums (none when it has no counted row)."""
    sums = {name: int(found.get(name, 0)) for name in GROUP_SUMS}
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
        "last_contribution": _as_date(found.get("last")),
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


PERSON_SUMS = ("seconds", "reference", "requested", "payable", "unpaid_valued")


def people_figures(book: Book, rows: pd.DataFrame) -> pd.DataFrame:
    """Every person of the People tab, then unknown people with a row in the period."""
    counted = counted_rows(
        rows,
        "person",
        "charged",
        "seconds",
        "reference",
        "amount",
        "payable",
        "unpaid_valued",
        "date",
    )
    codes, keys = keyed_codes(counted["person"], lambda name: name_key(str(name)))
    sums = counted.groupby(codes).agg(
        seconds=("seconds", "sum"),
        reference=("reference", "sum"),
        requested=("amount", "sum"),
        payable=("payable", "sum"),
        unpaid_valued=("unpaid_valued", "sum"),
        last=("date", "max"),
    )
    found = {keys[code]: sums_of for code, sums_of in _by_label(sums).items()}
    # Each person's groups, the first seen first: one (person, group) pair at its first row.
    group_codes, groups = pd.factorize(counted["charged"], use_na_sentinel=False)
    pairs = codes.astype("int64") * max(len(groups), 1) + group_codes
    charged: dict[str, list[str]] = {}
    for at in np.sort(np.unique(pairs, return_index=True)[1]):
        charged.setdefault(keys[codes[at]], []).append(groups[group_codes[at]])
    order = {g.name: i for i, g in enumerate(book.groups)}
    records = []
    for person, known in _everyone(book, rows):
        key = name_key(person.name)
        sums_of = found.get(key, {})
        names = sorted(charged.get(key, ()), key=lambda g: order.get(g, len(order)))
        records.append(
            {
                **_person_identity(person, known),
                **{name: int(sums_of.get(name, 0)) for name in PERSON_SUMS},
                "groups": tuple(names),
                "last_contribution": _as_date(sums_of.get("last")),
            }
        )
    return pd.DataFrame.from_records(records, columns=PEOPLE_COLUMNS)


def keyed_codes(column: pd.Series, key: Callable[[Any], str]) -> tuple[np.ndarray, list[str]]:
    """Each row's position among the distinct keys of the column's values, and those keys
    (`key` called once per distinct value): grouping on the positions hashes no text."""
    codes, distinct = pd.factorize(column, use_na_sentinel=False)
    key_codes, keys = pd.factorize(np.array([key(v) for v in distinct], dtype=object))
    return np.asarray(key_codes, dtype="int64")[codes], list(keys)


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
    counted = counted_rows(rows, "person", "charged", "seconds", "amount", "payable")
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
    "brought_forward",
    "payable",
    "paid",
    "balance",
    "last_payment_row",
]


@dataclass(frozen=True)
class Carried:
    """A payee's balance left by the earlier periods (SPEC §12 "Carried balances")."""

    payee: str
    people: tuple[str, ...]
    payment_method: str
    amount: int  # cents


def payouts(
    book: Book,
    people: pd.DataFrame,
    carried: Mapping[str, Carried] | None = None,
    top_ups: Sequence[tuple[str, int]] = (),
) -> pd.DataFrame:
    """Brought forward, due, paid and balance per payee (billing entity when set, else
    the person); balance = brought forward + due − paid.

    Payees match payments by text.name_key. Every payment of the Book counts: work of
    the period is often paid after it ends. `carried`: the balances left by earlier
    periods, by payee key; `top_ups`: the smoothing of a year-end closing, (person,
    cents), due to the person's payee.
    """
    payments = book.payments.astype({"row": "int64", "amount": "int64"})
    keys = per_distinct_array(payments["payee"], lambda name: name_key(str(name)), object)
    paid = payments["amount"].groupby(keys).sum().to_dict()
    last_row = payments["row"].groupby(keys).max().to_dict()
    names: dict[str, str] = {}
    members: dict[str, list[dict[str, Any]]] = {}
    for person in cast("list[dict[str, Any]]", people.to_dict("records")):
        key = name_key(person["payee"])
        names.setdefault(key, person["payee"])
        members.setdefault(key, []).append(person)
    smoothing: dict[str, int] = {}
    pairs = zip(people["person"], people["payee"], strict=True)
    payee_of = {name_key(str(name)): str(entity) for name, entity in pairs}
    for name, amount in top_ups:
        payee = payee_of.get(name_key(name), name)
        names.setdefault(name_key(payee), payee)
        smoothing[name_key(payee)] = smoothing.get(name_key(payee), 0) + amount
    carried = carried or {}
    for key, balance in carried.items():
        names.setdefault(key, balance.payee)
    for payee in payments["payee"]:
        names.setdefault(name_key(payee), payee)
    records = [
        _payout_record(
            names[key],
            members.get(key, []),
            (paid.get(key, 0), last_row.get(key)),
            carried.get(key),
            smoothing.get(key, 0),
        )
        for key in names
    ]
    kept = [r for r in records if r["brought_forward"] or r["payable"] or r["paid"]]
    kept.sort(key=lambda r: alphabetical_key(str(r["payee"])))
    frame = pd.DataFrame.from_records(kept, columns=PAYOUT_COLUMNS)
    return frame.astype({"brought_forward": "int64", "payable": "int64", "paid": "int64"}).astype(
        {"last_payment_row": "Int64"}
    )


def _payout_record(
    payee: str,
    members: list[dict[str, Any]],
    payments: tuple[object, object],
    carried: Carried | None,
    smoothing: int,
) -> dict[str, object]:
    paid, last_row = int(payments[0]), payments[1]  # type: ignore[call-overload]
    due = sum(int(m["payable"]) for m in members) + smoothing
    forward = 0 if carried is None else carried.amount
    methods = dict.fromkeys(m["payment_method"] for m in members if m["payment_method"])
    names = [m["person"] for m in members] or list(carried.people if carried else ())
    method = ", ".join(methods) or (carried.payment_method if carried else "")
    return {
        "payee": payee,
        "people": tuple(sorted(names, key=alphabetical_key)),
        "payment_method": method,
        "brought_forward": forward,
        "payable": due,
        "paid": paid,
        "balance": forward + due - paid,
        "last_payment_row": None if last_row is None else int(last_row),  # type: ignore[call-overload]
    }


# ---------------------------------------------------------------- per month


def monthly(book: Book, rows: pd.DataFrame) -> pd.DataFrame:
    """Hours and consumption per (month, group), with the group's running total.

    Only months in which the group has a counted row are listed.
    """
    counted = counted_rows(rows, "date", "charged", "seconds", "payable")
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
