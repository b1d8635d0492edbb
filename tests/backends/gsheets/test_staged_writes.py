"""Writes larger than Google's request limit go through hidden staging tabs: every request
stays under the limit, users never see a half-written tab, an interruption at any step
leaves the previous outputs, and the next sync completes.

The emulator's limit is lowered (as the backend's) so a small sheet makes a write three
times the limit; the mechanism is the same at 10,485,760 bytes.
"""

from __future__ import annotations

import datetime as dt

import pytest

from sheetsync.errors import BackendError
from tests.support.ledger_cases import AS_OF
from tests.support.staged import LIMIT, ONCE, ROWS, Sheet


def reference(rows: int) -> Sheet:
    sheet = Sheet(None, rows)
    sheet.sync()
    return sheet


def test_a_write_three_times_the_limit_succeeds_in_requests_under_it() -> None:
    sheet = Sheet(LIMIT, ROWS)
    sheet.sync()
    writes = [e for e in sheet.emulator.log if e.method == "POST" and ":batchUpdate" in e.path]
    assert sum(e.body_size for e in writes) >= 3 * LIMIT
    assert all(e.body_size <= LIMIT for e in sheet.emulator.log)
    assert all(e.status == 200 for e in sheet.emulator.log)
    # Reads: metadata and values (no formats request), the tabs before staging and
    # before the swap; writes: the staging tabs, their content, the swap.
    reads = [e for e in sheet.emulator.log if e.method == "GET"]
    assert len(reads) == 4
    assert not any("effectiveValue" in e.query for e in reads)
    content = sum(e.body_size for e in writes[1:-1])
    assert len(writes) - 2 >= -(-content // LIMIT)
    assert sheet.staging_tabs() == []
    expected = reference(ROWS)
    assert sheet.visible() == expected.visible()
    assert sheet.hidden_values("sheetsync") == expected.hidden_values("sheetsync")
    again = sheet.sync()
    assert not again.written  # the tabs swapped in carry sheetsync's marks


# A first sync a month earlier: other projections, so every output tab changes after.
EARLIER = AS_OF - dt.timedelta(days=30)


def staged_requests() -> list[int]:
    """Positions, within a staged sync that rewrites every tab, of each write it sends
    (the reads between them are retried like any read)."""
    sheet = Sheet(LIMIT, ROWS)
    sheet.sync(as_of=EARLIER)
    first = len(sheet.emulator.log)
    sheet.sync()
    log = sheet.emulator.log
    return [n for n in range(first + 1, len(log) + 1) if log[n - 1].method == "POST"]


@pytest.mark.slow
@pytest.mark.parametrize("fault", ["500", "drop_after"])
def test_an_interruption_at_any_step_leaves_old_or_new_outputs(fault: str) -> None:
    """Stopped at any request (refused, or applied with its answer lost): users see the
    old tabs or the new ones, never a mix, and the next sync completes."""
    expected = reference(ROWS).visible()
    steps = staged_requests()
    assert len(steps) >= 4  # prepare, two or more parts, swap
    for step in steps:
        sheet = Sheet(LIMIT, ROWS)
        sheet.sync(as_of=EARLIER)
        before = sheet.visible()
        assert before != expected
        sheet.emulator.faults = {step: fault}
        with pytest.raises(BackendError):
            sheet.sync(ONCE)
        assert sheet.visible() in (before, expected), step
        assert all(hidden for _, hidden in sheet.staging_tabs()), step
        sheet.emulator.faults = {}
        sheet.sync()
        assert sheet.visible() == expected, step
        assert sheet.staging_tabs() == [], step


@pytest.mark.slow
def test_a_retried_step_never_duplicates() -> None:
    """Each request applied but its answer lost, then retried: the sync still ends right."""
    expected = reference(ROWS).visible()
    for step in staged_requests():
        sheet = Sheet(LIMIT, ROWS)
        sheet.sync(as_of=EARLIER)
        sheet.emulator.faults = {step: "drop_after"}
        sheet.sync()
        assert sheet.visible() == expected, step
        assert sheet.staging_tabs() == [], step
