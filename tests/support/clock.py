"""A fake clock the pacing and retry tests advance by hand."""

from __future__ import annotations

import threading


class FakeClock:
    """Time that moves only when someone sleeps: a minute of pacing costs nothing."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds
