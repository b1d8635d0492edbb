"""The demo network: realistic, deterministic, and showing every situation."""

from __future__ import annotations

from pathlib import Path

import pytest

from sheetsync import demo
from sheetsync.model import Severity
from sheetsync.sync.pipeline import Outcome
from sheetsync.template import load


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    _, result = demo.run(tmp_path_factory.mktemp("demo"), "fr")
    return result


def column(outcome: Outcome, table: str, key: str) -> list[object]:
    index = [c.key for c in load().output(table).columns].index(key)
    return [row[index] for row in outcome.table(table).rows]


def test_network_size() -> None:
    assert 5 <= len(demo.GROUPS) <= 7
    assert 10 <= len(demo.PEOPLE) <= 15
    retributions = {p.retribution for p in demo.PEOPLE}
    assert {"volunteer", "non_financial", "financial"} <= retributions
    assert any(p.billing_entity for p in demo.PEOPLE)


def test_a_group_over_its_envelope_under_each_policy(outcome: Outcome) -> None:
    policies = column(outcome, "group_summary", "policy")[:-1]
    factors = column(outcome, "group_summary", "applied_factor")[:-1]
    consumed = column(outcome, "group_summary", "consumed")[:-1]
    envelopes = column(outcome, "group_summary", "envelope")[:-1]
    labels = load().enums["policy"]
    over = {
        policy
        for policy, factor, used, envelope in zip(
            policies, factors, consumed, envelopes, strict=True
        )
        if float(factor) < 1 or int(used) > int(envelope)  # type: ignore[arg-type,call-overload]
    }
    assert over == {labels.label(k, "fr") for k in ("flag", "pro_rata", "first_come")}


def test_deliberate_mistakes_are_reported(outcome: Outcome) -> None:
    codes = {a.code for a in outcome.anomalies}
    assert outcome.count(Severity.ERROR) >= 5
    assert outcome.count(Severity.WARNING) >= 5
    assert len(codes) >= 10


def test_rows_include_coordination_creative_and_payments() -> None:
    rows = demo.example_rows("fr")
    kinds = {row[3] for row in rows["contributions"]}
    assert {"coordination", "créa", "production"} <= kinds
    assert len(rows["payments"]) >= 3


def test_generation_is_deterministic() -> None:
    assert demo.example_rows("fr") == demo.example_rows("fr")
    assert demo.example_rows("en") != demo.example_rows("fr")


def test_rerun_replaces_the_workbook(tmp_path: Path) -> None:
    first, _ = demo.run(tmp_path, "fr")
    second, again = demo.run(tmp_path, "fr")
    assert first == second
    assert again.written
