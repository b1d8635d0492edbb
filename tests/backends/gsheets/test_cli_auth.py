"""`sheetsync auth check` against the emulator's anonymous identity."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from sheetsync.cli.main import cli
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


def test_unknown_spreadsheet_exits_4(emulator_host: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    result = CliRunner().invoke(cli, ["auth", "check", "gsheet:" + "n" * 40])
    assert result.exit_code == 4
    assert "cannot open" in result.output
    assert "not found" in result.output


@pytest.mark.parametrize(
    ("legacy", "lang", "advice"),
    [
        (False, "fr_FR.UTF-8", "API et services → Bibliothèque → Google Sheets API → Activer"),
        (True, "en_US.UTF-8", "APIs & Services → Library → Google Sheets API → Enable"),
    ],
)
def test_api_not_enabled_is_told_apart(
    emulator: Emulator,
    emulator_host: str,
    monkeypatch: pytest.MonkeyPatch,
    *,
    legacy: bool,
    lang: str,
    advice: str,
) -> None:
    monkeypatch.setenv("LANG", lang)
    spreadsheet_id = emulator.create(tabs={"Groupes": [["Groupe"]]})
    emulator.disable_api("555000111222", legacy=legacy)
    target = f"gsheet:{spreadsheet_id}"
    as_json = CliRunner().invoke(cli, ["auth", "check", target, "--json"])
    text = CliRunner().invoke(cli, ["auth", "check", target])
    assert (as_json.exit_code, text.exit_code) == (4, 4)
    report = json.loads(as_json.output)
    assert (report["readable"], report["writable"], report["problem"]) == (
        False,
        False,
        "api_disabled",
    )
    assert "555000111222" in text.output
    assert advice in text.output
    assert "overview?project=555000111222" in text.output


def test_not_shared_is_told_apart(
    emulator: Emulator, emulator_host: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LANG", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    spreadsheet_id = emulator.create(tabs={"Groupes": [["Groupe"]]})
    emulator.books[spreadsheet_id].access = "none"
    result = CliRunner().invoke(cli, ["auth", "check", f"gsheet:{spreadsheet_id}", "--json"])
    assert result.exit_code == 4
    report = json.loads(result.output)
    assert report["problem"] == "no_access"
    assert "partagez-le avec anonymous@emulator" in report["message"]
