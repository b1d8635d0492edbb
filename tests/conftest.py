"""Shared pytest fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from click.testing import CliRunner

from sheetsync import display
from sheetsync.backends.gsheets.backend import GoogleBackend
from sheetsync.backends.gsheets.retry import NO_WAIT
from sheetsync.model import CellValue
from tests.emulator import Emulator, mount
from tests.support.gsheets import GsheetFactory, _typed

# ---------------------------------------------------------------- Google Sheets emulator


@pytest.fixture
def emulator() -> Emulator:
    """A fresh, empty Sheets API emulator."""
    return Emulator()


@pytest.fixture
def emulator_session(emulator: Emulator) -> requests.Session:
    """A requests session whose Google Sheets calls reach the in-process emulator."""
    return mount(requests.Session(), emulator)


@pytest.fixture
def gsheet_backend_from_rows(emulator: Emulator) -> GsheetFactory:
    """Build a spreadsheet in the emulator from {tab title: rows}; get (backend, emulator).

    Values are entered as a user would type them (USER_ENTERED); retries do not wait.
    """

    def build(
        tabs: dict[str, list[list[CellValue]]], locale: str = "fr_FR"
    ) -> tuple[GoogleBackend, Emulator]:
        rows = {title: [[_typed(v) for v in row] for row in data] for title, data in tabs.items()}
        spreadsheet_id = emulator.create(locale=locale, tabs=rows)
        session = mount(requests.Session(), emulator)
        return GoogleBackend(spreadsheet_id, session=session, policy=NO_WAIT), emulator

    return build


# ---------------------------------------------------------------- end of Google Sheets fixtures


@pytest.fixture(autouse=True)
def _environment_language_first() -> Iterator[None]:
    """Each test starts as a run does: no spreadsheet's language known yet."""
    display.speak(None)
    yield
    display.speak(None)


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """An environment that asks for English (LC_ALL=en_US.UTF-8)."""
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")


@pytest.fixture
def french_runner() -> CliRunner:
    """The command line as a user whose environment names no language (French, SPEC §10)."""
    return CliRunner(env={"LANG": "", "LC_ALL": ""})
