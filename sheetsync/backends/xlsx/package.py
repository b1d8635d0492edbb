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

NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_CUSTOM = NS_R + "/custom-properties"
REL_DOCUMENT = NS_R + "/officeDocument"
ROOT_RELS = "_rels/.rels"
MARK = "sheetsync"
# The day serial 0 stands for: the 1900 date system (Windows Excel, LibreOffice,
# Google), or the 1904 one (<workbookPr date1904="1"/>, older Mac Excel), 1,462 days later.
EPOCH_1900 = dt.date(1899, 12, 30)
EPOCH_1904 = dt.date(1904, 1, 1)


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
    """The sheet list and relationships of an open workbook zip."""
    root_rels = read_rels(zf, ROOT_RELS, "")
    workbook = next((r.part for r in root_rels if r.rel_type == REL_DOCUMENT), "xl/workbook.xml")
    if workbook not in zf.namelist():
        raise unreadable("no_workbook")
    wb_rels = read_rels(zf, rels_of(workbook), posixpath.dirname(workbook))
    by_id = {r.rel_id: r for r in wb_rels}
    sheets, epoch = [], EPOCH_1900
    for node in parse_part(zf.read(workbook)).iter():
        if node.tag.endswith("}workbookPr") and node.get("date1904") in ("1", "true"):
            epoch = EPOCH_1904
        if node.tag.endswith("}sheet"):
            rel = by_id.get(node.get(f"{{{NS_R}}}id", ""))
            part = rel.part if rel else ""
            sheets.append(
                Sheet(
                    node.get("name", ""),
                    int(node.get("sheetId", "0")),
                    rel.rel_id if rel else "",
                    part,
                )
            )
    return Package(zf, workbook, sheets, wb_rels, root_rels, epoch=epoch)


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
