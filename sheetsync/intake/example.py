"""The example network's form responses (`sheetsync demo`, `init --example`): the tab
Google Forms writes, with the treasurer's Statut column at its right.
"""

from __future__ import annotations

import datetime as dt

from sheetsync.model import CellValue
from sheetsync.template import Lang, load


def response_rows(lang: Lang, typed: list[list[CellValue]]) -> list[list[CellValue]]:
    """Responses in the template's column order (Horodateur, Adresse e-mail, the
    questions, Statut, Exception); `typed` are the Contributions rows, one of which the
    form repeats (the same work typed in the tab and sent by form)."""

    def label(enum: str, key: str) -> str:
        return load().enums[enum].label(key, lang)

    # inline language: the example's form answers are data typed in the workbook's
    # language, not sentences sheetsync says.
    fr = lang == "fr"
    production, valid = label("kind", "production"), label("status", "validated")
    repeated = typed[20]
    return [
        [
            dt.datetime(2026, 9, 14, 18, 42, 7),
            "nour@example.org",
            dt.date(2026, 9, 12),
            "",  # no name given: found from the address in the People tab
            "Formation",
            production,
            3.0,
            None,
            "accueil d'un atelier" if fr else "hosting a workshop",
            "",
            valid,
            "",
        ],
        [
            dt.datetime(2026, 10, 2, 9, 5, 51),
            "theo@example.org",
            dt.date(2026, 10, 1),
            "Théo Simon",
            "Outils numériques",
            production,
            "2h",
            120.0,
            "mise à jour du site" if fr else "website update",
            "",
            "",
            "",
        ],
        [
            dt.datetime(2026, 10, 20, 21, 13, 2),
            "",
            repeated[0],
            repeated[1],
            repeated[2],
            repeated[3],
            repeated[4],
            repeated[5],
            "envoyé aussi par le formulaire" if fr else "also sent by form",
            "",
            valid,
            "",
        ],
        [
            dt.datetime(2026, 10, 27, 12, 0, 40),
            "inconnu@example.org",
            dt.date(2026, 10, 26),
            "",
            "Communication",
            production,
            1.0,
            None,
            "relecture" if fr else "proofreading",
            "",
            "",
            "",
        ],
    ]
