"""Exports: formula-safe CSV, language-aware separators, numbers equal to the summary tabs."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.cli.main import cli
from sheetsync.model import OutputTable
from sheetsync.report import export
from sheetsync.sync import pipeline
from tests.support.golden import load_case, read_xlsx_tab, write_xlsx
from tests.support.paths import GOLDEN

AS_OF = dt.date(2026, 6, 1)
CASE = load_case(GOLDEN / "fr-prorata.toml")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("+33 6 12", "'+33 6 12"),
        ("-1+1", "'-1+1"),
        ('@HYPERLINK("http://x")', '\'@HYPERLINK("http://x")'),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Émilie", "Émilie"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_text_that_could_run_as_a_formula_is_neutralised(text: str, expected: str) -> None:
    assert export.neutralise(text) == expected


@pytest.mark.parametrize(
    ("value", "kind", "lang", "expected"),
    [
        (-1234, "money", "fr", "-12,34"),  # a real negative amount stays a number
        (-1234, "money", "en", "-12.34"),
        (150000, "money", "fr", "1500,00"),
        (3.5, "hours", "fr", "3,5"),
        (0.85, "percent", "en", "0.85"),
        (7, "integer", "fr", "7"),
        (dt.date(2026, 3, 2), "date", "fr", "02/03/2026"),
        (dt.date(2026, 3, 2), "date", "en", "2026-03-02"),
        ("-5", "text", "fr", "'-5"),  # text that only looks like a number is text
        (None, "money", "fr", ""),
    ],
)
def test_csv_cells(value: object, kind: str, lang: str, expected: str) -> None:
    assert export.csv_cell(value, kind, lang) == expected  # type: ignore[arg-type]


INJECTED = OutputTable(
    "payouts",
    "Paiements",
    ("Bénéficiaire", "Solde"),
    ("text", "money"),
    [("=cmd|'/c calc'!A1", -500), ("@SUM(1)", 100)],
)


@pytest.mark.parametrize(("lang", "separator"), [("fr", ";"), ("en", ",")])
def test_csv_has_bom_and_the_language_separator(lang: str, separator: str) -> None:
    data = export.to_csv(INJECTED, lang)  # type: ignore[arg-type]
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=separator))
    assert rows[0] == ["Bénéficiaire", "Solde"]
    assert rows[1][0] == "'=cmd|'/c calc'!A1"
    assert rows[2][0] == "'@SUM(1)"
    assert rows[1][1] in {"-5,00", "-5.00"}


def test_xlsx_export_keeps_formula_looking_text_as_text(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    export.to_xlsx(INJECTED, path)
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].value == "=cmd|'/c calc'!A1"
    assert sheet["B2"].value == -5


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "budget.xlsx"
    write_xlsx(CASE.inputs, path)
    pipeline.run_sync(XlsxBackend(path, "fr"), CASE.as_of)
    return path


def _cents(text: str) -> int:
    return int(Decimal(text.replace(",", ".")) * 100)


@pytest.mark.parametrize(
    ("kind", "title", "money_columns"),
    [
        ("groups", "Synthèse groupes", [2, 3, 4, 5, 10, 11]),
        ("people", "Synthèse personnes", [5, 6, 7, 8]),
        ("payouts", "Paiements", [3, 4, 5]),
    ],
)
def test_exported_amounts_equal_the_summary_tabs_to_the_cent(
    synced: Path, kind: str, title: str, money_columns: list[int]
) -> None:
    result = CliRunner().invoke(
        cli, ["export", str(synced), kind, "--as-of", CASE.as_of.isoformat()]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output), delimiter=";"))[1:]
    tab = read_xlsx_tab(synced, title)
    assert len(rows) == len(tab)
    assert rows
    for exported, written in zip(rows, tab, strict=True):
        for column in money_columns:
            cell = written[column]
            expected = None if cell is None else round(float(cell) * 100)  # type: ignore[arg-type]
            got = _cents(exported[column]) if exported[column] else None
            assert got == expected, (kind, column)


def test_contributions_export_sums_to_the_groups_consumption(synced: Path, tmp_path: Path) -> None:
    out = tmp_path / "rows.xlsx"
    result = CliRunner().invoke(
        cli,
        ["export", str(synced), "contributions", "--format", "xlsx", "-o", str(out),
         "--as-of", CASE.as_of.isoformat()],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    payable = sum(round(float(str(r[10])) * 100) for r in rows)
    groups = read_xlsx_tab(synced, "Synthèse groupes")
    assert payable == round(float(str(groups[-1][3])) * 100)  # the Total row's Consommé


def test_xlsx_needs_an_output_file(synced: Path) -> None:
    result = CliRunner().invoke(cli, ["export", str(synced), "groups", "--format", "xlsx"])
    assert result.exit_code == 2
