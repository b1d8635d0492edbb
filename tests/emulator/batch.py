"""spreadsheets.batchUpdate requests the emulator understands, applied to a copy.

Each handler takes the spreadsheet copy and the request body, returns the reply.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.emulator import a1, fields, limits
from tests.emulator.formatting import add_conditional_format_rule, delete_conditional_format_rule
from tests.emulator.state import (
    DEFAULT_COLUMNS,
    DEFAULT_ROWS,
    ApiError,
    Json,
    Sheet,
    Spreadsheet,
    invalid,
)

Handler = Callable[[Spreadsheet, Json], Json]


def _set_path(target: Json, path: list[str], source: Json) -> None:
    """Copy source's value at path into target, or remove it when source lacks it."""
    for key in path[:-1]:
        source = source.get(key, {})
        target = target.setdefault(key, {})
    if path[-1] in source:
        target[path[-1]] = source[path[-1]]
    else:
        target.pop(path[-1], None)


def _update_cell(sheet: Sheet, pos: tuple[int, int], new: Json, mask: list[list[str]]) -> None:
    limits.check_cell(new)
    cell = sheet.cells.get(pos, {})
    if mask == [["*"]]:
        cell = dict(new)
    else:
        for path in mask:
            _set_path(cell, path, new)
    _prune(cell)
    if cell:
        sheet.cells[pos] = cell
    else:
        sheet.cells.pop(pos, None)


def _prune(node: Json) -> None:
    for key in [k for k, v in node.items() if isinstance(v, dict)]:
        _prune(node[key])
        if not node[key] and key != "userEnteredValue":
            del node[key]


def _grid_range(book: Spreadsheet, grid: Json) -> tuple[Sheet, range, range]:
    sheet = book.sheet_by_id(int(grid.get("sheetId", 0)))
    rows = range(int(grid.get("startRowIndex", 0)), int(grid.get("endRowIndex", sheet.row_count)))
    cols = range(
        int(grid.get("startColumnIndex", 0)), int(grid.get("endColumnIndex", sheet.column_count))
    )
    limits.check_grid(sheet, a1.Bounds(rows.start, rows.stop, cols.start, cols.stop))
    return sheet, rows, cols


def update_cells(book: Spreadsheet, body: Json) -> Json:
    mask = fields.paths(str(body.get("fields", "")))
    if not body.get("fields"):
        raise invalid("At least one field must be specified in 'fields'.")
    if "range" in body:
        sheet, rows, cols = _grid_range(book, body["range"])
        start_row, start_col = rows.start, cols.start
        for pos in [(r, c) for r in rows for c in cols]:
            _update_cell(sheet, pos, {}, mask)
    else:
        start = body.get("start", {})
        sheet = book.sheet_by_id(int(start.get("sheetId", 0)))
        start_row, start_col = int(start.get("rowIndex", 0)), int(start.get("columnIndex", 0))
    _write_rows(sheet, (start_row, start_col), body.get("rows", []), mask)
    return {}


def _write_rows(sheet: Sheet, at: tuple[int, int], rows: list[Json], mask: list[list[str]]) -> None:
    """RowData written from `at`; all of it must fall inside the grid."""
    width = max((len(row.get("values", [])) for row in rows), default=0)
    if rows and width:
        limits.check_grid(sheet, a1.Bounds(at[0], at[0] + len(rows), at[1], at[1] + width))
    for i, row in enumerate(rows):
        for j, new in enumerate(row.get("values", [])):
            _check_value(new)
            _update_cell(sheet, (at[0] + i, at[1] + j), new, mask)


def append_cells(book: Spreadsheet, body: Json) -> Json:
    """Rows after the last one holding data; Google adds rows, never columns."""
    mask = fields.paths(str(body.get("fields", "")))
    if not body.get("fields"):
        raise invalid("At least one field must be specified in 'fields'.")
    sheet = book.sheet_by_id(int(body.get("sheetId", 0)))
    rows: list[Json] = body.get("rows", [])
    width = max((len(row.get("values", [])) for row in rows), default=0)
    if width > sheet.column_count:
        raise invalid(
            f"Attempting to write column: {sheet.column_count}, beyond the last requested "
            f"column of: {sheet.column_count - 1}"
        )
    last, _ = sheet.used_extent()
    if last + len(rows) > sheet.row_count:
        sheet.grid["rowCount"] = last + len(rows)
    _write_rows(sheet, (last, 0), rows, mask)
    return {}


def _check_value(cell: Json) -> None:
    value = cell.get("userEnteredValue", {})
    if len(value) > 1:
        raise invalid("Only one value kind may be set in userEnteredValue.")


def repeat_cell(book: Spreadsheet, body: Json) -> Json:
    sheet, rows, cols = _grid_range(book, body["range"])
    mask = fields.paths(str(body.get("fields", "*")))
    for r in rows:
        for c in cols:
            _update_cell(sheet, (r, c), body.get("cell", {}), mask)
    return {}


def set_data_validation(book: Spreadsheet, body: Json) -> Json:
    sheet, rows, cols = _grid_range(book, body["range"])
    rule = body.get("rule")
    if rule is not None and "condition" not in rule:
        raise invalid("Invalid requests: setDataValidation rule needs a condition.")
    new = {"dataValidation": rule} if rule else {}
    for r in rows:
        for c in cols:
            _update_cell(sheet, (r, c), new, [["dataValidation"]])
    return {}


def _check_grid(sheet: Sheet) -> None:
    frozen = int(sheet.grid.get("frozenRowCount", 0))
    if sheet.row_count < 1 or sheet.column_count < 1:
        raise invalid("Grid must have at least one row and one column.")
    if frozen >= sheet.row_count and frozen:
        raise invalid("You can't freeze all visible rows on the sheet.")


def add_sheet(book: Spreadsheet, body: Json) -> Json:
    props: Json = dict(body.get("properties", {}))
    title = str(props.get("title") or f"Sheet{len(book.sheets) + 1}")
    if book.title_taken(title):
        raise invalid(f'A sheet with the name "{title}" already exists. Please enter another name.')
    sheet_id = int(props.get("sheetId", book.new_id()))
    if any(s.sheet_id == sheet_id for s in book.sheets):
        raise invalid(f"A sheet with id {sheet_id} already exists.")
    grid = {"rowCount": DEFAULT_ROWS, "columnCount": DEFAULT_COLUMNS}
    grid.update(props.get("gridProperties", {}))
    props.update(title=title, sheetId=sheet_id, sheetType="GRID", gridProperties=grid)
    sheet = Sheet(props)
    _check_grid(sheet)
    book.sheets.insert(int(props.get("index", len(book.sheets))), sheet)
    book.reindex()
    return {"addSheet": {"properties": sheet.properties}}


def delete_sheet(book: Spreadsheet, body: Json) -> Json:
    sheet = book.sheet_by_id(int(body.get("sheetId", 0)))
    if len(book.sheets) == 1:
        raise invalid("You can't remove all the sheets in a document.")
    book.sheets.remove(sheet)
    book.reindex()
    return {}


def update_sheet_properties(book: Spreadsheet, body: Json) -> Json:
    new: Json = body.get("properties", {})
    sheet = book.sheet_by_id(int(new.get("sheetId", 0)))
    if "title" in new and book.title_taken(str(new["title"]), but=sheet.sheet_id):
        raise invalid(
            f'A sheet with the name "{new["title"]}" already exists. Please enter another name.'
        )
    for path in fields.paths(str(body.get("fields", ""))):
        _set_path(sheet.properties, path, new)
    _check_grid(sheet)
    if all(s.properties.get("hidden") for s in book.sheets):
        raise invalid("You can't hide all the sheets in a document.")
    sheet.trim_to_grid()
    return {}


def update_spreadsheet_properties(book: Spreadsheet, body: Json) -> Json:
    for path in fields.paths(str(body.get("fields", ""))):
        _set_path(book.properties, path, body.get("properties", {}))
    return {}


def add_protected_range(book: Spreadsheet, body: Json) -> Json:
    protected: Json = dict(body.get("protectedRange", {}))
    sheet, _, _ = _grid_range(book, protected.get("range", {}))
    protected.setdefault("protectedRangeId", book.new_id())
    protected["range"] = {"sheetId": sheet.sheet_id, **protected.get("range", {})}
    sheet.protected_ranges.append(protected)
    return {"addProtectedRange": {"protectedRange": protected}}


def delete_protected_range(book: Spreadsheet, body: Json) -> Json:
    wanted = int(body.get("protectedRangeId", -1))
    for sheet in book.sheets:
        kept = [p for p in sheet.protected_ranges if p["protectedRangeId"] != wanted]
        if len(kept) != len(sheet.protected_ranges):
            sheet.protected_ranges = kept
            return {}
    raise invalid(f"No protected range with id: {wanted}")


def create_developer_metadata(book: Spreadsheet, body: Json) -> Json:
    meta: Json = dict(body.get("developerMetadata", {}))
    if not meta.get("metadataKey") or "visibility" not in meta:
        raise invalid("Developer metadata needs a metadataKey and a visibility.")
    meta.setdefault("metadataId", book.new_id())
    if any(m["metadataId"] == meta["metadataId"] for m, _ in book.all_metadata()):
        raise invalid(f"Developer metadata with id {meta['metadataId']} already exists.")
    location: Json = meta.get("location", {})
    if "sheetId" in location:
        sheet = book.sheet_by_id(int(location["sheetId"]))
        meta["location"] = {"locationType": "SHEET", "sheetId": sheet.sheet_id}
        sheet.developer_metadata.append(meta)
    elif location.get("spreadsheet"):
        meta["location"] = {"locationType": "SPREADSHEET", "spreadsheet": True}
        book.developer_metadata.append(meta)
    else:
        raise invalid("Developer metadata location must be a sheet or the spreadsheet.")
    return {"createDeveloperMetadata": {"developerMetadata": meta}}


def _matches(meta: Json, lookup: Json) -> bool:
    for key in ("metadataId", "metadataKey", "metadataValue", "visibility"):
        if key in lookup and meta.get(key) != lookup[key]:
            return False
    where: Json = lookup.get("metadataLocation", {})
    if "sheetId" in where and meta["location"].get("sheetId") != where["sheetId"]:
        return False
    return not (where.get("spreadsheet") and meta["location"].get("locationType") != "SPREADSHEET")


def delete_developer_metadata(book: Spreadsheet, body: Json) -> Json:
    lookup: Json = body.get("dataFilter", {}).get("developerMetadataLookup", {})
    if not lookup:
        raise invalid("deleteDeveloperMetadata needs a developerMetadataLookup data filter.")
    deleted = [m for m, _ in book.all_metadata() if _matches(m, lookup)]
    book.developer_metadata = [m for m in book.developer_metadata if m not in deleted]
    for sheet in book.sheets:
        sheet.developer_metadata = [m for m in sheet.developer_metadata if m not in deleted]
    return {"deleteDeveloperMetadata": {"deletedDeveloperMetadata": deleted}}


def add_chart(book: Spreadsheet, body: Json) -> Json:
    chart: Json = dict(body.get("chart", {}))
    anchor = chart.get("position", {}).get("overlayPosition", {}).get("anchorCell", {})
    sheet = book.sheet_by_id(int(anchor.get("sheetId", book.sheets[0].sheet_id)))
    row, column = int(anchor.get("rowIndex", 0)), int(anchor.get("columnIndex", 0))
    if not (0 <= row < sheet.row_count and 0 <= column < sheet.column_count):
        raise invalid(f"The chart's anchor cell ({row}, {column}) is outside the grid.")
    chart.setdefault("chartId", book.new_id())
    sheet.charts.append(chart)
    return {"addChart": {"chart": chart}}


def delete_embedded_object(book: Spreadsheet, body: Json) -> Json:
    wanted = body.get("objectId")
    for sheet in book.sheets:
        kept = [c for c in sheet.charts if c.get("chartId") != wanted]
        if len(kept) != len(sheet.charts):
            sheet.charts = kept
            return {}
    raise invalid(f"No embedded object with id: {wanted}")


def update_dimension_properties(book: Spreadsheet, body: Json) -> Json:
    span: Json = body.get("range", {})
    sheet = book.sheet_by_id(int(span.get("sheetId", 0)))
    size = body.get("properties", {}).get("pixelSize")
    if span.get("dimension") == "COLUMNS" and size is not None:
        for col in range(int(span.get("startIndex", 0)), int(span.get("endIndex", 0))):
            sheet.column_widths[col] = int(size)
    return {}


HANDLERS: dict[str, Handler] = {
    "updateCells": update_cells,
    "appendCells": append_cells,
    "repeatCell": repeat_cell,
    "setDataValidation": set_data_validation,
    "addSheet": add_sheet,
    "deleteSheet": delete_sheet,
    "updateSheetProperties": update_sheet_properties,
    "updateSpreadsheetProperties": update_spreadsheet_properties,
    "addProtectedRange": add_protected_range,
    "deleteProtectedRange": delete_protected_range,
    "createDeveloperMetadata": create_developer_metadata,
    "deleteDeveloperMetadata": delete_developer_metadata,
    "addChart": add_chart,
    "deleteEmbeddedObject": delete_embedded_object,
    "updateDimensionProperties": update_dimension_properties,
    "addConditionalFormatRule": add_conditional_format_rule,
    "deleteConditionalFormatRule": delete_conditional_format_rule,
}


def apply(book: Spreadsheet, requests: list[Any]) -> list[Json]:
    """Apply every request to `book` (a copy); the first invalid one raises."""
    if not requests:
        raise invalid("Invalid requests: must specify at least one request.")
    replies = []
    for i, request in enumerate(requests):
        if not isinstance(request, dict) or len(request) != 1:
            raise invalid(f"Invalid requests[{i}]: exactly one request kind must be set.")
        ((kind, body),) = request.items()
        handler = HANDLERS.get(kind)
        if handler is None:
            raise invalid(
                f"Invalid JSON payload received. Unknown name \"{kind}\" at 'requests[{i}]': "
                "Cannot find field."
            )
        try:
            replies.append(handler(book, body))
            book.check_limits()  # Google names the request that went over
        except (ApiError, KeyError, ValueError, TypeError) as error:
            message = getattr(error, "message", str(error))
            raise invalid(f"Invalid requests[{i}].{kind}: {message}") from error
    return replies
