"""The public page (SPEC §13) as one self-contained HTML file: styles inline, charts as
inline SVG with the same numbers in a table, no script, nothing fetched; readable on a
phone and printable. Every text that comes from a cell is escaped.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from sheetsync import display
from sheetsync.model import TOTAL
from sheetsync.report import page_parts, svg
from sheetsync.report.page_parts import Cell, day, lang_of, money, para, section, table
from sheetsync.report.public import GroupLine, Publication
from sheetsync.report.rules_text import rule_lines
from sheetsync.template import Lang
from sheetsync.text import tr

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
    return tr(
        page.lang,  # type: ignore[arg-type]
        "{n} — budget contributif {p}",
        "{n} — contributive budget {p}",
        n=page.network,
        p=page.label,
    )


def _head(page: Publication) -> str:
    lang = lang_of(page)
    period = tr(
        lang,
        "Période du {s} au {e}, situation au {a}.",
        "Period {s} to {e}, as of {a}.",
        s=day(page.start, page),
        e=day(page.end, page),
        a=day(page.as_of, page),
    )
    lines = [f"<h1>{escape(page.network)}</h1>", para(period)]
    if page.closed:
        lines.append(
            para(
                tr(
                    lang,
                    "Exercice clos : les chiffres sont ceux que sa clôture a figés.",
                    "Closed period: the figures are those its closing froze.",
                )
            )
        )
    return "<header>" + "".join(lines) + "</header>"


def _keys(page: Publication) -> str:
    lang, totals = lang_of(page), page.totals
    share = totals.consumed / totals.envelope if totals.envelope else 0.0
    gone = page.elapsed_days / page.period_days if page.period_days else 0.0
    items = [
        (tr(lang, "Enveloppes", "Envelopes"), money(totals.envelope, page)),
        (tr(lang, "Consommé", "Consumed"), money(totals.consumed, page)),
        (tr(lang, "Restant", "Remaining"), money(totals.remaining, page)),
        (tr(lang, "Part consommée", "Share consumed"), display.percent(share, lang)),
        (
            tr(lang, "Part de la période écoulée", "Share of the period elapsed"),
            display.percent(gone, lang),
        ),
        (tr(lang, "Contributeurs", "Contributors"), str(totals.contributors)),
        (tr(lang, "Heures", "Hours"), display.hours(totals.seconds, lang)),
    ]
    if totals.pending:
        items.insert(
            2,
            (
                tr(lang, "En attente de validation", "Awaiting validation"),
                money(totals.pending, page),
            ),
        )
    tiles = "".join(
        f"<div><dt>{escape(label)}</dt><dd>{escape(value)}</dd></div>" for label, value in items
    )
    volunteer = tr(
        lang,
        "Valorisation du temps non rétribué (bénévolat) : {v}, au taux de référence ; "
        "elle n'est pas comptée dans le consommé.",
        "Unpaid time valued (volunteering): {v}, at the reference rate; it is not counted "
        "in the consumed.",
        v=money(totals.unpaid_valued, page),
    )
    heading = tr(lang, "Chiffres clés", "Key figures")
    return section("keys", heading, f'<dl class="keys">{tiles}</dl>', para(volunteer))


# ---------------------------------------------------------------- groups


def state_words(state: str, lang: Lang) -> str:
    words = {
        "ok": tr(lang, "dans l'enveloppe", "within the envelope"),
        "warning": tr(lang, "seuil d'alerte atteint", "alert threshold reached"),
        "over": tr(lang, "enveloppe dépassée", "envelope exceeded"),
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
        tr(
            lang,
            "Consommé par groupe, en part de son enveloppe",
            "Consumed by group, as a share of its envelope",
        ),
        tr(
            lang,
            "Une barre par groupe ; le trait pointillé marque 100 % de l'enveloppe. "
            "Les chiffres sont dans le tableau qui suit.",
            "One bar per group; the dashed line marks 100% of the envelope. "
            "The figures are in the table that follows.",
        ),
        tr(lang, "enveloppe", "envelope"),
    )
    pilots = any(g.pilot for g in page.groups)
    pending = any(g.pending for g in page.groups)
    header: list[Cell] = [(tr(lang, "Groupe", "Group"), False)]
    header += [(tr(lang, "Pilote", "Pilot"), False)] if pilots else []
    header += [(tr(lang, "Enveloppe", "Envelope"), True), (tr(lang, "Consommé", "Consumed"), True)]
    header += [(tr(lang, "En attente", "Pending"), True)] if pending else []
    header += [
        (tr(lang, "Restant", "Remaining"), True),
        ("%", True),
        (tr(lang, "État", "State"), False),
        (tr(lang, "Heures", "Hours"), True),
        (tr(lang, "Contributeurs", "Contributors"), True),
        (tr(lang, "Valorisation non rétribuée", "Unpaid valued time"), True),
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
    heading = tr(lang, "Les groupes", "The groups")
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
        tr(lang, "Consommation cumulée, mois par mois", "Cumulative consumption, month by month"),
        tr(
            lang,
            "Une ligne de la consommation cumulée de tous les groupes ; le trait pointillé "
            "marque le total des enveloppes. Les chiffres sont dans le tableau qui suit.",
            "A line of the cumulative consumption of all groups; the dashed line marks the "
            "envelopes' total. The figures are in the table that follows.",
        ),
        (
            tr(lang, "Enveloppes : {v}", "Envelopes: {v}", v=money(page.totals.envelope, page)),
            tr(lang, "Aucune enveloppe", "No envelope"),
        ),
    )
    header: list[Cell] = [
        (tr(lang, "Mois", "Month"), False),
        (tr(lang, "Consommé", "Consumed"), True),
        (tr(lang, "Consommé cumulé", "Cumulative consumed"), True),
    ]
    rows: list[list[Cell]] = [
        [(m.month, False), (money(m.consumed, page), True), (money(m.cumulative, page), True)]
        for m in page.months
    ]
    parts = [f"<figure>{chart}</figure>"]
    if rows:
        parts.append(table("months", header, rows))
    else:
        parts.append(para(tr(lang, "Rien n'a encore été consommé.", "Nothing consumed yet.")))
    heading = tr(lang, "Consommation mois par mois", "Consumption month by month")
    return section("months", heading, *parts)


def _rules(page: Publication) -> str:
    lang = lang_of(page)
    items = "".join(f"<li>{escape(line)}</li>" for line in rule_lines(page, lang))
    heading = tr(lang, "Les règles en vigueur", "The rules in force")
    return section("rules", heading, f"<ul>{items}</ul>")


def _privacy(page: Publication) -> str:
    lang = lang_of(page)
    text = tr(
        lang,
        "Les chiffres des groupes sont des lignes budgétaires publiques. Aucun nom, aucune "
        "structure de facturation ni aucun montant individuel n'est publié sans l'accord de "
        "la personne (colonne « Publier mon nom ») ; les adresses e-mail et les descriptions "
        "des contributions ne le sont jamais.",
        "Group figures are public budget lines. No person's name, billing entity or "
        "individual amount is published without that person's consent (the 'Publish my "
        "name' column); email addresses and descriptions of contributions never are.",
    )
    heading = tr(lang, "Confidentialité", "Privacy")
    return section("privacy", heading, para(text))


def _footer(page: Publication) -> str:
    lang = lang_of(page)
    text = tr(
        lang,
        "Page produite par sheetsync à partir des comptes du tableur ; les mêmes chiffres, "
        "en centimes, sont dans le fichier {file}.",
        "Page made by sheetsync from the spreadsheet's books; the same figures, in cents, "
        "are in the file {file}.",
        file="budget.json",
    )
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
