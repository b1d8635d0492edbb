"""Years (SPEC §12): the 2026 year-end closing and the move to 2027 a treasurer types."""

from __future__ import annotations

import datetime as dt

from sheetsync.ledger import closing
from sheetsync.model import CellValue
from sheetsync.sync import pipeline
from tests.support.ledger_cases import NOW, Sheet

YEAR_END = dt.date(2026, 12, 31)


MARCH_2027 = dt.date(2027, 3, 1)


def cents(value: object) -> int:
    return round(float(str(value or 0)) * 100)


def close_2026(sheet: Sheet) -> None:
    pipeline.run_sync(sheet.backend(), YEAR_END, now=NOW)
    pipeline.run_sync(sheet.backend(), YEAR_END, now=NOW, action=closing.closer(YEAR_END, "2026"))


def move_to_2027(sheet: Sheet) -> None:
    """What the treasurer types: the new period, new envelopes, a new group, a January
    payment of last year's balance and one row of the new year."""
    put(sheet, "Paramètres", 4, ["Début de période", "2027-01-01"])
    put(sheet, "Paramètres", 5, ["Fin de période", "2027-12-31"])
    sheet.set_cell("Groupes", "C2", 800)
    put(sheet, "Groupes", 4, ["Formation", "Cy", 1500, "signaler"])
    put(sheet, "Versements", 3, ["2027-01-15", "Ana", 450, "V-2027-1"])
    put(sheet, "Contributions", 7, ["2027-02-01", "Dan", "Formation", "", 7, 200, "atelier"])


def put(sheet: Sheet, tab: str, row: int, values: list[CellValue]) -> None:
    """Type a row's cells from column A, as a user would."""
    for column, value in zip("ABCDEFGHIJ", values, strict=False):
        sheet.set_cell(tab, f"{column}{row}", value)


def by_first(rows: list[list[object]], at: int = 0) -> dict[object, list[object]]:
    return {r[at]: r for r in rows[1:] if r and r[at] not in (None, "")}
