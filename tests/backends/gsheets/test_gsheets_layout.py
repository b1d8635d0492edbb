"""The same layout description on Google Sheets, asserted on the emulator: conditional
rules stored (and replaced, never piled up), bold bordered totals, widths, the chart in
sight, chart data hidden; staged writes carry it too; nothing written when nothing changed."""

from __future__ import annotations

from typing import Any

import pytest

from sheetsync.backends.gsheets.layout import PIXELS_PER_WIDTH, colour
from sheetsync.layout import COLOURS, describe
from sheetsync.sync.pipeline import Outcome, run_sync
from tests.emulator import Emulator
from tests.emulator.state import Sheet
from tests.support.golden import load_case
from tests.support.gsheets import GsheetFactory
from tests.support.paths import GOLDEN
from tests.support.staged import LIMIT, ROWS
from tests.support.staged import Sheet as StagedSheet

CASE = load_case(GOLDEN / "fr-flag-over.toml")
LATER = CASE.as_of.replace(month=11, day=30)  # other projections: every tab rewritten


@pytest.fixture
def synced(gsheet_backend_from_rows: GsheetFactory) -> tuple[Any, Emulator, Outcome]:
    backend, emulator = gsheet_backend_from_rows(CASE.inputs)
    return backend, emulator, run_sync(backend, CASE.as_of)


def tab(emulator: Emulator, backend: Any, title: str) -> Sheet:
    return emulator.books[backend.spreadsheet_id].sheet_by_title(title)


def conditions(sheet: Sheet) -> list[tuple[str, str, Any]]:
    found = []
    for rule in sheet.conditional_formats:
        condition = rule["booleanRule"]["condition"]
        value = condition["values"][0]["userEnteredValue"]
        found.append((condition["type"], value, rule["booleanRule"]["format"]))
    return found


def test_state_words_coloured(synced: tuple[Any, Emulator, Outcome]) -> None:
    backend, emulator, _ = synced
    sheet = tab(emulator, backend, "Synthèse groupes")
    by_word = {value: fmt for kind, value, fmt in conditions(sheet) if kind == "TEXT_EQ"}
    assert by_word["dépassé"]["backgroundColor"] == colour(COLOURS["red"][0] or "")
    assert by_word["alerte"]["backgroundColor"] == colour(COLOURS["amber"][0] or "")
    assert by_word["ok"]["backgroundColor"] == colour(COLOURS["green"][0] or "")
    state = sheet.conditional_formats[0]["ranges"][0]
    assert (state["startColumnIndex"], state["startRowIndex"], state["endRowIndex"]) == (7, 1, 3)


def test_negative_amounts_and_anomaly_lines(synced: tuple[Any, Emulator, Outcome]) -> None:
    backend, emulator, _ = synced
    groups = conditions(tab(emulator, backend, "Synthèse groupes"))
    assert ("NUMBER_LESS", "0") in {(kind, value) for kind, value, _ in groups}
    anomalies = conditions(tab(emulator, backend, "Anomalies"))
    formulas = {value for kind, value, _ in anomalies if kind == "CUSTOM_FORMULA"}
    assert formulas == {'=$A2="erreur"', '=$A2="avertissement"', '=$A2="error"', '=$A2="warning"'}


def test_the_description_is_what_google_gets(synced: tuple[Any, Emulator, Outcome]) -> None:
    backend, emulator, outcome = synced
    for table in outcome.tables:
        layout = describe(table)
        sheet = tab(emulator, backend, table.title)
        assert len(sheet.conditional_formats) == len(layout.rules), table.title
        widths = [sheet.column_widths[i] for i in range(len(table.header))]
        assert all(w >= d * PIXELS_PER_WIDTH for w, d in zip(widths, layout.widths, strict=True))
        assert bool(sheet.properties.get("hidden")) == layout.hidden, table.title


def test_total_row_bold_with_a_top_border(synced: tuple[Any, Emulator, Outcome]) -> None:
    backend, emulator, _ = synced
    sheet = tab(emulator, backend, "Synthèse groupes")
    for column in range(15):  # blank cells too: the border runs the whole row
        fmt = sheet.cells[(2, column)]["userEnteredFormat"]
        assert fmt["textFormat"]["bold"] is True
        assert fmt["borders"]["top"]["style"] == "SOLID"
    assert sheet.cells[(2, 2)]["userEnteredFormat"]["numberFormat"]["type"] == "CURRENCY"
    assert "borders" not in sheet.cells[(1, 2)].get("userEnteredFormat", {})


def test_group_chart_below_the_table(synced: tuple[Any, Emulator, Outcome]) -> None:
    backend, emulator, _ = synced
    sheet = tab(emulator, backend, "Synthèse groupes")
    (chart,) = sheet.charts
    position = chart["position"]["overlayPosition"]
    # One empty row after the Total (row index 2), in column A; the grid holds it all.
    assert position["anchorCell"] == {"sheetId": sheet.sheet_id, "rowIndex": 4, "columnIndex": 0}
    assert position["offsetYPixels"] == 0
    assert sheet.row_count * 21 >= 4 * 21 + position["heightPixels"]


def test_rules_are_replaced_not_piled_up(synced: tuple[Any, Emulator, Outcome]) -> None:
    backend, emulator, first = synced
    before = {
        t.title: len(tab(emulator, backend, t.title).conditional_formats) for t in first.tables
    }
    assert run_sync(backend, LATER).written
    after = {
        t.title: len(tab(emulator, backend, t.title).conditional_formats) for t in first.tables
    }
    assert after == before
    assert before["Synthèse groupes"] > 0


def test_second_sync_writes_nothing(synced: tuple[Any, Emulator, Outcome]) -> None:
    backend, emulator, _ = synced
    count = emulator.request_count
    assert not run_sync(backend, CASE.as_of, fast=True).written
    assert emulator.request_count - count <= 2  # reads only


def test_staged_writes_carry_the_layout() -> None:
    sheet = StagedSheet(LIMIT, rows=ROWS)
    outcome = sheet.sync()
    book = sheet.emulator.books[sheet.spreadsheet_id]
    updates = [e for e in sheet.emulator.log if e.path.endswith(":batchUpdate")]
    assert len(updates) > 2  # staged: prepare, fill, swap
    assert not any(s.title.startswith("sheetsync-staging") for s in book.sheets)
    anomalies = next(t for t in outcome.tables if t.key == "anomalies")
    stored = book.sheet_by_title(anomalies.title)
    assert len(stored.conditional_formats) == len(describe(anomalies).rules) > 0
    assert stored.column_widths[0] == describe(anomalies).widths[0] * PIXELS_PER_WIDTH
    hidden = {s.title for s in book.sheets if s.properties.get("hidden")}
    assert hidden == {t.title for t in outcome.tables if describe(t).hidden}
