"""A small budget and its spreadsheet on either backend, for the closing and journal tests.

Each call to `backend()` opens the spreadsheet afresh, as a new process would:
nothing is carried over but what the spreadsheet holds.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Protocol
from urllib.parse import quote

import openpyxl
import requests

from sheetsync.backends.base import Backend
from sheetsync.backends.gsheets.backend import GoogleBackend
from sheetsync.backends.gsheets.retry import NO_WAIT
from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.model import CellValue
from tests.emulator import Emulator, mount
from tests.support.golden import write_xlsx

AS_OF = dt.date(2026, 6, 30)
NOW = dt.datetime(2026, 4, 2, 10, 15, tzinfo=dt.UTC)

CONTRIBUTIONS_HEADER: list[CellValue] = [
    "Date", "Personne", "Groupe", "Type", "Durée (h)", "Montant demandé",
    "Description", "Invité par", "Statut", "Exception",
]  # fmt: skip
INPUTS: dict[str, list[list[CellValue]]] = {
    "Paramètres": [
        ["Paramètre", "Valeur"],
        ["Part de l'excédent aux communs (%)", 10],
        ["Part de l'excédent au lissage (%)", 50],
    ],
    "Groupes": [
        ["Groupe", "Pilote", "Enveloppe", "Politique de dépassement"],
        ["Communication", "Ana", 500, "proportionnel"],
        ["Site", "Bo", 1000, "signaler"],
    ],
    "Contributions": [
        CONTRIBUTIONS_HEADER,
        [dt.date(2026, 3, 1), "Ana", "Communication", "", 7, 100, "lettre", "", "", ""],
        [dt.date(2026, 3, 2), "Bo", "Communication", "", 7, 200, "site", "", "", ""],
        [dt.date(2026, 3, 10), "Cy", "Communication", "", 3.5, 300, "vidéo", "", "", ""],
        [dt.date(2026, 3, 15), "Ana", "Site", "", 7, 400, "maquette", "", "", ""],
        [dt.date(2026, 5, 1), "Bo", "Site", "", 7, 300, "code", "", "", ""],
    ],
    "Versements": [
        ["Date", "Bénéficiaire", "Montant", "Référence"],
        [dt.date(2026, 3, 20), "Ana", 50, "F-1"],
    ],
}


def june_row(group: str, hours: int, amount: int) -> list[CellValue]:
    """Date, person, group, hours and amount of a row Dan adds in June."""
    return ["2026-06-01", "Dan", group, hours, amount]


class Sheet(Protocol):
    def backend(self) -> Backend: ...
    def set_cell(self, tab: str, ref: str, value: CellValue) -> None: ...
    def values(self, tab: str) -> list[list[object]]: ...
    def hidden(self, tab: str) -> bool: ...


class XlsxSheet:
    def __init__(self, folder: Path) -> None:
        self.path = folder / "budget.xlsx"
        write_xlsx(INPUTS, self.path)

    def backend(self) -> Backend:
        return XlsxBackend(self.path, "fr")

    def set_cell(self, tab: str, ref: str, value: CellValue) -> None:
        # A user editing the file in a spreadsheet program: load, change, save.
        workbook = openpyxl.load_workbook(self.path)
        workbook[tab][ref] = value
        workbook.save(self.path)

    def values(self, tab: str) -> list[list[object]]:
        workbook = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        try:
            return [list(r) for r in workbook[tab].iter_rows(values_only=True)]
        finally:
            workbook.close()

    def hidden(self, tab: str) -> bool:
        workbook = openpyxl.load_workbook(self.path, read_only=True)
        try:
            return bool(workbook[tab].sheet_state == "hidden")
        finally:
            workbook.close()


class GoogleSheet:
    def __init__(self) -> None:
        self.emulator = Emulator()
        rows = {t: [[_typed(v) for v in row] for row in data] for t, data in INPUTS.items()}
        self.spreadsheet_id = self.emulator.create(locale="fr_FR", tabs=rows)

    def backend(self) -> Backend:
        session = mount(requests.Session(), self.emulator)
        return GoogleBackend(self.spreadsheet_id, session=session, policy=NO_WAIT)

    def set_cell(self, tab: str, ref: str, value: CellValue) -> None:
        session = mount(requests.Session(), self.emulator)
        url = (
            "https://sheets.googleapis.com/v4/spreadsheets/"
            f"{self.spreadsheet_id}/values/{quote(f'{tab}!{ref}')}"
        )
        body = {"values": [["" if value is None else _typed(value)]]}  # "" clears the cell
        session.put(url, params={"valueInputOption": "USER_ENTERED"}, json=body)

    def values(self, tab: str) -> list[list[object]]:
        return [list(r) for r in self.emulator.tab_values(self.spreadsheet_id, tab)]

    def hidden(self, tab: str) -> bool:
        book = self.emulator.books[self.spreadsheet_id]
        sheet = next(s for s in book.sheets if s.title == tab)
        return bool(sheet.properties.get("hidden", False))


def _typed(value: CellValue) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


def make_sheet(kind: str, folder: Path) -> Sheet:
    return XlsxSheet(folder) if kind == "xlsx" else GoogleSheet()
