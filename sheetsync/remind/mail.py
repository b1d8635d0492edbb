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
from sheetsync.messages import say
from sheetsync.parse.addresses import for_smtp, is_invisible, parse_address, shown
from sheetsync.template import Lang

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
            say(lang, "remind.mail.unreadable_smtp_file", p=path.name)
        ) from error
    if values.get("cafile"):
        values["cafile"] = str(path.parent / Path(str(values["cafile"])).expanduser())
    return values


def _settings_message(lang: Lang) -> str:
    return say(lang, "remind.mail.no_mail_server_configured_set")


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
        return say(lang, "remind.mail.not_one_email_address")
    except (ValueError, TypeError):  # a lone surrogate, from a cell no program should hold
        return say(lang, "remind.mail.character_cannot_sent")
    try:
        connection.send_message(email)
    except smtplib.SMTPServerDisconnected as error:
        closed = say(lang, "remind.mail.server_closed_connection")
        raise _LostError(closed) from error
    except smtplib.SMTPResponseException as error:
        if error.smtp_code == CLOSING:
            raise _LostError(_reason(error)) from error
        return _reason(error)
    except smtplib.SMTPException as error:  # recipients refused, SMTPUTF8 not offered
        return _reason(error)
    except TimeoutError as error:
        silent = say(lang, "remind.mail.no_answer_s", s=connection.timeout)
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
            say(lang, "remind.mail.unreadable_certificate_authority_file_sheetsync", p=smtp.cafile)
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
            say(lang, "remind.mail.mail_server_does_not_offer", host=smtp.host, port=smtp.port)
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
    return say(
        lang,
        "remind.mail.mail_server_cannot_reached_refused",
        host=smtp.host,
        port=smtp.port,
        why=_reason(error) if isinstance(error, smtplib.SMTPException) else type(error).__name__,
    )


def _refused_certificate(lang: Lang, smtp: Smtp, error: ssl.SSLCertVerificationError) -> str:
    return say(
        lang,
        "remind.mail.certificate_mail_server_refused_no",
        host=smtp.host,
        port=smtp.port,
        why=_certificate_fault(lang, smtp, error),
    )


def _certificate_fault(lang: Lang, smtp: Smtp, error: ssl.SSLCertVerificationError) -> str:
    code = error.verify_code
    if code in UNTRUSTED:
        return say(lang, "remind.mail.signed_no_trusted_authority")
    if code in WRONG_NAME:
        return say(lang, "remind.mail.not_issued", host=smtp.host)
    if code == EXPIRED:
        return say(lang, "remind.mail.has_expired")
    if code == NOT_YET_VALID:
        return say(lang, "remind.mail.not_valid_yet")
    return str(error.verify_message)  # OpenSSL's own words, for the rarer cases


def failure(lang: Lang, delivery: Delivery) -> MailError | None:
    """The error a run ends with once the mails sent are recorded: some refused, or the
    connection lost half-way; None when every mail went."""
    parts = []
    if delivery.refused:
        parts.append(
            say(
                lang,
                "remind.mail.mail_server_refused_reminder_s",
                n=len(delivery.refused),
                which="; ".join(delivery.refused),
            )
        )
    if delivery.lost:
        parts.append(
            say(
                lang,
                "remind.mail.connection_mail_server_lost_reminder",
                why=shown(delivery.lost),
                n=len(delivery.unsent),
                which=", ".join(shown(m.to) for m in delivery.unsent),
            )
        )
    if not parts:
        return None
    parts.append(say(lang, "remind.mail.sent_recorded_others_not_marked", sent=len(delivery.sent)))
    return MailError(" ".join(parts))


def unrecorded_error(lang: Lang, sent: Sequence[Mail], error: Exception) -> MailError:
    """The state could not be written after mails went: say who was mailed, so that a
    person knows the next run would mail them again."""
    return MailError(
        say(
            lang,
            "remind.mail.reminder_s_sent_but_not",
            n=len(sent),
            which=", ".join(shown(m.to) for m in sent),
            why=str(error),
        )
    )
