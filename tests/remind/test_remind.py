"""`sheetsync remind` against a real SMTP server (aiosmtpd, on a local port): who gets
a message, in which language, that nobody is reminded twice of the same silence, and
that a refusing or absent server exits 4 without marking anything it did not take."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import openpyxl
import pytest

from sheetsync.errors import MailSettingsError
from sheetsync.remind import mail
from tests.support.remind import english, french, remind, reminded
from tests.support.smtp import Inbox, free_port


def body(message: EmailMessage) -> str:
    return str(message.get_content()).replace("\r\n", "\n")


def test_french_reminders_reach_the_silent_and_the_pilots(
    tmp_path: Path, server: tuple[Inbox, int]
) -> None:
    inbox, port = server
    path = french(tmp_path)
    result = remind(path, port)
    assert result.exit_code == 0, result.output
    assert "3 relance(s) envoyée(s)." in result.output
    got = inbox.by_recipient()
    # Cy is silent; Dee opted out; Eve has no address; Ana's and Bo's groups need them.
    assert set(got) == {"cy@example.org", "ana@example.org", "bo@example.org"}
    cy = got["cy@example.org"]
    assert cy["Subject"] == "budget.xlsx : vos contributions à déclarer"
    assert (cy["From"], cy["Reply-To"]) == ("budget@example.org", "tresorerie@example.org")
    assert "depuis le 01/01/2026" in body(cy)
    assert "https://forms.example.org/contribuer" in body(cy)
    ana = got["ana@example.org"]
    assert (
        ana["Subject"] == "budget.xlsx : groupe « Communication » (dépassé, 1 ligne(s) à corriger)"
    )
    bo = body(got["bo@example.org"])
    assert "- Contributions, ligne 4, Date : " in bo  # the row to fix, in the pilot's group
    assert reminded(path) == {("person", "cy"), ("pilot", "communication"), ("pilot", "site")}


def test_nobody_is_reminded_twice_of_the_same_silence(
    tmp_path: Path, server: tuple[Inbox, int]
) -> None:
    inbox, port = server
    path = french(tmp_path)
    assert remind(path, port).exit_code == 0
    again = remind(path, port)
    assert again.exit_code == 0, again.output
    assert "0 relance(s) envoyée(s)." in again.output
    assert len(inbox.messages) == 3


def test_english_reminders(tmp_path: Path, server: tuple[Inbox, int]) -> None:
    inbox, port = server
    result = remind(english(tmp_path), port)
    assert result.exit_code == 0, result.output
    got = inbox.by_recipient()
    assert set(got) == {"cy@example.org", "ana@example.org"}
    assert got["cy@example.org"]["Subject"] == "budget-en.xlsx: your contributions to declare"
    assert body(got["cy@example.org"]).startswith("Hello Cy,\n\nNo contribution of yours")
    ana = got["ana@example.org"]
    assert ana["Subject"] == "budget-en.xlsx: group 'Website' (over, 1 row(s) to fix)"
    assert "- Groups, row 2, Envelope: Group 'Website' has consumed" in body(ana)


def test_dry_run_prints_and_sends_nothing(tmp_path: Path, server: tuple[Inbox, int]) -> None:
    inbox, port = server
    path = french(tmp_path)
    result = remind(path, port, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Simulation : 3 relance(s) seraient envoyées" in result.output
    assert "À : cy@example.org" in result.output
    assert inbox.messages == []
    assert reminded(path) == set()


def test_a_refused_message_exits_4_and_is_not_marked(
    tmp_path: Path, server: tuple[Inbox, int]
) -> None:
    inbox, port = server
    inbox.refuse = frozenset({"cy@example.org"})
    path = french(tmp_path)
    result = remind(path, port)
    assert result.exit_code == 4
    assert "a refusé 1 relance(s) : cy@example.org: 550 Mailbox unavailable" in result.output
    assert ("person", "cy") not in reminded(path)
    assert len(reminded(path)) == 2  # the pilots' digests went through
    inbox.refuse = frozenset()
    assert remind(path, port).exit_code == 0
    assert [tos for tos, _ in inbox.messages][-1] == ["cy@example.org"]


def test_a_server_down_exits_4_and_marks_nothing(tmp_path: Path) -> None:
    path = french(tmp_path)
    result = remind(path, free_port())  # nobody listens there
    assert result.exit_code == 4
    assert "Le serveur d'envoi 127.0.0.1:" in result.output
    assert "rien n'est noté comme envoyé" in result.output
    assert reminded(path) == set()


def test_smtp_settings_from_a_file_and_the_environment(tmp_path: Path) -> None:
    settings = tmp_path / "smtp.toml"
    settings.write_text(
        'host = "mail.example.org"\nuser = "u"\npassword = "s3cret"\nsecurity = "ssl"\n'
    )
    found = mail.smtp_settings("fr", {"SHEETSYNC_SMTP_FILE": str(settings)})
    assert (found.host, found.port, found.security, found.user) == (
        "mail.example.org",
        465,
        "ssl",
        "u",
    )
    assert "s3cret" not in repr(found)
    override = mail.smtp_settings(
        "en", {"SHEETSYNC_SMTP_FILE": str(settings), "SHEETSYNC_SMTP_PORT": "2525"}
    )
    assert override.port == 2525
    with pytest.raises(MailSettingsError, match="SHEETSYNC_SMTP_HOST"):
        mail.smtp_settings("en", {})


def test_no_sender_is_a_usage_error_and_sends_nothing(
    tmp_path: Path, server: tuple[Inbox, int]
) -> None:
    inbox, port = server
    path = english(tmp_path)
    workbook = openpyxl.load_workbook(path)
    workbook["Settings"].delete_rows(2)
    workbook.save(path)
    result = remind(path, port)
    assert result.exit_code == 2
    assert "add the setting 'Reminder sender'" in result.output
    assert inbox.messages == []
