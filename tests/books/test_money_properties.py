"""Money invariants over generated books: envelopes hold under pro-rata and
first-come, totals agree to the cent, and row order changes no total."""

from __future__ import annotations

import dataclasses
import datetime as dt
from random import Random

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheetsync.books import rules
from sheetsync.books.allocate import first_come, largest_remainder
from sheetsync.model import Book, Kind, Policy, Retribution, Status
from tests.support.factories import group, make_book, person, settings_of

AS_OF = dt.date(2026, 6, 30)
GROUPS = ("Alpha", "Beta", "Gamma")
PEOPLE = ("Ann", "Bob", "Cy", "Dee")  # Dee is not in the People tab

row_strategy = st.fixed_dictionaries(
    {
        "person": st.sampled_from(PEOPLE),
        "group": st.sampled_from(GROUPS),
        "date": st.dates(dt.date(2025, 12, 20), dt.date(2027, 1, 10)),
        "hours": st.none() | st.integers(1, 48).map(lambda quarters: quarters / 4),
        "requested": st.none() | st.integers(0, 200_000),
        "kind": st.sampled_from(list(Kind)),
        "status": st.sampled_from(list(Status)),
        "exception": st.booleans(),
        "invited_by": st.sampled_from(["", "Alpha"]),
    }
).filter(lambda row: row["hours"] is not None or row["requested"] is not None)


@st.composite
def books(draw: st.DrawFn) -> Book:
    policies = draw(st.lists(st.sampled_from(list(Policy)), min_size=3, max_size=3))
    envelopes = draw(st.lists(st.integers(0, 300_000), min_size=3, max_size=3))
    rates = draw(st.lists(st.none() | st.integers(10_000, 90_000), min_size=3, max_size=3))
    groups = [
        group(name, envelope=envelope, policy=policy, daily_rate=rate, row=index + 2)
        for index, (name, envelope, policy, rate) in enumerate(
            zip(GROUPS, envelopes, policies, rates, strict=True)
        )
    ]
    people = [
        person("Ann", billing_entity=draw(st.sampled_from(["", "Coop"]))),
        person("Bob", draw(st.sampled_from(list(Retribution))), billing_entity="Coop", row=3),
        person("Cy", draw(st.sampled_from(list(Retribution))), row=4),
    ]
    rows = draw(st.lists(row_strategy, max_size=25))
    payments = draw(
        st.lists(
            st.fixed_dictionaries(
                {"payee": st.sampled_from(["Coop", "ann", "Zed"]), "amount": st.integers(1, 50_000)}
            ),
            max_size=3,
        )
    )
    flags = settings_of(
        validation_required=draw(st.booleans()), coordination_paid=draw(st.booleans())
    )
    return make_book(groups=groups, people=people, rows=rows, payment_rows=payments, settings=flags)


@given(st.integers(0, 10**9), st.lists(st.integers(0, 10**7), max_size=30))
def test_largest_remainder_shares_exactly(total: int, weights: list[int]) -> None:
    shares = largest_remainder(total, weights)
    assert all(share >= 0 for share in shares)
    if sum(weights) > 0:
        assert sum(shares) == total
    if total <= sum(weights):
        assert all(share <= weight for share, weight in zip(shares, weights, strict=True))


@given(st.integers(0, 10**9), st.lists(st.integers(0, 10**7), max_size=30))
def test_first_come_never_exceeds_total_or_amounts(total: int, amounts: list[int]) -> None:
    paid = first_come(total, amounts)
    assert sum(paid) == min(total, sum(amounts))
    assert all(0 <= p <= a for p, a in zip(paid, amounts, strict=True))


@settings(max_examples=30, deadline=None)
@given(books())
def test_envelopes_hold_unless_flagged(book: Book) -> None:
    groups = rules.compute(book, AS_OF).groups
    for _, figures in groups.iterrows():
        if figures["policy"] != Policy.FLAG.value:
            assert figures["consumed"] <= figures["envelope"]
        assert figures["consumed"] == min(figures["candidate"], figures["envelope"]) or (
            figures["policy"] == Policy.FLAG.value and figures["consumed"] == figures["candidate"]
        )


@settings(max_examples=30, deadline=None)
@given(books())
def test_totals_agree_to_the_cent(book: Book) -> None:
    result = rules.compute(book, AS_OF)
    consumed = int(result.groups["consumed"].sum())
    assert consumed == int(result.people["payable"].sum())
    assert consumed == int(result.payouts["payable"].sum())
    assert consumed == int(result.people_by_group["payable"].sum())
    assert consumed == int(result.rows["payable"].sum())
    by_month = result.monthly.groupby("group")["cumulative"].last()
    assert int(by_month.sum()) == consumed
    paid = int(book.payments["amount"].sum())
    assert int(result.payouts["paid"].sum()) == paid


def _frames(result: rules.Figures) -> list[pd.DataFrame]:
    payable = result.rows[["row", "payable"]].sort_values("row").reset_index(drop=True)
    figures = [result.groups, result.people, result.payouts, result.people_by_group]
    return [*figures, result.monthly, payable]


@pytest.mark.slow
@settings(max_examples=30, deadline=None)
@given(books(), st.randoms(use_true_random=False))
def test_shuffling_rows_changes_no_total(book: Book, random: Random) -> None:
    order = list(range(len(book.contributions)))
    random.shuffle(order)
    shuffled = book.contributions.iloc[order].reset_index(drop=True)
    again = dataclasses.replace(book, contributions=shuffled)
    before, after = _frames(rules.compute(book, AS_OF)), _frames(rules.compute(again, AS_OF))
    for expected, got in zip(before, after, strict=True):
        pd.testing.assert_frame_equal(got, expected)
