"""A bounded retry policy for calls to Google: backoff with jitter, Retry-After, caps.

Built on tenacity; gspread's own BackOffHTTPClient has no working bound on attempts.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import requests
import tenacity
from gspread.exceptions import APIError

T = TypeVar("T")

# Google answers these when a retry may succeed: quota, internal error, unavailable.
TRANSIENT_CODES = frozenset({408, 429, 500, 502, 503, 504})
_NETWORK_ERRORS = (
    requests.exceptions.ConnectionError,
    requests.exceptions.Timeout,
    requests.exceptions.ChunkedEncodingError,
)


def is_transient(error: BaseException) -> bool:
    """Whether a failed call may succeed if tried again."""
    if isinstance(error, APIError):
        return error.code in TRANSIENT_CODES
    return isinstance(error, _NETWORK_ERRORS)


def retry_after(error: BaseException | None) -> float | None:
    """Seconds the server asked us to wait (Retry-After header), if any."""
    response = getattr(error, "response", None)
    header = response.headers.get("Retry-After") if response is not None else None
    if not header:
        return None
    if header.strip().isdigit():
        return float(header)
    when = email.utils.parsedate_to_datetime(header)
    return max(when.timestamp() - time.time(), 0.0) if when else None


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to insist: attempts, total time, backoff and per-request timeout."""

    attempts: int = 6
    max_seconds: float = 100.0
    base_delay: float = 1.0
    max_delay: float = 32.0
    timeout: tuple[float, float] = (10.0, 60.0)  # (connect, read) seconds per request
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)

    def _wait(self, state: tenacity.RetryCallState) -> float:
        jitter = tenacity.wait_random_exponential(multiplier=self.base_delay, max=self.max_delay)
        error = state.outcome.exception() if state.outcome else None
        wanted = max(jitter(state), retry_after(error) or 0.0)
        # Never sleep past the total budget: the caller prefers a clear error.
        remaining = self.max_seconds - (state.seconds_since_start or 0.0)
        return max(min(wanted, remaining), 0.0)

    def run(self, action: Callable[[], T]) -> T:
        """Call `action`, retrying transient failures; the last error is re-raised."""
        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.attempts)
            | tenacity.stop_after_delay(self.max_seconds),
            wait=self._wait,
            retry=tenacity.retry_if_exception(is_transient),
            sleep=self.sleep,
            reraise=True,
        )
        return retrying(action)


NO_WAIT = RetryPolicy(base_delay=0.0, max_delay=0.0, sleep=lambda _: None)
