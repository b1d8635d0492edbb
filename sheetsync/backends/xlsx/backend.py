"""The local workbook backend (.xlsx, .xlsm): cells read with calamine, owned tabs
written by zip part surgery, the file replaced atomically.

Before each write the previous file is kept beside it as `<name>.bak` (for
`budget.xlsx`, `budget.xlsx.bak`), replaced at every sync.

Every failure to decode the package (not a zip, truncated zip, corrupted
compressed data, malformed XML, a part every workbook has missing or empty) is
turned into one "damaged workbook" error by `_decoding`; an encrypted Office file
is named as such (see `_damaged`).

Its messages speak the language it is opened with until a write says the sheet's
(`write(tables, lang)`); a damaged workbook's tab titles may tell the sheet's sooner.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import re
import zipfile
import zlib
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from xml.etree.ElementTree import ParseError

from python_calamine import CalamineError, CalamineWorkbook

from sheetsync.backends.atomic import replace_atomically
from sheetsync.backends.base import TitleFilter
from sheetsync.backends.xlsx import grid
from sheetsync.backends.xlsx.filelock import hold
from sheetsync.backends.xlsx.package import open_package, read_marks
from sheetsync.backends.xlsx.safety import check_package
from sheetsync.backends.xlsx.unreadable import damage_lang, damage_why, said
from sheetsync.backends.xlsx.write import rewrite
from sheetsync.errors import BackendError, DamagedPartError, UnreadablePartError
from sheetsync.messages import say
from sheetsync.model import CellValue, ErrorCell, OutputTable, RawTab, RawWorkbook
from sheetsync.template import Lang, titles_language

SUFFIXES = (".xlsx", ".xlsm")
OTHER_FORMATS = (".xls", ".ods", ".csv", ".numbers")
# An OLE compound file: what Excel saves a password-protected workbook as.
CFB_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
# What a damaged package raises while it is decoded: zip structure, deflate data, XML.
DECODING_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    ParseError,
    UnicodeDecodeError,
    CalamineError,
)


class XlsxBackend:
    """A workbook file on this computer.

    `lang`: the language of its messages before the sheet's is known (the command
    line's, a job file's). `settled`: `lang` is the sheet's for certain (a job file's),
    so a damaged workbook's tab titles do not overrule it.
    """

    def __init__(self, path: Path, lang: Lang, *, settled: bool = False) -> None:
        self.path = Path(path)
        self.lang: Lang = lang
        self.settled = settled

    @property
    def display_name(self) -> str:
        return self.path.name

    @property
    def title(self) -> str:
        """The workbook's title for a reader: its file name without the extension."""
        return self.path.stem

    @property
    def backup_path(self) -> Path:
        """Where the previous version is kept at each write."""
        return self.path.with_name(self.path.name + ".bak")

    def read(self, wanted: TitleFilter) -> RawWorkbook:
        """Cells of the wanted tabs; all titles and owned marks from the zip."""
        self._check_exists(self.lang)
        with _decoding(self.path, self.lang, settled=self.settled):
            check_package(self.path, self.lang)
            with self._open_zip(self.lang) as zf:
                package = open_package(zf)
                owned = read_marks(package)
                titles = tuple(s.title for s in package.sheets)
                parts = {s.title: s.part for s in package.sheets if wanted(s.title)}
                errors, compacted, places = {}, {}, {}
                for title, part in parts.items():
                    xml = zf.read(part)
                    errors[title] = error_cells(xml)
                    if grid.is_sparse(xml):
                        compacted[part], rows_at, columns_at = grid.compact(xml)
                        places[title] = (rows_at, columns_at)
                source = grid.compact_package(zf, compacted) if compacted else self.path
            tabs = read_tabs(source, list(parts), places, self.lang)
            tabs = {title: with_errors(tab, errors[title]) for title, tab in tabs.items()}
        return RawWorkbook(tabs=tabs, owned=owned, locale=None, all_titles=titles)

    def write(self, tables: Sequence[OutputTable], lang: Lang) -> None:
        """Create or replace the owned tabs; every other part stays byte-identical."""
        self._check_exists(lang)
        self._check_unlocked(lang)
        decoding = _decoding(self.path, lang, settled=True)
        with hold(self.path, lang), decoding, self._open_zip(lang) as source:
            check_package(self.path, lang)
            replace_atomically(
                self.path, lambda out: rewrite(source, out, tables), self.backup_path, lang
            )

    def init(self, lang: Lang, rows: Mapping[str, Sequence[Sequence[CellValue]]]) -> None:
        """Create a new workbook holding the template's input tabs."""
        # Imported here: openpyxl is only needed to create workbooks.
        from sheetsync.backends.xlsx.init import save_template  # noqa: PLC0415

        if self.path.suffix.lower() != ".xlsx":
            raise BackendError(
                say(self.lang, "xlsx.backend.new_workbook_must_end_xlsx", name=self.path.name)
            )
        if self.path.exists():
            raise BackendError(
                say(self.lang, "xlsx.backend.already_exists_choose_new_file", name=self.path.name)
            )
        replace_atomically(self.path, lambda out: save_template(out, lang, rows), None, self.lang)

    def _check_exists(self, lang: Lang) -> None:
        suffix = self.path.suffix.lower()
        if suffix in OTHER_FORMATS:
            raise BackendError(
                say(
                    lang,
                    "xlsx.backend.file_sheetsync_reads_xlsx_workbooks",
                    name=self.path.name,
                    suffix=suffix,
                )
            )
        if suffix not in SUFFIXES:
            raise BackendError(
                say(
                    lang,
                    "xlsx.backend.expected_workbook_ending_xlsx_xlsm",
                    name=self.path.name,
                )
            )
        if self.path.is_dir():
            raise BackendError(
                say(lang, "xlsx.backend.folder_not_workbook_give_xlsx", path=self.path)
            )
        if not self.path.is_file():
            raise BackendError(say(lang, "xlsx.backend.not_found_check_workbook_s", path=self.path))

    def _check_unlocked(self, lang: Lang) -> None:
        # LibreOffice's and Excel's lock files, present while the file is open;
        # through a symbolic link, the program may have opened the link or its target.
        for path in dict.fromkeys((self.path, Path(os.path.realpath(self.path)))):
            folder, name = path.parent, path.name
            for lock in (folder / f".~lock.{name}#", folder / f"~${name}"):
                if lock.exists():
                    raise BackendError(
                        say(
                            lang,
                            "xlsx.backend.open_spreadsheet_program_close_run",
                            name=name,
                        )
                    )

    def _open_zip(self, lang: Lang) -> zipfile.ZipFile:
        try:
            return zipfile.ZipFile(self.path)
        except OSError as exc:
            raise BackendError(
                say(lang, "xlsx.backend.cannot_open", name=self.path.name, why=exc.strerror)
            ) from exc


@contextlib.contextmanager
def _decoding(path: Path, lang: Lang, *, settled: bool) -> Iterator[None]:
    """Any error decoding the package inside becomes the damaged-workbook BackendError, a
    part not as a spreadsheet program saves it the unreadable-part one, both in `lang`
    (or the sheet's, told by its tab titles, unless `settled`: see damage_lang)."""
    try:
        yield
    except UnreadablePartError as exc:
        raise said(exc, lang) from exc
    except DamagedPartError as exc:
        raise _damaged(path, damage_lang(exc, lang, settled=settled), exc) from exc
    except DECODING_ERRORS as exc:
        raise _damaged(path, lang) from exc


def _damaged(path: Path, lang: Lang, part: DamagedPartError | None = None) -> BackendError:
    """Why the package cannot be decoded, in `lang`: password or damage, naming the part
    at fault when it is known."""
    try:
        with path.open("rb") as stream:
            head = stream.read(len(CFB_MAGIC))
    except OSError:
        head = b""
    if head == CFB_MAGIC:
        return BackendError(
            say(lang, "xlsx.backend.password_protected_encrypted_office_file", name=path.name)
        )
    why = damage_why(part, lang) if part else say(lang, "xlsx.backend.not_xlsx_file")
    damaged = BackendError(
        say(lang, "xlsx.backend.damaged_workbook_left_unchanged_open", name=path.name, why=why)
    )
    if part is not None and titles_language(part.titles):
        damaged.lang = lang  # told by the tab titles: the sheet's own language
    return damaged


def read_tabs(
    source: Path | io.BytesIO,
    titles: Sequence[str],
    places: Mapping[str, tuple[list[int], list[int]]],
    lang: Lang,
) -> dict[str, RawTab]:
    """The cells of these tabs, row 1 first, blanks as None; the tabs in `places` come
    compacted (see grid.py) and are put back at their rows and columns. `lang`: the
    language of the message when the file cannot be read."""
    try:
        if isinstance(source, Path):
            workbook = CalamineWorkbook.from_path(str(source))
        else:
            workbook = CalamineWorkbook.from_filelike(source)
        tabs = {}
        for title in titles:
            rows = workbook.get_sheet_by_name(title).to_python(skip_empty_area=False)
            if title in places:
                tabs[title] = RawTab(title, _spread(rows, *places[title]))
            else:
                tabs[title] = RawTab(title, _trim([[cell_value(v) for v in row] for row in rows]))
    except OSError as exc:
        raise BackendError(
            say(
                lang,
                "xlsx.backend.cannot_read",
                name=getattr(source, "name", "the workbook"),
                why=exc,
            )
        ) from exc
    return tabs


def _spread(
    rows: Sequence[Sequence[object]], row_at: list[int], column_at: list[int]
) -> list[list[CellValue]]:
    """A compacted tab's cells back at their rows and columns, each blank row one shared
    empty list: the cost follows the cells present."""
    blank: list[CellValue] = []
    spread: list[list[CellValue]] = []
    for at, cells in grid.spread(rows, row_at, column_at):
        values = [(column, cell_value(v)) for column, v in cells]
        values = [(column, v) for column, v in values if v is not None]
        if not values:
            continue
        row: list[CellValue] = [None] * (values[-1][0] + 1)
        for column, value in values:
            row[column] = value
        spread.extend([blank] * (at - len(spread)))
        spread.append(row)
    return spread


# A cell saved as an error: <c r="B7" s="3" t="e"><f>A1/0</f><v>#DIV/0!</v></c>.
ERROR_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]+)([0-9]+)"[^>]*?\bt="e"[^>]*>(.*?)</c>', re.S)
ERROR_CELL_T_FIRST = re.compile(
    rb'<c\b[^>]*?\bt="e"[^>]*?\br="([A-Z]+)([0-9]+)"[^>]*>(.*?)</c>', re.S
)
VALUE = re.compile(rb"<v>([^<]*)</v>")


def error_cells(xml: bytes) -> dict[tuple[int, int], str]:
    """The error cells of a sheet part, by (row, column) from 0, with their error text.

    calamine hands error cells over as blanks, which would let an amount in error
    fall back silently to the reference value: they are found in the XML instead.
    """
    if b't="e"' not in xml:
        return {}
    found: dict[tuple[int, int], str] = {}
    for pattern in (ERROR_CELL, ERROR_CELL_T_FIRST):
        for match in pattern.finditer(xml):
            value = VALUE.search(match.group(3))
            text = value.group(1).decode("utf-8") if value else "#ERROR!"
            found[int(match.group(2)) - 1, grid.column_index(match.group(1).decode("ascii"))] = text
    return found


def with_errors(tab: RawTab, errors: dict[tuple[int, int], str]) -> RawTab:
    """The tab with its error cells typed as ErrorCell, where calamine left blanks."""
    if not errors:
        return tab
    rows = list(tab.rows)
    copied: set[int] = set()  # rows are copied before a change: a blank one may be shared
    for (row, column), text in errors.items():
        while len(rows) <= row:
            rows.append([])
        if row not in copied:
            rows[row] = list(rows[row])
            copied.add(row)
        cells = rows[row]
        cells.extend([None] * (column + 1 - len(cells)))
        cells[column] = ErrorCell(text)
    return RawTab(tab.title, rows)


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
