"""The exceptions that stop a run, each with the exit code the command line gives it.

Problems in the data are Anomaly records, never exceptions (see sheetsync.model).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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
    # The language the message speaks when it is the sheet's, known before the sheet's
    # cells were read (a damaged workbook's tab titles): the command line's own words
    # ("Erreur :") follow it.
    lang: Lang | None = None


class StructureError(SheetsyncError):
    """The spreadsheet cannot be read as the template: stop, write nothing (exit 3)."""

    exit_code = EXIT_STRUCTURE


class BackendError(SheetsyncError):
    """The spreadsheet cannot be reached, read or written (exit 4)."""

    exit_code = EXIT_BACKEND
