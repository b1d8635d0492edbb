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

from sheetsync.errors import (
    AddressError,
    MailError,
    MailSettingsError,
)
from sheetsync.parse.addresses import for_smtp, is_invisible, parse_address, shown
from sheetsync.template import Lang
from sheetsync.text import tr

SECURITIES = {"starttls": 587, "ssl": 465, "none": 25}
TIMEOUT = 30.0
KEYS = ("host", "port", "user", "password", "security", "cafile")
# OpenSSL's verification codes (X509_V_ERR_*) the refusal message explains.
UNTRUSTED = {2, 18, 19, 20, 21}  # no known authority signed the chain
EXPIRED, NOT_YET_VALID = 10, 9
WRONG_NAME = {62, 64}  # issued for another host name or IP address


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
    """The message to send; AddressError if an address is not exactly one checked
    address: no header is ever built from anything else."""
    email = EmailMessage()
    email["From"] = for_smtp(parse_address(sender))
    email["To"] = for_smtp(parse_address(mail.to))
    email["Subject"] = one_line(mail.subject)
    if reply_to:
        email["Reply-To"] = for_smtp(parse_address(reply_to))
    email.set_content(mail.body)
    return email


def one_line(text: str) -> str:
    """A header's text on one line: line breaks and invisible characters (a sheet's or a
    group's name may hold them) become spaces."""
    return " ".join("".join(" " if is_invisible(c) else c for c in text).split())


@dataclass(frozen=True)
class Delivery:
    """What became of the mails given to `send`, in their order."""

    sent: tuple[Mail, ...]
    refused: tuple[str, ...] = ()  # "to: why" for each one refused (the others went on)
    unsent: tuple[Mail, ...] = ()  # not sent: the connection was lost before them
    lost: str = ""  # why the connection was lost ("" when it was not)
    interrupted: bool = False  # stopped by Ctrl-C: the caller records, then stops


def send(smtp: Smtp, mails: Sequence[Mail], sender: str, reply_to: str, lang: Lang) -> Delivery:
    """Send each mail over one connection; MailError (nothing sent) when the server
    cannot be reached or its certificate is refused.

    A message refused (a 550 for one address, an address that is not one) is skipped
    and the others go on; a connection lost half-way (dropped, timed out, a 421) stops
    there: the ones sent before are returned as sent, the rest as unsent. Nothing here
    raises once the connection is made.
    """
    connection = _connect(smtp, lang)
    sent: list[Mail] = []
    refused: list[str] = []
    try:
        for at, mail in enumerate(mails):
            try:
                why = _send_one(connection, mail, sender, reply_to, lang)
            except _LostError as error:
                return Delivery(tuple(sent), tuple(refused), tuple(mails[at:]), error.why)
            except KeyboardInterrupt:
                return Delivery(tuple(sent), tuple(refused), tuple(mails[at:]), interrupted=True)
            if why is None:
                sent.append(mail)
            else:
                refused.append(f"{shown(mail.to)}: {why}")
    finally:
        _close(connection)
    return Delivery(tuple(sent), tuple(refused))


class _LostError(Exception):
    """The connection to the mail server is gone: no later message can be sent on it."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


# The server closes the connection after this reply (RFC 5321 §3.8).
CLOSING = 421


def _send_one(
    connection: smtplib.SMTP, mail: Mail, sender: str, reply_to: str, lang: Lang
) -> str | None:
    """Send one mail: None when the server took it, else why it was refused; _LostError
    when the connection is gone (the mail may or may not have reached the server)."""
    try:
        email = email_of(mail, sender, reply_to)
    except AddressError:
        return tr(lang, "pas une adresse e-mail seule", "not one email address")
    except (ValueError, TypeError):  # a lone surrogate, from a cell no program should hold
        return tr(
            lang, "un caractère qui ne peut pas être envoyé", "a character that cannot be sent"
        )
    try:
        connection.send_message(email)
    except smtplib.SMTPServerDisconnected as error:
        closed = tr(lang, "le serveur a fermé la connexion", "the server closed the connection")
        raise _LostError(closed) from error
    except smtplib.SMTPResponseException as error:
        if error.smtp_code == CLOSING:
            raise _LostError(_reason(error)) from error
        return _reason(error)
    except smtplib.SMTPException as error:  # recipients refused, SMTPUTF8 not offered
        return _reason(error)
    except TimeoutError as error:
        silent = tr(
            lang, "pas de réponse en {s:.0f} s", "no answer in {s:.0f} s", s=connection.timeout
        )
        raise _LostError(silent) from error
    except (OSError, UnicodeError) as error:  # reset, broken pipe, TLS alert
        raise _LostError(str(error) or type(error).__name__) from error
    return None


def _close(connection: smtplib.SMTP) -> None:
    """Say goodbye if the server still listens; close the socket in any case."""
    with contextlib.suppress(smtplib.SMTPException, OSError):
        connection.quit()
    connection.close()


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


def failure(lang: Lang, delivery: Delivery) -> MailError | None:
    """The error a run ends with once the mails sent are recorded: some refused, or the
    connection lost half-way; None when every mail went."""
    parts = []
    if delivery.refused:
        parts.append(
            tr(
                lang,
                "Le serveur d'envoi a refusé {n} relance(s) : {which}.",
                "The mail server refused {n} reminder(s): {which}.",
                n=len(delivery.refused),
                which="; ".join(delivery.refused),
            )
        )
    if delivery.lost:
        parts.append(
            tr(
                lang,
                "La connexion au serveur d'envoi a été perdue ({why}) : {n} relance(s) non "
                "envoyée(s) ({which}).",
                "The connection to the mail server was lost ({why}): {n} reminder(s) not "
                "sent ({which}).",
                why=shown(delivery.lost),
                n=len(delivery.unsent),
                which=", ".join(shown(m.to) for m in delivery.unsent),
            )
        )
    if not parts:
        return None
    parts.append(
        tr(
            lang,
            "{sent} envoyée(s) et notée(s) ; les autres ne sont pas notées comme envoyées et "
            "partiront à la prochaine relance.",
            "{sent} sent and recorded; the others are not marked as sent and will go at the "
            "next run.",
            sent=len(delivery.sent),
        )
    )
    return MailError(" ".join(parts))


def unrecorded_error(lang: Lang, sent: Sequence[Mail], error: Exception) -> MailError:
    """The state could not be written after mails went: say who was mailed, so that a
    person knows the next run would mail them again."""
    return MailError(
        tr(
            lang,
            "{n} relance(s) envoyée(s) ({which}) mais non notée(s) : le tableur n'a pas pu "
            "être écrit ({why}). Corrigez cela avant la prochaine relance, qui les "
            "renverrait.",
            "{n} reminder(s) sent ({which}) but not recorded: the spreadsheet could not be "
            "written ({why}). Fix this before the next run, which would send them again.",
            n=len(sent),
            which=", ".join(shown(m.to) for m in sent),
            why=str(error),
        )
    )
