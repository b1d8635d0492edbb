"""The sheetsync command line: parse options, call one library function, map errors.

Exit codes (SPEC §7): 0 done, 1 errors with --strict, 2 usage, 3 template or
structure error, 4 backend error (locked file, network, permission, quota).
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from sheetsync import __version__, display, targets
from sheetsync.cli import help_texts as cli_help
from sheetsync.cli import intake as cli_intake
from sheetsync.cli import reports as cli_reports
from sheetsync.cli import words as cli_words
from sheetsync.cli.options import (
    DATE,
    Group,
    as_of_date,
    as_of_option,
    credentials_option,
    listing_options,
)
from sheetsync.errors import EXIT_BACKEND
from sheetsync.messages import say
from sheetsync.model import Severity
from sheetsync.template import Lang, lang_of

if TYPE_CHECKING:
    from sheetsync.sync.pipeline import Outcome

# Commands import what they run inside their body, so `sheetsync --help` starts
# without pandas, openpyxl or the Google libraries.

EXIT_STRICT = 1


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sheetsync")
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Show the time each stage takes (and an Airtable sync's requests).",
)
def cli(verbose: bool) -> None:
    """Contributive budgets: check a spreadsheet and write exact summary tabs.

    TARGET is a local workbook (book.xlsx), a Google spreadsheet (its URL or
    gsheet:<ID>) or an Airtable base (airtable:<baseId> or its URL).
    """
    logging.basicConfig(format="%(message)s", level=logging.INFO if verbose else logging.WARNING)


@cli.command()
@click.argument("target")
@click.option(
    "--lang",
    type=click.Choice(["fr", "en"]),
    default="fr",
    show_default=True,
    help="Language of the tabs and columns.",
)
@click.option("--example", is_flag=True, help="Fill the tabs with an example network.")
@credentials_option
def init(target: str, lang: str, example: bool, credentials: Path | None) -> None:
    """Create the template tabs (and the workbook, for a new .xlsx)."""
    from sheetsync import demo  # noqa: PLC0415 - loaded when the command runs

    rows = demo.example_rows(lang) if example else {}  # type: ignore[arg-type]
    backend = targets.open_backend(target, credentials, display.user_lang())
    backend.init(lang, rows)  # type: ignore[arg-type]
    language: Lang = lang_of(lang) or "fr"
    click.echo(say(language, "cli.template_ready_english", t=target))


@cli.command()
@click.argument("target")
@as_of_option
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@listing_options
@credentials_option
def check(  # noqa: PLR0917 - one parameter per click option
    target: str,
    as_of: dt.date | None,
    as_json: bool,
    strict: bool,
    show_all: bool,
    credentials: Path | None,
) -> None:
    """Read and validate the spreadsheet; write nothing."""
    from sheetsync.sync import pipeline  # noqa: PLC0415 - loaded when the command runs

    backend = targets.open_backend(target, credentials, display.user_lang())
    _, outcome = pipeline.analyse(backend, as_of_date(as_of))
    display.speak(outcome.book.lang)  # from now on, the sheet's language
    _report(outcome, target, as_json=as_json, show_all=show_all, dry_run=False)
    if strict and outcome.count(Severity.ERROR):
        raise SystemExit(EXIT_STRICT)


@cli.command(name="sync")
@click.argument("target")
@as_of_option
@click.option("--dry-run", is_flag=True, help="Compute and show, but write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@listing_options
@credentials_option
def sync_command(  # noqa: PLR0917 - one parameter per click option
    target: str,
    as_of: dt.date | None,
    dry_run: bool,
    as_json: bool,
    strict: bool,
    show_all: bool,
    credentials: Path | None,
) -> None:
    """Compute the books and write the summary tabs (only when they changed)."""
    from sheetsync.sync import pipeline  # noqa: PLC0415 - loaded when the command runs

    backend = targets.open_backend(target, credentials, display.user_lang())
    outcome = pipeline.run_sync(backend, as_of_date(as_of), dry_run=dry_run, fast=True)
    display.speak(outcome.book.lang)  # from now on, the sheet's language
    _report(outcome, target, as_json=as_json, show_all=show_all, dry_run=dry_run)
    if strict and outcome.count(Severity.ERROR):
        raise SystemExit(EXIT_STRICT)


def _report(outcome: Outcome, target: str, *, as_json: bool, show_all: bool, dry_run: bool) -> None:
    from sheetsync.cli import console  # noqa: PLC0415 - loaded when the command runs

    if as_json:
        click.echo(console.summary_json(outcome, target))
        return
    limit = None if show_all else console.SHOWN
    click.echo(console.summary_text(outcome, target, dry_run=dry_run, limit=limit))


@cli.command(name="close")
@click.argument("target")
@click.option(
    "--until",
    required=True,
    type=DATE,
    help="Freeze every contribution and payment dated up to this day (31/03/2026 or 2026-03-31).",
)
@click.option("--label", help="Name of the closing and of its tab (default: the --until date).")
@click.option("--dry-run", is_flag=True, help="Show what would be frozen; write nothing.")
@click.option("--force", is_flag=True, help="Close even though rows in the range carry errors.")
@as_of_option
@credentials_option
def close_command(  # noqa: PLR0917 - one parameter per click option
    target: str,
    until: dt.date,
    label: str | None,
    dry_run: bool,
    force: bool,
    as_of: dt.date | None,
    credentials: Path | None,
) -> None:
    """Close a period: freeze its figures into a closing tab (refused while rows in it
    carry errors, unless --force)."""
    from sheetsync.cli import console  # noqa: PLC0415 - loaded when the command runs
    from sheetsync.ledger import closing  # noqa: PLC0415
    from sheetsync.sync import pipeline  # noqa: PLC0415 - loaded when the command runs

    backend = targets.open_backend(target, credentials, display.user_lang())
    action = closing.closer(until, label, force=force)
    outcome = pipeline.run_sync(backend, as_of_date(as_of), action=action, dry_run=dry_run)
    display.speak(outcome.book.lang)  # from now on, the sheet's language
    lang, name = outcome.book.lang, label or until.isoformat()
    click.echo(console.summary_text(outcome, target, dry_run=dry_run))
    frozen = next(t for t in outcome.tables if t.key == "closing" and t.title.endswith(name))
    click.echo("\n" + "\n".join(console.closing_lines(frozen, lang)))
    done = say(
        lang, "cli.closing_everything_dated_up_frozen", label=name, until=display.date(until, lang)
    )
    would = say(
        lang, "cli.dry_run_closing_would_freeze", label=name, until=display.date(until, lang)
    )
    click.echo("\n" + (would if dry_run else done))


@cli.command(name="reopen")
@click.argument("target")
@click.option("--label", required=True, help="The closing to undo (its label).")
@click.option("--reason", required=True, help="Why it is reopened; kept in the journal.")
@click.option("--dry-run", is_flag=True, help="Show the figures once reopened; write nothing.")
@as_of_option
@credentials_option
def reopen_command(  # noqa: PLR0917 - one parameter per click option
    target: str,
    label: str,
    reason: str,
    dry_run: bool,
    as_of: dt.date | None,
    credentials: Path | None,
) -> None:
    """Undo the latest closing, recording why; its rows are computed again."""
    from sheetsync.cli import console  # noqa: PLC0415 - loaded when the command runs
    from sheetsync.ledger import closing  # noqa: PLC0415
    from sheetsync.sync import pipeline  # noqa: PLC0415 - loaded when the command runs

    if not reason.strip():
        message = say(display.user_lang(), "cli.give_reason")
        raise click.BadParameter(message, param_hint="--reason")
    backend = targets.open_backend(target, credentials, display.user_lang())
    action = closing.reopener(label, reason)
    outcome = pipeline.run_sync(backend, as_of_date(as_of), action=action, dry_run=dry_run)
    display.speak(outcome.book.lang)  # from now on, the sheet's language
    click.echo(console.summary_text(outcome, target, dry_run=dry_run))
    lang = outcome.book.lang
    if dry_run:
        text = say(lang, "cli.dry_run_closing_would_reopened", l=label)
    else:
        text = say(lang, "cli.closing_reopened", l=label)
    click.echo("\n" + text)


@cli.command(name="demo")
@click.argument(
    "directory", required=False, default=".", type=click.Path(file_okay=False, path_type=Path)
)
def demo_command(directory: Path) -> None:
    """Build a realistic example workbook in DIRECTORY, sync it, show the summary."""
    from sheetsync import demo  # noqa: PLC0415 - loaded when the command runs
    from sheetsync.cli import console  # noqa: PLC0415 - loaded when the command runs

    path, outcome = demo.run(directory, display.user_lang())
    display.speak(outcome.book.lang)  # from now on, the sheet's language
    click.echo(console.summary_text(outcome, str(path)))
    click.echo("\n" + say(outcome.book.lang, "cli.open_see_input_summary_tabs", p=path))


@cli.group()
def auth() -> None:
    """Google credentials: which identity sheetsync uses."""


@auth.command(name="check")
@click.argument("target", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@credentials_option
def auth_check(target: str | None, as_json: bool, credentials: Path | None) -> None:
    """Say which identity is used, its email (to share sheets with), and TARGET's access."""
    from sheetsync.backends.gsheets import auth_check  # noqa: PLC0415 - Google libraries load only when used

    if target is not None and targets.airtable_id(target) is not None:
        message = say(display.user_lang(), "cli.main.auth_check_checks_google_identity", t=target)
        raise click.BadParameter(message, param_hint="TARGET")
    report = auth_check.describe(target, credentials, display.user_lang())
    click.echo(auth_check.dump_report(report) if as_json else report.message)
    usable = report.kind != "none" and (target is None or bool(report.writable))
    if not usable:
        raise SystemExit(EXIT_BACKEND)


@cli.group()
def jobs() -> None:
    """Nightly jobs: sync every spreadsheet listed in a job file (see docs/JOBS.md)."""


@jobs.command(name="run")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--only", multiple=True, metavar="NAME", help="Run only this sheet (repeat for several)."
)
@click.option(
    "--log",
    "log_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Append one JSON line per sheet to this file (default: the job file's `log`).",
)
@click.option(
    "--concurrency",
    type=click.IntRange(1, 32),
    help="Sheets synced at once (default: the job file's, else 1).",
)
@click.option("--dry-run", is_flag=True, help="Compute every sheet, but write nothing.")
@click.option(
    "--shard",
    metavar="K/N",
    help="Run only share K of N of the sheets (1 <= K <= N), fixed by each sheet's name.",
)
def jobs_run(
    file: Path,
    *,
    only: tuple[str, ...],
    log_path: Path | None,
    concurrency: int | None,
    dry_run: bool,
    shard: str | None,
) -> None:
    """Sync every sheet of job FILE; exit 1 if any failed, 3 if FILE is invalid."""
    import sheetsync.jobs.runner as nightly  # noqa: PLC0415 - Google libraries load only when used

    options = nightly.RunOptions(
        only, log_path, concurrency, dry_run, shard, lang=display.user_lang()
    )
    report = nightly.run_job(file, options, sys.stderr)
    click.echo(report.summary())
    raise SystemExit(report.exit_code)


@jobs.command(name="last")
@click.argument("log_files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def jobs_last(log_files: tuple[Path, ...]) -> None:
    """Show the last run in LOG_FILES (files, or folders of *.jsonl), per sheet; exit 1 if
    a sheet failed, a run is incomplete or a share has no run."""
    from sheetsync.jobs.last import describe_last  # noqa: PLC0415 - loaded when the command runs

    text, exit_code = describe_last(log_files, display.user_lang())
    click.echo(text)
    raise SystemExit(exit_code)


cli.add_command(cli_reports.export_command)
cli.add_command(cli_reports.statement_command)
cli.add_command(cli_reports.publish_command)
cli.add_command(cli_intake.form_command)
cli.add_command(cli_intake.remind_command)
cli_help.translate(cli)  # --help in the environment's language, French by default
cli_words.install()  # click's own words (Error:, Missing argument…) in the user's language


def main() -> None:
    cli()
