"""The reminder tests' helpers: the date, mail settings in the environment, a run of remind."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner, Result

from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.cli.main import cli
from sheetsync.ledger import state
from sheetsync.model import CellValue
from tests.support.golden import write_xlsx

AS_OF = "2026-06-30"


def env(port: int) -> dict[str, str]:
    return {
        "SHEETSYNC_SMTP_HOST": "127.0.0.1",
        "SHEETSYNC_SMTP_PORT": str(port),
        "SHEETSYNC_SMTP_SECURITY": "none",
    }


def french(tmp_path: Path) -> Path:
    tabs: dict[str, list[list[CellValue]]] = {
        "Paramètres": [
            ["Paramètre", "Valeur"],
            ["Début de période", "2026-01-01"],
            ["Fin de période", "2026-12-31"],
            ["Expéditeur des relances", "budget@example.org"],
            ["Répondre à", "tresorerie@example.org"],
            ["Lien du formulaire", "https://forms.example.org/contribuer"],
        ],
        "Groupes": [
            ["Groupe", "Pilote", "Enveloppe"],
            ["Communication", "Ana", 100],
            ["Site", "Bo", 10000],
        ],
        "Personnes": [
            ["Personne", "Email", "Pas de relance"],
            ["Ana", "ana@example.org", ""],
            ["Bo", "bo@example.org", ""],
            ["Cy", "cy@example.org", ""],
            ["Dee", "dee@example.org", "oui"],
            ["Eve", "", ""],
        ],
        "Contributions": [
            ["Date", "Personne", "Groupe", "Durée (h)"],
            [dt.date(2026, 6, 20), "Ana", "Communication", 7],
            [dt.date(2026, 6, 25), "Bo", "Site", 2],
            ["31/02/2026", "Bo", "Site", 2],
        ],
    }
    path = tmp_path / "budget.xlsx"
    write_xlsx(tabs, path)
    return path


def english(tmp_path: Path) -> Path:
    tabs: dict[str, list[list[CellValue]]] = {
        "Settings": [["Setting", "Value"], ["Reminder sender", "budget@example.org"]],
        "Groups": [["Group", "Pilot", "Envelope"], ["Website", "Ana", 100]],
        "People": [["Person", "Email"], ["Ana", "ana@example.org"], ["Cy", "cy@example.org"]],
        "Contributions": [
            ["Date", "Person", "Group", "Hours"],
            ["2026-06-20", "Ana", "Website", 7],
        ],
    }
    path = tmp_path / "budget-en.xlsx"
    write_xlsx(tabs, path)
    return path


def remind(path: Path, port: int, *extra: str) -> Result:
    return CliRunner().invoke(cli, ["remind", str(path), "--as-of", AS_OF, *extra], env=env(port))


def reminded(path: Path) -> set[tuple[str, str]]:
    raw = XlsxBackend(path, "fr").read(state.is_state_title)
    return {(kind, key) for kind, key, _, _ in state.read(raw, "fr").reminders}
