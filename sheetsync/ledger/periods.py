"""Periods (SPEC §12): the current one from the settings, the earlier ones from the
closings that ended them — what each froze, with the settings, envelopes and people of
its time, and the balances it carries into the next.

A closing records the period in force when it is made (`record`). A closing whose
period ended before the current period's start belongs to an earlier period; the
latest closing of that period ends it. Closings made before periods were recorded
have theirs inferred (`_inferred`, documented in docs/TREASURER.md).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from sheetsync.books import rules
from sheetsync.books.payouts import Carried
from sheetsync.books.rules import Figures
from sheetsync.ledger import closing_tab, history
from sheetsync.ledger.history import Summary
from sheetsync.ledger.state import Closing, Json, State
from sheetsync.model import TOTAL, Book, Group, Person, Policy, Retribution, Settings
from sheetsync.text import name_key

TopUps = tuple[tuple[str, int], ...]  # (person, cents of smoothing) at a year-end closing


# ---------------------------------------------------------------- a period as recorded


def record(book: Book, top_ups: TopUps) -> Json:
    """The period in force, as a closing records it: dates, settings, groups, people
    (no email), whether the closing reaches the period end and its smoothing top-ups."""
    settings = book.settings
    return {
        "start": settings.period_start.isoformat(),
        "end": settings.period_end.isoformat(),
        "settings": {f.name: _plain(getattr(settings, f.name)) for f in _setting_fields()},
        "groups": [
            [g.name, g.pilot, g.envelope, g.policy.value, g.daily_rate, g.row] for g in book.groups
        ],
        "people": [
            [p.name, p.retribution.value, p.billing_entity, p.payment_method, p.row]
            for p in book.people
        ],
        "top_ups": [[person, amount] for person, amount in top_ups],
    }


def _setting_fields() -> tuple[dataclasses.Field[Any], ...]:
    return dataclasses.fields(Settings)


def _plain(value: object) -> Json:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Fraction):
        return [value.numerator, value.denominator]
    return value


def _settings_of(raw: Json, current: Settings) -> Settings:
    """The settings a closing recorded; one it did not record (added by a later
    release) takes its current value, as an inferred period's settings do."""
    defaults = current
    values: dict[str, object] = {}
    for f in _setting_fields():
        if f.name not in raw:
            continue
        default, value = getattr(defaults, f.name), raw[f.name]
        if isinstance(default, dt.date):
            values[f.name] = dt.date.fromisoformat(value)
        elif isinstance(default, Fraction):
            values[f.name] = Fraction(int(value[0]), int(value[1]))
        else:
            values[f.name] = value
    return dataclasses.replace(defaults, **values)  # type: ignore[arg-type]


def _groups_of(raw: Json) -> tuple[Group, ...]:
    return tuple(
        Group(str(name), str(pilot), int(envelope), Policy(policy), rate, int(row))
        for name, pilot, envelope, policy, rate, row in raw
    )


def _people_of(raw: Json) -> tuple[Person, ...]:
    return tuple(
        Person(str(name), "", Retribution(retribution), str(entity), str(method), int(row))
        for name, retribution, entity, method, row in raw
    )


def is_year_end(closing: Closing) -> bool:
    """Whether the closing reaches its period's end (its tab then shares the surplus)."""
    if closing.period is not None:
        return closing.until >= dt.date.fromisoformat(closing.period["end"])
    surplus = _words(closing)["surplus"]
    return any(line and line[0] == surplus for line in closing.table)


def top_ups(closing: Closing) -> TopUps:
    """The smoothing top-ups of a year-end closing ((person, cents)); none otherwise."""
    if closing.period is not None:
        return tuple((str(p), int(a)) for p, a in closing.period.get("top_ups", ()))
    top_up = _words(closing)["top_up"]
    return tuple((str(line[1]), int(line[4] or 0)) for line in closing.table if line[0] == top_up)


def _words(closing: Closing) -> dict[str, str]:
    """The section words a closing tab of its language was written with."""
    return closing_tab.sections(closing.lang)


# ---------------------------------------------------------------- earlier periods


@dataclass(frozen=True, eq=False)
class Period:
    """An earlier period, as the closing that ended it froze it.

    book: the settings, groups and people of its time, its payments; rows: its frozen
    rows (rules.Figures.rows columns); low: the first day of its range (its start, or
    an earlier row or payment its closing froze). Its rows are decoded from the state
    only when asked for (ledger.history: an unchanged history never asks).
    """

    label: str
    start: dt.date
    end: dt.date
    closing: Closing
    # The Book of its time but its rows: the rows come with `book`.
    bare: Book
    after: dt.date | None  # the end of the period before it
    low: dt.date
    year_end: bool
    top_ups: TopUps

    @property
    def until(self) -> dt.date:
        return self.closing.until

    @functools.cached_property
    def rows(self) -> pd.DataFrame:
        return _since(self.closing.rows, self.after)

    @functools.cached_property
    def book(self) -> Book:
        payments = _since(self.closing.payments, self.after)
        return dataclasses.replace(self.bare, contributions=self.rows, payments=payments)

    def figures(self, carried: dict[str, Carried], *, full: bool = True) -> Figures:
        """Its books as frozen; payouts carry what the periods before it left due
        (not `full`: without people by group and months, see rules.figures_of)."""
        return rules.figures_of(
            self.book, self.rows, self.end, carried=carried, top_ups=self.top_ups, full=full
        )


@dataclass(frozen=True)
class Layers:
    """The closings of a state against the current period: the earlier periods,
    oldest first, and the current period's closing in force (None if none)."""

    history: tuple[Period, ...]
    active: Closing | None
    # What the last full sync found of these earlier periods (ledger.history), if kept.
    summary: Summary | None = None
    # What that summary depends on (history.key): None when it cannot be kept.
    key: str | None = None

    @property
    def history_until(self) -> dt.date | None:
        return self.history[-1].until if self.history else None

    @functools.cached_property
    def books(self) -> tuple[Figures, ...]:
        """Each earlier period's groups, people and payouts as frozen, each bringing
        forward the balances of the ones before it (computed once, when first asked)."""
        found: list[Figures] = []
        carried: dict[str, Carried] = {}
        for period in self.history:
            found.append(period.figures(carried, full=False))
            carried = balances(found[-1])
        return tuple(found)

    def full(self, period: Period) -> Figures:
        """An earlier period's whole books (`--period`), balances brought forward."""
        at = self.history.index(period)
        return period.figures(balances(self.books[at - 1]) if at else {})

    def carried(self) -> dict[str, Carried]:
        """Each payee's balance left by the earlier periods (by name key)."""
        if self.summary is not None:
            return self.summary.carried
        return balances(self.books[-1]) if self.books else {}

    def period(self, label: str) -> Period | None:
        return next((p for p in self.history if p.label == label), None)


def balances(figures: Figures) -> dict[str, Carried]:
    """What each payee is still due at the end of a period (Solde), for the next."""
    return {
        name_key(str(p["payee"])): Carried(
            str(p["payee"]), tuple(p["people"]), str(p["payment_method"]), int(p["balance"])
        )
        for p in figures.payouts.to_dict("records")
        if int(p["balance"])
    }


def layers(kept: State, book: Book) -> Layers:
    """The earlier periods and the current period's closing in force."""
    start = book.settings.period_start
    standing = sorted((c for c in kept.closings if c.reopened is None), key=lambda c: c.until)
    earlier = [c for c in standing if _period_end(c) < start]
    current = [c for c in standing if _period_end(c) >= start]
    wanted = history.key(earlier, book.lang)
    found = history.summary(kept.history, wanted)
    ended = tuple(_periods(earlier, book, found.lows if found else None))
    if found is not None and len(found.lows) != len(ended):
        ended, found = tuple(_periods(earlier, book)), None
    return Layers(ended, current[-1] if current else None, found, wanted)


def _period_end(closing: Closing) -> dt.date:
    """A recorded period's end; a closing without a record ends its period at its date."""
    if closing.period is None:
        return closing.until
    return dt.date.fromisoformat(closing.period["end"])


def _periods(
    earlier: Sequence[Closing], book: Book, lows: Sequence[dt.date] | None = None
) -> Iterable[Period]:
    """The closings of earlier periods grouped into periods, each ended by its latest
    (`lows`: their first days as a full sync found them, their rows left undecoded)."""
    groups: list[list[Closing]] = []
    for closing in earlier:
        last = groups[-1][-1] if groups else None
        if last is None or _ends_a_period(last, closing):
            groups.append([closing])
        else:
            groups[-1].append(closing)
    if lows is not None and len(lows) != len(groups):
        lows = None  # not these periods: `layers` starts again without them
    before: Period | None = None
    for at, group in enumerate(groups):
        before = _period(group[-1], before, book, lows[at] if lows else None)
        yield before


def _ends_a_period(last: Closing, following: Closing) -> bool:
    """Whether `following` starts a new period after `last`.

    Two recorded closings share a period when they recorded the same dates; an
    unrecorded one is followed in its period by a recorded one that starts on or
    before its date, or by an unrecorded one unless it reached its period's end.
    """
    if following.period is None:
        return last.period is not None or is_year_end(last)
    start = following.period["start"]
    if last.period is None:
        return dt.date.fromisoformat(start) > last.until
    return (last.period["start"], last.period["end"]) != (start, following.period["end"])


def _period(
    closing: Closing, before: Period | None, book: Book, low: dt.date | None = None
) -> Period:
    after = None if before is None else before.until
    if closing.period is not None:
        settings = _settings_of(closing.period["settings"], book.settings)
        groups = _groups_of(closing.period["groups"])
        people = _people_of(closing.period["people"])
    else:
        settings, groups, people = _inferred(closing, after, book)
    bare = dataclasses.replace(book, settings=settings, groups=groups, people=people, anomalies=())
    period = Period(
        label=closing.label,
        start=settings.period_start,
        end=settings.period_end,
        closing=closing,
        bare=bare,
        after=after,
        low=low or settings.period_start,
        year_end=is_year_end(closing),
        top_ups=top_ups(closing),
    )
    if low is None:
        frozen_dates = [d for d in (_first(period.rows), _first(period.book.payments)) if d]
        low = min([settings.period_start, *frozen_dates])
        if after is not None:
            low = max(low, after + dt.timedelta(days=1))
        period = dataclasses.replace(period, low=low)
    return period


def _inferred(
    closing: Closing, after: dt.date | None, book: Book
) -> tuple[Settings, tuple[Group, ...], tuple[Person, ...]]:
    """The period of a closing made before periods were recorded.

    It ends on the closing's date and starts a year before (or the day after the
    period before it, when later); its envelopes are those of its closing tab; the
    rest (pilots, policies, daily rates, people, other settings) is taken from the
    spreadsheet as it is now.
    """
    end = closing.until
    start = _year_before(end)
    if after is not None:
        start = max(start, after + dt.timedelta(days=1))
    settings = dataclasses.replace(book.settings, period_start=start, period_end=end)
    now = {g.name: g for g in book.groups}
    group_word = _words(closing)["group"]
    groups = []
    for line in closing.table:
        if line[0] != group_word or line[1] == TOTAL:
            continue
        name, envelope = str(line[1]), int(line[2] or 0)
        like = now.get(name, Group(name, "", 0, Policy.FLAG, None, 0))
        groups.append(dataclasses.replace(like, envelope=envelope))
    return settings, tuple(groups), book.people


def _year_before(end: dt.date) -> dt.date:
    """The first day of the year that ends on `end`."""
    try:
        previous = end.replace(year=end.year - 1)
    except ValueError:  # 29 February
        previous = end.replace(year=end.year - 1, day=28)
    return previous + dt.timedelta(days=1)


def _since(frame: pd.DataFrame, after: dt.date | None) -> pd.DataFrame:
    """The frame's rows dated after `after` (all of them when None)."""
    if after is None or frame.empty:
        return frame.reset_index(drop=True)
    dates = frame["date"].to_numpy()
    kept: pd.DataFrame = frame[~pd.isna(dates) & (dates > np.datetime64(after))]
    return kept.reset_index(drop=True)


def _first(frame: pd.DataFrame) -> dt.date | None:
    if frame.empty:
        return None
    first = pd.Timestamp(frame["date"].min())
    return None if pd.isna(first) else first.date()


# ---------------------------------------------------------------- the current period


def current_label(settings: Settings) -> str:
    """The current period's name: its year when it is a calendar year, else AAAA-AAAA."""
    start, end = settings.period_start, settings.period_end
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return str(start.year)
    return f"{start.year}-{end.year}"
