"""Where everything is in a workbook package: its sheets, their parts and
relationships, and the marks of the tabs sheetsync owns.
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field

from sheetsync.backends.xlsx.unreadable import unreadable
from sheetsync.errors import DamagedPartError
from sheetsync.units import SERIAL_EPOCH, SERIAL_EPOCH_1904

NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_CUSTOM = NS_R + "/custom-properties"
REL_DOCUMENT = NS_R + "/officeDocument"
REL_SHARED_STRINGS = NS_R + "/sharedStrings"
REL_STYLES = NS_R + "/styles"
ROOT_RELS = "_rels/.rels"
DEFAULT_WORKBOOK = "xl/workbook.xml"
CONTENT_TYPES = "[Content_Types].xml"
MARK = "sheetsync"
# The day serial 0 stands for: the 1900 date system (Windows Excel, LibreOffice,
# Google), or the 1904 one (<workbookPr date1904="1"/>, older Mac Excel), 1,462 days later.
EPOCH_1900 = SERIAL_EPOCH
EPOCH_1904 = SERIAL_EPOCH_1904


@dataclass(frozen=True)
class Rel:
    rel_id: str
    rel_type: str
    part: str  # resolved path inside the zip, no leading slash


@dataclass(frozen=True)
class Sheet:
    title: str
    sheet_id: int
    rel_id: str
    part: str


@dataclass
class Package:
    """The parts of a workbook that say where everything is."""

    zf: zipfile.ZipFile
    workbook: str
    sheets: list[Sheet]
    workbook_rels: list[Rel]
    root_rels: list[Rel]
    changed: dict[str, bytes] = field(default_factory=dict)
    dropped: set[str] = field(default_factory=set)
    new_parts: list[str] = field(default_factory=list)
    epoch: dt.date = EPOCH_1900  # of the workbook's date system, for the serials written

    def text(self, part: str) -> str:
        if part in self.changed:
            return self.changed[part].decode("utf-8")
        return self.zf.read(part).decode("utf-8")


def parse_part(data: bytes) -> ET.Element:
    # The parts come from the user's own workbook, and the expat shipped with
    # Python 3.11 refuses entity-expansion bombs.
    return ET.fromstring(data)  # noqa: S314


def read_rels(zf: zipfile.ZipFile, rels_part: str, source_dir: str) -> list[Rel]:
    if rels_part not in zf.namelist():
        return []
    rels = []
    for node in parse_part(zf.read(rels_part)).iter(f"{{{NS_PKG}}}Relationship"):
        if node.get("TargetMode") == "External":
            continue
        target = node.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.join(source_dir, target)
        rels.append(Rel(node.get("Id", ""), node.get("Type", ""), posixpath.normpath(part)))
    return rels


def open_package(zf: zipfile.ZipFile) -> Package:
    """The sheet list and relationships of an open workbook zip.

    DamagedPartError when a part every workbook has is missing or empty (see `_require`).
    """
    if not set(zf.namelist()) & {ROOT_RELS, DEFAULT_WORKBOOK}:
        raise unreadable("no_workbook")  # a zip of something else: nothing to repair
    _require(zf, ROOT_RELS)
    root_rels = read_rels(zf, ROOT_RELS, "")
    workbook = next((r.part for r in root_rels if r.rel_type == REL_DOCUMENT), DEFAULT_WORKBOOK)
    _require(zf, workbook)
    listed, epoch = _listed_sheets(parse_part(zf.read(workbook)))
    titles = tuple(title for title, _, _ in listed)
    rels = rels_of(workbook)
    _require(zf, rels, titles)
    wb_rels = read_rels(zf, rels, posixpath.dirname(workbook))
    sheets = _located(zf, listed, wb_rels, rels, titles)
    _require_shared_parts(zf, workbook, wb_rels, titles)
    return Package(zf, workbook, sheets, wb_rels, root_rels, epoch=epoch)


def _located(
    zf: zipfile.ZipFile,
    listed: list[tuple[str, int, str]],
    wb_rels: list[Rel],
    rels: str,
    titles: tuple[str, ...],
) -> list[Sheet]:
    """Each listed tab with its part, which must be in the package and not empty."""
    by_id = {r.rel_id: r for r in wb_rels}
    sheets = []
    for title, sheet_id, rel_id in listed:
        rel = by_id.get(rel_id)
        if rel is None:
            raise DamagedPartError(rels, "unlinked", tab=title, titles=titles)
        _require(zf, rel.part, titles, tab=title)
        sheets.append(Sheet(title, sheet_id, rel.rel_id, rel.part))
    return sheets


def _require_shared_parts(
    zf: zipfile.ZipFile, workbook: str, wb_rels: list[Rel], titles: tuple[str, ...]
) -> None:
    """The parts every tab depends on: content types, shared strings, styles."""
    _require(zf, CONTENT_TYPES, titles)
    parse_part(zf.read(CONTENT_TYPES))  # every write edits it: malformed is damaged now
    for rel in wb_rels:
        if rel.rel_type in (REL_SHARED_STRINGS, REL_STYLES):
            _require(zf, rel.part, titles)
    if not any(r.rel_type == REL_STYLES for r in wb_rels):
        # Every spreadsheet program saves one, and every write adds its formats to it.
        styles = posixpath.join(posixpath.dirname(workbook), "styles.xml")
        raise DamagedPartError(styles, "missing", titles=titles)


def _listed_sheets(root: ET.Element) -> tuple[list[tuple[str, int, str]], dt.date]:
    """(title, sheet id, relationship id) of each tab workbook.xml lists, and its epoch."""
    listed, epoch = [], EPOCH_1900
    for node in root.iter():
        if node.tag.endswith("}workbookPr") and node.get("date1904") in ("1", "true"):
            epoch = EPOCH_1904
        if node.tag.endswith("}sheet"):
            listed.append(
                (node.get("name", ""), int(node.get("sheetId", "0")), node.get(f"{{{NS_R}}}id", ""))
            )
    return listed, epoch


def _require(
    zf: zipfile.ZipFile, part: str, titles: tuple[str, ...] = (), *, tab: str | None = None
) -> None:
    """DamagedPartError unless the package holds `part` with something in it.

    A zip entry of 0 bytes is what a copy cut short or a sync tool's conflict leaves;
    no spreadsheet program saves one, and the XML readers would stop on it anyway,
    with a message that does not say which part.
    """
    try:
        info = zf.getinfo(part)
    except KeyError:
        raise DamagedPartError(part, "missing", tab=tab, titles=titles) from None
    if info.file_size == 0:
        raise DamagedPartError(part, "empty", tab=tab, titles=titles)


def rels_of(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def read_marks(package: Package) -> dict[str, str]:
    """Owned tab title -> fingerprint, from the custom document properties."""
    custom = next((r.part for r in package.root_rels if r.rel_type == REL_CUSTOM), None)
    if custom is None or custom not in package.zf.namelist():
        return {}
    chunks: dict[int, str] = {}
    for node in parse_part(package.zf.read(custom)):
        found = re.fullmatch(rf"{MARK}(?:\.(\d+))?", node.get("name", ""))
        if found:
            chunks[int(found.group(1) or 1)] = "".join(node.itertext())
    try:
        owned = json.loads("".join(chunks[i] for i in sorted(chunks)) or "{}").get("owned", {})
    except (ValueError, AttributeError):
        return {}  # damaged marks: own nothing rather than overwrite a user's tab
    return {str(k): str(v) for k, v in owned.items()} if isinstance(owned, dict) else {}
