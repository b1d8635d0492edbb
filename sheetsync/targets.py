"""Which spreadsheet a TARGET names, and the backend that opens it.

A TARGET is a local workbook (.xlsx, .xlsm), a Google Sheets URL or gsheet:<ID>, or
an Airtable base (airtable:<baseId>, an airtable.com URL); the backends are imported
only when opened, so Google and Airtable libraries load only when used.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import requests

    from sheetsync.backends.base import Backend
    from sheetsync.backends.gsheets.auth import Identity
    from sheetsync.backends.gsheets.backend import GoogleBackend
    from sheetsync.backends.gsheets.retry import RetryPolicy
    from sheetsync.template import Lang

LOCAL_SUFFIXES = (".xlsx", ".xlsm")

_URL = re.compile(r"^https?://docs\.google\.com/spreadsheets/(?:u/\d+/)?d/([A-Za-z0-9_-]+)")
_PREFIX = re.compile(r"^gsheets?:([A-Za-z0-9_-]+)$")
# Airtable ids: "app" and 14 letters or digits (bases), as the API and its URLs show them.
_AIRTABLE_PREFIX = re.compile(r"^airtable:(app[A-Za-z0-9]{14})$")
_AIRTABLE_URL = re.compile(r"^https?://(?:www\.)?airtable\.com/(app[A-Za-z0-9]{14})(?:[/?#]|$)")


def google_id(target: str) -> str | None:
    """The spreadsheet id of a Google Sheets URL or gsheet:<ID>; None for anything else."""
    found = _URL.match(target.strip()) or _PREFIX.match(target.strip())
    return found.group(1) if found else None


def airtable_id(target: str) -> str | None:
    """The base id of airtable:<baseId> or an https://airtable.com/<baseId>/… URL."""
    found = _AIRTABLE_PREFIX.match(target.strip()) or _AIRTABLE_URL.match(target.strip())
    return found.group(1) if found else None


def is_local_workbook(target: str) -> bool:
    """Whether the target names a workbook file sheetsync can read (.xlsx, .xlsm)."""
    return Path(target).suffix.lower() in LOCAL_SUFFIXES


def open_backend(
    target: str,
    credentials: Path | None,
    lang: Lang,
    *,
    identity: Identity | None = None,
    session: requests.Session | None = None,
    policy: RetryPolicy | None = None,
) -> Backend:
    """The backend for a TARGET; anything but a Google or Airtable target is a local path.

    `credentials` names a Google key or an Airtable token file; `identity`, `session`
    and `policy` are for Google targets only. `lang`: the language of a workbook's or a
    base's messages before the sheet's own is known (the command line's); a Google
    spreadsheet's follow its locale once read (GoogleBackend.language).
    """
    base_id = airtable_id(target)
    if base_id is not None:
        from sheetsync.backends.airtable.backend import (  # noqa: PLC0415 - pyairtable
            AirtableBackend,
        )

        return AirtableBackend(base_id, credentials, lang=lang)
    spreadsheet_id = google_id(target)
    if spreadsheet_id is not None:
        return open_google(
            spreadsheet_id, credentials, lang, identity=identity, session=session, policy=policy
        )
    from sheetsync.backends.xlsx.backend import XlsxBackend  # noqa: PLC0415 - loaded only when used

    return XlsxBackend(Path(target), lang)


def open_google(
    spreadsheet_id: str,
    credentials: Path | None,
    lang: Lang,
    *,
    identity: Identity | None = None,
    session: requests.Session | None = None,
    policy: RetryPolicy | None = None,
) -> GoogleBackend:
    """The Google Sheets backend of a spreadsheet id (see google_id); `lang`: the
    language of its messages until the spreadsheet's locale is known (the caller's)."""
    from sheetsync.backends.gsheets.backend import GoogleBackend  # noqa: PLC0415 - Google libraries

    return GoogleBackend(
        spreadsheet_id,
        credentials,
        identity=identity,
        session=session,
        policy=policy,
        fallback=lang,
    )
