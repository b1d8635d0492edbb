"""Sending reminders over SMTP with the standard library: STARTTLS, SSL or plain, the
server and credentials from the environment or a TOML file, the password never shown.
"""

from __future__ import annotations

import os
import smtplib
import ssl
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from sheetsync.errors import EXIT_USAGE, BackendError, SheetsyncError
from sheetsync.template import Lang
from sheetsync.text import tr

SECURITIES = {"starttls": 587, "ssl": 465, "none": 25}
TIMEOUT = 30.0


class MailError(BackendError):
    """The mail server is down or refused a message: nothing it refused is marked sent."""


class MailSettingsError(SheetsyncError):
    """The SMTP settings are missing or unreadable."""

    exit_code = EXIT_USAGE


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int
    security: str  # starttls, ssl or none
    user: str = ""
    password: str = field(default="", repr=False)  # never printed


@dataclass(frozen=True)
class Mail:
    """One reminder: to whom, in which language, what it says; `key` and `mark` say what
    the state records once it is sent."""

    to: str
    subject: str
    body: str
    kind: str  # "person" or "pilot"
    key: str
    mark: str


def smtp_settings(lang: Lang, environ: Mapping[str, str] | None = None) -> Smtp:
    """SHEETSYNC_SMTP_HOST, _PORT, _USER, _PASSWORD, _SECURITY, over the TOML file named
    by SHEETSYNC_SMTP_FILE (keys host, port, user, password, security)."""
    env = os.environ if environ is None else environ
    values: dict[str, object] = {}
    if env.get("SHEETSYNC_SMTP_FILE"):
        values.update(_file(Path(env["SHEETSYNC_SMTP_FILE"]), lang))
    for key in ("host", "port", "user", "password", "security"):
        if env.get(f"SHEETSYNC_SMTP_{key.upper()}"):
            values[key] = env[f"SHEETSYNC_SMTP_{key.upper()}"]
    host = str(values.get("host", "")).strip()
    security = str(values.get("security", "starttls")).strip().lower()
    if not host or security not in SECURITIES:
        raise MailSettingsError(_settings_message(lang))
    try:
        port = int(str(values.get("port", SECURITIES[security])))
    except ValueError as error:
        raise MailSettingsError(_settings_message(lang)) from error
    user, password = str(values.get("user", "")), str(values.get("password", ""))
    return Smtp(host, port, security, user, password)


def _file(path: Path, lang: Lang) -> dict[str, object]:
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise MailSettingsError(
            tr(lang, "Fichier SMTP illisible : {p}", "Unreadable SMTP file: {p}", p=path.name)
        ) from error


def _settings_message(lang: Lang) -> str:
    return tr(
        lang,
        "Serveur d'envoi non configuré : donnez SHEETSYNC_SMTP_HOST (et _PORT, _USER, "
        "_PASSWORD, _SECURITY=starttls|ssl|none) ou un fichier TOML par SHEETSYNC_SMTP_FILE.",
        "No mail server configured: set SHEETSYNC_SMTP_HOST (and _PORT, _USER, _PASSWORD, "
        "_SECURITY=starttls|ssl|none) or a TOML file through SHEETSYNC_SMTP_FILE.",
    )


def email_of(mail: Mail, sender: str, reply_to: str) -> EmailMessage:
    email = EmailMessage()
    email["From"], email["To"], email["Subject"] = sender, mail.to, mail.subject
    if reply_to:
        email["Reply-To"] = reply_to
    email.set_content(mail.body)
    return email


def send(
    smtp: Smtp, mails: Sequence[Mail], sender: str, reply_to: str, lang: Lang
) -> tuple[list[Mail], list[str]]:
    """Send each mail: the ones sent, and why the others were not (a server down sends none)."""
    try:
        connection = _connect(smtp)
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(_down(lang, smtp, error)) from error
    sent: list[Mail] = []
    refused: list[str] = []
    with connection:
        for mail in mails:
            try:
                connection.send_message(email_of(mail, sender, reply_to))
            except smtplib.SMTPException as error:
                refused.append(f"{mail.to}: {_reason(error)}")
            else:
                sent.append(mail)
    return sent, refused


def _connect(smtp: Smtp) -> smtplib.SMTP:
    context = ssl.create_default_context()
    if smtp.security == "ssl":
        connection: smtplib.SMTP = smtplib.SMTP_SSL(
            smtp.host, smtp.port, timeout=TIMEOUT, context=context
        )
    else:
        connection = smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT)
        if smtp.security == "starttls":
            connection.starttls(context=context)
    if smtp.user:
        connection.login(smtp.user, smtp.password)
    return connection


def _reason(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [
            f"{code} {text.decode(errors='replace')}" for code, text in error.recipients.values()
        ]
        return "; ".join(codes)
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error
        shown = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
        return f"{error.smtp_code} {shown}"
    return str(error)


def _down(lang: Lang, smtp: Smtp, error: Exception) -> str:
    return tr(
        lang,
        "Le serveur d'envoi {host}:{port} est injoignable ou a refusé la connexion ({why}) : "
        "aucune relance envoyée, rien n'est noté comme envoyé. Vérifiez SHEETSYNC_SMTP_*.",
        "The mail server {host}:{port} cannot be reached or refused the connection ({why}): "
        "no reminder sent, nothing marked as sent. Check SHEETSYNC_SMTP_*.",
        host=smtp.host,
        port=smtp.port,
        why=_reason(error) if isinstance(error, smtplib.SMTPException) else type(error).__name__,
    )


def refused_error(lang: Lang, refused: Sequence[str], sent: int) -> MailError:
    return MailError(
        tr(
            lang,
            "Le serveur d'envoi a refusé {n} relance(s) : {which}. {sent} envoyée(s) ; les "
            "refusées ne sont pas notées comme envoyées et partiront à la prochaine relance.",
            "The mail server refused {n} reminder(s): {which}. {sent} sent; the refused ones "
            "are not marked as sent and will go at the next run.",
            n=len(refused),
            which="; ".join(refused),
            sent=sent,
        )
    )
