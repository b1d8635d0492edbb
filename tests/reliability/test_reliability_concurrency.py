"""Concurrent use: two local syncs never both write; a Google sheet edited during
a sync ends consistent at the next sync."""

from __future__ import annotations

import subprocess
import sys
import threading
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import requests
from click.testing import CliRunner

from sheetsync import display
from sheetsync.backends.xlsx import filelock
from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.cli.main import cli
from sheetsync.model import BackendError
from sheetsync.sync import pipeline
from sheetsync.template import Lang, load
from tests.emulator import mount
from tests.support.golden import load_cases, read_xlsx_tab, write_xlsx
from tests.support.handedits import NOW, _google

CASE = next(c for c in load_cases() if c.name == "fr-prorata")


def test_second_holder_waits_then_gets_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")  # no sheet read: the environment's language
    path = tmp_path / "book.xlsx"
    # A separate open of the lock file: conflicts even inside one process.
    with (
        filelock.hold(path, "en"),
        pytest.raises(BackendError, match="another sheetsync is writing"),
        filelock.hold(path, "en", wait=0.2),
    ):
        pass
    with filelock.hold(path, "en", wait=0.2):
        assert filelock.lock_path(path).exists()
    assert not filelock.lock_path(path).exists()


def test_waiter_gets_the_lock_once_released(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    order: list[str] = []
    held = threading.Event()

    def first() -> None:
        with filelock.hold(path, display.environment_lang()):
            held.set()
            threading.Event().wait(0.3)
            order.append("first done")

    thread = threading.Thread(target=first)
    thread.start()
    held.wait()
    with filelock.hold(path, display.environment_lang(), wait=5):
        order.append("second in")
    thread.join()
    assert order == ["first done", "second in"]


def test_locked_workbook_exits_4(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "book.xlsx"
    write_xlsx(CASE.inputs, path)
    before = path.read_bytes()
    monkeypatch.setattr(filelock, "WAIT_SECONDS", 0.2)
    with filelock.hold(path, display.environment_lang()):
        result = CliRunner().invoke(cli, ["sync", str(path), "--as-of", str(CASE.as_of)])
    assert result.exit_code == 4
    assert "un autre sheetsync écrit book.xlsx" in result.output  # a French sheet
    assert path.read_bytes() == before


@pytest.mark.slow  # two real processes
def test_two_syncs_at_once_leave_one_valid_version(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    write_xlsx(CASE.inputs, path)
    command = [
        str(Path(sys.executable).parent / "sheetsync"),
        "sync",
        str(path),
        "--as-of",
        str(CASE.as_of),
    ]
    runs = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for _ in range(3)
    ]
    outputs = [run.communicate(timeout=60)[0].decode() for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], outputs
    with zipfile.ZipFile(path) as package:
        assert package.testzip() is None
    alone = tmp_path / "alone.xlsx"
    write_xlsx(CASE.inputs, alone)
    pipeline.run_sync(XlsxBackend(alone, "fr"), CASE.as_of, now=NOW)
    for tab in ("Synthèse groupes", "Paiements", "Anomalies"):
        assert read_xlsx_tab(path, tab) == read_xlsx_tab(alone, tab)
    assert not pipeline.run_sync(XlsxBackend(path, "fr"), CASE.as_of, now=NOW).written


def test_google_sheet_edited_during_a_sync_is_consistent_next_time() -> None:
    backend, emulator = _google(CASE.inputs)  # type: ignore[arg-type]
    sid = backend.spreadsheet_id
    session = mount(requests.Session(), emulator)
    original = backend.write

    def edit_then_write(tables: Any, lang: Lang) -> None:
        # Someone changes an envelope between sheetsync's read and its write.
        url = f"https://sheets.googleapis.com/v4/spreadsheets/{sid}/values/{quote('Groupes!C2')}"
        session.put(url, params={"valueInputOption": "RAW"}, json={"values": [[123456]]})
        original(tables, lang)

    backend.write = edit_then_write  # type: ignore[method-assign]
    stale = pipeline.run_sync(backend, CASE.as_of, now=NOW)
    backend.write = original  # type: ignore[method-assign]
    fresh = pipeline.run_sync(backend, CASE.as_of, now=NOW)
    assert stale.written
    assert fresh.written
    groups = emulator.tab_values(sid, "Synthèse groupes")
    assert groups[1][2] == 123456
    reference, _ = _google({**CASE.inputs, "Groupes": emulator.tab_values(sid, "Groupes")})  # type: ignore[dict-item]
    expected = pipeline.run_sync(reference, CASE.as_of, now=NOW)
    # The results, not the journal: it rightly records the change this sheet went through.
    results = {tab.key for tab in load().outputs}
    assert [t for t in fresh.tables if t.key in results] == [
        t for t in expected.tables if t.key in results
    ]
    assert not pipeline.run_sync(backend, CASE.as_of, now=NOW).written
