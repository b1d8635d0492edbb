"""`sheetsync remind`: one run of the books, the reminders due, sent (or shown with
--dry-run), and what was sent kept in the spreadsheet's state, so nobody is reminded
twice of the same silence. The run writes what a sync would write (with the reminders
sent in the state): a nightly job with `remind = true` syncs and reminds on one
computation of the books."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass

from sheetsync import targets
from sheetsync.backends.base import Backend
from sheetsync.errors import MailError, NoSenderError, SheetsyncError
from sheetsync.ledger import closing, frames, state
from sheetsync.model import OutputTable
from sheetsync.remind import mail, plan
from sheetsync.remind.mail import Mail
from sheetsync.sync import pipeline
from sheetsync.template import Lang
from sheetsync.text import tr


@dataclass(frozen=True)
class Reminded:
    """What a remind run found and did."""

    lang: Lang
    mails: tuple[Mail, ...]  # every reminder due
    sent: tuple[Mail, ...]  # those sent (none with --dry-run)
    sender: str
    reply_to: str
    outcome: pipeline.Outcome  # the run's books; written when a sync would write


def remind(
    backend: Backend,
    target: str,
    as_of: dt.date,
    *,
    dry_run: bool = False,
    now: dt.datetime | None = None,
    environ: Mapping[str, str] | None = None,
) -> Reminded:
    """Compute the books, send the reminders due, record those sent; raises MailError
    (exit 4) when the server is down, refused some or dropped the connection, after
    recording every one it took."""
    now = now or dt.datetime.now().astimezone()
    raw, outcome = pipeline.analyse(backend, as_of, now=now)
    book = outcome.book
    kept = _state(outcome.table("state"))
    settings = book.settings
    link = settings.form_link or settings.sheet_link or _google_link(target)
    sent_before = frozenset((kind, key, mark) for kind, key, mark, _ in kept.reminders)
    context = plan.Context(backend.display_name, link, sent_before)
    due = tuple(plan.mails(outcome, raw, context))
    sender = settings.reminder_sender
    reply_to = settings.reminder_reply_to
    found = Reminded(book.lang, due, (), sender, reply_to, outcome)
    if dry_run:
        return found
    if due and not sender:
        raise NoSenderError(_no_sender(book.lang))
    try:
        delivery = _send(due, sender, reply_to, book.lang, environ)
    except MailError:
        _record(backend, outcome, kept, mail.Delivery(()), now)  # the sync's part still holds
        raise
    written = _record(backend, outcome, kept, delivery, now)
    if delivery.interrupted:
        raise KeyboardInterrupt  # the ones sent are recorded: stop as asked
    failure = mail.failure(book.lang, delivery)
    if failure is not None:
        raise failure
    outcome = dataclasses.replace(outcome, written=written)
    return dataclasses.replace(found, sent=delivery.sent, outcome=outcome)


def _send(
    due: tuple[Mail, ...], sender: str, reply_to: str, lang: Lang, environ: Mapping[str, str] | None
) -> mail.Delivery:
    """What became of the reminders due; MailError when the server is down (none sent)."""
    if not due:
        return mail.Delivery(())
    return mail.send(mail.smtp_settings(lang, environ), due, sender, reply_to, lang)


def _record(
    backend: Backend,
    outcome: pipeline.Outcome,
    kept: state.State,
    delivery: mail.Delivery,
    now: dt.datetime,
) -> bool:
    """Write what a sync writes, with every reminder sent in the state, whatever became
    of the others; whether anything was written. A write that fails once mails are
    sent says who was mailed and is not recorded."""
    tables = [t for t in outcome.tables if t.title in outcome.changed]
    if delivery.sent:
        marks = tuple((m.kind, m.key, m.mark, closing.stamp(now)) for m in delivery.sent)
        updated = dataclasses.replace(kept, reminders=(*kept.reminders, *marks))
        tables = [t for t in tables if t.key != "state"] + [state.table(updated)]
    if not tables:
        return False
    try:
        backend.write(tables)
    except (SheetsyncError, OSError) as error:
        if delivery.sent:
            raise mail.unrecorded_error(outcome.book.lang, delivery.sent, error) from error
        raise
    return True


def _state(table: OutputTable) -> state.State:
    """The state the run would write (journal included), read back from its tab."""
    text = "".join(str(chunk) for _, chunk in sorted(table.rows, key=lambda r: int(str(r[0]))))
    return state.from_json(json.loads(frames.unpack(text)))


def _google_link(target: str) -> str:
    spreadsheet = targets.google_id(target)
    return f"https://docs.google.com/spreadsheets/d/{spreadsheet}" if spreadsheet else ""


def _no_sender(lang: Lang) -> str:
    return tr(
        lang,
        "Relances non envoyées : ajoutez le paramètre « Expéditeur des relances » (l'adresse "
        "d'envoi, une seule) à l'onglet Paramètres, ou corrigez-le (voir l'onglet Anomalies).",
        "Reminders not sent: add the setting 'Reminder sender' (the address to send from, "
        "one only) to the Settings tab, or correct it (see the Anomalies tab).",
    )


def as_text(found: Reminded, *, dry_run: bool) -> str:
    """The terminal's account: with --dry-run, every message in full."""
    lang = found.lang
    if dry_run:
        blocks = [
            tr(
                lang,
                "À : {to}\nObjet : {subject}\n\n{body}",
                "To: {to}\nSubject: {subject}\n\n{body}",
                to=m.to,
                subject=m.subject,
                body=m.body,
            )
            for m in found.mails
        ]
        head = tr(
            lang,
            "Simulation : {n} relance(s) seraient envoyées ; rien n'est envoyé ni noté.",
            "Dry run: {n} reminder(s) would be sent; nothing is sent or recorded.",
            n=len(found.mails),
        )
        return "\n\n".join([head, *blocks])
    return tr(
        lang,
        "{n} relance(s) envoyée(s).",
        "{n} reminder(s) sent.",
        n=len(found.sent),
    )
