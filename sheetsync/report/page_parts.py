"""The parts of the public page (sheetsync.report.page): its tables, sections and the
payments, people and earlier periods; every text from a cell escaped here.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from sheetsync import display, template
from sheetsync.messages import say
from sheetsync.model import TOTAL
from sheetsync.report.public import MoneyLine, Publication
from sheetsync.template import Lang

NUMERIC = ' class="n"'
Cell = tuple[str, bool]  # a cell's text, and whether it is a number (aligned right)


def money(cents: int, page: Publication) -> str:
    return display.money(cents, lang_of(page), page.currency)


def lang_of(page: Publication) -> Lang:
    """The page's language (French when the books name none sheetsync speaks)."""
    return template.lang_of(page.lang) or "fr"


def day(day: dt.date, page: Publication) -> str:
    return display.date(day, lang_of(page))


def table(
    ident: str,
    header: list[Cell],
    rows: list[list[Cell]],
    total: list[Cell] | None = None,
) -> str:
    """A table in a region that scrolls sideways on a narrow screen (focusable, named by
    the heading `ident`, so a keyboard reaches it too)."""

    def cells(tag: str, line: list[Cell], scope: str = "") -> str:
        found = []
        for at, (text, numeric) in enumerate(line):
            kind = "th" if tag == "th" or at == 0 else "td"
            attrs = (' class="n"' if numeric else "") + (
                f' scope="{scope or "row"}"' if kind == "th" else ""
            )
            found.append(f"<{kind}{attrs}>{escape(text)}</{kind}>")
        return "<tr>" + "".join(found) + "</tr>"

    head = "<thead>" + cells("th", header, "col") + "</thead>"
    body = "<tbody>" + "".join(cells("td", r) for r in rows) + "</tbody>"
    foot = "<tfoot>" + cells("td", total) + "</tfoot>" if total else ""
    return (
        f'<div class="scroll" role="region" aria-labelledby="{ident}" tabindex="0">'
        f"<table>{head}{body}{foot}</table></div>"
    )


def section(ident: str, heading: str, *parts: str) -> str:
    """A section under its heading; the heading names the section's table region, so the
    section itself stays unnamed (two landmarks of one name would be indistinguishable)."""
    return f'<section><h2 id="{ident}">{escape(heading)}</h2>' + "".join(parts) + "</section>"


def para(text: str, note: bool = False) -> str:
    return f'<p class="note">{escape(text)}</p>' if note else f"<p>{escape(text)}</p>"


# ---------------------------------------------------------------- payments


def payments(page: Publication) -> str:
    lang = lang_of(page)
    carried = any(m.brought_forward for m in (page.payments, *page.by_method))
    header: list[Cell] = [
        (say(lang, "report.page_parts.payment_method"), False),
        (say(lang, "report.page_parts.payees"), True),
    ]
    header += [(say(lang, "report.page_parts.brought_forward"), True)] if carried else []
    header += [
        (say(lang, "report.page_parts.payable"), True),
        (say(lang, "report.page_parts.paid"), True),
        (say(lang, "report.page_parts.still_due"), True),
    ]

    def line(sums: MoneyLine, name: str) -> list[Cell]:
        cells: list[Cell] = [(name, False), (str(sums.payees), True)]
        cells += [(money(sums.brought_forward, page), True)] if carried else []
        cells += [(money(sums.payable, page), True), (money(sums.paid, page), True)]
        return [*cells, (money(sums.balance, page), True)]

    unnamed = say(lang, "report.page_parts.not_given")
    rows = [line(m, m.method or unnamed) for m in page.by_method]
    total = line(page.payments, TOTAL)
    summary = say(
        lang,
        "report.page_parts.paid_still_due",
        p=money(page.payments.paid, page),
        d=money(page.payments.balance, page),
    )
    heading = say(lang, "report.page_parts.paid_still_due_2")
    body = table("payments", header, rows, total) if rows else ""
    return section("payments", heading, para(summary), body)


# ---------------------------------------------------------------- people and periods


def people(page: Publication) -> str:
    lang = lang_of(page)
    heading = say(lang, "report.page_parts.people_named")
    if not page.people:
        text = say(lang, "report.page_parts.nobody_has_chosen_named_page")
        return section("people", heading, para(text))
    intro = say(lang, "report.page_parts.people_chose_named_publish_my")
    header: list[Cell] = [
        (say(lang, "report.page_parts.person"), False),
        (say(lang, "report.page_parts.groups"), False),
        (say(lang, "report.page_parts.hours"), True),
        (say(lang, "report.page_parts.payable"), True),
    ]
    rows: list[list[Cell]] = [
        [
            (p.name, False),
            (", ".join(p.groups), False),
            (display.hours(p.seconds, lang), True),
            (money(p.payable, page), True),
        ]
        for p in page.people
    ]
    return section("people", heading, para(intro), table("people", header, rows))


def earlier(page: Publication) -> str:
    lang = lang_of(page)
    heading = say(lang, "report.page_parts.earlier_periods")
    if not page.earlier:
        return section(
            "earlier",
            heading,
            para(say(lang, "report.page_parts.no_earlier_period_closed")),
        )
    intro = say(lang, "report.page_parts.each_period_frozen_closing_sha256")
    rows = []
    for period in page.earlier:
        surplus = "—" if period.surplus is None else money(period.surplus, page)
        cells = [
            f'<th scope="row">{escape(period.label)}</th>',
            f"<td>{escape(day(period.start, page))} – {escape(day(period.end, page))}</td>",
            *(
                f'<td class="n">{escape(money(v, page))}</td>'
                for v in (period.envelope, period.consumed, period.remaining)
            ),
            f'<td class="n">{escape(surplus)}</td>',
            f"<td><code>{escape(period.checksum)}</code></td>",
        ]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    names = [
        say(lang, "report.page_parts.period"),
        say(lang, "report.page_parts.dates"),
        say(lang, "report.page_parts.envelopes"),
        say(lang, "report.page_parts.consumed"),
        say(lang, "report.page_parts.remaining"),
        say(lang, "report.page_parts.surplus"),
        say(lang, "report.page_parts.sha256_checksum"),
    ]
    numeric = (False, False, True, True, True, True, False)
    head = "".join(
        f'<th scope="col"{NUMERIC if n else ""}>{escape(name)}</th>'
        for name, n in zip(names, numeric, strict=True)
    )
    table = (
        f'<div class="scroll" role="region" aria-labelledby="earlier" tabindex="0"><table>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )
    return section("earlier", heading, para(intro), table)
