"""The golden cases against a real Google spreadsheet (pytest -m live).

Needs SHEETSYNC_LIVE_SPREADSHEET (URL or ID of a spreadsheet used only for
this: every tab of it is deleted) and credentials (SHEETSYNC_LIVE_CREDENTIALS,
a service-account key, or application default credentials). Skipped
otherwise. The same file runs against the emulator's localhost server when
SHEETS_EMULATOR_HOST is set, which is how it is checked offline.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import gspread
import pytest

from sheetsync.backends.gsheets.auth import load_identity, make_session
from sheetsync.backends.gsheets.backend import GoogleBackend
from sheetsync.model import CellValue
from sheetsync.sync.pipeline import run_sync
from sheetsync.targets import google_id
from tests.support.golden import GoldenCase, as_dates, load_cases, table_mismatches

LIVE = os.environ.get("SHEETSYNC_LIVE_SPREADSHEET", "")
CASES = load_cases()

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(not LIVE, reason="needs SHEETSYNC_LIVE_SPREADSHEET"),
]


def credentials() -> Path | None:
    path = os.environ.get("SHEETSYNC_LIVE_CREDENTIALS")
    return Path(path) if path else None


def typed(value: CellValue) -> object:
    """A cell as a user types it."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def fill(spreadsheet: gspread.Spreadsheet, case: GoldenCase) -> None:
    """Replace every tab of the spreadsheet by the case's input tabs."""
    placeholder = spreadsheet.add_worksheet("sheetsync-live", rows=1, cols=1)
    for sheet in spreadsheet.worksheets():
        if sheet.id != placeholder.id:
            spreadsheet.del_worksheet(sheet)
    for title, rows in case.inputs.items():
        width = max(len(row) for row in rows)
        sheet = spreadsheet.add_worksheet(title, rows=len(rows) + 1, cols=width)
        values = [[typed(cell) for cell in row] for row in rows]
        sheet.update(values, "A1", value_input_option=gspread.utils.ValueInputOption.user_entered)
    spreadsheet.del_worksheet(placeholder)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_case(case: GoldenCase) -> None:
    spreadsheet_id = google_id(LIVE) or LIVE
    identity = load_identity(credentials(), "fr")
    client = gspread.Client(auth=identity.credentials, session=make_session(identity))
    spreadsheet = client.open_by_key(spreadsheet_id)
    fill(spreadsheet, case)
    backend = GoogleBackend(spreadsheet_id, credentials())
    assert run_sync(backend, case.as_of).written
    for title, expected in case.expected.items():
        render = gspread.utils.ValueRenderOption.unformatted
        written = spreadsheet.worksheet(title).get_values(value_render_option=render)[1:]
        assert table_mismatches(as_dates(written, expected), expected) == [], title
    assert not run_sync(backend, case.as_of).written
