"""The cost of history (SPEC §12): ROWS contribution rows spread over three closed years
and the current one, against the current year's rows alone, on cells in memory.

`python -m benchmarks.years ROWS [REPEATS]` prints JSON: for each side the fastest
analysis (parse, rules under the closings, checks, report, journal and state tab — no
read, no write) of a sync that recomputes everything, its stages, and the ratio.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
import time

from benchmarks import generate
from benchmarks.case import NOT_LEDGER, InMemory, StageLog, state_table, with_state
from sheetsync.ledger import closing
from sheetsync.model import CellValue, RawTab, RawWorkbook
from sheetsync.sync.pipeline import analyse

YEARS = (2023, 2024, 2025, 2026)  # three closed, the current one last
NOW = dt.datetime(2027, 1, 2, 9, 0, tzinfo=dt.UTC)
AS_OF = dt.date(2026, 12, 31)


def _in_year(value: CellValue, year: int) -> CellValue:
    if isinstance(value, dt.date):
        return value.replace(year=year)
    return value


def spread(raw: RawWorkbook, years: tuple[int, ...]) -> RawWorkbook:
    """The generated rows re-dated round-robin over `years` (day and month kept)."""
    tabs = dict(raw.tabs)
    for title in ("Contributions", "Versements"):
        header, *rows = tabs[title].rows
        dated = [[_in_year(row[0], years[n % len(years)]), *row[1:]] for n, row in enumerate(rows)]
        tabs[title] = RawTab(title, [header, *dated])
    return dataclasses.replace(raw, tabs=tabs)


def in_period(raw: RawWorkbook, year: int) -> RawWorkbook:
    """The workbook with its period set to one calendar year."""
    dates = {"Début de période": dt.date(year, 1, 1), "Fin de période": dt.date(year, 12, 31)}
    rows = [
        [row[0], dates[str(row[0])], *row[2:]] if row and row[0] in dates else row
        for row in raw.tabs["Paramètres"].rows
    ]
    return dataclasses.replace(raw, tabs={**raw.tabs, "Paramètres": RawTab("Paramètres", rows)})


def alone(raw: RawWorkbook, year: int) -> RawWorkbook:
    """Only the rows and payments of one year."""
    tabs = dict(raw.tabs)
    for title in ("Contributions", "Versements"):
        header, *rows = tabs[title].rows
        kept = [r for r in rows if isinstance(r[0], dt.date) and r[0].year == year]
        tabs[title] = RawTab(title, [header, *kept])
    return dataclasses.replace(raw, tabs=tabs)


def closed_years(raw: RawWorkbook) -> RawWorkbook:
    """Each earlier year synced and closed at its end, the period then moved on; the
    workbook as the current year's next sync reads it."""
    for year in YEARS[:-1]:
        current = in_period(raw, year)
        end = dt.date(year, 12, 31)
        action = closing.closer(end, str(year), force=True)
        _, outcome = analyse(InMemory(current), end, now=NOW, action=action)
        raw = with_state(raw, state_table(outcome))
    return _synced(in_period(raw, YEARS[-1]))


def _synced(raw: RawWorkbook) -> RawWorkbook:
    """After one sync of the current year (its journal's snapshot taken)."""
    _, outcome = analyse(InMemory(raw), AS_OF, now=NOW)
    return with_state(raw, state_table(outcome))


def fastest(raw: RawWorkbook, repeats: int) -> dict[str, object]:
    """The fastest analysis of a sync that recomputes, and its stages then."""
    best: tuple[float, dict[str, float]] | None = None
    backend = InMemory(raw)
    with StageLog() as log:
        for _ in range(repeats):
            start = time.perf_counter()
            analyse(backend, AS_OF, now=NOW)
            wall = time.perf_counter() - start
            stages = log.take()
            if best is None or wall < best[0]:
                best = (wall, stages)
    assert best is not None
    wall, stages = best
    ledger = sum(v for k, v in stages.items() if k not in NOT_LEDGER)
    return {"wall": wall, "ledger": ledger, "stages": stages}


def main(argv: list[str]) -> None:
    rows, repeats = int(argv[0]), int(argv[1]) if len(argv) > 1 else 3
    spread_raw = spread(generate.raw_workbook(rows), YEARS)
    history = closed_years(spread_raw)
    current = _synced(in_period(alone(spread_raw, YEARS[-1]), YEARS[-1]))
    found = {"history": fastest(history, repeats), "current_alone": fastest(current, repeats)}
    walls = [float(str(found[k]["wall"])) for k in ("history", "current_alone")]
    found["ratio"] = walls[0] / walls[1]
    found["rows"] = rows
    print(json.dumps(found))


if __name__ == "__main__":
    main(sys.argv[1:])
