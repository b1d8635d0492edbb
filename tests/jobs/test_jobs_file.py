"""Job files: defaults, per-sheet overrides, and mistakes named by line and key."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from sheetsync.backends.gsheets.ratelimit import DEFAULT_PER_MINUTE
from sheetsync.display import environment_lang
from sheetsync.errors import JobFileError, UnknownSheetError
from sheetsync.jobs.file import Lines, load_job_file
from tests.support.paths import ROOT

# A job file is read before any sheet: in the environment's language, English here
# (the French wording is checked by test_job_file_errors_are_french_by_default).
pytestmark = pytest.mark.usefixtures("english")

EXAMPLE = ROOT / "jobs" / "nightly.example.toml"
GOOD = """\
[defaults]
as_of = "yesterday"
strict = false
timeout = 30
requests_per_minute = 40
language = "en"
log = "logs/nightly.jsonl"

[[sheets]]
name = "GT Com"
target = "https://docs.google.com/spreadsheets/d/1AbC-d_9/edit#gid=0"
strict = true

[[sheets]]
name = "Local"
target = "books/local.xlsx"
as_of = 2026-06-30
attempts = 2
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "nightly.toml"
    path.write_text(text, "utf-8")
    return path


def test_defaults_and_overrides(tmp_path: Path) -> None:
    job = load_job_file(write(tmp_path, GOOD), environment_lang())
    com, local = job.sheets
    assert (job.language, job.requests_per_minute, job.concurrency) == ("en", 40, 1)
    assert job.log == tmp_path / "logs" / "nightly.jsonl"
    assert (com.strict, local.strict) == (True, False)
    assert com.as_of_date(dt.date(2026, 3, 1)) == dt.date(2026, 2, 28)
    assert local.as_of_date(dt.date(2026, 3, 1)) == dt.date(2026, 6, 30)
    assert com.target.startswith("https://docs.google.com/")
    assert local.target == str(tmp_path / "books" / "local.xlsx")  # beside the job file
    assert (com.policy.attempts, local.policy.attempts) == (6, 2)
    assert com.policy.timeout == (10.0, 30.0)


def test_minimal_file_takes_every_default(tmp_path: Path) -> None:
    job = load_job_file(
        write(tmp_path, '[[sheets]]\nname = "A"\ntarget = "gsheet:abc"\n'), environment_lang()
    )
    (sheet,) = job.sheets
    assert (job.language, job.requests_per_minute, job.log) == ("fr", DEFAULT_PER_MINUTE, None)
    assert DEFAULT_PER_MINUTE < 60
    assert (sheet.as_of, sheet.strict, sheet.credentials) == ("today", False, None)
    assert sheet.as_of_date(dt.date(2026, 5, 4)) == dt.date(2026, 5, 4)


SHEET = '[[sheets]]\nname = "A"\ntarget = "gsheet:abc"\n'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[defaults]\nstrict = 1\n" + SHEET, ["line 2", "[defaults] strict must be true or false"]),
        ("[defaults]\nstrct = true\n" + SHEET, ["line 2", "'strct'", "did you mean 'strict'"]),
        ('[defaults]\nlanguage = "de"\n' + SHEET, ["line 2", '"fr" or "en"']),
        ('[defaults]\nas_of = "soon"\n' + SHEET, ["line 2", "as_of", '"yesterday"']),
        ("[defaults]\nrequests_per_minute = 0\n" + SHEET, ["line 2", "at least 1"]),
        ("[defaults]\nconcurrency = 99\n" + SHEET, ["line 2", "at most 32"]),
        ("[defaults]\ntimeout = true\n" + SHEET, ["line 2", "number of seconds"]),
        ('[defaults]\ncredentials = "nokey.json"\n' + SHEET, ["line 2", "nokey.json not found"]),
        ("[defaults]\n", ["line 1", "no spreadsheet listed"]),
        (SHEET + "strict = 'no'\n", ["line 4", "strict of sheet #1 must be true or false"]),
        (SHEET + SHEET + "timout = 3\n", ["line 7", "did you mean 'timeout'"]),
        (SHEET + "requests_per_minute = 9\n", ["line 4", "whole run", "[defaults]"]),
        (SHEET + '[[sheets]]\nname = "B"\n', ["line 4", "sheet #2 has no 'target'"]),
        (SHEET + '[[sheets]]\ntarget = "x.xlsx"\n', ["line 4", "sheet #2 has no 'name'"]),
        (SHEET + SHEET, ["line 5", "'A' is used twice"]),
        ('[[sheets]]\nname = "A"\ntarget = "budget.ods"\n', ["line 3", "budget.ods"]),
        ('[[sheets]]\nname = ""\ntarget = "a.xlsx"\n', ["line 2", "name of sheet #1"]),
        ("[default]\n" + SHEET, ["line 1", "unknown table or key 'default'"]),
        ("sheets = 3\n", ["line 1", "no spreadsheet listed"]),
        ("[defaults\n", ["not valid TOML", "line 1"]),
    ],
)
def test_mistakes_name_line_and_key(tmp_path: Path, text: str, expected: list[str]) -> None:
    path = write(tmp_path, text)
    with pytest.raises(JobFileError) as caught:
        load_job_file(path, environment_lang())
    message = str(caught.value)
    assert str(path) in message
    for words in expected:
        assert words in message


def test_unreadable_file_is_a_job_file_error(tmp_path: Path) -> None:
    with pytest.raises(JobFileError, match="Cannot read the job file"):
        load_job_file(tmp_path / "absent.toml", environment_lang())


def test_credentials_are_relative_to_the_job_file(tmp_path: Path) -> None:
    (tmp_path / "key.json").write_text("{}", "utf-8")
    text = '[defaults]\ncredentials = "key.json"\n' + SHEET
    (sheet,) = load_job_file(write(tmp_path, text), environment_lang()).sheets
    assert sheet.credentials == tmp_path / "key.json"


@pytest.mark.parametrize(
    ("only", "expected"),
    [
        ((), ["GT Com", "Local"]),
        (("local",), ["Local"]),
        (("Local", "gt  com"), ["GT Com", "Local"]),
    ],
)
def test_select_only(tmp_path: Path, only: tuple[str, ...], expected: list[str]) -> None:
    job = load_job_file(write(tmp_path, GOOD), environment_lang())
    assert [s.name for s in job.select(only)] == expected


def test_select_unknown_suggests_the_closest(tmp_path: Path) -> None:
    job = load_job_file(write(tmp_path, GOOD), environment_lang())
    with pytest.raises(UnknownSheetError, match="did you mean 'GT Com'"):
        job.select(("GT Comm",))


@pytest.mark.parametrize(
    ("table", "index", "key", "expected"),
    [
        ("defaults", 0, "as_of", 2),
        ("sheets", 0, "", 9),
        ("sheets", 1, "as_of", 17),
        ("sheets", 1, "absent", 14),  # an unplaced key points at its table
    ],
)
def test_lines_place_keys(table: str, index: int, key: str, expected: int) -> None:
    assert Lines(GOOD).of(table, index, key) == expected


def test_example_job_file_is_valid(tmp_path: Path) -> None:
    copy = tmp_path / EXAMPLE.name
    shutil.copy(EXAMPLE, copy)
    (tmp_path / "service-account.json").write_text("{}", "utf-8")
    job = load_job_file(copy, environment_lang())
    assert len(job.sheets) >= 3
    assert any(s.strict for s in job.sheets)
    assert any(s.target.endswith(".xlsx") for s in job.sheets)


def test_job_file_errors_are_french_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LC_ALL")
    monkeypatch.delenv("LANG", raising=False)
    path = tmp_path / "nightly.toml"
    path.write_text("[defaults]\nstrct = true\n" + SHEET, "utf-8")
    with pytest.raises(JobFileError) as caught:
        load_job_file(path, environment_lang())
    assert "ligne 2 : clé inconnue « strct » dans [defaults]" in str(caught.value)
    assert "vouliez-vous dire « strict » ?" in str(caught.value)
