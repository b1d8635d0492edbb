"""What the public page and budget.json show (SPEC §13), taken from the books of one run:
the key figures, the groups, the months, the payments, the earlier periods and the rules;
a person only when their `Publier mon nom` says yes. Money in cents, time in seconds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

from sheetsync.books import figures as books
from sheetsync.books.rules import Figures
from sheetsync.ledger import periods, periods_tab
from sheetsync.model import Book, Person, Settings
from sheetsync.template import load
from sheetsync.text import name_key


@dataclass(frozen=True)
class Totals:
    envelope: int
    consumed: int
    pending: int
    remaining: int
    unpaid_valued: int  # valued volunteer time: shown on its own, never added to consumed
    seconds: int
    contributors: int


@dataclass(frozen=True)
class GroupLine:
    name: str
    pilot: str | None  # only when the pilot said yes to `Publier mon nom`
    envelope: int
    consumed: int
    pending: int
    remaining: int
    state: str  # ok, warning, over
    seconds: int
    contributors: int
    unpaid_valued: int
    projection: int
    policy: str  # flag, pro_rata, first_come
    daily_rate: int  # cents a day: the group's own, else the reference rate


@dataclass(frozen=True)
class MonthLine:
    month: str  # YYYY-MM
    consumed: int  # all groups together
    cumulative: int


@dataclass(frozen=True)
class MoneyLine:
    """Brought forward, payable, paid and balance: the payouts' figures, summed."""

    method: str  # the payment method as the People tab writes it; "" when not given
    payees: int
    brought_forward: int
    payable: int
    paid: int
    balance: int


@dataclass(frozen=True)
class PersonLine:
    name: str
    groups: tuple[str, ...]
    seconds: int
    payable: int


@dataclass(frozen=True)
class EarlierPeriod:
    label: str
    start: dt.date
    end: dt.date
    envelope: int
    consumed: int
    remaining: int
    surplus: int | None  # the surplus split, when a year-end closing ended the period
    commons: int | None
    smoothing: int | None
    unallocated: int | None
    checksum: str


@dataclass(frozen=True)
class Rules:
    reference_rate: int  # cents a day
    hours_per_day: Fraction
    coordination_paid: bool
    validation_required: bool
    alert_threshold: Fraction
    surplus_commons: Fraction
    surplus_smoothing: Fraction


@dataclass(frozen=True)
class Publication:
    """Everything the page and the JSON say, nothing more (the privacy is decided here)."""

    lang: str
    network: str
    currency: str
    label: str
    start: dt.date
    end: dt.date
    as_of: dt.date
    elapsed_days: int  # days of the period gone by at the as-of date (0 to period_days)
    period_days: int
    totals: Totals
    groups: tuple[GroupLine, ...]
    months: tuple[MonthLine, ...]
    payments: MoneyLine  # the total (method "")
    by_method: tuple[MoneyLine, ...]
    people: tuple[PersonLine, ...]
    earlier: tuple[EarlierPeriod, ...]
    rules: Rules
    closed: bool = False  # an earlier period, as its closing froze it


@dataclass(frozen=True)
class Books:
    """The books a page is made of: the published period's, and what decides privacy."""

    book: Book  # the period's book (its settings, groups and payments)
    figures: Figures
    label: str
    consent: frozenset[str]  # name keys of the people of the current People tab who said yes
    earlier: tuple[EarlierPeriod, ...]
    closed: bool = False  # an earlier period (`--period`), as its closing froze it


def consenting(people: Iterable[Person]) -> frozenset[str]:
    """Name keys of the people whose `Publier mon nom` says yes."""
    return frozenset(name_key(p.name) for p in people if p.publish)


def earlier_periods(
    book: Book, figures: Figures, layers: periods.Layers | None, before: dt.date
) -> tuple[EarlierPeriod, ...]:
    """The Exercices tab's Total lines of the periods ended before `before`, as the tab
    writes them (the same function makes both), each with its closing's checksum."""
    if layers is None or not layers.history:
        return ()
    tab = periods_tab.table(book, figures, layers)
    at = {c.key: i for i, c in enumerate(load().ledger_tab("periods").columns)}
    found = []
    for index, row in enumerate(tab.rows):
        start, end = row[at["start"]], row[at["end"]]
        if index not in tab.total_rows or not row[at["checksum"]]:
            continue
        if not isinstance(end, dt.date) or not isinstance(start, dt.date) or end >= before:
            continue
        money = {k: _cents(row[at[k]]) for k in ("surplus", "commons", "smoothing", "unallocated")}
        found.append(
            EarlierPeriod(
                label=str(row[at["period"]]),
                start=start,
                end=end,
                envelope=int(row[at["envelope"]]),  # type: ignore[call-overload]
                consumed=int(row[at["consumed"]]),  # type: ignore[call-overload]
                remaining=int(row[at["remaining"]]),  # type: ignore[call-overload]
                checksum=str(row[at["checksum"]]),
                **money,
            )
        )
    return tuple(found)


def _cents(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]


def build(found: Books, network: str, lang: str) -> Publication:
    """The publication of a period's books; `lang` is the current sheet's language."""
    book, figures = found.book, found.figures
    settings = book.settings
    elapsed, days = _elapsed(settings, figures.as_of)
    payments = _money_lines(figures.payouts)
    return Publication(
        lang=lang,
        network=network,
        currency=settings.currency,
        label=found.label,
        start=settings.period_start,
        end=settings.period_end,
        as_of=figures.as_of,
        elapsed_days=elapsed,
        period_days=days,
        totals=_totals(figures),
        groups=tuple(_group_lines(figures, settings, book, found.consent)),
        months=tuple(_months(figures.monthly)),
        payments=payments[0],
        by_method=payments[1],
        people=tuple(_people(figures, found.consent)),
        earlier=found.earlier,
        rules=Rules(
            reference_rate=settings.reference_rate,
            hours_per_day=settings.hours_per_day,
            coordination_paid=settings.coordination_paid,
            validation_required=settings.validation_required,
            alert_threshold=settings.alert_threshold,
            surplus_commons=settings.surplus_commons,
            surplus_smoothing=settings.surplus_smoothing,
        ),
        closed=found.closed,
    )


def _elapsed(settings: Settings, as_of: dt.date) -> tuple[int, int]:
    days = (settings.period_end - settings.period_start).days + 1
    gone = (as_of - settings.period_start).days + 1
    return max(0, min(days, gone)), days


def _totals(figures: Figures) -> Totals:
    """The Total row of Synthèse groupes (report.tables), in cents and seconds."""
    groups = figures.groups
    counted = books.counted_rows(figures.rows, "person")
    return Totals(
        envelope=int(groups["envelope"].sum()),
        consumed=int(groups["consumed"].sum()),
        pending=int(groups["pending"].sum()),
        remaining=int(groups["remaining"].sum()),
        unpaid_valued=int(groups["unpaid_valued"].sum()),
        seconds=int(groups["seconds"].sum()),
        contributors=int(counted["person"].map(str.casefold).nunique()),
    )


def _group_lines(
    figures: Figures, settings: Settings, book: Book, consent: frozenset[str]
) -> Iterable[GroupLine]:
    rates = {g.name: books.daily_rate(g, settings) for g in book.groups}
    for g in figures.groups.to_dict("records"):
        pilot = str(g["pilot"] or "")
        yield GroupLine(
            name=str(g["group"]),
            pilot=pilot if pilot and name_key(pilot) in consent else None,
            envelope=int(g["envelope"]),
            consumed=int(g["consumed"]),
            pending=int(g["pending"]),
            remaining=int(g["remaining"]),
            state=str(g["state"]),
            seconds=int(g["seconds"]),
            contributors=int(g["contributors"]),
            unpaid_valued=int(g["unpaid_valued"]),
            projection=int(g["projection"]),
            policy=str(g["policy"]),
            daily_rate=rates.get(str(g["group"]), settings.reference_rate),
        )


def _months(monthly: pd.DataFrame) -> Iterable[MonthLine]:
    """Mensuel's consumed, all groups together, month by month, and its running sum."""
    running = 0
    by_month: dict[str, int] = {}
    for line in monthly.to_dict("records"):
        month = str(line["month"])
        by_month[month] = by_month.get(month, 0) + int(line["consumed"])
    for month in sorted(by_month):
        running += by_month[month]
        yield MonthLine(month, by_month[month], running)


def _money_lines(payouts: pd.DataFrame) -> tuple[MoneyLine, tuple[MoneyLine, ...]]:
    """The payouts summed (every payee), then by payment method, alphabetically."""
    columns = ("brought_forward", "payable", "paid", "balance")
    records: list[tuple[str, tuple[int, ...]]] = [
        (
            str(line["payment_method"] or "").strip(),
            tuple(_whole(line.get(column, 0)) for column in columns),
        )
        for line in payouts.to_dict("records")
    ]

    def summed(method: str, lines: list[tuple[int, ...]]) -> MoneyLine:
        sums = [sum(line[at] for line in lines) for at in range(len(columns))]
        return MoneyLine(method, len(lines), *sums)

    methods: dict[str, list[tuple[int, ...]]] = {}
    for method, amounts in records:
        methods.setdefault(method, []).append(amounts)
    ordered = sorted(methods, key=lambda m: (m == "", books.alphabetical_key(m)))
    every = [amounts for _, amounts in records]
    return summed("", every), tuple(summed(m, methods[m]) for m in ordered)


def _whole(value: object) -> int:
    """A money cell of the payouts as cents; a missing one (no balance carried) is 0."""
    return 0 if value is None or pd.isna(value) else int(value)  # type: ignore[call-overload]


def _people(figures: Figures, consent: frozenset[str]) -> Iterable[PersonLine]:
    """The people who said yes and have something to show, alphabetically."""
    shown = [
        p
        for p in figures.people.to_dict("records")
        if name_key(str(p["person"])) in consent and (int(p["seconds"]) or int(p["payable"]))
    ]
    for p in sorted(shown, key=lambda p: books.alphabetical_key(str(p["person"]))):
        yield PersonLine(str(p["person"]), tuple(p["groups"]), int(p["seconds"]), int(p["payable"]))


# ---------------------------------------------------------------- what to ask first


def lone_payees(figures: Figures, consent: frozenset[str]) -> tuple[tuple[str, str, int], ...]:
    """(group, person, cents) of each group whose payable all goes to one person who
    has not said yes: its public consumed is that person's amount."""
    pairs = figures.people_by_group
    found = []
    for group in figures.groups["group"]:
        mine = pairs[(pairs["group"] == group) & (pairs["payable"].astype("int64") > 0)]
        if len(mine) != 1:
            continue
        person = str(mine.iloc[0]["person"])
        if name_key(person) not in consent:
            found.append((str(group), person, int(mine.iloc[0]["payable"])))
    return tuple(found)
