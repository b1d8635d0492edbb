"""Checks on the computed figures and across rows, each a validator in one list.

Every validator takes (book, figures, as_of) and yields Anomaly records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from fractions import Fraction

import pandas as pd

from sheetsync import display, sources
from sheetsync.books import rules
from sheetsync.books.figures import State
from sheetsync.books.rules import Figures, ZeroReason
from sheetsync.messages import message, severity
from sheetsync.model import Anomaly, Book, Status
from sheetsync.sources import tab_title
from sheetsync.template import load
from sheetsync.text import name_key
from sheetsync.units import per_distinct_array, round_half_away

Validator = Callable[[Book, Figures, dt.date], Iterable[Anomaly]]
SECONDS_PER_DAY = 86_400


# ---------------------------------------------------------------- how cells read


def column_title(book: Book, tab: str, column: str) -> str | None:
    """The column header as found in the sheet; None when the column is absent."""
    return book.headers.get(tab, {}).get(column)


# What the messages show, through the one formatter (sheetsync.display).
def money_text(book: Book, cents: int) -> str:
    return display.money(cents, book.lang, book.settings.currency)


def date_text(book: Book, day: dt.date) -> str:
    return display.date(day, book.lang)


def number_text(book: Book, number: float, digits: int = 4) -> str:
    return display.decimal(number, book.lang, digits)


def hours_text(book: Book, seconds: int) -> str:
    return display.hours(seconds, book.lang)


def percent_text(book: Book, fraction: Fraction | float) -> str:
    return display.percent(fraction, book.lang)


def _contribution(
    book: Book, row: int, cell: tuple[str | None, str], text: str, *, code: str
) -> Anomaly:
    """An anomaly on a contribution row, located in its own tab (Contributions or the
    form's responses); cell = (column key or None, value as text)."""
    column, value = cell
    tab, number = sources.located(book, row)
    header = sources.header(book, row, column) if column else None
    return Anomaly(severity(code), tab, number, header, value, text, code)


def _day(value: object) -> dt.date:
    return pd.Timestamp(value).date()  # type: ignore[arg-type]


# ---------------------------------------------------------------- contribution rows


def outside_period(book: Book, figures: Figures, as_of: dt.date) -> Iterator[Anomaly]:
    """A row dated outside the period: left out of every figure."""
    contributions = book.contributions
    outside = contributions[~rules.in_period(contributions, book.settings)]
    start = date_text(book, book.settings.period_start)
    end = date_text(book, book.settings.period_end)
    names = load()
    where = {  # the settings to adjust, named as the template names them
        "period_start": names.setting("period_start").name(book.lang),
        "period_end": names.setting("period_end").name(book.lang),
        "settings": names.input("settings").name(book.lang),
    }
    for row, date in zip(outside["row"], outside["date"], strict=True):
        text = message("outside_period", book.lang, start=start, end=end, **where)
        cell = ("date", date_text(book, _day(date)))
        yield _contribution(book, int(row), cell, text, code="outside_period")


def uninvited_creative(book: Book, figures: Figures, as_of: dt.date) -> Iterator[Anomaly]:
    """Créa work is paid only on invitation, charged to the inviting group."""
    rows = figures.rows[figures.rows["zero_reason"] == ZeroReason.UNINVITED.value]
    text = message("creative_uninvited", book.lang)
    for row in rows["row"]:
        yield _contribution(book, int(row), ("invited_by", ""), text, code="creative_uninvited")


def rate_above_factor(book: Book, figures: Figures, as_of: dt.date) -> Iterator[Anomaly]:
    """A requested amount implying a daily rate above factor × the group's rate.

    requested / days > factor × rate, with days = seconds × hpd.den / (3600 × hpd.num),
    compared in whole numbers so no float decides.
    """
    hpd, factor = book.settings.hours_per_day, book.settings.rate_deviation_factor
    rows = figures.rows
    rows = rows[rows["counted"] & rows["requested"].notna() & (rows["seconds"].fillna(0) > 0)]
    asked = rows["requested"].astype("int64") * (3600 * hpd.numerator * factor.denominator)
    limit = rows["rate"] * rows["seconds"].astype("int64") * (factor.numerator * hpd.denominator)
    for _, row in rows[asked > limit].iterrows():
        daily = round_half_away(
            int(row["requested"]) * 3600 * hpd.numerator, int(row["seconds"]) * hpd.denominator
        )
        text = message(
            "rate_above",
            book.lang,
            daily=money_text(book, daily),
            factor=number_text(book, float(factor)),
            rate=money_text(book, int(row["rate"])),
        )
        value = money_text(book, int(row["requested"]))
        yield _contribution(book, int(row["row"]), ("requested", value), text, code="rate_above")


def duplicate_rows(book: Book, figures: Figures, as_of: dt.date) -> Iterator[Anomaly]:
    """Same date, person, group, hours, amount and description as an earlier row."""
    rows = book.contributions.sort_values("row", kind="stable")
    keys = pd.DataFrame(
        {
            "date": rows["date"],
            "person": _keys(rows["person"]),
            "group": _keys(rows["group"]),
            "seconds": rows["seconds"],
            "requested": rows["requested"],
            "description": _keys(rows["description"].fillna("").astype(str)),
            # Across the tab and the form, duplicates_across (parse) tells them apart.
            "source": rows["row"] >= sources.RESPONSE_ROWS,
        }
    )
    first = rows["row"].groupby([keys[c] for c in keys], dropna=False, sort=False).transform("min")
    for row, earlier in zip(
        rows["row"][rows["row"] != first], first[rows["row"] != first], strict=True
    ):
        text = message("duplicate", book.lang, earlier=sources.sheet_row(int(earlier)))
        yield _contribution(book, int(row), (None, ""), text, code="duplicate")


def over_24h_a_day(book: Book, figures: Figures, as_of: dt.date) -> Iterator[Anomaly]:
    """One person declaring more than 24 h on one day across rows (on the day's last row)."""
    rows = book.contributions
    rows = rows[(rows["status"] != Status.REJECTED.value) & rows["seconds"].notna()]
    rows = rows.assign(key=_keys(rows["person"]))
    totals = rows.groupby(["key", "date"]).agg(seconds=("seconds", "sum"), last=("row", "max"))
    over = totals[totals["seconds"] > SECONDS_PER_DAY]
    # Row lists only for the few days over 24 h: building them for every day is the slow part.
    flagged = rows.set_index(["key", "date"]).loc[over.index]
    over = over.assign(rows=flagged.groupby(level=[0, 1])["row"].agg(list))
    for _, total in over.iterrows():
        rows_text = ", ".join(sources.row_text(book, r) for r in sorted(total["rows"]))
        text = message("over_24h_day", book.lang, rows=rows_text)
        cell = ("hours", hours_text(book, int(total["seconds"])))
        yield _contribution(book, int(total["last"]), cell, text, code="over_24h_day")


def future_dates(book: Book, figures: Figures, as_of: dt.date) -> Iterator[Anomaly]:
    """A contribution dated after the day of the sync."""
    rows = book.contributions
    rows = rows[rows["date"] > pd.Timestamp(as_of)]
    text = message("future_date", book.lang, today=date_text(book, as_of))
    for row, date in zip(rows["row"], rows["date"], strict=True):
        cell = ("date", date_text(book, _day(date)))
        yield _contribution(book, int(row), cell, text, code="future_date")


# ---------------------------------------------------------------- payees and groups


def overpaid_payees(book: Book, figures: Figures, as_of: dt.date) -> Iterator[Anomaly]:
    """A payee paid more than is due (on the payee's last payment row)."""
    overpaid = figures.payouts[figures.payouts["balance"] < 0]
    for _, payout in overpaid.iterrows():
        code = "overpaid"
        text = message(
            code,
            book.lang,
            payee=payout["payee"],
            extra=money_text(book, -int(payout["balance"])),
            due=money_text(book, int(payout["payable"])),
            paid=money_text(book, int(payout["paid"])),
        )
        if forward := int(payout["brought_forward"]):
            carried = message("overpaid.carried", book.lang, forward=money_text(book, forward))
            text = f"{text} {carried}"
        last = payout["last_payment_row"]
        yield Anomaly(
            severity(code),
            tab_title(book, "payments"),
            None if pd.isna(last) else int(last),
            column_title(book, "payments", "amount"),
            money_text(book, int(payout["paid"])),
            text,
            code,
        )


def _group_anomaly(book: Book, group: pd.Series, text: str, code: str) -> Anomaly:
    """An anomaly located on the group's row of the Groupes tab, envelope column."""
    row = next((g.row for g in book.groups if g.name == group["group"]), None)
    return Anomaly(
        severity(code),
        tab_title(book, "groups"),
        row,
        column_title(book, "groups", "envelope"),
        money_text(book, int(group["envelope"])),
        text,
        code,
    )


def _policy_label(book: Book, policy: str) -> str:
    return load().enums["policy"].label(policy, book.lang)


def alert_threshold(book: Book, figures: Figures, as_of: dt.date) -> Iterator[Anomaly]:
    """A group at or above the alert threshold but not over its envelope.

    A group over its envelope gets the error below instead. When a pro-rata
    or first-come policy cut the payments, the message says by how much.
    """
    groups = figures.groups[figures.groups["state"] == State.WARNING.value]
    for _, group in groups.iterrows():
        text = message(
            "alert",
            book.lang,
            group=group["group"],
            pct=percent_text(book, float(group["consumed_pct"])),
            limit=percent_text(book, book.settings.alert_threshold),
        )
        if group["candidate"] > group["envelope"]:
            text += " " + _cut_note(book, group)
        yield _group_anomaly(book, group, text, "alert")


def _cut_note(book: Book, group: pd.Series) -> str:
    return message(
        "alert.cut",
        book.lang,
        asked=money_text(book, int(group["candidate"])),
        policy=_policy_label(book, str(group["policy"])),
        factor=number_text(book, float(group["applied_factor"])),
    )


def projection_above(book: Book, figures: Figures, as_of: dt.date) -> Iterator[Anomaly]:
    """At the pace so far, a group not yet over would pass its envelope by the period end."""
    groups = figures.groups
    groups = groups[(groups["projection"] > groups["envelope"]) & (groups["state"] != State.OVER)]
    for _, group in groups.iterrows():
        text = message(
            "projection_above",
            book.lang,
            group=group["group"],
            projection=money_text(book, int(group["projection"])),
        )
        yield _group_anomaly(book, group, text, "projection_above")


def over_envelope(book: Book, figures: Figures, as_of: dt.date) -> Iterator[Anomaly]:
    """A group whose payable exceeds its envelope (flag policy): nothing is left out."""
    groups = figures.groups[figures.groups["state"] == State.OVER.value]
    for _, group in groups.iterrows():
        text = message(
            "over_envelope",
            book.lang,
            group=group["group"],
            consumed=money_text(book, int(group["consumed"])),
            over=money_text(book, -int(group["remaining"])),
        )
        yield _group_anomaly(book, group, text, "over_envelope")


# ---------------------------------------------------------------- reminders


def silent_days(book: Book, last: object, as_of: dt.date) -> int | None:
    """Days without a contribution as of a day, or None when no reminder applies.

    Reminders run only while the period is under way (as_of within it) and
    when Jours avant relance is positive. With no contribution at all, the
    silence is counted from the period start.
    """
    settings = book.settings
    inside = settings.period_start <= as_of <= settings.period_end
    if not inside or settings.reminder_days <= 0:
        return None
    since = last if isinstance(last, dt.date) else settings.period_start
    days = (as_of - since).days
    return days if days >= settings.reminder_days else None


def silent_groups(book: Book, figures: Figures, as_of: dt.date) -> Iterator[Anomaly]:
    """A group with no contribution for `reminder_days` days."""
    for _, group in figures.groups.iterrows():
        days = silent_days(book, group["last_contribution"], as_of)
        if days is None:
            continue
        code = "group_silent"
        text = message(code, book.lang, group=group["group"], days=days)
        row = next((g.row for g in book.groups if g.name == group["group"]), None)
        header = column_title(book, "groups", "group")
        tab = tab_title(book, "groups")
        yield Anomaly(severity(code), tab, row, header, group["group"], text, code)


def silent_people(book: Book, figures: Figures, as_of: dt.date) -> Iterator[Anomaly]:
    """A person of the People tab with no contribution for `reminder_days` days."""
    last = dict(zip(figures.people["person"], figures.people["last_contribution"], strict=True))
    for person in book.people:
        days = silent_days(book, last.get(person.name), as_of)
        if days is None:
            continue
        code = "person_silent"
        text = message(code, book.lang, person=person.name, days=days)
        header = column_title(book, "people", "person")
        tab = tab_title(book, "people")
        yield Anomaly(severity(code), tab, person.row, header, person.name, text, code)


VALIDATORS: tuple[Validator, ...] = (
    outside_period,
    uninvited_creative,
    rate_above_factor,
    duplicate_rows,
    over_24h_a_day,
    future_dates,
    overpaid_payees,
    alert_threshold,
    projection_above,
    over_envelope,
    silent_groups,
    silent_people,
)


def run(book: Book, figures: Figures, as_of: dt.date) -> list[Anomaly]:
    """Every validator's anomalies, in the order of VALIDATORS."""
    return [anomaly for validate in VALIDATORS for anomaly in validate(book, figures, as_of)]


def _keys(column: pd.Series) -> pd.Series:
    """Each value's name key, computed once per distinct value."""
    return pd.Series(per_distinct_array(column, name_key, object), index=column.index)
