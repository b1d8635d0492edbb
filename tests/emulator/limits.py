"""Google's real limits, as the emulator enforces them, and the error answers Google gives.

Each answer keeps the wording and shape users meet (docs/GOOGLE.md lists them):
request size, characters per cell, writes outside a tab's grid, the API not
enabled in the caller's Cloud project, a spreadsheet not shared with the caller.
"""

from __future__ import annotations

from tests.emulator import a1
from tests.emulator.state import ApiError, Json, Sheet, invalid

PAYLOAD_LIMIT = 10_485_760  # bytes of request body
CELL_CHARACTERS = 50_000  # characters in one cell
SHEETS_SERVICE = "sheets.googleapis.com"
ACTIVATION_URL = "https://console.developers.google.com/apis/api/sheets.googleapis.com/overview"


def payload_too_large(limit: int = PAYLOAD_LIMIT) -> ApiError:
    message = f"Request payload size exceeds the limit: {limit} bytes."
    legacy = [{"message": message, "domain": "global", "reason": "badRequest"}]
    return ApiError(400, message, errors=legacy)


def check_cell(cell: Json) -> None:
    """Refuse a cell whose text or formula is longer than Google accepts."""
    value = cell.get("userEnteredValue") or {}
    text = value.get("stringValue", value.get("formulaValue"))
    if isinstance(text, str) and len(text) > CELL_CHARACTERS:
        raise invalid(
            f"Your input contains more than the maximum of {CELL_CHARACTERS} "
            "characters in a single cell."
        )


def outside_grid(sheet: Sheet, area: a1.Bounds) -> ApiError:
    """Google's answer to a write reaching past the tab's last row or column."""
    first = f"{a1.column_letters(area.start_col)}{area.start_row + 1}"
    last = f"{a1.column_letters(max(area.end_col - 1, area.start_col))}{max(area.end_row, 1)}"
    cells = first if first == last else f"{first}:{last}"
    return invalid(
        f"Range ({a1.quote_title(sheet.title)}!{cells}) exceeds grid limits. "
        f"Max rows: {sheet.row_count}, max columns: {sheet.column_count}"
    )


def check_grid(sheet: Sheet, area: a1.Bounds) -> None:
    if area.end_row > sheet.row_count or area.end_col > sheet.column_count:
        raise outside_grid(sheet, area)


def no_permission() -> ApiError:
    """The spreadsheet is not shared with the caller (or only for reading, on a write)."""
    return ApiError(403, "The caller does not have permission")


def service_disabled(project: str, *, legacy: bool = False) -> ApiError:
    """The Sheets API is not enabled in the caller's Cloud project.

    Today's answer carries an ErrorInfo (reason SERVICE_DISABLED, the consumer
    project and the activation URL); older front ends sent the legacy
    errors[] item with reason accessNotConfigured instead.
    """
    url = f"{ACTIVATION_URL}?project={project}"
    message = (
        f"Google Sheets API has not been used in project {project} before or it is disabled. "
        f"Enable it by visiting {url} then retry. If you enabled this API recently, wait a "
        "few minutes for the action to propagate to our systems and retry."
    )
    if legacy:
        item = {
            "message": message,
            "domain": "usageLimits",
            "reason": "accessNotConfigured",
            "extendedHelp": "https://console.developers.google.com",
        }
        return ApiError(403, message, errors=[item])
    details: list[Json] = [
        {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "SERVICE_DISABLED",
            "domain": "googleapis.com",
            "metadata": {
                "consumer": f"projects/{project}",
                "service": SHEETS_SERVICE,
                "serviceTitle": "Google Sheets API",
                "containerInfo": project,
                "activationUrl": url,
            },
        },
        {
            "@type": "type.googleapis.com/google.rpc.LocalizedMessage",
            "locale": "en-US",
            "message": message,
        },
        {
            "@type": "type.googleapis.com/google.rpc.Help",
            "links": [{"description": "Google developers console API activation", "url": url}],
        },
    ]
    return ApiError(403, message, details=details)
