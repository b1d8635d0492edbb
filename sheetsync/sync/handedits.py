"""Hand edits of output tabs: a tab someone typed into since sheetsync last wrote
it is kept as a dated copy before the new one replaces it, with a warning.

The mark of an owned tab is the fingerprint of the table written there; the
tab's cells, read back and typed by its columns' kinds, give the same
fingerprint unless someone changed them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from sheetsync.messages import message, say, severity
from sheetsync.model import Anomaly, CellValue, OutputTable, RawTab, RawWorkbook
from sheetsync.template import Column, Lang, Tab, load, normalize
from sheetsync.units import to_cents

COPY_KEY = "hand_edited_copy"


@dataclass(frozen=True)
class HandEdits:
    """The edited output tabs found, their dated copies and the warnings to show."""

    titles: tuple[str, ...]
    copies: tuple[OutputTable, ...]
    anomalies: tuple[Anomaly, ...]


def is_output_title(title: str) -> bool:
    """Whether a tab title names one of the template's output tabs, in any language."""
    return any(normalize(title) in tab.match_keys() for tab in load().outputs)


def find(raw: RawWorkbook, lang: Lang, currency: str, today: dt.date) -> HandEdits:
    """Owned output tabs whose cells differ from what sheetsync last wrote there."""
    titles: list[str] = []
    copies: list[OutputTable] = []
    taken = set(raw.all_titles)
    for tab in load().outputs:
        title = tab.name(lang)
        sheet = raw.tabs.get(title)
        mark = raw.owned.get(title)
        if sheet is None or mark is None or as_written(sheet, tab, lang, currency) == mark:
            continue
        copy = dated_copy(sheet, tab, lang, _free_title(title, lang, today, taken))
        taken.add(copy.title)
        titles.append(title)
        copies.append(copy)
    anomalies = tuple(_warning(lang, t, c.title) for t, c in zip(titles, copies, strict=True))
    return HandEdits(tuple(titles), tuple(copies), anomalies)


def to_rewrite(tables: Sequence[OutputTable], edits: HandEdits) -> list[OutputTable]:
    """The tables, those of edited tabs marked to be written even if their content is the same."""
    return [replace(t, rewrite=True) if t.title in edits.titles else t for t in tables]


def as_written(sheet: RawTab, tab: Tab, lang: Lang, currency: str) -> str:
    """The fingerprint the tab's cells would have if sheetsync had written them
    ("" when the header or the width shows an edit by itself)."""
    if not sheet.rows:
        return ""
    columns = _columns_written(sheet.rows[0], tab, lang)
    if columns is None:
        return ""
    kinds = tuple(c.kind for c in columns)
    header = tuple(c.name(lang) for c in columns)
    wide = max(map(len, sheet.rows)) > len(kinds)  # at C speed over a million blank rows
    if wide and any(_beyond(r, len(kinds)) for r in sheet.rows):
        return ""
    rows = _typed_rows(kinds, sheet.rows[1:])
    return OutputTable(tab.key, sheet.title, header, kinds, rows, currency).fingerprint()


def _typed_rows(kinds: tuple[str, ...], body: list[list[CellValue]]) -> list[tuple[object, ...]]:
    """The body typed column by column; blank rows (a far value leaves a million of
    them) are one shared tuple of blanks, typing only the rows with cells."""
    filled = [n for n, r in enumerate(body) if r.count(None) != len(r)]
    rows = _typed_dense(kinds, [body[n] for n in filled])
    if len(filled) == len(body):
        return rows
    typed_body: list[tuple[object, ...]] = [(None,) * len(kinds)] * len(body)
    for n, row in zip(filled, rows, strict=True):
        typed_body[n] = row
    return typed_body


def _typed_dense(kinds: tuple[str, ...], body: list[list[CellValue]]) -> list[tuple[object, ...]]:
    columns = zip(*(_padded(r, len(kinds)) for r in body), strict=True) if body else ()
    typed_columns = [
        _typed_column(kind, list(column)) for kind, column in zip(kinds, columns, strict=False)
    ]
    return list(zip(*typed_columns, strict=True)) if body else []


def _typed_column(kind: str, column: list[CellValue]) -> list[object]:
    """`typed` over a whole column at once: the large owned tabs are read back each sync."""
    if kind == "date":
        return [v.date() if type(v) is dt.datetime else v for v in column]
    convert = _NUMBER_KINDS.get(kind)
    if convert is None:
        return list(column)
    return [
        convert(v) if type(v) in _NUMBERS and math.isfinite(v) else v  # type: ignore[arg-type]
        for v in column
    ]


_NUMBERS = (int, float)  # exactly: a bool is kept as it is


def typed(kind: str, value: CellValue) -> object:
    """A cell read back as the report typed it for this column kind; anything
    that does not fit the kind is kept as it is (so the copy keeps it too)."""
    if isinstance(value, dt.datetime) and kind == "date":
        return value.date()
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return value
    convert = _NUMBER_KINDS.get(kind)
    return convert(value) if convert else value


def _whole(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


# Money is written in currency units and held in cents; the rest as floats or ints.
_NUMBER_KINDS: dict[str, Callable[[float], object]] = {
    "money": to_cents,
    "integer": _whole,
    "percent": float,
    "factor": float,
    "hours": float,
}


def dated_copy(sheet: RawTab, tab: Tab, lang: Lang, title: str) -> OutputTable:
    """The edited tab's cells as a table to write under `title`, typed where they fit."""
    width = max((len(r) for r in sheet.rows), default=0)
    kinds = tuple(c.kind for c in tab.columns)
    kinds = (kinds + ("text",) * width)[: max(width, 1)]
    header = _header(sheet.rows[0] if sheet.rows else [], len(kinds))
    # A blank row is one shared empty tuple, written as no row at all: a value typed in
    # row 1,048,576 costs its cells, not a million rows of blanks.
    rows: list[tuple[object, ...]] = [
        tuple(typed(k, v) for k, v in zip(kinds, _padded(r, len(kinds)), strict=True))
        if r.count(None) != len(r)
        else ()
        for r in sheet.rows[1:]
    ]
    return OutputTable(COPY_KEY, title, header, kinds, rows)


def _columns_written(row: Sequence[CellValue], tab: Tab, lang: Lang) -> list[Column] | None:
    """The template's columns the tab's header shows, in order: all of them, or — a
    tab written by an earlier release, before columns were added (Paiements' Report) —
    those it had. None when the header is not one sheetsync writes."""
    columns = list(tab.columns)
    if _header(row, len(columns)) == tuple(c.name(lang) for c in columns):
        return columns
    shown = [str(v) for v in row if v is not None]
    older = [c for c in columns if c.name(lang) in shown]
    if older and _header(row, len(older)) == tuple(c.name(lang) for c in older):
        return older
    return None


def _header(row: Sequence[CellValue], width: int) -> tuple[str, ...]:
    return tuple("" if v is None else str(v) for v in _padded(row, width))


def _padded(row: Sequence[CellValue], width: int) -> list[CellValue]:
    return list(row[:width]) + [None] * (width - len(row))


def _beyond(row: Sequence[CellValue], width: int) -> bool:
    return any(v is not None for v in row[width:])


MAX_TITLE = 31  # Excel refuses longer tab titles (Google allows 100: the lower one wins)


def _free_title(title: str, lang: Lang, today: dt.date, taken: set[str]) -> str:
    """`Mensuel (modifié 2026-06-30)`, the tab's title shortened with "…" so the whole
    stays within 31 characters, and numbered when that title is taken."""
    suffix = say(lang, "ledger.handedits.edited", date=today.isoformat())
    number = 1
    while True:
        tail = suffix if number == 1 else f"{suffix} {number}"
        room = MAX_TITLE - len(tail)
        head = title if len(title) <= room else title[: room - 1].rstrip() + "…"
        if (candidate := head + tail) not in taken:
            return candidate
        number += 1


def _warning(lang: Lang, title: str, copy: str) -> Anomaly:
    code = "hand_edited_output"
    text = message(code, lang, title=title, copy=copy)
    return Anomaly(severity(code), title, None, None, "", text, code)
