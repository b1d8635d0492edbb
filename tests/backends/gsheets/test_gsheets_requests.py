"""Requests per sync on Google, whatever the hours and dates hold: 3 with changes
(metadata, values, write), 2 unchanged, and a formats request only for cells whose
shown text cannot be read (docs/GOOGLE.md, "Dates and durations as shown")."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import parse_qs

import pytest

from sheetsync.intake import form
from sheetsync.model import CellValue
from sheetsync.sync import pipeline
from tests.emulator import Emulator
from tests.support.gsheets import GsheetFactory

AS_OF = dt.date(2026, 6, 1)
GROUPS: list[list[CellValue]] = [["Groupe", "Enveloppe"], ["GT Com", 1000]]
HEADER: list[CellValue] = ["Date", "Personne", "Groupe", "Durée (h)"]
DATE, HOURS = 0, 3


def _tabs(dates: list[dt.date], hours: list[CellValue]) -> dict[str, list[list[CellValue]]]:
    rows: list[list[CellValue]] = [HEADER]
    rows += [[d, "Émilie", "GT Com", h] for d, h in zip(dates, hours, strict=True)]
    return {"Groupes": GROUPS, "Contributions": rows}


def _format(emulator: Emulator, sid: str, column: int, number_format: dict[str, Any]) -> None:
    """Give a column's data cells a number format, as a user does from the Format menu."""
    sheet = emulator.books[sid].sheet_by_title("Contributions")
    for (row, at), cell in sheet.cells.items():
        if at == column and row > 0 and "userEnteredValue" in cell:
            cell["userEnteredFormat"] = {"numberFormat": number_format}


def _formats_requests(emulator: Emulator, since: int = 0) -> list[list[str]]:
    """The ranges of each formats request (spreadsheets.get for cells' formats)."""
    found = []
    for entry in emulator.log[since:]:
        query = parse_qs(entry.query)
        if "effectiveValue" in query.get("fields", [""])[0]:
            found.append(query["ranges"])
    return found


def _read(outcome: pipeline.Outcome) -> list[tuple[dt.date, float]]:
    rows = outcome.book.contributions
    hours = [s / 3600 for s in rows["seconds"]]
    return list(zip((d.date() for d in rows["date"]), hours, strict=True))


MARCH = [dt.date(2026, 3, 2), dt.date(2026, 3, 20)]

HoursCase = tuple[list[CellValue], dict[str, Any] | None, list[float]]
HOURS_CASES: dict[str, HoursCase] = {
    "numbers": ([3.5, 2], None, [3.5, 2.0]),
    "times typed 2:00": ([dt.timedelta(hours=2), dt.timedelta(minutes=90)], None, [2.0, 1.5]),
    "durations [h]:mm": (
        [dt.timedelta(hours=2), dt.timedelta(minutes=90)],
        {"type": "TIME", "pattern": "[h]:mm"},
        [2.0, 1.5],
    ),
    "12-hour clock": (
        [dt.timedelta(hours=2), dt.timedelta(minutes=90)],
        {"type": "TIME", "pattern": "h:mm AM/PM"},
        [2.0, 1.5],
    ),
    "the locale's time": (
        [dt.timedelta(hours=2), dt.timedelta(minutes=90)],
        {"type": "TIME"},
        [2.0, 1.5],
    ),
    "text": (["2h30", "90 min"], None, [2.5, 1.5]),
}


@pytest.mark.parametrize("locale", ["fr_FR", "en_US"])
@pytest.mark.parametrize("case", list(HOURS_CASES))
def test_three_requests_with_changes_whatever_the_hours_hold(
    gsheet_backend_from_rows: GsheetFactory, case: str, locale: str
) -> None:
    hours, number_format, expected = HOURS_CASES[case]
    backend, emulator = gsheet_backend_from_rows(_tabs(MARCH, hours), locale=locale)
    if number_format:
        _format(emulator, backend.spreadsheet_id, HOURS, number_format)
    first = pipeline.run_sync(backend, AS_OF)
    assert (first.written, len(emulator.log)) == (True, 3)  # metadata, values, write
    assert _read(first) == list(zip(MARCH, expected, strict=True))
    before = len(emulator.log)
    again = pipeline.run_sync(backend, AS_OF, fast=True)
    assert (again.fast, again.written, len(emulator.log) - before) == (True, False, 2)
    # An edit: the hours of row 2 typed again as a plain number.
    sheet = emulator.books[backend.spreadsheet_id].sheet_by_title("Contributions")
    sheet.cells[(1, HOURS)] = {"userEnteredValue": {"numberValue": 4}}
    before = len(emulator.log)
    changed = pipeline.run_sync(backend, AS_OF, fast=True)
    assert (changed.written, len(emulator.log) - before) == (True, 3)
    assert _read(changed)[0] == (MARCH[0], 4.0)
    assert _formats_requests(emulator) == []


DATES_CASES = [
    # (locale, the Date column's format, dates, requests of a first sync)
    ("fr_FR", {"type": "DATE"}, MARCH, 3),
    ("en_US", {"type": "DATE"}, MARCH, 3),  # 3/20/2026 shows the month first
    ("en_US", {"type": "DATE", "pattern": "dd/mm/yyyy"}, MARCH, 3),  # sheetsync's template
    ("fr_FR", {"type": "DATE", "pattern": "mm/dd/yyyy"}, MARCH, 3),  # against the locale
    ("fr_FR", {"type": "DATE", "pattern": "d mmm yyyy"}, MARCH, 3),
    ("fr_FR", {"type": "DATE", "pattern": "dddd d mmmm yyyy"}, MARCH, 3),
    ("en_US", {"type": "DATE", "pattern": "mmm d, yyyy"}, MARCH, 3),
    ("fr_FR", {"type": "DATE_TIME"}, MARCH, 3),
    ("de_DE", {"type": "DATE"}, MARCH, 3),  # 20.03.2026
    # The formats request: a text that cannot pin its date down.
    ("en_US", {"type": "DATE", "pattern": "dd/mm/yyyy"}, [dt.date(2026, 3, 2)] * 2, 4),
    ("en_US", {"type": "DATE"}, [dt.date(2026, 3, 2), dt.date(2026, 4, 5)], 4),
    ("fr_FR", {"type": "DATE", "pattern": "d mmm"}, MARCH, 4),  # no year
    ("de_DE", {"type": "DATE", "pattern": "d. mmmm yyyy"}, MARCH, 4),  # März
]


@pytest.mark.parametrize(("locale", "number_format", "dates", "requests"), DATES_CASES)
def test_dates_read_as_shown(
    gsheet_backend_from_rows: GsheetFactory,
    locale: str,
    number_format: dict[str, Any],
    dates: list[dt.date],
    requests: int,
) -> None:
    backend, emulator = gsheet_backend_from_rows(_tabs(dates, [3.5, 2]), locale=locale)
    _format(emulator, backend.spreadsheet_id, DATE, number_format)
    first = pipeline.run_sync(backend, AS_OF)
    assert first.written
    assert _read(first) == list(zip(dates, [3.5, 2.0], strict=True))
    assert len(emulator.log) == requests
    asked = _formats_requests(emulator)
    assert asked == ([] if requests == 3 else [["'Contributions'!A2", "'Contributions'!A3"]])
    # Unchanged: metadata and values, the dates of the output tabs read back too.
    before = len(emulator.log)
    again = pipeline.run_sync(backend, AS_OF, fast=True)
    assert (again.fast, again.written, len(emulator.log) - before) == (True, False, 2)


def test_hours_formatted_as_a_date_cost_the_formats_request(
    gsheet_backend_from_rows: GsheetFactory,
) -> None:
    backend, emulator = gsheet_backend_from_rows(_tabs(MARCH, [3.5, 2]))
    sheet = emulator.books[backend.spreadsheet_id].sheet_by_title("Contributions")
    sheet.cells[(2, HOURS)]["userEnteredFormat"] = {"numberFormat": {"type": "DATE"}}
    outcome = pipeline.run_sync(backend, AS_OF)
    assert len(emulator.log) == 4
    assert _formats_requests(emulator) == [["'Contributions'!D3"]]
    # Typed from its format, the cell is a date: no duration, its row never paid on a guess.
    assert 3 not in set(outcome.book.contributions["row"])
    assert [a.row for a in outcome.anomalies if a.column == "Durée (h)"] == [3]


def test_settings_dates_shown_day_first_in_a_month_first_locale(
    gsheet_backend_from_rows: GsheetFactory,
) -> None:
    """sheetsync's template writes the period dd/mm/yyyy, also in an en_US sheet."""
    settings: list[list[CellValue]] = [
        ["Paramètre", "Valeur"],
        ["Début de période", dt.date(2026, 2, 1)],
        ["Fin de période", dt.date(2026, 12, 31)],
        ["Devise", "EUR"],
    ]
    tabs = {**_tabs(MARCH, [3.5, 2]), "Paramètres": settings}
    backend, emulator = gsheet_backend_from_rows(tabs, locale="en_US")
    sheet = emulator.books[backend.spreadsheet_id].sheet_by_title("Paramètres")
    for row in (1, 2):
        sheet.cells[(row, 1)]["userEnteredFormat"] = {
            "numberFormat": {"type": "DATE", "pattern": "dd/mm/yyyy"}
        }
    outcome = pipeline.run_sync(backend, AS_OF)
    settings_read = outcome.book.settings
    assert (settings_read.period_start, settings_read.period_end) == (
        dt.date(2026, 2, 1),
        dt.date(2026, 12, 31),
    )
    assert len(emulator.log) == 3
    # The form's questions read the same settings, with no request more than the read.
    before = len(emulator.log)
    book = form.read_book(backend, AS_OF)
    assert book.settings.period_start == dt.date(2026, 2, 1)
    assert len(emulator.log) - before == 2
