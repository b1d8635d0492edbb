"""New workbooks holding the template's input tabs, and the blank template files.

Run `python -m sheetsync.backends.xlsx_init` to regenerate templates/modele.xlsx
(French) and templates/template-en.xlsx (English) from templates/template.toml.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from sheetsync import formats
from sheetsync.backends.atomic import replace_atomically
from sheetsync.backends.header_notes import header_notes
from sheetsync.layout import PrintSetup
from sheetsync.messages import say
from sheetsync.model import CellValue
from sheetsync.template import LANGS, Column, Lang, Setting, Tab, load, normalize, templates_dir

TEMPLATE_FILES: dict[Lang, str] = {"fr": "modele.xlsx", "en": "template-en.xlsx"}
# Dropdowns and formats cover this many rows below the header.
LAST_ROW = 5000
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
# A fixed creation date keeps regenerated template files identical in content.
CREATED = dt.datetime(2026, 1, 1)
NOTE_AUTHOR = "sheetsync"
NOTE_WIDTH, NOTE_HEIGHT = 260, 90  # pixels: room for two or three lines of help


def save_template(
    out: IO[bytes], lang: Lang, rows: Mapping[str, Sequence[Sequence[CellValue]]]
) -> None:
    """Write a new workbook with every input tab, `rows` under each header.

    The settings tab lists every setting with its default and help unless
    `rows` gives its rows.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    workbook.properties.created = CREATED
    for tab in load().initial_inputs({key for key, data in rows.items() if data}):
        sheet = workbook.create_sheet(tab.name(lang))
        data = rows.get(tab.key) or (setting_rows(lang) if tab.key == "settings" else [])
        fill_tab(sheet, tab, lang, data)
    workbook.save(out)


AIRTABLE_ONLY = frozenset({"record_limit"})  # settings only an Airtable base has


def setting_rows(lang: Lang, *, airtable: bool = False) -> list[list[CellValue]]:
    """Every setting's name, default value and help (a spreadsheet leaves out Airtable's)."""
    return [
        [s.name(lang), default_value(s, lang), s.help(lang)]
        for s in load().settings
        if airtable or s.key not in AIRTABLE_ONLY
    ]


def default_value(setting: Setting, lang: Lang) -> CellValue:
    """The default as a user would type it: numbers as numbers, oui/non as words."""
    if setting.type == "bool":
        return load().enums["bool"].label(setting.default, lang)
    if not setting.default:
        return None
    if setting.type in ("money", "number", "integer", "percent"):
        number = float(setting.default)
        return int(number) if number.is_integer() else number
    return setting.default


def fill_tab(sheet: Worksheet, tab: Tab, lang: Lang, rows: Sequence[Sequence[CellValue]]) -> None:
    """Header (with a note saying what to type), data, widths, formats and dropdowns
    of one input tab, printed landscape and one page wide."""
    notes = header_notes(tab, lang)
    for index, column in enumerate(tab.columns, start=1):
        cell = sheet.cell(1, index, column.name(lang))
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        if notes[index - 1]:
            note = notes[index - 1]
            cell.comment = Comment(note, NOTE_AUTHOR, height=NOTE_HEIGHT, width=NOTE_WIDTH)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        code = formats.input_format(column.kind)
        if code is not None:
            sheet.column_dimensions[letter].number_format = code
        for number, row in enumerate(rows, start=2):
            _put(sheet, number, index, row[index - 1] if index <= len(row) else None, code)
        _add_validation(sheet, column, letter, lang)
    sheet.freeze_panes = "A2"
    _print_setup(sheet)
    if tab.key == "settings":
        _add_setting_validations(sheet, lang, rows)


def _print_setup(sheet: Worksheet) -> None:
    """As the owned tabs print (sheetsync.layout): landscape, one page wide,
    the header row on every page."""
    printing = PrintSetup()
    sheet.page_setup.orientation = "landscape" if printing.landscape else "portrait"
    sheet.page_setup.fitToWidth = printing.pages_wide
    sheet.page_setup.fitToHeight = printing.pages_tall
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = f"1:{printing.title_rows}"


def _put(sheet: Worksheet, row: int, column: int, value: CellValue, code: str | None) -> None:
    if value is None:
        return
    cell = sheet.cell(row, column, value)
    if isinstance(value, str):
        cell.data_type = "s"  # text stays text even when it starts with "="
    elif code is not None:
        cell.number_format = code


def _list_formula(labels: Sequence[str]) -> str:
    return '"' + ",".join(label.replace('"', "") for label in labels) + '"'


def _validation(formula: str, lang: Lang, strict: bool) -> DataValidation:
    validation = DataValidation(type="list", formula1=formula, allow_blank=True)
    validation.showErrorMessage = strict
    validation.errorTitle = say(lang, "xlsx.init.unknown_value")
    validation.error = say(lang, "xlsx.init.pick_value_list")
    return validation


def column_validation(column: Column, lang: Lang) -> DataValidation | None:
    """The dropdown of an input column, if it has one."""
    template = load()
    if column.enum is not None or column.kind == "bool":
        labels = template.enums[column.enum or "bool"].labels(lang)
        return _validation(_list_formula(labels), lang, strict=True)
    if column.suggest is not None:
        # Suggestions only: other payment methods are accepted.
        return _validation(
            _list_formula(template.enums[column.suggest].labels(lang)), lang, strict=False
        )
    if column.list is not None:
        source = template.input(column.list)
        names = f"{quote_sheetname(source.name(lang))}!$A$2:$A${LAST_ROW}"
        # An unknown person is only a warning (SPEC §6); an unknown group is an error.
        validation = _validation(names, lang, strict=True)
        if column.list == "people":
            validation.errorStyle = "warning"
        return validation
    return None


def _add_validation(sheet: Worksheet, column: Column, letter: str, lang: Lang) -> None:
    validation = column_validation(column, lang)
    if validation is not None:
        sheet.add_data_validation(validation)
        validation.add(f"{letter}2:{letter}{LAST_ROW}")


def _add_setting_validations(
    sheet: Worksheet, lang: Lang, rows: Sequence[Sequence[CellValue]]
) -> None:
    yes_no = {normalize(n) for s in load().settings if s.type == "bool" for n in (s.fr, s.en)}
    cells = [
        f"B{number}"
        for number, row in enumerate(rows, start=2)
        if row and isinstance(row[0], str) and normalize(row[0]) in yes_no
    ]
    if cells:
        validation = _validation(
            _list_formula(load().enums["bool"].labels(lang)), lang, strict=True
        )
        sheet.add_data_validation(validation)
        for cell in cells:
            validation.add(cell)


def regenerate(folder: Path | None = None) -> list[Path]:
    """(Re)write the blank template workbooks, one per language."""
    folder = folder or templates_dir()
    written = []
    for lang in LANGS:
        path = folder / TEMPLATE_FILES[lang]
        replace_atomically(path, lambda out, lang=lang: save_template(out, lang, {}), None, lang)  # type: ignore[misc]
        written.append(path)
    return written


def main() -> None:
    for path in regenerate():
        sys.stdout.write(f"{path}\n")


if __name__ == "__main__":
    main()
