"""Random books over two periods (SPEC §12): random closings of 2026, the period moved
on to 2027 with new rows and payments, random later edits — every export and statement
equals the tabs to the cent, and the earlier period equals its closing tab.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheetsync.backends.base import Backend
from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.ledger import closing
from sheetsync.model import CellValue
from sheetsync.report import export, statement
from sheetsync.sync import pipeline
from tests.support.golden import write_xlsx
from tests.support.ledger_cases import NOW
from tests.support.one_truth import (
    GROUPS,
    PEOPLE,
    Edit,
    apply_edits,
    assert_one_truth,
    books,
    cents,
    edit,
    tab_reader,
)

YEAR_END = dt.date(2026, 12, 31)
AS_OF = dt.date(2027, 6, 30)

next_year_row = st.tuples(
    st.dates(dt.date(2027, 1, 1), AS_OF),
    st.sampled_from(PEOPLE),
    st.sampled_from(GROUPS),
    st.integers(1, 8),
    st.one_of(st.none(), st.integers(0, 600)),
)
next_year_payment = st.tuples(
    st.dates(dt.date(2027, 1, 1), AS_OF), st.sampled_from((*PEOPLE, "Coop")), st.integers(1, 400)
)


def move_on(
    path: Path,
    rows: list[tuple[object, ...]],
    payments: list[tuple[object, ...]],
    *,
    drop_group: bool = False,
) -> None:
    """The treasurer's January: 2027 dates, other envelopes, the new year's rows; with
    `drop_group`, the last group ended with 2026 and its line is deleted."""
    workbook = openpyxl.load_workbook(path)
    if drop_group:
        workbook["Groupes"].delete_rows(workbook["Groupes"].max_row)
    workbook["Paramètres"].append(["Début de période", dt.date(2027, 1, 1)])
    workbook["Paramètres"].append(["Fin de période", dt.date(2027, 12, 31)])
    for line in workbook["Groupes"].iter_rows(min_row=2):
        line[2].value = float(str(line[2].value or 0)) + 100
    for day, person, group, hours, amount in rows:
        workbook["Contributions"].append([day, person, group, "", hours, amount, "", "", "", ""])
    for day, payee, amount in payments:
        workbook["Versements"].append([day, payee, amount, ""])
    workbook.save(path)


@settings(
    max_examples=8,  # ~4 s each (four syncs, exports, statements, the period exports)
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    inputs=books(),
    half=st.one_of(st.none(), st.dates(dt.date(2026, 1, 31), dt.date(2026, 11, 30))),
    rows=st.lists(next_year_row, max_size=6),
    payments=st.lists(next_year_payment, max_size=3),
    edits=st.lists(edit, max_size=3),
    drop_group=st.booleans(),
)
def test_two_periods_equal_the_tabs_and_the_closing(  # noqa: PLR0917 - one per strategy
    tmp_path_factory: pytest.TempPathFactory,
    inputs: dict[str, list[list[CellValue]]],
    half: dt.date | None,
    rows: list[tuple[object, ...]],
    payments: list[tuple[object, ...]],
    edits: list[Edit],
    drop_group: bool,
) -> None:
    path = tmp_path_factory.mktemp("years") / "budget.xlsx"
    write_xlsx(inputs, path)

    values = tab_reader(path)

    def backend() -> Backend:  # a new process each time
        return XlsxBackend(path, "fr")

    pipeline.run_sync(backend(), YEAR_END, now=NOW)
    if half is not None:
        pipeline.run_sync(
            backend(), YEAR_END, now=NOW, action=closing.closer(half, "S1", force=True)
        )
    ended = closing.closer(YEAR_END, "2026", force=True)
    pipeline.run_sync(backend(), YEAR_END, now=NOW, action=ended)
    frozen = values("Clôture 2026")
    move_on(path, rows, payments, drop_group=drop_group)
    apply_edits(path, edits)
    assert_one_truth(backend, values, AS_OF)

    # The earlier period, exactly as its closing tab froze it.
    payees = {r[1]: r for r in frozen[1:] if r[0] == "Bénéficiaire"}
    table, _ = export.export_table(backend(), "payouts", AS_OF, "2026")
    assert {r[0]: (r[4], r[5], r[6]) for r in table.rows} == {
        name: tuple(cents(v) for v in line[4:7]) for name, line in payees.items()
    }
    groups = {r[1]: r for r in frozen[1:] if r[0] == "Groupe"}
    table, _ = export.export_table(backend(), "groups", AS_OF, "2026")
    assert {r[0]: (r[2], r[3]) for r in table.rows} == {
        name: (cents(line[2]), cents(line[4])) for name, line in groups.items()
    }
    for payee, line in payees.items():
        found = statement.for_payee(backend(), str(payee), AS_OF, "2026")
        assert (found.payable, found.paid, found.balance) == tuple(cents(v) for v in line[4:7])
