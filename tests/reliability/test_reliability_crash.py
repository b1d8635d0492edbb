"""The crash matrix: a local sync killed (SIGKILL) at 200 random moments leaves the
workbook as the old or the new version, readable, with its backup intact.

Each sync runs in a forked child through the real code path (read, compute,
write, fsync, rename); the parent kills it after a random delay spread over
the sync's whole duration.
"""

from __future__ import annotations

import collections
import datetime as dt
import os
import random
import shutil
import signal
import time
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from sheetsync import demo
from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.sync import pipeline
from tests.support.handedits import NOW
from tests.support.libreoffice import convert

KILLS = 200
OLD_AS_OF = dt.date(2026, 5, 1)
NEW_AS_OF = dt.date(2026, 6, 1)


@dataclass(frozen=True)
class Versions:
    folder: Path
    original: bytes  # the inputs only, as the user made it
    old: bytes  # after a sync as of OLD_AS_OF
    new: bytes  # after one more sync as of NEW_AS_OF


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> Versions:
    folder = tmp_path_factory.mktemp("crash")
    path = folder / "book.xlsx"
    XlsxBackend(path, "fr").init("fr", demo.example_rows("fr"))  # the demo network's inputs
    original = path.read_bytes()
    pipeline.run_sync(XlsxBackend(path, "fr"), OLD_AS_OF, now=NOW)
    old = path.read_bytes()
    pipeline.run_sync(XlsxBackend(path, "fr"), NEW_AS_OF, now=NOW)
    new = path.read_bytes()
    for data in (old, new):
        path.write_bytes(data)
        openpyxl.load_workbook(path).close()
    return Versions(folder, original, old, new)


def _prepare(versions: Versions, number: int) -> Path:
    folder = versions.folder / f"kill-{number}"
    folder.mkdir()
    path = folder / "book.xlsx"
    path.write_bytes(versions.old)
    (folder / "book.xlsx.bak").write_bytes(versions.original)
    return path


def _sync_in_child(path: Path, delay: float | None) -> int:
    """Fork a child that syncs `path`; kill it after `delay` s (None: let it end). Its status."""
    pid = os.fork()
    if pid == 0:  # the child: sync, then leave without running the parent's cleanup
        code = 1
        try:
            code = (
                0 if pipeline.run_sync(XlsxBackend(path, "fr"), NEW_AS_OF, now=NOW).written else 2
            )
        finally:
            os._exit(code)
    if delay is not None:
        time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
    return os.waitpid(pid, 0)[1]


def _state(versions: Versions, path: Path) -> str:
    """'old' or 'new' (anything else fails the test), checking the backup with it."""
    data = path.read_bytes()
    backup = path.with_name("book.xlsx.bak").read_bytes()
    # Byte-equal to a version checked to open (see the fixture): it opens too.
    if data == versions.new:
        assert backup == versions.old
        return "new"
    assert data == versions.old
    assert backup in (versions.original, versions.old)
    return "old"


def _delays(versions: Versions) -> list[float | None]:
    """Half the kill moments over the whole sync, half over its write (after the
    computing), so many land while the new file is being produced and renamed."""
    # The fastest of three probes: on a loaded machine one slow probe would put most
    # kill moments after the sync's end.
    computing = duration = float("inf")
    for attempt in range(3):
        probe = _prepare(versions, -1 - attempt)
        start = time.perf_counter()
        pipeline.analyse(XlsxBackend(probe, "fr"), NEW_AS_OF, now=NOW)
        computing = min(computing, time.perf_counter() - start)
        start = time.perf_counter()
        assert _sync_in_child(probe, None) == 0
        duration = min(duration, time.perf_counter() - start)
        assert probe.read_bytes() == versions.new
    rng = random.Random(7)
    # A few syncs never killed: one that finishes is in the matrix even when the
    # machine is far busier during the kills than during the probes (a kill timed at
    # three times the fastest probe's duration can land before the end under load).
    late: list[float | None] = [None] * (KILLS // 20)
    # Every other moment before the fastest probe's end: a sync the machine runs
    # faster than its probes (the load moves under a parallel suite) is still killed.
    spread = [rng.uniform(0, duration * 0.95) for _ in range(KILLS // 2 - len(late))]
    writing = [rng.uniform(computing * 0.9, duration * 0.98) for _ in range(KILLS // 2)]
    return late + spread + writing


@pytest.mark.slow  # 200 forked syncs: about 60 s
def test_kill_at_200_moments(versions: Versions) -> None:
    seen: collections.Counter[str] = collections.Counter()
    for number, delay in enumerate(_delays(versions)):
        path = _prepare(versions, number)
        status = _sync_in_child(path, delay)
        seen["killed" if os.WIFSIGNALED(status) else "finished"] += 1
        seen[_state(versions, path)] += 1
        # A temporary file left behind: the kill landed while the new file was written.
        seen["mid-write"] += any(p.suffix == ".tmp" for p in path.parent.iterdir())
        if number % 20 == 0:  # leftovers of a killed sync never stop the next one
            pipeline.run_sync(XlsxBackend(path, "fr"), NEW_AS_OF, now=NOW)
            assert path.read_bytes() == versions.new
        shutil.rmtree(path.parent)
    print(f"\ncrash matrix: {KILLS} runs, {dict(seen)}")
    assert seen["old"] + seen["new"] == KILLS
    assert seen["killed"] >= KILLS / 2
    assert seen["mid-write"] > 0
    assert min(seen["old"], seen["new"]) > 0


@pytest.mark.slow
@pytest.mark.libreoffice
@pytest.mark.parametrize("fraction", [0.5, 0.85, 0.95])
def test_libreoffice_opens_a_killed_sync(
    versions: Versions, fraction: float, tmp_path: Path
) -> None:
    path = _prepare(versions, int(fraction * 1000))
    start = time.perf_counter()
    assert _sync_in_child(_prepare(versions, int(fraction * 1000) + 1), None) == 0
    _sync_in_child(path, (time.perf_counter() - start) * fraction)
    state = _state(versions, path)
    convert(path, "csv", tmp_path, tmp_path / "profile")  # raises if LibreOffice fails
    assert state in ("old", "new")
    assert (tmp_path / "book.csv").read_bytes().strip()
