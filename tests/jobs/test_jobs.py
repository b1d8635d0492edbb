"""Nightly jobs in-process: isolation, strict and dry runs, --only, threads, quota, CLI."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner
from google.auth.credentials import AnonymousCredentials

from sheetsync.backends.gsheets.auth import Identity
from sheetsync.cli.main import cli
from sheetsync.display import environment_lang
from sheetsync.jobs.last import describe_last
from sheetsync.jobs.lock import job_lock
from sheetsync.jobs.runner import RunOptions, RunReport, Services, run_job
from sheetsync.model import BackendError
from sheetsync.template import Lang
from tests.emulator import Emulator, mount
from tests.support.clock import FakeClock
from tests.support.golden import write_xlsx
from tests.support.gsheets import GsheetFactory
from tests.support.jobs import AS_OF, HEALTHY, job_file

ANONYMOUS = Identity("emulator", "anonymous@emulator", AnonymousCredentials())  # type: ignore[no-untyped-call]
# 2000 € asked of a 1000 € envelope: an error-severity anomaly, the rows still count.
OVER: dict[str, list[list[Any]]] = {
    "Groupes": [["Groupe", "Enveloppe"], ["GT Com", 1000]],
    "Contributions": [
        ["Date", "Personne", "Groupe", "Durée (h)", "Montant demandé"],
        [dt.date(2026, 3, 2), "Ana", "GT Com", 7, 2000],
    ],
}
NO_GROUP_COLUMN: dict[str, list[list[Any]]] = {
    "Groupes": [["Groupe", "Enveloppe"], ["GT Com", 1000]],
    "Contributions": [["Date", "Personne", "Durée (h)"], [dt.date(2026, 3, 2), "Ana", 2]],
}


def services(emulator: Emulator, clock: FakeClock | None = None) -> Services:
    """The emulator in-process, the anonymous identity, a fixed today; a fake clock if given."""
    clock = clock or FakeClock()
    return Services(
        identity=lambda *_: ANONYMOUS,
        session=lambda _: mount(requests.Session(), emulator),
        clock=clock,
        sleep=clock.sleep,
        today=lambda: AS_OF,
    )


def run(path: Path, emulator: Emulator, **options: Any) -> RunReport:
    return run_job(path, RunOptions(**options), io.StringIO(), services(emulator))


def gsheet(factory: GsheetFactory, tabs: dict[str, list[list[Any]]]) -> str:
    backend, _ = factory(tabs)
    return f"gsheet:{backend.spreadsheet_id}"


def batch_updates(emulator: Emulator) -> int:
    return sum(1 for entry in emulator.log if entry.path.endswith(":batchUpdate"))


def test_one_bad_sheet_stops_nothing(
    tmp_path: Path, gsheet_backend_from_rows: GsheetFactory, emulator: Emulator
) -> None:
    write_xlsx(HEALTHY, tmp_path / "local.xlsx")
    unshared = gsheet(gsheet_backend_from_rows, HEALTHY)
    emulator.books[unshared.removeprefix("gsheet:")].access = "none"
    sheets = [
        ("first", gsheet(gsheet_backend_from_rows, HEALTHY)),
        ("missing", "gsheet:doesNotExist"),
        ("unshared", unshared),
        ("no group column", gsheet(gsheet_backend_from_rows, NO_GROUP_COLUMN)),
        ("local", "local.xlsx"),
        ("last", gsheet(gsheet_backend_from_rows, HEALTHY)),
    ]
    log = tmp_path / "run.jsonl"
    report = run(job_file(tmp_path, sheets, f'log = "{log.name}"'), emulator)
    results = {r.sheet: r for r in report.results}
    assert [r.sheet for r in report.results] == [name for name, _ in sheets]
    assert report.exit_code == 1
    assert [name for name, r in results.items() if r.ok] == ["first", "local", "last"]
    assert {results[n].error_kind for n in ("missing", "unshared", "no group column")} == {
        "backend",
        "structure",
    }
    assert "not found" in str(results["missing"].error)
    assert "not shared" in str(results["unshared"].error)
    assert "Groupe" in str(results["no group column"].error)
    assert [results[n].outcome for n in ("first", "local", "last")] == ["written"] * 3
    # Metadata, values, the write: hours typed as numbers need no format request.
    assert (results["first"].requests, results["first"].rows_read) == (3, 3)
    assert (results["local"].requests, results["local"].rows_read) == (0, 3)
    assert batch_updates(emulator) == 2
    lines = [json.loads(line) for line in log.read_text("utf-8").splitlines()]
    assert [lines[0]["event"], lines[-1]["event"]] == ["start", "end"]
    assert {line["run"] for line in lines} == {report.results[0].run}
    assert (lines[0]["sheets"], lines[-1]["sheets"], lines[-1]["failed"]) == (6, 6, 3)
    assert sorted(line["sheet"] for line in lines[1:-1]) == sorted(results)
    assert "FAILED" in report.summary()


def test_second_run_writes_nothing(
    tmp_path: Path, gsheet_backend_from_rows: GsheetFactory, emulator: Emulator
) -> None:
    path = job_file(tmp_path, [("a", gsheet(gsheet_backend_from_rows, HEALTHY))])
    first, second = run(path, emulator), run(path, emulator)
    assert (first.exit_code, second.exit_code) == (0, 0)
    assert [(r.outcome, r.requests) for r in (*first.results, *second.results)] == [
        ("written", 3),  # metadata, values, the write
        ("unchanged", 2),
    ]
    # The output tabs the second run reads back are not input rows: the same 3 both times.
    assert [r.rows_read for r in (*first.results, *second.results)] == [3, 3]


def test_dry_run_writes_nothing(
    tmp_path: Path, gsheet_backend_from_rows: GsheetFactory, emulator: Emulator
) -> None:
    path = job_file(tmp_path, [("a", gsheet(gsheet_backend_from_rows, HEALTHY))])
    report = run(path, emulator, dry_run=True)
    assert [(r.ok, r.outcome) for r in report.results] == [(True, "would_write")]
    assert batch_updates(emulator) == 0


@pytest.mark.parametrize(("strict", "ok"), [("false", True), ("true", False)])
def test_strict_override_fails_a_sheet_with_errors(
    tmp_path: Path,
    gsheet_backend_from_rows: GsheetFactory,
    emulator: Emulator,
    strict: str,
    ok: bool,
) -> None:
    target = gsheet(gsheet_backend_from_rows, OVER)
    path = job_file(tmp_path, [("over", target)], extra=f"strict = {strict}")
    (result,) = run(path, emulator).results
    assert result.ok is ok
    assert result.anomalies["error"] == 1
    assert result.outcome == "written"  # as `sync --strict`: written, then reported
    assert result.error_kind == (None if ok else "strict")


def test_only_runs_the_named_sheets(
    tmp_path: Path, gsheet_backend_from_rows: GsheetFactory, emulator: Emulator
) -> None:
    sheets = [(name, gsheet(gsheet_backend_from_rows, HEALTHY)) for name in ("a", "b", "c")]
    report = run(job_file(tmp_path, sheets), emulator, only=("C", "a"))
    assert [r.sheet for r in report.results] == ["a", "c"]
    assert batch_updates(emulator) == 2


def test_threads_keep_file_order_and_isolation(
    tmp_path: Path, gsheet_backend_from_rows: GsheetFactory, emulator: Emulator
) -> None:
    sheets = [(f"s{i}", gsheet(gsheet_backend_from_rows, HEALTHY)) for i in range(6)]
    sheets.insert(3, ("missing", "gsheet:nope"))
    report = run(job_file(tmp_path, sheets), emulator, concurrency=4)
    assert [r.sheet for r in report.results] == [name for name, _ in sheets]
    assert [r.ok for r in report.results] == [True, True, True, False, True, True, True]
    assert batch_updates(emulator) == 6


def test_unexpected_failures_are_recorded(tmp_path: Path) -> None:
    write_xlsx(HEALTHY, tmp_path / "local.xlsx")
    path = job_file(
        tmp_path, [("google", "gsheet:abc"), ("broken", "gsheet:def"), ("local", "local.xlsx")]
    )

    def identity(credentials: Path | None, lang: Lang) -> Identity:
        raise BackendError("No Google credentials found.")

    calls: list[str] = []

    def session(_: Identity) -> requests.Session:
        calls.append("session")
        raise RuntimeError("boom")

    no_credentials = Services(identity=identity, today=lambda: AS_OF)
    report = run_job(path, RunOptions(), io.StringIO(), no_credentials)
    assert [(r.ok, r.error_kind) for r in report.results] == [
        (False, "backend"),
        (False, "backend"),
        (True, None),
    ]
    broken = Services(identity=lambda *_: ANONYMOUS, session=session, today=lambda: AS_OF)
    report = run_job(path, RunOptions(only=("broken",)), io.StringIO(), broken)
    assert [(r.error_kind, r.error) for r in report.results] == [
        ("unexpected", "RuntimeError: boom")
    ]
    assert calls == ["session"]


@pytest.mark.slow  # 200 syncs in-process: about 30 s
def test_200_sheets_under_a_60_per_minute_quota(
    tmp_path: Path, gsheet_backend_from_rows: GsheetFactory
) -> None:
    clock = FakeClock()
    emulator = Emulator(read_quota=60, write_quota=60, clock=clock)
    ids = [emulator.create(tabs=_as_typed(HEALTHY)) for _ in range(200)]
    path = job_file(tmp_path, [(f"group {i:03d}", f"gsheet:{sid}") for i, sid in enumerate(ids)])
    report = run_job(path, RunOptions(), io.StringIO(), services(emulator, clock))
    assert report.exit_code == 0
    # 2 reads and 1 write each.
    assert sum(r.requests for r in report.results) == 600
    assert [entry for entry in emulator.log if entry.status == 429] == []
    # 600 requests at the default 50 a minute: the run paced itself over 11+ minutes.
    assert clock.now >= 11 * 60
    assert report.waited > 0


def _as_typed(tabs: dict[str, list[list[Any]]]) -> dict[str, list[list[Any]]]:
    return {
        title: [[c.isoformat() if isinstance(c, dt.date) else c for c in row] for row in rows]
        for title, rows in tabs.items()
    }


# ------------------------------------------------------------------ command line


def test_cli_run_and_last_on_local_workbooks(tmp_path: Path) -> None:
    for name in ("a", "b"):
        write_xlsx(HEALTHY, tmp_path / f"{name}.xlsx")
    path = job_file(tmp_path, [("a", "a.xlsx"), ("b", "b.xlsx"), ("c", "c.xlsx")])
    log = tmp_path / "run.jsonl"
    runner = CliRunner()
    result = runner.invoke(cli, ["jobs", "run", str(path), "--log", str(log)])
    assert result.exit_code == 1, result.output
    assert "3 sheet(s): 2 ok, 1 failed" in result.output
    last = runner.invoke(cli, ["jobs", "last", str(log)])
    assert last.exit_code == 1
    assert "Last run of" in last.output
    assert "c.xlsx" in last.output  # the missing workbook's reason
    result = runner.invoke(cli, ["jobs", "run", str(path), "--log", str(log), "--only", "a"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(cli, ["jobs", "last", str(log)]).exit_code == 0
    assert (
        describe_last(log, environment_lang())[0].count("\n") == 3
    )  # title, header, one sheet, totals


@pytest.mark.parametrize(
    ("args", "text", "exit_code", "words"),
    [
        ([], "[defaults]\nstrict = 2\n", 3, "ligne 2"),
        ([], "[[sheets]]\nname = 'a'\n", 3, "n'a pas de « target »"),
        (["--only", "b"], "[[sheets]]\nname = 'a'\ntarget = 'a.xlsx'\n", 2, "nommée « b »"),
        (["--concurrency", "0"], "", 2, "--concurrency"),
    ],
)
def test_cli_refuses_before_running(  # noqa: PLR0917 - one per case column, and the runner
    tmp_path: Path,
    french_runner: CliRunner,
    args: list[str],
    text: str,
    exit_code: int,
    words: str,
) -> None:
    path = tmp_path / "nightly.toml"
    path.write_text(text, "utf-8")
    result = french_runner.invoke(cli, ["jobs", "run", str(path), *args])
    assert result.exit_code == exit_code, result.output
    assert words in result.output


def test_cli_second_run_says_who_holds_the_lock(tmp_path: Path) -> None:
    write_xlsx(HEALTHY, tmp_path / "a.xlsx")
    path = job_file(tmp_path, [("a", "a.xlsx")])
    with job_lock(path.absolute()) as lock:
        result = CliRunner().invoke(cli, ["jobs", "run", str(path)])
    assert result.exit_code == 4
    assert f"pid {lock.holder.pid}" in result.output
    assert "a.xlsx" not in result.output  # nothing ran


def test_cli_last_refuses_a_foreign_file(tmp_path: Path) -> None:
    log = tmp_path / "other.jsonl"
    log.write_text('{"x": 1}\n', "utf-8")
    result = CliRunner(env={"LANG": "", "LC_ALL": ""}).invoke(cli, ["jobs", "last", str(log)])
    assert result.exit_code == 3
    # No run read yet: the environment's language, French by default, in the whole line.
    assert result.output.startswith("Erreur : ")
    assert "ligne 1 : pas une ligne de journal d'exécution de sheetsync" in result.output


def test_run_after_a_crash_takes_the_lock_over(tmp_path: Path) -> None:
    write_xlsx(HEALTHY, tmp_path / "a.xlsx")
    path = job_file(tmp_path, [("a", "a.xlsx")])
    dead = '{"pid": 999999, "host": "h", "started": "2026-06-01T02:15:00+02:00"}'
    (tmp_path / "nightly.toml.lock").write_text(dead, "utf-8")
    stream = io.StringIO()
    report = run_job(path, RunOptions(), stream, Services(today=lambda: AS_OF))
    assert report.exit_code == 0
    assert report.lock.stale is not None
    assert stream.getvalue().startswith("Lock taken over: the previous run (pid 999999 on h")
    assert (tmp_path / "nightly.toml.lock").read_text("utf-8") == ""
