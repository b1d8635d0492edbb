"""Deterministic contribution spreadsheets of any size, shaped like real ones.

The same (rows, seed) always gives the same cells, so runs compare like with like.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sheetsync.model import CellValue, RawTab, RawWorkbook
from sheetsync.template import load

YEAR = 2026
AS_OF = dt.date(YEAR, 12, 31)  # the period's end: every row is in the past, none in the future
CELL_LIMIT = 10_000_000  # Google's limit for a whole spreadsheet
CONTRIBUTION_COLUMNS = 10
SIZES = (1_000, 10_000, 100_000)
# Room kept for the other input tabs and every output tab (~60k cells at the
# largest size, Anomalies included), rounded up generously.
RESERVE_CELLS = 500_000
ROWS_PER_PERSON = 450  # about two entries per working day for the busiest contributors
ROWS_PER_GROUP = 9_000
TASKS = ("atelier", "compte rendu", "réunion d'équipe", "préparation", "animation",
         "rédaction", "documentation", "accompagnement d'un lieu")  # fmt: skip
# How hours are typed by hand: mostly numbers, some spelled out.
HOURS = (1.0, 1.5, 2.0, 2.0, 3.0, 3.5, 4.0, 7.0)
SPELLED = {1.5: "1h30", 2.0: "2:00", 3.5: "0,5 j", 1.0: "60 min"}
BILLING = ("", "", "", "CAE Les Ateliers Partagés", "Coopérative Oxalis")
RETRIBUTIONS = ("financière",) * 8 + ("bénévole", "non financière")
POLICIES = ("signaler", "proportionnel", "ordre d'arrivée")


def largest_rows() -> int:
    """The most contribution rows that keep the whole spreadsheet under Google's limit."""
    fitting = (CELL_LIMIT - RESERVE_CELLS) // CONTRIBUTION_COLUMNS - 1
    return fitting // 10_000 * 10_000


@dataclass(frozen=True)
class Network:
    """Who contributes to what: sized with the number of rows."""

    groups: tuple[str, ...]
    people: tuple[str, ...]


def network(rows: int) -> Network:
    groups = tuple(f"Groupe {i + 1:03d}" for i in range(max(6, rows // ROWS_PER_GROUP)))
    people = tuple(f"Personne {i + 1:05d}" for i in range(max(13, rows // ROWS_PER_PERSON)))
    return Network(groups, people)


def workbook_rows(rows: int, seed: int = YEAR) -> dict[str, list[list[CellValue]]]:
    """Data rows of every input tab (French template, column order), by tab key."""
    rng = random.Random(seed)  # noqa: S311 - reproducible data, not secrets
    net = network(rows)
    return {
        "settings": _settings(),
        "groups": [_group(rng, name, rows) for name in net.groups],
        "people": [_person(rng, name) for name in net.people],
        "contributions": [_contribution(rng, net) for _ in range(rows)],
        "payments": _payments(rng, net.people),
    }


def tabs(rows: int, seed: int = YEAR) -> dict[str, list[list[CellValue]]]:
    """Every input tab with its header, by French tab title, as a user's sheet holds it."""
    template = load()
    data = workbook_rows(rows, seed)
    return {
        tab.name("fr"): [[c.name("fr") for c in tab.columns], *data[tab.key]]
        for tab in template.initial_inputs()
    }


def raw_workbook(rows: int, seed: int = YEAR) -> RawWorkbook:
    """The cells a backend would hand over, without any I/O (for compute-only timing)."""
    found = {title: RawTab(title, grid) for title, grid in tabs(rows, seed).items()}
    return RawWorkbook(tabs=found, locale="fr_FR", all_titles=tuple(found))


def cell_count(grid: list[list[CellValue]]) -> int:
    """Cells a tab sized to its content takes against the limit."""
    return len(grid) * max((len(row) for row in grid), default=0)


def _settings() -> list[list[CellValue]]:
    return [
        ["Taux journalier de référence", 300.0, ""],
        ["Début de période", dt.date(YEAR, 1, 1), ""],
        ["Fin de période", dt.date(YEAR, 12, 31), ""],
        ["Coordination rétribuée", "non", ""],
    ]


def _group(rng: random.Random, name: str, rows: int) -> list[CellValue]:
    # Envelopes around what the group's rows ask for, so some groups run over.
    per_group = rows / max(6, rows // ROWS_PER_GROUP)
    envelope = round(per_group * 110 * rng.uniform(0.8, 1.4), -2)
    rate = 350.0 if rng.random() < 0.2 else None
    return [name, f"Pilote {name[-3:]}", envelope, rng.choice(POLICIES), rate, ""]


def _person(rng: random.Random, name: str) -> list[CellValue]:
    email = name.lower().replace(" ", ".") + "@example.org"
    return [name, email, rng.choice(RETRIBUTIONS), rng.choice(BILLING), "facture", ""]


def _contribution(rng: random.Random, net: Network) -> list[CellValue]:
    day = dt.date(YEAR, 1, 1) + dt.timedelta(days=rng.randrange(365))
    index = rng.randrange(len(net.people))
    # Each person works in up to three groups, as in a real network.
    stride = max(1, len(net.groups) // 3)
    group = net.groups[(index + rng.randrange(3) * stride) % len(net.groups)]
    hours = rng.choice(HOURS)
    hours_cell: CellValue = SPELLED.get(hours, hours) if rng.random() < 0.2 else hours
    asked: CellValue = None
    if rng.random() < 0.6:  # most people state their ask, often near the reference
        asked = float(round(hours / 7 * 300 * rng.choice((0.8, 1.0, 1.0, 1.2)) / 10) * 10)
    kind = "coordination" if rng.random() < 0.05 else "production"
    status = "refusé" if rng.random() < 0.01 else "validé"
    return [
        day,
        net.people[index],
        group,
        kind,
        hours_cell,
        asked,
        rng.choice(TASKS),
        "",
        status,
        "",
    ]


def _payments(rng: random.Random, people: tuple[str, ...]) -> list[list[CellValue]]:
    paid = people[: len(people) // 2]
    return [
        [dt.date(YEAR, 6, 30), name, float(rng.randrange(1, 20) * 100), f"VIR-{i:05d}", ""]
        for i, name in enumerate(paid)
    ]
