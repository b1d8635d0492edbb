"""Tests of `init` for local workbooks and of the committed blank templates:
tabs, headers, settings, dropdowns, frozen headers and formats from the definition."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from sheetsync.backends.xlsx.backend import XlsxBackend
from sheetsync.backends.xlsx.init import TEMPLATE_FILES, regenerate
from sheetsync.model import BackendError
from sheetsync.template import Lang, load, templates_dir


def created(tmp_path: Path, lang: Lang, rows: dict[str, Any] | None = None) -> openpyxl.Workbook:
    path = tmp_path / "new.xlsx"
    XlsxBackend(path, "fr").init(lang, rows or {})
    return openpyxl.load_workbook(path)


def validations(sheet: Worksheet) -> dict[str, tuple[str | None, bool | None]]:
    """First cell of each dropdown -> (list formula, whether other values are refused)."""
    found = {}
    for validation in sheet.data_validations.dataValidation:
        for cells in validation.sqref.ranges:
            found[cells.coord.split(":")[0]] = (validation.formula1, validation.showErrorMessage)
    return found


@pytest.mark.parametrize(
    ("lang", "titles"),
    [
        ("fr", ["Paramètres", "Groupes", "Personnes", "Contributions", "Versements"]),
        ("en", ["Settings", "Groups", "People", "Contributions", "Payments"]),
    ],
)
def test_init_creates_every_input_tab_with_its_header(
    tmp_path: Path, lang: Lang, titles: list[str]
) -> None:
    workbook = created(tmp_path, lang)
    assert workbook.sheetnames == titles
    for tab in load().initial_inputs():
        sheet = workbook[tab.name(lang)]
        assert [c.value for c in sheet[1]] == [c.name(lang) for c in tab.columns]
        assert sheet.freeze_panes == "A2"
        assert all(c.font.b for c in sheet[1])
        assert sheet.column_dimensions["A"].width == tab.columns[0].width


@pytest.mark.parametrize(
    ("lang", "row", "expected"),
    [
        ("fr", 2, ["Devise", "EUR"]),
        ("fr", 3, ["Taux journalier de référence", 300]),
        ("fr", 5, ["Début de période", None]),
        ("fr", 7, ["Validation requise", "non"]),
        ("en", 7, ["Validation required", "no"]),
        ("en", 9, ["Alert threshold (%)", 80]),
    ],
)
def test_settings_tab_lists_defaults_and_help(
    tmp_path: Path, lang: Lang, row: int, expected: list[object]
) -> None:
    sheet = created(tmp_path, lang).worksheets[0]
    assert [sheet.cell(row, 1).value, sheet.cell(row, 2).value] == expected
    assert sheet.cell(row, 3).value == load().settings[row - 2].help(lang)
    # Every setting but the Airtable base's record limit (an Airtable base's alone).
    assert sheet.max_row == len(load().settings)


@pytest.mark.parametrize(
    ("lang", "place", "formula", "strict"),
    [
        ("fr", "Groupes!D2", '"signaler,proportionnel,ordre d\'arrivée"', True),
        ("en", "Groups!D2", '"flag,pro-rata,first-come"', True),
        ("fr", "Personnes!C2", '"financière,non financière,bénévole"', True),
        (
            "fr",
            "Personnes!E2",
            '"facture,CAE / portage,note de droits d\'auteur,salaire,autre"',
            False,
        ),
        ("fr", "Contributions!B2", "'Personnes'!$A$2:$A$5000", True),
        ("en", "Contributions!C2", "'Groups'!$A$2:$A$5000", True),
        ("fr", "Contributions!D2", '"production,coordination,créa"', True),
        ("en", "Contributions!I2", '"declared,validated,rejected"', True),
        ("fr", "Contributions!J2", '"oui,non"', True),
        ("fr", "Paramètres!B7", '"oui,non"', True),
        ("en", "Settings!B8", '"yes,no"', True),
    ],
)
def test_dropdowns_come_from_the_template(
    tmp_path: Path, lang: Lang, place: str, formula: str, strict: bool
) -> None:
    tab, cell = place.split("!")
    assert validations(created(tmp_path, lang)[tab])[cell] == (formula, strict)


def test_unknown_person_is_only_a_warning_in_the_dropdown(tmp_path: Path) -> None:
    sheet = created(tmp_path, "fr")["Contributions"]
    styles = {str(v.sqref): v.errorStyle for v in sheet.data_validations.dataValidation}
    assert styles["B2:B5000"] == "warning"
    assert styles["C2:C5000"] in (None, "stop")


@pytest.mark.parametrize(
    ("tab", "column", "number_format"),
    [
        ("Contributions", "A", "dd/mm/yyyy"),
        ("Contributions", "E", "0.00"),
        ("Contributions", "F", "#,##0.00"),
        ("Groupes", "C", "#,##0.00"),
        ("Versements", "A", "dd/mm/yyyy"),
        ("Contributions", "G", "General"),
    ],
)
def test_input_columns_carry_number_formats(
    tmp_path: Path, tab: str, column: str, number_format: str
) -> None:
    sheet = created(tmp_path, "fr")[tab]
    assert sheet.column_dimensions[column].number_format == number_format


def test_rows_are_written_under_the_headers(tmp_path: Path) -> None:
    rows = {
        "groups": [["Com", "Alice", 1500]],
        "contributions": [[dt.date(2026, 3, 2), "Alice", "Com", None, 1.5, None, "=cmd|x"]],
    }
    workbook = created(tmp_path, "fr", rows)
    contributions = workbook["Contributions"]
    assert contributions["A2"].value == dt.datetime(2026, 3, 2)
    assert contributions["A2"].number_format == "dd/mm/yyyy"
    assert contributions["E2"].value == 1.5
    assert contributions["G2"].value == "=cmd|x"
    assert contributions["G2"].data_type == "s"  # text, not a formula
    assert [c.value for c in workbook["Groupes"][2]][:3] == ["Com", "Alice", 1500]


def test_init_workbook_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "new.xlsx"
    XlsxBackend(path, "fr").init("en", {"people": [["Bob", "bob@example.org", "volunteer"]]})
    raw = XlsxBackend(path, "fr").read(lambda title: title == "People")
    assert raw.tabs["People"].rows[1][:3] == ["Bob", "bob@example.org", "volunteer"]
    assert raw.owned == {}


@pytest.mark.parametrize(
    ("name", "message"), [("book.xlsm", "must end in .xlsx"), ("book.ods", "must end in .xlsx")]
)
@pytest.mark.usefixtures("english")
def test_init_refuses_other_formats(tmp_path: Path, name: str, message: str) -> None:
    with pytest.raises(BackendError, match=message):
        XlsxBackend(tmp_path / name, "en").init("fr", {})
    assert not (tmp_path / name).exists()


@pytest.mark.usefixtures("english")
def test_init_never_overwrites_a_file(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"precious")
    with pytest.raises(BackendError, match="already exists"):
        XlsxBackend(path, "en").init("fr", {})
    assert path.read_bytes() == b"precious"


def content(path: Path) -> list[object]:
    """Everything a user sees of a template workbook, zip time stamps aside."""
    workbook = openpyxl.load_workbook(path)
    seen: list[object] = []
    for sheet in workbook:
        seen.append((sheet.title, sheet.freeze_panes, validations(sheet)))
        seen.append(
            [[(c.value, c.number_format, c.font.b) for c in row] for row in sheet.iter_rows()]
        )
        seen.append({k: (d.width, d.number_format) for k, d in sheet.column_dimensions.items()})
    return seen


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_committed_templates_match_the_definition(tmp_path: Path, lang: Lang) -> None:
    regenerate(tmp_path)
    name = TEMPLATE_FILES[lang]
    assert content(tmp_path / name) == content(templates_dir() / name), (
        "run `python -m sheetsync.backends.xlsx_init` to regenerate the templates"
    )
