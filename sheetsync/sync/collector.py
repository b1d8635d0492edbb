"""Python's cyclic garbage collector kept off the cells a run reads.

A 100,000-row sheet arrives as millions of small objects (lists, texts, numbers,
dates) that live until the run ends and hold no reference cycle. A full pass of the
collector walks every one of them: at that size each pass costs 0.1-0.15 s, two or
three fall in the read and as many in the rest of the run (benchmarks/RESULTS.md).

So the collector is paused while the cells are read, and what is alive once they are
read is frozen (`gc.freeze`) until the analysis ends: later passes only walk what
the run makes since. Reference counting still frees every frozen object that is
dropped; only a reference cycle among them waits for the end of the analysis.

Nightly jobs read several sheets at once, one per thread: the collector comes back
on when the last read in progress ends, as it was before the first. Freezing is
process-wide too: a run that ends unfreezes what another froze, which only makes the
other's later passes longer.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _Pauses:
    """Reads in progress, and whether the collector ran before the first of them."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.count = 0
        self.was_enabled = False

    def begin(self) -> None:
        with self.lock:
            if self.count == 0:
                self.was_enabled = gc.isenabled()
                gc.disable()
            self.count += 1

    def end(self) -> None:
        with self.lock:
            self.count -= 1
            if self.count == 0 and self.was_enabled:
                gc.enable()


_PAUSES = _Pauses()


@contextmanager
def paused() -> Iterator[None]:
    """No collection during the block: reading cells makes no reference cycle."""
    _PAUSES.begin()
    try:
        yield
    finally:
        _PAUSES.end()


@contextmanager
def frozen() -> Iterator[None]:
    """What is alive now left out of the collector's passes until the block ends."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
