"""Smoke tests of the benchmarks: the generator is deterministic, the harness reports ratios.

Tiny sizes only; nothing here asserts a timing.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import zlib
from pathlib import Path

import pytest

from benchmarks import case, emulated, generate, tables
from benchmarks import floors as bench_floors

TINY = 120


def test_generator_is_deterministic() -> None:
    assert generate.tabs(TINY) == generate.tabs(TINY)
    assert generate.tabs(TINY, seed=1) != generate.tabs(TINY, seed=2)


@pytest.mark.parametrize(("rows", "groups", "people"), [(120, 6, 13), (90_000, 10, 200)])
def test_network_grows_with_rows(rows: int, groups: int, people: int) -> None:
    net = generate.network(rows)
    assert (len(net.groups), len(net.people)) == (groups, people)


def test_contributions_have_the_rows_asked_and_dates_in_the_period() -> None:
    data = generate.workbook_rows(TINY)
    dates = [row[0] for row in data["contributions"]]
    assert len(dates) == TINY
    assert all(isinstance(d, dt.date) and d.year == generate.YEAR for d in dates)


def test_largest_size_fits_under_the_cell_limit() -> None:
    rows = generate.largest_rows()
    contributions = (rows + 1) * generate.CONTRIBUTION_COLUMNS
    assert contributions + generate.RESERVE_CELLS <= generate.CELL_LIMIT
    assert contributions + generate.RESERVE_CELLS + 10 * 10_000 > generate.CELL_LIMIT


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        ([(1, 3.0), (2, 5.0), (4, 9.0)], (1.0, 2.0)),
        ([(10, 1.0), (20, 1.0)], (1.0, 0.0)),
    ],
)
def test_fit_finds_the_line(points: list[tuple[int, float]], expected: tuple[float, float]) -> None:
    assert tables.fit(points) == pytest.approx(expected)


@pytest.mark.parametrize(("baseline", "sheetsync", "expected"), [(3.0, 1.0, "3.0×"), (1, 0, "–")])
def test_ratio(baseline: float, sheetsync: float, expected: str) -> None:
    assert tables.ratio(baseline, sheetsync) == expected


def test_google_cases_count_requests_and_compare() -> None:
    emulator = emulated.BenchEmulator()
    own = emulated.load(emulator, generate.tabs(TINY))
    other = emulated.share(emulator, own)
    mine = case.google("sheetsync", emulator, own, 0.0)
    theirs = case.google("baseline", emulator, other, 0.0)
    # Metadata, values, the hours column's formats (hours typed as numbers), the write.
    assert mine["first"]["requests"] <= 4  # type: ignore[index]
    assert mine["repeat"]["requests"] <= 2  # type: ignore[index]
    # An unchanged sync reads little more than one plain values read of the same tabs.
    floor = mine["values_floor"]["repeat"]  # type: ignore[index]
    assert floor < mine["repeat"]["received"] <= 1.5 * floor  # type: ignore[index]
    assert theirs["first"]["requests"] > mine["first"]["requests"]  # type: ignore[index]
    for table in ("Synthèse groupes", "Paiements"):  # both ways write the same figures
        assert emulator.tab_values(own, table) == emulator.tab_values(other, table)


def test_compute_times_the_ledger_next_to_floors() -> None:
    found = case.compute(TINY, repeats=1)
    ledger, floors = found["ledger"], found["floors"]
    assert isinstance(ledger, dict)
    assert isinstance(floors, dict)
    assert set(case.LEDGER_STAGES) <= set(ledger)
    for stage in (*case.LEDGER_STAGES, "parse", "rules", "checks", "report"):
        assert floors[stage] > 0
    assert all(seconds > 0 for seconds in ledger.values())
    assert found["state_unchanged_on_repeat"] is True  # a repeat writes the state back as read
    chars = found["state_chars"]
    assert isinstance(chars, dict)
    assert chars["closed"] > chars["first"]  # the close froze rows into the state


def test_floors_read_what_the_state_holds() -> None:
    """The floors work on the state's data as one document, its packed parts inline."""
    snapshot = "zlib:" + base64.b64encode(zlib.compress(b'{"rows": [1, 2]}')).decode("ascii")
    document = json.dumps({"version": 3, "snapshot": snapshot, "closings": []})
    text = "zlib:" + base64.b64encode(zlib.compress(document.encode())).decode("ascii")
    data = bench_floors.state_bytes(text)
    assert json.loads(data) == {"version": 3, "snapshot": {"rows": [1, 2]}, "closings": []}
    one = "zlib:" + base64.b64encode(zlib.compress(data)).decode("ascii")
    assert bench_floors.read_state(one) == json.loads(data)


def test_repeat_sync_reports_its_time_outside_reading() -> None:
    emulator = emulated.BenchEmulator()
    own = emulated.load(emulator, generate.tabs(TINY))
    found = case.google("sheetsync", emulator, own, 0.0)
    stages = found["stages"]
    assert isinstance(stages, dict)
    assert {"read", "parse", "checks", "report"} <= set(stages["first"])
    assert set(stages["repeat"]) == {"read", "digest", "unchanged"}  # the fast path
    repeat = found["repeat"]
    assert isinstance(repeat, dict)
    assert repeat["outside_read"] == pytest.approx(repeat["wall"] - stages["repeat"]["read"])
    assert "write" in stages["first"]
    assert "write" not in stages["repeat"]  # nothing changed, nothing written


def test_harness_reports_ratios(tmp_path: Path) -> None:
    emulator = emulated.BenchEmulator()
    own = emulated.load(emulator, generate.tabs(TINY))
    google = {
        "sheetsync@0ms": case.google("sheetsync", emulator, own, 0.0),
        "baseline@0ms": case.google("baseline", emulator, emulated.share(emulator, own), 0.0),
    }
    source = tmp_path / "input.xlsx"
    local = {"build": case.build_xlsx(TINY, source)}
    for side in ("sheetsync", "baseline"):
        copy = tmp_path / f"{side}.xlsx"
        copy.write_bytes(source.read_bytes())
        local[side] = case.local(side, copy)
    closed = tmp_path / "close.xlsx"
    closed.write_bytes(source.read_bytes())
    local["close"] = case.local_close(closed)
    results = {
        "machine": {"python": "3"},
        "google": {str(TINY): google},
        "local": {str(TINY): local},
        "compute": {
            str(TINY): case.compute(TINY, repeats=1),
            str(2 * TINY): case.compute(2 * TINY, repeats=1),
        },
    }
    text = tables.markdown(results)
    assert text.count("×") >= 5  # a speed-up per Google row and local row, and growth
    assert f"| {TINY:,} | 0ms | 3 / " in text  # metadata, values, write: no formats
    assert f"| {TINY:,} | repeat | 2 | " in text  # bytes read against their floor
    assert "| Ledger, close | " in text  # each ledger stage against its floor
    assert f"| Google 0ms | {TINY:,} | repeat | " in text  # time outside reading
    assert f"| local | {TINY:,} | close | " in text  # a close, in a process of its own


def test_airtable_bench_counts_every_request_and_none_refused() -> None:
    from benchmarks import airtable  # noqa: PLC0415 - pyairtable only for this test

    found = airtable.one_size(TINY)
    assert found["unchanged"]["writes"] == 0  # nothing changed, nothing written
    assert 0 < found["one_edit"]["writes"] < found["first"]["writes"]
    assert all(found[k]["refused"] == 0 for k in ("first", "unchanged", "one_edit"))
    # At the pace of 4 a second, a sync takes at least a quarter second a request.
    assert found["first"]["paced_seconds"] >= (found["first"]["requests"] - 4) / 4
    text = tables.airtable_table({str(TINY): found})
    assert f"| {TINY:,} | {found['records_after']:,} | unchanged | " in text
