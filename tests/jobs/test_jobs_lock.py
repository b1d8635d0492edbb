"""The job lock: overlapping runs are refused with the holder named; stale locks are taken."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from sheetsync.errors import LockHeldError
from sheetsync.jobs.lock import Holder, job_lock, lock_path

HOLD = """
import sys, time
from pathlib import Path
from sheetsync.jobs.lock import job_lock
with job_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(60)
"""


@contextmanager
def holding_process(job: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process that holds the job's lock until it is killed."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(job)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "locked"
        yield process
    finally:
        process.kill()
        process.wait(timeout=10)
        if process.stdout:
            process.stdout.close()


def test_lock_file_sits_beside_the_job_file(tmp_path: Path) -> None:
    assert lock_path(tmp_path / "nightly.toml") == tmp_path / "nightly.toml.lock"


def test_second_lock_in_the_same_process_is_refused(tmp_path: Path) -> None:
    job = tmp_path / "nightly.toml"
    with job_lock(job) as lock:
        assert lock.holder.pid == os.getpid()
        assert json.loads(lock.path.read_text("utf-8"))["pid"] == os.getpid()
        holder = f"pid {os.getpid()} on {socket.gethostname()}"
        with pytest.raises(LockHeldError, match=holder), job_lock(job):
            pass  # never reached
    with job_lock(job) as again:  # released cleanly: no stale holder to report
        assert again.stale is None
    assert lock_path(job).read_text("utf-8") == ""


def test_overlapping_process_is_named(tmp_path: Path) -> None:
    job = tmp_path / "nightly.toml"
    with holding_process(job) as other, pytest.raises(LockHeldError) as caught, job_lock(job):
        pass  # never reached
    message = str(caught.value)
    assert f"pid {other.pid}" in message
    assert str(lock_path(job)) in message


def test_lock_of_a_killed_run_is_taken_over(tmp_path: Path) -> None:
    job = tmp_path / "nightly.toml"
    with holding_process(job) as other:
        pass  # killed on leaving the block, without releasing anything
    assert json.loads(lock_path(job).read_text("utf-8"))["pid"] == other.pid
    with job_lock(job) as lock:
        assert lock.stale is not None
        assert lock.stale.pid == other.pid
        assert lock.holder.pid == os.getpid()


@pytest.mark.parametrize(
    ("content", "stale"),
    [
        ('{"pid": 999999, "host": "h", "started": "2026-01-01T02:00:00+01:00"}', 999999),
        ("not json at all", None),
        ("", None),
    ],
)
def test_left_over_lock_file_is_taken(tmp_path: Path, content: str, stale: int | None) -> None:
    job = tmp_path / "nightly.toml"
    lock_path(job).write_text(content, "utf-8")
    with job_lock(job) as lock:
        assert (lock.stale.pid if lock.stale else None) == stale


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"pid": 12, "host": "h", "started": "t"}', Holder(12, "h", "t")),
        ('{"pid": "x", "host": "h", "started": "t"}', None),
        ('{"host": "h"}', None),
        ("[1, 2]", None),
    ],
)
def test_holder_parse(text: str, expected: Holder | None) -> None:
    assert Holder.parse(text) == expected
