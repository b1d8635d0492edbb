"""A document to print (a title, lines under it, then tables) and its Markdown and HTML;
the PDF is drawn from the same document by sheetsync.report.pdf.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from sheetsync.messages import say
from sheetsync.template import Lang


@dataclass(frozen=True)
class Table:
    """One table of a document, its cells already text."""

    heading: str
    header: tuple[str, ...]  # empty: lines of a label and a value, no header row
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]  # the columns aligned right, never wrapped
    total: bool = False  # the last row is a total line, shown in bold

    @property
    def labelled(self) -> bool:
        """Lines of a label and a value rather than a table with a header."""
        return not self.header


@dataclass(frozen=True)
class Document:
    lang: Lang
    title: str
    lines: tuple[str, ...]  # under the title: who, which period, as of when
    tables: tuple[Table, ...]


def label_value(lang: Lang, label: str, value: str) -> str:
    """A label and its value on one line: "Solde : 90,00 €" (a no-break space before
    the colon in French), "Balance: €90.00"."""
    return say(lang, "format.label_value", label=label, value=value)


# ---------------------------------------------------------------- Markdown


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _md_table(table: Table) -> list[str]:
    lines = ["| " + " | ".join(_md(h) for h in table.header) + " |"]
    lines.append("|" + "".join("---:|" if n else "---|" for n in table.numeric))
    for at, row in enumerate(table.rows):
        total = table.total and at == len(table.rows) - 1
        cells = [f"**{_md(c)}**" if total and c else _md(c) for c in row]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _md_lines(table: Table, lang: Lang) -> list[str]:
    """A table of labels and values as a list: "- Versé : 25,00 €", the total in bold."""
    lines = [label_value(lang, _md(label), _md(value)) for label, value in table.rows]
    if table.total and lines:
        lines[-1] = f"**{lines[-1]}**"
    return [f"- {line}" for line in lines]


def to_markdown(document: Document) -> str:
    """The document as Markdown; pipes in names are escaped so tables hold."""
    lines = [f"# {_md(document.title)}", ""]
    for line in document.lines:
        lines += [_md(line), ""]
    for table in document.tables:
        lines += [f"## {_md(table.heading)}", ""]
        lines += _md_lines(table, document.lang) if table.labelled else _md_table(table)
        lines.append("")
    return "\n".join(lines)


# ---------------------------------------------------------------- HTML

STYLE = (
    "body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}"
    "h1{margin-bottom:.2em}p{margin:.2em 0}"
    "table{border-collapse:collapse;margin-bottom:1.5em}"
    "th,td{border:1px solid #999;padding:.2em .5em;text-align:left;vertical-align:top}"
    "td.n,th.n{text-align:right}td.n{white-space:nowrap}"
    "tr.total td,tr.total th{font-weight:bold}"
    "@page{size:A4;margin:12mm}"
)


def _html_table(table: Table) -> str:
    esc = html.escape

    def cell(tag: str, text: str, numeric: bool, scope: str = "") -> str:
        attributes = (' class="n"' if numeric else "") + (f' scope="{scope}"' if scope else "")
        return f"<{tag}{attributes}>{esc(text)}</{tag}>"

    last = len(table.rows) - 1
    rows = []
    for at, row in enumerate(table.rows):
        mark = ' class="total"' if table.total and at == last else ""
        if table.labelled:
            cells = cell("th", row[0], False, "row") + cell("td", row[1], True)
        else:
            cells = "".join(cell("td", c, n) for c, n in zip(row, table.numeric, strict=True))
        rows.append(f"<tr{mark}>{cells}</tr>")
    head = ""
    if not table.labelled:
        heads = "".join(cell("th", h, n) for h, n in zip(table.header, table.numeric, strict=True))
        head = f"<thead><tr>{heads}</tr></thead>"
    return f"<h2>{esc(table.heading)}</h2><table>{head}<tbody>{''.join(rows)}</tbody></table>"


def to_html(document: Document) -> str:
    """The document as a standalone HTML page, every text escaped."""
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{document.lang}"><head><meta charset="utf-8">',
        f"<title>{esc(document.title)}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>{esc(document.title)}</h1>",
        *(f"<p>{esc(line)}</p>" for line in document.lines),
        *(_html_table(table) for table in document.tables),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"
