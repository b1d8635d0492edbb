"""A statement for one person or one payee, to attach to an invoice: the network, the
period and the as-of date; what is due to the payee, paid and left; requested and payable
by group; then the rows (frozen ones marked) and their total. Written out in Markdown,
HTML or PDF by report.statement_document.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from sheetsync import sources
from sheetsync.backends.base import Backend
from sheetsync.books.rules import Figures
from sheetsync.errors import UnknownPayeeError, UnknownPersonError
from sheetsync.messages import did_you_mean, say
from sheetsync.model import Book, OutputTable
from sheetsync.report.export import contributions_table
from sheetsync.sync import pipeline
from sheetsync.template import Lang, load
from sheetsync.text import name_key


@dataclass(frozen=True)
class Totals:
    """What the rows of a statement add up to: the people summary's figures (in cents,
    hours in seconds), over the rows that count (not refused)."""

    seconds: int
    reference: int
    requested: int
    payable: int


@dataclass(frozen=True)
class Statement:
    """What a statement shows, for one person or for one payee; money in cents.

    A payee's statement (a billing entity's, what its invoice needs) covers
    every person it invoices for.
    """

    lang: Lang
    subject: str  # the person, or the payee
    for_payee: bool
    payee: str
    people: tuple[str, ...]  # the people the rows are of
    currency: str
    as_of: dt.date
    period: tuple[dt.date, dt.date]
    network: str | None  # the network's name for the head; None: not known
    contributions: OutputTable  # the rows of the people covered, frozen ones marked
    by_group: tuple[tuple[str, str, float, int, int], ...]  # person, group, hours, req., payable
    totals: Totals
    brought_forward: int  # the payee's balance carried from earlier periods
    payable: int  # everything due to the payee (several people may share it)
    paid: int
    balance: int  # brought forward + payable - paid
    # The smoothing of a year-end closing due to the people covered, (person, cents).
    top_ups: tuple[tuple[str, int], ...] = ()

    @property
    def person(self) -> str:
        return self.subject


def network_name(book: Book, backend: Backend | None = None) -> str | None:
    """The network's name at the head of a statement: the setting `Nom du réseau` /
    `Network name`, else the spreadsheet's title (a local workbook's file name); None
    when neither is known, and the head says nothing."""
    named = book.settings.network_name.strip()
    return named or str(getattr(backend, "title", "") or "").strip() or None


def _unknown(kind: type[UnknownPersonError], name: str, known: list[str], lang: Lang) -> Exception:
    what = (
        say(lang, "report.statement.unknown_payee", n=name)
        if kind is UnknownPayeeError
        else say(lang, "report.statement.unknown_person", n=name)
    )
    return kind(what + did_you_mean(lang, name, known))


def build(book: Book, figures: Figures, name: str, network: str | None = None) -> Statement:
    """The statement of the person named `name` (matched ignoring case): one of this
    period's people, or one whose payee only carries a balance from earlier periods."""
    people = figures.people
    found = people[people["person"].map(name_key) == name_key(name)]
    if not found.empty:
        subject, payee = str(found.iloc[0]["person"]), str(found.iloc[0]["payee"])
        return _statement(book, figures, subject, (subject,), payee, network, False)
    for payee, named in zip(figures.payouts["payee"], figures.payouts["people"], strict=True):
        for person in named:
            if name_key(person) == name_key(name):
                return _statement(book, figures, person, (person,), payee, network, False)
    carried = (p for named in figures.payouts["people"] for p in named)
    known = [*map(str, people["person"]), *carried]
    raise _unknown(UnknownPersonError, name, list(dict.fromkeys(known)), book.lang)


def build_for_payee(
    book: Book, figures: Figures, name: str, network: str | None = None
) -> Statement:
    """The statement of a payee (a billing entity, or a person paid directly)."""
    payouts = figures.payouts
    found = payouts[payouts["payee"].map(name_key) == name_key(name)]
    if found.empty:
        raise _unknown(UnknownPayeeError, name, [str(p) for p in payouts["payee"]], book.lang)
    payee = found.iloc[0]
    subject = str(payee["payee"])
    return _statement(book, figures, subject, tuple(payee["people"]), subject, network, True)


def _statement(  # noqa: PLR0917 - the one place both builders meet
    book: Book,
    figures: Figures,
    subject: str,
    people: tuple[str, ...],
    payee: str,
    network: str | None,
    for_payee: bool,
) -> Statement:
    keys = {name_key(p) for p in people}
    settings = book.settings
    due, paid, brought_forward, balance = _payee_line(figures.payouts, payee)
    return Statement(
        lang=book.lang,
        subject=subject,
        for_payee=for_payee,
        payee=payee,
        people=people,
        currency=settings.currency,
        as_of=figures.as_of,
        period=(settings.period_start, settings.period_end),
        network=network,
        contributions=_rows(book, figures, keys),
        by_group=_by_group(figures, keys),
        totals=_totals(figures, keys),
        brought_forward=brought_forward,
        payable=due,
        paid=paid,
        balance=balance,
        top_ups=tuple((p, cents) for p, cents in figures.top_ups if name_key(p) in keys),
    )


def _rows(book: Book, figures: Figures, keys: set[str]) -> OutputTable:
    """The people's rows as the contributions export has them, a closing mark added."""
    frozen_rows = figures.rows.loc[figures.rows["frozen"].astype(bool), "row"].astype(int)
    # (source tab, row) as the export shows them.
    frozen = {(tab, row) for tab, row in (sources.located(book, r) for r in frozen_rows)}
    table = contributions_table(book, figures)
    source = table.header.index(load().export("contributions").column("source").name(book.lang))
    mark = say(book.lang, "report.statement.frozen")
    rows = [
        (*r, mark if (r[source], r[0]) in frozen else None)
        for r in table.rows
        if name_key(str(r[2])) in keys
    ]
    header = (*table.header, say(book.lang, "report.statement.closing"))
    return OutputTable(table.key, table.title, header, (*table.kinds, "text"), rows)


def _by_group(figures: Figures, keys: set[str]) -> tuple[tuple[str, str, float, int, int], ...]:
    pairs = figures.people_by_group
    mine = pairs[pairs["person"].map(name_key).isin(keys)]
    return tuple(
        (
            str(p["person"]),
            str(p["group"]),
            int(p["seconds"]) / 3600,
            int(p["requested"]),
            int(p["payable"]),
        )
        for _, p in mine.iterrows()
    )


def _totals(figures: Figures, keys: set[str]) -> Totals:
    """The people summary's sums for these people: what the tabs say, to the cent."""
    people = figures.people
    mine = people[people["person"].map(name_key).isin(keys)]
    sums = {name: int(mine[name].sum()) for name in ("seconds", "reference", "requested")}
    return Totals(payable=int(mine["payable"].sum()), **sums)


def _payee_line(payouts: pd.DataFrame, payee: str) -> tuple[int, int, int, int]:
    """(payable, paid, brought forward, balance) of the payee in the payouts figures.

    Brought forward is 0 while the payouts carry no such column (a first year, or
    figures made before balances were carried); the balance is the payouts' own.
    """
    line = payouts[payouts["payee"].map(name_key) == name_key(payee)]
    if line.empty:
        return 0, 0, 0, 0
    found = line.iloc[0]
    carried = found.get("brought_forward", 0)
    brought_forward = 0 if pd.isna(carried) else int(carried)
    return int(found["payable"]), int(found["paid"]), brought_forward, int(found["balance"])


def for_person(backend: Backend, name: str, as_of: dt.date, period: str | None = None) -> Statement:
    """Read and compute the spreadsheet (writing nothing); the person's statement, of
    the current period or of an earlier one by its label."""
    with pipeline.computed(backend, as_of) as outcome:
        book, figures, _ = outcome.period(period)
        return build(book, figures, name, network_name(book, backend))


def for_payee(backend: Backend, name: str, as_of: dt.date, period: str | None = None) -> Statement:
    """Read and compute the spreadsheet (writing nothing); the payee's statement, of
    the current period or of an earlier one by its label."""
    with pipeline.computed(backend, as_of) as outcome:
        book, figures, _ = outcome.period(period)
        return build_for_payee(book, figures, name, network_name(book, backend))
