"""A statement (report.statement) as a document: the network, the period and the as-of
date; what is due to the payee, paid and left; requested and payable by group; then the
rows (frozen ones marked) and their total; in Markdown, HTML or PDF.
"""

from __future__ import annotations

import datetime as dt

from sheetsync import display
from sheetsync.messages import say
from sheetsync.model import TOTAL
from sheetsync.report.document import Document, Table, label_value
from sheetsync.report.document import to_html as html_of
from sheetsync.report.document import to_markdown as markdown_of
from sheetsync.report.names import STATEMENT_FORMATS
from sheetsync.report.statement import Statement
from sheetsync.template import load, normalize

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
