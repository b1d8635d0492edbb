"""Job files for the nightly-jobs tests: their date, a healthy sheet, a job file writer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

AS_OF = dt.date(2026, 6, 1)


HEALTHY: dict[str, list[list[Any]]] = {
    "Groupes": [["Groupe", "Enveloppe"], ["GT Com", 1000]],
    "Contributions": [
        ["Date", "Personne", "Groupe", "Durée (h)"],
        [dt.date(2026, 3, 2), "Ana", "GT Com", 3.5],
        [dt.date(2026, 3, 3), "Bo", "GT Com", 2],
    ],
}


def job_file(
    tmp_path: Path, sheets: list[tuple[str, str]], defaults: str = "", extra: str = ""
) -> Path:
    entries = "".join(f'[[sheets]]\nname = "{n}"\ntarget = "{t}"\n{extra}\n' for n, t in sheets)
    path = tmp_path / "nightly.toml"
    path.write_text(f'[defaults]\nlanguage = "en"\n{defaults}\n{entries}', "utf-8")
    return path
