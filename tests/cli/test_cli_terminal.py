"""What the terminal says for a French sheet: dates typed as in a cell, the anomalies to
fix listed by row, --all and --strict on check, --json in the tab's order, close in French."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sheetsync.cli.main import cli
from sheetsync.model import CellValue
from tests.support.golden import load_case, write_xlsx
from tests.support.ledger_cases import INPUTS
from tests.support.paths import GOLDEN


@pytest.fixture
def runner(french_runner: CliRunner) -> CliRunner:
    return french_runner


@pytest.fixture
def anomalies_book(tmp_path: Path) -> Path:
    path = tmp_path / "book.xlsx"
    write_xlsx(load_case(GOLDEN / "fr-anomalies.toml").inputs, path)
    return path


@pytest.mark.parametrize("typed", ["31/12/2026", "31.12.2026", "2026-12-31"])
def test_dates_on_the_command_line_read_like_cells(
    runner: CliRunner, anomalies_book: Path, typed: str
) -> None:
    iso = runner.invoke(cli, ["check", str(anomalies_book), "--as-of", "2026-12-31", "--json"])
    result = runner.invoke(cli, ["check", str(anomalies_book), "--as-of", typed, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == json.loads(iso.output)


def test_an_unreadable_date_is_a_usage_error_in_french(
    runner: CliRunner, anomalies_book: Path
) -> None:
    result = runner.invoke(cli, ["check", str(anomalies_book), "--as-of", "32/13/2026"])
    assert result.exit_code == 2
    assert "date illisible « 32/13/2026 »" in result.output


def test_check_lists_what_to_fix_errors_first_with_rows(
    runner: CliRunner, anomalies_book: Path
) -> None:
    result = runner.invoke(cli, ["check", str(anomalies_book), "--as-of", "2026-06-30", "--all"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    errors, warnings = lines.index("Erreurs :"), lines.index("Avertissements :")
    assert errors < warnings
    listed = [line for line in lines[errors:] if line.startswith("  ")]
    document = json.loads(
        runner.invoke(cli, ["check", str(anomalies_book), "--as-of", "2026-06-30", "--json"]).output
    )
    serious = [a for a in document["anomalies"] if a["severity"] in {"error", "warning"}]
    assert len(listed) == len(serious)
    first_error = next(a for a in serious if a["severity"] == "error")
    assert f"ligne {first_error['row']}" in lines[errors + 1]
    assert first_error["message"] in result.output


def test_the_list_stops_after_twenty_lines_and_says_how_many_more(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "budget.xlsx"
    undated: list[list[CellValue]] = [
        ["", f"P{n}", "Communication", "", 2, 50, "", "", "", ""] for n in range(25)
    ]
    write_xlsx({**INPUTS, "Contributions": [*INPUTS["Contributions"], *undated]}, path)
    document = json.loads(
        runner.invoke(cli, ["check", str(path), "--as-of", "2026-06-30", "--json"]).output
    )
    serious = sum(1 for a in document["anomalies"] if a["severity"] in {"error", "warning"})
    result = runner.invoke(cli, ["check", str(path), "--as-of", "2026-06-30"])
    listed = [line for line in result.output.splitlines() if line.startswith("  ")]
    more = f"  … et {serious - 20} autre(s) — voir l'onglet « Anomalies » (ou --all)"
    assert listed[-1] == more
    assert sum("Date manquante" in line for line in listed) == 20
    every = runner.invoke(cli, ["check", str(path), "--as-of", "2026-06-30", "--all"])
    assert sum("Date manquante" in line for line in every.output.splitlines()) == 25


def test_check_strict_exits_1_on_errors(runner: CliRunner, anomalies_book: Path) -> None:
    result = runner.invoke(cli, ["check", str(anomalies_book), "--strict"])
    assert result.exit_code == 1


def test_json_anomalies_follow_the_tab_order(runner: CliRunner, anomalies_book: Path) -> None:
    runner.invoke(cli, ["sync", str(anomalies_book), "--as-of", "2026-06-30"])
    result = runner.invoke(cli, ["check", str(anomalies_book), "--as-of", "2026-06-30", "--json"])
    document = json.loads(result.output)
    import openpyxl  # noqa: PLC0415 - only this test reads the tab back

    workbook = openpyxl.load_workbook(anomalies_book, read_only=True)
    rows = workbook["Anomalies"].iter_rows(min_row=2, values_only=True)
    tab = [(r[1], r[2], r[5]) for r in rows]
    workbook.close()
    assert [(a["tab"], a["row"], a["message"]) for a in document["anomalies"]] == tab


def test_close_and_reopen_answer_in_french(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "budget.xlsx"
    write_xlsx(INPUTS, path)
    closed = runner.invoke(cli, ["close", str(path), "--until", "31/03/2026", "--label", "T1"])
    assert closed.exit_code == 0, closed.output
    assert "Clôture « T1 » : tout ce qui est daté jusqu'au 31/03/2026 est figé." in closed.output
    reopened = runner.invoke(cli, ["reopen", str(path), "--label", "T1", "--reason", "erreur"])
    assert reopened.exit_code == 0, reopened.output
    assert "Clôture « T1 » rouverte." in reopened.output


def with_bad_hours(tmp_path: Path, day: str) -> Path:
    """The ledger cases' budget with one more row whose hours cannot be read."""
    path = tmp_path / "budget.xlsx"
    bad: list[CellValue] = [day, "Cy", "Site", "", "beaucoup", 80, "x", "", "", ""]
    write_xlsx({**INPUTS, "Contributions": [*INPUTS["Contributions"], bad]}, path)
    return path


def test_close_refuses_while_rows_in_the_range_carry_errors(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = with_bad_hours(tmp_path, "2026-03-05")
    before = path.read_bytes()
    refused = runner.invoke(cli, ["close", str(path), "--until", "31/03/2026", "--label", "T1"])
    assert refused.exit_code == 2
    assert "Clôture refusée : 1 ligne(s) datée(s) jusqu'au 31/03/2026" in refused.output
    assert "Contributions ligne 7 (Durée illisible" in refused.output
    assert path.read_bytes() == before
    forced = runner.invoke(
        cli, ["close", str(path), "--until", "31/03/2026", "--label", "T1", "--force"]
    )
    assert forced.exit_code == 0, forced.output
    assert "est figé" in forced.output


def test_an_error_after_the_range_does_not_block_a_closing(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = with_bad_hours(tmp_path, "2026-05-05")
    closed = runner.invoke(cli, ["close", str(path), "--until", "31/03/2026", "--label", "T1"])
    assert closed.exit_code == 0, closed.output


def test_close_dry_run_shows_what_would_be_frozen_and_writes_nothing(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "budget.xlsx"
    write_xlsx(INPUTS, path)
    runner.invoke(cli, ["sync", str(path), "--as-of", "2026-06-30"])
    before = path.read_bytes()
    args = ["close", str(path), "--until", "31/03/2026", "--label", "T1", "--dry-run"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == before
    # Pro-rata in March: Communication's 500 € all consumed; 600 € left of 1500 €.
    assert "  Groupe Communication — Enveloppe 500,00 € · Demandé 600,00 € · À verser 500,00 €" in (
        result.output
    )
    assert "  Reste des enveloppes Total — Solde 600,00 €" in result.output
    assert "Simulation : la clôture « T1 » figerait" in result.output


def test_reopen_dry_run_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "budget.xlsx"
    write_xlsx(INPUTS, path)
    runner.invoke(cli, ["close", str(path), "--until", "31/03/2026", "--label", "T1"])
    before = path.read_bytes()
    args = ["reopen", str(path), "--label", "T1", "--reason", "erreur", "--dry-run"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "la clôture « T1 » serait rouverte" in result.output
    assert path.read_bytes() == before
