"""Years (SPEC §12): a spreadsheet closed at the year-end, moved on to the next period
with new envelopes and a new group, on both backends — figures computed by hand.

The budget of tests/support/ledger_cases.py: Communication 500 € pro-rata (Ana 100, Bo 200,
Cy 300 asked in March → 83.33 / 166.67 / 250.00), Site 1 000 € (Ana 400, Bo 300);
commons 10 %, smoothing 50 %. At the 2026 year-end closing: surplus 1 500 − 1 200 =
300 €, commons 30 €, smoothing 100 € (each shortfall topped up in full: Ana 16.67,
Bo 33.33, Cy 50.00), unallocated 170 €. Due: Ana 500 € (50 € paid), Bo 500 €, Cy 300 €.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from sheetsync import layout
from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.cli import console
from sheetsync.errors import ClosingError, UnknownPersonError, UsageError
from sheetsync.ledger import closing, periods, state
from sheetsync.report import export, statement, statement_document
from sheetsync.sync import pipeline
from tests.support.ledger_cases import NOW, Sheet, XlsxSheet, make_sheet
from tests.support.paths import DATA
from tests.support.years import MARCH_2027, YEAR_END, by_first, cents, close_2026, move_to_2027, put

YEARS = DATA / "years"


@pytest.fixture(params=["xlsx", "gsheet"])
def sheet(request: pytest.FixtureRequest, tmp_path: Path) -> Sheet:
    return make_sheet(request.param, tmp_path)


def test_the_year_end_owes_the_smoothing(sheet: Sheet) -> None:
    close_2026(sheet)
    paid = by_first(sheet.values("Paiements"))
    # Report, À verser (smoothing included), Versé, Solde.
    assert [cents(v) for v in paid["Ana"][3:7]] == [0, 50000, 5000, 45000]
    assert [cents(v) for v in paid["Bo"][3:7]] == [0, 50000, 0, 50000]
    assert [cents(v) for v in paid["Cy"][3:7]] == [0, 30000, 0, 30000]
    frozen = {r[1]: r for r in sheet.values("Clôture 2026")[1:] if r[0] == "Bénéficiaire"}
    assert cents(frozen["Cy"][4]) == 30000  # the closing's payee line owes it too
    cy = statement.for_person(sheet.backend(), "Cy", YEAR_END)
    assert cy.top_ups == (("Cy", 5000),)
    assert cy.payable == 30000
    text = statement_document.to_markdown(cy)
    assert "| Lissage (excédent) |  |  | 50,00 € |" in text  # a line of its own
    # The groups' total adds the smoothing: 250 € of contributions, 50 € of top-up.
    assert "| **Total** | **3,5** | **300,00 €** | **300,00 €** |\n" in text


def test_the_next_period_counts_only_its_own_rows(sheet: Sheet) -> None:
    close_2026(sheet)
    move_to_2027(sheet)
    outcome = pipeline.run_sync(sheet.backend(), MARCH_2027, now=NOW)
    groups = by_first(sheet.values("Synthèse groupes"))
    # Enveloppe, Consommé; the 2026 amounts count nowhere in 2027.
    assert [cents(v) for v in groups["Communication"][2:4]] == [80000, 0]
    assert [cents(v) for v in groups["Site"][2:4]] == [100000, 0]
    assert [cents(v) for v in groups["Formation"][2:4]] == [150000, 20000]
    assert [cents(v) for v in groups["Total"][2:4]] == [330000, 20000]
    # Projection: 200 € over the 60 days elapsed of 365.
    assert cents(groups["Formation"][11]) == round(20000 * 365 / 60)
    assert [r[0] for r in sheet.values("Mensuel")[1:]] == ["2027-02"]
    assert {r[0] for r in sheet.values("Synthèse personnes")[1:] if cents(r[7])} == {"Dan"}
    paid = by_first(sheet.values("Paiements"))
    assert [cents(v) for v in paid["Ana"][3:7]] == [45000, 0, 45000, 0]  # settled in January
    assert [cents(v) for v in paid["Bo"][3:7]] == [50000, 0, 0, 50000]  # only carried: listed
    assert [cents(v) for v in paid["Dan"][3:7]] == [0, 20000, 0, 20000]
    assert not [a for a in outcome.anomalies if a.severity.value != "info"]
    bo = statement.for_payee(sheet.backend(), "Bo", MARCH_2027)  # only a carried balance
    assert (bo.brought_forward, bo.payable, bo.paid, bo.balance) == (50000, 0, 0, 50000)
    assert "- Report\u00a0: 500,00 €" in statement_document.to_markdown(bo)
    # A person with only a carried balance has a statement too: its Report line.
    cy = statement.for_person(sheet.backend(), "cy", MARCH_2027)
    assert (cy.subject, cy.payee, cy.contributions.rows) == ("Cy", "Cy", [])
    assert (cy.brought_forward, cy.payable, cy.balance) == (30000, 0, 30000)
    assert "- Report\u00a0: 300,00 €" in statement_document.to_markdown(cy)
    with pytest.raises(UnknownPersonError, match="Cy"):
        statement.for_person(sheet.backend(), "Cyy", MARCH_2027)


def test_the_periods_tab(sheet: Sheet) -> None:
    close_2026(sheet)
    move_to_2027(sheet)
    pipeline.run_sync(sheet.backend(), MARCH_2027, now=NOW)
    rows = sheet.values("Exercices")
    assert rows[0][:4] == ["Période", "Début", "Fin", "Groupe"]
    shown = [(r[0], r[3], cents(r[4]), cents(r[5]), cents(r[6])) for r in rows[1:]]
    assert shown == [
        ("2026", "Communication", 50000, 50000, 0),
        ("2026", "Site", 100000, 70000, 30000),
        ("2026", "Total", 150000, 120000, 30000),
        ("2027", "Communication", 80000, 0, 80000),
        ("2027", "Site", 100000, 0, 100000),
        ("2027", "Formation", 150000, 20000, 130000),
        ("2027", "Total", 330000, 20000, 310000),
    ]
    total_2026 = rows[3]
    assert [cents(v) for v in total_2026[10:14]] == [30000, 3000, 10000, 17000]
    sealed = state.read(sheet.backend().read(lambda t: True), "fr").closings[0].checksum
    assert total_2026[14] == sealed
    assert not any(rows[7][10:15])  # the current period is not closed


def test_an_earlier_period_exactly_as_frozen(sheet: Sheet) -> None:
    close_2026(sheet)
    frozen = {r[1]: r for r in sheet.values("Clôture 2026")[1:] if r[0] == "Bénéficiaire"}
    move_to_2027(sheet)
    pipeline.run_sync(sheet.backend(), MARCH_2027, now=NOW)
    table, lang = export.export_table(sheet.backend(), "payouts", MARCH_2027, "2026")
    assert lang == "fr"
    for payee, *_, payable, paid, balance in table.rows:
        line = frozen[payee]
        assert (payable, paid, balance) == tuple(cents(v) for v in line[4:7])
    groups, _ = export.export_table(sheet.backend(), "groups", MARCH_2027, "2026")
    assert [(r[0], r[2], r[3]) for r in groups.rows] == [
        ("Communication", 50000, 50000),
        ("Site", 100000, 70000),
        ("Total", 150000, 120000),
    ]
    bo = statement.for_person(sheet.backend(), "Bo", MARCH_2027, "2026")
    assert (bo.payable, bo.paid, bo.balance) == (50000, 0, 50000)
    with pytest.raises(UsageError, match="2026") as refused:
        export.export_table(sheet.backend(), "payouts", MARCH_2027, "2019")
    assert refused.value.exit_code == 2
    assert "2027" in str(refused.value)


def test_a_frozen_row_of_an_earlier_period_edited(sheet: Sheet) -> None:
    close_2026(sheet)
    move_to_2027(sheet)
    pipeline.run_sync(sheet.backend(), MARCH_2027, now=NOW)
    sheet.set_cell("Contributions", "F3", 250)  # Bo's 2026 March row: 200 € then
    outcome = pipeline.run_sync(sheet.backend(), MARCH_2027, now=NOW)
    errors = [a for a in outcome.anomalies if a.code == "frozen_row_modified"]
    assert len(errors) == 1
    assert "« 2026 »" in errors[0].message
    assert errors[0].row == 3
    exercices = {(r[0], r[3]): r for r in sheet.values("Exercices")[1:]}
    assert cents(exercices[("2026", "Communication")][5]) == 50000  # no figure moves
    assert cents(by_first(sheet.values("Paiements"))["Bo"][3]) == 50000


def test_a_group_that_ended_with_the_year_keeps_its_rows_frozen(sheet: Sheet) -> None:
    close_2026(sheet)
    move_to_2027(sheet)
    # Site ended with 2026: the treasurer types Formation over its line in Groupes.
    put(sheet, "Groupes", 3, ["Formation", "Cy", 1500, "signaler"])
    put(sheet, "Groupes", 4, ["", "", "", ""])
    outcome = pipeline.run_sync(sheet.backend(), MARCH_2027, now=NOW)
    assert not [a for a in outcome.anomalies if a.severity.value == "error"]
    assert "Site" not in by_first(sheet.values("Synthèse groupes"))
    exercices = {(r[0], r[3]): r for r in sheet.values("Exercices")[1:]}
    assert [cents(v) for v in exercices[("2026", "Site")][4:6]] == [100000, 70000]
    assert cents(by_first(sheet.values("Paiements"))["Bo"][3]) == 50000  # still carried
    # Its rows are still frozen: an edit of one is the error naming the closing.
    sheet.set_cell("Contributions", "F6", 350)  # Bo's Site row of May 2026: 300 € then
    outcome = pipeline.run_sync(sheet.backend(), MARCH_2027, now=NOW)
    errors = [a for a in outcome.anomalies if a.severity.value == "error"]
    assert [(a.code, a.row) for a in errors] == [("frozen_row_modified", 6)]
    # In the current period a group not listed is still refused; before it, a group no
    # closing knew is too (the row is left out, not "added after the closing").
    put(sheet, "Contributions", 8, ["2027-02-02", "Dan", "Site", "", 7, 100, "code"])
    put(sheet, "Contributions", 9, ["2026-11-02", "Dan", "Sitte", "", 7, 100, "code"])
    outcome = pipeline.run_sync(sheet.backend(), MARCH_2027, now=NOW)
    said = [(a.code, a.row or 0) for a in outcome.anomalies if a.severity.value == "error"]
    assert sorted(said) == [
        ("frozen_row_modified", 6),
        ("group_unknown", 8),
        ("group_unknown", 9),
    ]


def test_an_error_of_an_earlier_period_does_not_stop_a_closing_of_this_one(
    sheet: Sheet,
) -> None:
    close_2026(sheet)
    move_to_2027(sheet)
    put(sheet, "Contributions", 8, ["2026-11-02", "Dan", "Sitte", "", 7, 100, "code"])
    february = closing.closer(dt.date(2027, 2, 28), "2027-02")
    outcome = pipeline.run_sync(sheet.backend(), MARCH_2027, now=NOW, action=february)
    assert ("group_unknown", 8) in [(a.code, a.row) for a in outcome.anomalies]
    assert outcome.state is not None
    assert [c.label for c in outcome.state.closings] == ["2026", "2027-02"]
    # An error dated in the range to close still stops it.
    put(sheet, "Contributions", 9, ["2027-03-10", "Dan", "Sitte", "", 7, 100, "code"])
    march = closing.closer(dt.date(2027, 3, 31), "2027-03")
    with pytest.raises(ClosingError, match="9"):
        pipeline.run_sync(sheet.backend(), MARCH_2027, now=NOW, action=march)


def test_reopen_of_an_earlier_period_is_refused(sheet: Sheet) -> None:
    close_2026(sheet)
    move_to_2027(sheet)
    pipeline.run_sync(sheet.backend(), MARCH_2027, now=NOW)
    with pytest.raises(ClosingError, match="Début et Fin de période") as refused:
        pipeline.run_sync(
            sheet.backend(), MARCH_2027, now=NOW, action=closing.reopener("2026", "oubli")
        )
    assert refused.value.exit_code == 2
    journal = [r for r in sheet.values("Journal")[1:] if r[1] == "Paramètres"]
    assert any("Début de période" in str(r[4]) and "2027-01-01" in str(r[4]) for r in journal)


def test_a_workbook_moved_on_without_closing(sheet: Sheet) -> None:
    pipeline.run_sync(sheet.backend(), YEAR_END, now=NOW)
    move_to_2027(sheet)
    outcome = pipeline.run_sync(sheet.backend(), MARCH_2027, now=NOW)
    left = [a for a in outcome.anomalies if a.code == "rows_left_behind"]
    assert [(a.tab, a.row, a.severity.value) for a in left] == [
        ("Contributions", 2, "warning"),
        ("Versements", 2, "warning"),
    ]
    assert "5 ligne(s)" in left[0].message
    assert "close --until 31/12/2026" in left[0].message
    paid = by_first(sheet.values("Paiements"))
    assert "Bo" not in paid  # 2026 counts nowhere: neither due nor carried
    assert [cents(v) for v in paid["Ana"][3:7]] == [0, 0, 45000, -45000]


def test_three_years_carry_the_balances_on(sheet: Sheet) -> None:
    close_2026(sheet)
    move_to_2027(sheet)
    end_2027 = dt.date(2027, 12, 31)
    pipeline.run_sync(sheet.backend(), end_2027, now=NOW)
    pipeline.run_sync(sheet.backend(), end_2027, now=NOW, action=closing.closer(end_2027, "2027"))
    put(sheet, "Paramètres", 4, ["Début de période", "2028-01-01"])
    put(sheet, "Paramètres", 5, ["Fin de période", "2028-12-31"])
    put(sheet, "Versements", 4, ["2028-01-10", "Dan", 200, "V-2028-1"])
    outcome = pipeline.run_sync(sheet.backend(), dt.date(2028, 2, 1), now=NOW)
    paid = by_first(sheet.values("Paiements"))
    assert [cents(v) for v in paid["Bo"][3:7]] == [50000, 0, 0, 50000]
    assert [cents(v) for v in paid["Dan"][3:7]] == [20000, 0, 20000, 0]
    labels = [r[0] for r in sheet.values("Exercices")[1:] if r[3] == "Total"]
    assert labels == ["2026", "2027", "2028"]
    assert [p.label for p in (outcome.layers or periods.Layers((), None)).history] == [
        "2026",
        "2027",
    ]
    assert not [a for a in outcome.anomalies if a.severity.value == "error"]


def test_a_closing_made_before_periods_were_recorded(tmp_path: Path) -> None:
    """A workbook closed at 2026-12-31 by the release before periods were recorded
    (tests/data/years): its period is inferred as the year ending on its date."""
    path = tmp_path / "budget.xlsx"
    shutil.copy(YEARS / "closed-before-periods.xlsx", path)
    kept = state.read(XlsxBackend(path, "fr").read(lambda t: True), "fr")
    assert [c.period for c in kept.closings] == [None]
    sheet = XlsxSheet.__new__(XlsxSheet)
    sheet.path = path
    move_to_2027(sheet)
    outcome = pipeline.run_sync(sheet.backend(), MARCH_2027, now=NOW)
    assert not [a for a in outcome.anomalies if a.severity.value != "info"]
    rows = sheet.values("Exercices")
    assert rows[1][:3] == ["2026", dt.datetime(2026, 1, 1), dt.datetime(2026, 12, 31)]
    assert [cents(v) for v in rows[3][10:14]] == [30000, 3000, 10000, 17000]
    paid = by_first(sheet.values("Paiements"))
    # The smoothing of the closing tab counts in the balance carried.
    assert [cents(v) for v in paid["Cy"][3:7]] == [30000, 0, 0, 30000]
    assert [cents(v) for v in paid["Ana"][3:7]] == [45000, 0, 45000, 0]


def test_the_smoothing_in_json_and_the_periods_totals_bold(sheet: Sheet) -> None:
    close_2026(sheet)
    outcome = pipeline.run_sync(sheet.backend(), YEAR_END, now=NOW)
    document = json.loads(console.summary_json(outcome, "budget"))
    cy = next(p for p in document["payouts"] if p["payee"] == "Cy")
    assert (cy["brought_forward"], cy["payable"], cy["balance"]) == (0, 30000, 30000)
    table = outcome.table("periods")
    assert [table.rows[i][3] for i in layout.total_rows(table)] == ["Total"]
    assert layout.total_rows(table) == (len(table.rows) - 1,)
