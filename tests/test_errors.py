"""The exceptions that stop a run: one base, one exit code each, shown by the CLI."""

from __future__ import annotations

import click
import pytest

import sheetsync.cli.main as cli
from sheetsync.cli import options as cli_options
from sheetsync.errors import (
    AddressError,
    BackendError,
    CellError,
    ClosingError,
    DamagedPartError,
    JobFileError,
    LockFileError,
    LockHeldError,
    MailError,
    MailSettingsError,
    NoSenderError,
    RunLogError,
    ShardError,
    SheetsyncError,
    StructureError,
    UnknownPayeeError,
    UnknownPersonError,
    UnknownSheetError,
    UsageError,
)


@pytest.mark.parametrize(
    ("kind", "exit_code"),
    [
        (StructureError, 3),
        (BackendError, 4),
        (JobFileError, 3),
        (RunLogError, 3),
        (LockHeldError, 4),
        (LockFileError, 4),  # a job's lock file and a workbook's alike
        (MailError, 4),
        (DamagedPartError, 4),
        (UsageError, 2),
        (UnknownSheetError, 2),
        (ShardError, 2),
        (UnknownPersonError, 2),
        (UnknownPayeeError, 2),
        (ClosingError, 2),
        (MailSettingsError, 2),
        (NoSenderError, 2),
        (CellError, 3),
        (AddressError, 3),
    ],
)
def test_each_error_has_its_exit_code(kind: type[SheetsyncError], exit_code: int) -> None:
    assert issubclass(kind, SheetsyncError)
    assert kind.exit_code == exit_code


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
