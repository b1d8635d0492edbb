"""A form's responses tab read as contributions: people from emails, dates from the
Horodateur, anomalies on the responses tab, duplicates across sources, the export's
Source column, the journal and closings on form rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.errors import ClosingError
from sheetsync.ledger import closing
from sheetsync.model import CellValue
from sheetsync.report import export
from sheetsync.sync import pipeline
from tests.support.golden import write_xlsx

AS_OF = dt.date(2026, 6, 30)
NOW = dt.datetime(2026, 6, 30, 9, 0, tzinfo=dt.UTC)
FORM = "Réponses au formulaire 1"


def inputs() -> dict[str, list[list[CellValue]]]:
    return {
        "Groupes": [
            ["Groupe", "Pilote", "Enveloppe"],
            ["Communication", "Ana", 1000],
            ["Site", "Bo", 1000],
        ],
        "Personnes": [
            ["Personne", "Email"],
            ["Ana", "ana@example.org"],
            ["Bo", "BO@example.org"],
        ],
        "Contributions": [
            ["Date", "Personne", "Groupe", "Durée (h)", "Montant demandé", "Description"],
            [dt.date(2026, 3, 1), "Ana", "Communication", 2, 100, "lettre"],
        ],
        FORM: [
            ["Horodateur", "Adresse e-mail", "Date de la contribution", "Groupe de travail",
             "Durée (en heures)", "Montant demandé (€)", "Qu'avez-vous fait ?", "Statut"],
            [dt.datetime(2026, 3, 2, 9, 30), "bo@example.org", "02/03/2026", "Site", "3", "",
             "maquette", "validé"],
            [dt.datetime(2026, 3, 3, 18, 2), "ana@example.org", "01/03/2026", "Communication",
             "2", "100", "lettre d'info", ""],
            [dt.datetime(2026, 3, 4, 8, 0), "cy@example.org", "04/03/2026", "Site", "1", "",
             "relecture", ""],
            [dt.datetime(2026, 3, 5, 8, 0), "bo@example.org", "", "Sitte", "1", "", "", ""],
        ],
    }  # fmt: skip


def make(tmp_path: Path, tabs: dict[str, list[list[CellValue]]] | None = None) -> Path:
    path = tmp_path / "budget.xlsx"
    write_xlsx(tabs or inputs(), path)
    return path


def analyse(path: Path) -> pipeline.Outcome:
    return pipeline.analyse(XlsxBackend(path, "fr"), AS_OF, now=NOW)[1]


def test_responses_count_as_contributions_with_people_from_emails(tmp_path: Path) -> None:
    outcome = analyse(make(tmp_path))
    rows = outcome.book.contributions
    form = rows[rows["row"] >= 1_000_000_000]
    assert list(form["person"]) == ["Bo", "Ana"]  # Bo's address matched ignoring case
    assert list(form["status"]) == ["validated", "declared"]
    groups = outcome.table("group_summary").rows
    assert groups[1][:4] == ("Site", "Bo", 100000, 12857)  # 3 h at 300 €/7 h, from the form


def test_anomalies_name_the_responses_tab_and_its_row(tmp_path: Path) -> None:
    found = {(a.code, a.tab, a.row, a.column) for a in analyse(make(tmp_path)).anomalies}
    assert ("response_email_unknown", FORM, 4, "Adresse e-mail") in found
    assert ("group_unknown", FORM, 5, "Groupe de travail") in found
    assert ("duplicate_across_sources", FORM, 3, None) in found


def test_a_duplicate_is_not_flagged_once_one_of_them_is_rejected(tmp_path: Path) -> None:
    tabs = inputs()
    tabs[FORM][2][-1] = "refusé"
    codes = {a.code for a in analyse(make(tmp_path, tabs)).anomalies}
    assert "duplicate_across_sources" not in codes


def test_a_blank_date_is_the_day_of_the_submission(tmp_path: Path) -> None:
    tabs = inputs()
    tabs[FORM][1][2] = ""
    tabs[FORM][1][0] = "12/04/2026 10:14:03"
    rows = analyse(make(tmp_path, tabs)).book.contributions
    bo = rows[rows["row"] == 1_000_000_002]
    assert bo["date"].iloc[0].date() == dt.date(2026, 4, 12)


def test_english_form_with_a_name_question(tmp_path: Path) -> None:
    tabs: dict[str, list[list[CellValue]]] = {
        "Groups": [["Group", "Pilot", "Envelope"], ["Website", "Ana", 500]],
        "Contributions": [["Date", "Person", "Group", "Hours"]],
        "Form Responses 1": [
            ["Timestamp", "Email Address", "Your name", "Working group", "Duration (in hours)"],
            [dt.datetime(2026, 5, 2, 9, 0), "x@example.org", "Ana", "Website", 7],
        ],
    }
    outcome = analyse(make(tmp_path, tabs))
    assert outcome.book.lang == "en"
    assert outcome.table("group_summary").rows[0][3] == 30000


def test_the_export_says_where_each_row_came_from(tmp_path: Path) -> None:
    table, _ = export.export_table(XlsxBackend(make(tmp_path), "fr"), "contributions", AS_OF)
    assert (table.header[0], table.header[-1]) == ("Ligne", "Source")
    assert [(r[0], r[2], r[-1]) for r in table.rows] == [
        (2, "Ana", "Contributions"),
        (2, "Bo", FORM),
        (3, "Ana", FORM),
    ]


def _edit(path: Path, ref: str, value: CellValue) -> None:
    workbook = openpyxl.load_workbook(path)
    workbook[FORM][ref] = value
    workbook.save(path)


def _journal(path: Path) -> list[tuple[object, ...]]:
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        return [tuple(r) for r in workbook["Journal"].iter_rows(min_row=2, values_only=True)]
    finally:
        workbook.close()


def test_a_response_edited_after_submission_is_journaled_as_an_edit(tmp_path: Path) -> None:
    path = make(tmp_path)
    pipeline.run_sync(XlsxBackend(path, "fr"), AS_OF, now=NOW)
    _edit(path, "E2", "4")  # Bo edits the response: 3 h → 4 h
    pipeline.run_sync(XlsxBackend(path, "fr"), AS_OF, now=NOW + dt.timedelta(days=1))
    last = _journal(path)[-1]
    assert last[1:4] == (FORM, 2, "modification")
    assert last[4] == "Durée (h) 3h → 4h"


def test_a_closed_form_row_edited_afterwards_is_an_error_on_the_form(tmp_path: Path) -> None:
    path = make(tmp_path)
    until = dt.date(2026, 3, 31)
    pipeline.run_sync(
        XlsxBackend(path, "fr"), AS_OF, now=NOW, action=closing.closer(until, "T1", force=True)
    )
    _edit(path, "E2", "5")
    outcome = pipeline.run_sync(XlsxBackend(path, "fr"), AS_OF, now=NOW)
    frozen = [a for a in outcome.anomalies if a.code == "frozen_row_modified"]
    assert [(a.tab, a.row) for a in frozen] == [(FORM, 2)]
    assert outcome.table("group_summary").rows[1][3] == 12857  # the frozen 3 h, not 5 h


def test_a_closing_is_refused_for_a_response_in_error_dated_by_its_timestamp(
    tmp_path: Path,
) -> None:
    tabs = inputs()
    tabs[FORM] = [
        ["Horodateur", "Adresse e-mail", "Groupe de travail", "Durée (en heures)"],
        ["02/03/2026 09:30:00", "bo@example.org", "Sitte", 1],  # in error, in March
        ["02/05/2026 09:30:00", "bo@example.org", "Sitte", 1],  # in error, after the range
    ]
    path = make(tmp_path, tabs)
    action = closing.closer(dt.date(2026, 3, 31), "T1")
    with pytest.raises(ClosingError) as refused:
        pipeline.run_sync(XlsxBackend(path, "fr"), AS_OF, now=NOW, action=action)
    assert f"{FORM} ligne 2 (" in str(refused.value)
    assert f"{FORM} ligne 3" not in str(refused.value)


def test_an_english_form_in_a_french_sheet_keeps_the_sheet_french(tmp_path: Path) -> None:
    # The form's English titles outnumber the sheet's French ones: the form does not vote.
    tabs: dict[str, list[list[CellValue]]] = {
        "Groupes": [["Groupe", "Enveloppe"], ["Site", 1000]],
        "Contributions": [["Date", "Personne", "Groupe", "Durée (h)"]],
        "Form Responses 1": [
            ["Timestamp", "Email Address", "Your name", "Contribution date", "Working group",
             "Duration (in hours)", "Requested amount (€)", "What did you do?",
             "Kind of contribution"],
            [dt.datetime(2026, 3, 2, 9, 30), "", "Bo", "02/03/2026", "Site", 3, "", "x", ""],
        ],
    }  # fmt: skip
    outcome = analyse(make(tmp_path, tabs))
    assert outcome.book.lang == "fr"
    assert outcome.table("group_summary").title == "Synthèse groupes"
    assert outcome.table("group_summary").rows[0][3] == 12857


@pytest.mark.parametrize(
    ("title", "header"),
    [
        # Microsoft Forms' export: ID, times, the account's email and name, then questions.
        ("Réponses", ["ID", "Start time", "Completion time", "Email", "Name",
                      "Groupe de travail", "Durée (en heures)"]),
        # Framaforms' export: a submission number and date, then the questions.
        ("Formulaire", ["Numéro de soumission", "Soumis le", "Adresse IP", "Votre nom",
                        "Groupe de travail", "Durée"]),
    ],
)  # fmt: skip
def test_other_form_exports_pasted_as_a_tab(tmp_path: Path, title: str, header: list[str]) -> None:
    tabs = inputs()
    del tabs[FORM]
    values: dict[str, CellValue] = {
        "Start time": "01/03/2026 09:00:00",
        "Completion time": "02/03/2026 10:00:00",
        "Soumis le": "02/03/2026 10:00:00",
        "Email": "bo@example.org",
        "Votre nom": "Bo",
        "Groupe de travail": "Site",
        "Durée (en heures)": 3,
        "Durée": 3,
        "ID": 1,
        "Numéro de soumission": 7,
    }
    row: list[CellValue] = [values.get(name) for name in header]
    tabs[title] = [list(header), row]
    outcome = analyse(make(tmp_path, tabs))
    rows = outcome.book.contributions
    form = rows[rows["row"] >= 1_000_000_000]
    assert list(form["person"]) == ["Bo"]
    assert form["date"].iloc[0].date() == dt.date(2026, 3, 2)  # the completion day
    assert outcome.book.titles["responses"] == title
