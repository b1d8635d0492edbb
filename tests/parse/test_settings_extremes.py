"""Settings are user input like any cell: extreme, subnormal, non-finite or overly precise
values never crash the rules or checks; out of bounds they are a warning and the default."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheetsync.books import checks, rules
from sheetsync.model import CellValue, RawTab, RawWorkbook
from sheetsync.parse import book as parse
from sheetsync.report import tables as report
from sheetsync.template import load
from tests.support.ledger_cases import INPUTS

AS_OF = dt.date(2026, 6, 30)
NUMERIC = [s for s in load().settings if s.type in {"money", "number", "percent", "integer"}]


def run(name: str, value: CellValue) -> tuple[object, list[str]]:
    """The setting's value as read, and the codes of the Paramètres anomalies."""
    tabs = {title: RawTab(title, [list(r) for r in rows]) for title, rows in INPUTS.items()}
    tabs["Paramètres"] = RawTab("Paramètres", [["Paramètre", "Valeur"], [name, value]])
    raw = RawWorkbook(tabs=tabs, all_titles=tuple(tabs))
    book = parse.read_template(raw, AS_OF)
    figures = rules.compute(book, AS_OF)
    anomalies = [*book.anomalies, *checks.run(book, figures, AS_OF)]
    report.render(book, figures, anomalies)
    key = next(s.key for s in load().settings if s.fr == name)
    codes = [a.code for a in anomalies if a.tab == "Paramètres" and a.row == 2]
    return getattr(book.settings, key), codes


extreme = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from(["1e400", "-inf", "nan", "5e-324", "1e-300", "7,000000000000001"]),
)


@settings(max_examples=80, deadline=None)
@given(index=st.integers(0, len(NUMERIC) - 1), value=extreme)
def test_any_numeric_setting_value_is_read_or_refused_never_a_crash(
    index: int, value: CellValue
) -> None:
    setting = NUMERIC[index]
    read, codes = run(setting.fr, value)
    if codes:
        assert codes == ["setting_unreadable"]
    if isinstance(read, Fraction):
        assert read.denominator <= 10_000


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("Heures par jour", 1e-300, Fraction(7)),  # out of bounds: the default
        ("Heures par jour", 2.3333333333333335, Fraction(7, 3)),  # a float's 7/3 is 7/3
        ("Facteur d'écart de taux", 1e300, Fraction(2)),
        ("Taux journalier de référence", 10**12, 30000),
        ("Seuil d'alerte (%)", 250, Fraction(80, 100)),
    ],
)
def test_extreme_values_fall_back_to_the_default(
    name: str, value: CellValue, expected: object
) -> None:
    read, codes = run(name, value)
    assert read == expected
    assert codes == ([] if expected == Fraction(7, 3) else ["setting_unreadable"])
