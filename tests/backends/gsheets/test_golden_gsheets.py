"""The golden cases on the Google Sheets emulator: the same books as on local workbooks."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from sheetsync.backends.gsheets.backend import GoogleBackend
from sheetsync.sync.pipeline import run_sync
from tests.emulator import Emulator, serving
from tests.support.golden import (
    GoldenCase,
    anomaly_mismatches,
    as_dates,
    load_cases,
    severity_labels,
    table_mismatches,
)

CASES = load_cases()
GsheetFactory = Callable[..., tuple[GoogleBackend, Emulator]]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_same_books_as_local(case: GoldenCase, gsheet_backend_from_rows: GsheetFactory) -> None:
    backend, emulator = gsheet_backend_from_rows(case.inputs)
    outcome = run_sync(backend, case.as_of)
    for title, expected in case.expected.items():
        written = emulator.tab_values(backend.spreadsheet_id, title)[1:]
        assert table_mismatches(as_dates(written, expected), expected) == [], title
    labels = severity_labels(outcome.book.lang)
    assert anomaly_mismatches(outcome.anomalies, case.anomalies, labels) == []


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_request_counts(case: GoldenCase, gsheet_backend_from_rows: GsheetFactory) -> None:
    backend, emulator = gsheet_backend_from_rows(case.inputs)
    run_sync(backend, case.as_of)
    # Metadata, values, the write, and the hours column's number formats when it holds
    # numbers (a time typed `2:00` is a number of days): docs/GOOGLE.md.
    assert emulator.request_count <= 4
    before = emulator.request_count
    second = run_sync(backend, case.as_of, fast=True)
    assert not second.written
    assert second.fast
    assert emulator.request_count - before <= 2


@pytest.mark.slow
def test_live_suite_passes_against_the_emulator_server(emulator: Emulator) -> None:
    """The live tests' own code, run over real HTTP against the emulator."""
    spreadsheet_id = emulator.create(tabs={"Feuille 1": []})
    with serving(emulator) as host:
        env = {
            **os.environ,
            "SHEETS_EMULATOR_HOST": host,
            "SHEETSYNC_LIVE_SPREADSHEET": f"gsheet:{spreadsheet_id}",
        }
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        done = subprocess.run(
            [*command, str(Path(__file__).parent / "test_live_google.py")],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    assert done.returncode == 0, done.stdout[-3000:]
    assert f"{len(CASES)} passed" in done.stdout
