"""Native Google Sheets charts for owned tabs: the batchUpdate requests that delete
the charts sheetsync drew on a tab and draw its table's model.ChartSpec again.

Chart ids are derived from the tab's sheet id, so sheetsync recognises its own
charts and leaves any other chart alone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from sheetsync.model import ChartSpec, OutputTable

Json = dict[str, Any]

MAX_CHARTS = 8  # charts sheetsync may draw on one tab
CHART_WIDTH = 640  # pixels
CHART_HEIGHT = 380
GAP = 24  # pixels between the table and its charts, and between charts


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


def add_chart(
    spec: ChartSpec, number: int, where: tuple[int, int, int], source: OutputTable, source_id: int
) -> Json:
    """addChart for a spec; `where` is (sheet id, last column index, its width in pixels).

    A chart must be anchored on a cell of the grid, and the tab's grid ends
    with the table: it hangs from the last column, shifted past it.
    """
    sheet_id, last_column, last_width = where
    position = {
        "overlayPosition": {
            "anchorCell": {"sheetId": sheet_id, "rowIndex": 1, "columnIndex": last_column},
            "offsetXPixels": last_width + GAP,
            "offsetYPixels": number * (CHART_HEIGHT + GAP),
            "widthPixels": CHART_WIDTH,
            "heightPixels": CHART_HEIGHT,
        }
    }
    chart = {
        "chartId": chart_id_for(sheet_id, number),
        "spec": {"title": spec.title, "basicChart": _basic_chart(spec, source, source_id)},
        "position": position,
    }
    return {"addChart": {"chart": chart}}


def chart_requests(
    table: OutputTable,
    where: tuple[int, int, int],
    old_chart_ids: Sequence[int],
    tables: Sequence[OutputTable],
    sheet_ids: Mapping[str, int],
) -> list[Json]:
    """Delete the charts sheetsync drew on the table's tab, then draw its specs."""
    requests: list[Json] = [
        {"deleteEmbeddedObject": {"objectId": chart_id}}
        for chart_id in ours(where[0], old_chart_ids)
    ]
    for number, spec in enumerate(table.charts[:MAX_CHARTS]):
        title = spec.source or table.title
        source = next((t for t in tables if t.title == title), None)
        if source is None or title not in sheet_ids:
            continue  # the data's tab is not part of this write: nothing to draw from
        requests.append(add_chart(spec, number, where, source, sheet_ids[title]))
    return requests
