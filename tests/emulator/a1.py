"""A1 notation for the emulator: parse ranges with quoted sheet names, print them back.

Ranges are turned into 0-based half-open grid bounds, clamped to the sheet's grid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CELLS = re.compile(r"^([A-Za-z]{0,3})(\d*)(?::([A-Za-z]{0,3})(\d*))?$")  # columns end at ZZZ
_PLAIN_TITLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class RangeError(ValueError):
    """A range that cannot be parsed (answered as 400 by the emulator)."""


@dataclass(frozen=True)
class A1Range:
    """A parsed range: sheet title (None = first sheet) and optional bounds."""

    title: str | None
    start_row: int | None = None
    end_row: int | None = None  # exclusive
    start_col: int | None = None
    end_col: int | None = None  # exclusive


@dataclass(frozen=True)
class Bounds:
    """Concrete 0-based half-open bounds inside one sheet."""

    start_row: int
    end_row: int
    start_col: int
    end_col: int


def column_index(letters: str) -> int:
    """0-based index of a column given by letters (A -> 0, AA -> 26)."""
    index = 0
    for char in letters.upper():
        index = index * 26 + (ord(char) - ord("A") + 1)
    return index - 1


def column_letters(index: int) -> str:
    """Letters of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def quote_title(title: str) -> str:
    """The title as Google prints it in a range: quoted unless plain."""
    looks_like_cell = re.fullmatch(r"[A-Za-z]{1,3}\d+", title) is not None
    if _PLAIN_TITLE.match(title) and not looks_like_cell:
        return title
    return "'" + title.replace("'", "''") + "'"


def _split_quoted(text: str) -> tuple[str, str]:
    """Split "'It''s'!A1" into ("It's", "A1")."""
    i = 1
    title = []
    while i < len(text):
        if text[i] == "'":
            if text[i + 1 : i + 2] == "'":
                title.append("'")
                i += 2
                continue
            rest = text[i + 1 :]
            if rest and not rest.startswith("!"):
                raise RangeError(text)
            return "".join(title), rest[1:]
        title.append(text[i])
        i += 1
    raise RangeError(text)


def _cells(text: str, title: str | None) -> A1Range:
    found = _CELLS.match(text)
    if not found or not text:
        raise RangeError(text)
    col1, row1, col2, row2 = found.groups()
    if ":" not in text:
        col2, row2 = col1, row1
    return A1Range(
        title,
        int(row1) - 1 if row1 else None,
        int(row2) if row2 else None,
        column_index(col1) if col1 else None,
        column_index(col2) + 1 if col2 else None,
    )


def parse(text: str) -> A1Range:
    """Parse an A1 range as the Sheets API accepts it."""
    text = text.strip()
    if text.startswith("'"):
        title, cells = _split_quoted(text)
        return _cells(cells, title) if cells else A1Range(title)
    if "!" in text:
        title, cells = text.rsplit("!", 1)
        return _cells(cells, title)
    if _CELLS.match(text) and any(c.isdigit() for c in text):
        return _cells(text, None)
    return A1Range(text)


def bounds(parsed: A1Range, row_count: int, col_count: int) -> Bounds:
    """Concrete bounds of a parsed range on a grid of the given size."""
    start_row = parsed.start_row or 0
    start_col = parsed.start_col or 0
    end_row = row_count if parsed.end_row is None else min(parsed.end_row, row_count)
    end_col = col_count if parsed.end_col is None else min(parsed.end_col, col_count)
    return Bounds(start_row, max(end_row, start_row), start_col, max(end_col, start_col))


def render(title: str, area: Bounds) -> str:
    """The range string Google answers with, e.g. 'My tab'!A1:C10."""
    first = f"{column_letters(area.start_col)}{area.start_row + 1}"
    last = f"{column_letters(max(area.end_col - 1, area.start_col))}{max(area.end_row, 1)}"
    return f"{quote_title(title)}!{first}:{last}"
