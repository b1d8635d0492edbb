"""Closing, edits after closing, reopening: on the local workbook and the Google emulator,
each step run by a fresh backend that knows only what the spreadsheet holds."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from sheetsync.errors import ClosingError
from sheetsync.ledger import closing, frozen
from sheetsync.ledger.frames import pack as state_pack
from sheetsync.ledger.frames import unpack as state_unpack
from sheetsync.ledger.state import read as read_state
from sheetsync.ledger.state import title as state_title
from sheetsync.model import CellValue, Severity, StructureError
from sheetsync.parse.book import read_template
from sheetsync.sync import pipeline
from tests.support.ledger_cases import AS_OF, NOW, Sheet, june_row, make_sheet

UNTIL = dt.date(2026, 3, 31)


@pytest.fixture(params=["xlsx", "gsheet"])
def sheet(request: pytest.FixtureRequest, tmp_path: Path) -> Sheet:
    return make_sheet(request.param, tmp_path)


def payable_of(outcome: pipeline.Outcome, person: str, group: str) -> int:
    table = outcome.table("people_by_group")
    return next(int(str(r[4])) for r in table.rows if r[0] == person and r[1] == group)


def closed(sheet: Sheet) -> pipeline.Outcome:
    pipeline.run_sync(sheet.backend(), AS_OF, now=NOW)
    return pipeline.run_sync(sheet.backend(), AS_OF, now=NOW, action=closing.closer(UNTIL, "T1"))


def test_closing_writes_its_tab_and_a_hidden_state(sheet: Sheet) -> None:
    outcome = closed(sheet)
    assert outcome.written
    rows = sheet.values("Clôture T1")
    by_name = {(r[0], r[1]): r for r in rows[1:]}
    # Pro-rata in March: 500 € over 100/200/300 asked; Site took 400 €.
    assert by_name["Groupe", "Communication"][4] == 500
    assert by_name["Groupe", "Site"][4] == 400
    assert by_name["Personne", "Bo"][3:5] == [200, pytest.approx(166.67)]
    assert by_name["Bénéficiaire", "Ana"][4:7] == [pytest.approx(483.33), 50, pytest.approx(433.33)]
    # Before the period end 1500 − 900 = 600 € is only what the envelopes still
    # hold: no surplus, nothing to the commons or to smoothing (SPEC §9).
    assert by_name["Reste des enveloppes", "Total"][6] == 600
    assert "ni communs ni lissage" in str(by_name["Reste des enveloppes", "Total"][8])
    assert not [key for key in by_name if key[0] in {"Excédent", "Lissage"}]
    assert sheet.hidden(state_title())
    assert not sheet.hidden("Clôture T1")


def test_closing_at_the_period_end_splits_the_surplus(sheet: Sheet) -> None:
    pipeline.run_sync(sheet.backend(), AS_OF, now=NOW)
    year_end = dt.date(2026, 12, 31)
    pipeline.run_sync(sheet.backend(), AS_OF, now=NOW, action=closing.closer(year_end, "2026"))
    by_name = {(r[0], r[1]): r for r in sheet.values("Clôture 2026")[1:]}
    # 1500 − 1200 = 300 € (Bo's May row counts now): 10 % to the commons, 50 %
    # offered to smoothing, which needs only the 100 € people lack in March.
    assert by_name["Excédent", "Total"][4] == 300
    assert by_name["Excédent", "Communs"][4] == 30
    assert by_name["Excédent", "Lissage"][3:5] == [100, 100]
    assert by_name["Lissage", "Cy"][3:5] == [50, 50]
    assert by_name["Excédent", "Non affecté"][4] == 170
    assert ("Reste des enveloppes", "Total") not in by_name


def test_sync_after_closing_writes_nothing(sheet: Sheet) -> None:
    closed(sheet)
    again = pipeline.run_sync(sheet.backend(), AS_OF, now=NOW + dt.timedelta(days=1))
    assert again.changed == ()
    assert not again.written


@pytest.mark.parametrize(
    ("ref", "value", "code", "row", "shown"),
    [
        ("F3", 250, "frozen_row_modified", 3, "200,00 → 250,00"),
        ("A6", "2026-03-05", "row_added_after_closing", 6, "2026-03-05"),
        ("A7", "2026-03-20", "row_added_after_closing", 7, "Cy"),
    ],
)
def test_edit_after_closing_is_an_error_and_figures_stay(  # noqa: PLR0917 - one per case column
    sheet: Sheet, ref: str, value: CellValue, code: str, row: int, shown: str
) -> None:
    closed(sheet)
    if ref == "A7":  # a new row dated inside the closed range
        for column, cell in zip("ABCEF", [value, "Cy", "Communication", 7, 100], strict=True):
            sheet.set_cell("Contributions", f"{column}7", cell)
    else:
        sheet.set_cell("Contributions", ref, value)
    outcome = pipeline.run_sync(sheet.backend(), AS_OF, now=NOW)
    errors = [a for a in outcome.anomalies if a.code == code]
    assert [(a.severity, a.row) for a in errors] == [(Severity.ERROR, row)]
    assert shown in errors[0].message
    assert payable_of(outcome, "Bo", "Communication") == 16667
    assert payable_of(outcome, "Cy", "Communication") == 25000
    groups = {r[0]: r for r in outcome.table("group_summary").rows}
    assert groups["Communication"][3] == 50000


def test_deleted_frozen_row_is_an_error_and_still_counts(sheet: Sheet) -> None:
    closed(sheet)
    for column in "ABCDEFG":
        sheet.set_cell("Contributions", f"{column}4", None)
    outcome = pipeline.run_sync(sheet.backend(), AS_OF, now=NOW)
    errors = [a for a in outcome.anomalies if a.code == "frozen_row_deleted"]
    assert [(a.row, "vidéo" in a.message) for a in errors] == [(4, True)]
    assert payable_of(outcome, "Cy", "Communication") == 25000


def test_later_row_typed_over_a_frozen_row_is_a_deletion_and_a_new_row(sheet: Sheet) -> None:
    """Row 4 (frozen, March) is overwritten by a June row: the frozen row is deleted, not
    edited, and the June row is paid from what is left, like any row after the closing."""
    closed(sheet)
    sheet.set_cell("Contributions", "G4", None)
    for column, cell in zip("ABCEF", june_row("Site", 7, 100), strict=True):
        sheet.set_cell("Contributions", f"{column}4", cell)
    outcome = pipeline.run_sync(sheet.backend(), AS_OF, now=NOW)
    frozen = [(a.code, a.row) for a in outcome.anomalies if a.code.startswith("frozen")]
    assert frozen == [("frozen_row_deleted", 4)]
    assert payable_of(outcome, "Dan", "Site") == 10000
    assert payable_of(outcome, "Cy", "Communication") == 25000  # frozen figures stay


def test_rows_after_closing_use_what_is_left_of_the_envelope(sheet: Sheet) -> None:
    closed(sheet)
    for column, cell in zip("ABCEF", june_row("Communication", 7, 100), strict=True):
        sheet.set_cell("Contributions", f"{column}7", cell)
    outcome = pipeline.run_sync(sheet.backend(), AS_OF, now=NOW)
    # March consumed the whole 500 €: nothing is left for June under pro-rata.
    assert payable_of(outcome, "Dan", "Communication") == 0
    assert payable_of(outcome, "Bo", "Site") == 30000
    assert not [a for a in outcome.anomalies if a.code.startswith(("frozen", "row_added"))]


def test_reopen_computes_again_and_records_why(sheet: Sheet) -> None:
    closed(sheet)
    sheet.set_cell("Contributions", "F3", 250)
    reason = "facture de Bo corrigée"
    outcome = pipeline.run_sync(
        sheet.backend(), AS_OF, now=NOW, action=closing.reopener("T1", reason)
    )
    assert not [a for a in outcome.anomalies if a.code.startswith("frozen")]
    # 500 € over 100/250/300 asked: Bo now gets 192.31.
    assert payable_of(outcome, "Bo", "Communication") == 19231
    tab = sheet.values("Clôture T1")
    assert [line[0] for line in tab[1:3]] == ["Clôture", "Réouverture"]  # its first rows
    assert reason in str(tab[2][-1])
    assert any(reason in str(line[-1]) for line in sheet.values("Journal"))


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ([closing.closer(UNTIL, "T1")], "existe déjà"),
        ([closing.closer(dt.date(2026, 3, 1), "T0")], "choisissez une date après"),
        ([closing.reopener("T9", "?")], "Aucune clôture"),
        ([closing.closer(dt.date(2026, 5, 31), "T2"), closing.reopener("T1", "?")], "T2"),
        ([closing.closer(UNTIL, "a/b")], "refusé"),
    ],
)
def test_refused_actions(tmp_path: Path, steps: list[closing.Action], message: str) -> None:
    sheet = make_sheet("xlsx", tmp_path)
    closed(sheet)
    *before, last = steps
    for step in before:
        pipeline.run_sync(sheet.backend(), AS_OF, now=NOW, action=step)
    with pytest.raises(ClosingError, match=message):
        pipeline.run_sync(sheet.backend(), AS_OF, now=NOW, action=last)


def test_hand_edited_state_stops_the_sync(tmp_path: Path) -> None:
    sheet = make_sheet("xlsx", tmp_path)
    closed(sheet)
    data = str(sheet.values(state_title())[1][1])
    document = json.loads(state_unpack(data))
    (frozen,) = document["closings"]  # a frozen amount changed, the rest left valid
    assert "16667" in state_unpack(frozen["content"])
    frozen["content"] = state_pack(state_unpack(frozen["content"]).replace("16667", "26667", 1))
    sheet.set_cell(state_title(), "B2", state_pack(json.dumps(document)))
    with pytest.raises(StructureError, match="sheetsync"):
        pipeline.run_sync(sheet.backend(), AS_OF, now=NOW)


@pytest.mark.parametrize(
    ("earlier", "until"),
    [
        (None, dt.date(2026, 2, 28)),
        (None, dt.date(2026, 3, 2)),
        (None, dt.date(2026, 12, 31)),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 2)),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 15)),
        (dt.date(2026, 3, 10), dt.date(2026, 12, 31)),
    ],
)
def test_rows_after_a_close_are_those_matched_against_the_frozen_ones(
    tmp_path: Path, until: dt.date, earlier: dt.date | None
) -> None:
    """A close shares the envelopes left on the amounts it just worked out, without
    matching the rows against the ones it froze: the same rows, to the cent."""
    sheet = make_sheet("xlsx", tmp_path)
    sheet.set_cell("Contributions", "A7", None)  # an undated row: never frozen
    sheet.set_cell("Contributions", "B7", "Dan")
    sheet.set_cell("Contributions", "C7", "Site")
    sheet.set_cell("Contributions", "F7", 80)
    sheet.set_cell("Versements", "A3", None)  # an undated payment
    sheet.set_cell("Versements", "B3", "Bo")
    sheet.set_cell("Versements", "C3", 20)
    if earlier is not None:
        pipeline.run_sync(
            sheet.backend(), AS_OF, now=NOW, action=closing.closer(earlier, "T0", force=True)
        )
    raw = sheet.backend().read(lambda title: True)
    book = read_template(raw, AS_OF)
    kept = read_state(raw, book.lang)
    before = frozen.standing(book, kept)
    after = closing.closer(until, "T1")(kept, before, "2026-04-02 10:15")
    shortcut = frozen.standing(book, after, before=before)
    matched = frozen.standing(book, after)
    assert shortcut.anomalies == matched.anomalies == ()
    pd.testing.assert_frame_equal(shortcut.rows, matched.rows)
    pd.testing.assert_frame_equal(shortcut.book.payments, matched.book.payments)
    pd.testing.assert_frame_equal(shortcut.opened.contributions, matched.opened.contributions)


def test_a_close_over_a_touched_frozen_row_still_reports_it(tmp_path: Path) -> None:
    """A forced close over a row an earlier closing froze and someone edited since:
    the rows after it are matched again, so the error stays in the books' anomalies."""
    sheet = make_sheet("xlsx", tmp_path)
    pipeline.run_sync(sheet.backend(), AS_OF, now=NOW, action=closing.closer(UNTIL, "T0"))
    sheet.set_cell("Contributions", "F3", 250)  # Bo's frozen March row
    raw = sheet.backend().read(lambda title: True)
    book = read_template(raw, AS_OF)
    kept = read_state(raw, book.lang)
    before = frozen.standing(book, kept)
    assert [a.code for a in before.anomalies] == ["frozen_row_modified"]
    after = closing.closer(dt.date(2026, 4, 30), "T1", force=True)(kept, before, "t")
    shortcut = frozen.standing(book, after, before=before)
    matched = frozen.standing(book, after)
    assert [a.code for a in shortcut.anomalies] == ["frozen_row_modified"]
    assert shortcut.anomalies == matched.anomalies
    pd.testing.assert_frame_equal(shortcut.rows, matched.rows)
