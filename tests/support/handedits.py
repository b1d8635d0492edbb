"""What the hand-edit reliability tests share: the sync time, a spreadsheet on the emulator."""

from __future__ import annotations

import datetime as dt

import requests

from sheetsync.backends.gsheets.backend import GoogleBackend
from sheetsync.backends.gsheets.retry import NO_WAIT
from tests.emulator import Emulator, mount

# Syncs are stamped in the journal: a fixed clock makes runs comparable.
NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)


def _google(inputs: dict[str, list[list[object]]]) -> tuple[GoogleBackend, Emulator]:
    from tests.support.gsheets import _typed  # noqa: PLC0415 - the fixture's typing, reused

    emulator = Emulator()
    rows = {t: [[_typed(v) for v in r] for r in data] for t, data in inputs.items()}  # type: ignore[arg-type]
    sid = emulator.create(locale="fr_FR", tabs=rows)
    session = mount(requests.Session(), emulator)
    return GoogleBackend(sid, session=session, policy=NO_WAIT), emulator
