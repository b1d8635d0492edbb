"""What Airtable's refusals mean for the user: one sentence, what is wrong and what to
do, in the base's language (the monthly quota, a missing scope or base, the rate)."""

from __future__ import annotations

import requests

from sheetsync.backends.airtable.access import SCOPES
from sheetsync.backends.airtable.limits import Policy, error_type, is_billing, status
from sheetsync.messages import say
from sheetsync.template import Lang


def _message(error: BaseException) -> str:
    response = getattr(error, "response", None)
    try:
        body = response.json() if response is not None else {}
    except ValueError:
        return ""
    found = body.get("error") if isinstance(body, dict) else None
    if isinstance(found, dict):
        return str(found.get("message", ""))
    errors = body.get("errors") if isinstance(body, dict) else None
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        return str(errors[0].get("message", ""))
    return ""


def explain(error: requests.exceptions.HTTPError, lang: Lang, base: str, policy: Policy) -> str:
    code, kind, where = status(error), error_type(error), f"airtable:{base}"
    if is_billing(error):
        return say(lang, "airtable.refusals.monthly_api_calls_airtable_workspace", where=where)
    if code == 429:
        return say(
            lang,
            "airtable.refusals.airtable_still_rate_limits_after",
            where=where,
            n=policy.attempts,
        )
    if code == 401:
        return say(lang, "airtable.refusals.airtable_token_refused_check_airtable")
    if code in {403, 404}:
        return say(
            lang,
            "airtable.refusals.airtable_refuses_access_give_token",
            where=where,
            kind=kind or code,
            scopes=", ".join(SCOPES),
            base=base,
        )
    if code >= 500:
        return say(
            lang, "airtable.refusals.airtable_kept_failing_retry_later", code=code, where=where
        )
    return say(
        lang,
        "airtable.refusals.airtable_refused_request",
        code=code,
        kind=kind,
        message=_message(error),
    )


def unreachable(error: BaseException, lang: Lang, policy: Policy) -> str:
    return say(
        lang,
        "airtable.refusals.cannot_reach_airtable_after_attempts",
        kind=type(error).__name__,
        n=policy.attempts,
    )
