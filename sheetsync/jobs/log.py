"""The run log of nightly jobs: one JSON line per sheet, and the tables people read.

`jobs run` appends to it as each sheet ends; `jobs last` shows the last run from it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sheetsync.errors import RunLogError
from sheetsync.messages import say
from sheetsync.model import Severity
from sheetsync.template import Lang

WRITTEN, UNCHANGED, WOULD_WRITE, FAILED = "written", "unchanged", "would_write", "failed"
_OUTCOME_WORDS = {
    WRITTEN: "jobs.log.outcomes.written",
    UNCHANGED: "jobs.log.outcomes.unchanged",
    WOULD_WRITE: "jobs.log.outcomes.would_write",
    FAILED: "jobs.log.outcomes.failed",
}


def outcome_words(outcome: str, lang: Lang) -> str:
    """What happened to a sheet, in words; an outcome of a newer sheetsync as it is."""
    key = _OUTCOME_WORDS.get(outcome)
    return say(lang, key) if key else outcome


@dataclass(frozen=True)
class SheetResult:
    """What happened to one sheet in one run: a line of the run log."""

    run: str  # the run's id: its start time and process id
    job: str  # the job file
    sheet: str
    target: str
    language: str  # of the run's messages, so `jobs last` speaks it too
    start: str  # ISO times with their offset
    end: str
    duration_s: float
    requests: int  # HTTP requests sent to Google, retries included
    rows_read: int  # rows below the header, over the input tabs (never the output tabs)
    anomalies: dict[str, int] = field(default_factory=dict)  # by severity
    outcome: str = FAILED  # written, unchanged, would_write or failed
    changed_tabs: tuple[str, ...] = ()
    error: str | None = None  # why the sheet failed, for the person who reads it
    error_kind: str | None = None  # structure, backend, strict, publish or unexpected

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_json(self) -> str:
        record: dict[str, Any] = {**asdict(self), "ok": self.ok}
        record["changed_tabs"] = list(self.changed_tabs)
        return json.dumps(record, ensure_ascii=False)

    @staticmethod
    def from_json(text: str) -> SheetResult:
        data = json.loads(text)
        data.pop("ok", None)
        data["changed_tabs"] = tuple(data.get("changed_tabs", ()))
        return SheetResult(**data)


START, END = "start", "end"


@dataclass(frozen=True)
class RunMark:
    """The line that opens (`start`) or closes (`end`) a run in the log.

    A run with a start line and no end line was stopped mid-way (killed, power
    cut, Ctrl-C): `jobs last` calls it incomplete.
    """

    event: str  # start or end
    run: str
    job: str
    language: str
    time: str  # ISO time with its offset
    sheets: int  # start: sheets selected; end: sheets recorded
    failed: int = 0  # end: sheets that failed
    dry_run: bool = False
    shard: str | None = None  # "K/N" for a run of one share of the sheets (--shard)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)


@dataclass(frozen=True)
class LastRun:
    """The lines of the most recent run in a log; `start` is None in logs older than it."""

    results: list[SheetResult]
    start: RunMark | None = None
    end: RunMark | None = None

    @property
    def complete(self) -> bool:
        """False for a run that started and never recorded its end."""
        return self.start is None or self.end is not None

    @property
    def began(self) -> str:
        """When the run started, as its lines say ("" for an empty run)."""
        if self.start is not None:
            return _utc(self.start.time)
        return min((_utc(r.start) for r in self.results), default="")

    @property
    def shard(self) -> tuple[int, int] | None:
        """(K, N) for a run of one share of the sheets; None for a whole run."""
        if self.start is None or not self.start.shard:
            return None
        index, _, count = self.start.shard.partition("/")
        return int(index), int(count)


def _utc(time: str) -> str:
    """An ISO time with its offset, as UTC text that sorts in time order."""
    try:
        moment = dt.datetime.fromisoformat(time)
    except ValueError:
        return time
    if moment.tzinfo is None:
        return moment.isoformat()
    return moment.astimezone(dt.UTC).isoformat()


class RunLog:
    """Appends one line per sheet as soon as it ends, from any thread.

    `check` refuses an unwritable log before anything is synced; a log that
    fails later (disk full, removed folder) is not retried: `failure` says why.
    """

    def __init__(self, path: Path | None, lang: Lang = "en") -> None:
        self.path = path
        self.lang = lang
        self.failure: str | None = None
        self._lock = threading.Lock()

    def check(self) -> None:
        """Raise RunLogError now if the log (or its folder) cannot be appended to."""
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            existed = self.path.exists()
            # A real append, not os.access: that answers yes to root whatever the mode bits.
            with self.path.open("a", encoding="utf-8"):
                pass
        except OSError as error:
            raise RunLogError(self._unwritable(error, before=True)).said_in(self.lang) from None
        if not existed:
            with contextlib.suppress(OSError):
                self.path.unlink()  # leave no empty log behind if the run stops here

    def append(self, result: SheetResult) -> None:
        self.write_line(result.to_json())

    def write_line(self, line: str) -> None:
        if self.path is None:
            return
        with self._lock:
            if self.failure is not None:
                return
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                # One write per line in append mode: a crash mid-run keeps every finished sheet.
                with self.path.open("a", encoding="utf-8") as handle:
                    handle.write(line + "\n")
            except OSError as error:
                self.failure = self._unwritable(error, before=False)

    def _unwritable(self, error: OSError, *, before: bool) -> str:
        why = error.strerror or str(error)
        if before:
            return say(self.lang, "jobs.log.cannot_write_run_log_nothing", path=self.path, why=why)
        return say(self.lang, "jobs.log.run_log_could_no_longer", path=self.path, why=why)


def last_run(path: Path, lang: Lang) -> list[SheetResult]:
    """The sheets of the most recent run in a log (empty when the log has none)."""
    return read_last(path, lang).results


def read_last(path: Path, lang: Lang) -> LastRun:
    """The most recent run in a log: its sheets, and its start and end lines if any."""
    runs = read_runs(path, lang)
    return runs[-1] if runs else LastRun([])


def read_runs(path: Path, lang: Lang) -> list[LastRun]:
    """Every run of a log, in the order they began, each with its lines.

    `lang`: the language of a line it cannot read (the command line's)."""
    by_run: dict[str, list[SheetResult | RunMark]] = {}
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            parsed = _parse(line)
        except (ValueError, TypeError, AttributeError) as error:
            message = say(lang, "jobs.log.line_not_sheetsync_run_log", p=path, n=number, e=error)
            raise RunLogError(message).said_in(lang) from None
        by_run.setdefault(parsed.run, []).append(parsed)
    return [_run(lines) for lines in by_run.values()]


def _run(lines: list[SheetResult | RunMark]) -> LastRun:
    marks = {line.event: line for line in lines if isinstance(line, RunMark)}
    results = [line for line in lines if isinstance(line, SheetResult)]
    return LastRun(results, marks.get(START), marks.get(END))


def log_files(paths: Sequence[Path]) -> list[Path]:
    """The logs given: files as they are, and every *.jsonl of a folder, by name."""
    found: list[Path] = []
    for path in paths:
        found += sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    return found


@dataclass(frozen=True)
class LatestRuns:
    """What `jobs last` shows: the last run, or with --shard the last run of each share
    of the latest sharing (in share order), and the shares no log holds a run of."""

    runs: list[LastRun]
    missing: tuple[int, ...] = ()
    count: int = 0  # N of the shares K/N; 0 for a run of the whole job


def latest_runs(paths: Sequence[Path], lang: Lang) -> LatestRuns:
    """The latest runs over several logs (one per runner when a job is sharded)."""
    runs = [run for path in log_files(paths) for run in read_runs(path, lang) if run.began]
    if not runs:
        return LatestRuns([])
    # Times are to the second: of runs begun in the same second, the later line wins.
    order = sorted(range(len(runs)), key=lambda at: (runs[at].began, at))
    latest = runs[order[-1]]
    if latest.shard is None:
        return LatestRuns([latest])
    count = latest.shard[1]
    shares: dict[int, LastRun] = {}
    for run in (runs[at] for at in order):
        if run.shard is not None and run.shard[1] == count:
            shares[run.shard[0]] = run  # the later one wins
    missing = tuple(k for k in range(1, count + 1) if k not in shares)
    return LatestRuns([shares[k] for k in sorted(shares)], missing, count)


def _parse(line: str) -> SheetResult | RunMark:
    data = json.loads(line)
    if isinstance(data, dict) and "event" in data:
        mark = RunMark(**data)
        if mark.event not in (START, END):
            raise ValueError(f"unknown event {mark.event!r}")
        if mark.shard is not None and not re.fullmatch(r"[1-9]\d*/[1-9]\d*", mark.shard):
            raise ValueError(f"unknown shard {mark.shard!r}")
        return mark
    return SheetResult.from_json(line)


# ------------------------------------------------------------------ tables


def summary_table(results: list[SheetResult], lang: Lang) -> str:
    """One line per sheet, failures with their reason, then the totals."""
    header = [
        say(lang, "jobs.log.sheet"),
        say(lang, "jobs.log.status"),
        say(lang, "jobs.log.outcome"),
        say(lang, "jobs.log.requests"),
        say(lang, "jobs.log.rows"),
        say(lang, "jobs.log.errors"),
        say(lang, "jobs.log.warnings"),
        say(lang, "jobs.log.duration"),
        say(lang, "jobs.log.reason"),
    ]
    rows = [header, *(_row(r, lang) for r in results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)) for row in rows]
    lines = [f"{line}  {row[-1]}".rstrip() for line, row in zip(lines, rows, strict=True)]
    return "\n".join([*lines, totals(results, lang)])


def _row(result: SheetResult, lang: Lang) -> list[str]:
    status = "ok" if result.ok else say(lang, "jobs.log.failed")
    return [
        result.sheet,
        status,
        outcome_words(result.outcome, lang),
        str(result.requests),
        str(result.rows_read),
        str(result.anomalies.get(Severity.ERROR.value, 0)),
        str(result.anomalies.get(Severity.WARNING.value, 0)),
        f"{result.duration_s:.1f} s",
        one_line(result.error or ""),
    ]


def one_line(text: str) -> str:
    """A message of several lines (a structure error lists each problem) on one line."""
    return " / ".join(part.strip() for part in text.splitlines() if part.strip())


def totals(results: list[SheetResult], lang: Lang) -> str:
    failed = sum(1 for r in results if not r.ok)
    return say(
        lang,
        "jobs.log.sheet_s_ok_failed_requests",
        n=len(results),
        ok=len(results) - failed,
        failed=failed,
        requests=sum(r.requests for r in results),
    )
