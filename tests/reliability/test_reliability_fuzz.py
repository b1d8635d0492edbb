"""Bad input fuzzing: nasty cells in every column of every input tab, from a corpus
and from hypothesis. Never a traceback; every rejected row is reported at its row
and at the column that holds the bad cell; the other rows are computed as if the
rejected ones were absent.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.books import checks, rules
from sheetsync.model import Anomaly, Book, CellValue, OutputTable, RawTab, RawWorkbook, Severity
from sheetsync.parse import book as parse
from sheetsync.report import tables as report
from sheetsync.sync import pipeline
from sheetsync.template import load, normalize
from tests.support.golden import read_xlsx_tab, write_xlsx
from tests.support.nasty_cells import NASTY

# Syncs are stamped in the journal: a fixed clock makes runs comparable.
NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)
AS_OF = dt.date(2026, 6, 1)
Tabs = dict[str, list[list[CellValue]]]
CONTRIBUTION_HEADER: list[CellValue] = [c.fr for c in load().input("contributions").columns]
BASE: Tabs = {
    "Paramètres": [["Paramètre", "Valeur", "Aide"], ["Devise", "EUR", ""]],
    "Groupes": [
        ["Groupe", "Pilote", "Enveloppe", "Politique de dépassement", "Taux journalier", "Notes"],
        ["Com", "Ana", 500, "proportionnel", None, ""],
        ["Tech", "Bo", 300, "ordre d'arrivée", 350, ""],
    ],
    "Personnes": [
        [
            "Personne",
            "Email",
            "Rétribution",
            "Structure de facturation",
            "Mode de paiement",
            "Notes",
        ],
        ["Ana", "a@x.org", "financière", "Coop", "facture", ""],
        ["Bo", "", "bénévole", "", "", ""],
    ],
    "Contributions": [
        CONTRIBUTION_HEADER,
        [dt.date(2026, 3, 2), "Ana", "Com", "production", 3.5, None, "doc", "", "validé", ""],
        [dt.date(2026, 3, 3), "Bo", "Tech", "coordination", 2, 100, "x", "", "", ""],
        [dt.date(2026, 4, 3), "Ana", "Tech", "", 7, 400, "y", "", "déclaré", "non"],
        [dt.date(2026, 5, 3), "Cy", "Com", "créa", 1, None, "", "Ana", "", ""],
    ],
    "Versements": [
        ["Date", "Bénéficiaire", "Montant", "Référence", "Note"],
        [dt.date(2026, 4, 1), "Coop", 50, "F1", ""],
    ],
}
# A valid row per tab; the fuzzed cell replaces one of its cells.
PROBES: dict[str, list[CellValue]] = {
    "Paramètres": ["Taux journalier de référence", 300, ""],
    "Groupes": ["Fuzz", "Zed", 100, "signaler", None, ""],
    "Personnes": ["Fuzz", "", "financière", "", "", ""],
    "Contributions": [dt.date(2026, 3, 9), "Ana", "Com", "production", 1, None, "fz", "", "", ""],
    "Versements": [dt.date(2026, 4, 2), "Coop", 10, "F2", ""],
}
COLUMNS = [(tab, column) for tab, probe in PROBES.items() for column in range(len(probe))]
# Never a valid date, number, duration, choice or yes/no, whatever the column.
NEVER_VALID = ["#REF!", "#N/A", "=SUM(A1:A2)", "😀🎉", "x" * 10_000, "NaN", "inf", "\x00"]
TYPED_KINDS = {"date", "hours", "money", "enum", "bool"}
GENERATED = {"count": 0}
# Every setting but the currency, which BASE sets already.
SETTING_NAMES = [s.fr for s in load().settings if s.key != "currency"]


@dataclass(frozen=True)
class Run:
    book: Book
    anomalies: list[Anomaly]
    tables: list[OutputTable]


def run(tabs: Tabs) -> Run:
    """Parse, compute, check and render, as a sync does (no backend)."""
    raw = RawWorkbook(
        tabs={t: RawTab(t, [list(r) for r in rows]) for t, rows in tabs.items()},
        all_titles=tuple(tabs),
    )
    book = parse.read_template(raw, AS_OF)
    figures = rules.compute(book, AS_OF)
    anomalies = [*book.anomalies, *checks.run(book, figures, AS_OF)]
    return Run(book, anomalies, report.render(book, figures, anomalies))


def with_probes(tab: str, column: int, values: list[CellValue]) -> Tabs:
    """BASE plus one probe row per value, appended to `tab` (so valid rows keep their numbers)."""
    tabs = {title: [list(r) for r in rows] for title, rows in BASE.items()}
    for number, value in enumerate(values):
        row = list(PROBES[tab])
        if tab in ("Groupes", "Personnes"):
            row[0] = f"Fuzz {number}"  # distinct names, so only the fuzzed cell is wrong
        if tab == "Paramètres":
            row[0] = SETTING_NAMES[number]  # one row per setting: no duplicates
            row[1] = None if column != 1 else row[1]  # blank: the setting's default
        row[column] = value
        tabs[tab].append(row)
    return tabs


def accepted_rows(result: Run, tab: str) -> set[int]:
    """Sheet rows of `tab` the parser kept."""
    book = result.book
    if tab == "Contributions":
        return {int(r) for r in book.contributions["row"]}
    if tab == "Versements":
        return {int(r) for r in book.payments["row"]}
    if tab == "Groupes":
        return {g.row for g in book.groups}
    if tab == "Personnes":
        return {p.row for p in book.people}
    unreadable = {
        a.row
        for a in result.anomalies
        if a.tab == tab and a.row is not None and a.severity is not Severity.INFO
    }
    return {n for n in range(2, len(BASE[tab]) + 40) if n not in unreadable}


def results(result: Run) -> list[OutputTable]:
    # The Anomalies tab differs by design: it lists the bad cells.
    return [t for t in result.tables if t.key != "anomalies"]


def check_probes(tab: str, column: int, values: list[CellValue]) -> None:
    """The fuzzing properties for probe rows holding `values` in one column of one tab."""
    size = len(SETTING_NAMES) if tab == "Paramètres" else len(values)
    for start in range(0, len(values), size):
        _check_chunk(tab, column, values[start : start + size])


def _check_chunk(tab: str, column: int, values: list[CellValue]) -> None:
    tabs = with_probes(tab, column, values)
    result = run(tabs)  # a traceback here fails the test
    header = str(BASE[tab][0][column])
    first = len(BASE[tab]) + 1
    probe_rows = range(first, first + len(values))
    kept = accepted_rows(result, tab)
    for number, value in zip(probe_rows, values, strict=True):
        at_row = [a for a in result.anomalies if a.tab == tab and a.row == number]
        if number not in kept:
            # An error, or a warning for a row ignored as a duplicate or a setting defaulted.
            assert any(a.severity is not Severity.INFO for a in at_row), (header, value, at_row)
            assert header in {a.column for a in at_row}, (header, value, at_row)
        if _never_valid(value) and _kind(tab, column) in TYPED_KINDS:
            assert header in {a.column for a in at_row}, (header, value, at_row)
    # The rows kept, without the rejected ones, give the very same results.
    only_kept = {t: [list(r) for r in rows] for t, rows in tabs.items()}
    only_kept[tab] = [r for n, r in enumerate(tabs[tab], start=1) if n < first or n in kept]
    assert results(run(only_kept)) == results(result)


def _never_valid(value: CellValue) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    return value in NEVER_VALID


def _kind(tab: str, column: int) -> str:
    definition = next(t for t in load().inputs if normalize(tab) in t.match_keys())
    name = normalize(str(BASE[tab][0][column]))
    return next(c.kind for c in definition.columns if name in c.match_keys())


def test_base_is_clean() -> None:
    result = run(BASE)
    assert [a for a in result.anomalies if a.severity is Severity.ERROR] == []
    assert len(result.book.contributions) == len(BASE["Contributions"]) - 1


@pytest.mark.slow  # 30 columns x the whole corpus: about 20 s
@pytest.mark.parametrize(("tab", "column"), COLUMNS)
def test_corpus_in_every_column(tab: str, column: int) -> None:
    check_probes(tab, column, list(NASTY.values()))


CELLS = st.one_of(
    st.sampled_from(list(NASTY.values())),
    st.text(max_size=40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.booleans(),
    st.none(),
)


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spot=st.sampled_from(COLUMNS), values=st.lists(CELLS, min_size=1, max_size=6))
def test_generated_cells(spot: tuple[str, int], values: list[CellValue]) -> None:
    GENERATED["count"] += 1
    check_probes(spot[0], spot[1], values)


def test_merged_cells_hidden_rows_and_repeated_header(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    tabs = with_probes("Contributions", 0, [])
    tabs["Contributions"].append(list(CONTRIBUTION_HEADER))  # header repeated mid-sheet
    write_xlsx(tabs, path)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Contributions"]
    sheet.append([dt.date(2026, 3, 10), "Ana", "Com", "production", 2, None, "merged", "", "", ""])
    sheet.merge_cells("G7:J7")  # a merged description over four columns
    sheet.row_dimensions[3].hidden = True  # a hidden valid row still counts
    workbook.save(path)
    outcome = pipeline.run_sync(XlsxBackend(path, "fr"), AS_OF, now=NOW)
    header_row = [a for a in outcome.anomalies if a.tab == "Contributions" and a.row == 6]
    assert any(a.severity is Severity.ERROR and a.column == "Date" for a in header_row)
    rows = set(outcome.book.contributions["row"])
    assert rows == {2, 3, 4, 5, 7}
    assert read_xlsx_tab(path, "Synthèse groupes")
