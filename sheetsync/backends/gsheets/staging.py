"""Writes larger than one request: Google refuses a request body above 10,485,760 bytes.

The new content goes to hidden staging tabs over as many requests as it takes, each
under the limit; then one small batchUpdate swaps them in (the old tab deleted, the
staging tab renamed, unhidden, marked as sheetsync's), so users never see a half-written
tab. Staging tabs an interrupted run left behind are deleted by the next staged write.
Requests: 1 to prepare, ⌈content / limit⌉ to fill, 1 to swap.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from sheetsync import progress
from sheetsync.backends.gsheets.plan import (
    Json,
    SheetsState,
    TabState,
    grid,
    layout_requests,
    owner_marks,
    plan_write,
    sheet_rows,
)
from sheetsync.layout import describe
from sheetsync.model import OutputTable
from sheetsync.template import Lang

PAYLOAD_LIMIT = 10_485_760  # bytes of a request body Google accepts
MARGIN = 64 * 1024  # room for the envelope of a request and rounding
STAGING_PREFIX = "sheetsync-staging-"
# Tabs charts draw from stay written in place: charts refer to them by sheet id.
IN_PLACE = ("group_summary", "monthly", "chart_data")

Send = Callable[[list[Json]], None]  # one batchUpdate
Fetch = Callable[[], SheetsState]
Run = Callable[[Callable[[], None]], None]  # a step, retried by the backend's policy


def body_size(requests: list[Json]) -> int:
    """Bytes of a batchUpdate body, as requests sends it (JSON, non-ASCII escaped)."""
    return len(json.dumps({"requests": requests}).encode("ascii"))


def is_staging(tab: TabState) -> bool:
    return tab.title.startswith(STAGING_PREFIX)


@dataclass(frozen=True)
class Staged:
    table: OutputTable
    sheet_id: int  # the staging tab's


def write(
    tables: Sequence[OutputTable],
    widths: Mapping[str, Sequence[int]],
    io: tuple[Send, Fetch, Run],
    limit: int,
    lang: Lang,
) -> None:
    """Bring every table's tab to its content in requests of at most `limit` bytes (`lang`:
    the sheet's, for a refusal)."""
    send, fetch, run = io
    state = fetch()
    wanted = [t for t in tables if _needs_writing(state, t)]
    staged_tables = [t for t in wanted if t.key not in IN_PLACE]
    staged = _prepare(state, staged_tables)
    attempts = 0

    def prepare() -> None:
        nonlocal attempts
        attempts += 1
        # A retry re-reads the tabs: the lost answer may hide staging tabs already made.
        requests = _preparation(state if attempts == 1 else fetch(), staged)
        if requests:
            send(requests)

    run(prepare)
    parts = _content_parts(staged, limit)
    for done, part in enumerate(parts, start=1):
        run(functools.partial(send, part))  # each part writes fixed cells: safe to replay
        progress.advance(done, len(parts))  # a bar on a terminal

    def swap() -> None:
        now = fetch()
        if not any(is_staging(t) for t in now.tabs):
            return  # an earlier attempt whose answer was lost did swap
        send(_swap(now, staged, [t for t in tables if t.key in IN_PLACE], widths, lang))

    run(swap)


def _needs_writing(state: SheetsState, table: OutputTable) -> bool:
    existing = state.find(table.title)
    current = existing is not None and existing.fingerprint == table.fingerprint()
    return table.rewrite or not current


def _prepare(state: SheetsState, tables: Sequence[OutputTable]) -> list[Staged]:
    """A fresh sheet id for each table's staging tab."""
    first = max((t.sheet_id for t in state.tabs), default=0) + 1
    return [Staged(table, first + number) for number, table in enumerate(tables)]


def _staging_title(item: Staged) -> str:
    return f"{STAGING_PREFIX}{item.sheet_id}"


def _preparation(state: SheetsState, staged: Sequence[Staged]) -> list[Json]:
    """Leftover staging tabs deleted; one hidden staging tab per table, sized for it."""
    requests: list[Json] = [
        {"deleteSheet": {"sheetId": tab.sheet_id}} for tab in state.tabs if is_staging(tab)
    ]
    for item in staged:
        props = {
            "sheetId": item.sheet_id,
            "title": _staging_title(item),
            "hidden": True,
            "gridProperties": {k: v for k, v in grid(item.table).items() if k != "frozenRowCount"},
        }
        requests.append({"addSheet": {"properties": props}})
    return requests


def _content_parts(staged: Sequence[Staged], limit: int) -> list[list[Json]]:
    """updateCells requests grouped into bodies of at most `limit` bytes."""
    parts: list[list[Json]] = [[]]
    size = body_size([])
    for item in staged:
        for start, rows in _row_blocks(sheet_rows(item.table), limit):
            request = {
                "updateCells": {
                    "start": {"sheetId": item.sheet_id, "rowIndex": start, "columnIndex": 0},
                    "rows": rows,
                    "fields": "userEnteredValue,userEnteredFormat",
                }
            }
            cost = body_size([request])
            if parts[-1] and size + cost > limit:
                parts.append([])
                size = body_size([])
            parts[-1].append(request)
            size += cost
    return [part for part in parts if part]


def _row_blocks(rows: list[Json], limit: int) -> list[tuple[int, list[Json]]]:
    """Consecutive rows in blocks whose JSON stays well under the limit."""
    budget = limit // 2
    blocks: list[tuple[int, list[Json]]] = []
    block: list[Json] = []
    start, size = 0, 0
    for index, row in enumerate(rows):
        cost = len(json.dumps(row)) + 2
        if block and size + cost > budget:
            blocks.append((start, block))
            start, block, size = index, [], 0
        block.append(row)
        size += cost
    if block:
        blocks.append((start, block))
    return blocks


def _swap(
    state: SheetsState,
    staged: Sequence[Staged],
    in_place: Sequence[OutputTable],
    widths: Mapping[str, Sequence[int]],
    lang: Lang,
) -> list[Json]:
    """Old tabs deleted, staging tabs renamed into place; the small tabs written as usual."""
    requests: list[Json] = []
    for item in staged:
        table, old = item.table, state.find(item.table.title)
        if old is not None:
            requests.append({"deleteSheet": {"sheetId": old.sheet_id}})
        props = {
            "sheetId": item.sheet_id,
            "title": table.title,
            "hidden": describe(table).hidden,
            "gridProperties": {"frozenRowCount": 1},
        }
        if old is not None:
            props["index"] = old.index
        fields = "title,hidden,gridProperties.frozenRowCount" + (",index" if old else "")
        requests.append({"updateSheetProperties": {"properties": props, "fields": fields}})
        # A staging tab is new: no conditional rules to remove.
        requests += layout_requests(table, item.sheet_id, widths.get(table.key, ()), 0)
        requests += owner_marks(item.sheet_id, table.fingerprint(), None)
    return requests + plan_write(state, list(in_place), widths, lang)
