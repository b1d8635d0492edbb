"""A closing's tab: what it froze — groups, people, payees — then what is left in the
envelopes (before the period end) or the surplus and its split (at the period end).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from sheetsync import display
from sheetsync.books import figures, surplus
from sheetsync.books.payouts import Carried, payouts
from sheetsync.books.rules import SECONDS_PER_HOUR
from sheetsync.ledger.state import Closing, Json, State
from sheetsync.messages import say
from sheetsync.model import TOTAL, Book, OutputTable
from sheetsync.template import Lang, load


def _json_value(value: object) -> Json:
    """A table cell as JSON: numpy scalars as Python numbers, timestamps as dates."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def closing_title(closing: Closing) -> str:
    return f"{load().ledger_tab('closing').name(closing.lang)} {closing.label}"


def closed_detail(closing: Closing) -> str:
    return say(
        closing.lang,
        "ledger.closing_tab.up_closed",
        until=closing.until.isoformat(),
        time=closing.time,
    )


def _hours(seconds: object) -> float:
    hours: float = int(seconds) / SECONDS_PER_HOUR  # type: ignore[call-overload]
    return hours


Line = tuple[Json, ...]  # section, name, envelope, requested, payable, paid, balance, hours, detail


def closing_rows(
    book: Book, rows: pd.DataFrame, until: dt.date, carried: Mapping[str, Carried]
) -> tuple[list[Line], tuple[tuple[str, int], ...]]:
    """The closing tab's body — groups and their total, people, payees, surplus — and
    the smoothing top-ups (person, cents) when it reaches the period end.

    A payee's line owes its smoothing top-ups, and its balance brings forward what
    earlier periods left due (`carried`, by payee key): Solde = Report + À verser − Versé.
    """
    words = sections(book.lang)
    groups = figures.group_figures(book, rows, until)
    people = figures.people_figures(book, rows)
    envelopes, consumed = int(groups["envelope"].sum()), int(groups["consumed"].sum())
    top_ups: tuple[tuple[str, int], ...] = ()
    if until >= book.settings.period_end:
        share = surplus.compute(envelopes, consumed, surplus.shortfalls(rows), book.settings)
        ending = surplus_lines(share, book, words)
        top_ups = tuple((t.person, t.amount) for t in share.top_ups if t.amount)
    else:
        ending = [left_line(envelopes - consumed, book, words)]
    table = [
        *group_lines(groups, rows, words),
        *person_lines(people, words),
        *payee_lines(payouts(book, people, carried, top_ups), book, words),
        *ending,
    ]
    return [tuple(_json_value(v) for v in line) for line in table], top_ups


def group_lines(groups: pd.DataFrame, rows: pd.DataFrame, words: dict[str, str]) -> list[Line]:
    """One line per group (Solde: what is left of the envelope), then the total."""
    counted = figures.counted_rows(rows, "charged", "amount")
    requested = counted.groupby("charged")["amount"].sum()
    lines: list[Line] = [
        (
            words["group"],
            g["group"],
            g["envelope"],
            int(requested.get(g["group"], 0)),
            g["consumed"],
            None,
            g["remaining"],
            _hours(g["seconds"]),
            "",
        )
        for g in groups.to_dict("records")
    ]
    envelopes, consumed = int(groups["envelope"].sum()), int(groups["consumed"].sum())
    total = (
        words["group"],
        TOTAL,
        envelopes,
        int(counted["amount"].sum()),
        consumed,
        None,
        envelopes - consumed,
        _hours(groups["seconds"].sum()),
        "",
    )
    return [*lines, total]


def person_lines(people: pd.DataFrame, words: dict[str, str]) -> list[Line]:
    """People with a contribution in the closed range, alphabetically."""
    ordered = sorted(
        people.to_dict("records"), key=lambda p: figures.alphabetical_key(str(p["person"]))
    )
    return [
        (
            words["person"],
            p["person"],
            None,
            p["requested"],
            p["payable"],
            None,
            None,
            _hours(p["seconds"]),
            "",
        )
        for p in ordered
        if p["seconds"] or p["requested"] or p["payable"]
    ]


def payee_lines(payouts: pd.DataFrame, book: Book, words: dict[str, str]) -> list[Line]:
    """Who invoices for how much, paid up to the closing day, and the balance (what
    earlier periods left due included, and said in Détail)."""
    lines: list[Line] = []
    for p in payouts.to_dict("records"):
        detail = ", ".join(p["people"])
        if p["brought_forward"]:
            forward = display.money(int(p["brought_forward"]), book.lang, book.settings.currency)
            detail = f"{detail} ; {words['brought_forward']} {forward}".lstrip(" ;")
        lines.append(
            (
                words["payee"],
                p["payee"],
                None,
                None,
                p["payable"],
                p["paid"],
                p["balance"],
                None,
                detail,
            )
        )
    return lines


def left_line(left: int, book: Book, words: dict[str, str]) -> Line:
    """Before the period end nothing is a surplus yet: what the envelopes still hold."""
    end = book.settings.period_end
    detail = say(
        book.lang,
        "ledger.closing_tab.envelopes_consumed_before_period_end",
        end=display.date(end, book.lang),
    )
    return (words["left"], TOTAL, None, None, None, None, left, None, detail)


def surplus_lines(share: surplus.Surplus, book: Book, words: dict[str, str]) -> list[Line]:
    """The surplus and its parts in À verser; each shortfall in Demandé."""

    def part(name: str, amount: int, detail: str, asked: int | None = None) -> Line:
        return (words["surplus"], words[name], None, asked, amount, None, None, None, detail)

    shortfall = sum(t.shortfall for t in share.top_ups)
    return [
        part("total", share.total, words["formula"]),
        part(
            "commons", share.commons, display.percent(book.settings.surplus_commons, book.lang, 2)
        ),
        part(
            "smoothing",
            share.smoothing,
            display.percent(book.settings.surplus_smoothing, book.lang, 2),
            shortfall,
        ),
        *(
            (words["top_up"], t.person, None, t.shortfall, t.amount, None, None, None, "")
            for t in share.top_ups
        ),
        part("unallocated", share.unallocated, ""),
    ]


def sections(lang: Lang) -> dict[str, str]:
    return {
        "closing": say(lang, "ledger.closing_tab.closing"),
        "group": say(lang, "ledger.closing_tab.group"),
        "person": say(lang, "ledger.closing_tab.person"),
        "payee": say(lang, "ledger.closing_tab.payee"),
        "brought_forward": say(lang, "ledger.closing_tab.brought_forward"),
        "surplus": say(lang, "ledger.closing_tab.surplus"),
        "left": say(lang, "ledger.closing_tab.left_envelopes"),
        "top_up": say(lang, "ledger.closing_tab.smoothing"),
        "total": TOTAL,
        "commons": say(lang, "ledger.closing_tab.commons"),
        "smoothing": say(lang, "ledger.closing_tab.smoothing"),
        "unallocated": say(lang, "ledger.closing_tab.unallocated"),
        "formula": say(lang, "ledger.closing_tab.envelopes_consumed"),
        "checksum": say(lang, "ledger.closing_tab.checksum"),
        "reopened": say(lang, "ledger.closing_tab.reopening"),
    }


def closing_table(closing: Closing, currency: str) -> OutputTable:
    """A closing's tab: what it froze, its checksum, and its reopening if any."""
    tab, lang = load().ledger_tab("closing"), closing.lang
    words = sections(lang)
    blank = (None,) * 7
    rows: list[tuple[object, ...]] = [
        (words["closing"], closing.label, *blank[:6], closed_detail(closing))
    ]
    if closing.reopened is not None:  # said in the first rows (SPEC §9)
        detail = f"{closing.reopened.time} : {closing.reopened.reason}"
        rows.append((words["reopened"], closing.label, *blank[:6], detail))
    rows += [*closing.table, (words["checksum"], "sha256", *blank[:6], closing.checksum)]
    return OutputTable(
        key=tab.key,
        title=closing_title(closing),
        header=tuple(c.name(lang) for c in tab.columns),
        kinds=tuple(c.kind for c in tab.columns),
        rows=rows,
        currency=currency,
        # The sealed lines carry no flag: a Total line is one no group can be named
        # as (parse.groups refuses "Total"), after the closing's own head line.
        total_rows=tuple(at for at, row in enumerate(rows) if at and row[1] == TOTAL),
    )


def closing_tables(kept: State, currency: str) -> list[OutputTable]:
    """One tab per label: its latest closing."""
    labels = dict.fromkeys(c.label for c in kept.closings)
    return [closing_table(c, currency) for label in labels if (c := kept.latest(label))]
