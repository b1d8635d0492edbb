"""A one-page statement for one person or one payee, to attach to an invoice: the
contributions (frozen ones marked), requested and payable by group, then what was paid to
the payee and the balance; in Markdown, HTML or PDF.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

import pandas as pd

from sheetsync import display, pipeline, sources
from sheetsync.backends.base import Backend
from sheetsync.books.rules import Figures
from sheetsync.errors import EXIT_USAGE, SheetsyncError
from sheetsync.model import Book, OutputTable
from sheetsync.report.export import contributions_table
from sheetsync.report.names import STATEMENT_FORMATS
from sheetsync.template import Lang, load, normalize
from sheetsync.text import closest, name_key, tr


class UnknownPersonError(SheetsyncError):
    """No person of that name in the People tab or the contributions."""

    exit_code = EXIT_USAGE
    option = "--person"


class UnknownPayeeError(UnknownPersonError):
    """No payee (billing entity or person paid directly) of that name."""

    option = "--payee"


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
    currency: str
    as_of: dt.date
    contributions: OutputTable  # the rows of the people covered, frozen ones marked
    by_group: tuple[tuple[str, str, float, int, int], ...]  # person, group, hours, req., payable
    payable: int  # everything due to the payee (several people may share it)
    paid: int
    balance: int  # brought forward + payable − paid
    brought_forward: int = 0  # what earlier periods left due to the payee (SPEC §12)
    # The smoothing of a year-end closing due to the people covered, (person, cents).
    top_ups: tuple[tuple[str, int], ...] = ()

    @property
    def person(self) -> str:
        return self.subject


def _unknown(kind: type[UnknownPersonError], name: str, known: list[str], lang: Lang) -> Exception:
    guess = closest(name, known)
    hint = tr(lang, " (vouliez-vous dire « {g} » ?)", " (did you mean '{g}'?)", g=guess)
    what = (
        tr(lang, "Bénéficiaire inconnu : {n}", "Unknown payee: {n}", n=name)
        if kind is UnknownPayeeError
        else tr(lang, "Personne inconnue : {n}", "Unknown person: {n}", n=name)
    )
    return kind(what + (hint if guess else ""))


def find_person(figures: Figures, name: str, lang: Lang) -> pd.Series:
    """The person's figures; UnknownPersonError (with the closest name) when absent."""
    people = figures.people
    found = people[people["person"].map(name_key) == name_key(name)]
    if found.empty:
        raise _unknown(UnknownPersonError, name, [str(p) for p in people["person"]], lang)
    return found.iloc[0]


def build(book: Book, figures: Figures, name: str) -> Statement:
    """The statement of the person named `name` (matched ignoring case)."""
    person = find_person(figures, name, book.lang)
    return _statement(
        book,
        figures,
        str(person["person"]),
        [str(person["person"])],
        str(person["payee"]),
        for_payee=False,
    )


def build_for_payee(book: Book, figures: Figures, name: str) -> Statement:
    """The statement of a payee (a billing entity, or a person paid directly)."""
    payouts = figures.payouts
    found = payouts[payouts["payee"].map(name_key) == name_key(name)]
    if found.empty:
        raise _unknown(UnknownPayeeError, name, [str(p) for p in payouts["payee"]], book.lang)
    payee = found.iloc[0]
    return _statement(
        book,
        figures,
        str(payee["payee"]),
        list(payee["people"]),
        str(payee["payee"]),
        for_payee=True,
    )


def _statement(
    book: Book, figures: Figures, subject: str, people: list[str], payee: str, *, for_payee: bool
) -> Statement:
    keys = {name_key(p) for p in people}
    frozen_rows = figures.rows.loc[figures.rows["frozen"].astype(bool), "row"].astype(int)
    # (source tab, row) as the export shows them.
    frozen = {(tab, row) for tab, row in (sources.located(book, r) for r in frozen_rows)}
    table = contributions_table(book, figures)
    source = table.header.index(load().export("contributions").column("source").name(book.lang))
    mark = tr(book.lang, "figée", "frozen")
    rows = [
        (*r, mark if (r[source], r[0]) in frozen else None)
        for r in table.rows
        if name_key(str(r[2])) in keys
    ]
    pairs = figures.people_by_group
    mine = pairs[pairs["person"].map(name_key).isin(keys)]
    by_group = tuple(
        (
            str(p["person"]),
            str(p["group"]),
            int(p["seconds"]) / 3600,
            int(p["requested"]),
            int(p["payable"]),
        )
        for _, p in mine.iterrows()
    )
    payouts = figures.payouts
    line = payouts[payouts["payee"].map(name_key) == name_key(payee)]
    found = line.iloc[0] if len(line) else None
    due, paid, forward, balance = (
        (0, 0, 0, 0)
        if found is None
        else tuple(int(found[k]) for k in ("payable", "paid", "brought_forward", "balance"))
    )
    top_ups = tuple((p, cents) for p, cents in figures.top_ups if name_key(p) in keys)
    header = (*table.header, tr(book.lang, "Clôture", "Closing"))
    return Statement(
        lang=book.lang,
        subject=subject,
        for_payee=(subject == payee and len(people) != 1) or subject not in people,
        payee=payee,
        currency=book.settings.currency,
        as_of=figures.as_of,
        contributions=OutputTable(table.key, table.title, header, (*table.kinds, "text"), rows),
        by_group=by_group,
        payable=due,
        paid=paid,
        balance=balance,
        brought_forward=forward,
        top_ups=top_ups,
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
    keys = ("person", "group", "hours", "requested", "payable")
    shown = keys if statement.for_payee else keys[1:]
    group_header = [template.output("people_by_group").column(k).name(lang) for k in shown]
    groups = [
        [
            *([person] if statement.for_payee else []),
            group,
            _cell(hours, "hours", statement),
            money(requested, statement),
            money(payable, statement),
        ]
        for person, group, hours, requested, payable in statement.by_group
    ]
    smoothing = tr(lang, "Lissage (excédent)", "Smoothing (surplus)")
    groups += [
        [*([person] if statement.for_payee else []), smoothing, "", "", money(cents, statement)]
        for person, cents in statement.top_ups
    ]
    keys = ("payee", "brought_forward", "payable", "paid", "balance")
    totals = [payouts.column(k).name(lang) for k in keys]
    amounts = (statement.brought_forward, statement.payable, statement.paid, statement.balance)
    balance = [[statement.payee] + [money(v, statement) for v in amounts]]
    return [
        (template.input("contributions").name(lang), list(table.header), rows),
        (people.column("groups").name(lang), group_header, groups),
        (payouts.name(lang), totals, balance),
    ]


def _title(statement: Statement) -> tuple[str, str]:
    lang, subject = statement.lang, statement.subject
    # "Relevé d'Alice", "Relevé de Zoé": elision before a vowel sound.
    of = "d'" if normalize(subject)[:1] in set("aeiouyh") else "de "
    title = tr(lang, "Relevé {of}{p}", "Statement for {p}", of=of, p=subject)
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


def for_person(backend: Backend, name: str, as_of: dt.date, period: str | None = None) -> Statement:
    """Read and compute the spreadsheet (writing nothing); the person's statement, of
    the current period or of an earlier one by its label."""
    _, outcome = pipeline.analyse(backend, as_of)
    book, figures, _ = outcome.period(period)
    return build(book, figures, name)


def for_payee(backend: Backend, name: str, as_of: dt.date, period: str | None = None) -> Statement:
    """Read and compute the spreadsheet (writing nothing); the payee's statement, of
    the current period or of an earlier one by its label."""
    _, outcome = pipeline.analyse(backend, as_of)
    book, figures, _ = outcome.period(period)
    return build_for_payee(book, figures, name)


def to_pdf(statement: Statement, *, system_font: bool = True) -> bytes:
    """The statement as a one-page PDF."""
    from sheetsync.report import pdf  # noqa: PLC0415 - fpdf2 loads only for a PDF

    title, note = _title(statement)
    return pdf.render(title, note, _sections(statement), system_font=system_font)


# What each file extension gets; anything else is refused, never a silent Markdown.
FORMATS = STATEMENT_FORMATS


def rendered(statement: Statement, kind: str) -> bytes:
    """The statement in the format FORMATS names, as bytes to write."""
    if kind == "pdf":
        return to_pdf(statement)
    text = to_html(statement) if kind == "html" else to_markdown(statement)
    return text.encode("utf-8")
