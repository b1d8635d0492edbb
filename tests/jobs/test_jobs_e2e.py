"""`sheetsync jobs run` as cron runs it: a subprocess, the emulator as a localhost server.

21 spreadsheets: healthy ones, one missing, one not shared, one without a required
column, one whose quota answers 429 in bursts, and one local workbook.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from itertools import cycle
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.emulator import Emulator, Reply, serving
from tests.support.golden import GoldenCase, load_cases, write_xlsx
from tests.support.gsheets import _typed

SHEETSYNC = Path(sys.executable).with_name("sheetsync")
HEALTHY = 16


class BurstyEmulator(Emulator):
    """Answers 429 in bursts of two, every four requests sent to the `bursty` spreadsheets."""

    def __init__(self) -> None:
        super().__init__()
        self.bursty: set[str] = set()
        self.seen: dict[str, int] = {}
        self._burst_lock = threading.Lock()

    def handle(self, method: str, url: str, body: bytes = b"") -> Reply:
        spreadsheet_id = next((s for s in self.bursty if s in url), None)
        if spreadsheet_id is None:
            return super().handle(method, url, body)
        with self._burst_lock:
            self.seen[spreadsheet_id] = self.seen.get(spreadsheet_id, 0) + 1
            if self.seen[spreadsheet_id] % 4 in (1, 2):
                # Held across the request: the injected fault is this request's own.
                with self._lock:
                    self.inject("429")
                    return super().handle(method, url, body)
        return super().handle(method, url, body)


def seed(emulator: Emulator, case: GoldenCase) -> str:
    tabs = {t: [[_typed(v) for v in row] for row in rows] for t, rows in case.inputs.items()}
    return emulator.create(locale="en_US" if case.name.startswith("en") else "fr_FR", tabs=tabs)


def job_text(sheets: list[tuple[str, str, GoldenCase]]) -> str:
    lines = [
        "[defaults]",
        'language = "en"',
        "requests_per_minute = 6000  # the emulator's own quota is generous",
        "retry_delay = 0.01",
        "",
    ]
    for name, target, case in sheets:
        lines += ["[[sheets]]", f'name = "{name}"', f'target = "{target}"']
        lines += [f"as_of = {case.as_of.isoformat()}", ""]
    return "\n".join(lines)


def build(tmp_path: Path, emulator: BurstyEmulator) -> tuple[Path, dict[str, str]]:
    """The job file and, per sheet name, what should happen to it ("ok" or the reason)."""
    cases = load_cases()
    sheets = []
    for index, case in zip(range(HEALTHY), cycle(cases), strict=False):
        sheets.append((f"group {index:02d}", f"gsheet:{seed(emulator, case)}", case))
    base = next(c for c in cases if c.name == "fr-prorata")
    bursty = seed(emulator, base)
    emulator.bursty.add(bursty)
    unshared = seed(emulator, base)
    emulator.books[unshared].access = "none"
    complete = base.inputs["Contributions"]
    assert complete[0][2] == "Groupe"
    no_group = {**base.inputs, "Contributions": [[*row[:2], *row[3:]] for row in complete]}
    write_xlsx(cases[1].inputs, tmp_path / "local.xlsx")
    sheets += [
        ("bursty", f"gsheet:{bursty}", base),
        ("missing", "gsheet:noSuchSpreadsheet", base),
        ("unshared", f"gsheet:{unshared}", base),
        ("no group column", f"gsheet:{seed(emulator, _with(base, no_group))}", base),
        ("local", "local.xlsx", cases[1]),
    ]
    path = tmp_path / "nightly.toml"
    path.write_text(job_text(sheets), "utf-8")
    expected = {name: "ok" for name, _, _ in sheets}
    expected |= {"missing": "not found", "unshared": "not shared", "no group column": "Groupe"}
    return path, expected


def _with(case: GoldenCase, inputs: dict[str, Any]) -> GoldenCase:
    return GoldenCase(case.name, "", case.as_of, inputs, {}, [], [])


@pytest.mark.slow  # a subprocess syncing 18 spreadsheets: about 7 s
def test_nightly_run_over_21_sheets(tmp_path: Path) -> None:
    emulator = BurstyEmulator()
    path, expected = build(tmp_path, emulator)
    log = tmp_path / "nightly.jsonl"
    with serving(emulator) as host:
        env = {**os.environ, "SHEETS_EMULATOR_HOST": host}
        args = [str(SHEETSYNC), "jobs", "run", str(path), "--log", str(log), "--concurrency", "4"]
        done = subprocess.run(
            args, check=False, env=env, capture_output=True, text=True, timeout=120
        )
    assert done.returncode == 1, done.stderr
    records = [json.loads(line) for line in log.read_text("utf-8").splitlines()]
    assert [records[0].get("event"), records[-1].get("event")] == ["start", "end"]
    lines = {line["sheet"]: line for line in records[1:-1]}
    assert len(lines) == len(expected) >= 20
    for name, outcome in expected.items():
        line = lines[name]
        if outcome == "ok":
            assert (line["ok"], line["outcome"], line["error"]) == (True, "written", None), name
            assert line["rows_read"] > 0
        else:
            assert not line["ok"], name
            assert outcome in line["error"], (name, line["error"])
    bursty = lines["bursty"]["target"].removeprefix("gsheet:")
    answers = [entry.status for entry in emulator.log if bursty in entry.path]
    assert answers.count(429) >= 4  # at least two bursts, retried through
    assert lines["bursty"]["requests"] == len(answers)  # retries included
    assert sum(1 for entry in emulator.log if entry.status == 429) == answers.count(429)
    for name, line in lines.items():
        spreadsheet_id = line["target"].removeprefix("gsheet:")
        if expected[name] == "ok" and spreadsheet_id in emulator.books:
            assert emulator.tab_values(spreadsheet_id, "Anomalies"), name
    assert "Anomalies" in openpyxl.load_workbook(tmp_path / "local.xlsx").sheetnames
    for name in ("missing", "unshared", "no group column"):
        assert name in done.stdout  # the summary names each failure
    assert "18 ok, 3 failed" in done.stdout
    assert "[21/21]" in done.stderr  # plain progress lines: not a terminal


class HangingEmulator(Emulator):
    """Holds every request for the `hanging` spreadsheet until released."""

    def __init__(self) -> None:
        super().__init__()
        self.hanging = ""
        self.reached = threading.Event()
        self.release = threading.Event()

    def handle(self, method: str, url: str, body: bytes = b"") -> Reply:
        if self.hanging and self.hanging in url:
            self.reached.set()
            self.release.wait(30)
        return super().handle(method, url, body)


@pytest.mark.slow  # two subprocesses: about 2 s
def test_run_killed_mid_way_is_incomplete_for_jobs_last(tmp_path: Path) -> None:
    emulator = HangingEmulator()
    base = next(c for c in load_cases() if c.name == "fr-prorata")
    emulator.hanging = seed(emulator, base)
    sheets = [("first", f"gsheet:{seed(emulator, base)}", base)]
    sheets += [("hangs", f"gsheet:{emulator.hanging}", base), ("never", "never.xlsx", base)]
    path = tmp_path / "nightly.toml"
    path.write_text(job_text(sheets).replace('language = "en"', 'language = "fr"'), "utf-8")
    log = tmp_path / "nightly.jsonl"
    with serving(emulator) as host:
        env = {**os.environ, "SHEETS_EMULATOR_HOST": host}
        args = [str(SHEETSYNC), "jobs", "run", str(path), "--log", str(log)]
        quiet = subprocess.DEVNULL
        with subprocess.Popen(args, env=env, stdout=quiet, stderr=quiet) as process:
            try:
                # Killed while the second sheet waits for Google: the first one is in the log.
                assert emulator.reached.wait(60)
                process.send_signal(signal.SIGKILL)
                assert process.wait(10) == -signal.SIGKILL
            finally:
                emulator.release.set()
                process.kill()
    records = [json.loads(line) for line in log.read_text("utf-8").splitlines()]
    assert [r.get("event", r.get("sheet")) for r in records] == ["start", "first"]
    last = subprocess.run(
        [str(SHEETSYNC), "jobs", "last", str(log)],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert last.returncode == 1, last.stderr
    assert "incomplète" in last.stdout
    assert "1 feuille(s) sur 3" in last.stdout
    assert "first" in last.stdout
