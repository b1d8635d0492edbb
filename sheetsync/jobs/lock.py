"""A lock per job file, so two overlapping runs of the same job never both write.

The kernel holds the lock (fcntl.flock) and drops it when its process dies, so a
lock left by a crashed run is taken over safely; the file says who holds it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from sheetsync.errors import (
    LockFileError,
    LockHeldError,
)
from sheetsync.jobs.shard import Shard
from sheetsync.messages import say
from sheetsync.template import Lang


@dataclass(frozen=True)
class Holder:
    """Who holds (or held) a lock: written into the lock file."""

    pid: int
    host: str
    started: str  # ISO time with its offset

    def describe(self, lang: Lang) -> str:
        return say(
            lang, "jobs.lock.pid_started", pid=self.pid, host=self.host, started=self.started
        )

    @staticmethod
    def current() -> Holder:
        now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        return Holder(os.getpid(), socket.gethostname(), now)

    @staticmethod
    def parse(text: str) -> Holder | None:
        try:
            data = json.loads(text)
            return Holder(int(data["pid"]), str(data["host"]), str(data["started"]))
        except (ValueError, KeyError, TypeError):
            return None


@dataclass(frozen=True)
class Lock:
    """A lock this process holds; `stale` is the dead holder it took over, if any."""

    path: Path
    holder: Holder
    stale: Holder | None


def lock_path(job_path: Path, shard: Shard | None = None) -> Path:
    """The lock file beside the job file: nightly.toml -> nightly.toml.lock, and for
    share 2/4 (--shard) nightly.toml.2-of-4.lock, so that shares may run side by side."""
    part = "" if shard is None else "." + str(shard).replace("/", "-of-")
    return job_path.with_name(f"{job_path.name}{part}.lock")


@contextlib.contextmanager
def job_lock(job_path: Path, lang: Lang = "en", shard: Shard | None = None) -> Iterator[Lock]:
    """Hold the job's lock for the block (one per share with `shard`); raise
    LockHeldError when another run has it.

    LockFileError when the lock file cannot be opened or written (a read-only
    job folder): raised on entry, before the block runs.
    """
    path = lock_path(job_path, shard)
    # Never unlinked: removing a flock'd file would let two runs lock two inodes.
    try:
        handle = path.open("a+", encoding="utf-8")
    except OSError as error:
        raise LockFileError(_unwritable(path, error, lang)).said_in(lang) from None
    with handle:
        previous = _take(handle, path, lang)
        holder = Holder.current()
        try:
            _write(handle, json.dumps(holder.__dict__))
        except OSError as error:
            fcntl.flock(handle, fcntl.LOCK_UN)
            raise LockFileError(_unwritable(path, error, lang)).said_in(lang) from None
        try:
            yield Lock(path, holder, previous)
        finally:
            _write(handle, "")  # an empty lock file: released cleanly
            fcntl.flock(handle, fcntl.LOCK_UN)


def _take(handle: IO[str], path: Path, lang: Lang) -> Holder | None:
    """Lock without waiting; return the holder a crashed run left in the file, if any."""
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = Holder.parse(handle.read())
        who = holder.describe(lang) if holder else say(lang, "jobs.lock.another_process")
        raise LockHeldError(
            say(lang, "jobs.lock.another_run_job_progress_lock", who=who, path=path)
        ).said_in(lang) from None
    handle.seek(0)
    return Holder.parse(handle.read())


def _write(handle: IO[str], text: str) -> None:
    handle.seek(0)
    handle.truncate()
    handle.write(text)
    handle.flush()
    os.fsync(handle.fileno())


def _unwritable(path: Path, error: OSError, lang: Lang) -> str:
    return say(
        lang,
        "jobs.lock.cannot_write_lock_file_nothing",
        path=path,
        why=error.strerror or str(error),
    )
