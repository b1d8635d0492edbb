"""The personal access token and the API endpoint an Airtable base is reached with.

The token comes from AIRTABLE_API_KEY, the file named by AIRTABLE_API_KEY_FILE, or a
job's `credentials` file; it is never printed. AIRTABLE_ENDPOINT_URL replaces the API.
"""

from __future__ import annotations

import os
from pathlib import Path

from sheetsync.errors import BackendError
from sheetsync.messages import say
from sheetsync.template import Lang

ENDPOINT = "https://api.airtable.com"
SCOPES = ("data.records:read", "data.records:write", "schema.bases:read", "schema.bases:write")


def endpoint() -> str:
    """The API's root URL: AIRTABLE_ENDPOINT_URL (tests, a proxy) or Airtable's own."""
    return (os.environ.get("AIRTABLE_ENDPOINT_URL") or ENDPOINT).rstrip("/")


def load_token(credentials: Path | None, lang: Lang) -> str:
    """The token: the given file, else AIRTABLE_API_KEY, else AIRTABLE_API_KEY_FILE; `lang`:
    the language of the message when there is none."""
    if credentials is None and os.environ.get("AIRTABLE_API_KEY"):
        return os.environ["AIRTABLE_API_KEY"].strip()
    named = credentials or (
        Path(os.environ["AIRTABLE_API_KEY_FILE"])
        if os.environ.get("AIRTABLE_API_KEY_FILE")
        else None
    )
    if named is None:
        raise BackendError(
            say(
                lang,
                "airtable.access.no_airtable_token_create_personal",
                scopes=", ".join(SCOPES),
            )
        )
    try:
        token = named.read_text("utf-8").strip()
    except OSError as error:
        raise BackendError(
            say(
                lang,
                "airtable.access.cannot_read_airtable_token_file",
                path=named,
                kind=type(error).__name__,
            )
        ) from None
    if not token:
        raise BackendError(say(lang, "airtable.access.airtable_token_file_empty", path=named))
    return token
