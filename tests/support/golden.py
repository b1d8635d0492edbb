"""Golden cases: input tabs and the expected output tables, one TOML file each.

Each backend's tests build the case's spreadsheet, sync it, read the output
tabs back and compare them here, so every backend is held to the same books.
"""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl

from sheetsync.model import Anomaly, CellValue
from sheetsync.template import load
from sheetsync.units import moment_of
from tests.support.paths import GOLDEN

GOLDEN_DIR = GOLDEN
ANY = "*"
TOLERANCE = 1e-6  # percents, factors, hours and days are fractions; money is exact


@dataclass(frozen=True)
class GoldenCase:
    name: str
    description: str
    as_of: dt.date
    inputs: dict[str, list[list[CellValue]]]
    expected: dict[str, list[list[object]]]
    anomalies: list[list[object]]
    messages: list[list[object]]


def load_cases() -> list[GoldenCase]:
    return [load_case(path) for path in sorted(GOLDEN_DIR.glob("*.toml"))]


def load_case(path: Path) -> GoldenCase:
    raw = tomllib.loads(path.read_text("utf-8"))
    expected = dict(raw["expected"])
    return GoldenCase(
        name=path.stem,
        description=raw["description"],
        as_of=raw["as_of"],
        inputs=raw["input"],
        anomalies=expected.pop("anomalies", []),
        messages=expected.pop("messages", []),
        expected=expected,
    )


def write_xlsx(inputs: dict[str, list[list[CellValue]]], path: Path) -> None:
    """The case's input tabs as a workbook, typed cells as TOML typed them."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for title, rows in inputs.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append([None if cell == "" else cell for cell in row])
    workbook.save(path)


def read_xlsx_tab(path: Path, title: str) -> list[list[object]]:
    """An output tab's data rows (header dropped), dates as dates."""
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        rows = [list(r) for r in workbook[title].iter_rows(min_row=2, values_only=True)]
    finally:
        workbook.close()
    return [[_plain(v) for v in row] for row in rows if any(v is not None for v in row)]


def _plain(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def cell_matches(actual: object, expected: object) -> bool:
    if expected == ANY:
        return True
    if isinstance(expected, float) and isinstance(actual, int | float):
        return math.isclose(actual, expected, abs_tol=TOLERANCE)
    if expected == "" and actual is None:
        return True
    if isinstance(expected, int) and isinstance(actual, float):
        return actual == expected
    return actual == expected


def table_mismatches(actual: list[list[object]], expected: list[list[object]]) -> list[str]:
    """Every difference between two tables, as readable lines (empty = equal)."""
    problems = []
    if len(actual) != len(expected):
        problems.append(f"{len(actual)} rows, expected {len(expected)}")
    for number, (got, want) in enumerate(zip(actual, expected, strict=False), start=2):
        padded = got + [None] * (len(want) - len(got))
        for column, (a, e) in enumerate(zip(padded, want, strict=False)):
            if not cell_matches(a, e):
                problems.append(f"row {number} column {column + 1}: got {a!r}, expected {e!r}")
    return problems


def anomaly_mismatches(
    anomalies: tuple[Anomaly, ...], expected: list[list[object]], labels: dict[str, str]
) -> list[str]:
    """Errors and warnings must be exactly the expected ones ("*" matches anything)."""
    serious = [a for a in anomalies if a.severity.value in ("error", "warning")]
    remaining = list(serious)
    problems = []
    for want in sorted(expected, key=lambda w: ANY in w):  # exact patterns claim first
        found = next((a for a in remaining if _anomaly_matches(a, want, labels)), None)
        if found is None:
            problems.append(f"missing anomaly {want}")
        else:
            remaining.remove(found)
    problems += [f"unexpected anomaly {a}" for a in remaining]
    return problems


def _anomaly_matches(anomaly: Anomaly, want: list[object], labels: dict[str, str]) -> bool:
    got = [labels[anomaly.severity.value], anomaly.tab, anomaly.row, anomaly.column]
    return all(cell_matches(g, w) for g, w in zip(got, want, strict=True))


def severity_labels(lang: str) -> dict[str, str]:
    enum = load().enums["severity"]
    return {v.key: v.name(lang) for v in enum.values}  # type: ignore[arg-type]


def as_dates(rows: list[list[Any]], expected: list[list[object]]) -> list[list[object]]:
    """Serial numbers where the expected table has a date, as Google stores dates."""
    return [
        [
            moment_of(cell).date()
            if isinstance(want, dt.date) and isinstance(cell, int | float)
            else cell
            for cell, want in zip(row, [*want_row, *[None] * len(row)], strict=False)
        ]
        for row, want_row in zip(rows, [*expected, *[[]] * len(rows)], strict=False)
    ]
