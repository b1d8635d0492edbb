"""What the owned `sheetsync` table holds besides the state's chunks: one mark per owned
table (its id, the fingerprint last written, whether a write to it was under way) and
whether the last write completed. Airtable has no transactions: these say where an
interrupted write stopped, so the next sync completes it. `BaseRead` is what a read
found (tables, marks, records), kept for the write that follows.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sheetsync.backends.airtable.schema import STATE_FIELDS, TableSchema
from sheetsync.messages import say
from sheetsync.model import CellValue
from sheetsync.template import Lang

Json = dict[str, Any]
KEY, PART, DATA = STATE_FIELDS
WRITE_KEY = "write"
GENERATION_KEY = "generation"  # which chunks hold the state: flipped with the write's end
STATE_PREFIX = "state:"
MARK_PREFIX = "table:"


@dataclass(frozen=True)
class Mark:
    title: str
    table_id: str
    fingerprint: str
    rows: int = 0
    closing: bool = False
    writing: bool = False  # a write to it began and did not end

    def record(self) -> Json:
        data = {
            "id": self.table_id,
            "fingerprint": self.fingerprint,
            "rows": self.rows,
            "closing": self.closing,
            "writing": self.writing,
        }
        return {KEY: MARK_PREFIX + self.title, PART: None, DATA: json.dumps(data)}


@dataclass(frozen=True)
class Ledger:
    """The `sheetsync` table as read: marks by title, the state's chunks, the write's end."""

    marks: dict[str, Mark]
    chunks: list[tuple[int, str]]  # the current generation's
    complete: bool
    records: list[Json]
    generation: int = 0


def read(records: Sequence[Json]) -> Ledger:
    found: dict[str, Mark] = {}
    chunks: dict[int, list[tuple[int, str]]] = {}
    complete, generation = True, 0
    for record in records:
        fields = record.get("fields") or {}
        key, data, part = str(fields.get(KEY) or ""), fields.get(DATA), fields.get(PART)
        if key == WRITE_KEY:
            complete = part == 1
        elif key == GENERATION_KEY and isinstance(part, int | float):
            generation = int(part)
        elif key.startswith(STATE_PREFIX) and isinstance(part, int | float):
            made = key[len(STATE_PREFIX) :].split(":", maxsplit=1)[0]
            if made.isdigit():
                chunks.setdefault(int(made), []).append((int(part), str(data or "")))
        elif key.startswith(MARK_PREFIX):
            mark = _mark(key[len(MARK_PREFIX) :], data)
            if mark is not None:
                found[mark.title] = mark
    current = sorted(chunks.get(generation, []))
    return Ledger(found, current, complete, list(records), generation)


def _mark(title: str, data: object) -> Mark | None:
    try:
        raw = json.loads(str(data))
        return Mark(
            title,
            str(raw["id"]),
            str(raw["fingerprint"]),
            int(raw.get("rows", 0)),
            bool(raw.get("closing", False)),
            bool(raw.get("writing", False)),
        )
    except (ValueError, KeyError, TypeError):
        return None


def state_rows(ledger: Ledger, header: Sequence[str]) -> list[list[CellValue]]:
    """The state as the hidden tab of a sheet holds it: numbered chunks below a header."""
    rows: list[list[CellValue]] = [list(header)]
    rows += [[n, text] for n, text in ledger.chunks]
    return rows


def chunk_records(rows: Sequence[tuple[object, ...]], generation: int) -> list[Json]:
    """The state's chunks under a new generation: the old ones stay whole until the
    write's end flips to the new (one request), so an interrupted write never mixes them."""
    return [
        {KEY: f"{STATE_PREFIX}{generation}:{row[0]}", PART: row[0], DATA: row[1]} for row in rows
    ]


def generation_record(generation: int) -> Json:
    return {KEY: GENERATION_KEY, PART: generation, DATA: None}


def stale_chunks(ledger: Ledger, keep: int) -> list[str]:
    """Ids of the chunk records of every generation but `keep`."""
    prefix = f"{STATE_PREFIX}{keep}:"
    return [
        str(r["id"])
        for r in ledger.records
        if str((r.get("fields") or {}).get(KEY) or "").startswith(STATE_PREFIX)
        and not str((r.get("fields") or {}).get(KEY) or "").startswith(prefix)
    ]


def write_record(lang: Lang, *, complete: bool, time: str) -> Json:
    text = (
        say(lang, "airtable.marks.last_write_completed", time=time)
        if complete
        else say(lang, "airtable.marks.write_begun_not_completed_yet", time=time)
    )
    return {KEY: WRITE_KEY, PART: 1 if complete else 0, DATA: text}


@dataclass
class BaseRead:
    """What a read found, kept for the write that follows."""

    tables: tuple[TableSchema, ...]
    ledger: Ledger
    owned: dict[str, TableSchema]  # sheetsync's tables by the title it made them under
    records: dict[str, list[dict[str, object]]] = field(default_factory=dict)  # by table id
    record_limit: int = 1000
    counts: dict[str, int] = field(default_factory=dict)  # records by table id, once read
