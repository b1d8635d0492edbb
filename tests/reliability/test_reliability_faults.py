"""The fault matrix on the Sheets API emulator: every request of a sync × every
fault, once (retried) or persistent (retries exhausted).

Each case ends with the sync done or a BackendError; the output tabs are the
old complete version or the new complete one, the input tabs unchanged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sheetsync.model import BackendError
from sheetsync.sync import pipeline
from tests.emulator import FAULTS, Emulator
from tests.support.golden import load_cases
from tests.support.handedits import NOW, _google

CASE = next(c for c in load_cases() if c.name == "fr-anomalies")
BEFORE = CASE.as_of - dt.timedelta(days=40)  # another as-of: other figures to write
REQUESTS_PER_SYNC = 4  # metadata, values, hours formats, one batchUpdate (checked below)
Snapshot = dict[str, Any]


def _snapshot(emulator: Emulator, spreadsheet_id: str) -> Snapshot:
    book = emulator.books[spreadsheet_id]
    return {
        s.title: (
            emulator.tab_values(spreadsheet_id, s.title),
            [m["metadataValue"] for m in s.developer_metadata],
            len(s.protected_ranges),
        )
        for s in book.sheets
    }


def _versions() -> tuple[Snapshot, Snapshot]:
    """The spreadsheet after a sync as of BEFORE (old) and after one as of CASE.as_of (new)."""
    backend, emulator = _google(CASE.inputs)  # type: ignore[arg-type]
    pipeline.run_sync(backend, BEFORE, now=NOW)
    old = _snapshot(emulator, backend.spreadsheet_id)
    pipeline.run_sync(backend, CASE.as_of, now=NOW)
    return old, _snapshot(emulator, backend.spreadsheet_id)


OLD, NEW = _versions()


def test_a_sync_makes_the_expected_requests() -> None:
    backend, emulator = _google(CASE.inputs)  # type: ignore[arg-type]
    pipeline.run_sync(backend, BEFORE, now=NOW)
    start = emulator.request_count
    pipeline.run_sync(backend, CASE.as_of, now=NOW)
    assert emulator.request_count - start == REQUESTS_PER_SYNC
    assert OLD != NEW
    assert {t: OLD[t] for t in CASE.inputs} == {t: NEW[t] for t in CASE.inputs}


@pytest.mark.slow  # 48 syncs with retries: about 20 s
@pytest.mark.parametrize("persistent", [False, True], ids=["once", "persistent"])
@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("at", range(1, REQUESTS_PER_SYNC + 1))
def test_fault_matrix(at: int, fault: str, persistent: bool) -> None:
    backend, emulator = _google(CASE.inputs)  # type: ignore[arg-type]
    pipeline.run_sync(backend, BEFORE, now=NOW)
    start = emulator.request_count
    # Persistent: this request and every retry after it fail (the retry budget is smaller).
    for n in range(at, at + (12 if persistent else 1)):
        emulator.inject(fault, at=start + n)
    try:
        outcome = pipeline.run_sync(backend, CASE.as_of, now=NOW)
    except BackendError as error:
        message = str(error)
        assert persistent
        assert message  # a clear message, never an empty one
        expected = OLD
    else:
        # Only a lost answer may look like success when it persists: the write was applied.
        assert not persistent or fault == "drop_after"
        assert outcome.written
        expected = NEW
    after = _snapshot(emulator, backend.spreadsheet_id)
    if fault == "drop_after" and expected is OLD and after != OLD:
        expected = NEW  # the write was applied, only its answer was lost
    assert after == expected
