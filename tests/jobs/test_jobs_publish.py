"""A job file's `publish = "DIR"` (SPEC §13): each sheet's public page, made from the
books of its own sync, after the sync; a page that cannot be written fails that sheet only.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.display import environment_lang
from sheetsync.jobs.file import load_job_file
from sheetsync.jobs.runner import RunOptions, run_job
from sheetsync.report import publish
from tests.support import publish_cases as cases
from tests.support.golden import write_xlsx


def job(tmp_path: Path, sheets: list[tuple[str, str, str]]) -> Path:
    path = tmp_path / "nightly.toml"
    text = "[defaults]\nas_of = 2026-06-30\n"
    for name, target, folder in sheets:
        text += f'\n[[sheets]]\nname = "{name}"\ntarget = "{target}"\npublish = "{folder}"\n'
    path.write_text(text, "utf-8")
    return path


def test_the_page_is_published_after_the_sync_from_the_same_books(tmp_path: Path) -> None:
    write_xlsx(cases.inputs("fr"), tmp_path / "a.xlsx")
    path = job(tmp_path, [("a", "a.xlsx", "site/a")])
    assert load_job_file(path, environment_lang()).sheets[0].publish == tmp_path / "site" / "a"
    report = run_job(path, RunOptions(), io.StringIO())
    assert [r.ok for r in report.results] == [True]
    page = tmp_path / "site" / "a" / "index.html"
    data = json.loads((tmp_path / "site" / "a" / "budget.json").read_text("utf-8"))
    assert data["period"]["as_of"] == "2026-06-30"
    alone = publish.publish(XlsxBackend(tmp_path / "a.xlsx", "fr"), cases.AS_OF)
    assert page.read_bytes() == alone.html  # the synced sheet publishes the same page
    # A second night with nothing changed writes nothing and keeps the same bytes.
    before = page.stat().st_mtime_ns
    again = run_job(path, RunOptions(), io.StringIO())
    assert [r.ok for r in again.results] == [True]
    assert page.stat().st_mtime_ns == before


def test_a_page_that_cannot_be_written_fails_that_sheet_only(tmp_path: Path) -> None:
    write_xlsx(cases.inputs("fr"), tmp_path / "a.xlsx")
    write_xlsx(cases.inputs("en"), tmp_path / "b.xlsx")
    (tmp_path / "taken").write_text("a file where the folder should be", "utf-8")
    path = job(tmp_path, [("a", "a.xlsx", "taken"), ("b", "b.xlsx", "site/b")])
    report = run_job(path, RunOptions(), io.StringIO())
    failed, fine = report.results
    assert (failed.ok, failed.error_kind, failed.outcome) == (False, "publish", "written")
    assert "taken" in (failed.error or "")
    assert fine.ok
    assert (tmp_path / "site" / "b" / "index.html").is_file()
    assert report.exit_code == 1


def test_a_dry_run_publishes_nothing(tmp_path: Path) -> None:
    write_xlsx(cases.inputs("fr"), tmp_path / "a.xlsx")
    path = job(tmp_path, [("a", "a.xlsx", "site")])
    report = run_job(path, RunOptions(dry_run=True), io.StringIO())
    assert [r.ok for r in report.results] == [True]
    assert not (tmp_path / "site").exists()
