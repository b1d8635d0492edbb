"""Credentials order, the OAuth token file, and the `auth check` report."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
import requests

from sheetsync.backends.gsheets import auth, auth_check
from sheetsync.display import environment_lang
from sheetsync.model import BackendError
from tests.emulator import Emulator, mount
from tests.support import keys


@pytest.fixture
def service_account_file(tmp_path: Path) -> Path:
    return keys.service_account_file(
        tmp_path / "key.json", "bot@demo.iam.gserviceaccount.com", pem=keys.new_private_key()
    )


@pytest.fixture(autouse=True)
def no_ambient_google(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("SHEETS_EMULATOR_HOST", "GOOGLE_APPLICATION_CREDENTIALS", "LANG", "LC_ALL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(tmp_path / "gcloud"))
    monkeypatch.setattr("google.auth._default._get_gce_credentials", lambda *a, **k: (None, None))


def test_credentials_file_comes_first(service_account_file: Path) -> None:
    identity = auth.load_identity(service_account_file, "fr")
    assert identity.kind == "service_account"
    assert identity.email == "bot@demo.iam.gserviceaccount.com"
    assert tuple(getattr(identity.credentials, "scopes", ())) == auth.SCOPES


def test_application_default_next(
    service_account_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(service_account_file))
    identity = auth.load_identity(None, "fr")
    assert (identity.kind, identity.email) == (
        "application_default",
        "bot@demo.iam.gserviceaccount.com",
    )


def test_no_credentials_explains_options(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(BackendError, match="--credentials FICHIER"):  # French by default
        auth.load_identity(None, "fr")
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    with pytest.raises(BackendError, match="--credentials FILE"):
        auth.load_identity(None, "en")


def test_emulator_host_means_anonymous(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHEETS_EMULATOR_HOST", "127.0.0.1:9")
    assert auth.load_identity(None, "fr").kind == "emulator"


def test_bad_key_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    with pytest.raises(BackendError, match="clé de compte de service"):
        auth.load_identity(bad, "fr")


def test_token_saved_private(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "token.json"
    auth.save_token(path, '{"token": "t"}')
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text()) == {"token": "t"}


@pytest.mark.parametrize(
    ("access", "readable", "writable", "problem"),
    [
        ("writer", True, True, None),
        ("reader", True, False, "read_only"),
        ("none", False, False, "no_access"),
    ],
)
def test_describe_reports_access(
    service_account_file: Path, access: str, readable: bool, writable: bool, problem: str | None
) -> None:
    emulator = Emulator()
    sid = emulator.create(locale="en_GB")
    emulator.books[sid].access = access
    session = mount(requests.Session(), emulator)
    report = auth_check.describe(
        f"gsheet:{sid}", service_account_file, environment_lang(), session=session
    )
    assert (report.readable, report.writable, report.problem) == (readable, writable, problem)
    assert report.email == "bot@demo.iam.gserviceaccount.com"
    # An unreadable sheet's language is unknown: French, the default.
    hint = "partagez-le avec bot@demo" if access == "none" else "share it with bot@demo"
    assert (hint in report.message) is not writable
    assert "private_key" not in auth_check.dump_report(report)


@pytest.mark.parametrize("legacy", [False, True])
def test_describe_tells_api_not_enabled_from_not_shared(
    service_account_file: Path, legacy: bool
) -> None:
    emulator = Emulator()
    sid = emulator.create()
    emulator.disable_api("424242424242", legacy=legacy)
    session = mount(requests.Session(), emulator)
    report = auth_check.describe(
        f"gsheet:{sid}", service_account_file, environment_lang(), session=session
    )
    assert (report.readable, report.writable, report.problem) == (False, False, "api_disabled")
    assert "projet Google Cloud 424242424242" in report.message
    assert "Google Sheets API → Activer" in report.message
    assert "share it" not in report.message
    assert "partagez-le avec" not in report.message
    assert json.loads(auth_check.dump_report(report))["problem"] == "api_disabled"


def test_describe_without_target(service_account_file: Path) -> None:
    report = auth_check.describe(None, service_account_file, environment_lang())
    assert (report.kind, report.readable, report.target) == ("service_account", None, None)
