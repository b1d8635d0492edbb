"""Google test spreadsheets on the emulator: the factory behind the gsheet fixtures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sheetsync.backends.gsheets.backend import GoogleBackend
from sheetsync.model import CellValue
from tests.emulator import Emulator

GsheetFactory = Callable[..., tuple[GoogleBackend, Emulator]]


def _typed(value: CellValue) -> object:
    """Dates and durations entered the way a user types them in the sheet."""
    if isinstance(value, str) and value.startswith("="):
        return "'" + value  # text that looks like a formula stays text, as in the sheet
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        minutes = round(value.total_seconds() / 60)
        return f"{minutes // 60}:{minutes % 60:02d}"
    return value
