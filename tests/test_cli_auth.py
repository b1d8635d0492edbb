"""`sheetsync auth check` against the emulator's anonymous identity."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from sheetsync.cli import cli
from tests.emulator import Emulator, serving


@pytest.fixture
def emulator_host(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with serving(emulator) as host:
        monkeypatch.setenv("SHEETS_EMULATOR_HOST", host)
        yield host


def test_identity_without_target(emulator_host: str) -> None:
    result = CliRunner().invoke(cli, ["auth", "check", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["kind"] == "emulator"


def test_target_readable_and_writable(emulator: Emulator, emulator_host: str) -> None:
    spreadsheet_id = emulator.create(tabs={"Groupes": [["Groupe"]]})
    result = CliRunner().invoke(cli, ["auth", "check", f"gsheet:{spreadsheet_id}", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["readable"], report["writable"]) == (True, True)


def test_unknown_spreadsheet_exits_4(emulator_host: str) -> None:
    result = CliRunner().invoke(cli, ["auth", "check", "gsheet:" + "n" * 40])
    assert result.exit_code == 4
    assert "cannot open" in result.output
