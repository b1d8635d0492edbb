"""`jobs run --shard K/N`: N runners share a job's sheets, each exactly once, stable when
sheets are added; `jobs last` reads their logs together; and every line a job prints,
its refusals included, is in the job's language whatever the environment's."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sheetsync.cli.main import cli
from sheetsync.errors import ShardError
from sheetsync.jobs.lock import job_lock, lock_path
from sheetsync.jobs.shard import Shard, parse_shard, share_of
from tests.support.golden import write_xlsx
from tests.support.jobs import HEALTHY, job_file

NAMES = [f"GT {n}" for n in range(1, 41)]
FRENCH_ENV = {"LANG": "", "LC_ALL": ""}  # no language asked: French (SPEC §10)
ENGLISH_ENV = {"LANG": "", "LC_ALL": "en_US.UTF-8"}


@pytest.mark.parametrize("count", [1, 2, 3, 5, 8])
def test_every_sheet_is_in_exactly_one_share(count: int) -> None:
    shares = [[n for n in NAMES if Shard(k, count).holds(n)] for k in range(1, count + 1)]
    assert sorted(n for share in shares for n in share) == sorted(NAMES)
    if count > 1:
        assert all(len(share) < len(NAMES) for share in shares)  # spread, not all in one


def test_adding_sheets_moves_no_other() -> None:
    before = {name: share_of(name, 4) for name in NAMES}
    more = [*NAMES, *(f"Nouveau {n}" for n in range(20))]
    assert {name: share_of(name, 4) for name in more if name in before} == before


def test_a_share_is_the_same_on_every_machine() -> None:
    # sha256 of the name as names are matched: not Python's hash(), which changes per process.
    assert [share_of(n, 3) for n in ("GT Communication", "gt  communication", "Site")] == [
        share_of("GT Communication", 3)
    ] * 2 + [share_of("Site", 3)]
    code = "from sheetsync.jobs.shard import share_of; print(share_of('GT Communication', 7))"
    for seed in ("1", "2"):
        other = subprocess.run(
            [sys.executable, "-c", code],
            env={"PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        )
        assert int(other.stdout) == share_of("GT Communication", 7) == 5


@pytest.mark.parametrize(("text", "expected"), [("1/3", Shard(1, 3)), (" 3 / 3 ", Shard(3, 3))])
def test_a_share_is_read(text: str, expected: Shard) -> None:
    assert parse_shard(text, "en") == expected


@pytest.mark.parametrize("text", ["0/3", "4/3", "3", "1/0", "a/b", "-1/3", "1/3/5", ""])
def test_anything_else_is_a_usage_error(text: str) -> None:
    with pytest.raises(ShardError) as refused:
        parse_shard(text, "fr")
    assert refused.value.exit_code == 2
    assert "1 ≤ K ≤ N" in str(refused.value)
    assert refused.value.lang == "fr"


def workbooks(tmp_path: Path, count: int) -> Path:
    names = [f"book{n}" for n in range(1, count + 1)]
    for name in names:
        write_xlsx(HEALTHY, tmp_path / f"{name}.xlsx")
    return job_file(tmp_path, [(name, f"{name}.xlsx") for name in names])


def log_lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def test_three_runners_write_every_sheet_once_and_jobs_last_reads_them_together(
    tmp_path: Path,
) -> None:
    job = workbooks(tmp_path, 9)
    runner = CliRunner(env=ENGLISH_ENV)
    logs = tmp_path / "logs"
    for k in (1, 2, 3):
        log = logs / f"nightly-{k}.jsonl"
        result = runner.invoke(
            cli, ["jobs", "run", str(job), "--shard", f"{k}/3", "--log", str(log)]
        )
        assert result.exit_code == 0, result.output
    lines = {k: log_lines(logs / f"nightly-{k}.jsonl") for k in (1, 2, 3)}
    written = [str(line["sheet"]) for k in lines for line in lines[k] if "sheet" in line]
    assert sorted(written) == sorted(f"book{n}" for n in range(1, 10))  # each exactly once
    for k, share in lines.items():
        assert share[0]["event"] == "start"
        assert share[0]["shard"] == f"{k}/3"
        assert share[0]["sheets"] == len(share) - 2  # its own share only
        assert all(Shard(k, 3).holds(str(line["sheet"])) for line in share[1:-1])

    files = [str(logs / f"nightly-{k}.jsonl") for k in (1, 2, 3)]
    for given in (files, [str(logs)]):
        last = runner.invoke(cli, ["jobs", "last", *given])
        assert last.exit_code == 0, last.output
        assert last.output.startswith("Last runs of ")
        assert "in 3 shares:" in last.output
        assert all(f"- share {k}/3, started " in last.output for k in (1, 2, 3))
        assert all(f"book{n} " in last.output for n in range(1, 10))
        assert "9 sheet(s): 9 ok, 0 failed" in last.output

    (logs / "nightly-3.jsonl").unlink()  # runner 3 never ran tonight
    last = runner.invoke(cli, ["jobs", "last", str(logs)])
    assert last.exit_code == 1
    assert "No run recorded for share(s) 3/3: their sheets were not synced." in last.output


def test_jobs_last_keeps_the_latest_run_of_each_share(tmp_path: Path) -> None:
    job = workbooks(tmp_path, 4)
    (tmp_path / "book1.xlsx").unlink()  # its share fails this time
    failing = next(k for k in (1, 2) if Shard(k, 2).holds("book1"))
    runner = CliRunner(env=ENGLISH_ENV)
    log = tmp_path / "all.jsonl"  # one log for both shares, on a shared volume
    for k in (1, 2):
        runner.invoke(cli, ["jobs", "run", str(job), "--shard", f"{k}/2", "--log", str(log)])
    last = runner.invoke(cli, ["jobs", "last", str(log)])
    assert last.exit_code == 1
    assert "4 sheet(s): 3 ok, 1 failed" in last.output
    write_xlsx(HEALTHY, tmp_path / "book1.xlsx")
    again = runner.invoke(
        cli, ["jobs", "run", str(job), "--shard", f"{failing}/2", "--log", str(log)]
    )
    assert again.exit_code == 0, again.output
    last = runner.invoke(cli, ["jobs", "last", str(log)])
    assert last.exit_code == 0, last.output
    assert "4 sheet(s): 4 ok, 0 failed" in last.output  # the rerun replaced that share's run


def test_a_bad_shard_is_refused_in_the_jobs_language(tmp_path: Path) -> None:
    job = workbooks(tmp_path, 1)  # an English job
    result = CliRunner(env=FRENCH_ENV).invoke(cli, ["jobs", "run", str(job), "--shard", "4/3"])
    assert result.exit_code == 2
    assert "Error: Invalid value for --shard: '4/3' is not a share K/N" in result.output
    assert "Usage:" in result.output
    assert "Erreur" not in result.output
    assert "Utilisation" not in result.output
    assert not (tmp_path / "nightly.toml.lock").exists()  # refused before anything ran


def test_shares_run_side_by_side_each_under_its_own_lock(tmp_path: Path) -> None:
    job = workbooks(tmp_path, 3)
    assert lock_path(job, Shard(2, 3)).name == "nightly.toml.2-of-3.lock"
    with job_lock(job.absolute(), "en", Shard(1, 3)):
        result = CliRunner(env=ENGLISH_ENV).invoke(cli, ["jobs", "run", str(job), "--shard", "2/3"])
        assert result.exit_code == 0, result.output
        again = CliRunner(env=ENGLISH_ENV).invoke(cli, ["jobs", "run", str(job), "--shard", "1/3"])
    assert again.exit_code == 4
    assert "nightly.toml.1-of-3.lock" in again.output
