"""A lock held while a local workbook is written, so two syncs of one file never
write at once: the second waits a little, then stops with a clear message.

The lock is an advisory lock on a small hidden file beside the workbook; the
system releases it when the process ends, even when it is killed.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from sheetsync.errors import LockFileError, LockHeldError
from sheetsync.messages import say
from sheetsync.template import Lang

WAIT_SECONDS = 10.0  # a sync writes in well under a second; this covers big books
POLL_SECONDS = 0.05


def lock_path(path: Path) -> Path:
    """The hidden file whose lock guards writes to `path`: beside the real file, so
    syncs through two symbolic links to one workbook share one lock."""
    real = Path(os.path.realpath(path))
    return real.with_name(f".{real.name}.sheetsync-lock")


@contextlib.contextmanager
def hold(path: Path, lang: Lang, wait: float | None = None) -> Iterator[None]:
    """Hold the write lock of `path`; LockHeldError when another sync keeps it longer
    than `wait` seconds (default WAIT_SECONDS), said in `lang`."""
    wait = WAIT_SECONDS if wait is None else wait
    deadline = time.monotonic() + wait
    descriptor = _acquire(path, deadline, wait, lang)
    try:
        yield
    finally:
        # Removed while still held, so no stray file stays beside the workbook;
        # a waiter that opened it sees it gone and opens a new one (see _acquire).
        lock_path(path).unlink(missing_ok=True)
        os.close(descriptor)


def _acquire(path: Path, deadline: float, wait: float, lang: Lang) -> int:
    while True:
        descriptor = _open(path, lang)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            if time.monotonic() >= deadline:
                raise LockHeldError(
                    say(
                        lang,
                        "xlsx.filelock.another_sheetsync_writing_did_not",
                        name=path.name,
                        s=wait,
                    )
                ) from None
            time.sleep(POLL_SECONDS)
            continue
        if _still_there(descriptor, path):
            return descriptor
        os.close(descriptor)  # the holder removed it as we waited: lock the new one


def _open(path: Path, lang: Lang) -> int:
    try:
        return os.open(lock_path(path), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise LockFileError(
            say(lang, "xlsx.filelock.cannot_lock", name=path.name, why=exc.strerror)
        ) from exc


def _still_there(descriptor: int, path: Path) -> bool:
    try:
        return os.stat(lock_path(path)).st_ino == os.fstat(descriptor).st_ino
    except FileNotFoundError:
        return False
