"""The journal: rows added, modified and deleted between syncs, earlier lines kept
as first written, on both backends with a fresh backend at each sync."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from sheetsync import display
from sheetsync.ledger import closing, journal, rowsets, state
from sheetsync.ledger.state import State
from sheetsync.model import Book
from sheetsync.parse.book import read_template
from sheetsync.sync import pipeline, unchanged
from tests.support.ledger_cases import AS_OF, NOW, Sheet, june_row, make_sheet


def rows(*cells: tuple[int, str]) -> pd.DataFrame:
    """A tab's rows as the journal compares them: the sheet row, then the values."""
    return pd.DataFrame({"row": [n for n, _ in cells], "a": [v for _, v in cells]})


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        # A row inserted above moves the others: only the new one is added.
        (rows((2, "x"), (3, "y")), rows((2, "n"), (3, "x"), (4, "y")), ([2], [], [])),
        (rows((2, "x"), (3, "y")), rows((2, "x")), ([], [3], [])),
        (rows((2, "x"), (3, "y")), rows((2, "x"), (3, "z")), ([], [], [3])),
        # Two identical rows, one deleted: the other still matches.
        (rows((2, "x"), (3, "x")), rows((2, "x")), ([], [3], [])),
        # Nothing changed, and rows swapped: no change either way.
        (rows((2, "x"), (3, "y")), rows((2, "x"), (3, "y")), ([], [], [])),
        (rows((2, "x"), (3, "y")), rows((2, "y"), (3, "x")), ([], [], [])),
    ],
)
def test_match(before: pd.DataFrame, after: pd.DataFrame, expected: tuple[list[int], ...]) -> None:
    changes = rowsets.match(before, rowsets.hashes(before), after)
    got = (
        [int(after["row"][at]) for at in changes.added],
        [int(before["row"][at]) for at in changes.deleted],
        [int(after["row"][new]) for _, new in changes.modified],
    )
    assert got == expected


@pytest.mark.parametrize(
    ("cents", "lang", "expected"),
    [(123456, "fr", "1234,56"), (-5, "en", "-0.05"), (0, "en", "0.00")],
)
def test_money_text(cents: int, lang: str, expected: str) -> None:
    assert display.amount(cents, lang) == expected  # type: ignore[arg-type]


@pytest.fixture(params=["xlsx", "gsheet"])
def sheet(request: pytest.FixtureRequest, tmp_path: Path) -> Sheet:
    return make_sheet(request.param, tmp_path)


def lines(sheet: Sheet) -> list[list[object]]:
    return [[None if v == "" else v for v in r] for r in sheet.values("Journal")[1:]]


def test_first_sync_records_the_starting_state_in_one_line(sheet: Sheet) -> None:
    pipeline.run_sync(sheet.backend(), AS_OF, now=NOW)
    (first,) = lines(sheet)
    assert first[3] == "état initial"
    assert str(first[4]).startswith("5 contributions, 1 versements, 2 groupes")
    again = pipeline.run_sync(sheet.backend(), AS_OF, now=NOW + dt.timedelta(hours=1))
    assert not again.written


def test_add_modify_delete_are_appended(sheet: Sheet) -> None:
    pipeline.run_sync(sheet.backend(), AS_OF, now=NOW)
    start = lines(sheet)
    sheet.set_cell("Contributions", "F3", 250)
    for column, cell in zip("ABCEF", june_row("Site", 2, 60), strict=True):
        sheet.set_cell("Contributions", f"{column}7", cell)
    for column in "ABCDEFG":
        sheet.set_cell("Contributions", f"{column}4", None)
    sheet.set_cell("Groupes", "C3", 1200)
    later = NOW + dt.timedelta(days=1)
    assert pipeline.run_sync(sheet.backend(), AS_OF, now=later).written
    added = lines(sheet)[len(start) :]
    assert lines(sheet)[: len(start)] == start
    assert [(r[1], r[2], r[3]) for r in added] == [
        ("Contributions", 3, "modification"),
        ("Contributions", 4, "suppression"),
        ("Contributions", 7, "ajout"),
        ("Groupes", None, "modification"),
    ]
    assert added[0][4] == "Montant demandé 200,00 → 250,00"
    assert "vidéo" in str(added[1][4])
    assert "Dan" in str(added[2][4])
    assert added[3][4] == "Site : Enveloppe 1000,00 → 1200,00"
    assert {r[0] for r in added} == {closing.stamp(later)}


def test_settings_change_is_journaled(tmp_path: Path) -> None:
    sheet = make_sheet("xlsx", tmp_path)
    pipeline.run_sync(sheet.backend(), AS_OF, now=NOW)
    sheet.set_cell("Paramètres", "B2", 20)
    pipeline.run_sync(sheet.backend(), AS_OF, now=NOW)
    last = lines(sheet)[-1]
    assert (last[1], last[3]) == ("Paramètres", "modification")
    assert last[4] == "Part de l'excédent aux communs (%) 10 → 20"


def test_a_snapshot_taken_from_the_same_cells_is_not_decoded(tmp_path: Path) -> None:
    """The state's snapshot stays packed while the cells read are those it was taken
    from; other cells decode it and journal the difference."""
    sheet = make_sheet("xlsx", tmp_path)
    pipeline.run_sync(sheet.backend(), AS_OF, now=NOW)

    def read_again() -> tuple[Book, State, str]:
        raw = sheet.backend().read(lambda title: True)
        book = read_template(raw, AS_OF)
        return book, state.read(raw, book.lang), unchanged.digest(raw, AS_OF)

    book, kept, seen = read_again()
    assert kept.snapshot is not None
    assert kept.snapshot.source == seen
    assert journal.record(kept, book, "t", seen) is kept
    assert not kept.snapshot.decoded

    sheet.set_cell("Contributions", "F3", 250)
    book, kept, seen = read_again()
    assert kept.snapshot is not None
    assert kept.snapshot.source != seen
    later = journal.record(kept, book, "t", seen)
    assert kept.snapshot.decoded
    assert [line[2:4] for line in later.journal[len(kept.journal) :]] == [(3, "modification")]
    assert later.snapshot is not None
    assert later.snapshot.source == seen
