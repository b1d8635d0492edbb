"""Per-person statements: the person's rows, figures by group, paid and balance, escaped."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from sheetsync.books import rules
from sheetsync.model import Book, Policy
from sheetsync.report import statement
from sheetsync.template import Lang
from tests.factories import group, make_book, person

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
                "| Coop <SCOP> | 0,00 € | 115,00 € | 25,00 € | 90,00 € |"]),
        ("en", ["# Statement for Zoé \\| Coop", "| Alpha | 3.5 | €150.00 | €75.00 |",
                "| Coop <SCOP> | €0.00 | €115.00 | €25.00 | €90.00 |"]),
    ],
)  # fmt: skip
def test_markdown(lang: Lang, expected: list[str]) -> None:
    book = book_for(lang)
    text = statement.to_markdown(statement.build(book, rules.compute(book, AS_OF), "Zoé | Coop"))
    lines = text.splitlines()
    for line in expected:
        assert line in lines


def test_html_escapes_every_text() -> None:
    book = book_for()
    page = statement.to_html(statement.build(book, rules.compute(book, AS_OF), "Zoé | Coop"))
    assert "<b>Beta</b>" not in page
    assert "&lt;b&gt;Beta&lt;/b&gt;" in page
    assert "Coop &lt;SCOP&gt;" in page
    assert page.count("<table>") == 3


def test_unknown_person_suggests_the_closest_name() -> None:
    book = book_for()
    with pytest.raises(statement.UnknownPersonError, match=re.escape("« Zoé | Coop »")):
        statement.build(book, rules.compute(book, AS_OF), "Zoe | Coup")
