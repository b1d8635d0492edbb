"""Airtable's limits as the emulator enforces them, and the error bodies Airtable sends.

5 requests a second per base and 50 per token, then every request refused for 30
seconds (on a clock the tests control); a monthly quota per workspace; records per base.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

Json = dict[str, Any]

PER_BASE = 5
PER_TOKEN = 50
PENALTY = 30.0
BATCH = 10
PAGE = 100


class ApiError(Exception):
    def __init__(self, status: int, body: Json) -> None:
        super().__init__(status, body)
        self.status = status
        self.body = body


def rate_limited() -> ApiError:
    return ApiError(
        429,
        {
            "errors": [
                {
                    "error": "RATE_LIMIT_REACHED",
                    "message": "Rate limit exceeded. Please try again later",
                }
            ]
        },
    )


def billing() -> ApiError:
    return ApiError(
        429,
        {
            "errors": [
                {
                    "error": "PUBLIC_API_BILLING_LIMIT_EXCEEDED",
                    "message": "API billing plan limit exceeded. You've reached the maximum "
                    "number of requests allowed for this month.",
                }
            ]
        },
    )


def invalid(kind: str, message: str, status: int = 422) -> ApiError:
    return ApiError(status, {"error": {"type": kind, "message": message}})


def not_found() -> ApiError:
    return ApiError(404, {"error": "NOT_FOUND"})


@dataclass
class Clock:
    """The emulator's time; the backend's sleep moves it on (tests never sleep)."""

    now: float = 1000.0
    slept: float = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)
        self.slept += max(seconds, 0.0)


@dataclass
class Window:
    """Requests in the last second; over the limit, refused until the penalty ends."""

    limit: int
    times: deque[float] = field(default_factory=deque)
    blocked_until: float = 0.0
    refusals: int = 0

    def admit(self, now: float) -> None:
        if now < self.blocked_until:
            self.refusals += 1
            raise rate_limited()
        while self.times and now - self.times[0] >= 1.0:
            self.times.popleft()
        if len(self.times) >= self.limit:
            self.blocked_until = now + PENALTY
            self.refusals += 1
            raise rate_limited()
        self.times.append(now)
