"""LibreOffice opens what the .xlsx backend writes, and the backend can write
again into a file LibreOffice saved: numbers, formats and ownership survive."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest

from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.model import OutputTable
from tests.support.libreoffice import convert

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]

TABLES = [
    OutputTable(
        "group_summary",
        "Synthèse groupes",
        ("Groupe", "Enveloppe", "Consommé (%)", "Heures", "Contributeurs", "Dernière contribution"),
        ("text", "money", "percent", "hours", "integer", "date"),
        [
            ("Com", 123456, 0.85, 12.5, 3, dt.date(2026, 3, 1)),
            ("=SUM(A1)", -5, 1.25, 0.0, 0, None),
        ],
    ),
    OutputTable(
        "anomalies",
        "Anomalies",
        ("Gravité", "Onglet", "Ligne", "Message"),
        ("text", "text", "integer", "text"),
        [("erreur", "Contributions", 7, "Date illisible : écrivez 28/11/2026 & <recommencez>")],
    ),
]

EXPECTED = {
    "Synthèse groupes": [
        ["Groupe", "Enveloppe", "Consommé (%)", "Heures", "Contributeurs", "Dernière contribution"],
        ["Com", 1234.56, 0.85, 12.5, 3, dt.datetime(2026, 3, 1)],
        ["=SUM(A1)", -0.05, 1.25, 0, 0, None],
    ],
    "Anomalies": [
        ["Gravité", "Onglet", "Ligne", "Message"],
        ["erreur", "Contributions", 7, "Date illisible : écrivez 28/11/2026 & <recommencez>"],
    ],
}


@pytest.fixture(scope="module")
def resaved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workbook written by the backend, then opened and saved by LibreOffice."""
    folder = tmp_path_factory.mktemp("libreoffice")
    path = folder / "budget.xlsx"
    backend = XlsxBackend(path, "fr")
    backend.init("fr", {"groups": [["Com", "Alice", 1500]]})
    backend.write(TABLES, "fr")
    convert(path, "xlsx", folder / "out", folder / "profile")
    return folder / "out" / "budget.xlsx"


def values(path: Path, title: str) -> list[list[object]]:
    sheet = openpyxl.load_workbook(path)[title]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.mark.parametrize("title", ["Synthèse groupes", "Anomalies"])
def test_libreoffice_reads_the_same_values(resaved: Path, title: str) -> None:
    assert values(resaved, title) == EXPECTED[title]


@pytest.mark.parametrize(
    ("cell", "format_part"), [("B2", "€"), ("C2", "%"), ("F2", "dd/mm/yyyy"), ("D2", "0.00")]
)
def test_libreoffice_keeps_the_formats(resaved: Path, cell: str, format_part: str) -> None:
    sheet = openpyxl.load_workbook(resaved)["Synthèse groupes"]
    assert format_part in sheet[cell].number_format
    assert sheet.auto_filter.ref == "A1:F3"


def test_ownership_marks_survive_a_libreoffice_save(resaved: Path) -> None:
    owned = XlsxBackend(resaved, "fr").read(lambda title: False).owned
    assert owned == {t.title: t.fingerprint() for t in TABLES}


def test_backend_writes_again_into_a_libreoffice_file(resaved: Path, tmp_path: Path) -> None:
    path = tmp_path / "again.xlsx"
    shutil.copyfile(resaved, path)
    changed = OutputTable("anomalies", "Anomalies", ("Gravité",), ("text",), [("info",)])
    XlsxBackend(path, "fr").write([changed], "fr")
    assert values(path, "Anomalies") == [["Gravité"], ["info"]]
    assert values(path, "Synthèse groupes") == EXPECTED["Synthèse groupes"]
    assert values(path, "Groupes")[1][:3] == ["Com", "Alice", 1500]
