"""Smoke tests of the benchmarks: the generator is deterministic, the harness reports ratios.

Tiny sizes only; nothing here asserts a timing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from benchmarks import case, emulated, generate, tables

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
    assert mine["first"]["requests"] <= 3  # type: ignore[index]
    assert mine["repeat"]["requests"] <= 2  # type: ignore[index]
    assert theirs["first"]["requests"] > mine["first"]["requests"]  # type: ignore[index]
    for table in ("Synthèse groupes", "Paiements"):  # both ways write the same figures
        assert emulator.tab_values(own, table) == emulator.tab_values(other, table)


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
    results = {
        "machine": {"python": "3"},
        "google": {str(TINY): google},
        "local": {str(TINY): local},
        "compute": {str(TINY): case.compute(TINY), str(2 * TINY): case.compute(2 * TINY)},
    }
    text = tables.markdown(results)
    assert text.count("×") >= 5  # a speed-up per Google row and local row, and growth
    assert f"| {TINY:,} | 0ms | 3 / " in text
