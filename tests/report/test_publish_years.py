"""The public page over two periods (SPEC §12, §13): the 2026 year closed, the sheet moved
on to 2027; the earlier period appears with its sha256, and `--period 2026` publishes it
exactly as its closing froze it — on both backends (the budget of tests/support/ledger_cases.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from sheetsync.ledger import state
from sheetsync.report import publish
from sheetsync.sync import pipeline
from tests.support.ledger_cases import NOW, Sheet, make_sheet
from tests.support.publish import SCHEMA
from tests.support.years import MARCH_2027, close_2026, move_to_2027


@pytest.fixture(params=["xlsx", "gsheet"])
def sheet(request: pytest.FixtureRequest, tmp_path: Path) -> Sheet:
    found = make_sheet(request.param, tmp_path)
    close_2026(found)
    move_to_2027(found)
    pipeline.run_sync(found.backend(), MARCH_2027, now=NOW)
    return found


def data_of(found: publish.Published) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(found.data)
    return loaded


def test_the_earlier_period_appears_with_its_checksum(sheet: Sheet) -> None:
    found = publish.publish(sheet.backend(), MARCH_2027)
    data = data_of(found)
    sealed = state.read(sheet.backend().read(lambda t: True), "fr").closings[0].checksum
    assert data["period"]["label"] == "2027"
    assert data["earlier_periods"] == [
        {
            "label": "2026",
            "start": "2026-01-01",
            "end": "2026-12-31",
            "envelope": 150000,
            "consumed": 120000,
            "remaining": 30000,
            "surplus": 30000,
            "commons": 3000,
            "smoothing": 10000,
            "unallocated": 17000,
            "sha256": sealed,
        }
    ]
    assert sealed in found.html.decode("utf-8")
    jsonschema.validate(data, SCHEMA, format_checker=jsonschema.FormatChecker())
    # The current period's figures: only 2027's rows, against 2027's envelopes.
    assert (data["totals"]["envelope"], data["totals"]["consumed"]) == (330000, 20000)
    # What 2026 left due is brought forward into 2027's payments.
    assert data["payments"]["brought_forward"] == 50000 + 45000 + 30000


def test_an_earlier_period_is_published_as_frozen(sheet: Sheet) -> None:
    found = publish.publish(sheet.backend(), MARCH_2027, "2026")
    data = data_of(found)
    assert data["period"]["label"] == "2026"
    assert data["period"]["closed"] is True
    assert data["earlier_periods"] == []  # nothing was closed before 2026
    jsonschema.validate(data, SCHEMA, format_checker=jsonschema.FormatChecker())
    groups = {g["name"]: (g["envelope"], g["consumed"]) for g in data["groups"]}
    assert groups == {"Communication": (50000, 50000), "Site": (100000, 70000)}
    frozen = {r[1]: r for r in sheet.values("Clôture 2026")[1:] if r[0] == "Groupe"}
    for name, (_, consumed) in groups.items():
        assert round(float(str(frozen[name][4])) * 100) == consumed
    page = found.html.decode("utf-8")
    assert "Exercice clos" in page


def test_the_two_backends_publish_the_same_years(tmp_path: Path) -> None:
    pages = []
    for kind in ("xlsx", "gsheet"):
        (tmp_path / kind).mkdir()
        sheet = make_sheet(kind, tmp_path / kind)
        close_2026(sheet)
        move_to_2027(sheet)
        pages.append(publish.publish(sheet.backend(), MARCH_2027))
    # The network's name defaults to the spreadsheet's title, which differs: compare the rest.
    xlsx, google = (data_of(p) for p in pages)
    assert {**xlsx, "network": ""} == {**google, "network": ""}
