"""--help speaks the environment's language, French by default (SPEC §10): every help text
of every command and option has its French text, and nothing English is left over."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sheetsync import demo
from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.cli import help_texts as cli_help
from sheetsync.cli.main import cli


def test_every_help_text_has_its_french() -> None:
    # The catalogue is keyed by the English texts: compare with a fresh, untranslated tree.
    script = (
        "import os; os.environ['LANG'] = 'en_US.UTF-8'; os.environ.pop('LC_ALL', None)\n"
        "from sheetsync.cli import help_texts as cli_help\n"
        "from sheetsync.cli.main import cli\n"
        "print('\\x1e'.join(cli_help.key(t) for _, t in cli_help.helps(cli)))\n"
    )
    english = (
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
        .stdout.strip()
        .split("\x1e")
    )
    missing = [text for text in english if text not in cli_help.FRENCH]
    assert missing == []
    assert set(cli_help.FRENCH) - {"Show this message and exit."} <= set(english)


@pytest.mark.parametrize(
    ("lang", "words", "absent"),
    [
        ("", ["Utilisation : ", "Fige toutes les", "Affiche cette aide"], "Freeze every"),
        ("en_US.UTF-8", ["Usage: ", "Freeze every", "Show this message"], "Fige toutes"),
    ],
)
def test_help_follows_the_environment(lang: str, words: list[str], absent: str) -> None:
    env = {"LANG": lang, "LC_ALL": "", "PATH": ""}
    command = [
        sys.executable,
        "-c",
        "from sheetsync.cli.main import main; main()",
        "close",
        "--help",
    ]
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr
    for word in words:
        assert word in result.stdout
    assert absent not in result.stdout


def test_clicks_own_words_follow_the_language() -> None:
    french = CliRunner(env={"LANG": "", "LC_ALL": ""}).invoke(cli, ["sync"])
    assert french.exit_code == 2
    assert "Essayez « cli sync --help » pour l'aide." in french.output
    assert "Erreur : Argument manquant 'TARGET'." in french.output
    english = CliRunner(env={"LANG": "en_US.UTF-8", "LC_ALL": ""}).invoke(cli, ["sync"])
    assert "Error: Missing argument 'TARGET'." in english.output
    choice = CliRunner(env={"LANG": "", "LC_ALL": ""}).invoke(cli, ["export", "x.xlsx", "bad"])
    assert "n'est pas l'une des valeurs" in choice.output
    missing = CliRunner(env={"LANG": "", "LC_ALL": ""}).invoke(cli, ["jobs", "last", "nope.jsonl"])
    assert "'nope.jsonl' n'existe pas." in missing.output
    assert "File" not in missing.output


def test_an_error_on_a_french_sheet_says_erreur_whatever_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    XlsxBackend(path, "fr").init("fr", demo.example_rows("fr"))
    (tmp_path / ".~lock.book.xlsx#").write_text("someone,host,,;", "utf-8")
    result = CliRunner(env={"LANG": "en_US.UTF-8", "LC_ALL": ""}).invoke(cli, ["sync", str(path)])
    assert result.exit_code == 4
    assert result.output.startswith("Erreur : book.xlsx est ouvert dans un tableur")


def test_a_usage_error_after_a_french_sheet_is_read_is_all_french(tmp_path: Path) -> None:
    """A refused close (a usage error found once the sheet is read): the usage line
    too follows the sheet, whatever the environment."""
    path = tmp_path / "book.xlsx"
    XlsxBackend(path, "fr").init("fr", demo.example_rows("fr"))
    runner = CliRunner(env={"LANG": "en_US.UTF-8", "LC_ALL": ""})
    args = ["close", str(path), "--until", "31/03/2026", "--as-of", "30/06/2026"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert result.output.startswith("Utilisation : cli close")
    assert "Usage" not in result.output
    assert "Error" not in result.output
