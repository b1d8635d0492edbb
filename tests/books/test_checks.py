"""Each figure-based and cross-row check: what it flags, where (tab, row, column,
value), at which severity, and what it leaves alone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import pytest

from sheetsync.books import checks, rules
from sheetsync.model import Anomaly, Kind, Person, Policy, Retribution, Settings, Severity, Status
from tests.support.factories import group, make_book, person, settings_of

AS_OF = dt.date(2026, 6, 30)
# Silence reminders unless a test is about them.
QUIET = settings_of(reminder_days=0)


def found(
    code: str,
    rows: Sequence[Mapping[str, object]] = (),
    *,
    settings: Settings = QUIET,
    as_of: dt.date = AS_OF,
    lang: str = "fr",
    **book: object,
) -> list[Anomaly]:
    built = make_book(rows=rows, settings=settings, lang=lang, **book)  # type: ignore[arg-type]
    anomalies = checks.run(built, rules.compute(built, as_of), as_of)
    return [a for a in anomalies if a.code == code]


def where(anomalies: list[Anomaly]) -> list[tuple[object, ...]]:
    return [(a.severity, a.tab, a.row, a.column, a.value) for a in anomalies]


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        (
            [dt.date(2025, 12, 31), dt.date(2026, 1, 1)],
            [(Severity.INFO, "Contributions", 2, "Date", "31/12/2025")],
        ),
        (
            [dt.date(2026, 12, 31), dt.date(2027, 1, 1)],
            [(Severity.INFO, "Contributions", 3, "Date", "01/01/2027")],
        ),
        ([dt.date(2026, 3, 1)], []),
    ],
)
def test_outside_period(dates: list[dt.date], expected: list[tuple[object, ...]]) -> None:
    rows = [{"date": d, "hours": 1} for d in dates]
    assert where(found("outside_period", rows, as_of=dt.date(2027, 6, 1))) == expected


@pytest.mark.parametrize(
    ("given", "count"),
    [
        ({"kind": Kind.CREATIVE}, 1),
        ({"kind": Kind.CREATIVE, "invited_by": "Beta"}, 0),
        ({"kind": Kind.CREATIVE, "status": Status.REJECTED}, 0),
        ({"kind": Kind.PRODUCTION}, 0),
    ],
)
def test_creative_without_invitation(given: dict[str, object], count: int) -> None:
    anomalies = found("creative_uninvited", [{"hours": 2, **given}])
    assert where(anomalies) == [(Severity.WARNING, "Contributions", 2, "Invité par", "")] * count


@pytest.mark.parametrize(
    ("given", "group_rate", "flagged"),
    [
        ({"hours": 7, "requested": 60000}, None, False),  # exactly 2 × 300 €/day
        ({"hours": 7, "requested": 60001}, None, True),
        ({"hours": 3.5, "requested": 100000}, None, True),  # 2000 €/day
        ({"hours": 3.5, "requested": 100000}, 100000, False),  # the group's rate is 1000
        ({"requested": 100000}, None, False),  # no hours: no daily rate to compare
        ({"hours": 1, "requested": 99999, "status": Status.REJECTED}, None, False),
    ],
)
def test_rate_above_factor(given: dict[str, object], group_rate: int | None, flagged: bool) -> None:
    anomalies = found("rate_above", [given], groups=[group("Alpha", daily_rate=group_rate)])
    assert len(anomalies) == int(flagged)
    if flagged:
        assert (anomalies[0].row, anomalies[0].column) == (2, "Montant demandé")


def test_rate_above_factor_message_gives_the_daily_rate() -> None:
    anomalies = found("rate_above", [{"hours": 3.5, "requested": 50000}], lang="en")
    assert "€1,000.00 a day" in anomalies[0].message
    assert "2 × the daily rate (€300.00)" in anomalies[0].message
    assert anomalies[0].value == "€500.00"


def test_duplicate_rows_name_the_earlier_row() -> None:
    same = {"hours": 2, "requested": 100, "description": "Atelier"}
    rows = [
        same,
        {**same, "description": "atelier "},  # row 3: same text ignoring case and spaces
        {**same, "hours": 3},  # row 4: different hours
        {**same, "person": "Bob"},  # row 5: another person
        same,  # row 6
    ]
    anomalies = found("duplicate", rows)
    assert [a.row for a in anomalies] == [3, 6]
    assert all("ligne 2" in a.message for a in anomalies)
    assert {a.severity for a in anomalies} == {Severity.WARNING}


def test_duplicate_rows_with_blank_cells() -> None:
    rows = [{"requested": 100}, {"requested": 100}, {"hours": 1}, {"hours": 1}]
    assert [a.row for a in found("duplicate", rows)] == [3, 5]


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        ([12, 12], []),  # exactly 24 h is possible
        ([12, 12.5], [(Severity.WARNING, "Contributions", 3, "Durée (h)", "24,5")]),
        ([20, 5, 1], [(Severity.WARNING, "Contributions", 4, "Durée (h)", "26")]),
    ],
)
def test_over_24_hours_a_day(hours: list[float], expected: list[tuple[object, ...]]) -> None:
    rows = [{"hours": h, "description": str(i)} for i, h in enumerate(hours)]
    assert where(found("over_24h_day", rows)) == expected


def test_over_24_hours_counts_each_person_and_day_apart() -> None:
    rows = [
        {"hours": 20, "person": "Ann"},
        {"hours": 20, "person": "Bob"},
        {"hours": 20, "person": "Ann", "date": dt.date(2026, 3, 3)},
        {"hours": 20, "person": "Ann", "status": Status.REJECTED},
    ]
    assert found("over_24h_day", rows) == []


def test_future_date() -> None:
    rows = [{"hours": 1, "date": dt.date(2026, 6, 30)}, {"hours": 1, "date": dt.date(2026, 7, 1)}]
    assert where(found("future_date", rows)) == [
        (Severity.WARNING, "Contributions", 3, "Date", "01/07/2026")
    ]


def test_overpaid_payee() -> None:
    anomalies = found(
        "overpaid",
        [{"person": "Ann", "requested": 10000}, {"person": "Bob", "requested": 10000}],
        payment_rows=[
            {"payee": "ann", "amount": 6000},
            {"payee": "Ann", "amount": 6000},
            {"payee": "Bob", "amount": 10000},
        ],
    )
    assert where(anomalies) == [(Severity.WARNING, "Versements", 3, "Montant", "120,00 €")]
    assert "20,00 € de plus" in anomalies[0].message


@pytest.mark.parametrize(
    ("requested", "policy", "codes"),
    [
        (79_000, Policy.FLAG, []),
        (80_000, Policy.FLAG, ["alert"]),
        (100_000, Policy.FLAG, ["alert"]),
        (100_001, Policy.FLAG, ["over_envelope"]),
        (150_000, Policy.PRO_RATA, ["alert"]),  # cut to the envelope: full, not over
        (150_000, Policy.FIRST_COME, ["alert"]),
    ],
)
def test_group_thresholds(requested: int, policy: Policy, codes: list[str]) -> None:
    built = make_book(
        groups=[group("Alpha", envelope=100_000, policy=policy)],
        rows=[{"requested": requested}],
        settings=QUIET,
    )
    # As of the period end, the projection is consumption itself and stays quiet.
    as_of = dt.date(2026, 12, 31)
    anomalies = checks.run(built, rules.compute(built, as_of), as_of)
    assert [a.code for a in anomalies] == codes
    severities = {"alert": Severity.WARNING, "over_envelope": Severity.ERROR}
    assert [a.severity for a in anomalies] == [severities[c] for c in codes]
    assert all((a.tab, a.row, a.column) == ("Groupes", 2, "Enveloppe") for a in anomalies)


def test_alert_says_the_policy_cut_payments() -> None:
    anomalies = found(
        "alert",
        [{"requested": 150_000}],
        groups=[group("Alpha", envelope=100_000, policy=Policy.PRO_RATA)],
        lang="en",
    )
    assert "'pro-rata' policy cut the payments (factor 0.6667)" in anomalies[0].message


@pytest.mark.parametrize(
    ("as_of", "flagged"),
    [
        (dt.date(2026, 3, 31), True),  # 40 € by day 90 → 162 € by the end
        (dt.date(2026, 9, 30), False),  # 40 € by day 273 → 53 €
    ],
)
def test_projection_above_envelope(as_of: dt.date, flagged: bool) -> None:
    anomalies = found(
        "projection_above",
        [{"requested": 4000, "date": dt.date(2026, 3, 1)}],
        groups=[group("Alpha", envelope=10_000)],
        as_of=as_of,
    )
    assert len(anomalies) == int(flagged)


def test_projection_stays_quiet_once_over() -> None:
    anomalies = found(
        "projection_above", [{"requested": 20_000}], groups=[group("Alpha", envelope=10_000)]
    )
    assert anomalies == []


@pytest.mark.parametrize(
    ("last", "as_of", "days"),
    [
        (dt.date(2026, 5, 31), dt.date(2026, 6, 30), 30),  # exactly reminder_days
        (dt.date(2026, 6, 1), dt.date(2026, 6, 30), None),
        (None, dt.date(2026, 1, 31), 30),  # no row: counted from the period start
        (None, dt.date(2026, 1, 30), None),
        (dt.date(2026, 1, 5), dt.date(2027, 2, 1), None),  # the period is over
    ],
)
def test_reminders(last: dt.date | None, as_of: dt.date, days: int | None) -> None:
    rows = [] if last is None else [{"hours": 1, "date": last}]
    people: list[Person] = [person("Alice", Retribution.VOLUNTEER, row=4)]
    settings = settings_of(reminder_days=30)
    groups = found("group_silent", rows, settings=settings, as_of=as_of, people=people)
    silent = found("person_silent", rows, settings=settings, as_of=as_of, people=people)
    if days is None:
        assert groups == silent == []
        return
    assert where(groups) == [(Severity.INFO, "Groupes", 2, "Groupe", "Alpha")]
    assert where(silent) == [(Severity.INFO, "Personnes", 4, "Personne", "Alice")]
    assert f"{days} jours" in groups[0].message


def test_unknown_people_get_no_reminder() -> None:
    anomalies = found(
        "person_silent",
        [{"person": "Zed", "hours": 1, "date": dt.date(2026, 1, 2)}],
        settings=settings_of(reminder_days=30),
    )
    assert anomalies == []


def test_messages_follow_the_book_language() -> None:
    rows = [{"kind": Kind.CREATIVE, "hours": 1}]
    french = found("creative_uninvited", rows)
    english = found("creative_uninvited", rows, lang="en")
    assert french[0].message.startswith("Travail de créa")
    assert english[0].message.startswith("Creative work")
    assert (english[0].tab, english[0].column) == ("Contributions", "Invited by")


def test_every_validator_shares_one_signature() -> None:
    built = make_book(rows=[{"hours": 1}])
    computed = rules.compute(built, AS_OF)
    for validate in checks.VALIDATORS:
        assert all(isinstance(a, Anomaly) for a in validate(built, computed, AS_OF))
    assert len(checks.VALIDATORS) == 12
