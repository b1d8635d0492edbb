"""--help speaks the environment's language, French by default (SPEC §10): every help text
of every command and option has its French text, and nothing English is left over."""

from __future__ import annotations

import subprocess
import sys

import pytest

from sheetsync import cli_help


def test_every_help_text_has_its_french() -> None:
    # The catalogue is keyed by the English texts: compare with a fresh, untranslated tree.
    script = (
        "import os; os.environ['LANG'] = 'en_US.UTF-8'; os.environ.pop('LC_ALL', None)\n"
        "from sheetsync import cli_help\n"
        "from sheetsync.cli import cli\n"
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
    command = [sys.executable, "-c", "from sheetsync.cli import main; main()", "close", "--help"]
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr
    for word in words:
        assert word in result.stdout
    assert absent not in result.stdout
