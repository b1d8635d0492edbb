"""Every exception that stops a run, each with the exit code the command line gives it
(SPEC §7), grouped by that code; all of them are SheetsyncError.

Problems in the data are Anomaly records, never exceptions (see sheetsync.model). Three
exceptions here never reach the command line: CellError (a cell the parser cannot read,
turned into an anomaly by its caller), DamagedPartError and UnreadablePartError (turned by
the xlsx backend into its damaged-workbook and unreadable-part messages). Exceptions
private to one module stay there, named with a leading underscore and caught in that
module.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Self

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
    # The language the message is written in, when it is not the one the command line
    # started in: a nightly job's, the sheet's once its cells are read (see `written_in`),
    # or the sheet's known before (a damaged workbook's tab titles). The command line says
    # "Erreur :" and its usage in it too.
    lang: Lang | None = None

    def said_in(self, lang: Lang) -> Self:
        """This error, marked as written in `lang`."""
        self.lang = lang
        return self


@contextlib.contextmanager
def written_in(lang: Lang) -> Iterator[None]:
    """Errors raised inside speak `lang` (the sheet's, once read), unless they say which
    language they speak: the command line then says "Erreur :" in it too."""
    try:
        yield
    except SheetsyncError as error:
        if error.lang is None:
            error.lang = lang
        raise


# ---------------------------------------------------------------- exit 2: usage


class UsageError(SheetsyncError):
    """A request the spreadsheet cannot answer as asked (an unknown period label)."""

    exit_code = EXIT_USAGE


class UnknownPersonError(UsageError):
    """No person of that name in the People tab or the contributions."""

    option = "--person"


class UnknownPayeeError(UnknownPersonError):
    """No payee (billing entity or person paid directly) of that name."""

    option = "--payee"


class ClosingError(UsageError):
    """A close or reopen that cannot be done as asked."""


class UnknownSheetError(UsageError):
    """--only names a sheet the job file does not list."""

    option = "--only"


class ShardError(UsageError):
    """--shard is not K/N with 1 <= K <= N."""

    option = "--shard"


class MailSettingsError(UsageError):
    """The SMTP settings are missing or unreadable."""


class NoSenderError(UsageError):
    """Reminders need a sender address (the Expéditeur des relances setting)."""


# ---------------------------------------------------------------- exit 3: structure


class StructureError(SheetsyncError):
    """The spreadsheet cannot be read as the template: stop, write nothing (exit 3)."""

    exit_code = EXIT_STRUCTURE


class JobFileError(SheetsyncError):
    """The job file cannot be used as written: nothing is run."""

    exit_code = EXIT_STRUCTURE


class RunLogError(SheetsyncError):
    """A run log that cannot be written, or read back."""

    exit_code = EXIT_STRUCTURE


class CellError(SheetsyncError, ValueError):
    """A cell that cannot be read as the type its column expects.

    Never reaches the command line: whoever parses the cell makes it an anomaly.
    """


class AddressError(CellError):
    """A cell that is not exactly one email address; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# ---------------------------------------------------------------- exit 4: backend


class BackendError(SheetsyncError):
    """The spreadsheet or a file beside it cannot be reached, read, written or locked."""

    exit_code = EXIT_BACKEND


class LockHeldError(BackendError):
    """Another run of the same job file is in progress."""


class LockFileError(BackendError):
    """A lock file (a job file's, or a workbook's while it is written) cannot be
    created or written."""


class MailError(BackendError):
    """The mail server is down or refused a message: nothing it refused is marked sent."""


@dataclass(frozen=True)
class Refusal:
    """Why Google said 403: `kind` is API_DISABLED, NO_ACCESS or READ_ONLY
    (sheetsync.backends.gsheets.refusals)."""

    kind: str
    project: str | None = None  # the Cloud project number, for API_DISABLED
    activation_url: str | None = None


class RefusedError(BackendError):
    """Google answered 403; `refusal` says which fix applies (see `sheetsync auth check`)."""

    def __init__(self, message: str, refusal: Refusal) -> None:
        super().__init__(message)
        self.refusal = refusal


class UnreadablePartError(BackendError):
    """A part is not as a spreadsheet program saves it (sheetsync.backends.xlsx.unreadable).

    Raised while the package is read or rewritten, turned by the xlsx backend into its
    message in the language it speaks: `reason` names the sentence, `params` fill it.
    """

    def __init__(self, reason: str, params: dict[str, object]) -> None:
        super().__init__(reason)
        self.reason, self.params = reason, params


class DamagedPartError(BackendError):
    """A part every workbook has is missing or empty: the package is damaged.

    Raised while the package is opened, turned by the xlsx backend into its
    damaged-workbook message (sheetsync.backends.xlsx.unreadable). `titles` are the tabs
    the workbook lists, when it could be read: the message then speaks the sheet's
    language although no cell was read.
    """

    def __init__(
        self,
        part: str,
        damage: Literal["missing", "empty", "unlinked"],
        *,
        tab: str | None = None,
        titles: tuple[str, ...] = (),
    ) -> None:
        super().__init__(f"{part}: {damage}")
        self.part, self.damage, self.tab, self.titles = part, damage, tab, titles
