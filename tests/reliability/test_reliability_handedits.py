"""Hand edits of output tabs: kept as a dated copy with a warning, on both backends."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
import requests

from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.backends.xlsx.package import open_package
from sheetsync.ledger import state
from sheetsync.model import CellValue, OutputTable, RawTab
from sheetsync.sync import handedits, pipeline
from sheetsync.template import Tab, load
from tests.emulator import mount
from tests.support.golden import load_cases, read_xlsx_tab, write_xlsx
from tests.support.handedits import NOW, _google

CASES = {case.name: case for case in load_cases()}
CASE = CASES["fr-prorata"]
LATER = CASE.as_of + dt.timedelta(days=1)
MONTHLY = "Mensuel"
COPY = f"Mensuel (modifié {LATER.isoformat()})"


def _edit_xlsx(path: Path, title: str, old: str, new: str) -> None:
    """Change one cell's XML in place, as a spreadsheet program saving a typed value would."""
    with zipfile.ZipFile(path) as source:
        part = next(s.part for s in open_package(source).sheets if s.title == title)
        parts = {info: source.read(info) for info in source.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dest:
        for info, data in parts.items():
            text = data.decode("utf-8") if info.filename == part else ""
            assert old in text or info.filename != part
            dest.writestr(info, text.replace(old, new, 1).encode("utf-8") if text else data)


def _first_number(path: Path, title: str) -> str:
    with zipfile.ZipFile(path) as source:
        part = next(s.part for s in open_package(source).sheets if s.title == title)
        text = source.read(part).decode("utf-8")
    found = re.search(r'<c r="C2"[^>]*><v>[^<]*</v>', text)
    assert found
    return found.group(0)


@pytest.mark.parametrize("name", sorted(CASES))
def test_unedited_tabs_are_not_seen_as_edited(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    path = tmp_path / "book.xlsx"
    write_xlsx(case.inputs, path)
    backend = XlsxBackend(path, "fr")
    first = pipeline.run_sync(backend, case.as_of, now=NOW)
    raw = backend.read(lambda title: True)
    found = handedits.find(raw, first.book.lang, first.book.settings.currency, case.as_of)
    assert found.titles == ()
    assert not pipeline.run_sync(backend, case.as_of, now=NOW).written


@pytest.mark.parametrize("name", sorted(CASES))
def test_unedited_google_tabs_are_not_seen_as_edited(name: str) -> None:
    case = CASES[name]
    backend, _ = _google(case.inputs)  # type: ignore[arg-type]
    first = pipeline.run_sync(backend, case.as_of, now=NOW)
    raw = backend.read(lambda title: True)
    found = handedits.find(raw, first.book.lang, first.book.settings.currency, case.as_of)
    assert found.titles == ()
    assert not pipeline.run_sync(backend, case.as_of, now=NOW).written


def test_xlsx_edit_is_kept_as_dated_copy(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    write_xlsx(CASE.inputs, path)
    backend = XlsxBackend(path, "fr")
    pipeline.run_sync(backend, CASE.as_of, now=NOW)
    before = read_xlsx_tab(path, MONTHLY)
    cell = _first_number(path, MONTHLY)
    _edit_xlsx(path, MONTHLY, cell, re.sub(r"<v>[^<]*</v>", "<v>99.5</v>", cell))
    outcome = pipeline.run_sync(backend, LATER, now=NOW)
    assert outcome.written
    warnings = [a for a in outcome.anomalies if a.code == "hand_edited_output"]
    assert [(w.severity.value, w.tab) for w in warnings] == [("warning", MONTHLY)]
    assert COPY in warnings[0].message
    copy = read_xlsx_tab(path, COPY)
    assert copy[0][2] == 99.5
    assert copy[1:] == before[1:]
    assert read_xlsx_tab(path, MONTHLY) == before  # the real figures are back
    # The next sync drops the warning from Anomalies; the copy is never copied again.
    changed = pipeline.run_sync(backend, LATER, now=NOW).changed
    assert changed == ("Anomalies", state.title())  # the state: what this sync saw
    assert not pipeline.run_sync(backend, LATER, now=NOW).written


def test_google_edit_is_kept_as_dated_copy() -> None:
    backend, emulator = _google(CASE.inputs)  # type: ignore[arg-type]
    pipeline.run_sync(backend, CASE.as_of, now=NOW)
    sid = backend.spreadsheet_id
    before = emulator.tab_values(sid, MONTHLY)
    session = mount(requests.Session(), emulator)
    url = f"https://sheets.googleapis.com/v4/spreadsheets/{sid}/values/{quote(MONTHLY + '!A2')}"
    answer = session.put(url, params={"valueInputOption": "RAW"}, json={"values": [["à la main"]]})
    assert answer.status_code == 200
    outcome = pipeline.run_sync(backend, LATER, now=NOW)
    assert [a.tab for a in outcome.anomalies if a.code == "hand_edited_output"] == [MONTHLY]
    copy = emulator.tab_values(sid, COPY)
    assert copy[1][0] == "à la main"
    assert copy[2:] == before[2:]
    assert emulator.tab_values(sid, MONTHLY) == before
    changed = pipeline.run_sync(backend, LATER, now=NOW).changed
    assert changed == ("Anomalies", state.title())  # the state: what this sync saw
    assert not pipeline.run_sync(backend, LATER, now=NOW).written


@pytest.mark.parametrize(
    ("rows", "edited"),
    [
        ([["Mois", "Groupe", "Heures", "Consommé", "Consommé cumulé"]], False),
        ([["Mois", "Groupe", "Heures", "Consommé", "Consommé cumulé", "note"]], True),
        ([["Month", "Groupe", "Heures", "Consommé", "Consommé cumulé"]], True),
        ([["Mois", "Groupe", "Heures", "Consommé", "Consommé cumulé"], [None] * 6 + ["x"]], True),
        ([], True),
    ],
)
def test_header_and_width_changes_are_edits(rows: list[list[CellValue]], edited: bool) -> None:
    tab = next(t for t in load().outputs if t.key == "monthly")
    header = tuple(str(v) for v in rows[0]) if rows else ()
    empty = OutputTable("monthly", MONTHLY, header, tab_kinds(tab), [])
    written = handedits.as_written(RawTab(MONTHLY, rows), tab, "fr", "EUR")
    assert written == ("" if edited else empty.fingerprint())


def tab_kinds(tab: Tab) -> tuple[str, ...]:
    return tuple(c.kind for c in tab.columns)


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("money", 12.34, 1234),
        ("money", 1234567.89, 123456789),
        ("money", "12,34 €", "12,34 €"),
        ("integer", 3.0, 3),
        ("percent", 1, 1.0),
        ("date", dt.datetime(2026, 3, 2), dt.date(2026, 3, 2)),
        ("text", 5, 5),
        ("money", True, True),
    ],
)
def test_cells_typed_back_by_kind(kind: str, value: object, expected: object) -> None:
    got = handedits.typed(kind, value)  # type: ignore[arg-type]
    assert (got, type(got)) == (expected, type(expected))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_copy_titles_fit_excel_and_stay_distinct(lang: str) -> None:
    """Excel refuses tab titles over 31 characters: every copy title fits, numbered apart."""
    from sheetsync.sync.handedits import _free_title  # noqa: PLC0415 - the rule under test

    day = dt.date(2026, 6, 30)
    for tab in load().outputs:
        taken: set[str] = set()
        for _ in range(3):
            title = _free_title(tab.name(lang), lang, day, taken)  # type: ignore[arg-type]
            assert len(title) <= 31, title
            assert title not in taken
            assert day.isoformat() in title
            taken.add(title)
