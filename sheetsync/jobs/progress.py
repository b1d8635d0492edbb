"""How a run shows its progress: a bar on a terminal, timestamped lines elsewhere.

Cron mail and CI logs get plain lines; a person at a terminal gets one redrawn bar.
"""

from __future__ import annotations

import datetime as dt
import shutil
import threading
from collections.abc import Callable
from typing import Protocol, TextIO

from sheetsync.jobs.log import SheetResult, one_line, outcome_words
from sheetsync.messages import say
from sheetsync.template import Lang

BAR_WIDTH = 24


class Progress(Protocol):
    """Told when each sheet starts and ends (from any thread)."""

    def started(self, sheet: str) -> None: ...

    def finished(self, result: SheetResult) -> None: ...

    def close(self) -> None: ...


def make_progress(stream: TextIO, total: int, lang: Lang) -> Progress:
    """A bar when `stream` is a terminal, timestamped lines when it is not."""
    if stream.isatty():
        return TerminalProgress(stream, total, lang)
    return PlainProgress(stream, total, lang)


def result_words(result: SheetResult, lang: Lang) -> str:
    """'ok, written (3 requests, 1.2 s)' or 'FAILED: why'."""
    if not result.ok:
        return say(lang, "jobs.progress.failed", e=one_line(result.error or ""))
    return say(
        lang,
        "jobs.progress.ok_requests_s",
        o=outcome_words(result.outcome, lang),
        r=result.requests,
        s=result.duration_s,
    )


def sheet_line(result: SheetResult, lang: Lang) -> str:
    """'GT Com: ok, written (3 requests, 1.2 s)', French spacing in French."""
    return say(lang, "jobs.progress.text", s=result.sheet, w=result_words(result, lang))


class PlainProgress:
    """One timestamped line when a sheet starts and one when it ends."""

    def __init__(
        self,
        stream: TextIO,
        total: int,
        lang: Lang,
        now: Callable[[], dt.datetime] = dt.datetime.now,
    ) -> None:
        self.stream, self.total, self.lang, self.now = stream, total, lang, now
        self.begun = self.done = 0
        self._lock = threading.Lock()

    def _line(self, count: int, text: str) -> None:
        stamp = self.now().isoformat(sep=" ", timespec="seconds")
        self.stream.write(f"{stamp} [{count}/{self.total}] {text}\n")
        self.stream.flush()

    def started(self, sheet: str) -> None:
        with self._lock:
            self.begun += 1
            self._line(self.begun, say(self.lang, "jobs.progress.start", s=sheet))

    def finished(self, result: SheetResult) -> None:
        with self._lock:
            self.done += 1
            self._line(self.done, sheet_line(result, self.lang))

    def close(self) -> None:
        """Nothing to clear: every line is already complete."""


class TerminalProgress:
    """One bar redrawn in place, with the sheet in progress; failures stay above it."""

    def __init__(self, stream: TextIO, total: int, lang: Lang) -> None:
        self.stream, self.total, self.lang = stream, total, lang
        self.done = 0
        self.current: list[str] = []
        self._lock = threading.Lock()

    def _draw(self) -> None:
        filled = round(BAR_WIDTH * self.done / self.total) if self.total else BAR_WIDTH
        bar = "█" * filled + "░" * (BAR_WIDTH - filled)
        now = ", ".join(self.current)
        line = f"[{bar}] {self.done}/{self.total}  {now}"
        width = shutil.get_terminal_size().columns - 1
        self.stream.write("\r\x1b[K" + line[:width])
        self.stream.flush()

    def started(self, sheet: str) -> None:
        with self._lock:
            self.current.append(sheet)
            self._draw()

    def finished(self, result: SheetResult) -> None:
        with self._lock:
            self.done += 1
            if result.sheet in self.current:
                self.current.remove(result.sheet)
            if not result.ok:
                self.stream.write(f"\r\x1b[K{sheet_line(result, self.lang)}\n")
            self._draw()

    def close(self) -> None:
        with self._lock:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
