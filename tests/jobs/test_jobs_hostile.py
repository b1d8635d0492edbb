"""Hostile machines: a run log or a job folder that cannot be written, checked before any sync.

The tests run as root here, where permission bits are not enforced: they point the
log at a path below a regular file or at a folder, and make the lock file a folder,
which refuse root as well. The chmod test runs only for an ordinary user.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from sheetsync.cli.main import cli
from sheetsync.errors import LockFileError, RunLogError
from sheetsync.jobs.runner import RunOptions, Services, run_job
from tests.support.golden import write_xlsx
from tests.support.jobs import AS_OF, HEALTHY, job_file


def workbooks(tmp_path: Path) -> tuple[Path, bytes]:
    """A job of one local workbook, and the workbook's bytes before any run."""
    write_xlsx(HEALTHY, tmp_path / "a.xlsx")
    path = job_file(tmp_path, [("a", "a.xlsx")])
    return path, (tmp_path / "a.xlsx").read_bytes()


def refused(tmp_path: Path, args: list[str], exit_code: int, words: str) -> str:
    path, before = workbooks(tmp_path)
    result = CliRunner().invoke(cli, ["jobs", "run", str(path), *args])
    assert result.exit_code == exit_code, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert words in result.output
    assert "Nothing was synced" in result.output
    assert (tmp_path / "a.xlsx").read_bytes() == before  # nothing was written
    return result.output


def test_log_below_a_regular_file_is_refused_before_syncing(tmp_path: Path) -> None:
    (tmp_path / "logs").write_text("a file, not a folder", "utf-8")
    refused(
        tmp_path, ["--log", str(tmp_path / "logs" / "run.jsonl")], 3, "Cannot write the run log"
    )


def test_log_that_is_a_folder_is_refused_before_syncing(tmp_path: Path) -> None:
    (tmp_path / "run.jsonl").mkdir()
    write_xlsx(HEALTHY, tmp_path / "a.xlsx")
    before = (tmp_path / "a.xlsx").read_bytes()
    path = job_file(tmp_path, [("a", "a.xlsx")], 'log = "run.jsonl"')  # --log has click check it
    result = CliRunner().invoke(cli, ["jobs", "run", str(path)])
    assert result.exit_code == 3, result.output
    assert "Cannot write the run log" in result.output
    assert "Traceback" not in result.output
    assert (tmp_path / "a.xlsx").read_bytes() == before


def test_log_of_the_job_file_is_checked_too(tmp_path: Path) -> None:
    (tmp_path / "logs").write_text("", "utf-8")
    write_xlsx(HEALTHY, tmp_path / "a.xlsx")
    path = job_file(tmp_path, [("a", "a.xlsx")], 'log = "logs/run.jsonl"')
    path.write_text(path.read_text("utf-8").replace('language = "en"', 'language = "fr"'), "utf-8")
    with pytest.raises(RunLogError, match="Impossible d'écrire le journal"):
        run_job(path, RunOptions(), io.StringIO(), Services(today=lambda: AS_OF))


def test_missing_log_folders_are_created_and_no_empty_log_is_left(tmp_path: Path) -> None:
    path, _ = workbooks(tmp_path)
    log = tmp_path / "new" / "run.jsonl"
    (tmp_path / "nightly.toml.lock").mkdir()  # the run stops at the lock, after the log check
    with pytest.raises(LockFileError):
        run_job(path, RunOptions(log=log), io.StringIO(), Services(today=lambda: AS_OF))
    assert log.parent.is_dir()
    assert not log.exists()


def test_unwritable_lock_file_is_refused_before_syncing(tmp_path: Path) -> None:
    (tmp_path / "nightly.toml.lock").mkdir()
    # A lock file that cannot be written exits 4 (SPEC §7), as a workbook's lock does.
    output = refused(tmp_path, [], 4, "Cannot write the lock file")
    assert "nightly.toml.lock" in output


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders anyway")
def test_read_only_job_folder_is_refused_before_syncing(tmp_path: Path) -> None:
    path, before = workbooks(tmp_path)
    tmp_path.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        assert not tmp_path.stat().st_mode & stat.S_IWUSR  # mode bits, not os.access
        result = CliRunner().invoke(cli, ["jobs", "run", str(path)])
    finally:
        tmp_path.chmod(stat.S_IRWXU)
    assert result.exit_code == 4, result.output
    assert "Cannot write the lock file" in result.output
    assert (tmp_path / "a.xlsx").read_bytes() == before


def test_log_failing_mid_run_is_reported_not_raised(tmp_path: Path) -> None:
    for name in ("a", "b"):
        write_xlsx(HEALTHY, tmp_path / f"{name}.xlsx")
    path = job_file(tmp_path, [("a", "a.xlsx"), ("b", "b.xlsx")])
    log = tmp_path / "run.jsonl"

    def today() -> dt.date:
        # Called once when the run starts, after the log was checked: the log turns into a folder.
        log.unlink(missing_ok=True)
        log.mkdir()
        return AS_OF

    report = run_job(path, RunOptions(log=log), io.StringIO(), Services(today=today))
    assert [r.ok for r in report.results] == [True, True]
    assert report.exit_code == 3
    assert "could no longer be written" in report.summary()
