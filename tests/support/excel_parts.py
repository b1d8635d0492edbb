"""Workbooks edited in their XML as Excel would have saved them, for tests that need a
package laid out as Excel lays it out (openpyxl writes text inline)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path


def to_shared_strings(path: Path) -> None:
    """Store the workbook's text as Excel does: in the shared string table, not inline."""
    with zipfile.ZipFile(path) as source:
        parts = {info: source.read(info) for info in source.infolist()}
    table: list[bytes] = []

    def shared(found: re.Match[bytes]) -> bytes:
        table.append(found.group(2))
        return found.group(1) + b't="s"><v>' + str(len(table) - 1).encode() + b"</v></c>"

    inline = re.compile(rb'(<c r="[A-Z]+[0-9]+"(?: s="[0-9]+")? )t="inlineStr"><is>(.*?)</is></c>')
    for info in list(parts):
        if info.filename.startswith("xl/worksheets/"):
            parts[info] = inline.sub(shared, parts[info])
    main = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    strings = b"".join(b"<si>" + s + b"</si>" for s in table)
    sst = b'<sst xmlns="' + main + b'" count="%d">' % len(table) + strings + b"</sst>"
    rel = (
        b'<Relationship Id="rIdSst" Target="sharedStrings.xml" Type="http://schemas.'
        b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>'
    )
    override = (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dest:
        additions = {
            "xl/_rels/workbook.xml.rels": (b"</Relationships>", rel),
            "[Content_Types].xml": (b"</Types>", override),
        }
        for info, data in parts.items():
            closing, added = additions.get(info.filename, (b"", b""))
            dest.writestr(info, data.replace(closing, added) if closing else data)
        dest.writestr("xl/sharedStrings.xml", sst)
