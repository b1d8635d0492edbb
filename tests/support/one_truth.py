"""One truth: every tab, export and statement from the same books; the edits tests make."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import openpyxl
from hypothesis import strategies as st

from sheetsync.backends.base import Backend
from sheetsync.model import CellValue, OutputTable, Policy
from sheetsync.report import export, statement
from sheetsync.sync import pipeline
from sheetsync.template import load
from tests.support.ledger_cases import CONTRIBUTIONS_HEADER, NOW

YEAR_END = dt.date(2026, 12, 31)


UNTIL_MARCH = dt.date(2026, 3, 31)


GROUPS = ("Communication", "Site")


PEOPLE = ("Ana", "Bo", "Cy", "Émilie")


POLICIES = ("signaler", "proportionnel", "ordre d'arrivée")


STATUSES = ("", "validé", "refusé")


TabReader = Callable[[str], list[list[object]]]


def cents(value: object) -> int:
    """A money cell as written (euros) or computed (cents) in cents."""
    return round(float(value) * 100)  # type: ignore[arg-type]


def money_rows(table: OutputTable, written: bool) -> list[tuple[object, ...]]:
    """The table's rows with money as cents and text as text, other kinds left out."""
    kept = [i for i, k in enumerate(table.kinds) if k in {"money", "text"}]
    blank = (None, "")  # Google gives "" for an empty cell
    return [
        tuple(
            None
            if row[i] in blank
            else (cents(row[i]) if written and table.kinds[i] == "money" else row[i])
            for i in kept
        )
        for row in table.rows
    ]


def as_written(table: OutputTable, values: TabReader) -> OutputTable:
    """The tab of the same title, read back from the spreadsheet, typed like `table`."""
    rows = [tuple(r) for r in values(table.title)[1:] if any(v not in (None, "") for v in r)]
    width = len(table.header)
    padded = [tuple((*r, *([None] * width))[:width]) for r in rows]
    return OutputTable(table.key, table.title, table.header, table.kinds, padded)


def by_key(values: TabReader, title: str, key_width: int) -> dict[tuple[object, ...], list[object]]:
    return {tuple(r[:key_width]): list(r) for r in values(title)[1:] if r and r[0] not in (None,)}


def assert_one_truth(backend: Callable[[], Backend], values: TabReader, as_of: dt.date) -> None:
    """Sync, then check every export and statement against the tabs written."""
    outcome = pipeline.run_sync(backend(), as_of, now=NOW)
    for kind in export.KINDS:
        table, _ = export.export_table(backend(), kind, as_of)
        if kind != "contributions":
            assert money_rows(table, written=False) == money_rows(as_written(table, values), True)
    rows, _ = export.export_table(backend(), "contributions", as_of)
    people = by_key(values, outcome.table("people_summary").title, 1)
    groups = by_key(values, outcome.table("group_summary").title, 1)
    payouts = by_key(values, outcome.table("payouts").title, 1)
    pairs = by_key(values, outcome.table("people_by_group").title, 2)
    assert_scenarios_pay_what_the_books_pay(outcome, values, pairs)
    charged = rows.header.index(
        load().export("contributions").column("charged").name(outcome.book.lang)
    )
    column = load().export("contributions").column
    payable_at, requested_at = (
        rows.header.index(column(key).name(outcome.book.lang)) for key in ("payable", "requested")
    )
    for group in GROUPS:
        mine = [r for r in rows.rows if r[charged] == group]
        shown = groups[(group,)][3] if (group,) in groups else 0  # a group that ended: none
        assert sum(int(str(r[payable_at])) for r in mine) == cents(shown or 0)
    for (name,), person in people.items():
        mine = [r for r in rows.rows if r[2] == name]
        assert sum(int(str(r[payable_at])) for r in mine) == cents(person[7] or 0)
        assert sum(int(str(r[requested_at])) for r in mine) == cents(person[6] or 0)
        if not mine:
            continue
        found = statement.for_person(backend(), str(name), as_of)
        paid_at = found.contributions.header.index(
            load().export("contributions").column("payable").name(outcome.book.lang)
        )
        due = sum(int(str(r[paid_at])) for r in found.contributions.rows)
        assert due == cents(person[7] or 0)
        for _person, group, _hours, requested, payable in found.by_group:
            assert (requested, payable) == (
                cents(pairs[(name, group)][3]),
                cents(pairs[(name, group)][4]),
            )
        payee = payouts.get((found.payee,))
        if payee is not None:
            assert (found.payable, found.paid, found.balance) == tuple(cents(v) for v in payee[4:7])


def assert_scenarios_pay_what_the_books_pay(
    outcome: pipeline.Outcome, values: TabReader, pairs: dict[tuple[object, ...], list[object]]
) -> None:
    """In Scénarios, the column of each group's own policy is what the books pay."""
    tab = outcome.table("scenarios")
    column = {p.value: tab.header.index(tab.header[4 + i]) for i, p in enumerate(Policy)}
    policies = {g.name: g.policy.value for g in outcome.book.groups}
    groups = by_key(values, outcome.table("group_summary").title, 1)
    for row in values(tab.title)[1:]:
        if not row or row[0] in (None, ""):
            continue
        paid = cents(row[column[policies[str(row[0])]]] or 0)
        if row[2] == "Total":
            assert paid == cents(groups[(row[0],)][3] or 0)
        else:
            assert paid == cents(pairs[(row[2], row[0])][4] or 0)


@st.composite
def books(draw: st.DrawFn) -> dict[str, list[list[CellValue]]]:
    day = st.dates(dt.date(2026, 1, 1), YEAR_END)
    contribution = st.tuples(
        day,
        st.sampled_from(PEOPLE),
        st.sampled_from(GROUPS),
        st.integers(1, 8),
        st.one_of(st.none(), st.integers(0, 600)),
        st.sampled_from(STATUSES),
    )
    payment = st.tuples(day, st.sampled_from((*PEOPLE, "Coop")), st.integers(1, 400))
    return {
        "Paramètres": [
            ["Paramètre", "Valeur"],
            ["Part de l'excédent aux communs (%)", draw(st.sampled_from([0, 10, 50]))],
            ["Part de l'excédent au lissage (%)", draw(st.sampled_from([0, 50, 100]))],
        ],
        "Groupes": [
            ["Groupe", "Pilote", "Enveloppe", "Politique de dépassement"],
            *[
                _group(g, draw(st.integers(0, 800)), draw(st.sampled_from(POLICIES)))
                for g in GROUPS
            ],
        ],
        "Personnes": [
            ["Personne", "Rétribution", "Structure de facturation"],
            ["Ana", "", ""],
            ["Bo", "", "Coop"],
            ["Cy", "", "Coop"],
            ["Émilie", "bénévole", ""],
        ],
        "Contributions": [
            CONTRIBUTIONS_HEADER,
            *[
                [d, p, g, "", h, a, f"ligne {n}", "", s, ""]
                for n, (d, p, g, h, a, s) in enumerate(
                    draw(st.lists(contribution, min_size=2, max_size=10))
                )
            ],
        ],
        "Versements": [
            ["Date", "Bénéficiaire", "Montant", "Référence"],
            *[_payment(d, p, a) for d, p, a in draw(st.lists(payment, max_size=3))],
        ],
    }


def _group(name: str, envelope: int, policy: str) -> list[CellValue]:
    return [name, "Ana", envelope, policy]


def _payment(day: dt.date, payee: str, amount: int) -> list[CellValue]:
    return [day, payee, amount, ""]


def tab_reader(path: Path) -> TabReader:
    """A tab's values as the workbook at `path` holds them now."""

    def values(title: str) -> list[list[object]]:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            return [list(r) for r in workbook[title].iter_rows(values_only=True)]
        finally:
            workbook.close()

    return values


Edit = tuple[str, int, int]  # what, which data row (modulo the count), new amount


def apply_edits(path: Path, edits: list[Edit]) -> None:
    """Later edits as a user makes them: change an amount or a date, add or clear a row."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Contributions"]
    for what, index, amount in edits:
        row = 2 + index % max(sheet.max_row - 1, 1)
        if what == "amount":
            sheet.cell(row, 6).value = amount
        elif what == "date":
            sheet.cell(row, 1).value = dt.date(2026, 1, 1) + dt.timedelta(days=amount % 365)
        elif what == "clear":
            for column in range(1, 11):
                sheet.cell(row, column).value = None
        else:
            day = dt.date(2026, 1, 1) + dt.timedelta(days=amount % 365)
            sheet.append([day, "Cy", GROUPS[index % 2], "", 2, amount, "ajout", "", "", ""])
    workbook.save(path)


edit = st.tuples(
    st.sampled_from(("amount", "date", "clear", "add")), st.integers(0, 20), st.integers(0, 700)
)
