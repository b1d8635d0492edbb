"""`sheetsync remind`: one run of the books, the reminders due, sent (or shown with
--dry-run), and what was sent kept in the spreadsheet's state, so nobody is reminded
twice of the same silence. The run writes what a sync would write (with the reminders
sent in the state): a nightly job with `remind = true` syncs and reminds on one
computation of the books."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sheetsync import targets
from sheetsync.backends.base import Backend
from sheetsync.errors import MailError, NoSenderError, SheetsyncError
from sheetsync.ledger import closing, state
from sheetsync.messages import say
from sheetsync.remind import mail, plan
from sheetsync.remind.mail import Mail
from sheetsync.sync import pipeline
from sheetsync.template import Lang, load


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
    with pipeline.computed(backend, as_of, now=now) as outcome:
        return _remind(backend, target, outcome, dry_run=dry_run, now=now, environ=environ)


def _remind(
    backend: Backend,
    target: str,
    outcome: pipeline.Outcome,
    *,
    dry_run: bool,
    now: dt.datetime,
    environ: Mapping[str, str] | None,
) -> Reminded:
    """`remind` once the books are computed."""
    book = outcome.book
    kept = outcome.state
    assert kept is not None, "a full analysis always carries its state"  # not the fast path
    settings = book.settings
    link = settings.form_link or settings.sheet_link or _link(target)
    sent_before = frozenset((kind, key, mark) for kind, key, mark, _ in kept.reminders)
    context = plan.Context(backend.display_name, link, sent_before)
    due = tuple(plan.mails(outcome, context))
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
        backend.write(tables, outcome.book.lang)
    except (SheetsyncError, OSError) as error:
        if delivery.sent:
            raise mail.unrecorded_error(outcome.book.lang, delivery.sent, error) from error
        raise
    return True


def _link(target: str) -> str:
    """The spreadsheet's address people open: a Google spreadsheet's or an Airtable base's."""
    spreadsheet = targets.google_id(target)
    if spreadsheet:
        return f"https://docs.google.com/spreadsheets/d/{spreadsheet}"
    base = targets.airtable_id(target)
    return f"https://airtable.com/{base}" if base else ""


def _no_sender(lang: Lang) -> str:
    book = load()
    return say(
        lang,
        "remind.run.reminders_not_sent_add_setting",
        sender=book.setting("reminder_sender").name(lang),
        settings=book.input("settings").name(lang),
        anomalies=book.output("anomalies").name(lang),
    )


def as_text(found: Reminded, *, dry_run: bool) -> str:
    """The terminal's account: with --dry-run, every message in full."""
    lang = found.lang
    if dry_run:
        blocks = [
            say(lang, "remind.run.subject", to=m.to, subject=m.subject, body=m.body)
            for m in found.mails
        ]
        head = say(lang, "remind.run.dry_run_reminder_s_would", n=len(found.mails))
        return "\n\n".join([head, *blocks])
    return say(lang, "remind.run.reminder_s_sent", n=len(found.sent))
