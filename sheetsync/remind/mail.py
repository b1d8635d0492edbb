"""Sending reminders over SMTP with the standard library: STARTTLS, SSL or plain, the
server and credentials from the environment or a TOML file, the password never shown.
With TLS the server's certificate is always verified, against the system's authorities
or the ones of SHEETSYNC_SMTP_CAFILE; STARTTLS asked and not offered never falls back
to plain.
"""

from __future__ import annotations

import contextlib
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
KEYS = ("host", "port", "user", "password", "security", "cafile")
# OpenSSL's verification codes (X509_V_ERR_*) the refusal message explains.
UNTRUSTED = {2, 18, 19, 20, 21}  # no known authority signed the chain
EXPIRED, NOT_YET_VALID = 10, 9
WRONG_NAME = {62, 64}  # issued for another host name or IP address


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
    cafile: str = ""  # the authorities trusted instead of the system's, when given


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
    """SHEETSYNC_SMTP_HOST, _PORT, _USER, _PASSWORD, _SECURITY, _CAFILE, over the TOML
    file named by SHEETSYNC_SMTP_FILE (keys host, port, user, password, security, cafile;
    a relative cafile there is read from the file's folder)."""
    env = os.environ if environ is None else environ
    values: dict[str, object] = {}
    if env.get("SHEETSYNC_SMTP_FILE"):
        values.update(_file(Path(env["SHEETSYNC_SMTP_FILE"]), lang))
    for key in KEYS:
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
    cafile = str(Path(str(values["cafile"])).expanduser()) if values.get("cafile") else ""
    return Smtp(host, port, security, user, password, cafile)


def _file(path: Path, lang: Lang) -> dict[str, object]:
    try:
        values: dict[str, object] = tomllib.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise MailSettingsError(
            tr(lang, "Fichier SMTP illisible : {p}", "Unreadable SMTP file: {p}", p=path.name)
        ) from error
    if values.get("cafile"):
        values["cafile"] = str(path.parent / Path(str(values["cafile"])).expanduser())
    return values


def _settings_message(lang: Lang) -> str:
    return tr(
        lang,
        "Serveur d'envoi non configuré : donnez SHEETSYNC_SMTP_HOST (et _PORT, _USER, "
        "_PASSWORD, _SECURITY=starttls|ssl|none, _CAFILE) ou un fichier TOML par "
        "SHEETSYNC_SMTP_FILE.",
        "No mail server configured: set SHEETSYNC_SMTP_HOST (and _PORT, _USER, _PASSWORD, "
        "_SECURITY=starttls|ssl|none, _CAFILE) or a TOML file through SHEETSYNC_SMTP_FILE.",
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
    """Send each mail: the ones sent, and why the others were not (a server down, or one
    whose certificate is refused, sends none)."""
    connection = _connect(smtp, lang)
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


def _connect(smtp: Smtp, lang: Lang) -> smtplib.SMTP:
    """A connection ready to send, secured as asked and logged in, or MailError (closed)."""
    context = tls_context(smtp, lang)
    with contextlib.ExitStack() as on_failure:
        try:
            connection = _open(smtp, context)
            on_failure.callback(connection.close)
            if smtp.security == "starttls":
                _starttls(connection, context, smtp, lang)
            if smtp.user:
                connection.login(smtp.user, smtp.password)
        except ssl.SSLCertVerificationError as error:
            raise MailError(_refused_certificate(lang, smtp, error)) from error
        except (OSError, smtplib.SMTPException) as error:
            raise MailError(_down(lang, smtp, error)) from error
        on_failure.pop_all()
    return connection


def tls_context(smtp: Smtp, lang: Lang) -> ssl.SSLContext:
    """A context verifying the server's certificate and name: against the authorities of
    the CA file when given, else the system's."""
    try:
        return ssl.create_default_context(cafile=smtp.cafile or None)
    except OSError as error:  # missing, unreadable, or no certificate in it (SSLError)
        raise MailSettingsError(
            tr(
                lang,
                "Fichier d'autorités de certification illisible (SHEETSYNC_SMTP_CAFILE) : {p}",
                "Unreadable certificate authority file (SHEETSYNC_SMTP_CAFILE): {p}",
                p=smtp.cafile,
            )
        ) from error


def _open(smtp: Smtp, context: ssl.SSLContext) -> smtplib.SMTP:
    if smtp.security == "ssl":
        return smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=TIMEOUT, context=context)
    return smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT)


def _starttls(connection: smtplib.SMTP, context: ssl.SSLContext, smtp: Smtp, lang: Lang) -> None:
    """Switch to TLS, or MailError when the server does not offer it: never plain instead."""
    connection.ehlo()
    if not connection.has_extn("starttls"):
        raise MailError(
            tr(
                lang,
                "Le serveur d'envoi {host}:{port} ne propose pas STARTTLS : rien n'est envoyé "
                "en clair, aucune relance envoyée, rien n'est noté comme envoyé. Vérifiez "
                "SHEETSYNC_SMTP_PORT et SHEETSYNC_SMTP_SECURITY (ssl pour le port 465).",
                "The mail server {host}:{port} does not offer STARTTLS: nothing is sent in "
                "clear, no reminder sent, nothing marked as sent. Check SHEETSYNC_SMTP_PORT "
                "and SHEETSYNC_SMTP_SECURITY (ssl for port 465).",
                host=smtp.host,
                port=smtp.port,
            )
        )
    connection.starttls(context=context)


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


def _refused_certificate(lang: Lang, smtp: Smtp, error: ssl.SSLCertVerificationError) -> str:
    return tr(
        lang,
        "Le certificat du serveur d'envoi {host}:{port} est refusé ({why}) : aucune relance "
        "envoyée, rien n'est noté comme envoyé. Si ce serveur a sa propre autorité de "
        "certification, donnez son certificat par SHEETSYNC_SMTP_CAFILE.",
        "The certificate of the mail server {host}:{port} is refused ({why}): no reminder "
        "sent, nothing marked as sent. If this server has its own certificate authority, "
        "give its certificate through SHEETSYNC_SMTP_CAFILE.",
        host=smtp.host,
        port=smtp.port,
        why=_certificate_fault(lang, smtp, error),
    )


def _certificate_fault(lang: Lang, smtp: Smtp, error: ssl.SSLCertVerificationError) -> str:
    code = error.verify_code
    if code in UNTRUSTED:
        return tr(
            lang,
            "il n'est signé par aucune autorité reconnue",
            "it is signed by no trusted authority",
        )
    if code in WRONG_NAME:
        return tr(
            lang, "il n'est pas établi pour {host}", "it was not issued for {host}", host=smtp.host
        )
    if code == EXPIRED:
        return tr(lang, "il a expiré", "it has expired")
    if code == NOT_YET_VALID:
        return tr(lang, "il n'est pas encore valable", "it is not valid yet")
    return str(error.verify_message)  # OpenSSL's own words, for the rarer cases


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
