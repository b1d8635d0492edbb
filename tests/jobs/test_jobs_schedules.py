"""The ready-to-use schedules in jobs/ and the jobs documentation stay true to the code."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import pytest

from sheetsync.jobs.keys import OWN_KEYS, RUN_KEYS, SHEET_KEYS

ROOT = Path(__file__).parent.parent.parent
JOBS = ROOT / "jobs"
DOC = (ROOT / "docs" / "JOBS.md").read_text("utf-8")
EXAMPLE = (JOBS / "nightly.example.toml").read_text("utf-8")
KEYS = [*SHEET_KEYS, *RUN_KEYS, *OWN_KEYS]


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # systemd keys keep their case
    parser.read_string((JOBS / name).read_text("utf-8"))
    return parser


def test_crontab_line() -> None:
    text = (JOBS / "sheetsync.cron").read_text("utf-8")
    entries = [
        line
        for line in text.splitlines()
        if line.strip() and not line.startswith("#") and not re.match(r"^\w+=", line)
    ]
    assert len(entries) == 1
    fields = entries[0].split(maxsplit=5)
    assert all(re.fullmatch(r"[\d*/,-]+", f) for f in fields[:5])
    assert "sheetsync jobs run" in fields[5]
    assert "--log" in fields[5]


def test_systemd_service_and_timer_pair() -> None:
    service, timer = unit("sheetsync-nightly.service"), unit("sheetsync-nightly.timer")
    assert service["Service"]["Type"] == "oneshot"
    assert " jobs run " in service["Service"]["ExecStart"]
    assert service["Service"]["User"] != "root"
    # A timer starts the service of its own name.
    assert "Unit" not in timer["Timer"]
    assert timer["Timer"]["OnCalendar"]
    assert timer["Install"]["WantedBy"] == "timers.target"


def test_github_workflow_takes_credentials_from_a_secret() -> None:
    text = (JOBS / "github-actions-nightly.yml").read_text("utf-8")
    assert re.search(r'^\s+- cron: "[\d*/,\- ]+"', text, re.M)
    assert "${{ secrets.SHEETSYNC_SERVICE_ACCOUNT_KEY }}" in text
    assert "GOOGLE_APPLICATION_CREDENTIALS" in text
    assert "sheetsync jobs run" in text
    assert "\t" not in text  # YAML forbids tabs for indentation


@pytest.mark.parametrize("key", KEYS)
def test_every_job_key_is_documented(key: str) -> None:
    assert f"`{key}`" in DOC
    assert re.search(rf"^#?\s*{key} =", EXAMPLE, re.M), key


@pytest.mark.parametrize(
    "name",
    [
        "sheetsync.cron",
        "sheetsync-nightly.service",
        "sheetsync-nightly.timer",
        "github-actions-nightly.yml",
        "nightly.example.toml",
    ],
)
def test_every_schedule_is_documented(name: str) -> None:
    assert (JOBS / name).is_file()
    assert name in DOC
