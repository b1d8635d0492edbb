"""The installed `sheetsync` command, run as a user would in a fresh directory."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl

SHEETSYNC = Path(sys.executable).parent / "sheetsync"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SHEETSYNC), *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


def test_demo_in_a_fresh_directory(tmp_path: Path) -> None:
    result = run("demo", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    workbook = openpyxl.load_workbook(tmp_path / "out" / "budget-contributif-demo.xlsx")
    for title in ("Contributions", "Synthèse groupes", "Paiements", "Anomalies"):
        assert title in workbook.sheetnames


def test_help_lists_every_command(tmp_path: Path) -> None:
    result = run("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("init", "check", "sync", "demo"):
        assert command in result.stdout


def test_errors_are_one_line_not_a_traceback(tmp_path: Path) -> None:
    result = run("sync", "missing.xlsx", cwd=tmp_path)
    assert result.returncode == 4
    assert "Traceback" not in result.stderr
    assert "missing.xlsx" in result.stderr
