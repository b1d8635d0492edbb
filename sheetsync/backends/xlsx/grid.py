"""Reading a tab's cells at a cost that follows the cells present, not the grid they span.

calamine, which types the cells (shared strings, styles, dates), hands over a
tab as one dense grid from A1 to its farthest cell: a single value in column
XFD or in row 1,048,576 makes a grid of millions of blanks. A tab whose cells
fill little of the grid they span is read from a compact copy instead: its
present rows and columns renumbered side by side in the sheet's XML (nothing
else changes, so calamine types every cell as before), then put back at their
places, a blank row being one shared empty list.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Sequence

from sheetsync.formats import column_letter

# A grid at most this many times larger than what is present (plus a margin) is read as it is.
SPARSE_RATIO = 4
ROW_MARGIN = 1_000
CELL_MARGIN = 65_536
_ROW_REF = re.compile(rb'<row r="([0-9]+)"')
_CELL_REF = re.compile(rb'(<c r=")([A-Z]{1,3})([0-9]+)(")')
_ROW_ATTR = re.compile(rb'(<row r=")([0-9]+)(")')
_DIMENSION = re.compile(rb"<dimension\b[^>]*/>")
_CELL_LETTERS = re.compile(rb'<c r="([A-Z]{1,3})')
_PAST_Z = re.compile(rb'<c r="[A-Z]{2}')


def column_index(letters: str) -> int:
    """0-based index of a column name: A -> 0, XFD -> 16383."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number - 1


def is_sparse(xml: bytes) -> bool:
    """Whether the cells present fill little of the grid from A1 to the farthest one.

    Only the tags are counted and scanned (not the declared <dimension>, which a
    program may have left claiming the whole grid), with C-speed scans for the
    common narrow tab. A sheet whose rows or cells do not all say first where they
    are (`r` is optional) is left to calamine.
    """
    cells, rows = xml.count(b"<c "), xml.count(b"<row ")
    if not cells or cells != xml.count(b'<c r="') or rows != xml.count(b'<row r="'):
        return False
    if b"<c>" in xml or b"<row>" in xml:
        return False
    last = _ROW_REF.match(xml, xml.rfind(b'<row r="'))
    last_row = int(last.group(1)) if last else 0
    if last_row > SPARSE_RATIO * rows + ROW_MARGIN:
        return True
    if not _PAST_Z.search(xml):
        return False  # at most 26 columns, rows close together: a small grid
    width = max(column_index(c.decode()) for c in set(_CELL_LETTERS.findall(xml))) + 1
    return last_row * width > SPARSE_RATIO * cells + CELL_MARGIN


def compact(xml: bytes) -> tuple[bytes, list[int], list[int]]:
    """The sheet with its present rows and columns numbered 1, 2, 3…, and the original
    (0-based) row and column of each compact one."""
    rows = sorted({int(n) for n in _ROW_REF.findall(xml)})
    letters = sorted({c.decode() for c in _CELL_LETTERS.findall(xml)}, key=column_index)
    new_row = {str(n).encode(): str(at).encode() for at, n in enumerate(rows, start=1)}
    new_column = {c.encode(): column_letter(at).encode() for at, c in enumerate(letters)}
    xml = _DIMENSION.sub(b"", xml)
    xml = _ROW_ATTR.sub(lambda m: m[1] + new_row[m[2]] + m[3], xml)
    xml = _CELL_REF.sub(lambda m: m[1] + new_column[m[2]] + new_row[m[3]] + m[4], xml)
    return xml, [n - 1 for n in rows], [column_index(c) for c in letters]


def compact_package(source: zipfile.ZipFile, sparse: dict[str, bytes]) -> io.BytesIO:
    """An in-memory copy of the workbook with these sheet parts replaced (stored, not
    compressed: it is read once and thrown away)."""
    copy = io.BytesIO()
    with zipfile.ZipFile(copy, "w", zipfile.ZIP_STORED) as out:
        for info in source.infolist():
            data = sparse.get(info.filename)
            out.writestr(info.filename, data if data is not None else source.read(info))
    copy.seek(0)
    return copy


def spread(
    rows: Sequence[Sequence[object]], row_at: Sequence[int], column_at: Sequence[int]
) -> Iterator[tuple[int, list[tuple[int, object]]]]:
    """Each compact row's original position and its (original column, value) pairs."""
    for compact_row, values in enumerate(rows):
        if compact_row < len(row_at):
            cells = [(column_at[c], v) for c, v in enumerate(values) if c < len(column_at)]
            yield row_at[compact_row], cells
