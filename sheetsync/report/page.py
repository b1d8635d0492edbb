"""The public page (SPEC §13) as one self-contained HTML file: styles inline, charts as
inline SVG with the same numbers in a table, no script, nothing fetched; readable on a
phone and printable. Every text that comes from a cell is escaped.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from sheetsync import display
from sheetsync.messages import say
from sheetsync.model import TOTAL
from sheetsync.report import page_parts, svg
from sheetsync.report.page_parts import Cell, day, lang_of, money, para, section, table
from sheetsync.report.public import GroupLine, Publication
from sheetsync.report.rules_text import rule_lines
from sheetsync.template import Lang

STYLE = (
    "body{font:16px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
    "color:#1a1a1a;background:#fff;margin:0}"
    "header,main,footer{max-width:72rem;margin:0 auto;padding:0 1rem}"
    "h1{font-size:1.6rem;margin:1rem 0 .25rem;overflow-wrap:anywhere}"
    "h2{font-size:1.25rem;margin:1.5rem 0 .5rem;border-bottom:2px solid #1f4e79}"
    "p{margin:.3rem 0}"
    ".keys{display:grid;grid-template-columns:repeat(auto-fill,minmax(9.5rem,1fr));"
    "gap:.5rem;margin:0;padding:0}"
    ".keys div{border:1px solid #bbb;border-radius:4px;padding:.35rem .6rem}"
    ".keys dt{font-size:.85rem;color:#333}.keys dd{margin:0;font-size:1.15rem;font-weight:600}"
    ".scroll{overflow-x:auto;margin:.5rem 0}"
    "table{border-collapse:collapse;width:100%;font-size:.9rem}"
    "th,td{border-bottom:1px solid #bbb;padding:.25rem .4rem;text-align:left;vertical-align:top}"
    ".n{text-align:right;white-space:nowrap}tfoot th,tfoot td{font-weight:700}"
    "figure{margin:.5rem 0}svg{display:block;width:100%;max-width:32rem;height:auto}"
    "code{overflow-wrap:anywhere;font-size:.78rem}.note{font-size:.92rem}"
    "@media print{body{font-size:9.5pt}h1{font-size:15pt}h2{font-size:12pt;margin-top:.8rem;"
    "break-after:avoid}table,figure,dl{break-inside:avoid}.scroll{overflow:visible}"
    "svg{max-width:30rem}}"
    "@page{size:A4;margin:12mm}"
)

# ---------------------------------------------------------------- the head


def title(page: Publication) -> str:
    return say(lang_of(page), "report.page.title", n=page.network, p=page.label)


def _head(page: Publication) -> str:
    lang = lang_of(page)
    period = say(
        lang,
        "report.page.period",
        s=day(page.start, page),
        e=day(page.end, page),
        a=day(page.as_of, page),
    )
    lines = [f"<h1>{escape(page.network)}</h1>", para(period)]
    if page.closed:
        lines.append(para(say(lang, "report.page.closed_period_figures_those_closing")))
    return "<header>" + "".join(lines) + "</header>"


def _keys(page: Publication) -> str:
    lang, totals = lang_of(page), page.totals
    share = totals.consumed / totals.envelope if totals.envelope else 0.0
    gone = page.elapsed_days / page.period_days if page.period_days else 0.0
    items = [
        (say(lang, "report.page.envelopes"), money(totals.envelope, page)),
        (say(lang, "report.page.consumed"), money(totals.consumed, page)),
        (say(lang, "report.page.remaining"), money(totals.remaining, page)),
        (say(lang, "report.page.share_consumed"), display.percent(share, lang)),
        (
            say(lang, "report.page.share_period_elapsed"),
            display.percent(gone, lang),
        ),
        (say(lang, "report.page.contributors"), str(totals.contributors)),
        (say(lang, "report.page.hours"), display.hours(totals.seconds, lang)),
    ]
    if totals.pending:
        items.insert(
            2,
            (
                say(lang, "report.page.awaiting_validation"),
                money(totals.pending, page),
            ),
        )
    tiles = "".join(
        f"<div><dt>{escape(label)}</dt><dd>{escape(value)}</dd></div>" for label, value in items
    )
    volunteer = say(
        lang,
        "report.page.unpaid_time_valued_volunteering_reference",
        v=money(totals.unpaid_valued, page),
    )
    heading = say(lang, "report.page.key_figures")
    return section("keys", heading, f'<dl class="keys">{tiles}</dl>', para(volunteer))


# ---------------------------------------------------------------- groups


def state_words(state: str, lang: Lang) -> str:
    words = {
        "ok": say(lang, "report.page.within_envelope"),
        "warning": say(lang, "report.page.alert_threshold_reached"),
        "over": say(lang, "report.page.envelope_exceeded"),
    }
    return words.get(state, state)


def _share(group: GroupLine) -> float:
    if group.envelope:
        return group.consumed / group.envelope
    return 1.0 if group.consumed else 0.0


def _groups(page: Publication) -> str:
    lang = lang_of(page)
    pct = [display.percent(_share(g), lang) for g in page.groups]
    chart = svg.bars(
        "chart-groups",
        [svg.Bar(g.name, _share(g), g.state, p) for g, p in zip(page.groups, pct, strict=True)],
        say(lang, "report.page.consumed_group_share_envelope"),
        say(lang, "report.page.one_bar_per_group_dashed"),
        say(lang, "report.page.envelope"),
    )
    pilots = any(g.pilot for g in page.groups)
    pending = any(g.pending for g in page.groups)
    header: list[Cell] = [(say(lang, "report.page.group"), False)]
    header += [(say(lang, "report.page.pilot"), False)] if pilots else []
    header += [
        (say(lang, "report.page.envelope_2"), True),
        (say(lang, "report.page.consumed"), True),
    ]
    header += [(say(lang, "report.page.pending"), True)] if pending else []
    header += [
        (say(lang, "report.page.remaining"), True),
        ("%", True),
        (say(lang, "report.page.state"), False),
        (say(lang, "report.page.hours"), True),
        (say(lang, "report.page.contributors"), True),
        (say(lang, "report.page.unpaid_valued_time"), True),
    ]
    rows = []
    for group, share in zip(page.groups, pct, strict=True):
        line: list[Cell] = [(group.name, False)]
        line += [(group.pilot or "—", False)] if pilots else []
        line += [(money(group.envelope, page), True), (money(group.consumed, page), True)]
        line += [(money(group.pending, page), True)] if pending else []
        line += [
            (money(group.remaining, page), True),
            (share, True),
            (state_words(group.state, lang), False),
            (display.hours(group.seconds, lang), True),
            (str(group.contributors), True),
            (money(group.unpaid_valued, page), True),
        ]
        rows.append(line)
    t = page.totals
    total: list[Cell] = [(TOTAL, False)] + ([("", False)] if pilots else [])
    total += [(money(t.envelope, page), True), (money(t.consumed, page), True)]
    total += [(money(t.pending, page), True)] if pending else []
    share = display.percent(t.consumed / t.envelope, lang) if t.envelope else ""
    total += [(money(t.remaining, page), True), (share, True), ("", False)]
    total += [(display.hours(t.seconds, lang), True), (str(t.contributors), True)]
    total += [(money(t.unpaid_valued, page), True)]
    figure = f"<figure>{chart}</figure>"
    heading = say(lang, "report.page.groups")
    return section("groups", heading, figure, table("groups", header, rows, total))


# ---------------------------------------------------------------- months


def period_months(start: dt.date, end: dt.date) -> list[str]:
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _months(page: Publication) -> str:
    lang = lang_of(page)
    months = period_months(page.start, page.end)
    by_month = {m.month: m.cumulative for m in page.months}
    reached = max([page.as_of.strftime("%Y-%m"), *by_month])
    values: list[int | None] = []
    running = 0
    for month in months:
        running = by_month.get(month, running)
        values.append(running if month <= reached else None)
    chart = svg.cumulative(
        "chart-months",
        months,
        values,
        page.totals.envelope,
        say(lang, "report.page.cumulative_consumption_month_month"),
        say(lang, "report.page.line_cumulative_consumption_all_groups"),
        (
            say(lang, "report.page.envelopes_2", v=money(page.totals.envelope, page)),
            say(lang, "report.page.no_envelope"),
        ),
    )
    header: list[Cell] = [
        (say(lang, "report.page.month"), False),
        (say(lang, "report.page.consumed"), True),
        (say(lang, "report.page.cumulative_consumed"), True),
    ]
    rows: list[list[Cell]] = [
        [(m.month, False), (money(m.consumed, page), True), (money(m.cumulative, page), True)]
        for m in page.months
    ]
    parts = [f"<figure>{chart}</figure>"]
    if rows:
        parts.append(table("months", header, rows))
    else:
        parts.append(para(say(lang, "report.page.nothing_consumed_yet")))
    heading = say(lang, "report.page.consumption_month_month")
    return section("months", heading, *parts)


def _rules(page: Publication) -> str:
    lang = lang_of(page)
    items = "".join(f"<li>{escape(line)}</li>" for line in rule_lines(page, lang))
    heading = say(lang, "report.page.rules_force")
    return section("rules", heading, f"<ul>{items}</ul>")


def _privacy(page: Publication) -> str:
    lang = lang_of(page)
    text = say(lang, "report.page.group_figures_public_budget_lines")
    heading = say(lang, "report.page.privacy")
    return section("privacy", heading, para(text))


def _footer(page: Publication) -> str:
    lang = lang_of(page)
    text = say(lang, "report.page.page_made_sheetsync_spreadsheet_s", file="budget.json")
    link = escape(text).replace("budget.json", '<a href="budget.json">budget.json</a>', 1)
    return f'<footer><p class="note">{link}</p></footer>'


def to_html(page: Publication) -> str:
    """The whole page: the same publication gives the same bytes."""
    sections = (
        _keys(page),
        _groups(page),
        _months(page),
        page_parts.payments(page),
        page_parts.people(page),
        page_parts.earlier(page),
        _rules(page),
        _privacy(page),
    )
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang_of(page)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title(page))}</title>",
        f"<style>{STYLE}</style></head><body>",
        _head(page),
        "<main>",
        *sections,
        "</main>",
        _footer(page),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"
