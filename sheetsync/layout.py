"""How each owned tab looks, described once for both backends: column widths, total
rows, conditional colours, print setup and visibility, derived from the table alone.

Derived from the table's own content, like its charts: equal fingerprints give equal
layouts, so a sync that changes nothing still writes nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from sheetsync.model import OutputTable
from sheetsync.template import LANGS, load
from sheetsync.units import split_cents

DEFAULT_WIDTH = 14  # characters, for a column the template does not size
MAX_WIDTH = 60  # a long text wraps past this rather than pushing the page wider
# A bold header is wider than its letters, and the filter button takes room.
HEADER_SPACE = 4
CONTENT_SAMPLE = 500  # rows looked at to size a column: enough to see typical content
HIDDEN_KEYS = frozenset({"chart_data", "state"})  # tabs kept out of the tab bar

# Colours as RGB hex: (background, text). Excel's own "good / neutral / bad" styles,
# so they read the same as the rest of a treasurer's workbooks.
COLOURS: dict[str, tuple[str | None, str]] = {
    "green": ("C6EFCE", "006100"),
    "amber": ("FFEB9C", "9C5700"),
    "red": ("FFC7CE", "9C0006"),
    "red_text": (None, "C00000"),
    "light_red": ("FDE4E4", "000000"),
    "light_amber": ("FFF5D6", "000000"),
}


@dataclass(frozen=True)
class Rule:
    """A conditional colour over data rows `rows` (1-based sheet rows, inclusive).

    kind "equals": a cell of `columns` equal to `text` (state words);
    kind "negative": a cell of `columns` below zero;
    kind "row_equals": the whole row when its cell in column `test` equals `text`.
    Columns are 0-based indexes.
    """

    kind: str
    columns: tuple[int, ...]
    rows: tuple[int, int]
    colour: str
    text: str = ""
    test: int = 0


@dataclass(frozen=True)
class PrintSetup:
    """The same on every owned tab: landscape, one page wide, header row on each page."""

    landscape: bool = True
    pages_wide: int = 1
    pages_tall: int = 0  # 0: as many as the rows need
    title_rows: int = 1


@dataclass(frozen=True)
class Layout:
    widths: tuple[int, ...]  # characters, one per column
    total_rows: tuple[int, ...]  # 0-based indexes into table.rows
    rules: tuple[Rule, ...]
    hidden: bool
    printing: PrintSetup = PrintSetup()


def describe(table: OutputTable) -> Layout:
    """The layout of one owned tab."""
    return Layout(
        widths=column_widths(table),
        total_rows=total_rows(table),
        rules=rules(table),
        hidden=table.hidden or table.key in HIDDEN_KEYS,
    )


# ------------------------------------------------------------------ widths


@cache
def _template_widths(key: str) -> dict[str, int]:
    """Header (either language) -> width from the template, for outputs and ledger tabs."""
    template = load()
    tabs = [t for t in (*template.outputs, *template.ledger) if t.key == key]
    return {c.name(lang): c.width for tab in tabs for c in tab.columns for lang in LANGS}


def _shown_length(value: object, kind: str) -> int:
    """About how many characters a cell shows once formatted."""
    if value is None:
        return 0
    if kind == "money" and isinstance(value, int):
        units = f"{split_cents(value)[1]:,}"
        return len(units) + 6  # sign, decimals, currency
    if kind in {"percent", "factor", "hours"} and isinstance(value, float):
        return len(f"{value:,.2f}") + 2
    if kind == "date":
        return 10
    return len(str(value))


def column_widths(table: OutputTable) -> tuple[int, ...]:
    """Wide enough for the header and the typical content, within MAX_WIDTH.

    The template's width is the floor; a header longer than it wins, so no
    header is ever cut; content counts up to MAX_WIDTH only.
    """
    floor = _template_widths(table.key)
    sample = table.rows[:CONTENT_SAMPLE]
    widths = []
    for index, (header, kind) in enumerate(zip(table.header, table.kinds, strict=False)):
        lengths = sorted(_shown_length(row[index], kind) for row in sample if index < len(row))
        # The 90th percentile: one odd long cell does not widen a whole column.
        typical = lengths[math.ceil(len(lengths) * 0.9) - 1] + 2 if lengths else 0
        base = floor.get(header, DEFAULT_WIDTH)
        widths.append(
            max(math.ceil(len(header) * 1.1) + HEADER_SPACE, base, min(typical, MAX_WIDTH))
        )
    return tuple(widths)


# ------------------------------------------------------------------ totals


def total_rows(table: OutputTable) -> tuple[int, ...]:
    """The Total rows, as the table's builder flagged them: the group summary's last
    row, a closing tab's Total lines, each period's Total row on Exercices."""
    return table.total_rows


# ------------------------------------------------------------------ colours


def _column(table: OutputTable, tab_key: str, column_key: str) -> int | None:
    """The index of a template column in the table, found by its header in either language."""
    template = load()
    tabs = [t for t in (*template.outputs, *template.ledger) if t.key == tab_key]
    if not tabs:
        return None
    names = {tabs[0].column(column_key).name(lang) for lang in LANGS}
    return next((i for i, h in enumerate(table.header) if h in names), None)


def _labels(enum: str, key: str) -> list[str]:
    return list(dict.fromkeys(load().enums[enum].label(key, lang) for lang in LANGS))


def _state_rules(table: OutputTable, rows: tuple[int, int]) -> list[Rule]:
    state = _column(table, "group_summary", "state")
    if state is None:
        return []
    colours = {"ok": "green", "warning": "amber", "over": "red"}
    return [
        Rule("equals", (state,), rows, colour, text=label)
        for key, colour in colours.items()
        for label in _labels("state", key)
    ]


_NEGATIVE_RED = {
    "group_summary": ("remaining",),
    "payouts": ("balance",),
    "closing": ("balance",),
    "periods": ("remaining",),
}


def _negative_rules(table: OutputTable, rows: tuple[int, int]) -> list[Rule]:
    columns = [_column(table, table.key, key) for key in _NEGATIVE_RED.get(table.key, ())]
    found = tuple(c for c in columns if c is not None)
    return [Rule("negative", found, rows, "red_text")] if found else []


def _severity_rules(table: OutputTable, rows: tuple[int, int]) -> list[Rule]:
    severity = _column(table, "anomalies", "severity")
    if severity is None:
        return []
    every = tuple(range(len(table.header)))
    colours = {"error": "light_red", "warning": "light_amber"}
    return [
        Rule("row_equals", every, rows, colour, text=label, test=severity)
        for key, colour in colours.items()
        for label in _labels("severity", key)
    ]


def rules(table: OutputTable) -> tuple[Rule, ...]:
    """State words in green / amber / red, negative amounts in red, anomaly lines tinted.

    Rules name both languages' words: the words of the table's language match, the
    others never do, and the rules stay the same whichever language is written.
    """
    if not table.rows:
        return ()
    rows = (2, len(table.rows) + 1)
    found: list[Rule] = []
    if table.key == "group_summary":
        found += _state_rules(table, rows)
    if table.key == "anomalies":
        found += _severity_rules(table, rows)
    found += _negative_rules(table, rows)
    return tuple(found)
