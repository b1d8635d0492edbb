"""The output tabs: the figures laid out as typed tables, titled and headed by the
template in the Book's language, one table per template output in its order.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping

import pandas as pd

from sheetsync.books.figures import alphabetical_key
from sheetsync.books.rules import SECONDS_PER_HOUR, Figures
from sheetsync.books.scenarios import scenario_rows
from sheetsync.model import TOTAL, Anomaly, Book, OutputTable
from sheetsync.template import LANGS, Tab, load

Record = Mapping[str, object]
# A record's key saying it is a total row (no column of the template has it).
TOTAL_FLAG = "_total"

Builder = Callable[[Book, Figures, list[Anomaly]], list[Record]]


def render(book: Book, figures: Figures, anomalies: list[Anomaly]) -> list[OutputTable]:
    """Every output table of the template, in the template's order."""
    return [
        _table(book, tab, BUILDERS[tab.key](book, figures, anomalies)) for tab in load().outputs
    ]


def _table(book: Book, tab: Tab, records: list[Record]) -> OutputTable:
    kinds = tuple(c.kind for c in tab.columns)
    rows = [tuple(_cell(c.kind, record.get(c.key)) for c in tab.columns) for record in records]
    return OutputTable(
        key=tab.key,
        title=tab.name(book.lang),
        header=tuple(c.name(book.lang) for c in tab.columns),
        kinds=kinds,
        rows=rows,
        currency=book.settings.currency,
        total_rows=tuple(at for at, record in enumerate(records) if record.get(TOTAL_FLAG)),
    )


def _cell(kind: str, value: object) -> object:
    """A value typed as OutputTable says for its column kind; None for a blank cell."""
    if value is None or value is pd.NA or value is pd.NaT or value == "":
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if kind in {"money", "integer"}:
        return int(value)  # type: ignore[call-overload]
    if kind in {"percent", "factor", "hours"}:
        return float(value)  # type: ignore[arg-type]
    if kind == "date":
        return value if isinstance(value, dt.date) else None
    return str(value)


def _label(enum: str, value: object, book: Book) -> str:
    return load().enums[enum].label(str(value), book.lang)


def _hours(seconds: object) -> float:
    hours: float = int(seconds) / SECONDS_PER_HOUR  # type: ignore[call-overload]
    return hours


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


# ---------------------------------------------------------------- groups


def group_summary(book: Book, figures: Figures, anomalies: list[Anomaly]) -> list[Record]:
    """One row per group in Groupes-tab order, then a Total row.

    The Total row sums the money columns and the hours; its consumed % is
    total consumed over total envelope; Contributors counts distinct people
    across all groups; Last contribution is the latest of all. State, Policy
    and Applied factor are per group only, so they are blank there.
    """
    records: list[Record] = [
        {
            **group,
            "state": _label("state", group["state"], book),
            "policy": _label("policy", group["policy"], book),
            "hours": _hours(group["seconds"]),
        }
        for group in _records(figures.groups)
    ]
    return [*records, _total(figures)]


def _total(figures: Figures) -> Record:
    groups = figures.groups
    counted = figures.rows[figures.rows["counted"]]
    money = ["envelope", "consumed", "pending", "remaining", "unpaid_valued", "projection"]
    sums = {column: int(groups[column].sum()) for column in money}
    dates = [d for d in groups["last_contribution"] if isinstance(d, dt.date)]
    return {
        TOTAL_FLAG: True,
        "group": TOTAL,
        **sums,
        "consumed_pct": sums["consumed"] / sums["envelope"] if sums["envelope"] else None,
        "hours": _hours(groups["seconds"].sum()),
        "contributors": counted["person"].map(str.casefold).nunique(),
        "last_contribution": max(dates, default=None),
    }


# ---------------------------------------------------------------- people


def people_summary(book: Book, figures: Figures, anomalies: list[Anomaly]) -> list[Record]:
    """Everyone of the People tab, and every unknown person with a row in the period.

    Sorted alphabetically ignoring case and accents. Jours = Heures / hours per day.
    """
    hours_per_day = float(book.settings.hours_per_day)
    people = sorted(_records(figures.people), key=lambda p: alphabetical_key(str(p["person"])))
    return [
        {
            **person,
            "retribution": _label("retribution", person["retribution"], book),
            "hours": _hours(person["seconds"]),
            "days": _hours(person["seconds"]) / hours_per_day,
            "groups": ", ".join(person["groups"]),  # type: ignore[arg-type]
        }
        for person in people
    ]


def people_by_group(book: Book, figures: Figures, anomalies: list[Anomaly]) -> list[Record]:
    """Each (person, group) pair with a counted row, by person then Groupes-tab order."""
    return [
        {**pair, "hours": _hours(pair["seconds"])} for pair in _records(figures.people_by_group)
    ]


def payouts(book: Book, figures: Figures, anomalies: list[Anomaly]) -> list[Record]:
    """Payees alphabetically; People lists who the payee is paid for."""
    return [
        {**payout, "people": ", ".join(payout["people"])}  # type: ignore[arg-type]
        for payout in _records(figures.payouts)
    ]


def monthly(book: Book, figures: Figures, anomalies: list[Anomaly]) -> list[Record]:
    """Month by month, groups in Groupes-tab order, with each group's running total."""
    return [{**month, "hours": _hours(month["seconds"])} for month in _records(figures.monthly)]


# ---------------------------------------------------------------- anomalies


def anomaly_rows(book: Book, figures: Figures, anomalies: list[Anomaly]) -> list[Record]:
    """Sorted by tab (input tabs in template order, then others by name), row, column.

    Tab-wide anomalies (no row) come before row ones, whole-row ones before
    cell ones; anomalies at the same place keep the order they were found in.
    """
    return [
        {
            "severity": _label("severity", anomaly.severity.value, book),
            "tab": anomaly.tab,
            "row": anomaly.row,
            "column": anomaly.column,
            "value": anomaly.value,
            "message": anomaly.message,
        }
        for anomaly in sorted(anomalies, key=anomaly_order(book))
    ]


def anomaly_order(book: Book) -> Callable[[Anomaly], tuple[object, ...]]:
    """The Anomalies tab's order: input tabs in template order, then by row and column."""
    inputs = [tab.key for tab in load().inputs]
    titles = {
        title: inputs.index(key) for key, title in _input_titles(book, inputs) if key in inputs
    }

    def key(anomaly: Anomaly) -> tuple[object, ...]:
        tab_rank = titles.get(anomaly.tab, len(inputs))
        return (
            tab_rank,
            anomaly.tab.casefold() if tab_rank == len(inputs) else "",
            anomaly.row is not None,
            anomaly.row or 0,
            anomaly.column is not None,
            (anomaly.column or "").casefold(),
        )

    return key


def _input_titles(book: Book, keys: Iterable[str]) -> list[tuple[str, str]]:
    """(input key, title) for the titles found in the sheet and the template's names."""
    template = load()
    named = [(key, template.input(key).name(lang)) for key in keys for lang in LANGS]
    found = list(book.titles.items())
    # Titles found in the sheet come last so they win when a dict is built from the pairs.
    return [*named, *found]


BUILDERS: dict[str, Builder] = {
    "group_summary": group_summary,
    "people_summary": people_summary,
    "people_by_group": people_by_group,
    "payouts": payouts,
    "monthly": monthly,
    "anomalies": anomaly_rows,
    "scenarios": scenario_rows,
}
