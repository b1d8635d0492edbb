"""The emulator's read answers: spreadsheets.get bodies and values ranges.

Trailing empty rows and columns are trimmed, as Google does.
"""

from __future__ import annotations

from typing import Any

from tests.emulator import a1, fields
from tests.emulator.render import effective, formatted, unformatted
from tests.emulator.state import Json, Sheet, Spreadsheet, invalid

URL = "https://docs.google.com/spreadsheets/d/{}/edit"


def _cell_data(cell: Json, locale: str) -> Json:
    if not cell:
        return {}
    data: Json = {k: cell[k] for k in ("userEnteredValue", "userEnteredFormat") if k in cell}
    value = effective(cell)
    if value is not None:
        data["effectiveValue"] = value
        data["formattedValue"] = formatted(cell, locale)
    if "userEnteredFormat" in cell:
        data["effectiveFormat"] = cell["userEnteredFormat"]
    if "dataValidation" in cell:
        data["dataValidation"] = cell["dataValidation"]
    return data


def _last_filled(sheet: Sheet, area: a1.Bounds, values_only: bool = False) -> tuple[int, int]:
    filled = [
        (r, c)
        for (r, c), cell in sheet.cells.items()
        if _inside(area, r, c) and ((cell and not values_only) or "userEnteredValue" in cell)
    ]
    rows = [r for r, _ in filled]
    cols = [c for _, c in filled]
    return (max(rows) + 1 if rows else area.start_row, max(cols) + 1 if cols else area.start_col)


def _inside(area: a1.Bounds, row: int, col: int) -> bool:
    return area.start_row <= row < area.end_row and area.start_col <= col < area.end_col


def grid_data(sheet: Sheet, area: a1.Bounds, locale: str) -> Json:
    """A GridData for one range; rows and cells past the last filled one omitted."""
    end_row, _ = _last_filled(sheet, area)
    rows = []
    for r in range(area.start_row, end_row):
        cells = [
            _cell_data(sheet.cells.get((r, c), {}), locale)
            for c in range(area.start_col, area.end_col)
        ]
        while cells and not cells[-1]:
            cells.pop()
        rows.append({"values": cells} if cells else {})
    data: Json = {"rowData": rows} if rows else {}
    if area.start_row:
        data["startRow"] = area.start_row
    if area.start_col:
        data["startColumn"] = area.start_col
    return data


def sheet_json(sheet: Sheet, areas: list[a1.Bounds] | None, locale: str) -> Json:
    body: Json = {"properties": sheet.properties}
    if areas is not None:
        body["data"] = [grid_data(sheet, area, locale) for area in areas]
    for key, items in (
        ("protectedRanges", sheet.protected_ranges),
        ("developerMetadata", sheet.developer_metadata),
        ("charts", sheet.charts),
        ("conditionalFormats", sheet.conditional_formats),
    ):
        if items:
            body[key] = items
    return body


def _areas(book: Spreadsheet, ranges: list[str]) -> dict[int, list[a1.Bounds]]:
    found: dict[int, list[a1.Bounds]] = {}
    for text in ranges:
        parsed = parse_range(text)
        sheet = book.sheet_by_title(parsed.title)
        area = a1.bounds(parsed, sheet.row_count, sheet.column_count)
        found.setdefault(sheet.sheet_id, []).append(area)
    return found


def spreadsheet_json(book: Spreadsheet, params: dict[str, list[str]]) -> Json:
    """The body of spreadsheets.get for these query parameters."""
    mask_text = params.get("fields", [""])[0]
    mask = fields.parse(mask_text) if mask_text else None
    wants_grid = "data" in mask_text if mask_text else _true(params, "includeGridData")
    ranges = params.get("ranges", [])
    areas = _areas(book, ranges) if ranges else None
    locale = str(book.properties.get("locale", "en_US"))
    sheets = []
    for sheet in book.sheets:
        if areas is not None and sheet.sheet_id not in areas:
            continue
        whole = [a1.bounds(a1.A1Range(sheet.title), sheet.row_count, sheet.column_count)]
        mine = (areas or {}).get(sheet.sheet_id, whole) if wants_grid else None
        sheets.append(sheet_json(sheet, mine, locale))
    body: Json = {"spreadsheetId": book.spreadsheet_id, "properties": book.properties}
    body["sheets"] = sheets
    if book.developer_metadata:
        body["developerMetadata"] = book.developer_metadata
    body["spreadsheetUrl"] = URL.format(book.spreadsheet_id)
    result: Json = fields.apply(body, mask)
    return result


def _true(params: dict[str, list[str]], name: str) -> bool:
    return params.get(name, ["false"])[0].lower() == "true"


def parse_range(text: str) -> a1.A1Range:
    try:
        return a1.parse(text)
    except a1.RangeError:
        raise invalid(f"Unable to parse range: {text}") from None


def value_range(book: Spreadsheet, text: str, params: dict[str, list[str]]) -> Json:
    """One ValueRange of values.get / values.batchGet."""
    parsed = parse_range(text)
    sheet = book.sheet_by_title(parsed.title)
    area = a1.bounds(parsed, sheet.row_count, sheet.column_count)
    option = params.get("valueRenderOption", ["FORMATTED_VALUE"])[0]
    date_option = params.get("dateTimeRenderOption", ["SERIAL_NUMBER"])[0]
    major = params.get("majorDimension", ["ROWS"])[0]
    locale = str(book.properties.get("locale", "en_US"))
    end_row, end_col = _last_filled(sheet, area, values_only=True)
    grid: list[list[Any]] = [
        [
            unformatted(sheet.cells.get((r, c), {}), option, date_option, locale)
            for c in range(area.start_col, end_col)
        ]
        for r in range(area.start_row, end_row)
    ]
    if major == "COLUMNS":
        grid = [list(col) for col in zip(*grid, strict=True)]
    values = [_trim(row) for row in grid]
    body: Json = {"range": a1.render(sheet.title, area), "majorDimension": major}
    if values:
        body["values"] = values
    return body


def _trim(row: list[Any]) -> list[Any]:
    while row and row[-1] == "":
        row.pop()
    return row
