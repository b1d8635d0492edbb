"""The command line's help in French: `--help` speaks the environment's language
(LC_ALL / LANG, French by default), since no spreadsheet is read yet.

Each English help text of the commands and options (their docstrings and `help=`)
has its French text in the catalogue (templates/messages.toml, area `help`, keyed by
the English); a test fails when one is missing.
"""

from __future__ import annotations

import click

from sheetsync import display, messages

# English help text (whitespace as single spaces) -> its French, from the catalogue.
FRENCH = messages.translations("help", "fr")


def key(text: str) -> str:
    """A help text as the catalogue holds it: whitespace as single spaces."""
    return " ".join(text.split())


def helps(command: click.Command) -> list[tuple[object, str]]:
    """Every help text of a command, its options and its subcommands: (owner, text)."""
    found: list[tuple[object, str]] = [(command, command.help)] if command.help else []
    for param in command.params:
        text = getattr(param, "help", None)
        if text:
            found.append((param, text))
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            found += helps(sub)
    return found


def translate(command: click.Command) -> None:
    """Put the help in the environment's language in place (the English is the code's)."""
    said = messages.translations("help", display.environment_lang())
    for owner, text in helps(command):
        translated = said.get(key(text))
        if translated is not None and translated != key(text):
            owner.help = translated  # type: ignore[attr-defined]
