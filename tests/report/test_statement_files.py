"""Statements as a user asks for them: per person or per payee, Markdown, HTML or PDF by the
file's extension (anything else refused), frozen rows marked, French grammar right."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.cli.main import cli
from sheetsync.model import CellValue
from sheetsync.report import pdf, statement, statement_document
from tests.support.golden import write_xlsx
from tests.support.ledger_cases import AS_OF, INPUTS, GoogleSheet

PEOPLE: list[list[CellValue]] = [
    ["Personne", "Rétribution", "Structure de facturation"],
    ["Ana", "", ""],
    ["Bo", "", "Coopérative Œuvre"],
    ["Cy", "", "Coopérative Œuvre"],
]


@pytest.fixture
def runner(french_runner: CliRunner) -> CliRunner:
    return french_runner


@pytest.fixture
def budget(tmp_path: Path) -> Path:
    path = tmp_path / "budget.xlsx"
    write_xlsx({**INPUTS, "Personnes": PEOPLE}, path)
    return path


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_a_payee_statement_covers_everyone_it_invoices_for(budget: Path) -> None:
    found = statement.for_payee(XlsxBackend(budget, "fr"), "coopérative œuvre", AS_OF)
    assert found.subject == "Coopérative Œuvre"
    people = {row[2] for row in found.contributions.rows}
    assert people == {"Bo", "Cy"}
    # Pro-rata in March (500 € for 100/200/300 asked): Bo 166.67 + Cy 250 + Bo's May 300.
    assert found.payable == 16667 + 25000 + 30000
    text = statement_document.to_markdown(found)
    assert "# Relevé de Coopérative Œuvre" in text
    assert "| Bo | Communication |" in text


def test_the_head_names_the_workbook_or_the_google_spreadsheet(budget: Path) -> None:
    """No `Nom du réseau` given: the spreadsheet's title names the network."""
    local = statement.for_person(XlsxBackend(budget, "fr"), "Bo", AS_OF)
    assert local.network == "budget"
    assert "Réseau\u00a0: budget" in statement_document.to_markdown(local).splitlines()
    google = statement.for_person(GoogleSheet().backend(), "Bo", AS_OF)
    assert google.network == "Budget"  # the emulated spreadsheet's title


def test_french_elision_before_a_vowel(budget: Path) -> None:
    found = statement.for_person(XlsxBackend(budget, "fr"), "ana", AS_OF)
    assert statement_document.to_markdown(found).startswith("# Relevé d'Ana")


def test_frozen_rows_are_marked(runner: CliRunner, budget: Path) -> None:
    runner.invoke(cli, ["close", str(budget), "--until", "31/03/2026", "--label", "T1"])
    found = statement.for_person(XlsxBackend(budget, "fr"), "Bo", AS_OF)
    marks = {row[0]: row[-1] for row in found.contributions.rows}
    assert marks == {3: "figée", 6: None}  # March is closed, May is not
    rows = statement_document.document(found).tables[-1]
    assert rows.header[-1] == "Clôture"
    assert [row[-1] for row in rows.rows] == ["figée", "", ""]  # the total line last


@pytest.mark.parametrize("system_font", [True, False])
def test_pdf_keeps_the_accents(budget: Path, system_font: bool) -> None:
    found = statement.for_payee(XlsxBackend(budget, "fr"), "Coopérative Œuvre", AS_OF)
    data = statement_document.to_pdf(found, system_font=system_font)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "Relevé de Coopérative" in text
    assert "À verser" in text
    money = "716,67 €" if system_font and pdf.unicode_font() else "716,67 EUR"
    assert money.replace("\u202f", " ") in text.replace("\u202f", " ").replace("\xa0", " ")


@pytest.mark.parametrize(("name", "magic"), [("x.pdf", b"%PDF"), ("x.html", b"<!DOCTYPE html>")])
def test_the_extension_chooses_the_format(
    runner: CliRunner, budget: Path, tmp_path: Path, name: str, magic: bytes
) -> None:
    out = tmp_path / name
    result = runner.invoke(cli, ["statement", str(budget), "--person", "Bo", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(magic)


def test_an_unknown_extension_is_a_usage_error(
    runner: CliRunner, budget: Path, tmp_path: Path
) -> None:
    out = tmp_path / "x.docx"
    result = runner.invoke(cli, ["statement", str(budget), "--person", "Bo", "-o", str(out)])
    assert result.exit_code == 2
    assert "extension inconnue « .docx »" in result.output
    assert not out.exists()


def test_person_or_payee_not_both(runner: CliRunner, budget: Path) -> None:
    both = runner.invoke(cli, ["statement", str(budget), "--person", "Bo", "--payee", "Bo"])
    neither = runner.invoke(cli, ["statement", str(budget)])
    assert both.exit_code == neither.exit_code == 2
    unknown = runner.invoke(cli, ["statement", str(budget), "--payee", "Coopérative Oeuvr"])
    assert unknown.exit_code == 2
    assert "Bénéficiaire inconnu" in unknown.output
