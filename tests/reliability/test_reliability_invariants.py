"""Invariants over random valid sheets, through the real sync of a local workbook:
a second sync writes nothing, totals agree to the cent, payouts stay within
envelopes under pro-rata and first-come, and row order changes nothing.

Money properties of the allocation alone are in test_money_properties.py.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.model import CellValue, OutputTable
from sheetsync.sync import pipeline
from tests.support.golden import write_xlsx

# Syncs are stamped in the journal: a fixed clock makes runs comparable.
NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)
AS_OF = dt.date(2026, 12, 31)
POLICIES = ["signaler", "proportionnel", "ordre d'arrivée"]
RETRIBUTIONS = ["financière", "financière", "bénévole", "non financière"]
Tabs = dict[str, list[list[CellValue]]]


@st.composite
def books(draw: st.DrawFn) -> Tabs:
    """A valid book: every row reads, some groups go over their envelope."""
    groups = [f"GT {n}" for n in range(draw(st.integers(1, 3)))]
    people = [f"Personne {n}" for n in range(draw(st.integers(1, 4)))]
    count = draw(st.integers(0, 14))
    # Distinct dates: first-come order never falls back on the sheet row.
    days = draw(st.lists(st.integers(0, 300), min_size=count, max_size=count, unique=True))
    contributions: list[list[CellValue]] = [
        ["Date", "Personne", "Groupe", "Type", "Durée (h)", "Montant demandé", "Statut"]
    ]
    for day in days:
        hours = draw(st.none() | st.integers(1, 32).map(lambda q: q / 4))
        amount = draw(st.integers(0, 200_000).map(lambda c: c / 100))
        contributions.append(
            [
                dt.date(2026, 1, 1) + dt.timedelta(days=day),
                draw(st.sampled_from(people)),
                draw(st.sampled_from(groups)),
                draw(st.sampled_from(["production", "coordination"])),
                hours,
                amount if hours is None or draw(st.booleans()) else None,
                draw(st.sampled_from(["", "validé", "refusé"])),
            ]
        )
    group_rows: list[list[CellValue]] = [["Groupe", "Enveloppe", "Politique de dépassement"]]
    group_rows += [[g, draw(st.integers(0, 5000)), draw(st.sampled_from(POLICIES))] for g in groups]
    people_rows: list[list[CellValue]] = [["Personne", "Rétribution"]]
    people_rows += [[p, draw(st.sampled_from(RETRIBUTIONS))] for p in people]
    return {"Groupes": group_rows, "Personnes": people_rows, "Contributions": contributions}


def _column(table: OutputTable, name: str) -> list[object]:
    index = table.header.index(name)
    return [row[index] for row in table.rows]


def _cents(value: object) -> int:
    """A money cell of a table (int cents, None when blank)."""
    assert value is None or isinstance(value, int)
    return value or 0


def _sync(tabs: Tabs, folder: Path, name: str) -> tuple[pipeline.Outcome, pipeline.Outcome]:
    path = folder / name
    write_xlsx(tabs, path)
    first = pipeline.run_sync(XlsxBackend(path, "fr"), AS_OF, now=NOW)
    return first, pipeline.run_sync(XlsxBackend(path, "fr"), AS_OF, now=NOW)


def _over_pro_rata(outcome: pipeline.Outcome) -> bool:
    groups = outcome.table("group_summary")
    policies = _column(groups, "Politique")
    factors = _column(groups, "Coefficient appliqué")
    return any(
        p == "proportionnel" and isinstance(f, float) and f < 1
        for p, f in zip(policies, factors, strict=True)
    )


@pytest.mark.slow  # about 1 s per book
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tabs=books(), order=st.randoms(use_true_random=False))
def test_sync_invariants(tabs: Tabs, order: object) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        first, second = _sync(tabs, folder, "book.xlsx")
        assert first.written
        assert not second.written  # the second sync writes nothing
        assert second.tables == first.tables

        groups = first.table("group_summary")
        total = groups.rows[-1]
        consumed = _column(groups, "Consommé")
        payable = sum(_cents(v) for v in _column(first.table("people_summary"), "À verser"))
        paid_out = sum(_cents(v) for v in _column(first.table("payouts"), "À verser"))
        assert sum(_cents(v) for v in consumed[:-1]) == _cents(consumed[-1]) == payable == paid_out
        assert total[0] == "Total"

        for row in groups.rows[:-1]:
            policy, envelope, used = row[12], _cents(row[2]), _cents(row[3])
            if policy in ("proportionnel", "ordre d'arrivée"):
                assert used <= envelope

        rows = tabs["Contributions"]
        shuffled = [rows[0], *order.sample(rows[1:], len(rows) - 1)]  # type: ignore[attr-defined]
        moved, _ = _sync({**tabs, "Contributions": shuffled}, folder, "moved.xlsx")
        # Pro-rata remainders tie to the earlier row: only group totals are order-free then.
        keys = (
            {"group_summary"}
            if _over_pro_rata(first)
            else {"group_summary", "people_summary", "people_by_group", "payouts", "monthly"}
        )
        for key in keys:
            assert moved.table(key) == first.table(key), key


def test_person_with_only_rejected_rows(tmp_path: Path) -> None:
    # Found by the property above: a rejected row came back as a NaN group.
    tabs: Tabs = {
        "Groupes": [["Groupe", "Enveloppe"], ["GT 0", 0]],
        "Personnes": [["Personne"], ["Ana"]],
        "Contributions": [
            ["Date", "Personne", "Groupe", "Montant demandé", "Statut"],
            [dt.date(2026, 1, 1), "Ana", "GT 0", 0.0, "refusé"],
        ],
    }
    first, second = _sync(tabs, tmp_path, "book.xlsx")
    people = first.table("people_summary")
    assert _column(people, "Groupes") == [None]
    assert not second.written
