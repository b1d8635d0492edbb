"""The staged-writes cases on the emulator: the request limit, the rows, a sheet to write."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import requests

from sheetsync.backends.gsheets.backend import GoogleBackend
from sheetsync.backends.gsheets.retry import NO_WAIT
from sheetsync.backends.gsheets.staging import STAGING_PREFIX
from sheetsync.model import CellValue
from sheetsync.sync import pipeline
from tests.emulator import Emulator, mount
from tests.support.ledger_cases import AS_OF, INPUTS, NOW

LIMIT = 60_000


ONCE = dataclasses.replace(NO_WAIT, attempts=1)


def inputs(extra_rows: int) -> dict[str, list[list[Any]]]:
    """The ledger cases' budget, with people missing from the People tab: one warning each."""
    unknown: list[list[CellValue]] = [
        ["2026-04-02", f"Inconnu {n}", "Site", "", 1, 10, f"ligne {n}", "", "", ""]
        for n in range(extra_rows)
    ]
    tabs: dict[str, list[list[Any]]] = {**INPUTS, "Personnes": [["Personne"], ["Ana"], ["Bo"]]}
    tabs["Contributions"] = [*INPUTS["Contributions"], *unknown]
    return {t: [[v.isoformat() if hasattr(v, "isoformat") else v for v in r] for r in rows]
            for t, rows in tabs.items()}  # fmt: skip


class Sheet:
    """One spreadsheet on an emulator, opened afresh for each sync."""

    def __init__(self, limit: int | None, rows: int) -> None:
        self.emulator = Emulator()
        if limit is not None:
            self.emulator.payload_limit = limit
        self.limit = limit
        self.spreadsheet_id = self.emulator.create(tabs=inputs(rows))

    def backend(self, policy: Any = NO_WAIT) -> GoogleBackend:
        session = mount(requests.Session(), self.emulator)
        limit = (self.limit - 2_000) if self.limit else 10_000_000
        return GoogleBackend(
            self.spreadsheet_id, session=session, policy=policy, payload_limit=limit
        )

    def sync(self, policy: Any = NO_WAIT, as_of: dt.date = AS_OF) -> pipeline.Outcome:
        return pipeline.run_sync(self.backend(policy), as_of, now=NOW)

    def visible(self) -> dict[str, list[list[object]]]:
        """Every tab a user sees, by title, with its values."""
        book = self.emulator.books[self.spreadsheet_id]
        return {
            s.title: self.emulator.tab_values(self.spreadsheet_id, s.title)
            for s in book.sheets
            if not s.properties.get("hidden", False)
        }

    def staging_tabs(self) -> list[tuple[str, bool]]:
        book = self.emulator.books[self.spreadsheet_id]
        return [
            (s.title, bool(s.properties.get("hidden", False)))
            for s in book.sheets
            if s.title.startswith(STAGING_PREFIX)
        ]

    def hidden_values(self, title: str) -> list[list[object]]:
        return self.emulator.tab_values(self.spreadsheet_id, title)


ROWS = 120  # enough warnings for an Anomalies tab several times the lowered limit
