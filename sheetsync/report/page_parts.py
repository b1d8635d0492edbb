"""The parts of the public page (sheetsync.report.page): its tables, sections and the
payments, people and earlier periods; every text from a cell escaped here.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from sheetsync import display
from sheetsync.model import TOTAL
from sheetsync.report.public import MoneyLine, Publication
from sheetsync.template import Lang
from sheetsync.text import tr

NUMERIC = ' class="n"'
Cell = tuple[str, bool]  # a cell's text, and whether it is a number (aligned right)


def money(cents: int, page: Publication) -> str:
    return display.money(cents, lang_of(page), page.currency)


def lang_of(page: Publication) -> Lang:
    return "en" if page.lang == "en" else "fr"


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
        (tr(lang, "Mode de paiement", "Payment method"), False),
        (tr(lang, "Bénéficiaires", "Payees"), True),
    ]
    header += [(tr(lang, "Report", "Brought forward"), True)] if carried else []
    header += [
        (tr(lang, "À verser", "Payable"), True),
        (tr(lang, "Versé", "Paid"), True),
        (tr(lang, "Reste dû", "Still due"), True),
    ]

    def line(sums: MoneyLine, name: str) -> list[Cell]:
        cells: list[Cell] = [(name, False), (str(sums.payees), True)]
        cells += [(money(sums.brought_forward, page), True)] if carried else []
        cells += [(money(sums.payable, page), True), (money(sums.paid, page), True)]
        return [*cells, (money(sums.balance, page), True)]

    unnamed = tr(lang, "non précisé", "not given")
    rows = [line(m, m.method or unnamed) for m in page.by_method]
    total = line(page.payments, TOTAL)
    summary = tr(
        lang,
        "Versé : {p} ; reste dû : {d}.",
        "Paid: {p}; still due: {d}.",
        p=money(page.payments.paid, page),
        d=money(page.payments.balance, page),
    )
    heading = tr(lang, "Versé et reste dû", "Paid and still due")
    body = table("payments", header, rows, total) if rows else ""
    return section("payments", heading, para(summary), body)


# ---------------------------------------------------------------- people and periods


def people(page: Publication) -> str:
    lang = lang_of(page)
    heading = tr(lang, "Personnes nommées", "People named")
    if not page.people:
        text = tr(
            lang,
            "Aucune personne n'a choisi d'être nommée sur cette page.",
            "Nobody has chosen to be named on this page.",
        )
        return section("people", heading, para(text))
    intro = tr(
        lang,
        "Ces personnes ont choisi d'être nommées (« Publier mon nom ») :",
        "These people chose to be named ('Publish my name'):",
    )
    header: list[Cell] = [
        (tr(lang, "Personne", "Person"), False),
        (tr(lang, "Groupes", "Groups"), False),
        (tr(lang, "Heures", "Hours"), True),
        (tr(lang, "À verser", "Payable"), True),
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
    heading = tr(lang, "Exercices antérieurs", "Earlier periods")
    if not page.earlier:
        return section(
            "earlier",
            heading,
            para(tr(lang, "Aucun exercice antérieur clôturé.", "No earlier period closed.")),
        )
    intro = tr(
        lang,
        "Chaque exercice est figé par sa clôture ; son empreinte sha256 permet de vérifier "
        "que ses chiffres n'ont pas changé depuis.",
        "Each period is frozen by its closing; its sha256 checksum lets anyone check that "
        "its figures have not changed since.",
    )
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
        tr(lang, "Exercice", "Period"),
        tr(lang, "Dates", "Dates"),
        tr(lang, "Enveloppes", "Envelopes"),
        tr(lang, "Consommé", "Consumed"),
        tr(lang, "Restant", "Remaining"),
        tr(lang, "Excédent", "Surplus"),
        tr(lang, "Empreinte sha256", "sha256 checksum"),
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
