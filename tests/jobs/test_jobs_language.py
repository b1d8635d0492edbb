"""Every line a nightly job prints is in the job's language, whatever the environment's:
the lock's refusal (and click's "Error:" before it), a job file's mistake once the file
says its language, the progress lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sheetsync.cli.main import cli
from sheetsync.jobs.lock import job_lock
from tests.support.golden import write_xlsx
from tests.support.jobs import HEALTHY, job_file

FRENCH_ENV = {"LANG": "", "LC_ALL": ""}  # no language asked: French (SPEC §10)
ENGLISH_ENV = {"LANG": "", "LC_ALL": "en_US.UTF-8"}


def one_book(tmp_path: Path, language: str) -> Path:
    write_xlsx(HEALTHY, tmp_path / "book1.xlsx")
    job = job_file(tmp_path, [("book1", "book1.xlsx")])
    job.write_text(job.read_text("utf-8").replace('"en"', f'"{language}"'), "utf-8")
    return job


@pytest.mark.parametrize(
    ("language", "env", "said", "other"),
    [
        ("en", FRENCH_ENV, "Error: Another run of this job is in progress", "Erreur"),
        ("fr", ENGLISH_ENV, "Erreur : Une autre exécution de ce job est en cours", "Error"),
    ],
)
def test_the_lock_refusal_is_in_the_jobs_language(
    tmp_path: Path, language: str, env: dict[str, str], said: str, other: str
) -> None:
    job = one_book(tmp_path, language)
    with job_lock(job.absolute()):
        result = CliRunner(env=env).invoke(cli, ["jobs", "run", str(job)])
    assert result.exit_code == 4
    assert result.output.startswith(said)
    assert other not in result.output


def test_a_job_file_mistake_is_told_in_the_language_it_declares(tmp_path: Path) -> None:
    job = tmp_path / "nightly.toml"
    job.write_text('[defaults]\nlanguage = "en"\nstrct = true\n', "utf-8")
    result = CliRunner(env=FRENCH_ENV).invoke(cli, ["jobs", "run", str(job)])
    assert result.exit_code == 3
    assert result.output.startswith("Error: ")
    assert "line 3: unknown key 'strct' in [defaults] (did you mean 'strict'?)" in result.output
    assert "ligne" not in result.output


def test_french_progress_lines_keep_french_spacing(tmp_path: Path) -> None:
    job = one_book(tmp_path, "fr")
    result = CliRunner(env=ENGLISH_ENV).invoke(cli, ["jobs", "run", str(job)])
    assert result.exit_code == 0, result.output
    assert "book1 : ok, écrit (0 requêtes" in result.output
    assert "book1 : début" in result.output
