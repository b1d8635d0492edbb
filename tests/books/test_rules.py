"""The rules of SPEC §4 on small hand-computed books, cents exact: reference,
candidate, pending, overrun policies, group, people, payout and monthly figures."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from fractions import Fraction

import pandas as pd
import pytest

from sheetsync.books import figures as books_figures
from sheetsync.books import rules
from sheetsync.books.figures import State
from sheetsync.model import Kind, Policy, Retribution, Status
from tests.support.factories import group, make_book, person, settings_of

AS_OF = dt.date(2026, 6, 30)


def figures(**book: object) -> rules.Figures:
    return rules.compute(make_book(**book), AS_OF)  # type: ignore[arg-type]


def group_row(result: rules.Figures, name: str = "Alpha") -> dict[str, object]:
    frame = result.groups.set_index("group")
    return {str(k): v for k, v in frame.loc[name].to_dict().items()}


@pytest.mark.parametrize(
    ("hours", "group_rate", "hours_per_day", "expected"),
    [
        (7, None, Fraction(7), 30000),  # one day at the reference rate
        (1, None, Fraction(7), 4286),  # 42.857 € rounds up
        (0.5, None, Fraction(7), 2143),  # 21.428 € rounds down... to 21.43
        (1, None, Fraction(15, 2), 4000),  # 7.5 h days: 300 / 7.5
        (3.5, 40000, Fraction(7), 20000),  # the group's own rate replaces the reference
        (0.25, 1, Fraction(7), 0),  # 0.0357 cent
        (3.5, 1, Fraction(7), 1),  # exactly half a cent rounds away from zero
        (None, None, Fraction(7), None),  # no hours: no reference
    ],
)
def test_reference(
    hours: float | None, group_rate: int | None, hours_per_day: Fraction, expected: int | None
) -> None:
    result = figures(
        groups=[group("Alpha", daily_rate=group_rate)],
        rows=[{"hours": hours, "requested": 100 if hours is None else pd.NA}],
        settings=settings_of(hours_per_day=hours_per_day),
    )
    reference = result.rows["reference"].iloc[0]
    assert (None if pd.isna(reference) else int(reference)) == expected


@pytest.mark.parametrize(
    ("given", "expected_amount"),
    [
        ({"hours": 7, "requested": 45000}, 45000),  # the amount asked wins
        ({"hours": 7}, 30000),  # else the reference
        ({"requested": 12345}, 12345),  # no hours at all
        ({"hours": 7, "requested": 0}, 0),  # asking for nothing is an answer
    ],
)
def test_requested_amount(given: dict[str, object], expected_amount: int) -> None:
    result = figures(rows=[given])
    assert int(result.rows["amount"].iloc[0]) == expected_amount
    assert list(result.people["requested"]) == [expected_amount]


@pytest.mark.parametrize(
    ("given", "retribution", "coordination_paid", "expected"),
    [
        ({}, Retribution.FINANCIAL, False, (30000, "", 0)),
        ({"status": Status.REJECTED}, Retribution.FINANCIAL, False, (0, "rejected", 0)),
        ({}, Retribution.VOLUNTEER, False, (0, "retribution", 30000)),
        ({}, Retribution.NON_FINANCIAL, False, (0, "retribution", 30000)),
        (
            {"status": Status.REJECTED},
            Retribution.VOLUNTEER,
            False,
            (0, "rejected", 0),  # refused rows value nothing
        ),
        ({"kind": Kind.COORDINATION}, Retribution.FINANCIAL, False, (0, "coordination", 30000)),
        ({"kind": Kind.COORDINATION}, Retribution.FINANCIAL, True, (30000, "", 0)),
        (
            {"kind": Kind.COORDINATION, "exception": True},
            Retribution.FINANCIAL,
            False,
            (30000, "", 0),
        ),
        ({"kind": Kind.CREATIVE}, Retribution.FINANCIAL, False, (0, "creative_uninvited", 0)),
        (
            {"kind": Kind.CREATIVE, "invited_by": "Beta"},
            Retribution.FINANCIAL,
            False,
            (30000, "", 0),
        ),
        (
            {"kind": Kind.CREATIVE, "invited_by": "  "},
            Retribution.FINANCIAL,
            False,
            (0, "creative_uninvited", 0),
        ),
    ],
)
def test_candidate_and_unpaid_valued_time(
    given: dict[str, object],
    retribution: Retribution,
    coordination_paid: bool,
    expected: tuple[int, str, int],
) -> None:
    result = figures(
        people=[person("Alice", retribution)],
        rows=[{"hours": 7, **given}],
        settings=settings_of(coordination_paid=coordination_paid),
    )
    row = result.rows.iloc[0]
    assert (int(row["candidate"]), row["zero_reason"], int(row["unpaid_valued"])) == expected
    assert int(row["payable"]) == expected[0]
    assert int(group_row(result)["unpaid_valued"]) == expected[2]  # type: ignore[call-overload]


def test_unknown_person_is_financial() -> None:
    result = figures(
        people=[person("Bob", Retribution.VOLUNTEER)], rows=[{"person": "Zoe", "hours": 7}]
    )
    assert int(result.rows["candidate"].iloc[0]) == 30000
    zoe = result.people.set_index("person").loc["Zoe"]
    assert (zoe["known"], zoe["retribution"]) == (False, "financial")


def test_rejected_row_counts_nowhere_but_is_listed() -> None:
    result = figures(rows=[{"hours": 7}, {"hours": 5, "status": Status.REJECTED}])
    alpha = group_row(result)
    assert (alpha["consumed"], alpha["seconds"], alpha["contributors"]) == (30000, 7 * 3600, 1)
    assert list(result.rows["row"]) == [2, 3]


@pytest.mark.parametrize(
    ("validation_required", "expected"),
    [
        # consumed, pending, hours, remaining, projection
        (True, (30000, 60000, 21, 70000, 60497)),
        (False, (90000, 0, 21, 10000, 181492)),
    ],
)
def test_pending_rows_wait_for_validation(
    validation_required: bool, expected: tuple[int, ...]
) -> None:
    result = figures(
        groups=[group("Alpha", envelope=100000)],
        rows=[
            {"hours": 7, "status": Status.VALIDATED},
            {"hours": 7},
            {"hours": 7, "person": "Bob", "status": Status.DECLARED},
        ],
        settings=settings_of(validation_required=validation_required),
    )
    alpha = group_row(result)
    hours = int(alpha["seconds"]) // 3600  # type: ignore[call-overload]
    keys = ("consumed", "pending", "remaining", "projection")
    got = (alpha["consumed"], alpha["pending"], hours, alpha["remaining"], alpha["projection"])
    assert got == expected, keys
    assert alpha["contributors"] == 2  # pending people count as contributors


def test_pro_rata_uneven_split_ties_to_earlier_sheet_row() -> None:
    # Three equal 10-cent candidates over a 10-cent envelope: 3.33 each, the spare
    # cent goes to the earliest sheet row (row 3), whatever the frame order.
    result = figures(
        groups=[group("Alpha", envelope=10, policy=Policy.PRO_RATA)],
        rows=[
            {"row": 5, "requested": 10},
            {"row": 3, "requested": 10},
            {"row": 4, "requested": 10},
        ],
    )
    payable = dict(zip(result.rows["row"], result.rows["payable"], strict=True))
    assert payable == {3: 4, 4: 3, 5: 3}
    alpha = group_row(result)
    assert (alpha["consumed"], alpha["remaining"], alpha["state"]) == (10, 0, "warning")
    assert alpha["applied_factor"] == pytest.approx(10 / 30)


def test_pro_rata_leaves_out_pending_and_zero_candidates() -> None:
    result = figures(
        groups=[group("Alpha", envelope=100000, policy=Policy.PRO_RATA)],
        people=[person("Vol", Retribution.VOLUNTEER)],
        rows=[
            {"hours": 7, "status": Status.VALIDATED},
            {"requested": 80000, "status": Status.VALIDATED},
            {"hours": 7, "person": "Vol", "status": Status.VALIDATED},
            {"hours": 7},  # pending
        ],
        settings=settings_of(validation_required=True),
    )
    assert list(result.rows["payable"]) == [27273, 72727, 0, 0]
    assert int(group_row(result)["pending"]) == 30000  # type: ignore[call-overload]


def test_first_come_pays_in_date_then_row_order() -> None:
    result = figures(
        groups=[group("Alpha", envelope=50000, policy=Policy.FIRST_COME)],
        rows=[
            {"date": dt.date(2026, 3, 5), "requested": 30000},  # row 2
            {"date": dt.date(2026, 3, 1), "requested": 30000},  # row 3: first by date
            {"date": dt.date(2026, 3, 5), "requested": 30000},  # row 4: after row 2
        ],
    )
    assert list(result.rows["payable"]) == [20000, 30000, 0]
    alpha = group_row(result)
    assert (alpha["consumed"], alpha["candidate"], alpha["state"]) == (50000, 90000, "warning")
    assert alpha["applied_factor"] == pytest.approx(5 / 9)


def test_flag_pays_everything_and_goes_over() -> None:
    result = figures(
        groups=[group("Alpha", envelope=50000)],
        rows=[{"requested": 30000}, {"requested": 30000}],
    )
    alpha = group_row(result)
    assert (alpha["consumed"], alpha["remaining"], alpha["state"]) == (60000, -10000, "over")
    assert (alpha["consumed_pct"], alpha["applied_factor"]) == (1.2, 1.0)


@pytest.mark.parametrize(
    ("consumed", "envelope", "threshold", "expected"),
    [
        (79, 100, Fraction(80, 100), State.OK),
        (80, 100, Fraction(80, 100), State.WARNING),  # at the threshold
        (100, 100, Fraction(80, 100), State.WARNING),  # full is not over
        (101, 100, Fraction(80, 100), State.OVER),
        (0, 0, Fraction(80, 100), State.OK),
        (1, 0, Fraction(80, 100), State.OVER),
        (66, 100, Fraction(2, 3), State.OK),  # exact: 66 < 66.67
        (67, 100, Fraction(2, 3), State.WARNING),
    ],
)
def test_state(consumed: int, envelope: int, threshold: Fraction, expected: State) -> None:
    assert books_figures.state(consumed, envelope, threshold) is expected


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (dt.date(2025, 12, 1), 10000),  # before the period: nothing to extrapolate from
        (dt.date(2026, 1, 1), 3650000),  # one day elapsed of 365
        (dt.date(2026, 1, 10), 365000),
        (dt.date(2026, 7, 2), 19945),  # day 183: 10000 × 365 / 183 = 19945.4
        (dt.date(2026, 12, 31), 10000),
        (dt.date(2027, 3, 1), 10000),  # the period is over: consumed itself
    ],
)
def test_projection(as_of: dt.date, expected: int) -> None:
    assert books_figures.projection(10000, settings_of(), as_of) == expected


def test_rows_outside_the_period_are_left_out() -> None:
    result = figures(
        rows=[
            {"hours": 7, "date": dt.date(2025, 12, 31)},
            {"hours": 7, "date": dt.date(2026, 1, 1)},
            {"hours": 7, "date": dt.date(2026, 12, 31)},
            {"hours": 7, "date": dt.date(2027, 1, 1)},
        ]
    )
    assert list(result.rows["row"]) == [3, 4]
    alpha = group_row(result)
    assert (alpha["consumed"], alpha["last_contribution"]) == (60000, dt.date(2026, 12, 31))


def test_group_figures_hours_contributors_last_contribution() -> None:
    result = figures(
        groups=[group("Alpha"), group("Beta", row=3)],
        rows=[
            {"hours": 2, "person": "Ann", "date": dt.date(2026, 2, 1)},
            {"hours": 3, "person": "ann ", "date": dt.date(2026, 4, 1)},
            {"hours": 1.5, "person": "Bob", "date": dt.date(2026, 3, 1)},
            {"hours": 9, "person": "Cy", "status": Status.REJECTED, "date": dt.date(2026, 5, 1)},
        ],
    )
    alpha, beta = group_row(result, "Alpha"), group_row(result, "Beta")
    assert (alpha["seconds"], alpha["last_contribution"]) == (6.5 * 3600, dt.date(2026, 4, 1))
    assert alpha["contributors"] == 3  # "Ann" and "ann " stay distinct before the parser
    assert (beta["consumed"], beta["seconds"], beta["last_contribution"]) == (0, 0, None)
    assert list(result.groups["group"]) == ["Alpha", "Beta"]


def test_people_figures() -> None:
    result = figures(
        groups=[group("Alpha"), group("Beta", row=3)],
        people=[person("Zoé", Retribution.VOLUNTEER, row=2), person("Ann", row=3)],
        rows=[
            {"person": "Ann", "group": "Beta", "hours": 7},
            {"person": "Ann", "group": "Alpha", "hours": 3.5, "requested": 20000},
            {"person": "Zoé", "hours": 7},
            {"person": "Max", "hours": 1},
        ],
    )
    people = result.people.set_index("person")
    assert list(result.people["person"]) == ["Zoé", "Ann", "Max"]  # People tab, then unknown
    assert people.loc["Ann", "groups"] == ("Alpha", "Beta")  # Groupes-tab order
    ann = people.loc["Ann", ["seconds", "reference", "requested", "payable", "unpaid_valued"]]
    assert list(ann) == [10.5 * 3600, 45000, 50000, 50000, 0]
    zoe = people.loc["Zoé", ["reference", "requested", "payable", "unpaid_valued"]]
    assert list(zoe) == [30000, 30000, 0, 30000]


def test_people_by_group_sorted_by_person_then_group_order() -> None:
    result = figures(
        groups=[group("Zeta"), group("Alpha", row=3)],
        rows=[
            {"person": "émile", "group": "Alpha", "hours": 1},
            {"person": "Bob", "group": "Alpha", "hours": 2},
            {"person": "émile", "group": "Zeta", "hours": 3},
            {"person": "Fay", "group": "Zeta", "hours": 4},
        ],
    )
    pairs = list(
        zip(result.people_by_group["person"], result.people_by_group["group"], strict=True)
    )
    assert pairs == [("Bob", "Alpha"), ("émile", "Zeta"), ("émile", "Alpha"), ("Fay", "Zeta")]


def test_payouts_by_billing_entity_with_payments() -> None:
    result = figures(
        people=[
            person("Bea", billing_entity="Coop Oxalis", payment_method="CAE / portage"),
            person("Al", billing_entity="coop  oxalis"),
            person("Cy"),
            person("Vol", Retribution.VOLUNTEER),
        ],
        rows=[
            {"person": "Al", "requested": 10000},
            {"person": "Bea", "requested": 20000},
            {"person": "Cy", "requested": 5000},
            {"person": "Vol", "hours": 7},
        ],
        payment_rows=[
            {"payee": "COOP OXALIS", "amount": 25000},
            {"payee": "Cy", "amount": 6000},
            {"payee": "Dee", "amount": 100},
        ],
    )
    payouts = result.payouts
    assert list(payouts["payee"]) == ["Coop Oxalis", "Cy", "Dee"]  # Vol: nothing due or paid
    coop = payouts.iloc[0]
    assert (coop["people"], coop["payment_method"]) == (("Al", "Bea"), "CAE / portage")
    assert list(payouts["payable"]) == [30000, 5000, 0]
    assert list(payouts["paid"]) == [25000, 6000, 100]
    assert list(payouts["balance"]) == [5000, -1000, -100]
    assert list(payouts["last_payment_row"]) == [2, 3, 4]


def test_monthly_cumulative_per_group() -> None:
    result = figures(
        groups=[group("Beta"), group("Alpha", row=3)],
        rows=[
            {"group": "Alpha", "date": dt.date(2026, 1, 5), "requested": 100, "hours": 1},
            {"group": "Beta", "date": dt.date(2026, 1, 20), "requested": 200, "hours": 2},
            {"group": "Alpha", "date": dt.date(2026, 3, 5), "requested": 300, "hours": 3},
            {"group": "Alpha", "date": dt.date(2026, 3, 9), "requested": 400, "hours": 4},
            {
                "group": "Beta",
                "date": dt.date(2026, 4, 1),
                "requested": 500,
                "status": Status.REJECTED,
            },
        ],
    )
    monthly = result.monthly
    got = list(monthly.itertuples(index=False, name=None))
    assert got == [
        ("2026-01", "Beta", 7200, 200, 200),
        ("2026-01", "Alpha", 3600, 100, 100),
        ("2026-03", "Alpha", 25200, 700, 800),
    ]


def test_empty_book() -> None:
    result = figures()
    assert list(result.groups["consumed"]) == [0]
    assert result.people.empty
    assert result.payouts.empty
    assert result.monthly.empty


@pytest.mark.slow
def test_compute_is_fast_on_a_large_sheet() -> None:
    size = 900_000
    book = make_book(
        groups=[group("Alpha", envelope=10**9, policy=Policy.PRO_RATA), group("Beta", row=3)],
        rows=[{"hours": 1}],
    )
    big = book.contributions.iloc[[0] * size].reset_index(drop=True)
    big["row"] = range(2, size + 2)
    big["group"] = big["charged"] = ["Alpha", "Beta"] * (size // 2)
    big["person"] = [f"P{i % 500}" for i in range(size)]
    started = time.perf_counter()
    result = rules.compute(dataclasses.replace(book, contributions=big), AS_OF)
    elapsed = time.perf_counter() - started
    assert int(result.groups["consumed"].sum()) == 10**9 + 450_000 * 4286
    assert elapsed < 20


def test_empty_frames_without_dtypes() -> None:
    # A parser may hand over empty frames whose columns carry no dtype yet.
    book = make_book()
    empty = dataclasses.replace(
        book,
        contributions=pd.DataFrame(columns=list(book.contributions.columns)),
        payments=pd.DataFrame(columns=list(book.payments.columns)),
    )
    result = rules.compute(empty, AS_OF)
    assert (list(result.groups["consumed"]), len(result.monthly)) == ([0], 0)
