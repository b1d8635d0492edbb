"""The statement PDF as a contributor attaches it to an invoice, read back with a real
text extractor (pypdf): a year of one person's rows on at most 2 pages, every date,
group name and kind whole, the network, the period and the as-of date at the top, no
column repeating the person, a total line equal to the tabs, frozen rows marked.

The workbook is real (openpyxl), the statement made by the command line as a user runs
it, after a real closing of the first quarter.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from sheetsync import display
from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.cli.main import cli
from sheetsync.model import CellValue
from sheetsync.report import statement, statement_document
from sheetsync.report.document import Table
from sheetsync.sync import pipeline
from tests.support.golden import write_xlsx
from tests.support.ledger_cases import CONTRIBUTIONS_HEADER

AS_OF = dt.date(2026, 12, 31)
PERSON = "Camille Rousseau-Lefèvre"
GROUPS = ("Animation du réseau", "Communication", "Gouvernance partagée", "Lieux et résidences")
KINDS = ("production", "production", "coordination", "production", "créa")
ROWS = 104  # two a week over the year


def year_rows() -> list[list[CellValue]]:
    """Two rows a week of one person over 2026, across four groups and three kinds;
    one row in ten declared, one in twenty-five refused; créa invited by its group."""
    rows: list[list[CellValue]] = []
    for at in range(ROWS):
        day = dt.date(2026, 1, 2) + dt.timedelta(days=at * 365 // ROWS)
        group, kind = GROUPS[at % 4], KINDS[at % 5]
        hours = (1, 2, 3.5, 7, 0.5)[at % 5]
        status = "refusé" if at % 25 == 7 else "déclaré" if at % 10 == 3 else "validé"
        invited = group if kind == "créa" else ""
        exception = "oui" if kind == "coordination" else ""
        amount = 40 * hours + (at % 3) * 5
        row: list[CellValue] = [day, PERSON, group, kind, hours, amount]
        rows.append([*row, f"tâche {at}", invited, status, exception])
    others: list[list[CellValue]] = [
        [dt.date(2026, 3, 3), "Dominique", "Communication", "", 7, 280, "", "", "", ""],
        [dt.date(2026, 6, 9), "Dominique", "Animation du réseau", "", 3.5, 140, "", "", "", ""],
    ]
    return [CONTRIBUTIONS_HEADER, *rows, *others]


def _group(name: str) -> list[CellValue]:
    return [name, "Dominique", 20_000, "signaler"]


INPUTS: dict[str, list[list[CellValue]]] = {
    "Paramètres": [
        ["Paramètre", "Valeur"],
        ["Début de période", dt.date(2026, 1, 1)],
        ["Fin de période", dt.date(2026, 12, 31)],
    ],
    "Groupes": [
        ["Groupe", "Pilote", "Enveloppe", "Politique de dépassement"],
        *(_group(name) for name in GROUPS),
    ],
    "Personnes": [
        ["Personne", "Rétribution", "Structure de facturation", "Mode de paiement"],
        [PERSON, "", "", "facture"],
        ["Dominique", "", "Coopérative d'activités Œuvre Commune", "CAE / portage"],
    ],
    "Contributions": year_rows(),
    "Versements": [
        ["Date", "Bénéficiaire", "Montant", "Référence"],
        [dt.date(2026, 4, 10), PERSON, 1_500, "F-2026-01"],
        [dt.date(2026, 9, 30), PERSON, 2_000, "F-2026-02"],
    ],
}


def pdf_text(data: bytes) -> tuple[int, str]:
    """The number of pages and the text pypdf extracts from them, spaces as spaces."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), text.replace("\u202f", " ").replace("\xa0", " ")


@pytest.fixture(scope="module")
def budget(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The year's workbook, synced, its first quarter closed."""
    path = tmp_path_factory.mktemp("year") / "tiers-lieux-occitanie.xlsx"
    write_xlsx(INPUTS, path)
    result = CliRunner(env={"LC_ALL": "", "LANG": ""}).invoke(
        cli, ["close", str(path), "--until", "31/03/2026", "--label", "T1", "--as-of", "2026-12-31"]
    )
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def year_pdf(budget: Path) -> tuple[int, str]:
    out = budget.with_name("releve.pdf")
    result = CliRunner(env={"LC_ALL": "", "LANG": ""}).invoke(
        cli,
        ["statement", str(budget), "--person", PERSON, "--as-of", "31/12/2026", "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    return pdf_text(out.read_bytes())


@pytest.fixture(scope="module")
def found(budget: Path) -> statement.Statement:
    return statement.for_person(XlsxBackend(budget, "fr"), PERSON, AS_OF)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()]


def test_a_year_of_one_persons_rows_fits_on_two_pages(
    year_pdf: tuple[int, str], found: statement.Statement
) -> None:
    pages, _ = year_pdf
    assert len(found.contributions.rows) == ROWS
    assert pages <= 2


def test_every_row_is_on_one_line_with_its_date_group_and_kind_whole(
    year_pdf: tuple[int, str], found: statement.Statement
) -> None:
    _, text = year_pdf
    lines = _lines(text)
    for row in found.contributions.rows:
        number, day, _person, group, _charged, kind = row[:6]
        date = display.date(day, "fr")  # type: ignore[arg-type]
        # The row's own line: its number, its date, its group and kind, unbroken.
        line = next(line for line in lines if line.startswith(f"{number} {date} "))
        assert f" {group} {kind} " in f" {line} ", line
    assert not [line for line in lines if re.fullmatch(r"\d{1,2}/\d{2}/\d{0,3}", line)]


def test_no_word_is_cut(year_pdf: tuple[int, str]) -> None:
    """The words the issue found cut ("Commu nication", "producti on", "Montan t deman
    dé") are whole: every word of the text is a word of the statement."""
    _, text = year_pdf
    words = set(text.split())
    for broken in ("Commu", "nication", "producti", "Montan", "deman", "réseau)", "026"):
        assert broken not in words
    for whole in ("Communication", "production", "coordination", "créa", "réseau", "validé"):
        assert whole in words


def test_the_head_says_the_network_the_period_and_the_as_of_date(
    year_pdf: tuple[int, str],
) -> None:
    _, text = year_pdf
    lines = _lines(text)
    assert lines[0] == f"Relevé de {PERSON}"
    assert "Réseau : tiers-lieux-occitanie" in lines[1:3]
    assert "Période du 01/01/2026 au 31/12/2026, situation au 31/12/2026" in lines[1:4]


def test_no_column_repeats_the_persons_name(year_pdf: tuple[int, str]) -> None:
    _, text = year_pdf
    assert text.count(PERSON) == 1  # the title
    assert "Personne" not in text.split()


def test_the_total_line_is_the_people_summary(
    budget: Path, year_pdf: tuple[int, str], found: statement.Statement
) -> None:
    _, text = year_pdf
    outcome = pipeline.analyse(XlsxBackend(budget, "fr"), AS_OF)[1]
    people = outcome.table("people_summary")
    mine = next(row for row in people.rows if row[0] == PERSON)
    hours, reference, requested, payable = (mine[i] for i in (3, 5, 6, 7))
    money = [display.money(int(str(v)), "fr") for v in (reference, requested, payable)]
    totals = f"Total {display.decimal(float(str(hours)), 'fr')} {' '.join(money)}"
    assert totals.replace("\u202f", " ") in _lines(text)
    # The shown rows add up to it: a refused row shows no amount.
    assert found.totals.payable == payable
    table = statement_document.document(found).tables[-1]
    assert _column_sum(table, "Montant demandé") == requested
    assert _column_sum(table, "À verser") == payable


def _column_sum(table: Table, header: str) -> int:
    at = table.header.index(header)
    cells = [row[at] for row in table.rows[:-1] if row[at]]
    return sum(int(re.sub(r"\D", "", cell)) for cell in cells)


def test_the_payee_block_and_the_frozen_rows(
    year_pdf: tuple[int, str], found: statement.Statement
) -> None:
    _, text = year_pdf
    lines = _lines(text)
    paid = display.money(350_000, "fr").replace("\u202f", " ")
    assert f"Versé {paid}" in lines
    balance = display.money(found.payable - 350_000, "fr").replace("\u202f", " ")
    assert f"Solde {balance}" in lines
    frozen = [line for line in lines if line.endswith(" figée")]
    march = [r for r in found.contributions.rows if r[1] <= dt.date(2026, 3, 31)]  # type: ignore[operator]
    assert len(frozen) == len(march) > 20  # the first quarter, closed


def test_the_year_in_helvetica(found: statement.Statement) -> None:
    """Without a Unicode font: Helvetica, € spelled EUR, the same layout rules."""
    pages, text = pdf_text(statement_document.to_pdf(found, system_font=False))
    assert pages <= 2
    lines = _lines(text)
    for row in found.contributions.rows:
        assert any(line.startswith(f"{row[0]} {display.date(row[1], 'fr')} ") for line in lines)  # type: ignore[arg-type]
    assert "Animation du réseau" in text
    assert "EUR" in text
    assert "€" not in text
