"""The commands that reach contributors beyond the sheet: `form` (the contribution form
to create) and `remind` (emails to silent people and to pilots). cli.py adds them."""

from __future__ import annotations

from pathlib import Path

import click

from sheetsync import targets
from sheetsync.cli_options import as_of_date, credentials_option
from sheetsync.intake import form


@click.command(name="form")
@click.argument("target")
@click.option("--json", "as_json", is_flag=True, help="Print the form as JSON.")
@credentials_option
def form_command(target: str, as_json: bool, credentials: Path | None) -> None:
    """Print the contribution form to create (questions, types, choices) and how to
    link its answers to the spreadsheet, in the sheet's language."""
    backend = targets.open_backend(target, credentials)
    found = form.describe(form.read_book(backend, as_of_date(None)))
    click.echo(form.as_json(found) if as_json else form.as_text(found))
