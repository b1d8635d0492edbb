"""`sheetsync publish`: the public page (index.html) and its open data (budget.json) of a
period, from the books of one run (SPEC §13), written only when their bytes change; and
the warnings to read first, for each group whose public consumed is one person's amount.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from sheetsync import display
from sheetsync.backends.base import Backend
from sheetsync.ledger import periods
from sheetsync.messages import say
from sheetsync.report import page, public
from sheetsync.report.statement import network_name
from sheetsync.sync import pipeline
from sheetsync.sync.pipeline import Outcome
from sheetsync.template import Lang

FORMAT = "sheetsync-budget/1"  # the version of budget.json's layout (docs/PUBLISH.md)
PAGE_FILE = "index.html"
DATA_FILE = "budget.json"
DEFAULT_DIRECTORY = "publication"


@dataclass(frozen=True)
class Published:
    """What a publication holds, and what the treasurer should check before sharing it."""

    lang: Lang
    html: bytes
    data: bytes
    warnings: tuple[str, ...]

    def files(self) -> dict[str, bytes]:
        return {PAGE_FILE: self.html, DATA_FILE: self.data}


def from_outcome(outcome: Outcome, backend: Backend | None, period: str | None = None) -> Published:
    """The publication of a computed run (not a fast one: its books are needed), of the
    current period or of an earlier one by its label."""
    book, figures, _ = outcome.period(period)
    current = outcome.book
    lang: Lang = current.lang
    label = period or periods.current_label(current.settings)
    closed = period is not None and book is not current
    earlier = public.earlier_periods(
        current, outcome.figures, outcome.layers, book.settings.period_start
    )
    consent = public.consenting(current.people)  # consent is today's, whatever the period
    found = public.Books(book, figures, label, consent, earlier, closed)
    network = network_name(current, backend) or say(lang, "report.publish.contributive_budget")
    publication = public.build(found, network, lang)
    lone = public.lone_payees(figures, consent)
    return Published(
        lang,
        page.to_html(publication).encode("utf-8"),
        to_json(publication).encode("utf-8"),
        tuple(
            _lone_warning(lang, group, person, cents, book.settings.currency)
            for group, person, cents in lone
        ),
    )


def publish(backend: Backend, as_of: dt.date, period: str | None = None) -> Published:
    """Read and compute the spreadsheet (writing nothing to it); its publication."""
    with pipeline.computed(backend, as_of) as outcome:
        return from_outcome(outcome, backend, period)


def write(published: Published, directory: Path) -> tuple[str, ...]:
    """Write the files into `directory` (created if need be), each replaced atomically and
    only when its bytes differ; the names of the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in published.files().items():
        path = directory / name
        if path.is_file() and path.read_bytes() == content:
            continue
        handle, temporary = tempfile.mkstemp(prefix=f".{name}.", dir=directory)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(content)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, 0o644)  # a page for everyone to read
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        written.append(name)
    return tuple(written)


def _lone_warning(lang: Lang, group: str, person: str, cents: int, currency: str) -> str:
    return say(
        lang,
        "report.publish.group_all_consumed_goes_one",
        g=group,
        p=person,
        a=display.money(cents, lang, currency),
    )


# ---------------------------------------------------------------- budget.json


def _percent(value: Fraction) -> float:
    """A share of the settings as a percentage, to 4 decimals (80 for 80 %)."""
    return round(float(value * 100), 4)


def data(publication: public.Publication) -> dict[str, object]:
    """The publication as plain data: cents, seconds, ISO dates (docs/PUBLISH.md)."""
    p, t = publication, publication.totals
    return {
        "format": FORMAT,
        "network": p.network,
        "language": p.lang,
        "currency": p.currency,
        "period": {
            "label": p.label,
            "start": p.start.isoformat(),
            "end": p.end.isoformat(),
            "as_of": p.as_of.isoformat(),
            "days": p.period_days,
            "elapsed_days": p.elapsed_days,
            "closed": p.closed,
        },
        "totals": {
            "envelope": t.envelope,
            "consumed": t.consumed,
            "pending": t.pending,
            "remaining": t.remaining,
            "unpaid_valued": t.unpaid_valued,
            "seconds": t.seconds,
            "contributors": t.contributors,
        },
        "groups": [
            {
                "name": g.name,
                "pilot": g.pilot,
                "envelope": g.envelope,
                "consumed": g.consumed,
                "pending": g.pending,
                "remaining": g.remaining,
                "state": g.state,
                "seconds": g.seconds,
                "contributors": g.contributors,
                "unpaid_valued": g.unpaid_valued,
                "projection": g.projection,
                "policy": g.policy,
                "daily_rate": g.daily_rate,
            }
            for g in p.groups
        ],
        "months": [
            {"month": m.month, "consumed": m.consumed, "cumulative": m.cumulative} for m in p.months
        ],
        "payments": {
            **_money_line(p.payments),
            "by_method": [{"method": m.method or None, **_money_line(m)} for m in p.by_method],
        },
        "people": [
            {"name": x.name, "groups": list(x.groups), "seconds": x.seconds, "payable": x.payable}
            for x in p.people
        ],
        "earlier_periods": [
            {
                "label": e.label,
                "start": e.start.isoformat(),
                "end": e.end.isoformat(),
                "envelope": e.envelope,
                "consumed": e.consumed,
                "remaining": e.remaining,
                "surplus": e.surplus,
                "commons": e.commons,
                "smoothing": e.smoothing,
                "unallocated": e.unallocated,
                "sha256": e.checksum,
            }
            for e in p.earlier
        ],
        "rules": {
            "reference_daily_rate": p.rules.reference_rate,
            "hours_per_day": float(p.rules.hours_per_day),
            "coordination_paid": p.rules.coordination_paid,
            "validation_required": p.rules.validation_required,
            "creative_on_invitation": True,
            "alert_threshold_percent": _percent(p.rules.alert_threshold),
            "surplus_commons_percent": _percent(p.rules.surplus_commons),
            "surplus_smoothing_percent": _percent(p.rules.surplus_smoothing),
        },
    }


def _money_line(line: public.MoneyLine) -> dict[str, int]:
    return {
        "payees": line.payees,
        "brought_forward": line.brought_forward,
        "payable": line.payable,
        "paid": line.paid,
        "balance": line.balance,
    }


def to_json(publication: public.Publication) -> str:
    """budget.json's text: keys in a fixed order, UTF-8, one trailing newline."""
    return json.dumps(data(publication), ensure_ascii=False, indent=2) + "\n"
