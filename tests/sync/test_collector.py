"""The cyclic garbage collector kept off the cells a run reads (sheetsync.sync.collector):
paused while reading, the cells frozen while the books are computed, everything as it
was once the run ends, threads included."""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from sheetsync.backends.base import TitleFilter
from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.model import RawWorkbook
from sheetsync.sync import collector, pipeline
from tests.support.ledger_cases import AS_OF, NOW, XlsxSheet


@pytest.fixture(autouse=True)
def _collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    gc.unfreeze()
    if not was:
        gc.disable()


def test_paused_turns_the_collector_off_and_back_on() -> None:
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_paused_leaves_a_collector_that_was_off_off() -> None:
    gc.disable()
    with collector.paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_the_collector_comes_back_when_the_last_concurrent_read_ends() -> None:
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, bool] = {}

    def first() -> None:
        with collector.paused():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second() -> None:
        first_in.wait(5)
        with collector.paused():
            second_in.set()
            first_out.wait(5)
            seen["after the first ended"] = gc.isenabled()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert seen == {"after the first ended": False}
    assert gc.isenabled()


def test_frozen_keeps_what_is_alive_out_of_the_passes_until_it_ends() -> None:
    kept = [[n] for n in range(1000)]
    with collector.frozen():
        assert gc.get_freeze_count() >= len(kept)
        walked = {id(thing) for thing in gc.get_objects()}
        assert not any(id(row) in walked for row in kept)
    assert gc.get_freeze_count() == 0
    assert all(gc.is_tracked(row) for row in kept)


class Watched(XlsxBackend):
    """The local workbook backend, noting the collector's state while it reads."""

    seen: dict[str, object]

    def read(self, wanted: TitleFilter) -> RawWorkbook:
        self.seen = {"enabled while reading": gc.isenabled()}
        return super().read(wanted)


class Stages(logging.Handler):
    """How many objects are frozen as each stage of the run ends."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.frozen: dict[str, int] = {}

    def emit(self, record: logging.LogRecord) -> None:
        self.frozen[record.getMessage().split()[0]] = gc.get_freeze_count()


def test_a_sync_reads_with_the_collector_paused_and_computes_on_frozen_cells(
    tmp_path: Path,
) -> None:
    backend = Watched(XlsxSheet(tmp_path).path, "fr")
    stages = Stages()
    logger = logging.getLogger("sheetsync")
    level = logger.level
    logger.addHandler(stages)
    logger.setLevel(logging.INFO)
    try:
        outcome = pipeline.run_sync(backend, AS_OF, now=NOW)
    finally:
        logger.removeHandler(stages)
        logger.setLevel(level)
    assert outcome.written
    assert backend.seen == {"enabled while reading": False}
    assert stages.frozen["read"] == 0  # frozen once read
    assert all(stages.frozen[s] > 0 for s in ("digest", "parse", "rules", "journal"))
    assert stages.frozen["write"] == 0  # and back under the collector at the end
    assert gc.isenabled()
