"""Who to remind and what to say, read from the computed books of one run: the people
the `person_silent` check found (with an email, not opted out, not yet reminded of this
silence), and the pilots of groups at the alert threshold, over, or with rows in error.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pandas as pd

from sheetsync import display
from sheetsync.messages import say
from sheetsync.model import Anomaly, Book, Person, Severity
from sheetsync.remind.mail import Mail
from sheetsync.sources import rows_read, tab_title
from sheetsync.sync.pipeline import Outcome
from sheetsync.template import Lang, load
from sheetsync.text import name_key


@dataclass(frozen=True)
class Context:
    """What the messages name: the spreadsheet, where to declare, what was already sent."""

    sheet: str  # the spreadsheet's name
    link: str  # the form, else the spreadsheet; "" when neither is known
    sent: frozenset[tuple[str, str, str]]  # (kind, key, mark) already sent


def mails(outcome: Outcome, context: Context) -> list[Mail]:
    """Every reminder due, people first, then pilots, not yet sent for the same reason."""
    found = [*_people(outcome, context), *_pilots(outcome, context)]
    return [m for m in found if (m.kind, m.key, m.mark) not in context.sent]


def _reachable(person: Person | None) -> bool:
    return person is not None and "@" in person.email and not person.no_reminder


# ---------------------------------------------------------------- silent people


def _people(outcome: Outcome, context: Context) -> Iterator[Mail]:
    book = outcome.book
    by_row = {p.row: p for p in book.people}
    people_tab = tab_title(book, "people")
    figures = outcome.figures.people
    last = dict(zip(figures["person"], figures["last_contribution"], strict=True))
    for anomaly in outcome.anomalies:
        person = by_row.get(anomaly.row or 0) if anomaly.tab == people_tab else None
        if anomaly.code != "person_silent" or person is None or not _reachable(person):
            continue
        since = last.get(person.name)
        start = since if isinstance(since, dt.date) else book.settings.period_start
        yield _person_mail(book, person, start, context)


def _person_mail(book: Book, person: Person, since: dt.date, context: Context) -> Mail:
    lang = book.lang
    where = (
        say(lang, "remind.plan.declare_them_here", l=context.link)
        if context.link
        else say(lang, "remind.plan.declare_them_spreadsheet", s=context.sheet)
    )  # fmt: skip
    body = say(
        lang,
        "remind.plan.hello_no_contribution_yours_has",
        name=person.name,
        sheet=context.sheet,
        since=display.date(since, lang),
        where=where,
    )
    subject = say(lang, "remind.plan.contributions_declare", sheet=context.sheet)  # fmt: skip
    return Mail(person.email, subject, body, "person", name_key(person.name), since.isoformat())


# ---------------------------------------------------------------- pilots' digests


def _pilots(outcome: Outcome, context: Context) -> Iterator[Mail]:
    book = outcome.book
    people = {name_key(p.name): p for p in book.people}
    errors = _errors_by_group(outcome)
    for _, group in outcome.figures.groups.iterrows():
        name = str(group["group"])
        pilot = next((g.pilot for g in book.groups if g.name == name), "")
        person = people.get(name_key(pilot)) if pilot else None
        rows = errors.get(name, [])
        if person is None or not _reachable(person) or (group["state"] == "ok" and not rows):
            continue
        yield _digest(book, person, group, rows, context)


def _errors_by_group(outcome: Outcome) -> dict[str, list[Anomaly]]:
    """Error anomalies by the group they concern: the group's own row in Groupes, and the
    contribution rows (tab or form) whose Groupe cell names it, as the parse read it."""
    book = outcome.book
    groups = {name_key(g.name): g.name for g in book.groups}
    rows = {g.row: g.name for g in book.groups}
    sources_tabs = {tab_title(book, key) for key in ("contributions", "responses")}
    errors = [a for a in outcome.anomalies if a.severity is Severity.ERROR and a.row is not None]
    read = rows_read(book, ((a.tab, a.row) for a in errors if a.tab in sources_tabs and a.row))
    found: dict[str, list[Anomaly]] = {}
    for anomaly in errors:
        if anomaly.tab == tab_title(book, "groups"):
            group = rows.get(anomaly.row or 0)
        elif (row := read.get((anomaly.tab, anomaly.row or 0))) is not None:
            group = groups.get(name_key(row.group))
        else:
            group = None
        if group is not None:
            found.setdefault(group, []).append(anomaly)
    return found


def _digest(
    book: Book, pilot: Person, group: pd.Series, rows: Sequence[Anomaly], context: Context
) -> Mail:
    lang, settings = book.lang, book.settings
    name, state = str(group["group"]), str(group["state"])
    label = load().enums["state"].label(state, lang)
    consumed, envelope = int(group["consumed"]), int(group["envelope"])
    figures = say(
        lang,
        "remind.plan.group_has_consumed_envelope_state",
        g=name,
        c=display.money(consumed, lang, settings.currency),
        e=display.money(envelope, lang, settings.currency),
        p=display.percent(consumed / envelope if envelope else 0, lang),
        s=label,
    )
    lines = [_row_line(a, lang) for a in rows]
    fix = (
        say(lang, "remind.plan.rows_fix") + "\n" + "\n".join(lines)
        if lines
        else say(lang, "remind.plan.no_row_error")
    )
    body = say(
        lang,
        "remind.plan.hello",
        pilot=pilot.name,
        figures=figures,
        fix=fix,
        where=say(lang, "remind.plan.spreadsheet", s=context.link or context.sheet),
    )
    subject = say(
        lang, "remind.plan.group_row_s_fix", sheet=context.sheet, g=name, s=label, n=len(lines)
    )
    mark = hashlib.sha256(f"{state}\n{chr(10).join(lines)}".encode()).hexdigest()[:16]
    return Mail(pilot.email, subject, body, "pilot", name_key(name), mark)


def _row_line(anomaly: Anomaly, lang: Lang) -> str:
    """- tab, row N, column: message"""
    return say(
        lang,
        "remind.plan.row",
        tab=anomaly.tab,
        row=anomaly.row,
        column=f", {anomaly.column}" if anomaly.column else "",
        message=anomaly.message,
    )
