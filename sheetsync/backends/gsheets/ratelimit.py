"""One client-side request budget shared by a whole run, so many syncs stay under quota.

Google counts requests per user per minute; a run paces itself instead of collecting 429s.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

import requests
from requests.adapters import BaseAdapter

GOOGLE_PREFIX = "https://sheets.googleapis.com/"
# Google allows 60 requests per minute per user; staying below leaves room for
# the retries of a 429 and for clocks that do not agree to the second.
DEFAULT_PER_MINUTE = 50


class RateLimiter:
    """At most `limit` requests in any window of `period` seconds (thread-safe).

    A sliding window of grant times, the way Google's quota counts: a request
    waits until the oldest grant of a full window has left it.
    """

    def __init__(
        self,
        limit: int = DEFAULT_PER_MINUTE,
        period: float = 60.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if limit < 1 or period <= 0:
            raise ValueError("a rate limit needs at least one request per positive period")
        self.limit = limit
        self.period = period
        self.clock = clock
        self.sleep = sleep
        self.waited = 0.0  # seconds spent waiting, over every thread
        self._grants: deque[float] = deque()
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Wait until one more request fits in the window, count it, return when (clock time)."""
        while True:
            granted, delay = self._try_grant()
            if granted is not None:
                return granted
            # Sleep outside the lock: other threads may check (and wait) meanwhile.
            self.sleep(delay)

    def _try_grant(self) -> tuple[float | None, float]:
        """(the grant time, 0) when granted now; else (None, how long to wait)."""
        with self._lock:
            now = self.clock()
            while self._grants and now - self._grants[0] >= self.period:
                self._grants.popleft()
            if len(self._grants) < self.limit:
                self._grants.append(now)
                return now, 0.0
            delay = self._grants[0] + self.period - now
            self.waited += delay
            return None, delay


class PacedAdapter(BaseAdapter):
    """Waits on the shared limiter before each request, and counts them."""

    def __init__(self, inner: BaseAdapter, limiter: RateLimiter) -> None:
        super().__init__()
        self.inner = inner
        self.limiter = limiter
        self.sent = 0

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        self.limiter.acquire()
        self.sent += 1
        return self.inner.send(request, *args, **kwargs)

    def close(self) -> None:
        self.inner.close()


def pace(session: requests.Session, limiter: RateLimiter) -> PacedAdapter:
    """Route the session's Google Sheets requests through `limiter`; the adapter counts them.

    Wraps whatever adapter the session already had for Google (the real one, or
    an emulator's), so the backend itself is unchanged.
    """
    adapter = PacedAdapter(session.get_adapter(GOOGLE_PREFIX), limiter)
    session.mount(GOOGLE_PREFIX, adapter)
    return adapter
