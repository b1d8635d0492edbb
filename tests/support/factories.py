"""Helpers building a parsed Book directly, so the rules, checks and report are
tested without a spreadsheet: groups, people, contribution and payment rows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any

import pandas as pd

from sheetsync.model import (
    Anomaly,
    Book,
    Group,
    Kind,
    Person,
    Policy,
    Retribution,
    Settings,
    Status,
)
from sheetsync.parse.settings import default_settings
from sheetsync.template import Lang, load
from sheetsync.text import name_key

DEFAULT_DATE = dt.date(2026, 3, 2)
CONTRIBUTION_COLUMNS = [
    "row",
    "date",
    "person",
    "person_known",
    "group",
    "charged",
    "kind",
    "seconds",
    "requested",
    "description",
    "invited_by",
    "status",
    "exception",
]


def group(
    name: str,
    *,
    envelope: int = 1_000_000,
    policy: Policy = Policy.FLAG,
    daily_rate: int | None = None,
    pilot: str = "",
    row: int = 2,
) -> Group:
    """A group; envelope and daily rate in cents."""
    return Group(name, pilot, envelope, policy, daily_rate, row)


def person(
    name: str,
    retribution: Retribution = Retribution.FINANCIAL,
    billing_entity: str = "",
    payment_method: str = "",
    row: int = 2,
) -> Person:
    return Person(name, "", retribution, billing_entity, payment_method, row)


def _seconds(hours: object) -> object:
    """Hours given as a number or Fraction, as whole seconds; None stays blank."""
    if hours is None:
        return pd.NA
    return round(Fraction(str(hours)) * 3600)


def contributions(rows: Iterable[Mapping[str, object]], people: Iterable[Person]) -> pd.DataFrame:
    """The Book's contributions frame from dicts.

    Keys: date (dt.date), person, group, charged (default: group), kind, hours (hours, not seconds),
    requested (cents), description, invited_by, status, exception, row
    (default: sheet rows 2, 3, ... in order).
    """
    known = {name_key(p.name) for p in people}
    records = []
    for index, given in enumerate(rows):
        who = str(given.get("person", "Alice"))
        records.append(
            {
                "row": given.get("row", index + 2),
                "date": pd.Timestamp(given.get("date", DEFAULT_DATE)),  # type: ignore[arg-type]
                "person": who,
                "person_known": name_key(who) in known,
                "group": given.get("group", "Alpha"),
                "charged": given.get("charged", given.get("group", "Alpha")),
                "kind": Kind(str(given.get("kind", Kind.PRODUCTION))).value,
                "seconds": _seconds(given.get("hours")),
                "requested": given.get("requested", pd.NA),
                "description": given.get("description", ""),
                "invited_by": given.get("invited_by", ""),
                "status": Status(str(given.get("status", Status.DECLARED))).value,
                "exception": bool(given.get("exception", False)),
            }
        )
    frame = pd.DataFrame.from_records(records, columns=CONTRIBUTION_COLUMNS)
    return frame.astype(
        {
            "row": "int64",
            "date": "datetime64[ns]",
            "person_known": "bool",
            "seconds": "Int64",
            "requested": "Int64",
            "exception": "bool",
        }
    )


def payments(rows: Iterable[Mapping[str, object]]) -> pd.DataFrame:
    """The Book's payments frame from dicts with payee, amount (cents), date, row."""
    records = [
        {
            "row": given.get("row", index + 2),
            "date": pd.Timestamp(given.get("date", DEFAULT_DATE)),  # type: ignore[arg-type]
            "payee": given["payee"],
            "amount": given["amount"],
            "reference": given.get("reference", ""),
            "note": given.get("note", ""),
        }
        for index, given in enumerate(rows)
    ]
    columns = ["row", "date", "payee", "amount", "reference", "note"]
    frame = pd.DataFrame.from_records(records, columns=columns)
    return frame.astype({"row": "int64", "date": "datetime64[ns]", "amount": "int64"})


def make_book(
    *,
    groups: Iterable[Group] = (),
    people: Iterable[Person] = (),
    rows: Iterable[Mapping[str, object]] = (),
    payment_rows: Iterable[Mapping[str, object]] = (),
    settings: Settings | None = None,
    lang: Lang = "fr",
    anomalies: tuple[Anomaly, ...] = (),
) -> Book:
    """A Book as the parser would hand it over, with the template's tab titles."""
    people = tuple(people)
    template = load()
    return Book(
        lang=lang,
        settings=settings or settings_of(),
        groups=tuple(groups) or (group("Alpha"),),
        people=people,
        contributions=contributions(rows, people),
        payments=payments(payment_rows),
        anomalies=anomalies,
        titles={tab.key: tab.name(lang) for tab in template.inputs},
        headers={tab.key: {c.key: c.name(lang) for c in tab.columns} for tab in template.inputs},
    )


def settings_of(**changes: Any) -> Settings:
    """The template's default settings for a 2026 period, with `changes`."""
    return dataclasses.replace(default_settings(dt.date(2026, 6, 1)), **changes)
