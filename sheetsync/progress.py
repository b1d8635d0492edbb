"""What a run is doing now, shown on a terminal when it takes a while.

The pipeline names its stages (`enter`) and long steps report how far they are
(`advance`); a person at a terminal sees one redrawn line — the stage in their
language (the command line's, then the sheet's once a stage says it), the seconds
spent and, when the step knows its size, a bar — once the run has lasted `DELAY`
seconds. Nothing is shown when standard error is not a
terminal (cron mail, CI logs, pipes), nor for a run that ends sooner.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TextIO

from sheetsync.messages import say
from sheetsync.template import Lang

DELAY = 2.0  # seconds before anything is drawn: short runs stay silent
TICK = 0.1  # seconds between two redraws
BAR_WIDTH = 20
SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"

# The pipeline's stage names, as a person reads them.
STAGE_WORDS = {
    "read": "progress.stage.read",
    "digest": "progress.stage.digest",
    "unchanged": "progress.stage.unchanged",
    "complete": "progress.stage.complete",
    "parse": "progress.stage.parse",
    "state": "progress.stage.state",
    "rules": "progress.stage.rules",
    "journal": "progress.stage.journal",
    "checks": "progress.stage.checks",
    "report": "progress.stage.report",
    "write": "progress.stage.write",
}


class TerminalStages:
    """One line on a terminal, redrawn by a background thread while the run goes on."""

    def __init__(self, stream: TextIO, lang: Lang, delay: float = DELAY) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self.delay = delay
        self.lang = lang
        self.stage = ""
        self.done: tuple[int, int] | None = None
        self.drawn = 0  # width of the line on screen, to clear it
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="sheetsync-progress", daemon=True)
        self._thread.start()

    def enter(self, name: str, lang: Lang | None = None) -> None:
        with self._lock:
            self.stage, self.done = name, None
            self.lang = lang or self.lang

    def advance(self, done: int, total: int) -> None:
        with self._lock:
            self.done = (done, total)

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        with self._lock:
            if self.drawn:
                self.stream.write("\r" + " " * self.drawn + "\r")
                self.stream.flush()
                self.drawn = 0

    def line(self, spinner: str) -> str:
        """The line as drawn now: spinner, stage, bar when known, seconds."""
        # Drawn while the run goes on: the language the run speaks by now (the sheet's
        # once a stage said it), not one fixed when the line was set up.
        key = STAGE_WORDS.get(self.stage)
        words = say(self.lang, key) if key else self.stage
        bar = ""
        if self.done is not None and self.done[1] > 0:
            done, total = self.done
            filled = round(BAR_WIDTH * min(done, total) / total)
            bar = f" [{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {done}/{total}"
        return f"{spinner} {words}…{bar} {time.monotonic() - self.started:.0f} s"

    def _run(self) -> None:
        if self._stop.wait(max(0.0, self.delay - (time.monotonic() - self.started))):
            return
        for spinner in itertools.cycle(SPINNER):
            with self._lock:
                text = self.line(spinner)
                self.stream.write("\r" + text.ljust(self.drawn))
                self.stream.flush()
                self.drawn = max(self.drawn, len(text))
            if self._stop.wait(TICK):
                return


_SHOWN: ContextVar[TerminalStages | None] = ContextVar("progress", default=None)


@contextmanager
def on_terminal(stream: TextIO, lang: Lang, delay: float = DELAY) -> Iterator[None]:
    """Show the run's stages on `stream` while the block runs, if it is a terminal: in
    `lang` (the command line's) until a stage says the sheet's."""
    if not stream.isatty():
        yield
        return
    shown = TerminalStages(stream, lang, delay)
    token = _SHOWN.set(shown)
    try:
        yield
    finally:
        _SHOWN.reset(token)
        shown.close()


def enter(name: str, lang: Lang | None = None) -> None:
    """The run starts the stage `name` (a key of STAGE_WORDS); `lang`: the language the
    run speaks from this stage on, once it knows the sheet's (None: as before)."""
    shown = _SHOWN.get()
    if shown is not None:
        shown.enter(name, lang)


def advance(done: int, total: int) -> None:
    """The current stage has done `done` of its `total` steps (requests, parts)."""
    shown = _SHOWN.get()
    if shown is not None:
        shown.advance(done, total)
