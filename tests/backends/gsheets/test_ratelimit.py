"""The shared request budget: a sliding window, safe across threads, wrapped around a session."""

from __future__ import annotations

import threading

import pytest
import requests

from sheetsync.backends.gsheets.ratelimit import GOOGLE_PREFIX, PacedAdapter, RateLimiter, pace
from tests.emulator import Emulator, EmulatorAdapter, mount
from tests.support.clock import FakeClock


def grant_times(limit: int, count: int, period: float = 60.0) -> list[float]:
    clock = FakeClock()
    limiter = RateLimiter(limit, period, clock=clock, sleep=clock.sleep)
    times = []
    for _ in range(count):
        times.append(limiter.acquire())
    return times


@pytest.mark.parametrize(
    ("limit", "count", "expected"),
    [
        (3, 3, [0.0, 0.0, 0.0]),  # within the budget: no wait at all
        (3, 4, [0.0, 0.0, 0.0, 60.0]),  # the 4th waits for the 1st to leave the window
        (2, 5, [0.0, 0.0, 60.0, 60.0, 120.0]),
        (1, 3, [0.0, 60.0, 120.0]),
    ],
)
def test_grants_follow_a_sliding_window(limit: int, count: int, expected: list[float]) -> None:
    assert grant_times(limit, count) == expected


@pytest.mark.parametrize("limit", [1, 7, 50, 60])
def test_no_window_ever_holds_more_than_the_limit(limit: int) -> None:
    times = grant_times(limit, 4 * limit + 3)
    for start in times:
        assert sum(1 for t in times if start <= t < start + 60.0) <= limit


def test_waits_only_what_is_needed() -> None:
    clock = FakeClock()
    limiter = RateLimiter(2, 60.0, clock=clock, sleep=clock.sleep)
    limiter.acquire()
    clock.now = 45.0  # some work between requests
    limiter.acquire()
    limiter.acquire()  # the first left the window at 60 s: wait 15 s, no more
    assert clock.sleeps == [15.0]
    assert limiter.waited == 15.0


@pytest.mark.parametrize(("limit", "period"), [(0, 60.0), (5, 0.0), (-1, 1.0)])
def test_rejects_an_empty_budget(limit: int, period: float) -> None:
    with pytest.raises(ValueError, match="at least one request"):
        RateLimiter(limit, period)


def test_threads_share_one_budget() -> None:
    """8 threads x 5 requests with a real clock, 10 per 0.25 s: no window over 10."""
    limiter = RateLimiter(10, 0.25)
    granted: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(5):
            when = limiter.acquire()
            with lock:
                granted.append(when)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    granted.sort()
    assert len(granted) == 40
    assert granted[-1] - granted[0] >= 0.75  # 40 requests need 4 windows
    for i, start in enumerate(granted):
        assert sum(1 for t in granted[i:] if t - start < 0.25) <= 10


def test_paced_session_counts_and_keeps_the_inner_adapter() -> None:
    emulator = Emulator()
    spreadsheet_id = emulator.create()
    clock = FakeClock()
    limiter = RateLimiter(2, 60.0, clock=clock, sleep=clock.sleep)
    with mount(requests.Session(), emulator) as session:
        adapter = pace(session, limiter)
        assert isinstance(session.get_adapter(GOOGLE_PREFIX), PacedAdapter)
        assert isinstance(adapter.inner, EmulatorAdapter)
        for _ in range(3):
            reply = session.get(f"{GOOGLE_PREFIX}v4/spreadsheets/{spreadsheet_id}")
            assert reply.status_code == 200
    assert adapter.sent == 3
    assert clock.sleeps == [60.0]  # the third request waited for the budget
    assert emulator.request_count == 3


def test_two_sessions_share_one_limiter() -> None:
    emulator = Emulator()
    spreadsheet_id = emulator.create()
    clock = FakeClock()
    limiter = RateLimiter(3, 60.0, clock=clock, sleep=clock.sleep)
    sessions = [mount(requests.Session(), emulator) for _ in range(2)]
    adapters = [pace(s, limiter) for s in sessions]
    for session in sessions * 2:
        session.get(f"{GOOGLE_PREFIX}v4/spreadsheets/{spreadsheet_id}")
    for session in sessions:
        session.close()
    assert [a.sent for a in adapters] == [2, 2]
    assert clock.now == 60.0  # the 4th request, whichever session sent it, waited
