"""The commands that reach contributors beyond the sheet: `form` (the contribution form
to create) and `remind` (emails to silent people and to pilots). cli.py adds them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from sheetsync import display, targets
from sheetsync.cli.options import Command, as_of_date, as_of_option, credentials_option


@click.command(name="form", cls=Command)
@click.argument("target")
@click.option("--json", "as_json", is_flag=True, help="Print the form as JSON.")
@credentials_option
def form_command(target: str, as_json: bool, credentials: Path | None) -> None:
    """Print the contribution form to create (questions, types, choices) and how to
    link its answers to the spreadsheet, in the sheet's language."""
    from sheetsync.intake import form  # noqa: PLC0415 - loaded when the command runs

    backend = targets.open_backend(target, credentials, display.user_lang())
    found = form.describe(form.read_book(backend, as_of_date(None)))
    click.echo(form.as_json(found) if as_json else form.as_text(found))


@click.command(name="remind", cls=Command)
@click.argument("target")
@click.option("--dry-run", is_flag=True, help="Print the messages instead of sending them.")
@as_of_option
@credentials_option
def remind_command(
    target: str, dry_run: bool, as_of: dt.date | None, credentials: Path | None
) -> None:
    """Email the people silent for `Jours avant relance` days and the pilots whose group
    needs them (SMTP settings: docs/FORMS.md); each silence is reminded once."""
    from sheetsync.remind import run  # noqa: PLC0415 - smtplib and ssl load only when used

    backend = targets.open_backend(target, credentials, display.user_lang())
    found = run.remind(backend, target, as_of_date(as_of), dry_run=dry_run)
    display.speak(found.lang)  # from now on, the sheet's language
    click.echo(run.as_text(found, dry_run=dry_run))
