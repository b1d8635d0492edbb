"""`sheetsync form`: the questions to create, in the sheet's language, with the groups of
the Groupes tab as choices; titles that sheetsync reads back as the responses tab."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.cli.main import cli
from sheetsync.model import CellValue
from sheetsync.parse.book import read_template
from sheetsync.template import normalize
from tests.support.golden import write_xlsx

GROUPS: list[CellValue] = ["Communication", "Site web"]


def sheet(tmp_path: Path, lang: str) -> Path:
    fr = lang == "fr"
    tabs: dict[str, list[list[CellValue]]] = {
        "Groupes" if fr else "Groups": [
            ["Groupe", "Enveloppe"] if fr else ["Group", "Envelope"],
            *[[name, 500] for name in GROUPS],
        ],
        "Contributions": [
            ["Date", "Personne", "Groupe", "Durée (h)"]
            if fr
            else ["Date", "Person", "Group", "Hours"]
        ],
    }
    path = tmp_path / f"{lang}.xlsx"
    write_xlsx(tabs, path)
    return path


def form_json(path: Path) -> dict[str, object]:
    result = CliRunner().invoke(cli, ["form", str(path), "--json"])
    assert result.exit_code == 0, result.output
    document: dict[str, object] = json.loads(result.output)
    return document


def test_french_form_lists_the_questions_and_the_groups(tmp_path: Path) -> None:
    document = form_json(sheet(tmp_path, "fr"))
    questions = {q["title"]: q for q in document["questions"]}  # type: ignore[attr-defined]
    assert list(questions)[:3] == ["Date de la contribution", "Votre nom", "Groupe de travail"]
    assert questions["Groupe de travail"]["type"] == "dropdown"
    assert questions["Groupe de travail"]["required"] is True
    assert questions["Groupe de travail"]["choices"] == GROUPS
    assert questions["Type de contribution"]["choices"] == ["production", "coordination", "créa"]
    assert questions["Durée (en heures)"]["type"] == "number"
    assert questions["Montant demandé (€)"]["required"] is False
    treasurer = document["treasurer_columns"]
    assert treasurer == [  # the yes/no of Exception, the values of Statut
        {"title": "Statut", "values": ["déclaré", "validé", "refusé"]},
        {"title": "Exception", "values": ["oui", "non"]},
    ]


def test_english_text_has_the_google_forms_and_framaforms_steps(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["form", str(sheet(tmp_path, "en"))])
    assert result.exit_code == 0, result.output
    text = result.output
    assert "3. Working group — dropdown — required" in text
    assert "Choices: Communication, Site web" in text
    assert "'Link to Sheets'" in text
    assert "Google creates the tab 'Form Responses 1'" in text
    assert "framaforms.org" in text
    assert "Statut" not in text  # every word in the sheet's language


def test_the_titles_printed_are_read_back_as_the_responses_tab(tmp_path: Path) -> None:
    path = sheet(tmp_path, "fr")
    titles = [q["title"] for q in form_json(path)["questions"]]  # type: ignore[attr-defined]
    answer: list[CellValue] = [dt.date(2026, 3, 2), "Ana", "Site web", "", 2, None, "", ""]
    workbook = openpyxl.load_workbook(path)
    responses = workbook.create_sheet("Réponses au formulaire 1")
    responses.append(["Horodateur", "Adresse e-mail", *titles])
    responses.append([dt.datetime(2026, 3, 2, 9), "", *answer])
    workbook.save(path)
    book = read_template(XlsxBackend(path, "fr").read(lambda _: True), dt.date(2026, 6, 30))
    assert set(book.headers["responses"].values()) >= set(titles)
    assert [normalize(str(g)) for g in book.contributions["group"]] == ["siteweb"]


def test_init_example_has_a_responses_tab_and_plain_init_none(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(tmp_path / "ex.xlsx"), "--example"]).exit_code == 0
    assert runner.invoke(cli, ["init", str(tmp_path / "blank.xlsx")]).exit_code == 0
    example = openpyxl.load_workbook(tmp_path / "ex.xlsx", read_only=True)
    rows = list(example["Réponses au formulaire 1"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Horodateur", "Adresse e-mail", "Date de la contribution")
    assert rows[0][-2:] == ("Statut", "Exception")  # the treasurer's, at the right
    assert len(rows) == 5
    blank = openpyxl.load_workbook(tmp_path / "blank.xlsx", read_only=True)
    assert "Réponses au formulaire 1" not in blank.sheetnames
