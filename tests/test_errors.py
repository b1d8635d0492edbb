"""The exceptions that stop a run: one base, one exit code each, shown by the CLI."""

from __future__ import annotations

import click
import pytest

from sheetsync import cli, cli_options
from sheetsync.errors import BackendError, SheetsyncError, StructureError
from sheetsync.jobs.file import JobFileError, UnknownSheetError
from sheetsync.jobs.lock import LockHeldError
from sheetsync.jobs.log import RunLogError


@pytest.mark.parametrize(
    ("kind", "exit_code"),
    [
        (StructureError, 3),
        (BackendError, 4),
        (JobFileError, 3),
        (RunLogError, 3),
        (LockHeldError, 4),
        (UnknownSheetError, 2),
    ],
)
def test_each_error_has_its_exit_code(kind: type[SheetsyncError], exit_code: int) -> None:
    assert issubclass(kind, SheetsyncError)
    assert kind("x").exit_code == exit_code


@pytest.mark.parametrize(
    ("error", "shown", "exit_code"),
    [
        (StructureError("no tab"), cli_options.Failure, 3),
        (BackendError("offline"), cli_options.Failure, 4),
        (UnknownSheetError("no sheet"), click.BadParameter, 2),
    ],
)
def test_the_cli_shows_the_message_with_the_exit_code(
    error: SheetsyncError, shown: type[click.ClickException], exit_code: int
) -> None:
    ctx = click.Context(cli.cli)
    click_error = cli_options.as_click(error, ctx)
    assert type(click_error) is shown
    assert click_error.exit_code == exit_code
    assert str(error) in click_error.format_message()
