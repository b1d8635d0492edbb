"""A network to publish, in French or English, on either backend: a hostile group name,
emails and descriptions that must never show, people who said yes and people who did not.

Envelopes: Communication 500 € pro-rata, Arts & <Métiers> 1 000 € flag (own rate 350 €),
Site 300 €. Ana (yes, pilot of Communication) asks 100 + 400, Bo (no answer) 200 + 300
in Communication: 1 000 € asked, each paid half, 250 €. Cy (no) 300 € in Arts &
<Métiers>, alone there: a warning. Dé (yes, volunteer) 7 h in Site. Ana is billed
through the cooperative "Coop <Ouest>", which 50 € were paid to.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import requests

from sheetsync.backends.base import Backend
from sheetsync.backends.gsheets.backend import GoogleBackend
from sheetsync.backends.gsheets.retry import NO_WAIT
from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.model import CellValue
from tests.emulator import Emulator, mount
from tests.support.golden import write_xlsx

AS_OF = dt.date(2026, 6, 30)
HOSTILE = "Arts & <Métiers>"
NETWORK = 'Réseau "Tiers" & <Lieux>'
EMAILS = ("ana@example.org", "bo@example.org", "cy@example.org")
DESCRIPTIONS = ("lettre secrète", "maquette confidentielle", "vidéo privée", "code intime")
PRIVATE = ("Bo", "Cy", "Coop <Ouest>")  # names and an entity nobody may publish


def inputs(lang: str) -> dict[str, list[list[CellValue]]]:
    yes, no = ("oui", "non") if lang == "fr" else ("yes", "no")
    volunteer = "bénévole" if lang == "fr" else "volunteer"
    pro_rata, flag = ("proportionnel", "signaler") if lang == "fr" else ("pro-rata", "flag")
    fr = lang == "fr"
    return {
        "Paramètres" if fr else "Settings": [
            ["Paramètre", "Valeur"] if fr else ["Setting", "Value"],
            ["Nom du réseau" if fr else "Network name", NETWORK],
            ["Part de l'excédent aux communs (%)" if fr else "Surplus share to commons (%)", 10],
            ["Part de l'excédent au lissage (%)" if fr else "Surplus share to smoothing (%)", 50],
        ],
        "Groupes" if fr else "Groups": [
            ["Groupe", "Pilote", "Enveloppe", "Politique de dépassement", "Taux journalier"]
            if fr
            else ["Group", "Pilot", "Envelope", "Overrun policy", "Daily rate"],
            ["Communication", "Ana", 500, pro_rata, ""],
            [HOSTILE, "Cy", 1000, flag, 350],
            ["Site", "Dé", 300, flag, ""],
        ],
        "Personnes" if fr else "People": [
            ["Personne", "Email", "Rétribution", "Structure de facturation", "Publier mon nom"]
            if fr
            else ["Person", "Email", "Retribution", "Billing entity", "Publish my name"],
            ["Ana", EMAILS[0], "", "Coop <Ouest>", yes],
            ["Bo", EMAILS[1], "", "", ""],
            ["Cy", EMAILS[2], "", "", no],
            ["Dé", "", volunteer, "", yes],
        ],
        "Contributions": [
            ["Date", "Personne", "Groupe", "Durée (h)", "Montant demandé", "Description"]
            if fr
            else ["Date", "Person", "Group", "Hours", "Requested amount", "Description"],
            [dt.date(2026, 3, 1), "Ana", "Communication", 7, 100, DESCRIPTIONS[0]],
            [dt.date(2026, 3, 2), "Bo", "Communication", 7, 200, DESCRIPTIONS[1]],
            [dt.date(2026, 3, 10), "Cy", HOSTILE, 3.5, 300, DESCRIPTIONS[2]],
            [dt.date(2026, 4, 15), "Ana", "Communication", 7, 400, DESCRIPTIONS[3]],
            [dt.date(2026, 5, 1), "Bo", "Communication", 7, 300, "code"],
            [dt.date(2026, 5, 2), "Dé", "Site", 7, "", "accueil"],
        ],
        "Versements" if fr else "Payments": [
            ["Date", "Bénéficiaire", "Montant", "Référence"]
            if fr
            else ["Date", "Payee", "Amount", "Reference"],
            [dt.date(2026, 3, 20), "Coop <Ouest>", 50, "F-1"],
        ],
    }


class Sheet:
    """The network's spreadsheet; each `backend()` opens it afresh."""

    def backend(self) -> Backend:
        raise NotImplementedError


class XlsxSheet(Sheet):
    def __init__(self, folder: Path, lang: str) -> None:
        self.path = folder / "budget.xlsx"
        write_xlsx(inputs(lang), self.path)

    def backend(self) -> Backend:
        return XlsxBackend(self.path, "fr")


class GoogleSheet(Sheet):
    def __init__(self, lang: str) -> None:
        self.emulator = Emulator()
        rows = {
            title: [[v.isoformat() if isinstance(v, dt.date) else v for v in row] for row in data]
            for title, data in inputs(lang).items()
        }
        locale = "fr_FR" if lang == "fr" else "en_GB"
        self.spreadsheet_id = self.emulator.create(locale=locale, tabs=rows)

    def backend(self) -> Backend:
        session = mount(requests.Session(), self.emulator)
        return GoogleBackend(self.spreadsheet_id, session=session, policy=NO_WAIT)


def make(kind: str, lang: str, folder: Path) -> Sheet:
    return XlsxSheet(folder, lang) if kind == "xlsx" else GoogleSheet(lang)
