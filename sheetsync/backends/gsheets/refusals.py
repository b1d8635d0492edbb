"""What a 403 from Google means, and what the user should do about it.

Two different fixes hide behind the same 403 PERMISSION_DENIED: the Sheets API
is not enabled in the credentials' Cloud project (ErrorInfo reason
SERVICE_DISABLED, or the legacy errors[] reason accessNotConfigured), or the
spreadsheet is not shared with the identity. The advice is in the spreadsheet's
language when known, else the environment's, French by default.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sheetsync.errors import Refusal
from sheetsync.messages import say
from sheetsync.template import Lang, lang_of

API_DISABLED = "api_disabled"
NO_ACCESS = "no_access"
READ_ONLY = "read_only"

_DISABLED_REASONS = frozenset({"SERVICE_DISABLED", "accessNotConfigured"})
_PROJECT_IN_TEXT = re.compile(r"\bproject[= ](\d+)\b")
_ACTIVATION_URL = re.compile(r"https://console\.\S+?/apis/api/sheets\.googleapis\.com/\S+?(?=\s|$)")


def _disabled_info(error: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The ErrorInfo metadata (or legacy errors[] item) saying the API is not enabled."""
    for detail in error.get("details") or []:
        if isinstance(detail, Mapping) and detail.get("reason") in _DISABLED_REASONS:
            metadata = detail.get("metadata")
            return metadata if isinstance(metadata, Mapping) else {}
    for item in error.get("errors") or []:
        if isinstance(item, Mapping) and item.get("reason") in _DISABLED_REASONS:
            return item
    return None


def classify(error: Mapping[str, Any], *, writing: bool) -> Refusal:
    """The kind of a 403 answer body (the object under "error")."""
    info = _disabled_info(error)
    if info is None:
        return Refusal(READ_ONLY if writing else NO_ACCESS)
    message = str(error.get("message", ""))
    consumer = str(info.get("consumer", ""))
    project = consumer.removeprefix("projects/") if consumer.startswith("projects/") else None
    if not project:
        found = _PROJECT_IN_TEXT.search(message)
        project = found.group(1) if found else None
    url = info.get("activationUrl")
    if not isinstance(url, str) or not url:
        found_url = _ACTIVATION_URL.search(message)
        url = found_url.group(0) if found_url else None
    return Refusal(API_DISABLED, project, url)


def language(locale: str | None, fallback: Lang) -> Lang:
    """The spreadsheet's language from its locale, else `fallback` (the caller's)."""
    return (lang_of(locale[:2].lower()) if locale else None) or fallback


def advice(refusal: Refusal, lang: Lang, where: str, share: str) -> str:
    """One sentence: what is wrong and what to do, in `lang`."""
    if refusal.kind == API_DISABLED:
        return _enable_api(refusal, lang)
    if refusal.kind == READ_ONLY:
        return say(
            lang, "gsheets.refusals.spreadsheet_read_only_share_editor", where=where, share=share
        )
    return say(
        lang, "gsheets.refusals.spreadsheet_not_shared_share_editor", where=where, share=share
    )


def _enable_api(refusal: Refusal, lang: Lang) -> str:
    project = (
        say(lang, "gsheets.refusals.google_cloud_project", n=refusal.project)
        if refusal.project
        else say(lang, "gsheets.refusals.google_cloud_project_2")
    )
    link = f" ({refusal.activation_url})" if refusal.activation_url else ""
    return say(lang, "gsheets.refusals.google_sheets_api_not_enabled", project=project, link=link)
