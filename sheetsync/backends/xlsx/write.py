"""Writing owned tabs into an .xlsx by zip part surgery, never a load and save.

Every part that belongs to other tabs is copied byte for byte; only the
owned sheets' XML and the few index parts that list sheets and styles change.
"""

from __future__ import annotations

import json
import posixpath
import re
import shutil
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import IO
from xml.sax.saxutils import escape, quoteattr

from sheetsync import formats, template
from sheetsync.backends.base import tab_not_ours
from sheetsync.backends.xlsx import charts as xlsx_charts
from sheetsync.backends.xlsx import layout as xlsx_layout
from sheetsync.backends.xlsx.package import (
    CONTENT_TYPES,
    MARK,
    NS_R,
    REL_CUSTOM,
    REL_STYLES,
    ROOT_RELS,
    Package,
    Rel,
    Sheet,
    open_package,
    read_marks,
    rels_of,
)
from sheetsync.backends.xlsx.sheet import TableStyles, sheet_chunks, table_range
from sheetsync.backends.xlsx.unreadable import unreadable
from sheetsync.backends.xlsx.xmlparts import append_child as _append_child
from sheetsync.backends.xlsx.xmlparts import attributes as _attributes
from sheetsync.backends.xlsx.xmlparts import children as _children
from sheetsync.backends.xlsx.xmlparts import find_or_append, find_or_append_format
from sheetsync.backends.xlsx.xmlparts import section as _section
from sheetsync.errors import StructureError
from sheetsync.model import OutputTable

NS_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
NS_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
REL_WORKSHEET = NS_R + "/worksheet"
REL_CALC_CHAIN = NS_R + "/calcChain"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_CUSTOM = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
# Excel keeps at most 255 characters of a text property, so the marks are
# stored in chunks named sheetsync, sheetsync.2, sheetsync.3, ...
MARK_CHUNK = 250
COPY_CHUNK = 1 << 20  # bytes of a part copied at a time
CUSTOM_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
# Generated parts get a fixed time stamp so identical syncs give identical files.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


# ------------------------------------------------------------------ styles


def add_styles(xml: str, tables: Sequence[OutputTable]) -> tuple[str, list[TableStyles]]:
    """Cell styles (xf indexes) for the header and each column kind of each table."""
    fonts = _section(xml, "fonts")
    first_font = _children(fonts.group(2) or "", "font")[0] if fonts else "<font></font>"
    # The workbook's default font, bold: headers look like the rest of the file.
    unbolded = re.sub(r"<b\b[^>]*/>", "", first_font)
    bold = re.sub(r"^<font\b[^>]*?>", "<font><b/>", unbolded)
    if unbolded.endswith("/>"):
        bold = "<font><b/></font>"
    xml, bold_id = find_or_append(xml, "fonts", "font", bold)
    plain = '<xf numFmtId="{}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    header_xf = (
        f'<xf numFmtId="0" fontId="{bold_id}" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    )
    xml, header = find_or_append(xml, "cellXfs", "xf", header_xf)
    result = []
    for table in tables:
        by_kind: dict[str, int] = {}
        for kind in dict.fromkeys(table.kinds):  # in order: same styles every run
            code = formats.number_format(kind, table.currency)
            if code is not None:
                xml, fmt_id = find_or_append_format(xml, code)
                xml, by_kind[kind] = find_or_append(xml, "cellXfs", "xf", plain.format(fmt_id))
        result.append(TableStyles(header, by_kind))
    return xml, result


# ------------------------------------------------------------------ surgery


def _insert_before(package: Package, part: str, closing: str, snippet: str) -> None:
    text = package.text(part)
    found = list(re.finditer(closing, text))
    if not found:
        raise unreadable("part", part=part)
    at = found[-1].start()
    package.changed[part] = (text[:at] + snippet + text[at:]).encode("utf-8")


def _remove(package: Package, part: str, pattern: str) -> None:
    package.changed[part] = re.sub(pattern, "", package.text(part)).encode("utf-8")


def _free_name(package: Package, pattern: str) -> str:
    taken = set(package.zf.namelist()) | set(package.new_parts)
    return next(
        pattern.format(n) for n in range(1, len(taken) + 2) if pattern.format(n) not in taken
    )


def _add_part(package: Package, part: str, content_type: str) -> None:
    package.new_parts.append(part)
    override = f'<Override PartName="/{part}" ContentType="{content_type}"/>'
    _insert_before(package, CONTENT_TYPES, r"</(?:\w+:)?Types>", override)


def _add_sheet(package: Package, title: str, *, hidden: bool = False) -> str:
    folder = posixpath.join(posixpath.dirname(package.workbook), "worksheets")
    part = _free_name(package, folder + "/sheet{}.xml")
    rel_ids = {r.rel_id for r in package.workbook_rels}
    rel_id = next(f"rId{n}" for n in range(1, len(rel_ids) + 2) if f"rId{n}" not in rel_ids)
    sheet_id = max((s.sheet_id for s in package.sheets), default=0) + 1
    package.workbook_rels.append(Rel(rel_id, REL_WORKSHEET, part))
    package.sheets.append(Sheet(title, sheet_id, rel_id, part))
    target = posixpath.relpath(part, posixpath.dirname(package.workbook))
    relation = f'<Relationship Id="{rel_id}" Type="{REL_WORKSHEET}" Target="{target}"/>'
    _insert_before(package, rels_of(package.workbook), r"</(?:\w+:)?Relationships>", relation)
    closing = re.search(r"</(\w+:)?sheets>", package.text(package.workbook))
    prefix = closing.group(1) or "" if closing else ""
    element = (
        f'<{prefix}sheet name={quoteattr(title)} sheetId="{sheet_id}" '
        + ('state="hidden" ' if hidden else "")
        + f'xmlns:r="{NS_R}" r:id="{rel_id}"/>'
    )
    _insert_before(package, package.workbook, r"</(?:\w+:)?sheets>", element)
    _add_part(package, part, CT_WORKSHEET)
    return part


def place_charts(package: Package, parts: Sequence[str], tables: Sequence[OutputTable]) -> None:
    """Give each written sheet its table's charts, dropping those an earlier sync made."""
    names = package.zf.namelist()
    for part, table in zip(parts, tables, strict=True):
        made = xlsx_charts.chart_parts(part, table, tables) if table.charts else None
        wanted = made.parts if made else {}
        for stale in sorted(xlsx_charts.our_parts(part, names) - set(wanted)):
            package.dropped.add(stale)
            override = rf'<Override\b[^>]*\bPartName="/{re.escape(stale)}"[^>]*/>'
            _remove(package, CONTENT_TYPES, override)
        for name, data in wanted.items():
            # Changed parts win over dropped ones, so a sheet's old .rels is replaced in place.
            package.changed[name] = data
            if name in names:
                continue
            if made and name in made.content_types:
                _add_part(package, name, made.content_types[name])
            else:
                package.new_parts.append(name)


def _forget_extras(package: Package, sheet: Sheet) -> None:
    """Drop what the old owned sheet pointed to that the new one does not."""
    rels = rels_of(sheet.part)
    if rels in package.zf.namelist():
        package.dropped.add(rels)
    had_formulas = re.search(rb"<(?:\w+:)?f[\s>/]", package.zf.read(sheet.part))
    chain = next((r for r in package.workbook_rels if r.rel_type == REL_CALC_CHAIN), None)
    if had_formulas and chain is not None:
        # The calculation chain would name cells that no longer hold formulas;
        # Excel rebuilds it when it is missing.
        package.dropped.add(chain.part)
        _remove(
            package,
            rels_of(package.workbook),
            rf'<Relationship\b[^>]*\bId="{chain.rel_id}"[^>]*/>',
        )
        _remove(
            package, CONTENT_TYPES, rf'<Override\b[^>]*\bPartName="/{re.escape(chain.part)}"[^>]*/>'
        )


def _not_owned(title: str) -> StructureError:
    lang: template.Lang = "fr" if any(t.fr == title for t in template.load().outputs) else "en"
    return tab_not_ours(lang, [title])


def plan_sheets(
    package: Package, owned: dict[str, str], tables: Sequence[OutputTable]
) -> list[str]:
    """The sheet part each table goes to, adding new tabs after the existing ones."""
    parts = []
    for table in tables:
        # Excel tab names are unique ignoring case.
        sheet = next(
            (s for s in package.sheets if s.title.casefold() == table.title.casefold()), None
        )
        if sheet is not None and sheet.title not in owned:
            raise _not_owned(sheet.title)
        if sheet is None:
            parts.append(_add_sheet(package, table.title, hidden=table.hidden))
        else:
            _forget_extras(package, sheet)
            parts.append(sheet.part)
    return parts


def _filter_name(position: int, title: str, ref: str) -> str:
    quoted = "'" + title.replace("'", "''") + "'"
    first, last = ref.split(":")
    cells = "$" + re.sub(r"(\d+)", r"$\1", first) + ":$" + re.sub(r"(\d+)", r"$\1", last)
    return (
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{position}" hidden="1">'
        f"{escape(quoted)}!{cells}</definedName>"
    )


def set_filter_names(package: Package, tables: Sequence[OutputTable]) -> None:
    """Name each written tab's filter range, which LibreOffice needs to show the filter."""
    text = package.text(package.workbook)
    positions = {s.title: n for n, s in enumerate(package.sheets)}
    wanted = {str(positions[t.title]) for t in tables}
    for element in _children(text, r"(?:\w+:)?definedName"):
        attributes = {name: a or b for name, a, b in _attributes(element)}
        ours = attributes.get("localSheetId") in wanted
        if ours and attributes.get("name") == "_xlnm._FilterDatabase":
            text = text.replace(element, "", 1)
    names = "".join(_filter_name(positions[t.title], t.title, table_range(t)) for t in tables)
    found = _section(text, r"(?:\w+:)?definedNames")
    if found is not None:
        text = _append_child(text, found, names, None)
    else:
        after = list(re.finditer(r"</(?:\w+:)?(?:sheets|externalReferences)>", text))[-1]
        text = text[: after.end()] + f"<definedNames>{names}</definedNames>" + text[after.end() :]
    package.changed[package.workbook] = text.encode("utf-8")


def _mark_elements(marks: dict[str, str], prefix: str, first_pid: int) -> str:
    text = json.dumps({"owned": marks}, sort_keys=True, separators=(",", ":"))
    chunks = [text[i : i + MARK_CHUNK] for i in range(0, len(text), MARK_CHUNK)]
    return "".join(
        f'<{prefix}property fmtid="{CUSTOM_FMTID}" pid="{first_pid + n}" '
        f'name="{MARK if n == 0 else f"{MARK}.{n + 1}"}">'
        f'<vt:lpwstr xmlns:vt="{NS_VT}">{escape(chunk)}</vt:lpwstr></{prefix}property>'
        for n, chunk in enumerate(chunks)
    )


def write_marks(package: Package, marks: dict[str, str]) -> None:
    """Store owned-tab fingerprints in the custom properties, creating them if needed."""
    custom = next((r.part for r in package.root_rels if r.rel_type == REL_CUSTOM), None)
    if custom is None or custom not in package.zf.namelist():
        custom = "docProps/custom.xml"
        if custom in package.zf.namelist():
            custom = _free_name(package, "docProps/custom{}.xml")
        package.changed[custom] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Properties xmlns="{NS_CUSTOM}" xmlns:vt="{NS_VT}"></Properties>'
        ).encode()
        _add_part(package, custom, CT_CUSTOM)
        relation = f'<Relationship Id="sheetsync-custom" Type="{REL_CUSTOM}" Target="{custom}"/>'
        _insert_before(package, ROOT_RELS, r"</(?:\w+:)?Relationships>", relation)
    pattern = rf'<(?:\w+:)?property\b[^>]*\bname="{MARK}(?:\.\d+)?"[^>]*>.*?</(?:\w+:)?property>'
    _remove(package, custom, pattern)
    text = package.text(custom)
    pids = [int(p) for p in re.findall(r'\bpid="(\d+)"', text)]
    closing = re.search(r"</(\w+:)?Properties>", text)
    prefix = (closing.group(1) or "") if closing else ""
    elements = _mark_elements(marks, prefix, max([1, *pids]) + 1)
    _insert_before(package, custom, r"</(?:\w+:)?Properties>", elements)


def _clone(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    clone = zipfile.ZipInfo(info.filename, info.date_time)
    clone.compress_type = info.compress_type
    clone.external_attr = info.external_attr
    return clone


def _copy(info: zipfile.ZipInfo, data: bytes, zout: zipfile.ZipFile) -> None:
    zout.writestr(_clone(info), data)


def _copy_part(source: zipfile.ZipFile, info: zipfile.ZipInfo, zout: zipfile.ZipFile) -> None:
    """A part copied as it is, a megabyte at a time: an input tab of 100k rows is
    tens of megabytes of XML once inflated, never held whole."""
    with source.open(info) as read, zout.open(_clone(info), "w") as out:
        shutil.copyfileobj(read, out, COPY_CHUNK)


def _stream_sheet(part: str, chunks: Iterator[str], zout: zipfile.ZipFile) -> None:
    info = zipfile.ZipInfo(part, FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    with zout.open(info, "w") as out:
        for chunk in chunks:
            out.write(chunk.encode("utf-8"))


def rewrite(source: zipfile.ZipFile, dest: IO[bytes], tables: Sequence[OutputTable]) -> None:
    """Write `source` to `dest` with the tables' tabs created or replaced.

    Raises StructureError, before writing anything, when a title is held by
    a tab sheetsync did not create.
    """
    package = open_package(source)
    owned = read_marks(package)
    parts = plan_sheets(package, owned, tables)
    place_charts(package, parts, tables)
    # open_package made sure there is one.
    styles_part = next(r.part for r in package.workbook_rels if r.rel_type == REL_STYLES)
    styles_xml, styles = add_styles(package.text(styles_part), tables)
    header = styles[0].header if styles else 0
    styles_xml, looks = xlsx_layout.add_styles(styles_xml, tables, header)
    styles = [replace(s, look=look) for s, look in zip(styles, looks, strict=True)]
    package.changed[styles_part] = styles_xml.encode("utf-8")
    titles = {s.title for s in package.sheets}
    marks = {t: f for t, f in owned.items() if t in titles} | {
        t.title: t.fingerprint() for t in tables
    }
    write_marks(package, marks)
    set_filter_names(package, tables)
    workbook = package.text(package.workbook)
    order = [s.title for s in package.sheets]
    package.changed[package.workbook] = xlsx_layout.arrange(workbook, order, tables).encode()
    sheets = {
        part: sheet_chunks(t, s, package.epoch)
        for part, t, s in zip(parts, tables, styles, strict=True)
    }
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in source.infolist():
            if info.filename in sheets:
                _stream_sheet(info.filename, sheets[info.filename], zout)
            elif info.filename in package.changed:
                _copy(info, package.changed[info.filename], zout)
            elif info.filename not in package.dropped:
                _copy_part(source, info, zout)
        for part in package.new_parts:
            if part in sheets:
                _stream_sheet(part, sheets[part], zout)
            else:
                info = zipfile.ZipInfo(part, FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                _copy(info, package.changed[part], zout)
