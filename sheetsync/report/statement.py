"""A statement for one person or one payee, to attach to an invoice: the network, the
period and the as-of date; what is due to the payee, paid and left; requested and payable
by group; then the rows (frozen ones marked) and their total; in Markdown, HTML or PDF.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from sheetsync import display, sources
from sheetsync.backends.base import Backend
from sheetsync.books.rules import Figures
from sheetsync.errors import UnknownPayeeError, UnknownPersonError, written_in
from sheetsync.messages import did_you_mean, say
from sheetsync.model import TOTAL, Book, OutputTable
from sheetsync.report.document import Document, Table, label_value
from sheetsync.report.document import to_html as html_of
from sheetsync.report.document import to_markdown as markdown_of
from sheetsync.report.export import contributions_table
from sheetsync.report.names import STATEMENT_FORMATS
from sheetsync.sync import pipeline
from sheetsync.template import Lang, load, normalize
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


# ---------------------------------------------------------------- layout

# The columns of the rows whose amounts a refused row does not have: they count nowhere.
COUNTED = ("hours", "reference", "requested", "payable")
NUMERIC_KINDS = ("money", "hours", "integer")


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


def document(statement: Statement) -> Document:
    """The statement as a document: who, which period, as of when; the payee's figures;
    the amounts by group; then the rows with their total."""
    tables = (_payee_table(statement), _groups_table(statement), _rows_table(statement))
    return Document(statement.lang, _title(statement), _head(statement), tables)


def _title(statement: Statement) -> str:
    subject = statement.subject
    # "Relevé d'Alice", "Relevé de Zoé": elision before a vowel sound, its own sentence.
    if normalize(subject)[:1] in set("aeiouyh"):
        return say(statement.lang, "report.statement.title_before_vowel", p=subject)
    return say(statement.lang, "report.statement.title", p=subject)


def _head(statement: Statement) -> tuple[str, ...]:
    lang = statement.lang
    lines = []
    if statement.network:
        lines.append(label_value(lang, say(lang, "report.statement.network"), statement.network))
    start, end = (_cell(day, "date", statement) for day in statement.period)
    lines.append(
        say(
            lang,
            "report.statement.period",
            start=start,
            end=end,
            as_of=_cell(statement.as_of, "date", statement),
        )
    )
    if statement.for_payee:
        people = load().output("payouts").column("people").name(lang)
        lines.append(label_value(lang, people, ", ".join(statement.people)))
    elif statement.payee != statement.subject:
        lines.append(
            say(lang, "report.statement.payable_paid_balance_those_payee", b=statement.payee)
        )
    return tuple(lines)


def _payee_table(statement: Statement) -> Table:
    """The payee's brought forward (when there is one), payable, paid, then balance."""
    lang, payouts = statement.lang, load().output("payouts")
    names = {column.key: column.name(lang) for column in payouts.columns}
    rows = []
    if statement.brought_forward:
        carried = names.get("brought_forward") or say(lang, "report.statement.brought_forward")
        rows.append((carried, money(statement.brought_forward, statement)))
    rows += [
        (names["payable"], money(statement.payable, statement)),
        (names["paid"], money(statement.paid, statement)),
        (names["balance"], money(statement.balance, statement)),
    ]
    return Table(payouts.name(lang), (), tuple(rows), (False, True), total=True)


def _groups_table(statement: Statement) -> Table:
    """Hours, requested and payable by group (and person, for several), with a total."""
    lang, template = statement.lang, load()
    several = len(statement.people) > 1
    keys = ("person", "group", "hours", "requested", "payable")[0 if several else 1 :]
    header = tuple(template.output("people_by_group").column(k).name(lang) for k in keys)
    rows = [
        (
            *((person,) if several else ()),
            group,
            _cell(hours, "hours", statement),
            money(requested, statement),
            money(payable, statement),
        )
        for person, group, hours, requested, payable in statement.by_group
    ]
    smoothing = say(lang, "report.statement.smoothing_surplus")
    rows += [
        (*((person,) if several else ()), smoothing, "", "", money(cents, statement))
        for person, cents in statement.top_ups
    ]
    if len(rows) > 1:
        top_ups = sum(cents for _, cents in statement.top_ups)
        rows.append(_total_line(keys, statement, top_ups))
    numeric = tuple(key in COUNTED for key in keys)
    heading = template.output("people_summary").column("groups").name(lang)
    return Table(heading, header, tuple(rows), numeric, total=len(rows) > 1)


def _total_line(keys: tuple[str, ...], statement: Statement, top_ups: int = 0) -> tuple[str, ...]:
    """ "Total" in the first column, the people summary's sums under the amounts (and the
    smoothing `top_ups` under payable, where the table lists them)."""
    totals = statement.totals
    sums = {
        "hours": _cell(totals.seconds / 3600, "hours", statement),
        "reference": money(totals.reference, statement),
        "requested": money(totals.requested, statement),
        "payable": money(totals.payable + top_ups, statement),
    }
    return tuple(TOTAL if at == 0 else sums.get(key, "") for at, key in enumerate(keys))


def _contribution_keys() -> tuple[str, ...]:
    return (*(c.key for c in load().export("contributions").columns), "closing")


def _rows_table(statement: Statement) -> Table:
    """The rows, without the columns that would say the same on every row: the person
    of a one-person statement, the charged group where it is the group, the source tab
    where there is one; a refused row shows no amount, as it counts in none."""
    table, lang = statement.contributions, statement.lang
    keys = _contribution_keys()
    at = {key: i for i, key in enumerate(keys)}
    rows = table.rows
    shown = tuple(key for key in keys if _varies(key, rows, at, statement))
    refused = load().enums["status"].label("rejected", lang)

    def text(row: tuple[object, ...], key: str) -> str:
        if key in COUNTED and row[at["status"]] == refused:
            return ""
        return _cell(row[at[key]], table.kinds[at[key]], statement)

    body = [tuple(text(row, key) for key in shown) for row in rows]
    body.append(_total_line(shown, statement))
    numeric = tuple(table.kinds[at[key]] in NUMERIC_KINDS for key in shown)
    header = tuple(table.header[at[key]] for key in shown)
    heading = load().input("contributions").name(lang)
    tabs = {str(row[at["source"]]) for row in rows}
    if len(tabs) == 1 and normalize(next(iter(tabs))) != normalize(heading):
        heading = f"{heading} ({next(iter(tabs))})"  # every row from the form's responses
    return Table(heading, header, tuple(body), numeric, total=True)


def _varies(
    key: str, rows: list[tuple[object, ...]], at: dict[str, int], statement: Statement
) -> bool:
    """Whether the rows' column `key` says something the statement does not already."""
    if key == "person":
        return len(statement.people) > 1
    if key == "charged":
        return any(row[at["charged"]] != row[at["group"]] for row in rows)
    if key == "source":
        return len({row[at["source"]] for row in rows}) > 1
    if key == "closing":
        return any(row[at["closing"]] for row in rows)
    return True


def to_markdown(statement: Statement) -> str:
    """The statement as Markdown; pipes in names are escaped so tables hold."""
    return markdown_of(document(statement))


def to_html(statement: Statement) -> str:
    """The statement as a standalone HTML page, every text escaped."""
    return html_of(document(statement))


def for_person(backend: Backend, name: str, as_of: dt.date, period: str | None = None) -> Statement:
    """Read and compute the spreadsheet (writing nothing); the person's statement, of
    the current period or of an earlier one by its label."""
    _, outcome = pipeline.analyse(backend, as_of)
    with written_in(outcome.book.lang):  # what goes wrong from now on, in the sheet's words
        book, figures, _ = outcome.period(period)
        return build(book, figures, name, network_name(book, backend))


def for_payee(backend: Backend, name: str, as_of: dt.date, period: str | None = None) -> Statement:
    """Read and compute the spreadsheet (writing nothing); the payee's statement, of
    the current period or of an earlier one by its label."""
    _, outcome = pipeline.analyse(backend, as_of)
    with written_in(outcome.book.lang):  # what goes wrong from now on, in the sheet's words
        book, figures, _ = outcome.period(period)
        return build_for_payee(book, figures, name, network_name(book, backend))


def to_pdf(statement: Statement, *, system_font: bool = True) -> bytes:
    """The statement as a PDF: A4, widths from the content, at most 2 pages for a year
    of one person's rows (sheetsync.report.pdf)."""
    from sheetsync.report import pdf  # noqa: PLC0415 - fpdf2 loads only for a PDF

    return pdf.render(document(statement), system_font=system_font)


# What each file extension gets; anything else is refused, never a silent Markdown.
FORMATS = STATEMENT_FORMATS


def rendered(statement: Statement, kind: str) -> bytes:
    """The statement in the format FORMATS names, as bytes to write."""
    if kind == "pdf":
        return to_pdf(statement)
    text = to_html(statement) if kind == "html" else to_markdown(statement)
    return text.encode("utf-8")
