"""Progress on a terminal (SPEC §10, issue 13): stage names and a bar on a tty, nothing
elsewhere; and `sheetsync --help` loads none of the heavy libraries."""

from __future__ import annotations

import io
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

from sheetsync import progress
from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.sync import pipeline
from tests.support.golden import load_cases, write_xlsx

CASE = next(c for c in load_cases() if c.name == "fr-prorata")


def _drain(fd: int, wait: float = 0.3) -> str:
    """Everything the terminal received, waiting up to `wait` s for more."""
    chunks = []
    while select.select([fd], [], [], wait)[0]:
        chunks.append(os.read(fd, 65536))
    return b"".join(chunks).decode("utf-8", "replace")


def test_a_terminal_sees_the_stages_then_a_clean_line(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    write_xlsx(CASE.inputs, path)
    master, slave = pty.openpty()
    with os.fdopen(slave, "w", encoding="utf-8") as terminal:
        with progress.on_terminal(terminal, "fr", delay=0):
            pipeline.run_sync(XlsxBackend(path, "fr"), CASE.as_of)
            progress.enter("write")
            progress.advance(3, 10)
            time.sleep(3 * progress.TICK)  # a few redraws
        shown = _drain(master)
    os.close(master)
    assert "Écriture des onglets…" in shown  # the French sheet's words
    assert "[######--------------] 3/10" in shown
    assert shown.endswith("\r")  # the line is cleared at the end, nothing left behind
    assert shown.rsplit("\r", 2)[-2].strip() == ""


def test_the_line_speaks_the_sheets_language_once_it_is_parsed(tmp_path: Path) -> None:
    """Opened in English (the command line's), a French sheet: the stages after parse, and
    the write, are drawn in French by the line's own thread."""
    path = tmp_path / "book.xlsx"
    write_xlsx(CASE.inputs, path)
    master, slave = pty.openpty()
    with os.fdopen(slave, "w", encoding="utf-8") as terminal:
        with progress.on_terminal(terminal, "en", delay=0):
            progress.enter("read")
            time.sleep(3 * progress.TICK)
            pipeline.run_sync(XlsxBackend(path, "en"), CASE.as_of)
            progress.enter("write")
            time.sleep(3 * progress.TICK)
        shown = _drain(master)
    os.close(master)
    assert "Reading the spreadsheet…" in shown  # before the sheet is read
    assert "Écriture des onglets…" in shown  # the French sheet's words


def test_a_short_run_draws_nothing() -> None:
    master, slave = pty.openpty()
    with os.fdopen(slave, "w", encoding="utf-8") as terminal:
        with progress.on_terminal(terminal, "fr"):  # the default delay: 2 s
            progress.enter("read")
        shown = _drain(master, wait=0.1)
    os.close(master)
    assert shown == ""


def test_no_terminal_no_progress() -> None:
    stream = io.StringIO()
    with progress.on_terminal(stream, "fr", delay=0):
        progress.enter("read")
        progress.advance(1, 2)
        time.sleep(3 * progress.TICK)
    assert stream.getvalue() == ""


def test_stage_words_follow_the_language() -> None:
    shown = progress.TerminalStages(io.StringIO(), "fr", delay=3600)
    shown.enter("rules", "en")
    assert "Computing the books…" in shown.line("*")
    shown.enter("rules", "fr")
    assert "Calcul des comptes…" in shown.line("*")
    shown.close()


def test_help_loads_no_heavy_library() -> None:
    code = (
        "import sys\n"
        "from sheetsync.cli.main import main\n"
        "sys.argv = ['sheetsync', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('pandas', 'numpy', 'openpyxl', 'gspread', 'fpdf', 'python_calamine')\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert "Usage" in done.stdout or "Utilisation" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_every_stage_the_pipeline_logs_has_words() -> None:
    source = Path(pipeline.__file__).read_text("utf-8")
    stages = set(re.findall(r'log_time\("(\w+)"[,)]', source))
    assert {"read", "parse", "rules", "write"} <= stages
    assert stages <= set(progress.STAGE_WORDS)
