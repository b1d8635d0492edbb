"""The earlier periods' fast path (ledger.history): an unchanged history is neither
decoded, matched nor computed again, and the books come out the same; a frozen row of
an earlier period edited afterwards is still the error naming its closing."""

from __future__ import annotations

from pathlib import Path

import pytest

from sheetsync.ledger import frozen, history, periods, state
from sheetsync.model import CellValue, OutputTable
from sheetsync.sync import pipeline
from tests.support.ledger_cases import NOW, Sheet, make_sheet
from tests.support.years import MARCH_2027, by_first, cents, close_2026, move_to_2027, put


@pytest.fixture(params=["xlsx", "gsheet"])
def sheet(request: pytest.FixtureRequest, tmp_path: Path) -> Sheet:
    return make_sheet(request.param, tmp_path)


class Counter:
    def __init__(self) -> None:
        self.calls = 0


def counted(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> Counter:
    """Count the calls of `owner.name`, which still does its work."""
    counter, real = Counter(), getattr(owner, name)

    def wrapper(*args: object, **kwargs: object) -> object:
        counter.calls += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, wrapper)
    return counter


def in_2027(sheet: Sheet) -> None:
    """2026 closed, the period moved on and synced: the state keeps its history."""
    close_2026(sheet)
    move_to_2027(sheet)
    pipeline.run_sync(sheet.backend(), MARCH_2027, now=NOW)


def shown(outcome: pipeline.Outcome) -> dict[str, OutputTable]:
    return {t.key: t for t in outcome.tables if not state.is_state_title(t.title)}


def test_an_unchanged_history_is_not_decoded_matched_nor_computed(
    sheet: Sheet, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_2027(sheet)
    put(sheet, "Contributions", 8, ["2027-02-02", "Dan", "Formation", "", 3, 100, "suite"])
    raw = sheet.backend().read(lambda _: True)
    assert isinstance(state.read(raw, "fr").history, dict)  # kept by the last sync
    decoded = counted(monkeypatch, state, "frame_from")
    computed = counted(monkeypatch, periods.Period, "figures")
    matched = counted(monkeypatch, frozen, "_period_frame")
    fast = pipeline.run_sync(sheet.backend(), MARCH_2027, now=NOW, dry_run=True)
    assert fast.layers is not None
    assert fast.layers.summary is not None
    assert (decoded.calls, computed.calls, matched.calls) == (0, 0, 0)
    # The same books as the whole work, the summary left aside.
    monkeypatch.setattr(history, "summary", lambda *_: None)
    whole = pipeline.run_sync(sheet.backend(), MARCH_2027, now=NOW, dry_run=True)
    assert whole.layers is not None
    assert whole.layers.summary is None
    assert computed.calls > 0
    assert decoded.calls > 0
    assert shown(fast) == shown(whole)
    assert fast.anomalies == whole.anomalies


@pytest.mark.parametrize(
    ("cell", "value", "code"),
    [("F3", 250, "frozen_row_modified"), ("A3", "", "frozen_row_deleted")],
)
def test_a_frozen_row_of_an_earlier_period_touched_once_the_history_is_kept(
    sheet: Sheet, cell: str, value: CellValue, code: str
) -> None:
    in_2027(sheet)
    sheet.set_cell("Contributions", cell, value)  # Bo's March 2026 row, 200 €
    if code == "frozen_row_deleted":
        for column in "BCDEFG":
            sheet.set_cell("Contributions", f"{column}3", "")
    raw = sheet.backend().read(lambda _: True)
    assert isinstance(state.read(raw, "fr").history, dict)
    outcome = pipeline.run_sync(sheet.backend(), MARCH_2027, now=NOW)
    errors = [a for a in outcome.anomalies if a.code == code]
    assert len(errors) == 1
    assert "« 2026 »" in errors[0].message
    exercices = {(r[0], r[3]): r for r in sheet.values("Exercices")[1:]}
    assert cents(exercices[("2026", "Communication")][5]) == 50000  # no figure moves
    assert cents(by_first(sheet.values("Paiements"))["Bo"][3]) == 50000
