"""The terminal summary: amounts, gauges and the cut applied to a group."""

from __future__ import annotations

from pathlib import Path

import pytest

from sheetsync import demo, display
from sheetsync.cli import console


@pytest.mark.parametrize(
    ("cents", "currency", "lang", "expected"),
    [
        (123456, "EUR", "fr", "1\u202f234,56 €"),
        (123456, "EUR", "en", "€1,234.56"),
        (-5, "EUR", "fr", "-0,05 €"),
        (100000000, "CHF", "en", "1,000,000.00 CHF"),
        (7, "chf", "fr", "0,07 CHF"),
    ],
)
def test_money(cents: int, currency: str, lang: str, expected: str) -> None:
    assert display.money(cents, lang, currency) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fraction", "filled", "over"),
    [(0.0, 0, False), (0.5, 10, False), (1.0, 20, False), (1.7, 20, True), (-0.2, 0, False)],
)
def test_bar(fraction: float, filled: int, over: bool) -> None:
    gauge = console.bar(fraction)
    assert gauge.count("█") == filled
    assert len(gauge) == console.BAR_WIDTH + 1
    assert gauge.endswith("!") is over


def test_groups_cut_by_their_policy_show_the_factor(tmp_path: Path) -> None:
    _, outcome = demo.run(tmp_path, "fr")
    lines = {line.split("  ")[1].strip(): line for line in console.group_lines(outcome)}
    assert "coefficient 0," in lines["Communication"]
    assert "coefficient" not in lines["Formation"]
    assert lines["Animation du réseau"].count("!") == 1
