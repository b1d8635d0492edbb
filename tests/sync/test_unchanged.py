"""The unchanged-sync fast path, on the local workbook and the Google emulator: an
unchanged sheet skips parse, rules and ledger; any change takes the full path."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

import sheetsync
from sheetsync.cli import console
from sheetsync.cli.main import cli
from sheetsync.ledger import state
from sheetsync.model import CellValue, ErrorCell, RawTab, RawWorkbook, StructureError
from sheetsync.sync import pipeline, unchanged
from tests.support.ledger_cases import AS_OF, NOW, Sheet, make_sheet


@pytest.fixture(params=["xlsx", "gsheet"])
def sheet(request: pytest.FixtureRequest, tmp_path: Path) -> Sheet:
    return make_sheet(request.param, tmp_path)


def synced(sheet: Sheet, as_of: dt.date = AS_OF) -> pipeline.Outcome:
    return pipeline.run_sync(sheet.backend(), as_of, now=NOW, fast=True)


def stages(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The stages the last sync went through, as `--verbose` logs them."""
    return [r.getMessage().split()[0] for r in caplog.records if r.name == "sheetsync"]


def test_an_unchanged_sync_skips_parse_rules_and_ledger(
    sheet: Sheet, caplog: pytest.LogCaptureFixture
) -> None:
    first = synced(sheet)
    assert first.written
    assert not first.fast
    caplog.set_level(logging.INFO, logger="sheetsync")
    caplog.clear()
    again = synced(sheet)
    assert again.fast
    assert (again.written, again.changed) == (False, ())
    assert "rules" not in stages(caplog)
    assert "parse" not in stages(caplog)
    assert "state" not in stages(caplog)
    # The terminal and --json show what the last sync showed (floats as the sheet keeps them).
    shown, last = _json(console.summary_json(again, "t")), _json(console.summary_json(first, "t"))
    assert shown == {**last, "changed_tabs": [], "written": False}
    assert again.anomalies == first.anomalies
    assert console.group_lines(again) == console.group_lines(first)


def test_a_caller_that_needs_the_books_always_computes(sheet: Sheet) -> None:
    synced(sheet)
    again = pipeline.run_sync(sheet.backend(), AS_OF, now=NOW)
    assert not again.fast
    assert len(again.figures.groups) == 2  # the books, computed


def test_the_sync_command_takes_the_fast_path(tmp_path: Path) -> None:
    sheet = make_sheet("xlsx", tmp_path)
    target = str(tmp_path / "budget.xlsx")
    command = ["sync", target, "--as-of", AS_OF.isoformat(), "--json"]
    first, again = (CliRunner().invoke(cli, command) for _ in range(2))
    assert (first.exit_code, again.exit_code) == (0, 0), first.output
    assert _json(again.output) == {**_json(first.output), "changed_tabs": [], "written": False}
    assert pipeline.run_sync(sheet.backend(), AS_OF, fast=True).fast


def _json(text: str) -> dict[str, object]:
    found: dict[str, object] = json.loads(text, parse_float=lambda f: float(f"{float(f):.15g}"))
    return found


def test_a_changed_cell_takes_the_full_path(sheet: Sheet, caplog: pytest.LogCaptureFixture) -> None:
    synced(sheet)
    sheet.set_cell("Contributions", "E3", 6)
    caplog.set_level(logging.INFO, logger="sheetsync")
    again = synced(sheet)
    assert not again.fast
    assert "rules" in stages(caplog)
    assert again.written
    assert synced(sheet).fast  # and the next one is fast again


def test_another_as_of_date_takes_the_full_path(sheet: Sheet) -> None:
    synced(sheet)
    later = AS_OF + dt.timedelta(days=1)
    moved = synced(sheet, later)
    assert not moved.fast
    # A day later with no new cell, the figures moved all the same (the projection).
    assert "Synthèse groupes" in moved.changed
    assert synced(sheet, later).fast


def test_another_program_version_takes_the_full_path(
    sheet: Sheet, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced(sheet)
    monkeypatch.setattr(sheetsync, "__version__", sheetsync.__version__ + ".1")
    assert not synced(sheet).fast


def test_a_hand_edited_output_tab_takes_the_full_path(sheet: Sheet) -> None:
    first = synced(sheet)
    title = first.table("monthly").title
    sheet.set_cell(title, "D2", 99.5)
    edited = synced(sheet)
    assert not edited.fast
    assert "hand_edited_output" in {a.code for a in edited.anomalies}
    assert edited.written
    # The warning was said once: the next sync computes again and drops it.
    after = synced(sheet)
    assert not after.fast
    assert "hand_edited_output" not in {a.code for a in after.anomalies}
    assert synced(sheet).fast


def test_the_digest_covers_cells_titles_and_version(sheet: Sheet) -> None:
    raw, _ = pipeline.analyse(sheet.backend(), AS_OF, now=NOW)
    seen = unchanged.digest(raw, AS_OF)
    assert unchanged.digest(raw, AS_OF) == seen
    assert unchanged.digest(raw, AS_OF, version="0.0.0") != seen
    assert unchanged.digest(raw, AS_OF + dt.timedelta(days=1)) != seen
    moved = dataclasses.replace(raw, all_titles=(*raw.all_titles, "Notes"))
    assert unchanged.digest(moved, AS_OF) != seen
    tab = raw.tabs["Contributions"]
    tab.rows[1][4] = 8
    assert unchanged.digest(raw, AS_OF) != seen


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("#N/A", ErrorCell("#N/A")),  # a text, then an error cell showing the same
        (dt.date(2026, 3, 2), 46083),  # a date, then its serial number
        (dt.date(2026, 3, 2), dt.date(2026, 3, 3)),
        (dt.date(2026, 3, 2), 739677),  # a date, then its ordinal
        (dt.date(2026, 3, 2), dt.datetime(2026, 3, 2)),
        (1, 1.0),
        (1, True),
        (dt.timedelta(hours=2), dt.time(2)),
    ],
)
def test_the_digest_tells_cell_types_apart(before: CellValue, after: CellValue) -> None:
    def raw(cell: CellValue) -> RawWorkbook:
        rows: list[list[CellValue]] = [["Date", "Durée (h)"], [cell, 2]]
        return RawWorkbook({"Contributions": RawTab("Contributions", rows)})

    assert unchanged.digest(raw(before), AS_OF) != unchanged.digest(raw(after), AS_OF)
    assert unchanged.digest(raw(before), AS_OF) == unchanged.digest(raw(before), AS_OF)


def test_the_digest_keeps_each_cell_in_its_row() -> None:
    """Dated rows are digested as one flat list of cells: each row's length keeps them apart."""

    def raw(rows: list[list[CellValue]]) -> RawWorkbook:
        return RawWorkbook({"Contributions": RawTab("Contributions", rows)})

    day = dt.date(2026, 3, 2)
    one = raw([["Date", "Groupe"], [day, "A"], ["B"]])
    other = raw([["Date", "Groupe"], [day], ["A", "B"]])
    assert unchanged.digest(one, AS_OF) != unchanged.digest(other, AS_OF)


@pytest.mark.parametrize("day", [dt.date(2026, 3, 2), dt.datetime(2026, 3, 2, 9, 30)])
def test_equal_cells_digest_alike_whether_or_not_they_are_one_object(day: dt.date) -> None:
    """A reader may give one object for equal cells, or one each: same digest (dates
    are written by their ordinal, date-times pickled)."""
    shared: list[CellValue] = [day, "Groupe " + "A"]
    one: list[list[CellValue]] = [["Date", "Groupe"], list(shared), list(shared)]
    copies: list[list[CellValue]] = [["Date", "Groupe"]]
    copies += [[day.replace(), "".join(["Groupe ", "A"])] for _ in "ab"]
    assert copies[1][1] is not copies[2][1]
    assert copies[1][0] is not copies[2][0]

    def raw(rows: list[list[CellValue]]) -> RawWorkbook:
        return RawWorkbook({"Contributions": RawTab("Contributions", rows)})

    assert unchanged.digest(raw(one), AS_OF) == unchanged.digest(raw(copies), AS_OF)


def test_a_hand_edited_state_is_never_taken_for_unchanged(sheet: Sheet) -> None:
    synced(sheet)
    sheet.set_cell(state.title(), "B2", "zlib:AAAA")
    with pytest.raises(StructureError, match="modifié à la main"):
        synced(sheet)


@pytest.mark.parametrize(
    "record",
    [
        {"digest": "d", "tabs": {"Synthèse groupes": "f1"}, "anomalies": [["info", "x"]]},
        {"digest": "d", "tabs": {"unchanged": "a tab so named"}, "anomalies": []},
        {"digest": 'a "unchanged": text', "tabs": {}, "anomalies": [['"unchanged":1}']]},
        None,
    ],
)
def test_the_record_is_read_alone_and_equals_the_whole_state(record: object) -> None:
    document = json.dumps(
        {
            "closings": [],
            "snapshot": {"rows": ['"unchanged":2']},
            "unchanged": record,
            "version": 2,
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    alone = unchanged._last_key(document, "unchanged")
    assert alone in (record, None)  # None: the whole state is decoded instead
    assert (alone or unchanged._whole(document).get("unchanged")) == record
    if record is not None and '"unchanged":' not in json.dumps(record):
        assert alone == record  # the common case never decodes the snapshot
