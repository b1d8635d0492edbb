"""Nightly jobs: sync every spreadsheet of a job file, each one isolated, paced and logged.

`sheetsync jobs run` calls run_job (`sheetsync jobs last`: jobs.last); see docs/JOBS.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import requests
from requests.adapters import BaseAdapter

from sheetsync.backends.base import Backend
from sheetsync.backends.gsheets.auth import Identity, load_identity, make_session
from sheetsync.backends.gsheets.backend import GoogleBackend
from sheetsync.backends.gsheets.ratelimit import RateLimiter, pace
from sheetsync.errors import (
    EXIT_STRUCTURE,
    BackendError,
    StructureError,
)
from sheetsync.jobs.file import JobFile, SheetJob, load_job_file
from sheetsync.jobs.lock import Lock, job_lock
from sheetsync.jobs.log import (
    END,
    FAILED,
    START,
    UNCHANGED,
    WOULD_WRITE,
    WRITTEN,
    RunLog,
    RunMark,
    SheetResult,
    summary_table,
)
from sheetsync.jobs.progress import Progress, make_progress
from sheetsync.jobs.shard import Shard, parse_shard
from sheetsync.jobs.tally import CountingBackend, Tally
from sheetsync.messages import say
from sheetsync.model import Severity
from sheetsync.sync.pipeline import Outcome, run_sync
from sheetsync.targets import airtable_id, google_id, open_backend
from sheetsync.template import Lang, load

log = logging.getLogger("sheetsync")


@dataclass(frozen=True)
class RunOptions:
    """The command line's choices; None means the job file's (or the default)."""

    only: tuple[str, ...] = ()
    log: Path | None = None
    concurrency: int | None = None
    dry_run: bool = False
    shard: str | None = None  # "K/N" as typed: checked once the job's language is known
    # The job file's mistakes until it says its own: the command line's; French, the
    # default of SPEC §10, for a caller that names none.
    lang: Lang = "fr"


@dataclass(frozen=True)
class Services:
    """What a run reaches outside itself; tests give an emulator and a fast clock."""

    # The identity of a credentials file; its refusal said in the language given (the job's).
    identity: Callable[[Path | None, Lang], Identity] = load_identity
    session: Callable[[Identity], requests.Session] = make_session
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    today: Callable[[], dt.date] = dt.date.today
    # Airtable's requests go through this adapter when given (tests: the emulator).
    airtable_transport: BaseAdapter | None = None


@dataclass(frozen=True)
class RunReport:
    """Every sheet's result, in job-file order, and how the run went."""

    job: JobFile
    results: tuple[SheetResult, ...]
    lock: Lock
    waited: float  # seconds spent pacing requests under the budget
    log_failure: str | None = None  # why the run log stopped being written mid-run

    @property
    def exit_code(self) -> int:
        """0 when every sheet succeeded, 1 when some failed, 3 when the log failed."""
        if self.log_failure is not None:
            return EXIT_STRUCTURE
        return 0 if all(r.ok for r in self.results) else 1

    def summary(self) -> str:
        lang = self.job.language
        lines = [summary_table(list(self.results), lang)]
        lines.append(
            say(
                lang,
                "jobs.runner.budget_requests_min_waited_s",
                n=self.job.requests_per_minute,
                w=self.waited,
            )
        )
        if self.log_failure is not None:
            lines.append(self.log_failure)
        return "\n".join(lines)


def stale_note(lock: Lock, lang: Lang) -> str:
    who = lock.stale.describe(lang) if lock.stale else ""
    return say(lang, "jobs.runner.lock_taken_over_previous_run", w=who)


def run_job(
    path: Path, options: RunOptions, stream: TextIO, services: Services | None = None
) -> RunReport:
    """Run every selected sheet of a job file, under its lock; one bad sheet stops nothing.

    With a shard, only the sheets of that share run (see sheetsync.jobs.shard).
    Raises JobFileError (the file is invalid), UnknownSheetError (--only), ShardError,
    RunLogError and LockFileError (the log or the lock file cannot be written)
    and LockHeldError (another run holds the lock) before anything is synced.
    """
    job = load_job_file(path, options.lang)
    shard = parse_shard(options.shard, job.language) if options.shard is not None else None
    sheets = job.select(options.only)
    if shard is not None:
        sheets = tuple(s for s in sheets if shard.holds(s.name))
    run_log = RunLog(options.log or job.log, job.language)
    run_log.check()
    with job_lock(job.path, job.language, shard) as lock:
        runner = _Runner(job, options, services or Services(), run_log, shard)
        if lock.stale:
            stream.write(stale_note(lock, job.language) + "\n")
        progress = make_progress(stream, len(sheets), job.language)
        runner.mark(START, len(sheets))
        try:
            results = runner.run_all(sheets, progress)
        finally:
            progress.close()
        # Only a run that got here has an end line: one killed mid-way shows as incomplete.
        runner.mark(END, len(results), failed=sum(1 for r in results if not r.ok))
    return RunReport(job, results, lock, runner.limiter.waited, run_log.failure)


# ------------------------------------------------------------------ one run


class _Runner:
    """Shared by the sheets of one run: the request budget, identities, log and clock."""

    def __init__(
        self,
        job: JobFile,
        options: RunOptions,
        services: Services,
        run_log: RunLog,
        shard: Shard | None = None,
    ) -> None:
        self.job, self.options, self.services, self.shard = job, options, services, shard
        self.limiter = RateLimiter(
            job.requests_per_minute, clock=services.clock, sleep=services.sleep
        )
        self.log = run_log
        started = dt.datetime.now().astimezone()
        self.run_id = f"{started:%Y%m%dT%H%M%S.%f}-{os.getpid()}"
        self.today = services.today()  # one as-of for the whole run, even past midnight
        self._identities: dict[Path | None, Identity] = {}
        # Airtable: one limiter per token (50 a second per owner) and per base (5 a second),
        # shared by every sheet of the run, whichever thread syncs it.
        self._per_token: dict[str, RateLimiter] = {}
        self._per_base: dict[str, RateLimiter] = {}
        self._lock = threading.Lock()

    def mark(self, event: str, sheets: int, failed: int = 0) -> None:
        """Write the run's start or end line to the log."""
        mark = RunMark(
            event=event,
            run=self.run_id,
            job=str(self.job.path),
            language=self.job.language,
            time=dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            sheets=sheets,
            failed=failed,
            dry_run=self.options.dry_run,
            shard=None if self.shard is None else str(self.shard),
        )
        self.log.write_line(mark.to_json())

    def run_all(self, sheets: Sequence[SheetJob], progress: Progress) -> tuple[SheetResult, ...]:
        def one(sheet: SheetJob) -> SheetResult:
            progress.started(sheet.name)
            result = self.run_sheet(sheet)
            self.log.append(result)
            progress.finished(result)
            return result

        pool = ThreadPoolExecutor(max_workers=self.options.concurrency or self.job.concurrency)
        try:
            return tuple(pool.map(one, sheets))
        finally:
            # On Ctrl-C, sheets not yet started are dropped rather than waited for.
            pool.shutdown(wait=True, cancel_futures=True)

    def run_sheet(self, sheet: SheetJob) -> SheetResult:
        """Sync one sheet; whatever goes wrong is recorded in its result, never raised.

        Its messages speak the job's language until the sheet's is read (`_open`)."""
        start = dt.datetime.now().astimezone()
        began = time.perf_counter()
        tally = Tally()
        with contextlib.ExitStack() as stack:
            try:
                tally.outcome = self._sync(sheet, tally, stack)
            except StructureError as error:
                tally.error, tally.kind = str(error), "structure"
            except BackendError as error:
                tally.error, tally.kind = str(error), "backend"
            except Exception as error:  # one bad sheet, whatever its fault, must not stop the run
                log.exception("Unexpected failure on %s", sheet.name)
                tally.error, tally.kind = f"{type(error).__name__}: {error}", "unexpected"
        return self._result(sheet, tally, start, time.perf_counter() - began)

    def _sync(self, sheet: SheetJob, tally: Tally, stack: contextlib.ExitStack) -> Outcome:
        backend = self._open(sheet, tally, stack)
        tally.backend = CountingBackend(backend)
        as_of = sheet.as_of_date(self.today)
        if sheet.remind:  # one computation: the sync's outputs, then the reminders
            from sheetsync.remind import run as reminders  # noqa: PLC0415 - smtplib on demand

            found = reminders.remind(
                tally.backend, sheet.target, as_of, dry_run=self.options.dry_run
            )
            outcome = found.outcome
        else:
            # The page needs the books: an unchanged sheet is computed all the same.
            fast = sheet.publish is None
            outcome = run_sync(tally.backend, as_of, dry_run=self.options.dry_run, fast=fast)
        if sheet.publish is not None:
            tally.outcome = outcome  # the sync held, whatever the page's fate
            self._publish(sheet.publish, outcome, backend, tally)
        errors = outcome.count(Severity.ERROR)
        if sheet.strict and errors and tally.error is None:
            lang = self.job.language
            tally.error = say(
                lang,
                "jobs.runner.error_severity_anomalies_strict_see",
                n=errors,
                anomalies=load().output("anomalies").name(lang),
            )
            tally.kind = "strict"
        return outcome

    def _publish(self, directory: Path, outcome: Outcome, backend: Backend, tally: Tally) -> None:
        """The public page from the sync's own books (`publish = "DIR"`); with --dry-run,
        made but not written. A failure fails this sheet (kind `publish`), not the run."""
        from sheetsync.report import publish  # noqa: PLC0415 - loaded when a sheet asks

        try:
            published = publish.from_outcome(outcome, backend)  # its title names the network
            for warning in published.warnings:
                log.warning("%s", warning)
            if not self.options.dry_run:
                publish.write(published, directory)
        except Exception as error:  # the sync is written: only the page failed
            log.exception("Publishing failed into %s", directory)
            tally.kind = "publish"
            tally.error = say(
                self.job.language,
                "jobs.runner.could_not_publish",
                d=directory,
                e=f"{type(error).__name__}: {error}",
            )

    def _open(self, sheet: SheetJob, tally: Tally, stack: contextlib.ExitStack) -> Backend:
        base_id = airtable_id(sheet.target)
        if base_id is not None:
            return self._open_airtable(base_id, sheet, tally)
        if google_id(sheet.target) is None:
            from sheetsync.backends.xlsx.backend import XlsxBackend  # noqa: PLC0415

            # The job's language is the sheet's until it is read, tab titles or not.
            return XlsxBackend(Path(sheet.target), self.job.language, settled=True)
        # Google sheets share one identity per credentials file, and a paced session.
        identity = self._identity(sheet.credentials)
        session = stack.enter_context(self.services.session(identity))
        tally.adapter = pace(session, self.limiter)
        backend = open_backend(
            sheet.target,
            sheet.credentials,
            self.job.language,
            identity=identity,
            session=session,
            policy=sheet.policy,
        )
        if isinstance(backend, GoogleBackend):
            # A sheet it cannot open has no language of its own: the job file's is known.
            backend.lang = self.job.language
        return backend

    def _open_airtable(self, base_id: str, sheet: SheetJob, tally: Tally) -> Backend:
        from sheetsync.backends.airtable import access, limits  # noqa: PLC0415 - pyairtable
        from sheetsync.backends.airtable.backend import AirtableBackend  # noqa: PLC0415

        token = access.load_token(sheet.credentials, self.job.language)
        clock, sleep = self.services.clock, self.services.sleep
        with self._lock:
            per_token = self._per_token.setdefault(token, limits.token_limiter(clock, sleep))
            per_base = self._per_base.setdefault(base_id, limits.base_limiter(clock, sleep))
        backend = AirtableBackend(
            base_id,
            lang=self.job.language,  # until the base's own tables are read
            token=token,
            policy=limits.Policy(sleep=sleep),
            transport=self.services.airtable_transport,
            token_limiter=per_token,
            base_limiter=per_base,
            clock=clock,
        )
        tally.counted = lambda: backend.requests
        return backend

    def _identity(self, credentials: Path | None) -> Identity:
        """One identity per credentials file for the whole run (loaded once)."""
        with self._lock:
            if credentials not in self._identities:
                self._identities[credentials] = self.services.identity(
                    credentials, self.job.language
                )
            return self._identities[credentials]

    def _result(
        self, sheet: SheetJob, tally: Tally, start: dt.datetime, seconds: float
    ) -> SheetResult:
        outcome = tally.outcome
        return SheetResult(
            run=self.run_id,
            job=str(self.job.path),
            sheet=sheet.name,
            target=sheet.target,
            language=self.job.language,
            start=start.isoformat(timespec="seconds"),
            end=dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            duration_s=round(seconds, 3),
            requests=tally.requests,
            rows_read=tally.rows,
            anomalies={s.value: outcome.count(s) for s in Severity} if outcome else {},
            outcome=_outcome_word(outcome),
            changed_tabs=outcome.changed if outcome else (),
            error=tally.error,
            error_kind=tally.kind,
        )


def _outcome_word(outcome: Outcome | None) -> str:
    if outcome is None:
        return FAILED
    if outcome.written:
        return WRITTEN
    return WOULD_WRITE if outcome.changed else UNCHANGED
