"""The golden cases on the Airtable emulator: the same books as on local workbooks and
Google, from the same rows typed into a base (typed fields where a column holds one
type, text elsewhere), the output tables read back record by record."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sheetsync.backends.airtable.backend import AirtableBackend
from sheetsync.backends.airtable.schema import KEY_FIELD
from sheetsync.model import CellValue
from sheetsync.sync.pipeline import run_sync
from tests.emulator.airtable import AirtableEmulator, Clock
from tests.support.airtable import backend_on
from tests.support.golden import (
    GoldenCase,
    anomaly_mismatches,
    load_cases,
    severity_labels,
    table_mismatches,
)

CASES = load_cases()
BASE = "appGOLDENCASE0001"


def field_spec(name: str, values: list[CellValue]) -> dict[str, Any]:
    """The field a person would make for this column: its one type, else text."""
    present = [v for v in values if v not in (None, "")]
    if present and all(isinstance(v, dt.date) for v in present):
        return {"name": name, "type": "date", "options": {"dateFormat": {"name": "iso"}}}
    if present and all(isinstance(v, bool) for v in present):
        return {"name": name, "type": "checkbox"}
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return {"name": name, "type": "number", "options": {"precision": 8}}
    return {"name": name, "type": "singleLineText"}


def typed(spec: dict[str, Any], value: CellValue) -> object:
    if value in (None, ""):
        return None
    if spec["type"] == "date":
        assert isinstance(value, dt.date)
        return value.isoformat()
    if spec["type"] in {"number", "checkbox"}:
        return value
    return str(value)


def base_of(case: GoldenCase) -> tuple[AirtableEmulator, AirtableBackend]:
    emulator = AirtableEmulator(Clock())
    emulator.base(BASE, record_limit=5000)
    for title, (header, *rows) in case.inputs.items():
        columns = [
            [row[at] if at < len(row) else None for row in rows] for at in range(len(header))
        ]
        specs = [
            field_spec(str(name), column) for name, column in zip(header, columns, strict=True)
        ]
        table = emulator.add_table(BASE, title, specs)
        records = [
            {
                s["name"]: v
                for s, cell in zip(specs, row, strict=False)
                if (v := typed(s, cell)) is not None
            }
            for row in rows
        ]
        emulator.add_records(BASE, table.id, records)
        emulator.clock.sleep(1.0)  # each record created after the one before, in order
    return emulator, backend_on(emulator, BASE)


def written(
    emulator: AirtableEmulator, title: str, expected: list[list[object]]
) -> list[list[object]]:
    """An owned table's records in key order, as rows of its columns (dates as dates)."""
    table = emulator.table(BASE, title)
    names = [f["name"] for f in table.fields]
    key = next(k for k in KEY_FIELD.values() if k in names)
    columns = [n for n in names if n != key]
    records = sorted(table.records, key=lambda r: r["fields"][key])
    rows = [[r["fields"].get(n) for n in columns] for r in records]
    return [
        [
            dt.date.fromisoformat(cell)
            if isinstance(want, dt.date) and isinstance(cell, str)
            else cell
            for cell, want in zip(row, [*want_row, *[None] * len(row)], strict=False)
        ]
        for row, want_row in zip(rows, [*expected, *[[]] * len(rows)], strict=False)
    ]


def as_records(anomalies: list[list[object]]) -> list[list[object]]:
    """The expected anomalies with Airtable's numbering: a record's rank from 1, where a
    sheet numbers the row below its header 2."""
    return [
        [s, tab, row - 1 if isinstance(row, int) else row, col] for s, tab, row, col in anomalies
    ]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_same_books_as_local(case: GoldenCase) -> None:
    emulator, backend = base_of(case)
    inputs = {t.name: [dict(r["fields"]) for r in t.records] for t in emulator.base(BASE).tables}
    outcome = run_sync(backend, case.as_of)
    for title, expected in case.expected.items():
        assert table_mismatches(written(emulator, title, expected), expected) == [], title
    labels = severity_labels(outcome.book.lang)
    assert anomaly_mismatches(outcome.anomalies, as_records(case.anomalies), labels) == []
    for table in emulator.base(BASE).tables:
        if table.name in inputs:
            assert [r["fields"] for r in table.records] == inputs[table.name], table.name
    assert [e for e in emulator.log if e.status == 429] == []


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_second_sync_writes_nothing(case: GoldenCase) -> None:
    emulator, backend = base_of(case)
    assert run_sync(backend, case.as_of).written
    since = len(emulator.log)
    emulator.clock.sleep(1.0)
    again = run_sync(backend, case.as_of)
    assert not again.written
    assert [e.path for e in emulator.log[since:] if e.method != "GET"] == []
