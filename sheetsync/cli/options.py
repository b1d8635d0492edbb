"""The command line's shared pieces: how stopping errors become exit codes, the options
several commands take, and dates typed as in a cell."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import Any, TypeVar

import click

from sheetsync import cells, display, messages, progress
from sheetsync.cli import words as cli_words
from sheetsync.errors import EXIT_USAGE, CellError, SheetsyncError
from sheetsync.messages import say

F = TypeVar("F", bound=Callable[..., Any])


class Failure(click.ClickException):
    """A run stopped by a SheetsyncError: its message, and its exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        # click declares one exit code per exception class; ours comes with each error.
        self.exit_code = exit_code  # type: ignore[misc]


def as_click(error: SheetsyncError, ctx: click.Context) -> click.ClickException:
    """What click shows for an exception that stops a run: usage errors stay click's own."""
    exit_code, option = error.exit_code, error.option
    if exit_code != EXIT_USAGE:
        return Failure(str(error), exit_code)
    if option is not None:
        return click.BadParameter(str(error), ctx=ctx, param_hint=option)
    return click.UsageError(str(error), ctx=ctx)


class _Formatter(click.HelpFormatter):
    """click's help layout, its words in the user's language (the catalogue's `click`)."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(
            prog, args, f"{cli_words.said('Usage:')} " if prefix is None else prefix
        )

    def write_heading(self, heading: str) -> None:
        super().write_heading(cli_words.said(heading))


class _Context(click.Context):
    formatter_class = _Formatter


def _help_option(option: click.Option | None) -> click.Option | None:
    """click's own --help option, said in French when the environment is French."""
    if option is not None:
        said = messages.translations("help", display.user_lang())
        option.help = said["Show this message and exit."]
    return option


# Commands that read and compute one spreadsheet: a terminal shows their stages.
# (`jobs run` draws its own bar, one line per spreadsheet.)
STAGED = frozenset(
    {"check", "sync", "close", "reopen", "export", "statement", "demo", "form", "remind"}
)


class Command(click.Command):
    """A command whose known exceptions become a message and an exit code, never a traceback."""

    context_class = _Context

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _help_option(super().get_help_option(ctx))

    def invoke(self, ctx: click.Context) -> Any:
        display.speak(None)  # each command starts in the environment's language
        staged = (
            progress.on_terminal(sys.stderr, display.user_lang())
            if ctx.info_name in STAGED
            else nullcontext()
        )
        try:
            with staged:
                return super().invoke(ctx)
        except SheetsyncError as error:
            if error.lang is not None:  # "Error:" and the usage line in the message's language
                display.speak(error.lang)
            raise as_click(error, ctx) from error


class Group(click.Group):
    """Every command and subgroup below it maps known exceptions the same way."""

    command_class = Command
    group_class = type
    context_class = _Context

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _help_option(super().get_help_option(ctx))


def credentials_option(command: F) -> F:
    return click.option(
        "--credentials",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="Service-account JSON key for Google Sheets (default: application credentials), "
        "or a file holding the Airtable token (default: AIRTABLE_API_KEY).",
    )(command)


class DateParam(click.ParamType):  # type: ignore[type-arg]
    """A date typed as in a cell: 31/03/2026, 31/03/26, 31.03.2026 or 2026-03-31 (SPEC §10)."""

    name = "date"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return cells.parse_date(str(value).strip())
        except CellError:
            self.fail(
                say(display.user_lang(), "cli.options.unreadable_date_write_31_03", v=value),
                param,
                ctx,
            )


DATE = DateParam()


def as_of_option(command: F) -> F:
    return click.option(
        "--as-of",
        type=DATE,
        help="Compute as of this date (31/03/2026 or 2026-03-31) instead of today.",
    )(command)


def period_option(command: F) -> F:
    return click.option(
        "--period",
        metavar="LABEL",
        help="An earlier period by its closing's label, exactly as frozen "
        "(default: the current period).",
    )(command)


def as_of_date(value: dt.date | None) -> dt.date:
    return value or dt.date.today()


def listing_options(command: F) -> F:
    """--strict and --all, shared by check and sync."""
    command = click.option(
        "--all", "show_all", is_flag=True, help="List every anomaly, not only the first 20."
    )(command)
    return click.option(
        "--strict", is_flag=True, help="Exit 1 when any anomaly has error severity."
    )(command)
