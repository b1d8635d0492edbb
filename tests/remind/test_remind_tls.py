"""`sheetsync remind` over TLS against a real local server (aiosmtpd) with a real
certificate from a test authority (trustme): STARTTLS and SSL deliver when the
authority is trusted through SHEETSYNC_SMTP_CAFILE; an unknown authority or a wrong
name is refused, and a server without STARTTLS is never written to in clear; each
refusal exits 4 in the sheet's language and marks nothing sent."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.smtp import AuthResult, LoginPassword
from click.testing import CliRunner, Result

from sheetsync.cli.main import cli
from sheetsync.errors import MailSettingsError
from sheetsync.remind import mail
from tests.support.remind import AS_OF, english, french, reminded
from tests.support.smtp import Inbox, serving

PASSWORD = "s3cret-never-shown"  # noqa: S105 - the test checks it is never printed


@pytest.fixture(scope="module")
def authority(tmp_path_factory: pytest.TempPathFactory) -> tuple[trustme.CA, Path]:
    """A test certificate authority, and its certificate in a PEM file."""
    ca = trustme.CA()
    cafile = tmp_path_factory.mktemp("ca") / "association-ca.pem"
    ca.cert_pem.write_to_path(str(cafile))
    return ca, cafile


def server_context(ca: trustme.CA, *names: str) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*names).configure_cert(context)
    return context


@pytest.fixture
def starttls_server(authority: tuple[trustme.CA, Path]) -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    tls = server_context(authority[0], "127.0.0.1")
    with serving(inbox, tls_context=tls, require_starttls=True) as port:
        yield inbox, port


@pytest.fixture
def ssl_server(authority: tuple[trustme.CA, Path]) -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    with serving(inbox, ssl_context=server_context(authority[0], "127.0.0.1")) as port:
        yield inbox, port


def remind(
    path: Path, port: int, security: str, cafile: Path | None, password: str | None = None
) -> Result:
    """`sheetsync remind` with the SMTP settings in the environment (None: unset there);
    with a password, the login is user `u`."""
    env: dict[str, str | None] = {
        "SHEETSYNC_SMTP_HOST": "127.0.0.1",
        "SHEETSYNC_SMTP_PORT": str(port),
        "SHEETSYNC_SMTP_SECURITY": security,
        "SHEETSYNC_SMTP_CAFILE": str(cafile) if cafile else None,
        "SHEETSYNC_SMTP_FILE": None,
        "SHEETSYNC_SMTP_USER": "u" if password else None,
        "SHEETSYNC_SMTP_PASSWORD": password,
    }
    return CliRunner().invoke(cli, ["remind", str(path), "--as-of", AS_OF], env=env)


def test_starttls_delivers_with_the_authority_given(
    tmp_path: Path, starttls_server: tuple[Inbox, int], authority: tuple[trustme.CA, Path]
) -> None:
    inbox, port = starttls_server
    path = french(tmp_path)
    result = remind(path, port, "starttls", authority[1])
    assert result.exit_code == 0, result.output
    assert "3 relance(s) envoyée(s)." in result.output
    got = inbox.by_recipient()
    assert set(got) == {"cy@example.org", "ana@example.org", "bo@example.org"}
    assert got["cy@example.org"]["Subject"] == "budget.xlsx : vos contributions à déclarer"
    assert inbox.over_tls == [True, True, True]
    assert reminded(path) == {("person", "cy"), ("pilot", "communication"), ("pilot", "site")}


def test_ssl_delivers_with_the_authority_given(
    tmp_path: Path, ssl_server: tuple[Inbox, int], authority: tuple[trustme.CA, Path]
) -> None:
    inbox, port = ssl_server
    result = remind(english(tmp_path), port, "ssl", authority[1])
    assert result.exit_code == 0, result.output
    assert "2 reminder(s) sent." in result.output
    got = inbox.by_recipient()
    assert set(got) == {"cy@example.org", "ana@example.org"}
    assert got["cy@example.org"]["Subject"] == "budget-en.xlsx: your contributions to declare"
    assert inbox.over_tls == [True, True]


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_an_unknown_authority_is_refused_and_nothing_is_sent(
    tmp_path: Path, security: str, request: pytest.FixtureRequest
) -> None:
    inbox, port = request.getfixturevalue(f"{security}_server")
    path = french(tmp_path)
    result = remind(path, port, security, None)  # the system's authorities only
    assert result.exit_code == 4, result.output
    assert f"Le certificat du serveur d'envoi 127.0.0.1:{port} est refusé" in result.output
    assert "il n'est signé par aucune autorité reconnue" in result.output
    assert "rien n'est noté comme envoyé" in result.output
    assert "SHEETSYNC_SMTP_CAFILE" in result.output
    assert inbox.messages == []
    assert reminded(path) == set()


def test_a_certificate_for_another_name_is_refused_in_english(
    tmp_path: Path, authority: tuple[trustme.CA, Path]
) -> None:
    inbox = Inbox()
    context = server_context(authority[0], "mail.example.org")
    with serving(inbox, ssl_context=context) as port:
        result = remind(english(tmp_path), port, "ssl", authority[1])
    assert result.exit_code == 4, result.output
    assert f"The certificate of the mail server 127.0.0.1:{port} is refused" in result.output
    assert "it was not issued for 127.0.0.1" in result.output
    assert inbox.messages == []


def test_starttls_not_offered_never_falls_back_to_plain(
    tmp_path: Path, server: tuple[Inbox, int], authority: tuple[trustme.CA, Path]
) -> None:
    inbox, port = server  # a plain server: no STARTTLS in its EHLO
    path = french(tmp_path)
    result = remind(path, port, "starttls", authority[1])
    assert result.exit_code == 4, result.output
    assert f"Le serveur d'envoi 127.0.0.1:{port} ne propose pas STARTTLS" in result.output
    assert "rien n'est envoyé en clair" in result.output
    assert inbox.messages == []
    assert reminded(path) == set()


def accept(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    """aiosmtpd's authenticator: user `u` with PASSWORD; anything else gets its 535."""
    assert isinstance(auth_data, LoginPassword)
    known = (auth_data.login, auth_data.password) == (b"u", PASSWORD.encode())
    return AuthResult(success=known, handled=False)


def test_the_login_goes_over_tls_and_the_password_is_never_shown(
    tmp_path: Path, authority: tuple[trustme.CA, Path]
) -> None:
    inbox = Inbox()
    tls = server_context(authority[0], "127.0.0.1")
    path = french(tmp_path)
    with serving(inbox, tls_context=tls, require_starttls=True, authenticator=accept) as port:
        wrong = remind(path, port, "starttls", authority[1], "not-" + PASSWORD)
        assert wrong.exit_code == 4, wrong.output
        assert "535" in wrong.output  # the server's refusal, named
        assert PASSWORD not in wrong.output
        assert reminded(path) == set()
        right = remind(path, port, "starttls", authority[1], PASSWORD)
    assert right.exit_code == 0, right.output
    assert PASSWORD not in right.output
    assert inbox.over_tls == [True, True, True]


def test_the_authority_file_from_the_smtp_file_and_the_environment(
    tmp_path: Path, authority: tuple[trustme.CA, Path]
) -> None:
    folder = tmp_path / "conf"
    folder.mkdir()
    settings = folder / "smtp.toml"
    settings.write_text('host = "mail.example.org"\ncafile = "ca.pem"\n', "utf-8")
    found = mail.smtp_settings("fr", {"SHEETSYNC_SMTP_FILE": str(settings)})
    assert found.cafile == str(folder / "ca.pem")  # beside the file that names it
    given = mail.smtp_settings(
        "fr", {"SHEETSYNC_SMTP_FILE": str(settings), "SHEETSYNC_SMTP_CAFILE": str(authority[1])}
    )
    assert given.cafile == str(authority[1])
    assert mail.tls_context(given, "fr").get_ca_certs()  # the test authority, loaded
    with pytest.raises(MailSettingsError, match=r"autorités de certification illisible"):
        mail.tls_context(found, "fr")  # conf/ca.pem does not exist


def test_an_unreadable_authority_file_is_a_usage_error(
    tmp_path: Path, starttls_server: tuple[Inbox, int]
) -> None:
    inbox, port = starttls_server
    bogus = tmp_path / "ca.pem"
    bogus.write_text("not a certificate\n", "utf-8")
    path = english(tmp_path)
    result = remind(path, port, "starttls", bogus)
    assert result.exit_code == 2, result.output
    assert "Unreadable certificate authority file (SHEETSYNC_SMTP_CAFILE)" in result.output
    assert inbox.messages == []
    assert reminded(path) == set()
