"""The golden cases on local workbooks: each rule, policy, language and anomaly."""

from __future__ import annotations

from pathlib import Path

import pytest

from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.sync.pipeline import run_sync
from tests.support.golden import (
    GoldenCase,
    anomaly_mismatches,
    load_cases,
    read_xlsx_tab,
    severity_labels,
    table_mismatches,
    write_xlsx,
)

CASES = load_cases()


@pytest.fixture(params=CASES, ids=[c.name for c in CASES])
def case(request: pytest.FixtureRequest) -> GoldenCase:
    return request.param  # type: ignore[no-any-return]


def test_golden_cases_exist() -> None:
    assert len(CASES) >= 6


def test_output_tables(case: GoldenCase, tmp_path: Path) -> None:
    path = tmp_path / f"{case.name}.xlsx"
    write_xlsx(case.inputs, path)
    run_sync(XlsxBackend(path, "fr"), case.as_of)
    for title, expected in case.expected.items():
        assert table_mismatches(read_xlsx_tab(path, title), expected) == [], title


def test_anomalies(case: GoldenCase, tmp_path: Path) -> None:
    path = tmp_path / f"{case.name}.xlsx"
    write_xlsx(case.inputs, path)
    outcome = run_sync(XlsxBackend(path, "fr"), case.as_of)
    labels = severity_labels(outcome.book.lang)
    assert anomaly_mismatches(outcome.anomalies, case.anomalies, labels) == []
    for tab, row, words in case.messages:
        messages = [a.message for a in outcome.anomalies if a.tab == tab and a.row == row]
        assert any(str(words) in m for m in messages), (tab, row, words, messages)


def test_anomalies_tab_matches_the_records(case: GoldenCase, tmp_path: Path) -> None:
    path = tmp_path / f"{case.name}.xlsx"
    write_xlsx(case.inputs, path)
    outcome = run_sync(XlsxBackend(path, "fr"), case.as_of)
    written = read_xlsx_tab(path, outcome.table("anomalies").title)
    assert len(written) == len(outcome.anomalies)
    labels = severity_labels(outcome.book.lang)
    assert sorted(str(r[0]) for r in written) == sorted(
        labels[a.severity] for a in outcome.anomalies
    )


def test_second_sync_writes_nothing(case: GoldenCase, tmp_path: Path) -> None:
    path = tmp_path / f"{case.name}.xlsx"
    write_xlsx(case.inputs, path)
    first = run_sync(XlsxBackend(path, "fr"), case.as_of)
    before = path.read_bytes()
    second = run_sync(XlsxBackend(path, "fr"), case.as_of)
    assert first.written
    assert not second.written
    assert second.changed == ()
    assert path.read_bytes() == before
