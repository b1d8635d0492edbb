"""The local workbook backend (.xlsx, .xlsm): cells read with calamine, owned tabs
written by zip part surgery, the file replaced atomically.

Before each write the previous file is kept beside it as `<name>.bak` (for
`budget.xlsx`, `budget.xlsx.bak`), replaced at every sync.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

from sheetsync.backends.atomic import replace_atomically
from sheetsync.backends.base import TitleFilter
from sheetsync.backends.xlsx.write import open_package, read_marks, rewrite
from sheetsync.errors import BackendError
from sheetsync.filelock import hold
from sheetsync.model import CellValue, OutputTable, RawTab, RawWorkbook
from sheetsync.safety import check_package
from sheetsync.template import Lang

SUFFIXES = (".xlsx", ".xlsm")
OTHER_FORMATS = (".xls", ".ods", ".csv", ".numbers")


class XlsxBackend:
    """A workbook file on this computer."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @property
    def display_name(self) -> str:
        return self.path.name

    @property
    def backup_path(self) -> Path:
        """Where the previous version is kept at each write."""
        return self.path.with_name(self.path.name + ".bak")

    def read(self, wanted: TitleFilter) -> RawWorkbook:
        """Cells of the wanted tabs; all titles and owned marks from the zip."""
        self._check_exists()
        check_package(self.path)
        with self._open_zip() as zf:
            package = open_package(zf)
            owned = read_marks(package)
            titles = tuple(s.title for s in package.sheets)
        tabs = read_tabs(self.path, [t for t in titles if wanted(t)])
        return RawWorkbook(tabs=tabs, owned=owned, locale=None, all_titles=titles)

    def write(self, tables: Sequence[OutputTable]) -> None:
        """Create or replace the owned tabs; every other part stays byte-identical."""
        self._check_exists()
        self._check_unlocked()
        with hold(self.path), self._open_zip() as source:
            check_package(self.path)
            replace_atomically(
                self.path, lambda out: rewrite(source, out, tables), self.backup_path
            )

    def init(self, lang: Lang, rows: Mapping[str, Sequence[Sequence[CellValue]]]) -> None:
        """Create a new workbook holding the template's input tabs."""
        # Imported here: openpyxl is only needed to create workbooks.
        from sheetsync.backends.xlsx.init import save_template  # noqa: PLC0415

        if self.path.suffix.lower() != ".xlsx":
            raise BackendError(f"{self.path.name}: a new workbook must end in .xlsx")
        if self.path.exists():
            raise BackendError(
                f"{self.path.name} already exists; choose a new file name for the template"
            )
        replace_atomically(self.path, lambda out: save_template(out, lang, rows), None)

    def _check_exists(self) -> None:
        suffix = self.path.suffix.lower()
        if suffix in OTHER_FORMATS:
            raise BackendError(
                f"{self.path.name} is a {suffix} file; sheetsync reads .xlsx workbooks: "
                "open it and save it as .xlsx (Excel workbook)"
            )
        if suffix not in SUFFIXES:
            raise BackendError(f"{self.path.name}: expected a workbook ending in .xlsx or .xlsm")
        if not self.path.is_file():
            raise BackendError(f"{self.path} not found")

    def _check_unlocked(self) -> None:
        folder, name = self.path.parent, self.path.name
        # LibreOffice's and Excel's lock files, present while the file is open.
        for lock in (folder / f".~lock.{name}#", folder / f"~${name}"):
            if lock.exists():
                raise BackendError(
                    f"{name} is open in a spreadsheet program; close it and run again"
                )

    def _open_zip(self) -> zipfile.ZipFile:
        try:
            return zipfile.ZipFile(self.path)
        except zipfile.BadZipFile as exc:
            raise BackendError(
                f"{self.path.name} is not an .xlsx workbook (damaged or another format)"
            ) from exc
        except OSError as exc:
            raise BackendError(f"cannot open {self.path.name}: {exc.strerror}") from exc


def read_tabs(path: Path, titles: Sequence[str]) -> dict[str, RawTab]:
    """The cells of these tabs, row 1 first, blanks as None."""
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        tabs = {}
        for title in titles:
            rows = workbook.get_sheet_by_name(title).to_python(skip_empty_area=False)
            tabs[title] = RawTab(title, _trim([[cell_value(v) for v in row] for row in rows]))
    except (CalamineError, OSError) as exc:
        raise BackendError(f"cannot read {path.name}: {exc}") from exc
    return tabs


def cell_value(value: object) -> CellValue:
    """A calamine cell as the parser expects it: blanks None, whole numbers int."""
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str | int | float | dt.date | dt.time | dt.timedelta):
        return value
    return str(value)


def _trim(rows: list[list[CellValue]]) -> list[list[CellValue]]:
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    return rows
