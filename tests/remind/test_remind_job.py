"""A job file's `remind = true`: the sheet is synced and its reminders sent in one run,
and a mail server down fails that sheet (backend) without marking anything sent."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from sheetsync.cli.main import cli
from tests.support.remind import env, french, reminded
from tests.support.smtp import Inbox, free_port

JOB = """[defaults]
as_of = "2026-06-30"
language = "en"

[[sheets]]
name = "reminded"
target = "budget.xlsx"
remind = true
"""


def run(tmp_path: Path, port: int) -> tuple[int, list[dict[str, object]]]:
    french(tmp_path)
    job = tmp_path / "nightly.toml"
    job.write_text(JOB, "utf-8")
    log = tmp_path / "run.jsonl"
    result = CliRunner().invoke(cli, ["jobs", "run", str(job), "--log", str(log)], env=env(port))
    lines = [json.loads(line) for line in log.read_text("utf-8").splitlines()]
    return result.exit_code, [line for line in lines if "sheet" in line and "outcome" in line]


def test_a_job_syncs_and_reminds(tmp_path: Path, server: tuple[Inbox, int]) -> None:
    inbox, port = server
    exit_code, sheets = run(tmp_path, port)
    assert exit_code == 0
    assert sheets[0]["outcome"] == "written"
    assert {to for tos, _ in inbox.messages for to in tos} == {
        "cy@example.org",
        "ana@example.org",
        "bo@example.org",
    }
    assert ("person", "cy") in reminded(tmp_path / "budget.xlsx")


def test_a_job_with_the_mail_server_down_fails_the_sheet(tmp_path: Path) -> None:
    exit_code, sheets = run(tmp_path, free_port())
    assert exit_code == 1
    assert sheets[0]["error_kind"] == "backend"
    assert reminded(tmp_path / "budget.xlsx") == set()
