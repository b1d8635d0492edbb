"""What Airtable's refusals mean for the user: one sentence, what is wrong and what to
do, in the base's language (the monthly quota, a missing scope or base, the rate)."""

from __future__ import annotations

import os

import requests

from sheetsync.backends.airtable.access import SCOPES
from sheetsync.backends.airtable.limits import Policy, error_type, is_billing, status
from sheetsync.template import Lang
from sheetsync.text import tr


def environment_lang() -> Lang:
    source = os.environ.get("LC_ALL") or os.environ.get("LANG") or ""
    return "en" if source[:2].lower() == "en" else "fr"


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
        return tr(
            lang,
            "Le quota mensuel d'appels de l'espace de travail Airtable de {where} est épuisé "
            "(PUBLIC_API_BILLING_LIMIT_EXCEEDED) : rien de plus n'a été tenté. Attendez le "
            "mois prochain ou passez à un forfait plus large, puis relancez.",
            "The monthly API calls of the Airtable workspace of {where} are used up "
            "(PUBLIC_API_BILLING_LIMIT_EXCEEDED): nothing more was tried. Wait for next "
            "month or move to a larger plan, then retry.",
            where=where,
        )
    if code == 429:
        return tr(
            lang,
            "Airtable limite encore le débit de {where} après {n} tentatives : relancez plus tard.",
            "Airtable still rate-limits {where} after {n} attempts: retry later.",
            where=where,
            n=policy.attempts,
        )
    if code == 401:
        return tr(
            lang,
            "Jeton Airtable refusé : vérifiez AIRTABLE_API_KEY (ou le fichier du jeton).",
            "Airtable token refused: check AIRTABLE_API_KEY (or the token file).",
        )
    if code in {403, 404}:
        return tr(
            lang,
            "Airtable refuse l'accès à {where} ({kind}) : donnez au jeton les portées {scopes} "
            "et ajoutez-y la base {base}, puis relancez.",
            "Airtable refuses access to {where} ({kind}): give the token the scopes {scopes} "
            "and add the base {base} to it, then retry.",
            where=where,
            kind=kind or code,
            scopes=", ".join(SCOPES),
            base=base,
        )
    if code >= 500:
        return tr(
            lang,
            "Airtable échoue sans cesse ({code}) pour {where} : relancez plus tard ; la "
            "prochaine synchronisation termine une écriture interrompue.",
            "Airtable kept failing ({code}) for {where}: retry later; the next sync "
            "completes an interrupted write.",
            code=code,
            where=where,
        )
    return tr(
        lang,
        "Airtable a refusé la requête ({code} {kind}) : {message}",
        "Airtable refused the request ({code} {kind}): {message}",
        code=code,
        kind=kind,
        message=_message(error),
    )


def unreachable(error: BaseException, lang: Lang, policy: Policy) -> str:
    return tr(
        lang,
        "Airtable injoignable ({kind}) après {n} tentatives : vérifiez la connexion réseau, "
        "puis relancez.",
        "Cannot reach Airtable ({kind}) after {n} attempts: check the network connection, "
        "then retry.",
        kind=type(error).__name__,
        n=policy.attempts,
    )
