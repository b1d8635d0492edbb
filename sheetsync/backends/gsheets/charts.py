"""Native Google Sheets charts for owned tabs: the batchUpdate requests that delete
the charts sheetsync drew on a tab and draw its table's model.ChartSpec again.

Chart ids are derived from the tab's sheet id, so sheetsync recognises its own
charts and leaves any other chart alone.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sheetsync.model import ChartSpec, OutputTable

Json = dict[str, Any]

MAX_CHARTS = 8  # charts sheetsync may draw on one tab
CHART_WIDTH = 640  # pixels
CHART_HEIGHT = 380
GAP = 24  # pixels between the table and its charts, and between charts
ROW_PIXELS = 21  # Google's default row height


@dataclass(frozen=True)
class Place:
    """Where a tab's charts may go: its sheet, last column (index, pixels) and row count."""

    sheet_id: int
    last_column: int
    last_width: int
    rows: int


def chart_id_for(sheet_id: int, number: int) -> int:
    """The id of the tab's `number`-th chart (0-based), the same at every sync."""
    digest = hashlib.sha256(f"sheetsync-chart:{sheet_id}:{number}".encode()).hexdigest()
    return int(digest[:8], 16) % 2_000_000_000 + 1


def ours(sheet_id: int, chart_ids: Collection[int]) -> list[int]:
    """The charts of a tab that sheetsync drew there, in the order found."""
    mine = {chart_id_for(sheet_id, n) for n in range(MAX_CHARTS)}
    return [c for c in chart_ids if c in mine]


def _column(source_id: int, column: int, rows: int) -> Json:
    """A one-column range: the header row and `rows` data rows below it."""
    return {
        "sourceRange": {
            "sources": [
                {
                    "sheetId": source_id,
                    "startRowIndex": 0,
                    "endRowIndex": rows + 1,
                    "startColumnIndex": column,
                    "endColumnIndex": column + 1,
                }
            ]
        }
    }


def _basic_chart(spec: ChartSpec, source: OutputTable, source_id: int) -> Json:
    return {
        "chartType": "COLUMN" if spec.kind == "bar" else "LINE",
        "legendPosition": "BOTTOM_LEGEND",
        "headerCount": 1,
        "axis": [{"position": "BOTTOM_AXIS"}, {"position": "LEFT_AXIS"}],
        "domains": [{"domain": _column(source_id, source.header.index(spec.category), spec.rows)}],
        "series": [
            {
                "series": _column(source_id, source.header.index(value), spec.rows),
                "targetAxis": "LEFT_AXIS",
            }
            for value in spec.values
        ],
    }


def _cell(anchor: str) -> tuple[int, int]:
    """(column, row) indexes, 0-based, of an A1 cell such as "A12"."""
    found = re.fullmatch(r"([A-Z]+)(\d+)", anchor)
    letters, row = (found.group(1), int(found.group(2))) if found else ("A", 2)
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - 64
    return column - 1, row - 1


def rows_for_charts(table: OutputTable) -> int:
    """Rows the tab's grid needs so that charts placed below the table lie inside it.

    Google draws a chart past the grid's last row, but the sheet does not scroll
    that far: the grid is made long enough to hold it.
    """
    rows = 0
    for number, spec in enumerate(table.charts[:MAX_CHARTS]):
        _, row = _cell(spec.anchor)
        if row > len(table.rows):  # below the table
            height = (number + 1) * (CHART_HEIGHT + GAP)
            rows = max(rows, row + math.ceil(height / ROW_PIXELS) + 1)
    return rows


def _anchor(spec: ChartSpec, number: int, where: Place) -> Json:
    """The overlay position of the spec's anchor cell.

    A chart must be anchored on a cell of the grid. The grid ends with the
    table's columns: a chart beside the table hangs from the last column,
    shifted past it. A chart below it sits in rows the grid keeps for it
    (rows_for_charts); should the grid be shorter, it hangs from the last row.
    """
    column, row = _cell(spec.anchor)
    offset_x = where.last_width + GAP if column > where.last_column else 0
    offset_y = GAP if row >= where.rows else 0
    return {
        "anchorCell": {
            "sheetId": where.sheet_id,
            "rowIndex": min(row, where.rows - 1),
            "columnIndex": min(column, where.last_column),
        },
        "offsetXPixels": offset_x,
        "offsetYPixels": offset_y + number * (CHART_HEIGHT + GAP),
        "widthPixels": CHART_WIDTH,
        "heightPixels": CHART_HEIGHT,
    }


def add_chart(
    spec: ChartSpec, number: int, where: Place, source: OutputTable, source_id: int
) -> Json:
    """addChart for a spec, at its anchor (see _anchor)."""
    sheet_id = where.sheet_id
    position = {"overlayPosition": _anchor(spec, number, where)}
    chart = {
        "chartId": chart_id_for(sheet_id, number),
        "spec": {"title": spec.title, "basicChart": _basic_chart(spec, source, source_id)},
        "position": position,
    }
    return {"addChart": {"chart": chart}}


def chart_requests(
    table: OutputTable,
    where: Place,
    old_chart_ids: Sequence[int],
    tables: Sequence[OutputTable],
    sheet_ids: Mapping[str, int],
) -> list[Json]:
    """Delete the charts sheetsync drew on the table's tab, then draw its specs."""
    requests: list[Json] = [
        {"deleteEmbeddedObject": {"objectId": chart_id}}
        for chart_id in ours(where.sheet_id, old_chart_ids)
    ]
    for number, spec in enumerate(table.charts[:MAX_CHARTS]):
        title = spec.source or table.title
        source = next((t for t in tables if t.title == title), None)
        if source is None or title not in sheet_ids:
            continue  # the data's tab is not part of this write: nothing to draw from
        requests.append(add_chart(spec, number, where, source, sheet_ids[title]))
    return requests
