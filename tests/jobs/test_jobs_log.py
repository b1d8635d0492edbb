"""The run log (one JSON line per sheet), `jobs last`'s reading of it, and progress output."""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from sheetsync.display import environment_lang
from sheetsync.errors import RunLogError
from sheetsync.jobs.last import describe_last
from sheetsync.jobs.log import (
    END,
    FAILED,
    START,
    UNCHANGED,
    WRITTEN,
    RunLog,
    RunMark,
    SheetResult,
    last_run,
    read_last,
    summary_table,
)
from sheetsync.jobs.progress import PlainProgress, TerminalProgress, make_progress

OK = SheetResult(
    run="20260601T020000-11",
    job="/jobs/nightly.toml",
    sheet="GT Com",
    target="gsheet:abc",
    language="en",
    start="2026-06-01T02:00:00+02:00",
    end="2026-06-01T02:00:02+02:00",
    duration_s=1.5,
    requests=3,
    rows_read=42,
    anomalies={"error": 1, "warning": 2, "info": 0},
    outcome=WRITTEN,
    changed_tabs=("Group summary",),
)
BAD = replace(
    OK,
    sheet="GT Lieux",
    requests=1,
    rows_read=0,
    anomalies={},
    outcome=FAILED,
    changed_tabs=(),
    error="Spreadsheet gsheet:x not found.",
    error_kind="backend",
)


def test_a_line_holds_every_field_and_reads_back() -> None:
    line = OK.to_json()
    record = json.loads(line)
    assert "\n" not in line
    for key in ("start", "end", "duration_s", "requests", "rows_read", "anomalies", "error"):
        assert key in record
    assert (record["ok"], record["outcome"], record["error"]) == (True, "written", None)
    assert SheetResult.from_json(line) == OK


def test_last_run_is_the_run_of_the_last_line(tmp_path: Path) -> None:
    path = tmp_path / "logs" / "nightly.jsonl"
    log = RunLog(path)
    earlier = replace(OK, run="20260531T020000-10")
    for result in (earlier, replace(BAD, run=earlier.run), OK, BAD):
        log.append(result)
    assert len(path.read_text("utf-8").splitlines()) == 4
    assert last_run(path, environment_lang()) == [OK, BAD]


def test_no_log_path_writes_nothing(tmp_path: Path) -> None:
    RunLog(None).append(OK)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", []), ("\n\n", [])],
)
def test_empty_log_has_no_last_run(tmp_path: Path, text: str, expected: list[object]) -> None:
    path = tmp_path / "run.jsonl"
    path.write_text(text, "utf-8")
    assert last_run(path, environment_lang()) == expected


@pytest.mark.usefixtures("english")  # read before any run: the environment's language
@pytest.mark.parametrize("bad", ["{not json", '{"sheet": "x"}', "[1]", "3"])
def test_a_foreign_line_is_named(tmp_path: Path, bad: str) -> None:
    path = tmp_path / "run.jsonl"
    path.write_text(OK.to_json() + "\n" + bad + "\n", "utf-8")
    with pytest.raises(RunLogError, match="line 2"):
        last_run(path, environment_lang())


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["Sheet", "Status", "GT Com", "written", "FAILED", "not found", "1 failed"]),
        ("fr", ["Feuille", "État", "écrit", "ÉCHEC", "1 en échec", "4 requêtes"]),
    ],
)
def test_summary_table(lang: str, expected: list[str]) -> None:
    text = summary_table([OK, BAD], lang)  # type: ignore[arg-type]
    for words in expected:
        assert words in text
    lines = text.splitlines()
    assert len(lines) == 4  # header, two sheets, totals
    assert lines[1].index("ok") == lines[2].index("FAILED" if lang == "en" else "ÉCHEC")


def test_plain_progress_is_timestamped_lines() -> None:
    stream = io.StringIO()
    progress = PlainProgress(stream, 2, "en", now=lambda: dt.datetime(2026, 6, 1, 2, 0, 5))
    progress.started("GT Com")
    progress.finished(OK)
    progress.started("GT Lieux")
    progress.finished(replace(BAD, outcome=FAILED))
    progress.close()
    assert stream.getvalue().splitlines() == [
        "2026-06-01 02:00:05 [1/2] GT Com: start",
        "2026-06-01 02:00:05 [1/2] GT Com: ok, written (3 requests, 1.5 s)",
        "2026-06-01 02:00:05 [2/2] GT Lieux: start",
        "2026-06-01 02:00:05 [2/2] GT Lieux: FAILED: Spreadsheet gsheet:x not found.",
    ]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_terminal_progress_redraws_one_bar() -> None:
    stream = Terminal()
    progress = make_progress(stream, 2, "en")
    assert isinstance(progress, TerminalProgress)
    progress.started("GT Com")
    assert stream.getvalue().endswith("0/2  GT Com")
    progress.finished(replace(OK, outcome=UNCHANGED))
    progress.started("GT Lieux")
    progress.finished(BAD)
    progress.close()
    output = stream.getvalue()
    assert "\n" in output  # the failure stays visible above the bar
    assert "GT Lieux: FAILED: Spreadsheet gsheet:x not found." in output
    assert "█" * 24 + "] 2/2" in output
    assert output.endswith("\r\x1b[K")


def test_not_a_terminal_gets_plain_lines() -> None:
    assert isinstance(make_progress(io.StringIO(), 1, "fr"), PlainProgress)


def test_a_reason_of_several_lines_stays_on_its_row() -> None:
    several = replace(BAD, error="Tab Groupes: no column Groupe.\n  Tab Contributions: no Date.\n")
    text = summary_table([OK, several], "en")
    assert len(text.splitlines()) == 4
    assert "no column Groupe. / Tab Contributions: no Date." in text


# ------------------------------------------------------------------ start and end lines


def mark(event: str, sheets: int, failed: int = 0, run: str = OK.run) -> str:
    time = OK.start if event == START else OK.end
    return RunMark(event, run, OK.job, OK.language, time, sheets, failed).to_json()


def write_log(path: Path, *lines: str) -> Path:
    path.write_text("".join(line + "\n" for line in lines), "utf-8")
    return path


def test_a_complete_run_reads_back_with_its_marks(tmp_path: Path) -> None:
    path = write_log(
        tmp_path / "run.jsonl", mark(START, 2), OK.to_json(), BAD.to_json(), mark(END, 2, 1)
    )
    last = read_last(path, environment_lang())
    assert (last.results, last.complete) == ([OK, BAD], True)
    assert last.start is not None
    assert last.start.sheets == 2
    text, exit_code = describe_last(path, environment_lang())
    assert (exit_code, "ncomplete" in text) == (1, False)  # one sheet failed, the run ended
    path = write_log(path, mark(START, 1), OK.to_json(), mark(END, 1))
    assert describe_last(path, environment_lang())[1] == 0


@pytest.mark.parametrize(("lang", "word"), [("en", "Incomplete run"), ("fr", "incomplète")])
def test_a_run_without_its_end_line_is_incomplete(tmp_path: Path, lang: str, word: str) -> None:
    earlier = "20260531T020000-10"
    ok = replace(OK, language=lang)
    start = RunMark(START, OK.run, OK.job, lang, OK.start, 3).to_json()
    path = write_log(
        tmp_path / "run.jsonl",
        mark(START, 1, run=earlier),
        replace(OK, run=earlier).to_json(),
        mark(END, 1, run=earlier),
        start,
        ok.to_json(),  # then killed: no end line
    )
    text, exit_code = describe_last(path, environment_lang())
    assert exit_code == 1
    assert word in text
    assert {"en": "1 of 3", "fr": "1 feuille(s) sur 3"}[lang] in text.splitlines()[-1]
    assert "GT Com" in text  # the sheets it finished are shown


def test_a_run_killed_before_any_sheet_ended_is_incomplete(tmp_path: Path) -> None:
    path = write_log(tmp_path / "run.jsonl", mark(START, 4))
    text, exit_code = describe_last(path, environment_lang())
    assert exit_code == 1
    assert "Incomplete run" in text
    assert "0 of 4" in text


def test_a_log_older_than_the_marks_reads_as_before(tmp_path: Path) -> None:
    path = write_log(tmp_path / "run.jsonl", OK.to_json())
    text, exit_code = describe_last(path, environment_lang())
    assert (exit_code, "ncomplete" in text) == (0, False)


@pytest.mark.usefixtures("english")
def test_an_unknown_event_is_a_foreign_line(tmp_path: Path) -> None:
    path = write_log(tmp_path / "run.jsonl", mark(START, 1).replace('"start"', '"pause"'))
    with pytest.raises(RunLogError, match="line 1"):
        read_last(path, environment_lang())
