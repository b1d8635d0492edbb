"""`sheetsync auth check`: which Google identity is used, and what it can do with a target."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import requests
from google.auth.exceptions import GoogleAuthError

from sheetsync.backends.gsheets.auth import Identity, load_identity
from sheetsync.backends.gsheets.refusals import API_DISABLED
from sheetsync.errors import BackendError, RefusedError
from sheetsync.messages import say
from sheetsync.targets import google_id, open_google
from sheetsync.template import Lang

# `problem` of a report when the target cannot be read or written for another reason
# (not found, network): the message says which.
OTHER_PROBLEM = "unreachable"


@dataclass(frozen=True)
class IdentityReport:
    """What `sheetsync auth check` prints."""

    kind: str
    email: str | None
    target: str | None
    readable: bool | None  # None: no target given
    writable: bool | None
    message: str  # one sentence for the user
    # Why the target is not writable: "api_disabled" (enable the Sheets API in the
    # Cloud project), "no_access" / "read_only" (share the sheet), "unreachable";
    # None when it is writable or no target was given.
    problem: str | None = None


Probe = Callable[[], None]


def _probe(action: Probe) -> BackendError | None:
    try:
        action()
    except BackendError as error:
        return error
    return None


def _problem(error: BackendError) -> str:
    return error.refusal.kind if isinstance(error, RefusedError) else OTHER_PROBLEM


def describe(
    target: str | None,
    credentials_file: Path | None,
    lang: Lang,
    session: requests.Session | None = None,
) -> IdentityReport:
    """Which identity is used, its email, and whether `target` is readable and writable;
    said in `lang` (the command line's) until the spreadsheet's locale is known."""
    try:
        identity = load_identity(credentials_file, lang)
    except (BackendError, GoogleAuthError) as error:
        return IdentityReport("none", None, target, None, None, str(error))
    if target is None:
        who = _who(identity, lang)
        return IdentityReport(identity.kind, identity.email, None, None, None, who + ".")
    spreadsheet_id = google_id(target)
    if spreadsheet_id is None:
        return IdentityReport(
            identity.kind,
            identity.email,
            target,
            None,
            None,
            say(lang, "gsheets.auth_check.not_google_target", target=target),
        )
    backend = open_google(
        spreadsheet_id, credentials_file, lang, identity=identity, session=session
    )
    failure = _probe(backend.check_readable)
    readable = failure is None
    if failure is None:
        failure = _probe(backend.check_writable)
    problem = None if failure is None else _problem(failure)
    message = _verdict(identity, target, readable, failure, backend.language())
    return IdentityReport(
        identity.kind, identity.email, target, readable, failure is None, message, problem
    )


def _verdict(
    identity: Identity, target: str, readable: bool, failure: BackendError | None, lang: Lang
) -> str:
    """What the identity can do with the target and, when it cannot write, the fix."""
    if failure is None:
        verdict = say(lang, "gsheets.auth_check.can_read_write")
    elif readable:
        verdict = say(lang, "gsheets.auth_check.can_only_read")
    else:
        verdict = say(lang, "gsheets.auth_check.cannot_open")
    message = f"{_who(identity, lang)} {verdict} {target}"
    if failure is None:
        return message + "."
    if isinstance(failure, RefusedError) and failure.refusal.kind == API_DISABLED:
        return f"{message}. {failure}"
    hint = say(lang, "gsheets.auth_check.share_editor", share=identity.share_hint(lang))
    return f"{message}. {failure}" if _problem(failure) == OTHER_PROBLEM else message + hint


def _who(identity: Identity, lang: Lang) -> str:
    names = {
        "service_account": say(lang, "gsheets.auth_check.service_account"),
        "application_default": say(lang, "gsheets.auth_check.application_default_credentials"),
        "oauth_user": say(lang, "gsheets.auth_check.google_account"),
        "emulator": say(lang, "gsheets.auth_check.emulator_s_anonymous_identity"),
    }
    email = f" {identity.email}" if identity.email else ""
    return names.get(identity.kind, identity.kind) + email


def dump_report(report: IdentityReport) -> str:
    """The report as JSON, for `auth check --json`; holds no secret."""
    return json.dumps(report.__dict__, ensure_ascii=False)
