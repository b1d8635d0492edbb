"""The figures of the books per group, person and month (per payee: books.payouts),
from rows whose payable is known: money in integer cents, time in integer seconds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import StrEnum
from fractions import Fraction
from typing import Any, cast

import numpy as np
import pandas as pd

from sheetsync.model import Book, Group, Person, Retribution, Settings
from sheetsync.template import normalize
from sheetsync.text import clean_name, name_key
from sheetsync.units import round_half_away


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
