"""The Airtable backend against the emulator, through pyairtable's real HTTP code:
reads by field type, owned tables, writes of changed records only, limits."""

from __future__ import annotations

import datetime as dt

import pytest

from sheetsync import demo, targets
from sheetsync.backends.airtable.backend import AirtableBackend
from sheetsync.errors import EXIT_BACKEND, BackendError
from sheetsync.model import ErrorCell
from sheetsync.sync.pipeline import run_sync
from tests.emulator.airtable import AirtableEmulator, Clock, Killed
from tests.emulator.airtable.limits import ApiError
from tests.support.airtable import backend_on

BASE = "appTESTBASE000001"
AS_OF = dt.date(2026, 6, 30)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def emulator(clock: Clock) -> AirtableEmulator:
    emulator = AirtableEmulator(clock)
    emulator.base(BASE, record_limit=5000)
    return emulator


def open_base(emulator: AirtableEmulator) -> AirtableBackend:
    emulator.clock.sleep(1.0)  # another process: a second later
    return backend_on(emulator, BASE)


@pytest.fixture
def demo_base(emulator: AirtableEmulator) -> AirtableEmulator:
    rows = demo.example_rows("fr")
    rows.pop("responses", None)
    open_base(emulator).init("fr", rows)
    return emulator


def writes(emulator: AirtableEmulator, since: int = 0) -> list[str]:
    return [f"{e.method} {e.path}" for e in emulator.log[since:] if e.method != "GET"]


def test_targets_name_airtable_bases() -> None:
    assert targets.airtable_id("airtable:appABCDEFGHIJKLMN") == "appABCDEFGHIJKLMN"
    assert targets.airtable_id("https://airtable.com/appABCDEFGHIJKLMN/tblX/viwY") == (
        "appABCDEFGHIJKLMN"
    )
    assert targets.airtable_id("book.xlsx") is None


def test_a_second_sync_with_no_change_writes_nothing(demo_base: AirtableEmulator) -> None:
    first = run_sync(open_base(demo_base), AS_OF)
    assert first.written
    since = len(demo_base.log)
    backend = open_base(demo_base)
    second = run_sync(backend, AS_OF)
    assert not second.written
    assert second.changed == ()
    assert writes(demo_base, since) == []
    assert backend.requests == len(demo_base.log) - since


def test_the_pace_stays_under_the_rate_and_batches_hold_ten(demo_base: AirtableEmulator) -> None:
    run_sync(open_base(demo_base), AS_OF)
    assert [e for e in demo_base.log if e.status == 429] == []
    assert max(e.records for e in demo_base.log) <= 10
    times = [e.time for e in demo_base.log]
    assert all(sum(1 for t in times if start <= t < start + 1.0) < 5 for start in times)


def test_input_tables_are_never_written(demo_base: AirtableEmulator) -> None:
    inputs = {t.id for t in demo_base.base(BASE).tables}
    since = len(demo_base.log)
    run_sync(open_base(demo_base), AS_OF)
    assert not any(tid in w for w in writes(demo_base, since) for tid in inputs)


def test_one_changed_contribution_rewrites_few_records(demo_base: AirtableEmulator) -> None:
    run_sync(open_base(demo_base), AS_OF)
    table = demo_base.table(BASE, "Contributions")
    table.records[0]["fields"]["Montant demandé"] = 123.0
    since = len(demo_base.log)
    backend = open_base(demo_base)
    outcome = run_sync(backend, AS_OF)
    assert outcome.written
    assert len(writes(demo_base, since)) < 20


def test_a_429_waits_thirty_seconds_then_retries(demo_base: AirtableEmulator) -> None:
    demo_base.inject_429 = 1
    before = demo_base.clock.slept
    outcome = run_sync(open_base(demo_base), AS_OF)
    assert outcome.written
    assert demo_base.clock.slept - before >= 30.0


def test_a_used_up_monthly_quota_stops_at_once(demo_base: AirtableEmulator) -> None:
    demo_base.monthly_quota = demo_base.calls + 2
    with pytest.raises(BackendError) as raised:
        run_sync(open_base(demo_base), AS_OF)
    assert raised.value.exit_code == EXIT_BACKEND
    assert "quota mensuel" in str(raised.value)
    refused = [e for e in demo_base.log if e.status == 429]
    assert len(refused) == 1  # never retried


def test_the_record_limit_stops_before_any_write(demo_base: AirtableEmulator) -> None:
    demo_base.base(BASE).record_limit = 400
    settings = demo_base.table(BASE, "Paramètres")
    (limit,) = [r for r in settings.records if r["fields"]["Paramètre"].startswith("Limite")]
    limit["fields"]["Valeur"] = "300"
    since = len(demo_base.log)
    with pytest.raises(BackendError) as raised:
        run_sync(open_base(demo_base), AS_OF)
    assert "300" in str(raised.value)
    assert writes(demo_base, since) == []


@pytest.mark.parametrize("after", [3, 12, 30])
def test_a_killed_sync_is_completed_by_the_next_without_duplicates(
    demo_base: AirtableEmulator, after: int
) -> None:
    demo_base.kill_after = demo_base.writes + after
    with pytest.raises(Killed):
        run_sync(open_base(demo_base), AS_OF)
    demo_base.kill_after = None
    run_sync(open_base(demo_base), AS_OF)
    clean = AirtableEmulator(Clock())
    clean.base(BASE, record_limit=5000)
    rows = demo.example_rows("fr")
    rows.pop("responses", None)
    open_base(clean).init("fr", rows)
    run_sync(open_base(clean), AS_OF)
    counts = {t.name: len(t.records) for t in demo_base.base(BASE).tables}
    expected = {t.name: len(t.records) for t in clean.base(BASE).tables}
    assert counts == expected
    since = len(demo_base.log)
    third = run_sync(open_base(demo_base), AS_OF)
    assert not third.written
    assert writes(demo_base, since) == []


def test_a_5xx_mid_write_is_retried_and_completes(demo_base: AirtableEmulator) -> None:
    demo_base.fail_after = demo_base.writes + 5
    assert run_sync(open_base(demo_base), AS_OF).written
    assert not run_sync(open_base(demo_base), AS_OF).written


def test_a_renamed_owned_table_is_still_found(demo_base: AirtableEmulator) -> None:
    run_sync(open_base(demo_base), AS_OF)
    demo_base.table(BASE, "Mensuel").name = "Mensuel 2026"
    since = len(demo_base.log)
    outcome = run_sync(open_base(demo_base), AS_OF)
    assert not outcome.written
    assert writes(demo_base, since) == []
    assert "Mensuel" not in {t.name for t in demo_base.base(BASE).tables}


def test_a_hand_edited_owned_record_is_kept_and_reported(demo_base: AirtableEmulator) -> None:
    run_sync(open_base(demo_base), AS_OF)
    demo_base.table(BASE, "Mensuel").records[0]["fields"]["Heures"] = 99.0
    outcome = run_sync(open_base(demo_base), AS_OF)
    assert any(a.code == "hand_edited_output" for a in outcome.anomalies)
    kept = demo_base.table(BASE, "Mensuel (modifié 2026-06-30)")  # dated by the as-of
    assert kept.records[0]["fields"]["Heures"] == 99.0  # the edit, kept
    assert demo_base.table(BASE, "Mensuel").records[0]["fields"]["Heures"] != 99.0


def test_values_are_read_by_field_type(emulator: AirtableEmulator) -> None:
    people = emulator.add_table(BASE, "Personnes", [{"name": "Personne", "type": "singleLineText"}])
    table = emulator.add_table(
        BASE,
        "Contributions",
        [
            {"name": "Date", "type": "date"},
            {
                "name": "Personne",
                "type": "multipleRecordLinks",
                "options": {"linkedTableId": people.id},
            },
            {"name": "Durée (h)", "type": "duration", "options": {"durationFormat": "h:mm"}},
            {"name": "Quand", "type": "dateTime", "options": {"timeZone": "Europe/Paris"}},
            {"name": "Exception", "type": "checkbox"},
            {"name": "Calcul", "type": "formula", "options": {"result": {"type": "number"}}},
        ],
    )
    (alice,) = emulator.add_records(BASE, people.id, [{"Personne": "Alice"}])
    emulator.add_records(
        BASE,
        table.id,
        [
            {
                "Date": "2026-03-01",
                "Personne": [alice],
                "Durée (h)": 5400,
                "Quand": "2026-03-01T23:30:00.000Z",
                "Exception": True,
            }
        ],
    )
    emulator.add_records(
        BASE, table.id, [{"Date": "2026-03-02", "Calcul": {"error": "#ERROR!"}}], raw=True
    )
    raw = open_base(emulator).read(lambda t: t == "Contributions")
    rows = raw.tabs["Contributions"].rows
    assert rows[0] == ["Date", "Personne", "Durée (h)", "Quand", "Exception", "Calcul"]
    assert rows[1] == [
        dt.date(2026, 3, 1),
        "Alice",
        dt.timedelta(hours=1.5),
        dt.date(2026, 3, 2),
        True,
    ]
    assert rows[2][0] == dt.date(2026, 3, 2)
    assert isinstance(rows[2][5], ErrorCell)
    assert raw.tabs["Contributions"].first == 1


def test_anomalies_name_the_record_rank(demo_base: AirtableEmulator) -> None:
    outcome = run_sync(open_base(demo_base), AS_OF)
    rows = [a.row for a in outcome.anomalies if a.tab == "Contributions" and a.row]
    assert rows
    assert min(rows) >= 1
    assert max(rows) <= len(demo_base.table(BASE, "Contributions").records)


def test_the_emulator_refuses_deleting_tables_and_changing_types(
    demo_base: AirtableEmulator,
) -> None:
    table = demo_base.table(BASE, "Groupes")
    url = f"https://api.airtable.com/v0/meta/bases/{BASE}/tables/{table.id}"
    assert demo_base.handle("DELETE", url, b"", "t")[0] == 404
    field = table.fields[1]["id"]
    status, _ = demo_base.handle("PATCH", f"{url}/fields/{field}", b'{"type": "number"}', "t")
    assert status == 422


def test_the_emulator_refuses_a_text_longer_than_airtable_takes(
    emulator: AirtableEmulator,
) -> None:
    table = emulator.add_table(BASE, "Notes", [{"name": "Note", "type": "multilineText"}])
    emulator.add_records(BASE, table.id, [{"Note": "x" * 100_000}])
    with pytest.raises(ApiError) as refused:
        emulator.add_records(BASE, table.id, [{"Note": "x" * 100_001}])
    assert refused.value.status == 422


def test_the_state_is_kept_in_cells_of_at_most_30000_characters() -> None:
    from benchmarks import airtable as bench  # noqa: PLC0415 - its generated base

    emulator = bench.base_of(2_000)
    bench.measured(emulator)
    held = emulator.table(bench.BASE, "sheetsync")
    chunks = [r["fields"].get("Données") or "" for r in held.records]
    assert max(len(c) for c in chunks) <= 30_000
    assert sum(len(c) for c in chunks) > 30_000  # a state of several cells


def test_closings_are_rows_of_one_closings_table(demo_base: AirtableEmulator) -> None:
    from sheetsync.ledger import closing  # noqa: PLC0415

    inputs = {t.id: [dict(r["fields"]) for r in t.records] for t in demo_base.base(BASE).tables}
    for until, label in ((dt.date(2026, 2, 28), "T1"), (dt.date(2026, 4, 30), "T2")):
        action = closing.closer(until, label, force=True)
        assert run_sync(open_base(demo_base), AS_OF, action=action).written
    table = demo_base.table(BASE, "Clôtures")
    labels = {r["fields"]["Clôture"] for r in table.records}
    assert labels == {"T1", "T2"}
    assert [t.name for t in demo_base.base(BASE).tables].count("Clôtures") == 1

    def rows_of(label: str) -> list[dict[str, object]]:
        return [dict(r["fields"]) for r in table.records if r["fields"]["Clôture"] == label]

    t1, t2 = rows_of("T1"), rows_of("T2")
    assert len(t1) > 2
    assert len(t2) > 2
    reopened = run_sync(open_base(demo_base), AS_OF, action=closing.reopener("T2", "oubli"))
    assert rows_of("T1") == t1  # the earlier closing untouched
    for frozen in (t for t in reopened.tables if t.key == "closing"):
        label = frozen.title.rpartition(" ")[2]
        assert len(rows_of(label)) == len(frozen.rows), label  # one record a row, no more
    again = run_sync(open_base(demo_base), AS_OF)
    assert not again.written
    for table_id, records in inputs.items():
        held = next(t for t in demo_base.base(BASE).tables if t.id == table_id)
        assert [dict(r["fields"]) for r in held.records] == records
