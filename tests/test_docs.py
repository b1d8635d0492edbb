"""The README and --help stay true to the code: every command documented."""

from __future__ import annotations

import re

import click
import pytest

from sheetsync.cli.main import cli
from tests.support.paths import ROOT

README = (ROOT / "README.md").read_text("utf-8")


def commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        found.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            found += commands(command, f"{prefix}{name} ")
    return found


COMMANDS = commands(cli)


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_command_has_help(name: str, command: click.Command) -> None:
    assert command.help, name
    for parameter in command.params:
        if isinstance(parameter, click.Option):
            assert parameter.help, f"{name} {parameter.opts}"


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_command_is_in_readme(name: str, command: click.Command) -> None:
    assert f"sheetsync {name}" in README, name


def test_readme_opens_with_the_two_commands() -> None:
    first_block = re.search(r"```\w*\n(.*?)```", README, re.S)
    assert first_block is not None
    assert first_block.group(1).split("\n")[:2] == ["make demo", "make test"]
    assert README.index("```") < 600  # in the first lines, before anything else


def test_makefile_targets_run_demo_and_pytest() -> None:
    makefile = (ROOT / "Makefile").read_text("utf-8")
    assert re.search(r"^demo:.*\n\t.*sheetsync demo", makefile, re.M)
    assert re.search(r"^test:.*\n\t.*pytest", makefile, re.M)


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "make test" in ci
    assert "mypy" in ci or "make lint" in ci
