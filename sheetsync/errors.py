"""The exceptions that stop a run, each with the exit code the command line gives it.

Problems in the data are Anomaly records, never exceptions (see sheetsync.model).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

if TYPE_CHECKING:
    from sheetsync.template import Lang

# Exit codes (SPEC §7); 0 done and 1 errors with --strict are not exceptions.
EXIT_USAGE = 2
EXIT_STRUCTURE = 3
EXIT_BACKEND = 4


class SheetsyncError(Exception):
    """A run cannot go on: the message says why and what to do."""

    exit_code: int = EXIT_STRUCTURE
    # For a usage error: the command-line option at fault (None: the command as a whole).
    option: str | None = None
    # The language the message is written in, when it is not the one the run speaks:
    # a nightly job's, or the sheet's known before its cells were read (a damaged
    # workbook's tab titles). The command line says "Erreur :" and its usage in it too.
    lang: Lang | None = None

    def said_in(self, lang: Lang) -> Self:
        """This error, marked as written in `lang`."""
        self.lang = lang
        return self


class StructureError(SheetsyncError):
    """The spreadsheet cannot be read as the template: stop, write nothing (exit 3)."""

    exit_code = EXIT_STRUCTURE


class BackendError(SheetsyncError):
    """The spreadsheet cannot be reached, read or written (exit 4)."""

    exit_code = EXIT_BACKEND


class UsageError(SheetsyncError):
    """A request the spreadsheet cannot answer as asked (an unknown period label)."""

    exit_code = EXIT_USAGE
