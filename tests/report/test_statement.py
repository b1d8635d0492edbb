"""Per-person statements: the head, the payee's figures, figures by group, the rows and
their total, only the columns that say something; Markdown and HTML escaped."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from pathlib import Path

import pypdf
import pytest

from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.books import rules
from sheetsync.errors import UnknownPersonError
from sheetsync.model import Book, Kind, Policy, Status
from sheetsync.report import statement, statement_document
from sheetsync.template import Lang
from tests.support.factories import group, make_book, person

AS_OF = dt.date(2026, 6, 1)


def book_for(lang: Lang = "fr") -> Book:
    return make_book(
        groups=[
            group("Alpha", envelope=10_000, policy=Policy.PRO_RATA),
            group("<b>Beta</b>", row=3),
        ],
        people=[person("Zoé | Coop", billing_entity="Coop <SCOP>")],
        rows=[
            {"person": "Zoé | Coop", "group": "Alpha", "hours": 3.5, "requested": 15_000},
            {"person": "Max", "group": "Alpha", "requested": 5_000},
            {"person": "zoé | coop", "group": "<b>Beta</b>", "hours": 1, "requested": 4_000},
        ],
        payment_rows=[{"payee": "Coop <SCOP>", "amount": 2_500}],
        lang=lang,
    )


def test_statement_figures() -> None:
    book = book_for()
    found = statement.build(book, rules.compute(book, AS_OF), "ZOÉ | coop")
    # Alpha: 10 000 shared 15 000 : 5 000 -> 7 500 ; Beta is under its envelope.
    assert [line[1:] for line in found.by_group] == [
        ("Alpha", 3.5, 15_000, 7_500),
        ("<b>Beta</b>", 1.0, 4_000, 4_000),
    ]
    assert (found.payee, found.payable, found.paid, found.balance) == (
        "Coop <SCOP>", 11_500, 2_500, 9_000,
    )  # fmt: skip
    assert [row[0] for row in found.contributions.rows] == [2, 4]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fr", ["# Relevé de Zoé \\| Coop", "| Alpha | 3,5 | 150,00 € | 75,00 € |",
                "Période du 01/01/2026 au 31/12/2026, situation au 01/06/2026",
                "À verser, versé et solde sont ceux du bénéficiaire « Coop <SCOP> ».",
                "- À verser\u00a0: 115,00 €", "- Versé\u00a0: 25,00 €",
                "- **Solde\u00a0: 90,00 €**",
                "| **Total** | **4,5** | **190,00 €** | **115,00 €** |",
                "| **Total** |  |  |  |  | **4,5** | **192,86 €** | **190,00 €** "
                "| **115,00 €** |"]),
        ("en", ["# Statement for Zoé \\| Coop", "| Alpha | 3.5 | €150.00 | €75.00 |",
                "Period 2026-01-01 to 2026-12-31, as of 2026-06-01",
                "Payable, paid and balance are those of the payee 'Coop <SCOP>'.",
                "- Payable: €115.00", "- Paid: €25.00", "- **Balance: €90.00**",
                "| **Total** | **4.5** | **€190.00** | **€115.00** |",
                "| **Total** |  |  |  |  | **4.5** | **€192.86** | **€190.00** "
                "| **€115.00** |"]),
    ],
)  # fmt: skip
def test_markdown(lang: Lang, expected: list[str]) -> None:
    book = book_for(lang)
    text = statement_document.to_markdown(
        statement.build(book, rules.compute(book, AS_OF), "Zoé | Coop")
    )
    lines = text.splitlines()
    for line in expected:
        assert line in lines
    assert text.count("Zoé") == 1  # the title: no column repeats the person
    assert "Personne" not in text
    assert "Person |" not in text


def test_html_escapes_every_text() -> None:
    book = book_for()
    page = statement_document.to_html(
        statement.build(book, rules.compute(book, AS_OF), "Zoé | Coop")
    )
    assert "<b>Beta</b>" not in page
    assert "&lt;b&gt;Beta&lt;/b&gt;" in page
    assert "Coop &lt;SCOP&gt;" in page
    assert page.count("<table>") == 3
    assert page.count('<tr class="total">') == 3  # the balance, the groups', the rows'


def test_unknown_person_suggests_the_closest_name() -> None:
    book = book_for()
    with pytest.raises(UnknownPersonError, match=re.escape("« Zoé | Coop »")):
        statement.build(book, rules.compute(book, AS_OF), "Zoe | Coup")


# ---------------------------------------------------------------- the payee's brought forward


def _with_brought_forward(book: Book, carried: int | None) -> rules.Figures:
    """The books' figures, the payouts carrying a balance from earlier periods as the
    years' closings add it: a `brought_forward` column, and the balance including it."""
    figures = rules.compute(book, AS_OF)
    if carried is None:
        return figures
    payouts = figures.payouts.assign(brought_forward=carried)
    payouts["balance"] = payouts["brought_forward"] + payouts["payable"] - payouts["paid"]
    return dataclasses.replace(figures, payouts=payouts)


@pytest.mark.parametrize(
    ("carried", "line", "balance"),
    [
        (1_200, "- Report\u00a0: 12,00 €", "- **Solde\u00a0: 102,00 €**"),
        (-500, "- Report\u00a0: -5,00 €", "- **Solde\u00a0: 85,00 €**"),
        (0, None, "- **Solde\u00a0: 90,00 €**"),
        (None, None, "- **Solde\u00a0: 90,00 €**"),  # payouts without the column
    ],
)
def test_the_brought_forward_balance_is_a_line_of_its_own(
    carried: int | None, line: str | None, balance: str
) -> None:
    book = book_for()
    found = statement.build(book, _with_brought_forward(book, carried), "Zoé | Coop")
    assert (found.brought_forward, found.payable, found.paid) == (carried or 0, 11_500, 2_500)
    assert found.balance == (carried or 0) + 11_500 - 2_500
    lines = statement_document.to_markdown(found).splitlines()
    assert balance in lines
    carried_lines = [x for x in lines if x.startswith("- Report")]
    assert carried_lines == ([line] if line else [])


# ---------------------------------------------------------------- columns, totals, refused rows


def test_only_the_columns_that_say_something_are_shown() -> None:
    """A one-person statement has no Person column; the charged group shows only when a
    row is charged elsewhere (créa on invitation); a payee of two people names them."""
    book = make_book(
        groups=[group("Alpha", pilot="Max"), group("Beta", row=3)],
        people=[person("Zoé", billing_entity="Coop"), person("Max", billing_entity="Coop")],
        rows=[
            {"person": "Zoé", "group": "Alpha", "requested": 10_000},
            {
                "person": "Zoé",
                "group": "Beta",
                "charged": "Alpha",
                "kind": Kind.CREATIVE,
                "invited_by": "Max",
                "requested": 3_000,
            },
            {"person": "Max", "group": "Beta", "requested": 2_000},
        ],
    )
    figures = rules.compute(book, AS_OF)
    zoe = statement_document.document(statement.build(book, figures, "Zoé"))
    assert zoe.tables[-1].header[:4] == ("Ligne", "Date", "Groupe", "Groupe imputé")
    assert "Personne" not in zoe.tables[1].header
    coop = statement_document.document(statement.build_for_payee(book, figures, "coop"))
    assert coop.tables[-1].header[:4] == ("Ligne", "Date", "Personne", "Groupe")
    assert "Groupe imputé" in coop.tables[-1].header
    assert coop.tables[1].header[0] == "Personne"
    assert "Personnes\u00a0: Max, Zoé" in coop.lines
    max_alone = statement_document.document(statement.build(book, figures, "Max"))
    assert max_alone.tables[-1].header[:4] == ("Ligne", "Date", "Groupe", "Type")


def test_a_refused_row_is_listed_without_amounts_and_the_total_adds_up() -> None:
    book = make_book(
        groups=[group("Alpha")],
        rows=[
            {"person": "Zoé", "hours": 7, "requested": 30_000, "status": Status.VALIDATED},
            {"person": "Zoé", "hours": 3, "requested": 9_000, "status": Status.REJECTED},
        ],
    )
    found = statement.build(book, rules.compute(book, AS_OF), "Zoé")
    table = statement_document.document(found).tables[-1]
    refused = table.rows[1]
    assert refused[table.header.index("Statut")] == "refusé"
    assert [refused[table.header.index(h)] for h in ("Durée (h)", "Montant demandé")] == ["", ""]
    total = table.rows[-1]
    assert total[0] == "Total"
    assert total[table.header.index("Durée (h)")] == "7"  # the people summary's hours
    assert total[table.header.index("Montant demandé")] == "300,00 €"
    assert found.totals == statement.Totals(7 * 3600, 30_000, 30_000, 30_000)


# ---------------------------------------------------------------- the head


def test_the_network_is_the_setting_then_the_spreadsheets_title(tmp_path: Path) -> None:
    book = book_for()
    local = XlsxBackend(tmp_path / "Réseau Sud-Ouest.xlsx", "fr")
    assert statement.network_name(book, local) == "Réseau Sud-Ouest"
    assert statement.network_name(book) is None
    named = dataclasses.replace(
        book, settings=dataclasses.replace(book.settings, network_name=" Tiers-lieux 31 ")
    )
    assert statement.network_name(named, local) == "Tiers-lieux 31"
    found = statement.build(book, rules.compute(book, AS_OF), "Zoé | Coop", None)
    assert not [line for line in statement_document.document(found).lines if "Réseau" in line]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_pdf_says_the_head_in_the_sheets_language(lang: Lang) -> None:
    book = book_for(lang)
    found = statement.build(book, rules.compute(book, AS_OF), "Zoé | Coop", "Réseau Sud")
    reader = pypdf.PdfReader(io.BytesIO(statement_document.to_pdf(found)))
    text = reader.pages[0].extract_text().replace("\xa0", " ")
    head = {
        "fr": ["Relevé de Zoé | Coop", "Réseau : Réseau Sud",
               "Période du 01/01/2026 au 31/12/2026, situation au 01/06/2026", "Total"],
        "en": ["Statement for Zoé | Coop", "Network: Réseau Sud",
               "Period 2026-01-01 to 2026-12-31, as of 2026-06-01", "Total"],
    }[lang]  # fmt: skip
    lines = [line.strip() for line in text.splitlines()]
    assert all(line in lines for line in head[:3])
    assert any(line.startswith("Total ") for line in lines)
