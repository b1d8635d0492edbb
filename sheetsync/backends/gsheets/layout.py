"""The report layout (sheetsync.layout) as Sheets API requests and cell formats:
column widths, bold bordered total rows, conditional format rules, hidden tabs.

Google offers no print setup through the API: orientation and fit-to-width are
chosen in the print dialog.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sheetsync.formats import column_letter
from sheetsync.layout import COLOURS, Layout, Rule

Json = dict[str, Any]

PIXELS_PER_WIDTH = 7  # widths are in characters
TOTAL_FORMAT: Json = {
    "textFormat": {"bold": True},
    "borders": {"top": {"style": "SOLID"}},
}


def colour(hex_rgb: str) -> Json:
    """An RGB hex colour as the API's Color (channels from 0 to 1)."""
    return {
        channel: round(int(hex_rgb[i : i + 2], 16) / 255, 4)
        for channel, i in (("red", 0), ("green", 2), ("blue", 4))
    }


def widths_requests(sheet_id: int, widths: Sequence[int]) -> list[Json]:
    """One updateDimensionProperties per column, widths in characters."""
    return [
        {
            "updateDimensionProperties": {
                "range": {
                    "sheetId": sheet_id,
                    "dimension": "COLUMNS",
                    "startIndex": i,
                    "endIndex": i + 1,
                },
                "properties": {"pixelSize": width * PIXELS_PER_WIDTH},
                "fields": "pixelSize",
            }
        }
        for i, width in enumerate(widths)
    ]


def total_format(cell: Json, fmt: Json | None) -> Json:
    """A Total row's cell: bold with a border above, blank cells included."""
    merged = {**(fmt or {}), **cell.get("userEnteredFormat", {}), **TOTAL_FORMAT}
    return {**cell, "userEnteredFormat": merged}


def _ranges(sheet_id: int, rule: Rule) -> list[Json]:
    """One GridRange per run of adjacent columns."""
    spans: list[list[int]] = []
    for column in sorted(rule.columns):
        if spans and spans[-1][1] == column - 1:
            spans[-1][1] = column
        else:
            spans.append([column, column])
    first, last = rule.rows
    return [
        {
            "sheetId": sheet_id,
            "startRowIndex": first - 1,
            "endRowIndex": last,
            "startColumnIndex": a,
            "endColumnIndex": b + 1,
        }
        for a, b in spans
    ]


def _condition(rule: Rule) -> Json:
    if rule.kind == "equals":
        return {"type": "TEXT_EQ", "values": [{"userEnteredValue": rule.text}]}
    if rule.kind == "negative":
        return {"type": "NUMBER_LESS", "values": [{"userEnteredValue": "0"}]}
    # row_equals: relative to the range's first row, like a formula filled down.
    text = rule.text.replace('"', '""')
    formula = f'=${column_letter(rule.test)}{rule.rows[0]}="{text}"'
    return {"type": "CUSTOM_FORMULA", "values": [{"userEnteredValue": formula}]}


def _format(name: str) -> Json:
    background, text = COLOURS[name]
    fmt: Json = {"textFormat": {"foregroundColor": colour(text)}}
    if background:
        fmt["backgroundColor"] = colour(background)
    return fmt


def rule_requests(sheet_id: int, layout: Layout, existing: int) -> list[Json]:
    """The tab's conditional rules replaced: the `existing` ones deleted, the layout's added.

    A tab sheetsync owns holds only its rules, so repeated syncs never pile them up.
    """
    requests: list[Json] = [
        {"deleteConditionalFormatRule": {"sheetId": sheet_id, "index": index}}
        for index in reversed(range(existing))
    ]
    for index, rule in enumerate(layout.rules):
        boolean = {"condition": _condition(rule), "format": _format(rule.colour)}
        body = {"ranges": _ranges(sheet_id, rule), "booleanRule": boolean}
        requests.append({"addConditionalFormatRule": {"rule": body, "index": index}})
    return requests
