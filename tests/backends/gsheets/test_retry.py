"""The bounded retry policy: which failures are retried, how long, how often."""

from __future__ import annotations

import pytest
import requests
from gspread.exceptions import APIError

from sheetsync.backends.gsheets.retry import RetryPolicy, is_transient, retry_after


def api_error(code: int, retry_after_header: str | None = None) -> APIError:
    response = requests.Response()
    response.status_code = code
    response._content = b'{"error": {"code": %d, "message": "m", "status": "S"}}' % code
    if retry_after_header:
        response.headers["Retry-After"] = retry_after_header
    return APIError(response)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (api_error(429), True),
        (api_error(500), True),
        (api_error(503), True),
        (api_error(400), False),
        (api_error(403), False),
        (api_error(404), False),
        (requests.exceptions.ConnectionError(), True),
        (requests.exceptions.ReadTimeout(), True),
        (ValueError(), False),
    ],
)
def test_is_transient(error: BaseException, expected: bool) -> None:
    assert is_transient(error) is expected


@pytest.mark.parametrize(("header", "expected"), [("7", 7.0), (None, None)])
def test_retry_after(header: str | None, expected: float | None) -> None:
    assert retry_after(api_error(429, header)) == expected


def failing(errors: list[BaseException]) -> tuple[list[int], object]:
    calls: list[int] = []

    def action() -> str:
        calls.append(1)
        if errors:
            raise errors.pop(0)
        return "done"

    return calls, action


def test_transient_failures_are_retried() -> None:
    sleeps: list[float] = []
    policy = RetryPolicy(base_delay=0.01, max_delay=0.02, sleep=sleeps.append)
    calls, action = failing([api_error(503), requests.exceptions.ConnectionError()])
    assert policy.run(action) == "done"  # type: ignore[arg-type]
    assert (len(calls), len(sleeps)) == (3, 2)
    assert all(0 <= s <= 0.02 for s in sleeps)


def test_attempts_are_capped_and_last_error_raised() -> None:
    policy = RetryPolicy(attempts=3, base_delay=0, sleep=lambda _: None)
    calls, action = failing([api_error(429) for _ in range(5)])
    with pytest.raises(APIError):
        policy.run(action)  # type: ignore[arg-type]
    assert len(calls) == 3


def test_permanent_failure_is_not_retried() -> None:
    policy = RetryPolicy(sleep=lambda _: None)
    calls, action = failing([api_error(404)])
    with pytest.raises(APIError):
        policy.run(action)  # type: ignore[arg-type]
    assert len(calls) == 1


def test_retry_after_is_honoured_within_total_budget() -> None:
    sleeps: list[float] = []
    policy = RetryPolicy(base_delay=0, max_delay=0, max_seconds=5, sleep=sleeps.append)
    calls, action = failing([api_error(429, "3"), api_error(429, "60")])
    assert policy.run(action) == "done"  # type: ignore[arg-type]
    assert sleeps[0] == 3
    assert sleeps[1] <= 5  # capped by the total time budget
    assert len(calls) == 3
