"""The emulator's stored state: spreadsheets, sheets, cells, metadata, protections.

Cells are stored as CellData-like JSON dicts keyed by (row, column), 0-based.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

Json = dict[str, Any]

CELL_LIMIT = 10_000_000
DEFAULT_ROWS = 1000
DEFAULT_COLUMNS = 26


class ApiError(Exception):
    """An error answer, shaped like Google's {"error": {code, message, status, ...}}.

    `errors` is the legacy list some answers still carry (reason "badRequest",
    "forbidden", "accessNotConfigured"); `details` the google.rpc detail objects
    (an ErrorInfo with its reason and metadata). Each is sent only when given,
    as Google sends them only for some errors.
    """

    STATUSES = {  # noqa: RUF012 - a constant table, never mutated
        400: "INVALID_ARGUMENT",
        403: "PERMISSION_DENIED",
        404: "NOT_FOUND",
        429: "RESOURCE_EXHAUSTED",
        500: "INTERNAL",
        503: "UNAVAILABLE",
    }

    def __init__(
        self,
        code: int,
        message: str,
        *,
        errors: list[Json] | None = None,
        details: list[Json] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.errors = errors
        self.details = details

    def body(self) -> Json:
        status = self.STATUSES.get(self.code, "UNKNOWN")
        error: Json = {"code": self.code, "message": self.message}
        if self.errors is not None:
            error["errors"] = self.errors
        error["status"] = status
        if self.details is not None:
            error["details"] = self.details
        return {"error": error}


def invalid(message: str) -> ApiError:
    return ApiError(400, message)


@dataclass
class Sheet:
    """One tab: its properties, cells and the objects attached to it."""

    properties: Json
    cells: dict[tuple[int, int], Json] = field(default_factory=dict)
    developer_metadata: list[Json] = field(default_factory=list)
    protected_ranges: list[Json] = field(default_factory=list)
    charts: list[Json] = field(default_factory=list)
    column_widths: dict[int, int] = field(default_factory=dict)
    conditional_formats: list[Json] = field(default_factory=list)

    @property
    def sheet_id(self) -> int:
        return int(self.properties["sheetId"])

    @property
    def title(self) -> str:
        return str(self.properties["title"])

    @property
    def grid(self) -> Json:
        grid: Json = self.properties.setdefault("gridProperties", {})
        return grid

    @property
    def row_count(self) -> int:
        return int(self.grid.get("rowCount", DEFAULT_ROWS))

    @property
    def column_count(self) -> int:
        return int(self.grid.get("columnCount", DEFAULT_COLUMNS))

    def trim_to_grid(self) -> None:
        """Drop cells outside the grid, as resizing a sheet does."""
        self.cells = {
            (r, c): cell
            for (r, c), cell in self.cells.items()
            if r < self.row_count and c < self.column_count
        }

    def used_extent(self) -> tuple[int, int]:
        """(rows, columns) up to the last cell holding a value."""
        filled = [pos for pos, cell in self.cells.items() if "userEnteredValue" in cell]
        if not filled:
            return 0, 0
        return max(r for r, _ in filled) + 1, max(c for _, c in filled) + 1


@dataclass
class Spreadsheet:
    """A whole spreadsheet; batchUpdate works on a deep copy then swaps it in."""

    spreadsheet_id: str
    properties: Json
    sheets: list[Sheet] = field(default_factory=list)
    developer_metadata: list[Json] = field(default_factory=list)
    access: str = "writer"  # "writer", "reader" or "none" for every caller
    next_id: int = 1

    def clone(self) -> Spreadsheet:
        return copy.deepcopy(self)

    def new_id(self) -> int:
        """A fresh id for metadata, protected ranges and charts."""
        self.next_id += 1
        return self.next_id * 7919 % 2_000_000_011

    def sheet_by_id(self, sheet_id: int) -> Sheet:
        for sheet in self.sheets:
            if sheet.sheet_id == sheet_id:
                return sheet
        raise invalid(f"No grid with id: {sheet_id}")

    def sheet_by_title(self, title: str | None) -> Sheet:
        if title is None:
            return self.sheets[0]
        for sheet in self.sheets:
            if sheet.title.casefold() == title.casefold():
                return sheet
        raise invalid(f"Unable to parse range: {title}")

    def title_taken(self, title: str, but: int | None = None) -> bool:
        return any(
            s.title.casefold() == title.casefold() and s.sheet_id != but for s in self.sheets
        )

    def reindex(self) -> None:
        for index, sheet in enumerate(self.sheets):
            sheet.properties["index"] = index

    def cell_count(self) -> int:
        return sum(s.row_count * s.column_count for s in self.sheets)

    def check_limits(self) -> None:
        if self.cell_count() > CELL_LIMIT:
            raise invalid(
                "This action would increase the number of cells in the workbook above "
                f"the limit of {CELL_LIMIT} cells."
            )

    def all_metadata(self) -> list[tuple[Json, Sheet | None]]:
        found: list[tuple[Json, Sheet | None]] = [(m, None) for m in self.developer_metadata]
        for sheet in self.sheets:
            found += [(m, sheet) for m in sheet.developer_metadata]
        return found
