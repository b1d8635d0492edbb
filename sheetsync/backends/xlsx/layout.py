"""The report layout (sheetsync.layout) in OOXML: widths, bold total rows,
conditional formatting with its dxf styles, print setup, print titles and hidden tabs.

The sheet part takes the XML pieces from here in the order Excel requires.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, unescape

from sheetsync import formats
from sheetsync.backends.xlsx.unreadable import unreadable
from sheetsync.backends.xlsx.xmlparts import (
    append_child,
    attributes,
    children,
    find_or_append,
    find_or_append_format,
    section,
)
from sheetsync.formats import column_letter
from sheetsync.layout import COLOURS, Layout, Rule, describe
from sheetsync.model import OutputTable

TOP_BORDER = (
    '<border><left/><right/><top style="thin"><color auto="1"/></top><bottom/><diagonal/></border>'
)


@dataclass(frozen=True)
class Look:
    """A table's layout with the style indexes it needs in this workbook."""

    layout: Layout
    totals: dict[str, int] = field(default_factory=dict)  # column kind -> bold bordered xf
    dxfs: tuple[int, ...] = ()  # one per layout rule


# ------------------------------------------------------------------ styles


def _dxf(colour: str) -> str:
    background, text = COLOURS[colour]
    solid = f'<patternFill patternType="solid"><bgColor rgb="FF{background}"/></patternFill>'
    fill = f"<fill>{solid}</fill>" if background else ""
    return f'<dxf><font><color rgb="FF{text}"/></font>{fill}</dxf>'


def _ensure_dxfs(xml: str) -> str:
    """A <dxfs> list where the schema wants it: after cellStyles (or cellXfs)."""
    if re.search(r"<dxfs\b", xml):
        return xml
    after = re.search(r"</cellStyles>|<cellStyles\b[^>]*/>", xml) or re.search(r"</cellXfs>", xml)
    if after is None:
        raise unreadable("styles")
    return xml[: after.end()] + '<dxfs count="0"/>' + xml[after.end() :]


def _font_of(xml: str, xf_index: int) -> str:
    """The fontId of a cellXfs entry."""
    found = section(xml, "cellXfs")
    entries = children(found.group(2) or "", "xf") if found else []
    match = re.search(r'\bfontId="(\d+)"', entries[xf_index]) if xf_index < len(entries) else None
    return match.group(1) if match else "0"


def _total_styles(
    xml: str, table: OutputTable, bold: str, border: int
) -> tuple[str, dict[str, int]]:
    """One bold, top-bordered style per column kind of the table, keyed by kind."""
    by_kind: dict[str, int] = {}
    for kind in dict.fromkeys(table.kinds):
        code = formats.number_format(kind, table.currency)
        fmt = 0
        if code is not None:
            xml, fmt = find_or_append_format(xml, code)
        element = (
            f'<xf numFmtId="{fmt}" fontId="{bold}" fillId="0" borderId="{border}" xfId="0" '
            'applyNumberFormat="1" applyFont="1" applyBorder="1"/>'
        )
        xml, by_kind[kind] = find_or_append(xml, "cellXfs", "xf", element)
    return xml, by_kind


def add_styles(xml: str, tables: Sequence[OutputTable], header_xf: int) -> tuple[str, list[Look]]:
    """Each table's look: its layout, total-row styles and conditional dxf ids.

    Total rows are bold like the header (`header_xf`), with a border above.
    """
    xml = _ensure_dxfs(xml)
    looks = []
    for table in tables:
        layout = describe(table)
        totals: dict[str, int] = {}
        if layout.total_rows:
            xml, border = find_or_append(xml, "borders", "border", TOP_BORDER)
            xml, totals = _total_styles(xml, table, _font_of(xml, header_xf), border)
        dxfs = []
        for rule in layout.rules:
            xml, dxf = find_or_append(xml, "dxfs", "dxf", _dxf(rule.colour))
            dxfs.append(dxf)
        looks.append(Look(layout, totals, tuple(dxfs)))
    return xml, looks


# ------------------------------------------------------------------ sheet XML


def sheet_properties() -> str:
    """<sheetPr>, first child of <worksheet>: the printout fits the page width."""
    return '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'


def columns(widths: Sequence[int]) -> str:
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
        for i, w in enumerate(widths, start=1)
    )
    return f"<cols>{cols}</cols>" if cols else ""


def _area(indexes: Sequence[int], rows: tuple[int, int]) -> str:
    """The sqref of columns over rows, adjacent columns as one range."""
    spans: list[list[int]] = []
    for column in sorted(indexes):
        if spans and spans[-1][1] == column - 1:
            spans[-1][1] = column
        else:
            spans.append([column, column])
    first, last = rows
    return " ".join(f"{column_letter(a)}{first}:{column_letter(b)}{last}" for a, b in spans)


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _rule(rule: Rule, dxf: int, priority: int) -> str:
    head = f'<cfRule dxfId="{dxf}" priority="{priority}" '
    if rule.kind == "equals":
        body = f'type="cellIs" operator="equal"><formula>{escape(_quoted(rule.text))}</formula>'
    elif rule.kind == "negative":
        body = 'type="cellIs" operator="lessThan"><formula>0</formula>'
    else:  # row_equals: the formula is relative to the first cell of the range
        cell = f"${column_letter(rule.test)}{rule.rows[0]}"
        body = f'type="expression"><formula>{escape(cell + "=" + _quoted(rule.text))}</formula>'
    return f"{head}{body}</cfRule>"


def conditional_formatting(look: Look) -> str:
    """<conditionalFormatting> elements: after <autoFilter>, before <pageMargins>."""
    rules = zip(look.layout.rules, look.dxfs, strict=True)
    return "".join(
        f'<conditionalFormatting sqref="{_area(rule.columns, rule.rows)}">'
        f"{_rule(rule, dxf, priority)}</conditionalFormatting>"
        for priority, (rule, dxf) in enumerate(rules, 1)
    )


def page_setup(layout: Layout) -> str:
    """<pageSetup>, right after <pageMargins>: landscape, one page wide, as tall as needed."""
    printing = layout.printing
    orientation = "landscape" if printing.landscape else "portrait"
    return (
        f'<pageSetup orientation="{orientation}" fitToWidth="{printing.pages_wide}" '
        f'fitToHeight="{printing.pages_tall}"/>'
    )


# ------------------------------------------------------------------ workbook


def _print_titles(position: int, title: str, rows: int) -> str:
    quoted = "'" + title.replace("'", "''") + "'"
    return (
        f'<definedName name="_xlnm.Print_Titles" localSheetId="{position}">'
        f"{escape(quoted)}!$1:${rows}</definedName>"
    )


def set_print_titles(workbook: str, titles: Sequence[str], tables: Sequence[OutputTable]) -> str:
    """The workbook part with each written tab's header row repeated on printed pages.

    `titles`: every tab of the workbook in order (a defined name points by position).
    The workbook must already list defined names (the filter ranges are written first).
    """
    positions = {title: n for n, title in enumerate(titles)}
    wanted = {str(positions[t.title]) for t in tables}
    for element in children(workbook, r"(?:\w+:)?definedName"):
        found = {name: a or b for name, a, b in attributes(element)}
        if found.get("localSheetId") in wanted and found.get("name") == "_xlnm.Print_Titles":
            workbook = workbook.replace(element, "", 1)
    names = "".join(
        _print_titles(positions[t.title], t.title, describe(t).printing.title_rows) for t in tables
    )
    listed = section(workbook, r"(?:\w+:)?definedNames")
    if listed is None:
        raise unreadable("no_names")
    return append_child(workbook, listed, names, None)


def arrange(workbook: str, titles: Sequence[str], tables: Sequence[OutputTable]) -> str:
    """The workbook part with print titles set and the out-of-sight tabs hidden."""
    if not tables:
        return workbook
    return hide_tabs(set_print_titles(workbook, titles, tables), tables)


_SHEET = re.compile(r"<(?:\w+:)?sheet\b[^>]*/>")


def hide_tabs(workbook: str, tables: Sequence[OutputTable]) -> str:
    """The workbook part with the tabs the layout keeps out of sight hidden.

    Also those an older sync left visible; a tab a user hid stays hidden, and
    the tab shown on opening is moved off a hidden tab (Excel refuses that).
    """
    hidden = {t.title for t in tables if describe(t).hidden}
    for element in _SHEET.findall(workbook):
        found = {name: a or b for name, a, b in attributes(element)}
        name = unescape(found.get("name", ""), {"&quot;": '"', "&apos;": "'"})
        if name in hidden and found.get("state") not in {"hidden", "veryHidden"}:
            shown = re.sub(r'\sstate="[^"]*"', "", element)
            workbook = workbook.replace(element, shown[:-2].rstrip() + ' state="hidden"/>', 1)
    visible = [
        n
        for n, e in enumerate(_SHEET.findall(workbook))
        if not re.search(r'\bstate="(?:hidden|veryHidden)"', e)
    ]
    active = re.search(r'\bactiveTab="(\d+)"', workbook)
    if active is None or not visible or int(active.group(1)) in visible:
        return workbook
    return workbook[: active.start(1)] + str(visible[0]) + workbook[active.end(1) :]
