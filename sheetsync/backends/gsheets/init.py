"""The batchUpdate requests of `init` on Google: template tabs, formats and dropdowns.

Tabs that already hold data are never touched; an empty tab of the right name is filled.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sheetsync.backends.gsheets.cells import header_cell, number_format, write_cell
from sheetsync.backends.gsheets.layout import PIXELS_PER_WIDTH
from sheetsync.backends.gsheets.plan import SheetsState, TabState, sheet_id_for
from sheetsync.backends.header_notes import header_notes
from sheetsync.formats import column_letter
from sheetsync.model import CellValue
from sheetsync.template import Column, Lang, Tab, load, normalize

Json = dict[str, Any]

TEMPLATE_ROWS = 1000  # rows below the header that get formats and dropdowns


def matching_tab(state: SheetsState, tab: Tab) -> TabState | None:
    """The existing tab standing for a template tab, in either language."""
    keys = tab.match_keys()
    return next((t for t in state.tabs if normalize(t.title) in keys), None)


def _quoted(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _condition(column: Column, lang: Lang) -> tuple[Json, bool] | None:
    """The dropdown condition of a column and whether it is strict."""
    template = load()
    if column.enum is not None or column.kind == "bool" or column.suggest is not None:
        enum = template.enums[column.enum or column.suggest or "bool"]
        values = [{"userEnteredValue": label} for label in enum.labels(lang)]
        return {"type": "ONE_OF_LIST", "values": values}, column.suggest is None
    if column.list is not None:
        source = template.input(column.list)
        first = next(i for i, c in enumerate(source.columns) if c.kind == "name")
        letter = column_letter(first)
        formula = f"={_quoted(source.name(lang))}!{letter}2:{letter}"
        # An unknown person is only a warning (SPEC §6); an unknown group is an error.
        return {"type": "ONE_OF_RANGE", "values": [{"userEnteredValue": formula}]}, False
    return None


def _column_requests(sheet_id: int, index: int, column: Column, lang: Lang) -> list[Json]:
    span = {
        "sheetId": sheet_id,
        "startRowIndex": 1,
        "endRowIndex": TEMPLATE_ROWS + 1,
        "startColumnIndex": index,
        "endColumnIndex": index + 1,
    }
    found: list[Json] = []
    fmt = number_format(column.kind, output=False)
    if fmt:
        cell = {"userEnteredFormat": fmt}
        found.append(
            {
                "repeatCell": {
                    "range": span,
                    "cell": cell,
                    "fields": "userEnteredFormat.numberFormat",
                }
            }
        )
    condition = _condition(column, lang)
    if condition is not None:
        rule = {"condition": condition[0], "strict": condition[1], "showCustomUi": True}
        found.append({"setDataValidation": {"range": span, "rule": rule}})
    found.append(
        {
            "updateDimensionProperties": {
                "range": {
                    "sheetId": sheet_id,
                    "dimension": "COLUMNS",
                    "startIndex": index,
                    "endIndex": index + 1,
                },
                "properties": {"pixelSize": column.width * PIXELS_PER_WIDTH},
                "fields": "pixelSize",
            }
        }
    )
    return found


def _tab_requests(
    tab: Tab,
    lang: Lang,
    sheet_id: int,
    existing: TabState | None,
    rows: Sequence[Sequence[CellValue]],
) -> list[Json]:
    grid = {
        "rowCount": max(TEMPLATE_ROWS, len(rows)) + 1,
        "columnCount": len(tab.columns),
        "frozenRowCount": 1,
    }
    props = {"sheetId": sheet_id, "title": tab.name(lang), "gridProperties": grid}
    if existing is None:
        first: Json = {"addSheet": {"properties": props}}
    else:
        del props["title"]  # an empty tab keeps the name the user gave it
        fields = "gridProperties.rowCount,gridProperties.columnCount,gridProperties.frozenRowCount"
        first = {"updateSheetProperties": {"properties": props, "fields": fields}}
    notes = header_notes(tab, lang)
    header = [header_cell(c.name(lang)) for c in tab.columns]
    # A note on each header says what to type in the column.
    data = [
        {
            "values": [
                {**cell, "note": note} if note else cell
                for cell, note in zip(header, notes, strict=True)
            ]
        }
    ]
    data += [{"values": [write_cell(v) for v in row[: len(tab.columns)]]} for row in rows]
    content = {
        "updateCells": {
            "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0},
            "rows": data,
            "fields": "userEnteredValue,userEnteredFormat,note",
        }
    }
    columns = [r for i, c in enumerate(tab.columns) for r in _column_requests(sheet_id, i, c, lang)]
    return [first, content, *columns]


def plan_init(
    state: SheetsState,
    filled: set[str],
    lang: Lang,
    rows: Mapping[str, Sequence[Sequence[CellValue]]],
    default_rows: Mapping[str, Sequence[Sequence[CellValue]]],
) -> list[Json]:
    """Requests creating the missing template tabs; `filled` are titles holding data."""
    taken = {t.sheet_id for t in state.tabs}
    requests: list[Json] = []
    for tab in load().initial_inputs({key for key, data in rows.items() if data}):
        existing = matching_tab(state, tab)
        if existing is not None and existing.title in filled:
            continue
        sheet_id = existing.sheet_id if existing else sheet_id_for(tab.name(lang), taken)
        taken.add(sheet_id)
        data = rows.get(tab.key) or default_rows.get(tab.key, ())
        requests += _tab_requests(tab, lang, sheet_id, existing, data)
    return requests
