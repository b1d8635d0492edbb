"""One measured case, run alone in its own process so its peak memory is its own.

python -m benchmarks.case KIND ARGS... prints one JSON object on stdout.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import json
import logging
import resource
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TypeVar, cast

import gspread
import requests
from gspread.urls import SPREADSHEET_VALUES_BATCH_URL

from benchmarks import baseline, emulated, floors, generate
from sheetsync.backends.base import TitleFilter
from sheetsync.backends.gsheets.backend import GoogleBackend
from sheetsync.backends.gsheets.retry import RetryPolicy
from sheetsync.backends.gsheets.values import VALUE_PARAMS, quote_title
from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.books import checks, rules
from sheetsync.ledger import closing, state
from sheetsync.ledger.state import is_state_title
from sheetsync.model import Book, CellValue, OutputTable, RawTab, RawWorkbook
from sheetsync.parse import book as parse
from sheetsync.report import tables as report
from sheetsync.sync.handedits import is_output_title
from sheetsync.sync.pipeline import Outcome, analyse, is_input_title, run_sync
from sheetsync.template import Lang
from tests.emulator import Emulator

# A 900k-row read takes minutes on the emulator: never time out while measuring.
PATIENT = RetryPolicy(timeout=(10.0, 3600.0))
Result = dict[str, object]
T = TypeVar("T")


@dataclass(frozen=True)
class Measure:
    """One sync as a user would feel it, and what it cost the network."""

    wall: float  # seconds, emulator time included
    server: float  # seconds the emulator spent answering
    requests: int
    sent: int  # bytes of request bodies
    received: int  # bytes of answer bodies
    full_passes: int  # full passes of Python's cyclic garbage collector (generation 2)
    full_pass_seconds: float

    @property
    def client(self) -> float:
        """Wall time less the emulator's own: what a fast server would leave."""
        return self.wall - self.server


def peak_mib() -> float:
    """The process's peak resident memory so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measured(action: Callable[[], object], meter: emulated.Meter) -> Measure:
    before = meter.snapshot()
    start = time.perf_counter()
    with FullPasses() as passes:
        action()
    wall = time.perf_counter() - start
    used = meter.since(before)
    return Measure(wall, used.server, used.requests, used.sent, used.received, *passes.found())


class FullPasses:
    """The full passes of Python's cyclic garbage collector during a block, and their
    seconds (sheetsync.sync.collector keeps the cells read out of them)."""

    def __init__(self) -> None:
        self.passes, self.seconds, self._start = 0, 0.0, 0.0

    def _note(self, phase: str, info: dict[str, int]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.passes += 1
            self.seconds += time.perf_counter() - self._start

    def found(self) -> tuple[int, float]:
        return self.passes, self.seconds

    def __enter__(self) -> FullPasses:
        gc.callbacks.append(self._note)
        return self

    def __exit__(self, *_: object) -> None:
        gc.callbacks.remove(self._note)


def remove_outputs(target: Emulator | str, spreadsheet_id: str) -> None:
    """Back to the input tabs only, unmetered, so the next sync is a first one."""
    session, _ = emulated.session(target)
    spreadsheet = gspread.Client(None, session=session).open_by_key(spreadsheet_id)  # type: ignore[arg-type]
    for worksheet in spreadsheet.worksheets():
        if not is_input_title(worksheet.title):
            spreadsheet.del_worksheet(worksheet)


def google(side: str, target: Emulator | str, spreadsheet_id: str, latency: float) -> Result:
    """A first sync (output tabs created) then a repeat sync (nothing changed); for
    sheetsync, the bytes of the values.batchGet floor of each (`values_floor`)."""
    remove_outputs(target, spreadsheet_id)
    session, meter = emulated.session(target, latency)
    floor = values_floor(target, spreadsheet_id) if side == "sheetsync" else 0
    found = _first_and_repeat(side, _google_sync(side, session, spreadsheet_id), meter)
    if side == "sheetsync":
        found["values_floor"] = {"first": floor, "repeat": values_floor(target, spreadsheet_id)}
    return found


def values_floor(target: Emulator | str, spreadsheet_id: str) -> int:
    """Bytes of the plainest read of the cells a sync reads: one values.batchGet
    (UNFORMATTED_VALUE, dates as serial numbers) of the tabs it reads, unmetered."""
    session, _ = emulated.session(target)
    client = gspread.Client(None, session=session)  # type: ignore[arg-type]
    titles = [w.title for w in client.open_by_key(spreadsheet_id).worksheets()]
    read = [t for t in titles if is_input_title(t) or is_output_title(t) or is_state_title(t)]
    # Serial numbers, the shortest dates: the floor stays what it was before the sync
    # read dates as they are shown (a few bytes more per date).
    plainest = {**VALUE_PARAMS, "dateTimeRenderOption": "SERIAL_NUMBER"}
    params = {**plainest, "ranges": [quote_title(t) for t in read]}
    answer = client.http_client.request(
        "get", SPREADSHEET_VALUES_BATCH_URL % spreadsheet_id, params=params
    )
    return len(answer.content)


def _google_sync(side: str, session: requests.Session, spreadsheet_id: str) -> Callable[[], None]:
    if side == "baseline":
        return lambda: baseline.google_sync(session, spreadsheet_id, generate.AS_OF)
    backend = GoogleBackend(spreadsheet_id, session=session, policy=PATIENT)
    return lambda: _ignore(run_sync(backend, generate.AS_OF, fast=True))


def local(side: str, path: Path) -> Result:
    """A first sync then a repeat sync of a local workbook."""
    if side == "baseline":
        sync: Callable[[], object] = lambda: baseline.local_sync(path, generate.AS_OF)  # noqa: E731
    else:
        sync = lambda: run_sync(XlsxBackend(path, "fr"), generate.AS_OF, fast=True)  # noqa: E731
    return _first_and_repeat(side, sync, emulated.Meter())


def local_close(path: Path) -> Result:
    """A first sync (not measured), then a close of the first half year, as
    `sheetsync close` does it: its time, its stages and the process's peak memory."""
    run_sync(XlsxBackend(path, "fr"), generate.AS_OF)
    action = closing.closer(CLOSE_UNTIL, "T1")
    sync = lambda: run_sync(XlsxBackend(path, "fr"), generate.AS_OF, action=action)  # noqa: E731
    with StageLog() as stages:
        close = _dump(measured(sync, emulated.Meter()))
        logged = stages.take()
    close["outside_read"] = close["wall"] - logged.get("read", 0.0)
    return {"close": close, "stages": {"close": logged}, "peak_mib": peak_mib()}


def _first_and_repeat(side: str, sync: Callable[[], object], meter: emulated.Meter) -> Result:
    """A first sync then a repeat sync; for sheetsync, the seconds of each logged stage.

    `outside_read` is a sync's wall time less its read stage (cells fetched and decoded).
    """
    with StageLog() as stages:
        first = _dump(measured(sync, meter))
        first_stages = stages.take()
        repeat = _dump(measured(sync, meter))
        repeat_stages = stages.take()
    found: Result = {"first": first, "repeat": repeat, "peak_mib": peak_mib()}
    if side == "sheetsync":
        for sync_result, logged in ((first, first_stages), (repeat, repeat_stages)):
            sync_result["outside_read"] = sync_result["wall"] - logged.get("read", 0.0)
        found["stages"] = {"first": first_stages, "repeat": repeat_stages}
    return found


class StageLog(logging.Handler):
    """The stage times sheetsync.sync.pipeline logs (`log_time`), summed by stage."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.seconds: dict[str, float] = {}
        self._logger = logging.getLogger("sheetsync")
        self._level = self._logger.level

    def emit(self, record: logging.LogRecord) -> None:
        if record.funcName == "log_time" and isinstance(record.args, tuple):
            stage, seconds = record.args
            self.seconds[str(stage)] = self.seconds.get(str(stage), 0.0) + float(seconds)  # type: ignore[arg-type]

    def take(self) -> dict[str, float]:
        """The stages logged since the last call."""
        found, self.seconds = self.seconds, {}
        return found

    def __enter__(self) -> StageLog:
        self._logger.addHandler(self)
        self._logger.setLevel(logging.INFO)
        return self

    def __exit__(self, *_: object) -> None:
        self._logger.removeHandler(self)
        self._logger.setLevel(self._level)


def compute(rows: int, repeats: int = 3) -> Result:
    """Every stage of a sync on cells already in memory, each next to its floor.

    Parse, rules, checks and report as before; then the ledger stage (closings,
    journal and state tab) of a first sync, a repeat sync and a close, and the state read.
    Each stage and each floor is the fastest of `repeats` runs (the machine is shared).
    """
    raw = generate.raw_workbook(rows)
    before = peak_mib()
    best = _Best(repeats)
    book = best.time("parse", lambda: parse.read_template(raw, generate.AS_OF))
    figures = best.time("rules", lambda: rules.compute(book, generate.AS_OF))
    found = best.time("checks", lambda: checks.run(book, figures, generate.AS_OF))
    anomalies = [*book.anomalies, *found]
    rendered = best.time("report", lambda: report.render(book, figures, anomalies))
    ledger = _ledger(raw, book, best)
    stages = {k: best.seconds[k] for k in ("parse", "rules", "checks", "report")}
    return {
        "stages": stages,
        "ledger": {k: best.seconds[k] for k in LEDGER_STAGES},
        "floors": floors.measure(
            raw,
            book,
            figures,
            rendered,
            packed={k: str(ledger[k]) for k in ("first", "closed")},
            repeats=repeats,
        ),
        "state_chars": {k: len(str(ledger[k])) for k in ("first", "closed")},
        "state_unchanged_on_repeat": ledger["unchanged"],
        "repeats": repeats,
        "anomalies": len(anomalies),
        "input_mib": before,
        "peak_mib": peak_mib(),
    }


LEDGER_STAGES = ("ledger_first", "ledger_repeat", "ledger_close", "state_read")
NOW = dt.datetime(generate.YEAR + 1, 1, 2, 9, 0, tzinfo=dt.UTC)  # when the syncs run
CLOSE_UNTIL = dt.date(generate.YEAR, 6, 30)  # the close freezes the first half year
# Stages sheetsync.sync.pipeline logs that are not the ledger; every other logged stage is
# (closings read and applied, the rules under them, the journal, the state tab).
NOT_LEDGER = frozenset({"read", "parse", "checks", "report", "write"})


def _ledger(raw: RawWorkbook, book: Book, best: _Best) -> dict[str, object]:
    """Time the ledger of a first sync, a repeat sync and a close, and the state read.

    Each runs through `pipeline.analyse` on the cells in memory; the ledger's seconds are
    those of the stages it logs for it (state, rules under the closings, journal).
    """
    first = best.ledger("ledger_first", raw)
    again = with_state(raw, state_table(first))
    repeat = best.ledger("ledger_repeat", again)
    closed = best.ledger("ledger_close", again, closing.closer(CLOSE_UNTIL, "T1"))
    best.time("state_read", lambda: read_whole(again, book.lang))
    return {
        "first": packed(state_table(first)),
        "closed": packed(state_table(closed)),
        "unchanged": state_table(repeat).fingerprint() == state_table(first).fingerprint(),
    }


def read_whole(raw: RawWorkbook, lang: Lang) -> state.State:
    """The state read back with every part decoded: its snapshot too, which a sync
    reading the cells it was taken from never decodes."""
    kept = state.read(raw, lang)
    if kept.snapshot is not None:
        kept.snapshot.contributions  # noqa: B018 - decodes its frames
    return kept


def state_table(outcome: Outcome) -> OutputTable:
    """The hidden state tab a sync writes."""
    return next(t for t in outcome.tables if state.is_state_title(t.title))


class InMemory:
    """A backend over cells already in memory; writes nothing."""

    display_name = "memory"

    def __init__(self, raw: RawWorkbook) -> None:
        self.raw = raw

    def read(self, wanted: TitleFilter) -> RawWorkbook:
        tabs = {title: tab for title, tab in self.raw.tabs.items() if wanted(title)}
        return dataclasses.replace(self.raw, tabs=tabs)

    def write(self, tables: Sequence[OutputTable], lang: Lang) -> None:
        """Nothing to write: only the computation is measured."""

    def init(self, lang: Lang, rows: Mapping[str, Sequence[Sequence[CellValue]]]) -> None:
        raise NotImplementedError


def with_state(raw: RawWorkbook, table: OutputTable) -> RawWorkbook:
    """The workbook as the next sync reads it: the state tab written by the last one."""
    tab = state_tab(table)
    return RawWorkbook(
        tabs={**raw.tabs, table.title: tab},
        owned={table.title: table.fingerprint()},
        locale=raw.locale,
        all_titles=(*raw.all_titles, table.title),
    )


def state_tab(table: OutputTable) -> RawTab:
    """The state tab's cells as a backend reads them back (chunk numbers and text)."""
    rows = [list(table.header), *(list(row) for row in table.rows)]
    return RawTab(table.title, cast("list[list[CellValue]]", rows))


def packed(table: OutputTable) -> str:
    """The packed text a state tab holds: its chunks joined in their numbered order."""
    return "".join(str(text) for _, text in sorted(table.rows, key=lambda row: float(str(row[0]))))


class _Best:
    """The fastest of a few runs of each stage, by name."""

    def __init__(self, repeats: int) -> None:
        self.repeats = repeats
        self.seconds: dict[str, float] = {}

    def time(self, name: str, action: Callable[[], T]) -> T:
        result, self.seconds[name] = floors.fastest(action, self.repeats)
        return result

    def ledger(self, name: str, raw: RawWorkbook, action: closing.Action | None = None) -> Outcome:
        """A sync's analysis on `raw`; the fastest seconds of its ledger stages."""
        backend = InMemory(raw)
        seconds = []
        with StageLog() as log:
            for _ in range(max(self.repeats, 1)):
                _, outcome = analyse(backend, generate.AS_OF, now=NOW, action=action)
                logged = log.take()
                seconds.append(sum(v for k, v in logged.items() if k not in NOT_LEDGER))
        self.seconds[name] = min(seconds)
        return outcome


def build_xlsx(rows: int, path: Path) -> Result:
    """The generated workbook as a local .xlsx file, input tabs only."""
    path.unlink(missing_ok=True)
    XlsxBackend(path, "fr").init("fr", generate.workbook_rows(rows))
    return {"bytes": path.stat().st_size}


def _dump(measure: Measure) -> dict[str, float]:
    return {**asdict(measure), "client": measure.client}


def _ignore(_: object) -> None:
    """Run a sync for its effect only."""


def main(argv: list[str]) -> None:
    kind, args = argv[0], argv[1:]
    if kind == "google":
        result = google(args[0], args[1], args[2], float(args[3]))
    elif kind == "local":
        result = local(args[0], Path(args[1]))
    elif kind == "local-close":
        result = local_close(Path(args[0]))
    elif kind == "compute":
        result = compute(int(args[0]), *map(int, args[1:2]))
    elif kind == "build-xlsx":
        result = build_xlsx(int(args[0]), Path(args[1]))
    else:
        raise SystemExit(f"unknown case {kind!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
