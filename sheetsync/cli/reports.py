"""The commands that hand the books to accounting and the public: `export` (a table as
CSV or .xlsx), `statement` (one person's or payee's statement) and `publish` (the public
page and its open data). cli.py adds them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from sheetsync import display, targets
from sheetsync.cli.options import (
    Command,
    as_of_date,
    as_of_option,
    credentials_option,
    period_option,
)
from sheetsync.messages import say
from sheetsync.report.names import EXPORT_KINDS, STATEMENT_FORMATS


@click.command(name="export", cls=Command)
@click.argument("target")
@click.argument("kind", type=click.Choice(list(EXPORT_KINDS)))
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["csv", "xlsx"]),
    default="csv",
    show_default=True,
    help="csv (UTF-8 with BOM, ';' in French) or xlsx (one tab).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: CSV on the terminal; required for xlsx).",
)
@as_of_option
@period_option
@credentials_option
def export_command(  # noqa: PLR0917 - one parameter per click option
    target: str,
    kind: str,
    file_format: str,
    output: Path | None,
    as_of: dt.date | None,
    period: str | None,
    credentials: Path | None,
) -> None:
    """Export groups, people, payouts, contributions or anomalies for accounting."""
    from sheetsync.report import export  # noqa: PLC0415 - loaded when the command runs

    if file_format == "xlsx" and output is None:
        raise click.UsageError(say(display.user_lang(), "cli.reports.format_xlsx_needs_o_file"))
    backend = targets.open_backend(target, credentials, display.user_lang())
    table, lang = export.export_table(backend, kind, as_of_date(as_of), period)
    display.speak(lang)  # from now on, the sheet's language
    if file_format == "xlsx" and output is not None:
        export.to_xlsx(table, output)
    elif output is not None:
        output.write_bytes(export.to_csv(table, lang))
    else:
        click.echo(export.to_csv(table, lang).decode("utf-8-sig"), nl=False)


@click.command(name="statement", cls=Command)
@click.argument("target")
@click.option("--person", help="The person's name, as in the spreadsheet.")
@click.option(
    "--payee", help="A billing entity (or a person paid directly): its invoice's statement."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write: .md, .html or .pdf (default: Markdown on the terminal).",
)
@as_of_option
@period_option
@credentials_option
def statement_command(  # noqa: PLR0917 - one parameter per click option
    target: str,
    person: str | None,
    payee: str | None,
    output: Path | None,
    as_of: dt.date | None,
    period: str | None,
    credentials: Path | None,
) -> None:
    """A statement of a person's (or a payee's) contributions, payable, paid and balance
    over the period, to attach to an invoice."""
    lang = display.user_lang()
    if (person is None) == (payee is None):
        raise click.UsageError(say(lang, "cli.reports.give_person_payee_one"))
    kind = "markdown" if output is None else STATEMENT_FORMATS.get(output.suffix.lower())
    if kind is None:
        message = say(
            lang, "cli.reports.unknown_extension_write_md_html", s=output.suffix if output else ""
        )
        raise click.BadParameter(message, param_hint="-o/--output")
    from sheetsync.report import statement, statement_document  # noqa: PLC0415 - loaded when the command runs

    backend = targets.open_backend(target, credentials, lang)
    if payee is not None:
        found = statement.for_payee(backend, payee, as_of_date(as_of), period)
    else:
        found = statement.for_person(backend, str(person), as_of_date(as_of), period)
    display.speak(found.lang)  # from now on, the sheet's language
    if output is None:
        click.echo(statement_document.to_markdown(found))
    else:
        output.write_bytes(statement_document.rendered(found, kind))


@click.command(name="publish", cls=Command)
@click.argument("target")
@click.option(
    "-o",
    "--output",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default="publication",
    show_default=True,
    help="Folder to write index.html and budget.json into.",
)
@as_of_option
@period_option
@credentials_option
def publish_command(
    target: str,
    directory: Path,
    as_of: dt.date | None,
    period: str | None,
    credentials: Path | None,
) -> None:
    """Write the public page of the budget (index.html, self-contained) and its open data
    (budget.json); nobody is named without their consent."""
    from sheetsync.report import publish  # noqa: PLC0415 - loaded when the command runs

    backend = targets.open_backend(target, credentials, display.user_lang())
    published = publish.publish(backend, as_of_date(as_of), period)
    display.speak(published.lang)  # from now on, the sheet's language
    for warning in published.warnings:
        click.echo(warning, err=True)
    written = publish.write(published, directory)
    lang = published.lang
    if written:
        click.echo(say(lang, "cli.reports.written", d=directory, f=", ".join(written)))
    else:
        click.echo(say(lang, "cli.reports.nothing_changed", d=directory))
