"""A one-page statement for one person, to attach to an invoice: contributions, then
requested and payable by group, then what was paid to the payee and the balance.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

import pandas as pd

from sheetsync import display, pipeline
from sheetsync.backends.base import Backend
from sheetsync.books.rules import Figures
from sheetsync.errors import EXIT_USAGE, SheetsyncError
from sheetsync.model import Book, OutputTable
from sheetsync.report.export import contributions_table
from sheetsync.template import Lang, load
from sheetsync.text import closest, name_key, tr


class UnknownPersonError(SheetsyncError):
    """No person of that name in the People tab or the contributions."""

    exit_code = EXIT_USAGE
    option = "--person"


@dataclass(frozen=True)
class Statement:
    """What one person's statement shows; money in cents."""

    lang: Lang
    person: str
    payee: str
    currency: str
    as_of: dt.date
    contributions: OutputTable  # that person's rows only
    by_group: tuple[tuple[str, float, int, int], ...]  # group, hours, requested, payable
    payable: int  # everything due to the payee (several people may share it)
    paid: int
    balance: int


def find_person(figures: Figures, name: str, lang: Lang) -> pd.Series:
    """The person's figures; UnknownPersonError (with the closest name) when absent."""
    people = figures.people
    found = people[people["person"].map(name_key) == name_key(name)]
    if found.empty:
        guess = closest(name, [str(p) for p in people["person"]])
        hint = tr(lang, " (vouliez-vous dire « {g} » ?)", " (did you mean '{g}'?)", g=guess)
        raise UnknownPersonError(
            tr(lang, "Personne inconnue : {n}", "Unknown person: {n}", n=name)
            + (hint if guess else "")
        )
    return found.iloc[0]


def build(book: Book, figures: Figures, name: str) -> Statement:
    """The statement of the person named `name` (matched ignoring case)."""
    person = find_person(figures, name, book.lang)
    key = name_key(str(person["person"]))
    table = contributions_table(book, figures)
    rows = [r for r in table.rows if name_key(str(r[2])) == key]
    pairs = figures.people_by_group
    mine = pairs[pairs["person"].map(name_key) == key]
    by_group = tuple(
        (str(p["group"]), int(p["seconds"]) / 3600, int(p["requested"]), int(p["payable"]))
        for _, p in mine.iterrows()
    )
    payouts = figures.payouts
    payee = payouts[payouts["payee"].map(name_key) == name_key(str(person["payee"]))]
    due, paid = (
        (int(payee.iloc[0]["payable"]), int(payee.iloc[0]["paid"])) if len(payee) else (0, 0)
    )
    return Statement(
        lang=book.lang,
        person=str(person["person"]),
        payee=str(person["payee"]),
        currency=book.settings.currency,
        as_of=figures.as_of,
        contributions=OutputTable(table.key, table.title, table.header, table.kinds, rows),
        by_group=by_group,
        payable=due,
        paid=paid,
        balance=due - paid,
    )


# ---------------------------------------------------------------- layout


def money(cents: int, statement: Statement) -> str:
    """1 234,50 € in French, €1,234.50 in English (display.money)."""
    return display.money(cents, statement.lang, statement.currency)


def _cell(value: object, kind: str, statement: Statement) -> str:
    if value is None:
        return ""
    if kind == "money":
        return money(int(value), statement)  # type: ignore[call-overload]
    if kind == "hours":
        return display.decimal(float(value), statement.lang)  # type: ignore[arg-type]
    if isinstance(value, dt.date):
        return display.date(value, statement.lang)
    return str(value)


def _sections(statement: Statement) -> list[tuple[str, list[str], list[list[str]]]]:
    """(heading, header, rows) of each table of the statement, as text."""
    lang, template = statement.lang, load()
    people = template.output("people_summary")
    payouts = template.output("payouts")
    table = statement.contributions
    rows = [
        [_cell(v, k, statement) for v, k in zip(r, table.kinds, strict=True)] for r in table.rows
    ]
    group_header = [
        template.output("people_by_group").column(k).name(lang)
        for k in ("group", "hours", "requested", "payable")
    ]
    groups = [
        [g, _cell(h, "hours", statement), money(r, statement), money(p, statement)]
        for g, h, r, p in statement.by_group
    ]
    totals = [payouts.column(k).name(lang) for k in ("payee", "payable", "paid", "balance")]
    balance = [
        [statement.payee]
        + [money(v, statement) for v in (statement.payable, statement.paid, statement.balance)]
    ]
    return [
        (template.input("contributions").name(lang), list(table.header), rows),
        (people.column("groups").name(lang), group_header, groups),
        (payouts.name(lang), totals, balance),
    ]


def _title(statement: Statement) -> tuple[str, str]:
    lang = statement.lang
    title = tr(lang, "Relevé de {p}", "Statement for {p}", p=statement.person)
    note = tr(
        lang,
        "Au {d}. Versé et solde concernent le bénéficiaire « {b} ».",
        "As of {d}. Paid and balance are those of the payee '{b}'.",
        d=_cell(statement.as_of, "date", statement),
        b=statement.payee,
    )
    return title, note


def to_markdown(statement: Statement) -> str:
    """The statement as Markdown; pipes in names are escaped so tables hold."""
    title, note = _title(statement)
    lines = [f"# {_md(title)}", "", _md(note), ""]
    for heading, header, rows in _sections(statement):
        lines += [f"## {_md(heading)}", "", "| " + " | ".join(_md(h) for h in header) + " |"]
        lines.append("|" + "---|" * len(header))
        lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
        lines.append("")
    return "\n".join(lines)


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def to_html(statement: Statement) -> str:
    """The statement as a standalone HTML page, every text escaped."""
    title, note = _title(statement)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{statement.lang}"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}"
        "table{border-collapse:collapse;margin-bottom:1.5em}"
        "th,td{border:1px solid #999;padding:.2em .5em}</style></head><body>",
        f"<h1>{html.escape(title)}</h1><p>{html.escape(note)}</p>",
    ]
    for heading, header, rows in _sections(statement):
        head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows
        )
        parts.append(f"<h2>{html.escape(heading)}</h2><table><tr>{head}</tr>{body}</table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def for_person(backend: Backend, name: str, as_of: dt.date) -> Statement:
    """Read and compute the spreadsheet (writing nothing); the person's statement."""
    _, outcome = pipeline.analyse(backend, as_of)
    return build(outcome.book, outcome.figures, name)
