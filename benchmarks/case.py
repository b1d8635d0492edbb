"""One measured case, run alone in its own process so its peak memory is its own.

python -m benchmarks.case KIND ARGS... prints one JSON object on stdout.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import gspread
import requests

from benchmarks import baseline, emulated, generate
from sheetsync import checks, parse, report, rules
from sheetsync.backends.gsheets import GoogleBackend
from sheetsync.backends.xlsx import XlsxBackend
from sheetsync.retry import RetryPolicy
from sheetsync.sync import is_input_title, run_sync
from tests.emulator import Emulator

# A 900k-row read takes minutes on the emulator: never time out while measuring.
PATIENT = RetryPolicy(timeout=(10.0, 3600.0))
Result = dict[str, object]


@dataclass(frozen=True)
class Measure:
    """One sync as a user would feel it, and what it cost the network."""

    wall: float  # seconds, emulator time included
    server: float  # seconds the emulator spent answering
    requests: int
    sent: int  # bytes of request bodies
    received: int  # bytes of answer bodies

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
    action()
    wall = time.perf_counter() - start
    used = meter.since(before)
    return Measure(wall, used.server, used.requests, used.sent, used.received)


def remove_outputs(target: Emulator | str, spreadsheet_id: str) -> None:
    """Back to the input tabs only, unmetered, so the next sync is a first one."""
    session, _ = emulated.session(target)
    spreadsheet = gspread.Client(None, session=session).open_by_key(spreadsheet_id)  # type: ignore[arg-type]
    for worksheet in spreadsheet.worksheets():
        if not is_input_title(worksheet.title):
            spreadsheet.del_worksheet(worksheet)


def google(side: str, target: Emulator | str, spreadsheet_id: str, latency: float) -> Result:
    """A first sync (output tabs created) then a repeat sync (nothing changed)."""
    remove_outputs(target, spreadsheet_id)
    session, meter = emulated.session(target, latency)
    sync = _google_sync(side, session, spreadsheet_id)
    first = measured(sync, meter)
    repeat = measured(sync, meter)
    return {"first": _dump(first), "repeat": _dump(repeat), "peak_mib": peak_mib()}


def _google_sync(side: str, session: requests.Session, spreadsheet_id: str) -> Callable[[], None]:
    if side == "baseline":
        return lambda: baseline.google_sync(session, spreadsheet_id, generate.AS_OF)
    backend = GoogleBackend(spreadsheet_id, session=session, policy=PATIENT)
    return lambda: _ignore(run_sync(backend, generate.AS_OF))


def local(side: str, path: Path) -> Result:
    """A first sync then a repeat sync of a local workbook."""
    if side == "baseline":
        sync: Callable[[], object] = lambda: baseline.local_sync(path, generate.AS_OF)  # noqa: E731
    else:
        sync = lambda: run_sync(XlsxBackend(path), generate.AS_OF)  # noqa: E731
    meter = emulated.Meter()
    first, repeat = measured(sync, meter), measured(sync, meter)
    return {"first": _dump(first), "repeat": _dump(repeat), "peak_mib": peak_mib()}


def compute(rows: int) -> Result:
    """Parse, rules, checks and report on cells already in memory: seconds per stage."""
    raw = generate.raw_workbook(rows)
    before = peak_mib()
    stages: dict[str, float] = {}
    start = time.perf_counter()
    book = parse.read_template(raw, generate.AS_OF)
    stages["parse"] = _lap(start)
    figures = rules.compute(book, generate.AS_OF)
    stages["rules"] = _lap(start, stages)
    anomalies = [*book.anomalies, *checks.run(book, figures, generate.AS_OF)]
    stages["checks"] = _lap(start, stages)
    report.render(book, figures, anomalies)
    stages["report"] = _lap(start, stages)
    return {
        "stages": stages,
        "anomalies": len(anomalies),
        "input_mib": before,
        "peak_mib": peak_mib(),
    }


def build_xlsx(rows: int, path: Path) -> Result:
    """The generated workbook as a local .xlsx file, input tabs only."""
    path.unlink(missing_ok=True)
    XlsxBackend(path).init("fr", generate.workbook_rows(rows))
    return {"bytes": path.stat().st_size}


def _lap(start: float, earlier: dict[str, float] | None = None) -> float:
    return time.perf_counter() - start - sum((earlier or {}).values())


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
    elif kind == "compute":
        result = compute(int(args[0]))
    elif kind == "build-xlsx":
        result = build_xlsx(int(args[0]), Path(args[1]))
    else:
        raise SystemExit(f"unknown case {kind!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
