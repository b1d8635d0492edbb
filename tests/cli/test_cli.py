"""The command line through click's runner: commands, options, exit codes, output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sheetsync.cli.main import cli
from tests.support.golden import load_case, write_xlsx
from tests.support.paths import GOLDEN


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def book(tmp_path: Path) -> Path:
    case = load_case(GOLDEN / "fr-flag-over.toml")
    path = tmp_path / "book.xlsx"
    write_xlsx(case.inputs, path)
    return path


def test_sync_shows_each_group_and_anomaly_counts(runner: CliRunner, book: Path) -> None:
    result = runner.invoke(cli, ["sync", str(book), "--as-of", "2026-12-31"])
    assert result.exit_code == 0, result.output
    assert "Animation" in result.output
    assert "167%" in result.output  # 500 € consumed of a 300 € envelope
    assert "1 erreur(s)" in result.output
    assert "Onglets écrits" in result.output


def test_second_sync_says_nothing_changed(runner: CliRunner, book: Path) -> None:
    runner.invoke(cli, ["sync", str(book), "--as-of", "2026-12-31"])
    result = runner.invoke(cli, ["sync", str(book), "--as-of", "2026-12-31"])
    assert result.exit_code == 0
    assert "aucune écriture" in result.output


def test_strict_exits_1_on_errors(runner: CliRunner, book: Path) -> None:
    result = runner.invoke(cli, ["sync", str(book), "--as-of", "2026-12-31", "--strict"])
    assert result.exit_code == 1


def test_dry_run_writes_nothing(runner: CliRunner, book: Path) -> None:
    before = book.read_bytes()
    result = runner.invoke(cli, ["sync", str(book), "--dry-run", "--as-of", "2026-12-31"])
    assert result.exit_code == 0
    assert "Simulation" in result.output
    assert book.read_bytes() == before


def test_check_writes_nothing_and_prints_json(runner: CliRunner, book: Path) -> None:
    before = book.read_bytes()
    result = runner.invoke(cli, ["check", str(book), "--json", "--as-of", "2026-12-31"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert book.read_bytes() == before
    assert document["anomaly_counts"]["error"] == 1
    animation = document["groups"][0]
    assert (animation["group"], animation["consumed"], animation["envelope"]) == (
        "Animation",
        50000,
        30000,
    )
    assert document["written"] is False


def test_missing_required_tab_exits_3(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "no-contributions.xlsx"
    write_xlsx({"Groupes": [["Groupe", "Enveloppe"], ["G", 10]]}, path)
    result = runner.invoke(cli, ["sync", str(path)])
    assert result.exit_code == 3
    assert "Contributions" in result.output


def test_missing_required_column_exits_3(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "no-envelope.xlsx"
    write_xlsx(
        {
            "Groupes": [["Groupe"], ["G"]],
            "Contributions": [["Date", "Personne", "Groupe", "Durée (h)"]],
        },
        path,
    )
    result = runner.invoke(cli, ["check", str(path)])
    assert result.exit_code == 3
    assert "Enveloppe" in result.output


def test_output_title_held_by_a_user_tab_exits_3(runner: CliRunner, tmp_path: Path) -> None:
    case = load_case(GOLDEN / "fr-flag-over.toml")
    path = tmp_path / "clash.xlsx"
    write_xlsx({**case.inputs, "Mensuel": [["mes notes"]]}, path)
    before = path.read_bytes()
    result = runner.invoke(cli, ["sync", str(path)])
    assert result.exit_code == 3
    assert "Mensuel" in result.output
    assert path.read_bytes() == before


def test_locked_workbook_exits_4(runner: CliRunner, book: Path) -> None:
    lock = book.parent / f".~lock.{book.name}#"
    lock.write_text("someone,host,2026")
    before = book.read_bytes()
    result = runner.invoke(cli, ["sync", str(book)])
    assert result.exit_code == 4
    assert book.read_bytes() == before


def test_missing_file_exits_4(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["check", str(tmp_path / "nope.xlsx")])
    assert result.exit_code == 4
    assert "Traceback" not in result.output


def test_bad_option_is_a_usage_error(runner: CliRunner, book: Path) -> None:
    result = runner.invoke(cli, ["sync", str(book), "--as-of", "yesterday"])
    assert result.exit_code == 2


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_init_then_check(runner: CliRunner, tmp_path: Path, lang: str) -> None:
    path = tmp_path / f"new-{lang}.xlsx"
    assert runner.invoke(cli, ["init", str(path), "--lang", lang]).exit_code == 0
    result = runner.invoke(cli, ["check", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["language"] == lang


def test_init_example_syncs(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "example.xlsx"
    assert runner.invoke(cli, ["init", str(path), "--example"]).exit_code == 0
    result = runner.invoke(cli, ["sync", str(path), "--as-of", "2026-10-31", "--json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)["groups"]) == 7  # six groups and the Total


def test_demo_builds_and_syncs(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["demo", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "budget-contributif-demo.xlsx").is_file()
    for group in ("Animation du réseau", "Communication", "Outils numériques"):
        assert group in result.output
    assert "!" in result.output  # at least one group over its envelope
