"""The Sheets API emulator set up for measuring: fast loading, server time, metering.

Both sides (sheetsync and the baseline) talk to it through the same metered session.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import requests
from requests.adapters import BaseAdapter, HTTPAdapter

from sheetsync.model import CellValue
from tests.emulator import Emulator, EmulatorAdapter, Reply, api, views
from tests.emulator.batch import add_sheet
from tests.emulator.entry import entered
from tests.emulator.state import Json, Spreadsheet

GOOGLE_PREFIX = "https://sheets.googleapis.com/"
SERVER_SECONDS = "X-Emulator-Seconds"  # how long the emulator itself took, per answer
LOCALE = "fr_FR"


Params = dict[str, list[str]]


def _compact_json(payload: Json) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def compact_answers() -> None:
    """Answer compact JSON, as Google does with prettyPrint=false (for a serving process).

    The emulator pretty-prints with the pure-Python encoder: half its time at 1M cells.
    """
    api._json_bytes = _compact_json


class BenchEmulator(Emulator):
    """The emulator, timing its own work, changing state in place, remembering reads.

    The stock emulator deep-copies the whole spreadsheet on every write to make
    it all-or-nothing and renders every cell anew on each read; at 9 million cells that
    would dwarf what is measured. Its time is reported apart anyway, and
    atomicity and rendering are tested elsewhere.
    """

    def __init__(self) -> None:
        super().__init__(read_quota=10**9, write_quota=10**9)
        self._answers: dict[tuple[object, ...], Json] = {}

    def _remembered(self, key: tuple[object, ...], answer: Callable[[], Json]) -> Json:
        if key not in self._answers:
            self._answers[key] = answer()
        return self._answers[key]

    def _cells_key(
        self, spreadsheet_id: str, params: Params, ranges: list[str]
    ) -> tuple[object, ...]:
        """What a cell read depends on: the request and the extent of the tabs it names."""
        book = self.books[spreadsheet_id]
        extents = []
        for text in ranges:
            sheet = book.sheet_by_title(views.parse_range(text).title)
            extents.append((sheet.title, len(sheet.cells), sheet.row_count, sheet.column_count))
        return (spreadsheet_id, repr(sorted(params.items())), tuple(extents))

    def _get(self, params: Params, payload: Json, spreadsheet_id: str) -> Json:
        ranges = params.get("ranges", [])
        if not ranges:  # metadata reads are small and change with every write
            return super()._get(params, payload, spreadsheet_id)
        key = self._cells_key(spreadsheet_id, params, ranges)
        return self._remembered(
            key, lambda: super(BenchEmulator, self)._get(params, payload, spreadsheet_id)
        )

    def _values_get(self, params: Params, payload: Json, spreadsheet_id: str, text: str) -> Json:
        key = self._cells_key(spreadsheet_id, params, [text])
        return self._remembered(
            key,
            lambda: super(BenchEmulator, self)._values_get(params, payload, spreadsheet_id, text),
        )

    def _values_batch_get(self, params: Params, payload: Json, spreadsheet_id: str) -> Json:
        key = self._cells_key(spreadsheet_id, params, params.get("ranges", []))
        return self._remembered(
            key,
            lambda: super(BenchEmulator, self)._values_batch_get(params, payload, spreadsheet_id),
        )

    def handle(self, method: str, url: str, body: bytes = b"") -> Reply:
        start = time.perf_counter()
        reply = super().handle(method, url, body)
        seconds = f"{time.perf_counter() - start:.6f}"
        return Reply(reply.status, reply.body, {**reply.headers, SERVER_SECONDS: seconds})

    def _commit(self, book: Spreadsheet, change: Callable[[Spreadsheet], Json]) -> Json:
        self._answers.clear()  # a write may change any cell a remembered read returned
        answer = change(book)
        book.check_limits()
        return answer


def load(emulator: Emulator, tabs: Mapping[str, list[list[CellValue]]]) -> str:
    """A new spreadsheet holding `tabs`, each sized to its content; returns its id.

    Equal values share one stored cell, which keeps 9 million cells in memory.
    """
    spreadsheet_id = emulator.create(locale=LOCALE, tabs={})
    book = emulator.books[spreadsheet_id]
    book.sheets.clear()
    interned: dict[tuple[type, object], Json] = {}
    for index, (title, grid) in enumerate(tabs.items()):
        width = max((len(row) for row in grid), default=1)
        size = {"rowCount": max(len(grid), 1), "columnCount": width}
        add_sheet(book, {"properties": {"title": title, "sheetId": index, "gridProperties": size}})
        cells = book.sheets[-1].cells
        for r, row in enumerate(grid):
            for c, value in enumerate(row):
                cell = _stored(value, interned)
                if cell:
                    cells[(r, c)] = cell
    return spreadsheet_id


def share(emulator: Emulator, spreadsheet_id: str) -> str:
    """A second spreadsheet whose tabs hold the very same cells (never written)."""
    source = emulator.books[spreadsheet_id]
    copy_id = emulator.create(locale=LOCALE, tabs={})
    book = emulator.books[copy_id]
    book.sheets.clear()
    for sheet in source.sheets:
        add_sheet(book, {"properties": {**sheet.properties, "gridProperties": dict(sheet.grid)}})
        book.sheets[-1].cells = sheet.cells
    return copy_id


def _stored(value: CellValue, interned: dict[tuple[type, object], Json]) -> Json | None:
    key = (type(value), value)
    if key not in interned:
        typed: object = value.isoformat() if isinstance(value, dt.date) else value
        interned[key] = entered(typed, "USER_ENTERED", LOCALE) or {}
    return interned[key]


@dataclass
class Meter:
    """What one client sent and received, counted at its HTTP adapter."""

    requests: int = 0
    sent: int = 0
    received: int = 0
    server: float = 0.0  # seconds the emulator spent answering

    def snapshot(self) -> Meter:
        return Meter(self.requests, self.sent, self.received, self.server)

    def since(self, before: Meter) -> Meter:
        return Meter(
            self.requests - before.requests,
            self.sent - before.sent,
            self.received - before.received,
            self.server - before.server,
        )


class MeteredAdapter(BaseAdapter):
    """Counts requests and bytes, and adds a fixed network latency per request."""

    def __init__(self, inner: BaseAdapter, meter: Meter, latency: float) -> None:
        super().__init__()
        self.inner, self.meter, self.latency = inner, meter, latency

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        if self.latency:
            time.sleep(self.latency)
        body = request.body or b""
        self.meter.requests += 1
        self.meter.sent += len(body.encode() if isinstance(body, str) else body)
        response = self.inner.send(request, *args, **kwargs)
        self.meter.received += len(response.content)
        self.meter.server += float(response.headers.get(SERVER_SECONDS, 0))
        return response

    def close(self) -> None:
        self.inner.close()


class _Localhost(HTTPAdapter):
    """Sends Google Sheets calls to an emulator served on localhost."""

    def __init__(self, host: str) -> None:
        super().__init__()
        self.host = host

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        request.url = f"http://{self.host}/" + (request.url or "").removeprefix(GOOGLE_PREFIX)
        return super().send(request, *args, **kwargs)


def session(target: Emulator | str, latency: float = 0.0) -> tuple[requests.Session, Meter]:
    """A metered session to an in-process emulator or one served at "host:port"."""
    inner: BaseAdapter = (
        EmulatorAdapter(target) if isinstance(target, Emulator) else _Localhost(target)
    )
    meter = Meter()
    metered = requests.Session()
    metered.mount(GOOGLE_PREFIX, MeteredAdapter(inner, meter, latency))
    return metered, meter
