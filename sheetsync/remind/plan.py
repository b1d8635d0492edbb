"""Who to remind and what to say, read from the computed books of one run: the people
the `person_silent` check found (with an email, not opted out, not yet reminded of this
silence), and the pilots of groups at the alert threshold, over, or with rows in error.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import pandas as pd

from sheetsync import cells, display
from sheetsync.books.checks import tab_title
from sheetsync.model import Anomaly, Book, Person, RawWorkbook, Severity
from sheetsync.remind.mail import Mail
from sheetsync.sync.pipeline import Outcome
from sheetsync.template import Lang, load
from sheetsync.text import name_key, tr


@dataclass(frozen=True)
class Context:
    """What the messages name: the spreadsheet, where to declare, what was already sent."""

    sheet: str  # the spreadsheet's name
    link: str  # the form, else the spreadsheet; "" when neither is known
    sent: frozenset[tuple[str, str, str]]  # (kind, key, mark) already sent


def mails(outcome: Outcome, raw: RawWorkbook, context: Context) -> list[Mail]:
    """Every reminder due, people first, then pilots, not yet sent for the same reason."""
    found = [*_people(outcome, context), *_pilots(outcome, raw, context)]
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
        tr(lang, "Déclarez-les ici : {l}", "Declare them here: {l}", l=context.link)
        if context.link
        else tr(lang, "Déclarez-les dans le tableur {s}.", "Declare them in the spreadsheet {s}.",
                s=context.sheet)
    )  # fmt: skip
    body = tr(
        lang,
        "Bonjour {name},\n\nAucune contribution de votre part n'est enregistrée dans {sheet} "
        "depuis le {since}.\n\nSi vous avez contribué depuis (réunions, ateliers, rédaction, "
        "tout temps donné à un groupe), déclarez chaque contribution : la date, le groupe, "
        "la durée en heures et, si vous en demandez un, le montant.\n\n{where}\n\n"
        "Pour ne plus recevoir ces relances, répondez à ce message.\n",
        "Hello {name},\n\nNo contribution of yours has been recorded in {sheet} since "
        "{since}.\n\nIf you have contributed since (meetings, workshops, writing, any time "
        "given to a group), declare each contribution: the date, the group, the hours and, "
        "if you ask for one, the amount.\n\n{where}\n\n"
        "To stop these reminders, reply to this message.\n",
        name=person.name,
        sheet=context.sheet,
        since=display.date(since, lang),
        where=where,
    )
    subject = tr(
        lang, "{sheet} : vos contributions à déclarer", "{sheet}: your contributions to declare",
        sheet=context.sheet,
    )  # fmt: skip
    return Mail(person.email, subject, body, "person", name_key(person.name), since.isoformat())


# ---------------------------------------------------------------- pilots' digests


def _pilots(outcome: Outcome, raw: RawWorkbook, context: Context) -> Iterator[Mail]:
    book = outcome.book
    people = {name_key(p.name): p for p in book.people}
    errors = _errors_by_group(outcome, raw)
    for _, group in outcome.figures.groups.iterrows():
        name = str(group["group"])
        pilot = next((g.pilot for g in book.groups if g.name == name), "")
        person = people.get(name_key(pilot)) if pilot else None
        rows = errors.get(name, [])
        if person is None or not _reachable(person) or (group["state"] == "ok" and not rows):
            continue
        yield _digest(book, person, group, rows, context)


def _errors_by_group(outcome: Outcome, raw: RawWorkbook) -> dict[str, list[Anomaly]]:
    """Error anomalies by the group they concern: the group's own row in Groupes, and the
    contribution rows (tab or form) whose Groupe cell names it."""
    book = outcome.book
    groups = {name_key(g.name): g.name for g in book.groups}
    rows = {g.row: g.name for g in book.groups}
    readers = {
        tab_title(book, key): _group_cell(raw, book, key) for key in ("contributions", "responses")
    }
    found: dict[str, list[Anomaly]] = {}
    for anomaly in outcome.anomalies:
        if anomaly.severity is not Severity.ERROR or anomaly.row is None:
            continue
        if anomaly.tab == tab_title(book, "groups"):
            group = rows.get(anomaly.row)
        elif anomaly.tab in readers:
            group = groups.get(name_key(readers[anomaly.tab](anomaly.row)))
        else:
            group = None
        if group is not None:
            found.setdefault(group, []).append(anomaly)
    return found


def _group_cell(raw: RawWorkbook, book: Book, key: str) -> Callable[[int], str]:
    """The Groupe cell of a sheet row of a contributions tab, as text ("" when none)."""
    sheet = raw.tabs.get(tab_title(book, key))
    header = book.headers.get(key, {}).get("group")
    titles = [cells.as_text(c) for c in sheet.rows[0]] if sheet and sheet.rows else []
    at = titles.index(header) if header in titles else None

    def cell(row: int) -> str:
        if sheet is None or at is None or row - 1 >= len(sheet.rows):
            return ""
        line = sheet.rows[row - 1]
        return cells.as_text(line[at]) if at < len(line) else ""

    return cell


def _digest(
    book: Book, pilot: Person, group: pd.Series, rows: Sequence[Anomaly], context: Context
) -> Mail:
    lang, settings = book.lang, book.settings
    name, state = str(group["group"]), str(group["state"])
    label = load().enums["state"].label(state, lang)
    consumed, envelope = int(group["consumed"]), int(group["envelope"])
    figures = tr(
        lang,
        "Le groupe « {g} » a consommé {c} sur une enveloppe de {e} ({p}) : état « {s} ».",
        "Group '{g}' has consumed {c} of an envelope of {e} ({p}): state '{s}'.",
        g=name,
        c=display.money(consumed, lang, settings.currency),
        e=display.money(envelope, lang, settings.currency),
        p=display.percent(consumed / envelope if envelope else 0, lang),
        s=label,
    )
    lines = [_row_line(a, lang) for a in rows]
    fix = (
        tr(lang, "Lignes à corriger :", "Rows to fix:") + "\n" + "\n".join(lines)
        if lines
        else tr(lang, "Aucune ligne en erreur.", "No row in error.")
    )
    body = tr(
        lang,
        "Bonjour {pilot},\n\n{figures}\n\n{fix}\n\n{where}\n",
        "Hello {pilot},\n\n{figures}\n\n{fix}\n\n{where}\n",
        pilot=pilot.name,
        figures=figures,
        fix=fix,
        where=tr(lang, "Le tableur : {s}", "The spreadsheet: {s}", s=context.link or context.sheet),
    )
    subject = tr(
        lang,
        "{sheet} : groupe « {g} » ({s}, {n} ligne(s) à corriger)",
        "{sheet}: group '{g}' ({s}, {n} row(s) to fix)",
        sheet=context.sheet,
        g=name,
        s=label,
        n=len(lines),
    )
    mark = hashlib.sha256(f"{state}\n{chr(10).join(lines)}".encode()).hexdigest()[:16]
    return Mail(pilot.email, subject, body, "pilot", name_key(name), mark)


def _row_line(anomaly: Anomaly, lang: Lang) -> str:
    """- tab, row N, column: message"""
    return tr(
        lang,
        "- {tab}, ligne {row}{column} : {message}",
        "- {tab}, row {row}{column}: {message}",
        tab=anomaly.tab,
        row=anomaly.row,
        column=f", {anomaly.column}" if anomaly.column else "",
        message=anomaly.message,
    )
