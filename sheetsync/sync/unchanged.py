"""The unchanged-sync fast path: when the input cells, the as-of date and the program
are those of the last sync, and the tabs it wrote are still there untouched, the
books would come out the same: parse, rules and ledger are skipped, nothing is written.

The last full sync keeps a record in the state: a digest of what it read, the tabs it
wrote (title -> fingerprint), and what the terminal and --json show that the tabs
cannot give back (anomaly codes). The terminal and --json of a fast sync show the same
groups and anomalies as the last sync, read back from the sheet and the record.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import json
import marshal
import pickle
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

import sheetsync
from sheetsync.books.rules import Figures
from sheetsync.ledger import frames, state
from sheetsync.ledger.state import State
from sheetsync.model import (
    Anomaly,
    Book,
    CellValue,
    OutputTable,
    RawWorkbook,
    Severity,
)
from sheetsync.parse.settings import default_settings
from sheetsync.sync import handedits
from sheetsync.template import Lang, lang_of, load, normalize

Json = Any
CHUNK_ROWS = 20_000  # rows hashed at a time: a large tab is never one huge string
# Said once, by the sync that saw a hand edit: the next sync's tabs differ, so that
# sync keeps the record it found (its Anomalies tab no longer matches it).
TRANSIENT = frozenset({"hand_edited_output"})


def _is_input(title: str) -> bool:
    return any(normalize(title) in tab.match_keys() for tab in load().inputs)


def digest(raw: RawWorkbook, as_of: dt.date, version: str | None = None) -> str:
    """sha256 of the input tabs' cells as read, the titles of the tabs sheetsync does
    not own, the locale, the effective as-of date and the program version."""
    theirs = [t for t in raw.all_titles if t not in raw.owned]
    head = [version or sheetsync.__version__, as_of.isoformat(), raw.locale, theirs]
    hashed = hashlib.sha256(json.dumps(head, ensure_ascii=False).encode("utf-8"))
    for title, tab in raw.tabs.items():
        if title in raw.owned or not _is_input(title):
            continue
        hashed.update(json.dumps([title, len(tab.rows)]).encode("utf-8"))
        for start in range(0, len(tab.rows), CHUNK_ROWS):
            hashed.update(_cells_bytes(tab.rows[start : start + CHUNK_ROWS]))
    return hashed.hexdigest()


def _cells_bytes(rows: list[list[CellValue]]) -> bytes:
    """Rows of cells as bytes, their types kept, equal cells giving equal bytes.

    marshal (version 2: no references) when every cell is a plain value. A local
    workbook's dates, which marshal has no type for, are written as ("date", ordinal),
    a tuple never being a cell; the cells then go in one flat list after each row's
    length (a list per row would cost more than the marshalling). Else pickle in fast
    mode, which never refers back to an object already written, so a cell's bytes do
    not depend on which other cells are the same object: date-times, times and error
    cells pickle by value.
    """
    try:
        return marshal.dumps(rows, 2)
    except ValueError:
        pass
    lengths = [len(row) for row in rows]
    cells = [("date", v.toordinal()) if type(v) is dt.date else v for row in rows for v in row]
    try:
        return marshal.dumps((lengths, cells), 2)
    except ValueError:
        out = io.BytesIO()
        pickler = pickle.Pickler(out, protocol=5)
        pickler.fast = True  # no memo: see above
        pickler.dump(rows)
        return out.getvalue()


# ---------------------------------------------------------------- the record


def record(
    seen: str, book: Book, anomalies: Sequence[Anomaly], tables: Sequence[OutputTable]
) -> Json:
    """What a full sync keeps for the next one; `tables` without the state tab."""
    return {
        "digest": seen,
        "lang": book.lang,
        "currency": book.settings.currency,
        "tabs": {t.title: t.fingerprint() for t in tables},
        "anomalies": [
            [a.severity.value, a.tab, a.row, a.column, a.value, a.message, a.code]
            for a in anomalies
        ],
    }


def with_record(
    kept: State,
    seen: str,
    book: Book,
    anomalies: Sequence[Anomaly],
    tables: Sequence[OutputTable],
) -> State:
    """The state holding this sync's record (the same state when the record is too).

    Called when the sync writes anyway: a record alone is never worth a write;
    `tables` are the sync's tabs but the state tab.
    """
    if any(a.code in TRANSIENT for a in anomalies):
        return kept
    new = record(seen, book, anomalies, tables)
    return kept if new == kept.unchanged else dataclasses.replace(kept, unchanged=new)


@dataclass(frozen=True)
class Unchanged:
    """What a fast sync shows: the last sync's anomalies and the output tabs as they are."""

    book: Book
    figures: Figures
    anomalies: tuple[Anomaly, ...]
    tables: tuple[OutputTable, ...]


def recorded(raw: RawWorkbook) -> Json:
    """The record the state tab holds, read without building the state's frames; None
    when there is none or the tab no longer holds what sheetsync wrote there."""
    own = state.title()
    sheet, mark = raw.tabs.get(own), raw.owned.get(own)
    if sheet is None or mark is None:
        return None
    text = state.packed_text(sheet)
    if not text or state.table(state.State(), text).fingerprint() != mark:
        return None
    try:
        document = frames.unpack(text)
        return _last_key(document, "unchanged") or _whole(document).get("unchanged")
    except (ValueError, zlib.error, AttributeError):
        return None


# The state is written with sorted keys: "unchanged" is its last key but "version".
_TAIL = re.compile(r',"version":\d+}')


def _last_key(document: str, key: str) -> Json:
    """The value of the state's top-level `key` parsed alone, without decoding the
    snapshot of every input row before it; None when the text is not as expected."""
    at = document.rfind(f'"{key}":')
    if at < 0:
        return None
    value, end = json.JSONDecoder().raw_decode(document, at + len(key) + 3)
    return value if _TAIL.fullmatch(document, end) else None


def _whole(document: str) -> dict[str, Json]:
    found = json.loads(document)
    return found if isinstance(found, dict) else {}


def check(raw: RawWorkbook, last: Json, seen: str, as_of: dt.date) -> Unchanged | None:
    """The last sync's outcome when nothing changed since; None when the books must be
    computed: another digest, a tab it wrote gone or replaced, an output edited by hand."""
    if not isinstance(last, dict) or last.get("digest") != seen:
        return None
    tabs: dict[str, str] = last["tabs"]
    if any(raw.owned.get(title) != mark for title, mark in tabs.items()):
        return None
    lang: Lang = lang_of(last["lang"]) or "fr"
    currency = str(last["currency"])
    if handedits.find(raw, lang, currency, as_of).titles:
        return None
    settings = dataclasses.replace(default_settings(as_of), currency=currency)
    book = Book(lang, settings, (), (), pd.DataFrame(), pd.DataFrame(), ())
    empty = pd.DataFrame()
    figures = Figures(empty, empty, empty, empty, empty, empty, as_of)
    anomalies = tuple(
        Anomaly(Severity(s), tab, row, column, value, text, code)
        for s, tab, row, column, value, text, code in last["anomalies"]
    )
    return Unchanged(book, figures, anomalies, read_back(raw, lang, currency))


def read_back(raw: RawWorkbook, lang: Lang, currency: str) -> tuple[OutputTable, ...]:
    """The output tabs as the sheet holds them, typed by their columns' kinds: what
    sheetsync wrote there, their marks and cells having just been checked."""
    found: list[OutputTable] = []
    for tab in load().outputs:
        title = tab.name(lang)
        sheet = raw.tabs.get(title)
        if sheet is None or title not in raw.owned:
            continue
        kinds = tuple(c.kind for c in tab.columns)
        rows = [
            tuple(handedits.typed(k, v) for k, v in zip(kinds, _padded(r, len(kinds)), strict=True))
            for r in sheet.rows[1:]
        ]
        header = tuple(c.name(lang) for c in tab.columns)
        found.append(OutputTable(tab.key, title, header, kinds, rows, currency))
    return tuple(found)


def _padded(row: Sequence[CellValue], width: int) -> list[CellValue]:
    return list(row[:width]) + [None] * (width - len(row))
