"""The Scenarios tab: hand-computed shares under each policy for groups over their envelope."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from sheetsync.books import rules
from sheetsync.model import Book, Policy, Retribution, Status
from sheetsync.report import tables as report
from sheetsync.template import Lang
from tests.support.factories import group, make_book, person

AS_OF = dt.date(2026, 6, 1)

# Alpha: envelope 1 000,00 €, candidates 1 200,01 € that do not divide evenly.
ALPHA_ROWS = [
    {"person": "Bob", "group": "Alpha", "requested": 60_000, "date": dt.date(2026, 3, 5)},
    {"person": "Alice", "group": "Alpha", "requested": 30_000, "date": dt.date(2026, 3, 2)},
    {"person": "Alice", "group": "Alpha", "requested": 20_000, "date": dt.date(2026, 3, 4)},
    {"person": "Chloé", "group": "Alpha", "requested": 10_001, "date": dt.date(2026, 3, 3)},
    # A volunteer: 7 h valued 300,00 € but never paid.
    {"person": "Dan", "group": "Alpha", "hours": 7, "date": dt.date(2026, 3, 1)},
    # Rejected: left out of every amount.
    {"person": "Bob", "group": "Alpha", "requested": 99_999, "status": Status.REJECTED},
    {"person": "Alice", "group": "Beta", "requested": 50_000},
]


def alpha_book(policy: Policy = Policy.FLAG, lang: Lang = "fr") -> Book:
    return make_book(
        groups=[
            group("Alpha", envelope=100_000, policy=policy),
            group("Beta", envelope=50_000, row=3),  # exactly at its envelope: not over
        ],
        people=[person("Dan", Retribution.VOLUNTEER)],
        rows=ALPHA_ROWS,
        lang=lang,
    )


def scenario_table(book: Book) -> list[tuple[object, ...]]:
    tables = report.render(book, rules.compute(book, AS_OF), [])
    return next(t for t in tables if t.key == "scenarios").rows


# Pro-rata: floors 49 999 / 24 999 / 16 666 / 8 334 leave 2 cents, which go to
# the largest remainders (Alice's 30 000 row, then Bob's).
# First-come by date: Alice 300, Chloé 100,01, Alice 200, then Bob the 399,99 left.
EXPECTED_ALPHA = [
    ("Alpha", 100_000, "Alice", 50_000, 50_000, 41_666, 50_000),
    ("Alpha", 100_000, "Bob", 60_000, 60_000, 50_000, 39_999),
    ("Alpha", 100_000, "Chloé", 10_001, 10_001, 8_334, 10_001),
    ("Alpha", 100_000, "Dan", 30_000, 0, 0, 0),
    ("Alpha", 100_000, "Total", 150_001, 120_001, 100_000, 100_000),
]


@pytest.mark.parametrize("policy", list(Policy))
def test_scenarios_are_hand_computed_whatever_the_group_policy(policy: Policy) -> None:
    assert scenario_table(alpha_book(policy)) == EXPECTED_ALPHA


@pytest.mark.parametrize(
    ("policy", "column"),
    [(Policy.FLAG, 4), (Policy.PRO_RATA, 5), (Policy.FIRST_COME, 6)],
)
def test_each_scenario_is_what_the_rules_pay_under_that_policy(policy: Policy, column: int) -> None:
    book = alpha_book(policy)
    pairs = rules.compute(book, AS_OF).people_by_group
    alpha = pairs[pairs["group"] == "Alpha"]
    paid = dict(zip(alpha["person"], alpha["payable"], strict=True))
    shown = {row[2]: row[column] for row in EXPECTED_ALPHA if row[2] != "Total"}
    assert shown == paid


def test_no_group_over_its_envelope_gives_an_empty_tab() -> None:
    book = alpha_book()
    roomy = dataclasses.replace(book, groups=(group("Alpha", envelope=200_000), book.groups[1]))
    assert scenario_table(roomy) == []


def test_pending_rows_are_requested_but_shared_by_no_policy() -> None:
    book = make_book(
        groups=[group("Alpha", envelope=10_000)],
        rows=[
            {"person": "Ann", "requested": 8_000, "status": Status.VALIDATED},
            {"person": "Ann", "requested": 5_000},  # declared: pending
            {"person": "Ben", "requested": 6_000, "status": Status.VALIDATED},
        ],
    )
    book = dataclasses.replace(
        book, settings=dataclasses.replace(book.settings, validation_required=True)
    )
    assert scenario_table(book) == [
        ("Alpha", 10_000, "Ann", 13_000, 8_000, 5_714, 8_000),
        ("Alpha", 10_000, "Ben", 6_000, 6_000, 4_286, 2_000),
        ("Alpha", 10_000, "Total", 19_000, 14_000, 10_000, 10_000),
    ]


@pytest.mark.parametrize(
    ("lang", "title", "policies"),
    [
        ("fr", "Scénarios", ("signaler", "proportionnel", "ordre d'arrivée")),
        ("en", "Scenarios", ("flag", "pro-rata", "first-come")),
    ],
)
def test_tab_and_policy_columns_are_localized(
    lang: Lang, title: str, policies: tuple[str, ...]
) -> None:
    book = alpha_book(lang=lang)
    table = next(
        t for t in report.render(book, rules.compute(book, AS_OF), []) if t.key == "scenarios"
    )
    assert table.title == title
    assert table.header[-3:] == policies
    assert table.kinds[-4:] == ("money",) * 4
