"""The example network behind `sheetsync demo` and `sheetsync init --example`.

A fictional regional network of tiers-lieux over 2026, generated from a fixed
seed so every run gives the same workbook, mistakes included.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import NamedTuple

from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.intake import example
from sheetsync.model import CellValue
from sheetsync.sync.pipeline import Outcome, run_sync
from sheetsync.template import Lang, load

DEMO_FILE = "budget-contributif-demo.xlsx"
DEMO_AS_OF = dt.date(2026, 10, 31)
YEAR = 2026
CAE = "CAE Les Ateliers Partagés"
NETWORK = {"fr": "Réseau des tiers-lieux du Bocage", "en": "Bocage third places network"}


class DemoGroup(NamedTuple):
    name: str
    pilot: str
    envelope: int  # whole euros
    policy: str  # template enum key
    daily_rate: int | None  # whole euros
    members: list[str]


class DemoPerson(NamedTuple):
    name: str
    email: str
    retribution: str  # template enum key
    billing_entity: str
    payment_method: str  # template enum key of the suggestions, or ""
    publish: bool = False  # Publier mon nom: named on the public page


GROUPS = [
    DemoGroup(
        "Animation du réseau",
        "Camille Martin",
        1500,
        "flag",
        None,
        ["Camille Martin", "Inès Robert", "Adam Roux", "Jeanne Moreau"],
    ),
    DemoGroup(
        "Communication",
        "Sacha Bernard",
        3000,
        "pro_rata",
        None,
        ["Sacha Bernard", "Zoé Garcia", "Émilie Michel"],
    ),
    DemoGroup(
        "Outils numériques",
        "Yanis Petit",
        3400,
        "first_come",
        None,
        ["Yanis Petit", "Théo Simon", "Hugo Lefebvre"],
    ),
    DemoGroup(
        "Formation",
        "Inès Robert",
        6000,
        "flag",
        None,
        ["Inès Robert", "Lou Richard", "Nour Laurent"],
    ),
    DemoGroup(
        "Recherche-action",
        "Lou Richard",
        5500,
        "pro_rata",
        350,
        ["Lou Richard", "Émilie Michel", "Camille Martin"],
    ),
    DemoGroup(
        "Gouvernance",
        "Mathis Durand",
        2000,
        "flag",
        None,
        ["Mathis Durand", "Sacha Bernard", "Jeanne Moreau"],
    ),
]

PEOPLE = [
    DemoPerson("Camille Martin", "camille@example.org", "financial", "", "invoice", publish=True),
    DemoPerson("Sacha Bernard", "sacha@example.org", "financial", CAE, "cooperative", publish=True),
    DemoPerson("Yanis Petit", "yanis@example.org", "financial", CAE, "cooperative"),
    DemoPerson("Inès Robert", "ines@example.org", "financial", "", "author"),
    DemoPerson("Lou Richard", "lou@example.org", "financial", "", "invoice", publish=True),
    DemoPerson("Mathis Durand", "mathis@example.org", "volunteer", "", "", publish=True),
    DemoPerson("Jeanne Moreau", "jeanne@example.org", "volunteer", "", ""),
    DemoPerson("Nour Laurent", "nour@example.org", "non_financial", "", "other"),
    DemoPerson("Théo Simon", "theo@example.org", "financial", CAE, "cooperative"),
    DemoPerson("Émilie Michel", "emilie@example.org", "financial", "", "salary"),
    DemoPerson("Hugo Lefebvre", "hugo@example.org", "financial", "", "invoice"),
    DemoPerson("Zoé Garcia", "zoe@example.org", "financial", "", "invoice"),
    DemoPerson("Adam Roux", "adam@example.org", "financial", "", "invoice"),
]

TASKS = {
    "fr": [
        "atelier",
        "compte rendu",
        "réunion d'équipe",
        "préparation",
        "animation",
        "rédaction",
        "documentation",
        "accompagnement d'un lieu",
    ],
    "en": [
        "workshop",
        "minutes",
        "team meeting",
        "preparation",
        "facilitation",
        "writing",
        "documentation",
        "support to a venue",
    ],
}
# How hours are typed by hand in real sheets.
HOUR_SPELLINGS = {1.5: "1h30", 2.0: "2:00", 3.5: "0,5 j", 0.5: "30 min"}


def example_rows(lang: Lang) -> dict[str, list[list[CellValue]]]:
    """Rows for each input tab, in the template's column order."""
    contributions = _contribution_rows(lang)
    return {
        "settings": _settings_rows(lang),
        "groups": [_group_row(g, lang) for g in GROUPS],
        "people": [_person_row(p, lang) for p in PEOPLE],
        "contributions": contributions,
        "responses": example.response_rows(lang, contributions),
        "payments": _payment_rows(lang),
    }


def run(directory: Path, lang: Lang) -> tuple[Path, Outcome]:
    """Write the demo workbook into `directory` (replacing an earlier one) and sync it;
    `lang`: the language of the workbook's messages before it is read (the command line's)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / DEMO_FILE
    path.unlink(missing_ok=True)
    backend = XlsxBackend(path, lang)
    backend.init("fr", example_rows("fr"))
    return path, run_sync(backend, DEMO_AS_OF)


def _label(enum: str, key: str, lang: Lang) -> str:
    return load().enums[enum].label(key, lang) if key else ""


def _settings_rows(lang: Lang) -> list[list[CellValue]]:
    values: dict[str, CellValue] = {
        "period_start": dt.date(YEAR, 1, 1),
        "period_end": dt.date(YEAR, 12, 31),
        "coordination_paid": _label("bool", "no", lang),
        "network_name": NETWORK[lang],
    }
    return [
        [s.name(lang), values.get(s.key, s.default), s.help(lang)]
        for s in load().settings
        if s.default or s.key in values
    ]


def _group_row(group: DemoGroup, lang: Lang) -> list[CellValue]:
    rate = None if group.daily_rate is None else float(group.daily_rate)
    policy = _label("policy", group.policy, lang)
    return [group.name, group.pilot, float(group.envelope), policy, rate, ""]


def _person_row(person: DemoPerson, lang: Lang) -> list[CellValue]:
    retribution = _label("retribution", person.retribution, lang)
    method = _label("payment_method", person.payment_method, lang)
    publish = _label("bool", "yes", lang) if person.publish else ""
    return [person.name, person.email, retribution, person.billing_entity, method, "", "", publish]


def _contribution_rows(lang: Lang) -> list[list[CellValue]]:
    rng = random.Random(YEAR)  # noqa: S311 - a fixed seed for a reproducible example
    dated: list[tuple[dt.date, list[CellValue]]] = []
    for month in range(1, 11):
        for group in GROUPS:
            for _ in range(rng.choice([2, 3, 3, 4])):
                day = dt.date(YEAR, month, rng.randint(1, 28))
                dated.append((day, [day, *_random_row(rng, group, lang)]))
    rows = [row for _, row in sorted(dated, key=lambda pair: pair[0])]
    return rows + _special_rows(lang, rows)


def _random_row(rng: random.Random, group: DemoGroup, lang: Lang) -> list[CellValue]:
    """Every column but the date, for one ordinary contribution."""
    hours = rng.choice([1.0, 1.5, 2.0, 2.0, 3.0, 3.5, 4.0, 7.0])
    asked: CellValue = None
    if rng.random() < 0.6:  # most people state their ask, often near the reference
        reference = hours / 7 * (group.daily_rate or 300)
        asked = round(reference * rng.choice([0.8, 1.0, 1.0, 1.2]) / 10) * 10
    written: CellValue = HOUR_SPELLINGS.get(hours, hours) if rng.random() < 0.3 else hours
    kind = "coordination" if rng.random() < 0.1 else "production"
    return [
        rng.choice(group.members),
        group.name,
        _label("kind", kind, lang),
        written,
        asked,
        rng.choice(TASKS[lang]),
        "",
        _label("status", "validated", lang),
        "",
    ]


def _special_rows(lang: Lang, rows: list[list[CellValue]]) -> list[list[CellValue]]:
    """The situations a treasurer must see: créa, exceptions, and honest mistakes."""

    def label(enum: str, key: str) -> str:
        return _label(enum, key, lang)

    # inline language: the example's cells are typed in the workbook's language; they are
    # data a treasurer could have typed, not sentences sheetsync says.
    fr = lang == "fr"
    creative, coordination = label("kind", "creative"), label("kind", "coordination")
    valid, refused = label("status", "validated"), label("status", "rejected")
    yes = label("bool", "yes")
    return [
        [
            dt.date(YEAR, 6, 12),
            "Zoé Garcia",
            "Communication",
            creative,
            7.0,
            300.0,
            "affiche de la rencontre" if fr else "meeting poster",
            "Sacha Bernard",
            valid,
            "",
        ],
        [
            dt.date(YEAR, 6, 13),
            "Hugo Lefebvre",
            "Outils numériques",
            creative,
            3.5,
            None,
            "maquette" if fr else "mock-up",
            "",
            valid,
            "",
        ],
        [
            dt.date(YEAR, 3, 3),
            "Camille Martin",
            "Gouvernance",
            coordination,
            7.0,
            300.0,
            "coordination de l'AG" if fr else "general assembly",
            "",
            valid,
            yes,
        ],
        [
            dt.date(YEAR, 4, 2),
            "Adam Roux",
            "Animation du réseau",
            label("kind", "production"),
            2.0,
            120.0,
            "doublon refusé" if fr else "rejected duplicate",
            "",
            refused,
            "",
        ],
        [
            dt.date(YEAR, 5, 20),
            "Lou Richard",
            "Formation",
            "",
            7.0,
            1000.0,
            "formation des pilotes" if fr else "pilot training",
            "",
            valid,
            "",
        ],
        [
            dt.date(YEAR, 5, 21),
            "Camile Martin",
            "Animation du réseau",
            "",
            2.0,
            None,
            "visite" if fr else "visit",
            "",
            valid,
            "",
        ],
        [
            dt.date(YEAR, 7, 1),
            "Sacha Bernard",
            "Comunication",
            "",
            2.0,
            None,
            "lettre d'info" if fr else "newsletter",
            "",
            valid,
            "",
        ],
        [
            "31/02/2026",
            "Théo Simon",
            "Outils numériques",
            "",
            3.0,
            None,
            "sauvegardes" if fr else "backups",
            "",
            valid,
            "",
        ],
        [
            dt.date(YEAR, 8, 4),
            "Inès Robert",
            "Formation",
            "",
            None,
            None,
            "relecture" if fr else "proofreading",
            "",
            valid,
            "",
        ],
        [
            dt.date(YEAR, 9, 9),
            "Yanis Petit",
            "Outils numériques",
            "",
            30.0,
            None,
            "migration du serveur" if fr else "server migration",
            "",
            valid,
            "",
        ],
        list(rows[10]),  # typed twice
        [
            dt.date(YEAR, 11, 15),
            "Émilie Michel",
            "Recherche-action",
            "",
            3.0,
            None,
            "entretiens" if fr else "interviews",
            "",
            label("status", "declared"),
            "",
        ],
    ]


def _payment_rows(lang: Lang) -> list[list[CellValue]]:
    # inline language: example data, as above.
    transfer = "virement" if lang == "fr" else "transfer"
    return [
        [dt.date(YEAR, 4, 30), "Camille Martin", 900.0, "VIR-2026-014", transfer],
        [dt.date(YEAR, 6, 30), CAE, 1500.0, "FAC-CAE-2026-07", transfer],
        [dt.date(YEAR, 7, 15), "Inès Robert", 400.0, "NDA-2026-003", transfer],
        [dt.date(YEAR, 9, 30), "Hugo Lefevre", 250.0, "VIR-2026-031", transfer],
        [dt.date(YEAR, 9, 30), "Zoé Garcia", 2500.0, "VIR-2026-032", transfer],
    ]
