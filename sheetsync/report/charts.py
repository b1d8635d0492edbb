"""The native charts of the output tabs, described once (model.ChartSpec) for both
backends: consumed vs envelope on the group summary, cumulative consumption on Monthly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import cache

from sheetsync import template
from sheetsync.formats import column_letter
from sheetsync.model import Book, ChartSpec, OutputTable
from sheetsync.template import Lang, load

CHART_DATA_KEY = "chart_data"


@cache
def _names() -> dict[str, str]:
    names: dict[str, str] = template.definition()["charts"]
    return names


def chart_name(key: str, lang: Lang) -> str:
    """A chart title or chart-data header from the template's [charts] table."""
    return _names()[f"{key}_{lang}"]


def beside(table: OutputTable) -> str:
    """The anchor of a chart on a table's tab: row 2, one empty column to its right."""
    return f"{column_letter(len(table.header) + 1)}2"


def below(table: OutputTable) -> str:
    """The anchor of a chart under a table, one empty row after it, in column A.

    For a wide table: beside it, the chart would sit off-screen.
    """
    return f"A{len(table.rows) + 3}"


def _header(key: str, column: str, lang: Lang) -> str:
    return load().output(key).column(column).name(lang)


def group_chart(table: OutputTable, lang: Lang) -> ChartSpec:
    """Consumed vs envelope per group, as bars; the Total row is left out."""
    return ChartSpec(
        kind="bar",
        title=chart_name("groups_title", lang),
        category=_header("group_summary", "group", lang),
        values=(
            _header("group_summary", "envelope", lang),
            _header("group_summary", "consumed", lang),
        ),
        rows=max(len(table.rows) - 1, 0),
        anchor=below(table),
    )


def _months(first: str, last: str) -> list[str]:
    """Every "YYYY-MM" month from first to last, both included."""
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def chart_data(book: Book, monthly: OutputTable) -> OutputTable:
    """Month by month, each group's cumulative consumption as a share of its envelope.

    One column per group seen on Monthly, in order of first appearance, then
    a constant 100 % line for the envelope. A month without rows carries the
    group's total forward; a group with no envelope has blank cells. The
    shape depends on Monthly alone, so Monthly's chart spec follows from it.
    """
    envelopes = {g.name: g.envelope for g in book.groups}
    groups = list(dict.fromkeys(str(row[1]) for row in monthly.rows))
    months = _months(str(monthly.rows[0][0]), str(monthly.rows[-1][0])) if monthly.rows else []
    cumulative = {(str(row[0]), str(row[1])): int(row[4]) for row in monthly.rows}  # type: ignore[call-overload]
    running = dict.fromkeys(groups, 0)
    rows: list[tuple[object, ...]] = []
    for month in months:
        for group in groups:
            running[group] = cumulative.get((month, group), running[group])
        shares = [running[g] / envelopes[g] if envelopes.get(g) else None for g in groups]
        rows.append((month, *shares, 1.0))
    header = (chart_name("month", book.lang), *groups, chart_name("envelope_line", book.lang))
    return OutputTable(
        key=CHART_DATA_KEY,
        title=chart_name("data", book.lang),
        header=header,
        kinds=("text", *("percent",) * (len(groups) + 1)),
        rows=rows,
        currency=monthly.currency,
        hidden=True,  # the charts show it; the tab bar need not
    )


def monthly_chart(monthly: OutputTable, data: OutputTable, lang: Lang) -> ChartSpec:
    """Cumulative consumption per group against the envelope line, drawn on Monthly."""
    return ChartSpec(
        kind="line",
        title=chart_name("monthly_title", lang),
        category=data.header[0],
        values=data.header[1:],
        rows=len(data.rows),
        anchor=beside(monthly),
        source=data.title,
        percent=True,
    )


def with_charts(book: Book, tables: Sequence[OutputTable]) -> list[OutputTable]:
    """The tables with their charts, and the chart-data tab after them.

    Nothing is drawn over an empty table: a chart with no data only confuses.
    """
    by_key = {t.key: t for t in tables}
    monthly = by_key.get("monthly")
    data = chart_data(book, monthly) if monthly is not None else None
    charted: list[OutputTable] = []
    for table in tables:
        charts: tuple[ChartSpec, ...] = ()
        if table.key == "group_summary" and len(table.rows) > 1:
            charts = (group_chart(table, book.lang),)
        elif table.key == "monthly" and data is not None and data.rows:
            charts = (monthly_chart(table, data, book.lang),)
        charted.append(replace(table, charts=charts) if charts else table)
    return [*charted, data] if data is not None else charted
