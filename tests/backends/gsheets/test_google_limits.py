"""The Google backend within Google's real limits, on the emulator that enforces them.

Every 403 kind goes through the real backend (gspread's HTTP code); writes that
grow or shrink a tab past the default grid resize it first, in the same batchUpdate.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import requests
from google.auth.credentials import AnonymousCredentials

from sheetsync.backends.gsheets.auth import Identity
from sheetsync.backends.gsheets.backend import GoogleBackend
from sheetsync.backends.gsheets.refusals import API_DISABLED, NO_ACCESS, READ_ONLY, classify
from sheetsync.backends.gsheets.retry import NO_WAIT
from sheetsync.display import environment_lang
from sheetsync.errors import RefusedError
from sheetsync.model import BackendError, OutputTable
from tests.emulator import Emulator, mount

PROJECT = "731957224410"
URL = f"https://console.developers.google.com/apis/api/sheets.googleapis.com/overview?project={PROJECT}"
BOT = "bot@demo.iam.gserviceaccount.com"


@pytest.fixture(autouse=True)
def no_environment_language(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LANG", "LC_ALL"):
        monkeypatch.delenv(name, raising=False)


def _backend(emulator: Emulator, locale: str = "fr_FR") -> GoogleBackend:
    spreadsheet_id = emulator.create(locale=locale, tabs={"Groupes": [["Groupe"], ["GT Com"]]})
    identity = Identity("service_account", BOT, AnonymousCredentials())  # type: ignore[no-untyped-call]
    session = mount(requests.Session(), emulator)
    # Opened as the command line opens it: in the environment's language until read.
    return GoogleBackend(
        spreadsheet_id,
        identity=identity,
        session=session,
        policy=NO_WAIT,
        fallback=environment_lang(),
    )


def _table(rows: int) -> OutputTable:
    return OutputTable(
        "anomalies",
        "Anomalies",
        ("a", "b"),
        ("text", "text"),
        [(f"r{i}", "x") for i in range(rows)],
    )


def _refusal(action: Callable[[], object]) -> RefusedError:
    with pytest.raises(RefusedError) as caught:
        action()
    return caught.value


@pytest.mark.parametrize("legacy", [False, True])
def test_api_not_enabled_on_read_says_enable_it_in_the_project(
    emulator: Emulator, *, legacy: bool
) -> None:
    backend = _backend(emulator)
    emulator.disable_api(PROJECT, legacy=legacy)
    error = _refusal(lambda: backend.read(lambda t: True))
    assert error.refusal.kind == API_DISABLED
    assert error.refusal.project == PROJECT
    assert error.refusal.activation_url == URL
    text = str(error)
    assert f"L'API Google Sheets n'est pas activée dans le projet Google Cloud {PROJECT}" in text
    assert "API et services → Bibliothèque → Google Sheets API → Activer" in text
    assert URL in text
    assert BOT not in text  # sharing is not the fix
    assert isinstance(error, BackendError)
    assert error.exit_code == 4


def test_api_not_enabled_on_write_in_the_sheets_language(emulator: Emulator) -> None:
    backend = _backend(emulator, locale="en_US")
    backend.read(lambda t: True)
    emulator.disable_api(PROJECT)
    error = _refusal(lambda: backend.write([_table(3)], "fr"))
    assert error.refusal.kind == API_DISABLED
    assert str(error).startswith(
        f"The Google Sheets API is not enabled in Google Cloud project {PROJECT} "
    )
    assert f"APIs & Services → Library → Google Sheets API → Enable ({URL})" in str(error)


def test_api_not_enabled_without_details_still_names_the_project() -> None:
    body = {
        "code": 403,
        "message": f"Google Sheets API has not been used in project {PROJECT} before or it is "
        "disabled.",
        "status": "PERMISSION_DENIED",
        "errors": [{"reason": "accessNotConfigured", "domain": "usageLimits"}],
    }
    refusal = classify(body, writing=False)
    assert (refusal.kind, refusal.project, refusal.activation_url) == (API_DISABLED, PROJECT, None)


@pytest.mark.parametrize(
    ("locale", "lang", "expected"),
    [
        ("fr_FR", None, f"n'est pas partagé avec {BOT} : partagez-le avec cette adresse"),
        ("fr_FR", "en", f"is not shared with {BOT}: share it (Editor)"),
    ],
)
def test_not_shared_says_share_it_with_the_identity(
    emulator: Emulator, locale: str, lang: str | None, expected: str
) -> None:
    backend = _backend(emulator, locale)
    backend.lang = "en" if lang == "en" else None
    emulator.books[backend.spreadsheet_id].access = "none"
    error = _refusal(lambda: backend.read(lambda t: True))
    assert error.refusal.kind == NO_ACCESS
    assert expected in str(error)
    assert "Google Cloud" not in str(error)


def test_environment_language_when_the_sheet_cannot_be_read(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    backend = _backend(emulator)
    emulator.books[backend.spreadsheet_id].access = "none"
    assert "is not shared with" in str(_refusal(lambda: backend.read(lambda t: True)))


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("fr_FR", f"est en lecture seule pour {BOT}"), ("en_GB", f"is read-only for {BOT}")],
)
def test_read_only_says_share_as_editor(emulator: Emulator, locale: str, expected: str) -> None:
    backend = _backend(emulator, locale)
    backend.read(lambda t: True)
    emulator.books[backend.spreadsheet_id].access = "reader"
    error = _refusal(lambda: backend.write([_table(2)], "fr"))
    assert error.refusal.kind == READ_ONLY
    assert expected in str(error)


@pytest.mark.parametrize("rows", [998, 999, 2500])
def test_writes_resize_the_tab_first_in_the_same_batch(emulator: Emulator, rows: int) -> None:
    backend = _backend(emulator)
    backend.write([_table(rows)], "fr")
    book = emulator.books[backend.spreadsheet_id]
    tab = book.sheet_by_title("Anomalies")
    assert (tab.row_count, tab.column_count) == (rows + 2, 2)
    assert len(emulator.tab_values(backend.spreadsheet_id, "Anomalies")) == rows + 1
    backend.write([_table(10)], "fr")  # the owned tab shrinks, then grows again
    tab = emulator.books[backend.spreadsheet_id].sheet_by_title("Anomalies")
    assert tab.row_count == 12
    backend.write([_table(rows + 1)], "fr")
    assert len(emulator.tab_values(backend.spreadsheet_id, "Anomalies")) == rows + 2
    batch_updates = [e for e in emulator.log if e.path.endswith(":batchUpdate")]
    assert [e.status for e in batch_updates] == [200, 200, 200]
