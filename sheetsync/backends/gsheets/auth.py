"""Which Google identity sheetsync uses, and how it gets credentials.

Order: --credentials FILE, then application default credentials, then an OAuth flow.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import google.auth
import requests
from google.auth.credentials import AnonymousCredentials, Credentials
from google.auth.exceptions import DefaultCredentialsError
from google.auth.transport.requests import AuthorizedSession
from google.oauth2 import service_account
from requests.adapters import HTTPAdapter

from sheetsync.errors import BackendError
from sheetsync.messages import say
from sheetsync.template import Lang

SCOPES = ("https://www.googleapis.com/auth/spreadsheets",)
EMULATOR_ENV = "SHEETS_EMULATOR_HOST"
GOOGLE_PREFIX = "https://sheets.googleapis.com/"


@dataclass(frozen=True)
class Identity:
    """The credentials in use and how to name them to a user."""

    kind: str  # "service_account", "application_default", "oauth_user", "emulator"
    email: str | None  # the address to share a spreadsheet with, when known
    credentials: Credentials

    def share_hint(self, lang: Lang = "en") -> str:
        return self.email or say(lang, "gsheets.auth.google_account_signed")


def config_dir() -> Path:
    """The user's configuration directory for sheetsync (XDG on Unix)."""
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    else:
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "sheetsync"


def token_path() -> Path:
    return config_dir() / "google-token.json"


def save_token(path: Path, token_json: str) -> None:
    """Store an OAuth token readable by the user only (0600), never world-readable."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(token_json)
    path.chmod(0o600)


def _service_account(path: Path, lang: Lang) -> Identity:
    try:
        creds = service_account.Credentials.from_service_account_file(  # type: ignore[no-untyped-call]
            str(path), scopes=SCOPES
        )
    except (OSError, ValueError, KeyError) as error:
        raise BackendError(
            say(
                lang,
                "gsheets.auth.cannot_use_service_account_key",
                path=path,
                kind=type(error).__name__,
            )
        ) from None
    return Identity("service_account", creds.service_account_email, creds)


def _application_default() -> Identity | None:
    try:
        creds, _ = google.auth.default(scopes=list(SCOPES))
    except DefaultCredentialsError:
        return None
    email = getattr(creds, "service_account_email", None)
    return Identity("application_default", email if isinstance(email, str) else None, creds)


def _stored_user() -> Credentials | None:
    from google.oauth2.credentials import Credentials as UserCredentials  # noqa: PLC0415

    path = token_path()
    if not path.is_file():
        return None
    creds: Credentials = UserCredentials.from_authorized_user_file(  # type: ignore[no-untyped-call]
        str(path), list(SCOPES)
    )
    return creds


def _oauth_flow(lang: Lang) -> Identity:
    """Sign in through the browser once; the token is kept for the next runs."""
    creds = _stored_user()
    if creds is None:
        secrets = config_dir() / "client_secret.json"
        if not secrets.is_file() or not sys.stdin.isatty():
            raise BackendError(
                say(lang, "gsheets.auth.no_google_credentials_found_give", secrets=secrets)
            )
        from google_auth_oauthlib.flow import InstalledAppFlow  # noqa: PLC0415

        flow = InstalledAppFlow.from_client_secrets_file(str(secrets), list(SCOPES))
        creds = flow.run_local_server(port=0)
        save_token(token_path(), creds.to_json())
    return Identity("oauth_user", None, creds)


def load_identity(credentials_file: Path | None, lang: Lang) -> Identity:
    """The identity to use, in the documented order; `lang`: the language of the message
    when there is none to use."""
    if os.environ.get(EMULATOR_ENV):
        anonymous = AnonymousCredentials()  # type: ignore[no-untyped-call]
        return Identity("emulator", "anonymous@emulator", anonymous)
    if credentials_file is not None:
        return _service_account(credentials_file, lang)
    return _application_default() or _oauth_flow(lang)


class _EmulatorAdapter(HTTPAdapter):
    """Sends Google Sheets calls to SHEETS_EMULATOR_HOST over plain http."""

    def __init__(self, host: str) -> None:
        super().__init__()
        self.host = host

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        url = request.url or ""
        request.url = f"http://{self.host}/" + url.removeprefix(GOOGLE_PREFIX)
        return super().send(request, *args, **kwargs)


def make_session(identity: Identity) -> requests.Session:
    """A requests session that authenticates as `identity` (or talks to the emulator)."""
    session = AuthorizedSession(identity.credentials)  # type: ignore[no-untyped-call]
    host = os.environ.get(EMULATOR_ENV)
    if identity.kind == "emulator" and host:
        session.mount(GOOGLE_PREFIX, _EmulatorAdapter(host))
    return session
