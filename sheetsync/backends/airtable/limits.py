"""Airtable's limits held on this side: requests paced per base and per token, a 429
waited out (30 s) then retried, a used-up monthly quota never retried, requests counted.

Airtable allows 5 requests a second per base and 50 a second per token owner, and
refuses every request for 30 seconds after a 429 (docs/AIRTABLE.md cites the pages).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import requests
import tenacity
from requests.adapters import BaseAdapter

from sheetsync.backends.gsheets.ratelimit import RateLimiter

T = TypeVar("T")

PER_BASE = 4  # a second: below Airtable's 5, room for clocks that disagree
PER_TOKEN = 40  # a second, across every base a run syncs: below Airtable's 50
PENALTY = 30.0  # seconds Airtable refuses a base's requests after a 429
RATE_LIMITED = "RATE_LIMIT_REACHED"
BILLING = "PUBLIC_API_BILLING_LIMIT_EXCEEDED"
TRANSIENT = frozenset({500, 502, 503, 504})
_NETWORK = (
    requests.exceptions.ConnectionError,
    requests.exceptions.Timeout,
    requests.exceptions.ChunkedEncodingError,
)


def base_limiter(
    clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep
) -> RateLimiter:
    return RateLimiter(PER_BASE, 1.0, clock=clock, sleep=sleep)


def token_limiter(
    clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep
) -> RateLimiter:
    """One per token for a whole run: every base's requests wait on it too."""
    return RateLimiter(PER_TOKEN, 1.0, clock=clock, sleep=sleep)


class CountingAdapter(BaseAdapter):
    """Waits on the base's and the token's limiters before each request; counts them."""

    def __init__(self, inner: BaseAdapter, limiters: tuple[RateLimiter, ...]) -> None:
        super().__init__()
        self.inner = inner
        self.limiters = limiters
        self.sent = 0

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        for limiter in self.limiters:
            limiter.acquire()
        self.sent += 1
        return self.inner.send(request, *args, **kwargs)

    def close(self) -> None:
        self.inner.close()


def error_type(error: BaseException) -> str:  # noqa: PLR0911 - one return a shape
    """Airtable's error code of a refused request ("" when none): both shapes it sends,
    {"error": {"type": …}} and {"errors": [{"error": …}]}, and {"error": "NOT_FOUND"}."""
    response = getattr(error, "response", None)
    if response is None:
        return ""
    try:
        body = response.json()
    except ValueError:
        return ""
    if not isinstance(body, dict):
        return ""
    found = body.get("error")
    if isinstance(found, dict):
        return str(found.get("type", ""))
    if isinstance(found, str):
        return found
    errors = body.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        return str(errors[0].get("error", ""))
    return ""


def status(error: BaseException) -> int:
    response = getattr(error, "response", None)
    return int(response.status_code) if response is not None else 0


def is_billing(error: BaseException) -> bool:
    """The workspace's monthly calls are used up: waiting does not help."""
    return status(error) == 429 and error_type(error) == BILLING


def is_retried(error: BaseException) -> bool:
    if isinstance(error, _NETWORK):
        return True
    code = status(error)
    return (code == 429 and not is_billing(error)) or code in TRANSIENT


@dataclass(frozen=True)
class Policy:
    """How hard to insist: attempts, the 429 penalty and the backoff of 5xx, and the
    sleep (injected by tests, whose emulator's clock it moves on)."""

    attempts: int = 5
    penalty: float = PENALTY
    base_delay: float = 1.0
    max_delay: float = 16.0
    timeout: tuple[int, int] = (10, 60)
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)

    def _wait(self, state: tenacity.RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if error is not None and status(error) == 429:
            return self.penalty
        backoff: float = self.base_delay * 2 ** (state.attempt_number - 1)
        return min(backoff, self.max_delay)

    def run(self, action: Callable[[], T], *, replayable: bool = True) -> T:
        """Call `action`, retrying a rate limit and transient failures; else re-raise.

        `replayable=False` (a plain create): only a 429, which Airtable answers before
        doing anything, is retried; a 5xx may hide a request applied."""
        retried = is_retried if replayable else (lambda e: status(e) == 429 and not is_billing(e))
        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.attempts),
            wait=self._wait,
            retry=tenacity.retry_if_exception(retried),
            sleep=self.sleep,
            reraise=True,
        )
        return retrying(action)
