"""An Airtable base through the command line and the nightly jobs: every command takes
`airtable:<baseId>`, `-v` and the jobs log give each sync's requests, a run over several
bases shares one pace per token, messages speak the base's language."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sheetsync import demo
from sheetsync.backends.airtable import backend as airtable_backend
from sheetsync.backends.airtable import limits
from sheetsync.backends.airtable.backend import AirtableBackend
from sheetsync.backends.airtable.limits import Policy
from sheetsync.backends.gsheets.ratelimit import RateLimiter
from sheetsync.cli.main import cli
from sheetsync.errors import EXIT_BACKEND, EXIT_STRUCTURE
from sheetsync.jobs.runner import RunOptions, Services, run_job
from sheetsync.template import Lang, load
from tests.emulator.airtable import AirtableEmulator, Clock, mount
from tests.support.airtable import backend_on

BASE = "appTESTBASE000001"
TARGET = f"airtable:{BASE}"
AS_OF = "30/06/2026"


@pytest.fixture
def emulator() -> AirtableEmulator:
    emulator = AirtableEmulator(Clock())
    emulator.base(BASE, record_limit=5000)
    return emulator


@pytest.fixture
def opened(emulator: AirtableEmulator, monkeypatch: pytest.MonkeyPatch) -> AirtableEmulator:
    """targets.open_backend dispatches as for a user; the backend it makes talks to the
    emulator (its adapter and clock) instead of api.airtable.com."""
    real = AirtableBackend

    def bound(base_id: str, credentials: Path | None = None, *, lang: Lang) -> AirtableBackend:
        emulator.clock.sleep(1.0)  # another process: a second later
        return real(
            base_id,
            credentials,
            lang=lang,
            endpoint="https://api.airtable.com",
            policy=Policy(sleep=emulator.clock.sleep),
            transport=mount(emulator),
            clock=emulator.clock,
        )

    monkeypatch.setattr(airtable_backend, "AirtableBackend", bound)
    monkeypatch.setenv("AIRTABLE_API_KEY", "pat.test")
    return emulator


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def writes(emulator: AirtableEmulator, since: int = 0) -> list[str]:
    return [e.path for e in emulator.log[since:] if e.method != "GET"]


def test_init_creates_the_input_tables_in_the_chosen_language(opened: AirtableEmulator) -> None:
    done = invoke("init", TARGET, "--lang", "en")
    assert done.exit_code == 0, done.output
    names = [t.name for t in opened.base(BASE).tables]
    assert {"Settings", "Groups", "People", "Contributions", "Payments"} <= set(names)
    kinds = {f["name"]: f["type"] for f in opened.table(BASE, "Contributions").fields}
    assert kinds["Date"] == "date"
    template = load().input("contributions")
    assert any(c.enum is not None and c.list is None for c in template.columns)
    for column in template.columns:
        field = opened.table(BASE, "Contributions").field(column.name("en"))
        assert field is not None, column.key
        if column.enum is not None and column.list is None:
            choices = [c["name"] for c in field["options"]["choices"]]
            assert field["type"] == "singleSelect"
            assert choices == list(load().enums[column.enum].labels("en"))
    assert opened.table(BASE, "Contributions").records == []  # no --example: no rows


def test_every_command_takes_the_base(opened: AirtableEmulator, tmp_path: Path) -> None:
    assert invoke("init", TARGET, "--example").exit_code == 0
    inputs = {t.id for t in opened.base(BASE).tables}
    checked = invoke("check", TARGET, "--as-of", AS_OF, "--json")
    assert checked.exit_code == 0, checked.output
    assert json.loads(checked.output)["target"] == TARGET
    assert writes(opened, len(opened.log)) == []
    for args in (
        ("sync", TARGET, "--as-of", AS_OF),
        ("close", TARGET, "--until", "31/03/2026", "--label", "T1", "--force", "--as-of", AS_OF),
        ("reopen", TARGET, "--label", "T1", "--reason", "oubli", "--as-of", AS_OF),
        ("export", TARGET, "groups", "--as-of", AS_OF),
        ("statement", TARGET, "--person", "Zoé Garcia", "-o", str(tmp_path / "z.md")),
        ("remind", TARGET, "--dry-run", "--as-of", AS_OF),
        ("form", TARGET),
        ("publish", TARGET, "-o", str(tmp_path / "public"), "--as-of", AS_OF),
    ):
        done = invoke(*args)
        assert done.exit_code == 0, (args, done.output)
    assert "Zoé Garcia" in (tmp_path / "z.md").read_text("utf-8")
    owned = {t.name for t in opened.base(BASE).tables if t.id not in inputs}
    assert {"Synthèse groupes", "Clôtures", "Journal", "sheetsync"} <= owned
    assert not any(tid in path for path in writes(opened) for tid in inputs if "records" in path)


def test_a_base_publishes_the_books_of_its_own_sync(
    opened: AirtableEmulator, tmp_path: Path
) -> None:
    # The example's deliberate typos (an impossible date, an unknown group) cannot be
    # stored in a typed base, so its books are compared with the base's own, not a
    # workbook's (tests/backends/airtable/test_golden_airtable.py compares those, case by case).
    assert invoke("init", TARGET, "--example").exit_code == 0
    checked = json.loads(invoke("check", TARGET, "--as-of", AS_OF, "--json").output)
    before = len(opened.log)
    done = invoke("publish", TARGET, "-o", str(tmp_path / "public"), "--as-of", AS_OF)
    assert done.exit_code == 0, done.output
    data = json.loads((tmp_path / "public" / "budget.json").read_text("utf-8"))
    figures = [(g["name"], g["envelope"], g["consumed"], g["contributors"]) for g in data["groups"]]
    expected = [
        (g["group"], g["envelope"], g["consumed"], g["contributors"])
        for g in checked["groups"][:-1]  # its Total row last
    ]
    assert figures == expected
    assert "<svg" in (tmp_path / "public" / "index.html").read_text("utf-8")
    assert writes(opened, before) == []  # publishing writes nothing to the base


def test_verbose_shows_the_requests_of_a_sync(
    opened: AirtableEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    assert invoke("init", TARGET, "--example").exit_code == 0
    since = len(opened.log)
    with caplog.at_level(logging.INFO, logger="sheetsync"):
        assert invoke("-v", "sync", TARGET, "--as-of", AS_OF).exit_code == 0
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("requests")]
    assert lines == [f"requests {len(opened.log) - since}"]


def test_a_used_up_quota_speaks_the_base_language(opened: AirtableEmulator) -> None:
    assert invoke("init", TARGET, "--example", "--lang", "en").exit_code == 0
    opened.monthly_quota = opened.calls + 2  # the schema and one table read, then no more
    done = CliRunner().invoke(cli, ["sync", TARGET, "--as-of", AS_OF], env={"LANG": "fr_FR"})
    assert done.exit_code == EXIT_BACKEND
    assert "monthly" in done.output
    assert "mensuel" not in done.output


# ------------------------------------------------------------------ nightly jobs

BASES = ("appTESTBASE000001", "appTESTBASE000002", "appTESTBASE000003")


@pytest.fixture
def three_bases(emulator: AirtableEmulator) -> AirtableEmulator:
    rows = demo.example_rows("fr")
    rows.pop("responses", None)
    for base_id in BASES:
        emulator.base(base_id, record_limit=5000)
        backend_on(emulator, base_id).init("fr", rows)
    emulator.clock.sleep(60.0)
    return emulator


def run_nightly(emulator: AirtableEmulator, tmp_path: Path) -> tuple[Any, list[dict[str, Any]]]:
    entries = "".join(
        f'[[sheets]]\nname = "B{n}"\ntarget = "airtable:{b}"\n' for n, b in enumerate(BASES)
    )
    path = tmp_path / "nightly.toml"
    path.write_text(f'[defaults]\nlanguage = "en"\n{entries}', "utf-8")
    clock = emulator.clock
    services = Services(
        clock=clock,
        sleep=clock.sleep,
        airtable_transport=mount(emulator),
        today=lambda: dt.date(2026, 6, 30),
    )
    report = run_job(path, RunOptions(log=tmp_path / "runs.jsonl"), io.StringIO(), services)
    lines = [json.loads(line) for line in (tmp_path / "runs.jsonl").read_text("utf-8").splitlines()]
    return report, [line for line in lines if "sheet" in line]


def test_a_nightly_run_logs_each_base_requests(
    three_bases: AirtableEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIRTABLE_API_KEY", "pat.test")
    since = len(three_bases.log)
    report, logged = run_nightly(three_bases, tmp_path)
    assert report.exit_code == 0, [r.error for r in report.results]
    sent = {b: sum(1 for e in three_bases.log[since:] if e.base == b) for b in BASES}
    assert [line["requests"] for line in logged] == [sent[b] for b in BASES]
    assert all(n > 0 for n in sent.values())
    assert [line["outcome"] for line in logged] == ["written"] * 3


def test_a_nightly_run_paces_every_base_on_one_token_budget(
    three_bases: AirtableEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The token's pace is shared by the run's bases: with a budget of 3 a second (below
    the base's own 4), no second of the run holds more than 3 requests, whatever base."""
    monkeypatch.setenv("AIRTABLE_API_KEY", "pat.test")
    monkeypatch.setattr(limits, "PER_TOKEN", 3)
    since = len(three_bases.log)
    report, _ = run_nightly(three_bases, tmp_path)
    assert report.exit_code == 0
    times = [e.time for e in three_bases.log[since:]]
    assert max(sum(1 for t in times if start <= t < start + 1.0) for start in times) == 3
    assert [e for e in three_bases.log[since:] if e.status == 429] == []


def test_bases_sharing_a_token_limiter_stay_under_it_together(
    three_bases: AirtableEmulator,
) -> None:
    """Two bases read in turn: each under its own 4 a second, 8 together, but one token
    limiter of 5 a second holds them both."""
    clock = three_bases.clock
    shared = RateLimiter(5, 1.0, clock=clock, sleep=clock.sleep)
    clients = [backend_on(three_bases, b, token_limiter=shared).client() for b in BASES[:2]]
    since = len(three_bases.log)
    for _ in range(20):
        for client in clients:
            client.tables()
    times = [e.time for e in three_bases.log[since:]]
    assert len(times) == 40
    assert max(sum(1 for t in times if start <= t < start + 1.0) for start in times) == 5


SCOPES = ("data.records:read", "data.records:write", "schema.bases:read", "schema.bases:write")


@pytest.mark.parametrize(
    ("scopes", "bases"),
    [
        (SCOPES[:3], (BASE,)),  # no schema.bases:write: the owned tables cannot be made
        (SCOPES, ("appSOMEOTHERBASE01",)),  # the base not added to the token
    ],
)
def test_a_missing_scope_or_base_exits_4_naming_what_to_add(
    opened: AirtableEmulator, scopes: tuple[str, ...], bases: tuple[str, ...]
) -> None:
    assert invoke("init", TARGET, "--example", "--lang", "en").exit_code == 0
    opened.grant("pat.test", scopes, bases)
    done = CliRunner().invoke(cli, ["sync", TARGET, "--as-of", AS_OF])
    assert done.exit_code == EXIT_BACKEND
    assert "schema.bases:write" in done.output
    assert BASE in done.output
    assert "Traceback" not in done.output


def test_a_token_with_every_scope_on_the_base_syncs(opened: AirtableEmulator) -> None:
    assert invoke("init", TARGET, "--example").exit_code == 0
    opened.grant("pat.test", SCOPES, (BASE,))
    assert invoke("sync", TARGET, "--as-of", AS_OF).exit_code == 0


def test_a_base_without_the_template_tables_exits_3(opened: AirtableEmulator) -> None:
    opened.add_table(BASE, "Projets", [{"name": "Nom", "type": "singleLineText"}])
    done = CliRunner().invoke(cli, ["check", TARGET])
    assert done.exit_code == EXIT_STRUCTURE, done.output
    assert "Contributions" in done.output
    assert writes(opened) == []


def test_auth_check_of_a_base_points_to_check() -> None:
    done = CliRunner().invoke(cli, ["auth", "check", TARGET], env={"LANG": "en_US.UTF-8"})
    assert done.exit_code == 2
    assert f"sheetsync check {TARGET}" in done.output
