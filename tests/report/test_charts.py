"""Native charts: one spec for both backends, drawn in .xlsx and Google Sheets,
replaced in place at each sync, and nothing written when nothing changed."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.model import CellValue, OutputTable
from sheetsync.sync import pipeline
from tests.support.golden import load_case, write_xlsx
from tests.support.gsheets import GsheetFactory
from tests.support.libreoffice import convert
from tests.support.paths import GOLDEN

CASE = load_case(GOLDEN / "fr-prorata.toml")
TWO_GROUPS: dict[str, list[list[CellValue]]] = {
    **CASE.inputs,
    "Groupes": [
        *CASE.inputs["Groupes"],
        ["Outils", "Bo", 1000, "", "", ""],
    ],
    "Contributions": [
        *CASE.inputs["Contributions"],
        [CASE.as_of.replace(month=5, day=3), "Bo", "Outils", "", 7, 250, "", "", "", ""],
    ],
}


def tables(inputs: dict[str, list[list[CellValue]]], tmp_path: Path) -> dict[str, OutputTable]:
    path = tmp_path / "budget.xlsx"
    write_xlsx(inputs, path)
    _, outcome = pipeline.analyse(XlsxBackend(path, "fr"), CASE.as_of)
    return {t.key: t for t in outcome.tables}


def test_specs_and_chart_data(tmp_path: Path) -> None:
    found = tables(TWO_GROUPS, tmp_path)
    groups, monthly, data = found["group_summary"], found["monthly"], found["chart_data"]
    (bar,) = groups.charts
    assert (bar.kind, bar.category, bar.values, bar.rows) == (
        "bar", "Groupe", ("Enveloppe", "Consommé"), 2,
    )  # fmt: skip
    assert bar.anchor == "A6"  # one empty row below the 2 groups and the Total: in sight
    (line,) = monthly.charts
    assert (line.kind, line.source, line.rows, line.anchor) == ("line", data.title, 3, "G2")
    # Communication: 250 of 500 in March, 500 in April, carried into May;
    # Outils: nothing before May, then 250 of 1 000.
    assert data.header == ("Mois", "Communication", "Outils", "Enveloppe (100 %)")
    assert data.rows == [
        ("2026-03", 0.5, 0.0, 1.0),
        ("2026-04", 1.0, 0.0, 1.0),
        ("2026-05", 1.0, 0.25, 1.0),
    ]


def chart_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist() if re.search(r"sheetsync_|_rels/sheet", n)}


def test_xlsx_charts_replaced_in_place_and_unchanged_sync_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "budget.xlsx"
    write_xlsx(CASE.inputs, path)
    pipeline.run_sync(XlsxBackend(path, "fr"), CASE.as_of)
    first = chart_parts(path)
    chart_xml = [n for n in first if "/charts/" in n]
    assert len(chart_xml) == 2
    text = b"".join(first[n] for n in chart_xml).decode()
    assert "<c:barChart>" in text
    assert "<c:lineChart>" in text
    assert "'Synthèse groupes'!$C$2</c:f>" in text  # Enveloppe of the one group, no Total
    assert "'Graphiques (données)'!$B$2:$B$3" in text
    before = path.read_bytes()
    assert not pipeline.run_sync(XlsxBackend(path, "fr"), CASE.as_of).written
    assert path.read_bytes() == before
    # A new group and month: the same parts, rewritten with the new ranges.
    write_xlsx(TWO_GROUPS, path)
    pipeline.run_sync(XlsxBackend(path, "fr"), CASE.as_of)
    pipeline.run_sync(XlsxBackend(path, "fr"), CASE.as_of.replace(day=29))
    again = chart_parts(path)
    assert sorted(again) == sorted(first)
    assert "'Synthèse groupes'!$C$2:$C$3" in b"".join(again.values()).decode()
    with zipfile.ZipFile(path) as zf:
        types = zf.read("[Content_Types].xml").decode()
    assert types.count("drawingml.chart+xml") == 2
    assert openpyxl.load_workbook(path)["Mensuel"]["A1"].value == "Mois"


def test_google_charts_replaced_in_place(gsheet_backend_from_rows: GsheetFactory) -> None:
    backend, emulator = gsheet_backend_from_rows(TWO_GROUPS)
    pipeline.run_sync(backend, CASE.as_of)
    book = emulator.books[backend.spreadsheet_id]
    sheets = {s.title: s for s in book.sheets}
    (bar,) = sheets["Synthèse groupes"].charts
    (line,) = sheets["Mensuel"].charts
    assert bar["spec"]["basicChart"]["chartType"] == "COLUMN"
    assert len(bar["spec"]["basicChart"]["series"]) == 2
    source = line["spec"]["basicChart"]["series"][0]["series"]["sourceRange"]["sources"][0]
    assert source["sheetId"] == sheets["Graphiques (données)"].sheet_id
    assert (source["startColumnIndex"], source["endRowIndex"]) == (1, 4)
    # Unchanged (`sheetsync sync` takes the fast path): two reads, no write.
    before = len(emulator.log)
    assert not pipeline.run_sync(backend, CASE.as_of, fast=True).written
    assert len(emulator.log) - before <= 2
    # Changed: the old charts deleted and drawn again, with the same ids.
    pipeline.run_sync(backend, CASE.as_of.replace(day=29))
    sheets = {s.title: s for s in emulator.books[backend.spreadsheet_id].sheets}
    assert [c["chartId"] for c in sheets["Synthèse groupes"].charts] == [bar["chartId"]]
    assert [c["chartId"] for c in sheets["Mensuel"].charts] == [line["chartId"]]


@pytest.mark.libreoffice
@pytest.mark.slow
def test_libreoffice_opens_the_charts(tmp_path: Path) -> None:
    path = tmp_path / "budget.xlsx"
    write_xlsx(TWO_GROUPS, path)
    pipeline.run_sync(XlsxBackend(path, "fr"), CASE.as_of)
    out = tmp_path / "out"
    convert(path, "xlsx", out, tmp_path / "profile")
    with zipfile.ZipFile(out / "budget.xlsx") as zf:
        saved = [zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/charts/chart")]
    assert len(saved) == 2
    text = "".join(saved)
    assert "Synthèse groupes" in text
    assert "Graphiques (données)" in text
