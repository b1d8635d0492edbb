"""The Google Sheets backend through gspread's real HTTP code, against the emulator."""

from __future__ import annotations

import datetime as dt
import os
from fractions import Fraction
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
import requests

from sheetsync.backends.gsheets.backend import GoogleBackend
from sheetsync.backends.gsheets.retry import NO_WAIT, RetryPolicy
from sheetsync.cells import parse_hours
from sheetsync.model import BackendError, OutputTable, StructureError
from sheetsync.sync import pipeline
from sheetsync.targets import google_id
from sheetsync.template import Lang, load
from tests.emulator import FAULTS, Emulator, serving
from tests.support.gsheets import GsheetFactory

AS_OF = dt.date(2026, 6, 1)
OUTPUT_TITLES = [tab.fr for tab in load().outputs]
INJECTIONS = ['=IMPORTXML("http://x","//a")', "+cmd", "@SUM(A1:A2)", "-1+1"]
INPUTS: dict[str, list[list[Any]]] = {
    "Groupes": [["Groupe", "Enveloppe", "Pilote"], ["GT Com", 1000, INJECTIONS[0]]],
    "Personnes": [["Personne", "Structure de facturation"], [INJECTIONS[1], INJECTIONS[2]]],
    "Contributions": [
        ["Date", "Personne", "Groupe", "Durée (h)", "Description"],
        [dt.date(2026, 3, 2), "Émilie", "GT Com", 3.5, INJECTIONS[3]],
        [dt.date(2026, 3, 3), INJECTIONS[1], "GT Com", dt.timedelta(hours=2), INJECTIONS[0]],
    ],
}


def _batch_updates(emulator: Emulator) -> int:
    return sum(1 for entry in emulator.log if entry.path.endswith(":batchUpdate"))


def _snapshot(emulator: Emulator, spreadsheet_id: str) -> dict[str, list[list[Any]]]:
    book = emulator.books[spreadsheet_id]
    return {s.title: emulator.tab_values(spreadsheet_id, s.title) for s in book.sheets}


def test_read_values_in_two_requests_dates_and_times_as_shown(
    gsheet_backend_from_rows: GsheetFactory,
) -> None:
    backend, emulator = gsheet_backend_from_rows(INPUTS)
    raw = backend.read(lambda title: title in ("Contributions", "Groupes"))
    assert len(emulator.log) == 2
    assert "values:batchGet" in emulator.log[1].path
    assert parse_qs(emulator.log[1].query)["dateTimeRenderOption"] == ["FORMATTED_STRING"]
    assert raw.locale == "fr_FR"
    assert raw.all_titles == ("Groupes", "Personnes", "Contributions")
    assert list(raw.tabs) == ["Groupes", "Contributions"]
    rows = raw.tabs["Contributions"].rows
    # A date arrives as its format shows it, a plain number of hours as a number.
    assert rows[1] == ["2026-03-02", "Émilie", "GT Com", 3.5, INJECTIONS[3]]
    assert raw.tabs["Groupes"].rows[1] == ["GT Com", 1000, INJECTIONS[0]]
    # A time-formatted cell arrives as the duration it shows, with no format request.
    assert rows[2][3] == "2:00:00"
    assert isinstance(raw, pipeline.Deferred)
    raw.complete()
    raw.complete()
    assert len(emulator.log) == 2  # every shown text was read: no formats asked
    assert rows[1][0] == dt.date(2026, 3, 2)
    assert parse_hours(rows[2][3], decimal_comma=True, hours_per_day=Fraction(7)) == 7200
    assert rows[1][3] == 3.5


def test_read_nothing_wanted_is_one_request(gsheet_backend_from_rows: GsheetFactory) -> None:
    backend, emulator = gsheet_backend_from_rows({"A": [["x"]]})
    raw = backend.read(lambda title: False)
    assert (raw.tabs, raw.all_titles, len(emulator.log)) == ({}, ("A",), 1)


def test_sync_request_counts_and_typed_outputs(gsheet_backend_from_rows: GsheetFactory) -> None:
    backend, emulator = gsheet_backend_from_rows(INPUTS)
    first = pipeline.run_sync(backend, AS_OF)
    assert first.written
    # Metadata, values, the write: the hours column's times need no format request.
    assert len(emulator.log) == 3
    assert _batch_updates(emulator) == 1
    before = len(emulator.log)
    again = pipeline.run_sync(backend, AS_OF, fast=True)
    assert not again.written
    assert again.fast
    assert len(emulator.log) - before == 2  # metadata and values: nothing changed
    assert _batch_updates(emulator) == 1
    sid = backend.spreadsheet_id
    book = emulator.books[sid]
    summary = book.sheet_by_title("Synthèse groupes")
    assert summary.grid["frozenRowCount"] == 1
    assert [p["warningOnly"] for p in summary.protected_ranges] == [True]
    assert (
        summary.developer_metadata[0]["metadataValue"] == first.table("group_summary").fingerprint()
    )
    assert emulator.tab_values(sid, "Synthèse groupes")[1][:4] == [
        "GT Com",
        INJECTIONS[0],
        1000,
        235.71,  # (3.5 h + 2 h) x 300 / 7 h
    ]


def test_hours_written_as_text_need_no_format_request(
    gsheet_backend_from_rows: GsheetFactory,
) -> None:
    rows = [
        r if i == 0 else [*r[:3], "2h30", *r[4:]] for i, r in enumerate(INPUTS["Contributions"])
    ]
    backend, emulator = gsheet_backend_from_rows({**INPUTS, "Contributions": rows})
    assert pipeline.run_sync(backend, AS_OF).written
    assert len(emulator.log) == 3  # metadata, values, the write


def test_formula_injection_comes_back_as_text(gsheet_backend_from_rows: GsheetFactory) -> None:
    backend, emulator = gsheet_backend_from_rows(INPUTS)
    pipeline.run_sync(backend, AS_OF)
    book = emulator.books[backend.spreadsheet_id]
    written = [
        cell["userEnteredValue"]
        for title in OUTPUT_TITLES
        if (sheet := _maybe(book, title))
        for cell in sheet.cells.values()
        if "userEnteredValue" in cell
    ]
    assert not [v for v in written if "formulaValue" in v]
    texts = {v.get("stringValue") for v in written}
    assert set(INJECTIONS[:3]) <= texts


def _maybe(book: Any, title: str) -> Any:
    return next((s for s in book.sheets if s.title == title), None)


def test_foreign_tab_stops_write(gsheet_backend_from_rows: GsheetFactory) -> None:
    backend, emulator = gsheet_backend_from_rows({**INPUTS, "Anomalies": [["mine"]]})
    with pytest.raises(StructureError):
        pipeline.run_sync(backend, AS_OF)
    table = OutputTable("anomalies", "Anomalies", ("a",), ("text",), [("x",)])
    # The sync above read a French sheet: its language is spoken from then on.
    with pytest.raises(StructureError, match="n'a pas été créé par sheetsync"):
        backend.write([table], "fr")
    assert _batch_updates(emulator) == 0
    assert emulator.tab_values(backend.spreadsheet_id, "Anomalies") == [["mine"]]


@pytest.mark.slow  # 18 syncs: about 5 s in all
@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("at", [1, 2, 3])
def test_fault_at_each_request_of_a_sync(
    gsheet_backend_from_rows: GsheetFactory, fault: str, at: int
) -> None:
    backend, emulator = gsheet_backend_from_rows(INPUTS)
    expected = pipeline.run_sync(backend, dt.date(2026, 5, 1))
    previous = _snapshot(emulator, backend.spreadsheet_id)
    emulator.inject(fault, at=emulator.request_count + at)
    outcome = pipeline.run_sync(backend, AS_OF)
    after = _snapshot(emulator, backend.spreadsheet_id)
    for title in INPUTS:
        assert after[title] == previous[title]
    assert outcome.written
    assert outcome.tables != expected.tables
    book = emulator.books[backend.spreadsheet_id]
    marks = book.sheet_by_title("Synthèse groupes").developer_metadata
    assert [m["metadataValue"] for m in marks] == [outcome.table("group_summary").fingerprint()]
    assert len(book.sheets) == len(previous)
    assert all(len(s.developer_metadata) <= 1 and len(s.protected_ranges) <= 1 for s in book.sheets)


@pytest.mark.parametrize("fault", ["429", "503", "drop_before", "timeout"])
def test_persistent_failure_leaves_previous_version(
    gsheet_backend_from_rows: GsheetFactory, fault: str
) -> None:
    backend, emulator = gsheet_backend_from_rows(INPUTS)
    pipeline.run_sync(backend, dt.date(2026, 5, 1))
    previous = _snapshot(emulator, backend.spreadsheet_id)
    backend.read(lambda title: title in INPUTS)
    for n in range(1, 20):
        emulator.inject(fault, at=emulator.request_count + n)
    with pytest.raises(BackendError) as caught:
        backend.write(pipeline.analyse(backend, AS_OF)[1].tables, "fr")
    assert _snapshot(emulator, backend.spreadsheet_id) == previous
    expected = {  # in the French sheet's language
        "429": "Quota de Google Sheets épuisé",
        "503": "échoue sans cesse",
        "drop_before": "connexion réseau",
        "timeout": "connexion réseau",
    }
    assert expected[fault] in str(caught.value)


def test_lost_answer_of_applied_write_is_not_redone(
    gsheet_backend_from_rows: GsheetFactory,
) -> None:
    backend, emulator = gsheet_backend_from_rows(INPUTS)
    backend.read(lambda title: False)
    table = OutputTable("anomalies", "Anomalies", ("a",), ("text",), [("x",)])
    emulator.inject("drop_after", at=emulator.request_count + 1)
    backend.write([table], "fr")
    sheet = emulator.books[backend.spreadsheet_id].sheet_by_title("Anomalies")
    assert (len(sheet.developer_metadata), len(sheet.protected_ranges)) == (1, 1)
    assert _batch_updates(emulator) == 1


@pytest.mark.parametrize(
    ("access", "action", "lang", "message"),
    [
        ("none", "read", None, "n'est pas partagé"),
        ("none", "read", "en", "not shared"),
        ("reader", "write", None, "lecture seule"),
        ("reader", "write", "en", "read-only"),
        ("missing", "read", None, "introuvable"),
        ("missing", "read", "en", "not found"),
    ],
)
def test_access_errors(
    gsheet_backend_from_rows: GsheetFactory,
    monkeypatch: pytest.MonkeyPatch,
    *,
    access: str,
    action: str,
    lang: Lang | None,
    message: str,
) -> None:
    for name in ("LANG", "LC_ALL"):
        monkeypatch.delenv(name, raising=False)
    backend, emulator = gsheet_backend_from_rows(INPUTS)
    if access == "missing":
        backend = GoogleBackend("nope", session=backend._session, policy=NO_WAIT)
    else:
        emulator.books[backend.spreadsheet_id].access = access
    backend.lang = lang
    table = OutputTable("anomalies", "Anomalies", ("a",), ("text",), [("x",)])
    with pytest.raises(BackendError, match=message):
        backend.read(lambda t: True) if action == "read" else backend.write([table], "fr")


def test_init_builds_template_and_keeps_filled_tabs(
    gsheet_backend_from_rows: GsheetFactory,
) -> None:
    backend, emulator = gsheet_backend_from_rows(
        {"Groupes": [["Groupe"], ["Mine"]], "Personnes": []}
    )
    backend.init("fr", {"people": [["Ana", "ana@example.org"]]})
    sid = backend.spreadsheet_id
    book = emulator.books[sid]
    assert [s.title for s in book.sheets] == [
        "Groupes",
        "Personnes",
        "Paramètres",
        "Contributions",
        "Versements",
    ]
    assert emulator.tab_values(sid, "Groupes") == [["Groupe"], ["Mine"]]
    assert emulator.tab_values(sid, "Personnes")[1][:2] == ["Ana", "ana@example.org"]
    contributions = book.sheet_by_title("Contributions")
    assert contributions.grid["frozenRowCount"] == 1
    kind = contributions.cells[(1, 3)]["dataValidation"]["condition"]
    assert [v["userEnteredValue"] for v in kind["values"]] == ["production", "coordination", "créa"]
    person = contributions.cells[(1, 1)]["dataValidation"]["condition"]["values"][0]
    assert person["userEnteredValue"] == "='Personnes'!A2:A"
    assert contributions.cells[(1, 0)]["userEnteredFormat"]["numberFormat"]["type"] == "DATE"
    assert _batch_updates(emulator) == 1
    backend.init("fr", {})
    assert _batch_updates(emulator) == 1  # everything filled now: nothing to write


def test_emulator_host_uses_localhost_server(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    sid = emulator.create(tabs={"Groupes": [["Groupe"], ["GT"]]})
    with serving(emulator) as host:
        monkeypatch.setenv("SHEETS_EMULATOR_HOST", host)
        raw = GoogleBackend(sid, None, policy=NO_WAIT).read(lambda t: True)
    assert raw.tabs["Groupes"].rows == [["Groupe"], ["GT"]]


def test_requests_carry_a_timeout(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[object] = []
    original = requests.Session.request

    def spy(self: requests.Session, *args: Any, **kwargs: Any) -> requests.Response:
        seen.append(kwargs.get("timeout"))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(requests.Session, "request", spy)
    sid = emulator.create()
    policy = RetryPolicy(timeout=(3.0, 7.0))
    with serving(emulator) as host:
        monkeypatch.setenv("SHEETS_EMULATOR_HOST", host)
        GoogleBackend(sid, None, policy=policy).read(lambda t: True)
    assert seen
    assert all(t == (3.0, 7.0) for t in seen)


@pytest.mark.live
@pytest.mark.skipif(
    not os.environ.get("SHEETSYNC_LIVE_SPREADSHEET"), reason="needs SHEETSYNC_LIVE_SPREADSHEET"
)
def test_live_round_trip() -> None:
    target = os.environ["SHEETSYNC_LIVE_SPREADSHEET"]
    spreadsheet_id = google_id(target) or target
    credentials = os.environ.get("SHEETSYNC_LIVE_CREDENTIALS")
    backend = GoogleBackend(spreadsheet_id, Path(credentials) if credentials else None)
    raw = backend.read(lambda title: True)
    table = OutputTable("anomalies", "Anomalies", ("a",), ("text",), [(INJECTIONS[0],)])
    if "Anomalies" not in raw.all_titles or "Anomalies" in raw.owned:
        backend.write([table], "fr")
        assert backend.read(lambda t: t == "Anomalies").tabs["Anomalies"].rows[1] == [INJECTIONS[0]]


def test_an_error_cell_read_as_its_literal_is_an_anomaly(
    gsheet_backend_from_rows: GsheetFactory,
) -> None:
    backend, emulator = gsheet_backend_from_rows(INPUTS)
    sheet = emulator.books[backend.spreadsheet_id].sheet_by_title("Contributions")
    error = {"errorValue": {"type": "DIVIDE_BY_ZERO", "message": "Division by zero."}}
    sheet.cells[(1, 3)] = {"userEnteredValue": error}  # the hours of row 2: =1/0
    outcome = pipeline.run_sync(backend, AS_OF)
    found = [a for a in outcome.anomalies if a.code == "cell_error"]
    assert [(a.row, a.value) for a in found] == [(2, "#DIV/0!")]
    assert 2 not in set(outcome.figures.rows["row"])  # never paid on a guess


def test_a_date_typed_as_an_amount_is_no_amount(gsheet_backend_from_rows: GsheetFactory) -> None:
    header = ["Date", "Personne", "Groupe", "Durée (h)", "Montant demandé"]
    rows = [header, [dt.date(2026, 3, 2), "Émilie", "GT Com", 3.5, dt.date(2026, 3, 12)]]
    rows.append([dt.date(2026, 3, 3), "Émilie", "GT Com", "2h", 120])
    backend, emulator = gsheet_backend_from_rows({**INPUTS, "Contributions": rows})
    outcome = pipeline.run_sync(backend, AS_OF)
    # The date arrives as the text it shows, which is no amount; nothing else is asked.
    found = [(a.row, a.value) for a in outcome.anomalies if a.column == "Montant demandé"]
    assert found == [(2, "2026-03-12")]
    assert 46093_00 not in set(outcome.figures.rows["requested"].dropna())
    assert len(emulator.log) == 3
