"""Email cells checked where they are read, and reminders that survive a bad address or a
mail server dropping the connection: against the real local SMTP server (aiosmtpd).

Nobody is mailed twice, nobody is mailed from a cell that is not one address, and a run
that stops half-way records every mail it sent before it exits, without a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner

from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.cli.main import cli
from sheetsync.model import CellValue
from sheetsync.remind import mail, run
from sheetsync.remind.mail import Mail
from tests.support.golden import write_xlsx
from tests.support.remind import AS_OF, env, remind, reminded
from tests.support.smtp import Inbox, serving

# Email cells a person may type, and whether each is one address (the one it is).
CELLS: list[tuple[str, str, str | None]] = [
    ("Ana", "ana@example.org", "ana@example.org"),
    ("Bo", "  bo@example.org\n", "bo@example.org"),  # surrounding spaces, a trailing break
    ("Cy", "Cy Lopez <cy@example.org>", "cy@example.org"),  # a display name: its address
    ("Dan", "dan@example.org\nBcc: everyone@example.org", None),  # a header smuggled in
    ("Eli", "eli@example.org\nelias@example.org", None),  # two lines of one cell
    ("Fay", "fay@example.org, fanny@example.org", None),  # two addresses
    ("Gil", "gil.example.org", None),  # no @
    ("Hal", "hal_x0007_@example.org", None),  # a bell, as Excel stores it in the file
]
BAD = ["Dan", "Eli", "Fay", "Gil", "Hal"]


def workbook(tmp_path: Path, people: list[tuple[str, str]], lang: str = "fr") -> Path:
    """A sheet where every person of `people` is silent since the period began."""
    french = lang == "fr"
    listed: list[list[CellValue]] = [[name, email] for name, email in people]
    tabs: dict[str, list[list[CellValue]]] = {
        "Paramètres" if french else "Settings": [
            ["Paramètre", "Valeur"] if french else ["Setting", "Value"],
            ["Début de période" if french else "Period start", "2026-01-01"],
            ["Expéditeur des relances" if french else "Reminder sender", "budget@example.org"],
        ],
        "Groupes" if french else "Groups": [
            ["Groupe", "Enveloppe"] if french else ["Group", "Envelope"],
            ["Site", 10000],
        ],
        "Personnes" if french else "People": [
            ["Personne", "Email"] if french else ["Person", "Email"],
            *listed,
            ["Zed", ""],
        ],
        "Contributions": [
            ["Date", "Personne", "Groupe", "Durée (h)"]
            if french
            else ["Date", "Person", "Group", "Hours"],
            ["2026-06-20", "Zed", "Site", 2],
        ],
    }
    path = tmp_path / "budget.xlsx"
    write_xlsx(tabs, path)
    return path


def anomalies(path: Path, port: int) -> list[dict[str, object]]:
    arguments = ["check", str(path), "--as-of", AS_OF, "--json"]
    result = CliRunner().invoke(cli, arguments, env=env(port))
    assert result.exit_code == 0, result.output
    found: list[dict[str, object]] = json.loads(result.output)["anomalies"]
    return found


def recipients(inbox: Inbox) -> list[str]:
    return [to for tos, _ in inbox.messages for to in tos]


def test_each_bad_email_cell_is_an_error_on_personnes_and_gets_nothing(
    tmp_path: Path, server: tuple[Inbox, int]
) -> None:
    inbox, port = server
    path = workbook(tmp_path, [(name, cell) for name, cell, _ in CELLS])
    found = [a for a in anomalies(path, port) if a["code"] == "email_invalid"]
    assert [(a["tab"], a["column"], a["severity"]) for a in found] == [
        ("Personnes", "Email", "error")
    ] * len(BAD)
    assert [a["row"] for a in found] == [5, 6, 7, 8, 9]  # Dan to Hal, below the header
    messages = [str(a["message"]) for a in found]
    assert messages[0].startswith("Plusieurs adresses dans une cellule Email")
    assert "␤Bcc: everyone@example.org" in messages[0]  # the break shown, on one line
    assert messages[3].startswith("Adresse e-mail sans @ « gil.example.org »")
    assert "retour à la ligne ou un caractère invisible" in messages[4]
    assert all("écrivez" in m or "retapez" in m for m in messages)  # what to type
    assert all(
        f"{name} ne reçoit aucune relance" in m for name, m in zip(BAD, messages, strict=True)
    )

    result = remind(path, port)
    assert result.exit_code == 0, result.output
    assert sorted(recipients(inbox)) == ["ana@example.org", "bo@example.org", "cy@example.org"]
    got = inbox.by_recipient()
    assert got["cy@example.org"]["To"] == "cy@example.org"
    for _, message in inbox.messages:  # one recipient each, and no header smuggled in
        assert message["Bcc"] is None
        assert message["Cc"] is None
    assert reminded(path) == {("person", "ana"), ("person", "bo"), ("person", "cy")}


def test_an_english_sheet_says_what_to_type_in_english(
    tmp_path: Path, server: tuple[Inbox, int]
) -> None:
    _, port = server
    path = workbook(tmp_path, [("Fay", "fay@example.org; fanny@example.org")], lang="en")
    [found] = [a for a in anomalies(path, port) if a["code"] == "email_invalid"]
    assert (found["tab"], found["column"]) == ("People", "Email")
    assert str(found["message"]).startswith(
        'Several addresses in one Email cell "fay@example.org; fanny@example.org": '
        "write one address only, e.g. ana@example.org. Meanwhile Fay gets no reminder."
    )


@pytest.mark.parametrize("setting", ["budget@example.org\nBcc: everyone@example.org", "budget"])
def test_a_sender_that_is_not_one_address_sends_nothing(
    tmp_path: Path, server: tuple[Inbox, int], setting: str
) -> None:
    inbox, port = server
    path = workbook(tmp_path, [("Ana", "ana@example.org")])
    import openpyxl  # noqa: PLC0415 - only this test edits the workbook

    book = openpyxl.load_workbook(path)
    book["Paramètres"]["B3"] = setting
    book.save(path)
    [found] = [a for a in anomalies(path, port) if a["code"] == "setting_unreadable"]
    assert "une seule, par ex. budget@example.org" in str(found["message"])
    result = remind(path, port)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "Expéditeur des relances" in result.output
    assert inbox.messages == []


def silent(count: int) -> list[tuple[str, str]]:
    return [(f"P{n}", f"p{n}@example.org") for n in range(1, count + 1)]


def test_a_server_dropping_the_connection_after_three_loses_no_record(
    tmp_path: Path, server: tuple[Inbox, int]
) -> None:
    inbox, port = server
    inbox.drop_after = 3
    path = workbook(tmp_path, silent(6))
    first = remind(path, port)
    assert first.exit_code == 4, first.output
    assert first.exception is None or isinstance(first.exception, SystemExit)
    assert "Traceback" not in first.output
    assert "La connexion au serveur d'envoi a été perdue" in first.output
    assert "3 relance(s) non envoyée(s) (p4@example.org, p5@example.org, p6@example.org)" in (
        first.output
    )
    assert "3 envoyée(s) et notée(s)" in first.output
    assert recipients(inbox) == ["p1@example.org", "p2@example.org", "p3@example.org"]
    assert reminded(path) == {("person", "p1"), ("person", "p2"), ("person", "p3")}

    inbox.drop_after = None
    second = remind(path, port)
    assert second.exit_code == 0, second.output
    assert "3 relance(s) envoyée(s)." in second.output
    assert recipients(inbox) == [f"p{n}@example.org" for n in range(1, 7)]  # each one once
    assert remind(path, port).exit_code == 0
    assert len(inbox.messages) == 6


def test_a_connection_dropped_after_every_mail_still_reaches_everyone_once(
    tmp_path: Path, server: tuple[Inbox, int]
) -> None:
    inbox, port = server
    path = workbook(tmp_path, silent(4))
    for taken in range(1, 5):  # a server that takes one message per connection
        inbox.drop_after = taken
        result = remind(path, port)
        assert result.exit_code == (0 if taken == 4 else 4), result.output
    assert recipients(inbox) == [f"p{n}@example.org" for n in range(1, 5)]


def test_a_state_that_cannot_be_written_names_who_was_mailed(
    tmp_path: Path, server: tuple[Inbox, int]
) -> None:
    inbox, port = server
    path = workbook(tmp_path, silent(2))
    opened = tmp_path / ".~lock.budget.xlsx#"  # LibreOffice opens the workbook mid-run

    def open_it() -> None:
        opened.write_text("someone")

    inbox.on_data = open_it
    result = remind(path, port)
    assert result.exit_code == 4
    assert "Traceback" not in result.output
    assert "2 relance(s) envoyée(s) (p1@example.org, p2@example.org) mais non notée(s)" in (
        result.output
    )
    assert "est ouvert dans un tableur" in result.output


def test_send_never_builds_a_header_from_an_unchecked_address() -> None:
    inbox = Inbox()
    mails = [
        Mail("ana@example.org", "Budget\n2026 : relance", "Bonjour", "person", "ana", "m"),
        Mail("x@example.org\nBcc: all@example.org", "s", "b", "person", "x", "m"),
        Mail("bo@example.org", "s", "b", "person", "bo", "m"),
    ]
    with serving(inbox) as port:
        smtp = mail.Smtp("127.0.0.1", port, "none")
        delivery = mail.send(smtp, mails, "budget@example.org", "", "en")
    assert [m.key for m in delivery.sent] == ["ana", "bo"]
    assert delivery.refused == ("x@example.org␤Bcc: all@example.org: not one email address",)
    assert recipients(inbox) == ["ana@example.org", "bo@example.org"]
    assert inbox.messages[0][1]["Subject"] == "Budget 2026 : relance"


def test_ctrl_c_while_sending_records_the_mails_sent_then_stops(
    tmp_path: Path, server: tuple[Inbox, int]
) -> None:
    inbox, port = server
    path = workbook(tmp_path, silent(3))

    def interrupt_at_the_second() -> None:
        if len(inbox.messages) == 1:  # the first is kept, the second is being sent
            os.kill(os.getpid(), signal.SIGINT)  # the client waits for the answer: Ctrl-C

    inbox.on_data = interrupt_at_the_second
    with pytest.raises(KeyboardInterrupt):
        run.remind(XlsxBackend(path, "fr"), str(path), dt.date(2026, 6, 30), environ=env(port))
    # The first was answered and is recorded; the second was cut off before its answer,
    # so it is not (it goes again at the next run); the third was never sent.
    assert reminded(path) == {("person", "p1")}
    assert "p3@example.org" not in recipients(inbox)
