"""`sheetsync auth check`: which Google identity is used, and what it can do with a target."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import requests
from google.auth.exceptions import GoogleAuthError

from sheetsync.backends.gsheets.auth import Identity, load_identity
from sheetsync.errors import BackendError
from sheetsync.targets import google_id, open_google


@dataclass(frozen=True)
class IdentityReport:
    """What `sheetsync auth check` prints."""

    kind: str
    email: str | None
    target: str | None
    readable: bool | None  # None: no target given
    writable: bool | None
    message: str  # one sentence for the user


Probe = Callable[[], None]


def _probe(action: Probe) -> bool:
    try:
        action()
    except BackendError:
        return False
    return True


def describe(
    target: str | None,
    credentials_file: Path | None,
    session: requests.Session | None = None,
) -> IdentityReport:
    """Which identity is used, its email, and whether `target` is readable and writable."""
    try:
        identity = load_identity(credentials_file)
    except (BackendError, GoogleAuthError) as error:
        return IdentityReport("none", None, target, None, None, str(error))
    if target is None:
        return IdentityReport(identity.kind, identity.email, None, None, None, _who(identity) + ".")
    spreadsheet_id = google_id(target)
    if spreadsheet_id is None:
        return IdentityReport(
            identity.kind,
            identity.email,
            target,
            None,
            None,
            f"{target} is not a Google Sheets URL or gsheet:<ID>.",
        )
    backend = open_google(spreadsheet_id, credentials_file, identity=identity, session=session)
    readable = _probe(backend.check_readable)
    writable = readable and _probe(backend.check_writable)
    verdict = "can read and write" if writable else "can only read" if readable else "cannot open"
    message = f"{_who(identity)} {verdict} {target}"
    if not writable:
        message += f"; share it with {identity.share_hint()} as Editor"
    return IdentityReport(identity.kind, identity.email, target, readable, writable, message + ".")


def _who(identity: Identity) -> str:
    names = {
        "service_account": "The service account",
        "application_default": "The application default credentials",
        "oauth_user": "Your Google account",
        "emulator": "The emulator's anonymous identity",
    }
    email = f" {identity.email}" if identity.email else ""
    return names.get(identity.kind, identity.kind) + email


def dump_report(report: IdentityReport) -> str:
    """The report as JSON, for `auth check --json`; holds no secret."""
    return json.dumps(report.__dict__, ensure_ascii=False)
