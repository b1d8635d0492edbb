"""One truth (SPEC §9): every export table and every statement equal the tabs a sync
writes, to the cent, closings and later edits included."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.ledger import closing
from sheetsync.model import CellValue
from sheetsync.report import export, statement
from sheetsync.sync import pipeline
from tests.support.golden import write_xlsx
from tests.support.ledger_cases import AS_OF, NOW, Sheet, june_row, make_sheet
from tests.support.one_truth import (
    UNTIL_MARCH,
    YEAR_END,
    Edit,
    apply_edits,
    assert_one_truth,
    books,
    cents,
    edit,
    tab_reader,
)

# ---------------------------------------------------------------- comparing tables


# ---------------------------------------------------------------- random books


@settings(
    max_examples=15,  # ~2 s each (3 syncs, exports, statements): the suite stays under 6 min
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    inputs=books(),
    until=st.dates(dt.date(2026, 1, 31), YEAR_END),
    edits=st.lists(edit, max_size=4),
)
def test_exports_and_statements_equal_the_tabs(
    tmp_path_factory: pytest.TempPathFactory,
    inputs: dict[str, list[list[CellValue]]],
    until: dt.date,
    edits: list[Edit],
) -> None:
    path = tmp_path_factory.mktemp("book") / "budget.xlsx"
    write_xlsx(inputs, path)

    values = tab_reader(path)
    pipeline.run_sync(XlsxBackend(path, "fr"), YEAR_END, now=NOW)
    pipeline.run_sync(XlsxBackend(path, "fr"), YEAR_END, now=NOW, action=closing.closer(until, "C"))
    apply_edits(path, edits)
    assert_one_truth(lambda: XlsxBackend(path, "fr"), values, YEAR_END)


# ---------------------------------------------------------------- the treasurer's walk


@pytest.fixture(params=["xlsx", "gsheet"])
def sheet(request: pytest.FixtureRequest, tmp_path: Path) -> Sheet:
    return make_sheet(request.param, tmp_path)


def test_statement_and_export_keep_the_frozen_amounts_after_an_edit(sheet: Sheet) -> None:
    """Close a half-year, correct a row dated inside it: every output says the frozen amount."""
    pipeline.run_sync(sheet.backend(), AS_OF, now=NOW)
    half_year = dt.date(2026, 6, 30)
    pipeline.run_sync(sheet.backend(), AS_OF, now=NOW, action=closing.closer(half_year, "S1"))
    frozen = {r[1]: r for r in sheet.values("Clôture S1")[1:] if r[0] == "Bénéficiaire"}
    sheet.set_cell("Contributions", "F3", 250)  # Bo's March row, 200 € asked, now 250 €

    outcome = pipeline.run_sync(sheet.backend(), AS_OF, now=NOW)
    bo = statement.for_person(sheet.backend(), "bo", AS_OF)
    paid = {r[0]: r for r in sheet.values("Paiements")[1:]}
    # Pro-rata in March: 500 € shared over 100/200/300 asked → Bo 166.67 €, + 300 € in May.
    assert bo.payable == cents(paid["Bo"][4]) == cents(frozen["Bo"][4]) == 46667
    table, _ = export.export_table(sheet.backend(), "contributions", AS_OF)
    march = next(r for r in table.rows if r[0] == 3)
    # Requested and payable, then Source: the frozen row as it was closed, not 250 €.
    assert march[-3:] == (20000, 16667, "Contributions")
    assert sum(int(str(r[-2])) for r in table.rows if r[2] == "Bo") == 46667
    assert {a.code for a in outcome.anomalies} >= {"frozen_row_modified"}
    assert_one_truth(sheet.backend, sheet.values, AS_OF)


def test_scenarios_own_policy_column_is_what_the_books_pay_after_a_closing(sheet: Sheet) -> None:
    """The closing froze Communication's 500 € (pro-rata in March): a June row gets 0."""
    pipeline.run_sync(sheet.backend(), AS_OF, now=NOW)
    pipeline.run_sync(sheet.backend(), AS_OF, now=NOW, action=closing.closer(UNTIL_MARCH, "T1"))
    for column, cell in zip("ABCEF", june_row("Communication", 7, 100), strict=True):
        sheet.set_cell("Contributions", f"{column}7", cell)
    pipeline.run_sync(sheet.backend(), AS_OF, now=NOW)
    scenarios = {r[2]: r for r in sheet.values("Scénarios")[1:] if r[0] == "Communication"}
    # Frozen: Ana 83.33 €, Bo 166.67 €, Cy 250 € in every column; Dan shares what is left: 0.
    assert [cents(v) for v in scenarios["Dan"][3:7]] == [10000, 10000, 0, 0]
    assert [cents(v) for v in scenarios["Bo"][4:7]] == [16667, 16667, 16667]
    assert [cents(v) for v in scenarios["Total"][4:7]] == [60000, 50000, 50000]


def test_setting_defaults_live_in_the_template_alone() -> None:
    """model.Settings holds no default of its own: default_settings reads the template's."""
    import dataclasses  # noqa: PLC0415
    import datetime as dt  # noqa: PLC0415

    from sheetsync.model import Settings  # noqa: PLC0415
    from sheetsync.parse.settings import default_settings  # noqa: PLC0415
    from sheetsync.template import load  # noqa: PLC0415

    fields = dataclasses.fields(Settings)
    assert all(f.default is dataclasses.MISSING for f in fields)
    assert {s.key for s in load().settings} == {f.name for f in fields}
    defaults = default_settings(dt.date(2031, 5, 2))
    assert (defaults.period_start, defaults.period_end) == (
        dt.date(2031, 1, 1),
        dt.date(2031, 12, 31),
    )
    assert defaults.currency == next(s.default for s in load().settings if s.key == "currency")
