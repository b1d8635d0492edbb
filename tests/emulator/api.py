"""The emulator's front door: routing, access, quotas, request log, latency and faults.

`Emulator.handle` answers one HTTP request; transports (in-process, localhost) call it.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from tests.emulator import a1, batch, limits, views
from tests.emulator.entry import entered
from tests.emulator.state import ApiError, Json, Sheet, Spreadsheet, invalid

FAULTS = ("429", "500", "503", "timeout", "drop_before", "drop_after")
_ROUTES: list[tuple[str, re.Pattern[str], str]] = [
    ("POST", re.compile(r"^/v4/spreadsheets$"), "create"),
    ("GET", re.compile(r"^/v4/spreadsheets/([^/:]+)$"), "get"),
    ("POST", re.compile(r"^/v4/spreadsheets/([^/:]+):batchUpdate$"), "batch_update"),
    ("GET", re.compile(r"^/v4/spreadsheets/([^/:]+)/values:batchGet$"), "values_batch_get"),
    ("POST", re.compile(r"^/v4/spreadsheets/([^/:]+)/values:batchUpdate$"), "values_batch"),
    ("POST", re.compile(r"^/v4/spreadsheets/([^/:]+)/values:batchClear$"), "values_clear"),
    ("POST", re.compile(r"^/v4/spreadsheets/([^/:]+)/values/([^/:]+):clear$"), "values_clear1"),
    ("GET", re.compile(r"^/v4/spreadsheets/([^/:]+)/values/([^/:]+)$"), "values_get"),
    ("PUT", re.compile(r"^/v4/spreadsheets/([^/:]+)/values/([^/:]+)$"), "values_update"),
]


@dataclass(frozen=True)
class Logged:
    """One request as the emulator saw it, for counting in tests."""

    method: str
    path: str
    query: str
    body_size: int
    status: int
    fault: str | None = None


@dataclass(frozen=True)
class Reply:
    """An answer; `fault` tells the transport to time out or drop the connection."""

    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    fault: str | None = None


def _json_bytes(payload: Json) -> bytes:
    return (json.dumps(payload, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _error_reply(error: ApiError, headers: dict[str, str] | None = None) -> Reply:
    return Reply(error.code, _json_bytes(error.body()), headers or {})


class Emulator:
    """A stateful, in-memory Google Sheets API v4 with test controls."""

    def __init__(
        self,
        read_quota: int = 300,
        write_quota: int = 300,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.books: dict[str, Spreadsheet] = {}
        self.log: list[Logged] = []
        self.latency = 0.0
        self.read_quota = read_quota  # requests per minute, as Google's per-user quota
        self.write_quota = write_quota
        self.clock = clock
        self.faults: dict[int, str] = {}  # request number (1-based) -> fault kind
        self.retry_after: int | None = None  # seconds announced with injected 429s
        # The caller's Cloud project when the Sheets API is not enabled there (see disable_api).
        self.disabled_project: str | None = None
        self.legacy_disabled_error = False
        # Bytes of a request body Google accepts; tests of staged writes lower it.
        self.payload_limit = limits.PAYLOAD_LIMIT
        self._seen = 0
        self._ids = itertools.count(1)
        self._window: list[tuple[float, bool]] = []
        self._lock = threading.RLock()

    # ------------------------------------------------------------ test controls

    def create(
        self,
        title: str = "Budget",
        locale: str = "fr_FR",
        tabs: dict[str, list[list[Any]]] | None = None,
    ) -> str:
        """Create a spreadsheet directly (no request logged); return its id."""
        spreadsheet_id = f"emu{next(self._ids):04d}" + "x" * 36
        book = Spreadsheet(
            spreadsheet_id,
            {
                "title": title,
                "locale": locale,
                "timeZone": "Europe/Paris",
                "autoRecalc": "ON_CHANGE",
            },
        )
        for index, (name, rows) in enumerate((tabs or {"Feuille 1": []}).items()):
            batch.add_sheet(book, {"properties": {"title": name, "sheetId": index}})
            _write_values(book.sheets[-1], (0, 0), rows, "USER_ENTERED", locale)
        self.books[spreadsheet_id] = book
        return spreadsheet_id

    def inject(self, fault: str, at: int | None = None) -> None:
        """Make request number `at` (default: the next one) answer with `fault`."""
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; one of {FAULTS}")
        self.faults[self._seen + 1 if at is None else at] = fault

    def disable_api(self, project: str = "123456789012", *, legacy: bool = False) -> None:
        """Answer every request as Google does when the caller's Cloud project has not
        enabled the Sheets API: 403 SERVICE_DISABLED (or, `legacy`, accessNotConfigured)."""
        self.disabled_project = project
        self.legacy_disabled_error = legacy

    def enable_api(self) -> None:
        self.disabled_project = None

    @property
    def request_count(self) -> int:
        return self._seen

    def tab_values(self, spreadsheet_id: str, title: str) -> list[list[Any]]:
        """A tab's UNFORMATTED_VALUE cells, trimmed, for assertions."""
        params = {"valueRenderOption": ["UNFORMATTED_VALUE"]}
        quoted = "'" + title.replace("'", "''") + "'"
        body = views.value_range(self.books[spreadsheet_id], quoted, params)
        values: list[list[Any]] = body.get("values", [])
        return values

    # ------------------------------------------------------------ HTTP entry

    def handle(self, method: str, url: str, body: bytes = b"") -> Reply:
        """Answer one request (thread-safe); state changes are all-or-nothing."""
        if self.latency:
            time.sleep(self.latency)
        with self._lock:
            self._seen += 1
            fault = self.faults.pop(self._seen, None)
            reply = self._answer(method, url, body, fault)
            parts = urlsplit(url)
            self.log.append(
                Logged(method.upper(), parts.path, parts.query, len(body), reply.status, fault)
            )
            return reply

    def _answer(self, method: str, url: str, body: bytes, fault: str | None) -> Reply:
        if fault in ("429", "500", "503"):
            return self._injected(int(fault))
        if fault in ("timeout", "drop_before"):
            return Reply(0, b"", fault=fault)
        try:
            self._check_caller(body)
            reply = self._route(method.upper(), url, body)
        except ApiError as error:
            reply = _error_reply(error)
        return Reply(0, b"", fault="drop_after") if fault == "drop_after" else reply

    def _injected(self, code: int) -> Reply:
        messages = {
            429: "Quota exceeded for quota metric 'Write requests' and limit 'Write requests "
            "per minute per user' of service 'sheets.googleapis.com'.",
            500: "Internal error encountered.",
            503: "The service is currently unavailable.",
        }
        headers = {"Retry-After": str(self.retry_after)} if self.retry_after is not None else {}
        return _error_reply(ApiError(code, messages[code]), headers)

    def _check_caller(self, body: bytes) -> None:
        """What Google refuses before looking at the request: its size, a disabled API."""
        if len(body) > self.payload_limit:
            raise limits.payload_too_large(self.payload_limit)
        if self.disabled_project is not None:
            raise limits.service_disabled(self.disabled_project, legacy=self.legacy_disabled_error)

    def _route(self, method: str, url: str, body: bytes) -> Reply:
        parts = urlsplit(url)
        params = parse_qs(parts.query, keep_blank_values=True)
        for verb, pattern, name in _ROUTES:
            found = pattern.match(parts.path)
            if verb == method and found:
                args = [unquote(g) for g in found.groups()]
                self._check_quota(write=method != "GET")
                payload = json.loads(body or b"{}") if body else {}
                answer: Json = getattr(self, "_" + name)(params, payload, *args)
                return Reply(200, _json_bytes(answer), {"Content-Type": "application/json"})
        raise ApiError(404, f"Method not found: {method} {parts.path}")

    def _check_quota(self, write: bool) -> None:
        now = self.clock()
        self._window = [(t, w) for t, w in self._window if now - t < 60]
        used = sum(1 for _, w in self._window if w == write)
        limit = self.write_quota if write else self.read_quota
        if used >= limit:
            kind = "Write" if write else "Read"
            raise ApiError(
                429,
                f"Quota exceeded for quota metric '{kind} requests' and limit '{kind} "
                "requests per minute per user' of service 'sheets.googleapis.com'.",
            )
        self._window.append((now, write))

    def _book(self, spreadsheet_id: str, write: bool = False) -> Spreadsheet:
        book = self.books.get(spreadsheet_id)
        if book is None:
            raise ApiError(404, "Requested entity was not found.")
        if book.access == "none" or (write and book.access != "writer"):
            raise limits.no_permission()
        return book

    def _commit(self, book: Spreadsheet, change: Callable[[Spreadsheet], Json]) -> Json:
        """Run `change` on a copy and keep it only if every step succeeded."""
        copy = book.clone()
        answer = change(copy)
        copy.check_limits()
        self.books[book.spreadsheet_id] = copy
        return answer

    # ------------------------------------------------------------ endpoints

    def _create(self, params: dict[str, list[str]], payload: Json) -> Json:
        props = payload.get("properties", {})
        tabs: dict[str, list[list[Any]]] = {
            s["properties"]["title"]: [] for s in payload.get("sheets", [])
        }
        new_id = self.create(
            props.get("title", "Untitled spreadsheet"), props.get("locale", "en_US"), tabs or None
        )
        return views.spreadsheet_json(self.books[new_id], {})

    def _get(self, params: dict[str, list[str]], payload: Json, spreadsheet_id: str) -> Json:
        return views.spreadsheet_json(self._book(spreadsheet_id), params)

    def _batch_update(
        self, params: dict[str, list[str]], payload: Json, spreadsheet_id: str
    ) -> Json:
        book = self._book(spreadsheet_id, write=True)
        replies = self._commit(
            book, lambda copy: {"replies": batch.apply(copy, payload.get("requests", []))}
        )
        answer: Json = {"spreadsheetId": spreadsheet_id, **replies}
        if payload.get("includeSpreadsheetInResponse"):
            answer["updatedSpreadsheet"] = views.spreadsheet_json(self.books[spreadsheet_id], {})
        return answer

    def _values_get(
        self, params: dict[str, list[str]], payload: Json, spreadsheet_id: str, text: str
    ) -> Json:
        return views.value_range(self._book(spreadsheet_id), text, params)

    def _values_batch_get(
        self, params: dict[str, list[str]], payload: Json, spreadsheet_id: str
    ) -> Json:
        book = self._book(spreadsheet_id)
        ranges = [views.value_range(book, text, params) for text in params.get("ranges", [])]
        return {"spreadsheetId": spreadsheet_id, "valueRanges": ranges}

    def _values_update(
        self, params: dict[str, list[str]], payload: Json, spreadsheet_id: str, text: str
    ) -> Json:
        option = params.get("valueInputOption", [""])[0]
        data = [{"range": text, **payload}]
        answer = self._values_batch({}, {"valueInputOption": option, "data": data}, spreadsheet_id)
        responses: list[Json] = answer["responses"]
        return responses[0]

    def _values_batch(
        self, params: dict[str, list[str]], payload: Json, spreadsheet_id: str
    ) -> Json:
        option = payload.get("valueInputOption", "")
        if option not in ("RAW", "USER_ENTERED"):
            raise invalid("Invalid valueInputOption: INPUT_VALUE_OPTION_UNSPECIFIED")
        book = self._book(spreadsheet_id, write=True)

        def change(copy: Spreadsheet) -> Json:
            responses = [_update_range(copy, item, option) for item in payload.get("data", [])]
            return {
                "spreadsheetId": spreadsheet_id,
                "totalUpdatedCells": sum(r.get("updatedCells", 0) for r in responses),
                "responses": responses,
            }

        return self._commit(book, change)

    def _values_clear(
        self, params: dict[str, list[str]], payload: Json, spreadsheet_id: str
    ) -> Json:
        book = self._book(spreadsheet_id, write=True)

        def change(copy: Spreadsheet) -> Json:
            cleared = [_clear_range(copy, text) for text in payload.get("ranges", [])]
            return {"spreadsheetId": spreadsheet_id, "clearedRanges": cleared}

        return self._commit(book, change)

    def _values_clear1(
        self, params: dict[str, list[str]], payload: Json, spreadsheet_id: str, text: str
    ) -> Json:
        answer = self._values_clear(params, {"ranges": [text]}, spreadsheet_id)
        return {"spreadsheetId": spreadsheet_id, "clearedRange": answer["clearedRanges"][0]}


def _write_values(
    sheet: Sheet, at: tuple[int, int], rows: list[list[Any]], option: str, locale: str
) -> None:
    width = max((len(r) for r in rows), default=0)
    if rows and width:
        area = a1.Bounds(at[0], at[0] + len(rows), at[1], at[1] + width)
        limits.check_grid(sheet, area)
    for i, values in enumerate(rows):
        for j, value in enumerate(values):
            cell = entered(value, option, locale)
            if cell is None:
                continue
            limits.check_cell(cell)
            pos = (at[0] + i, at[1] + j)
            old = sheet.cells.get(pos, {})
            old.pop("userEnteredValue", None)
            old.update({k: v for k, v in cell.items() if k == "userEnteredValue"})
            if "userEnteredFormat" in cell:
                old.setdefault("userEnteredFormat", {}).update(cell["userEnteredFormat"])
            sheet.cells[pos] = old


def _update_range(book: Spreadsheet, item: Json, option: str) -> Json:
    parsed = views.parse_range(str(item.get("range", "")))
    sheet = book.sheet_by_title(parsed.title)
    rows: list[list[Any]] = item.get("values", [])
    if item.get("majorDimension") == "COLUMNS":
        rows = [list(r) for r in zip(*rows, strict=False)]
    start_row, start_col = parsed.start_row or 0, parsed.start_col or 0
    _write_values(sheet, (start_row, start_col), rows, option, str(book.properties.get("locale")))
    width = max((len(r) for r in rows), default=0)
    area = a1.Bounds(start_row, start_row + len(rows), start_col, start_col + width)
    return {
        "spreadsheetId": book.spreadsheet_id,
        "updatedRange": a1.render(sheet.title, area),
        "updatedRows": len(rows),
        "updatedColumns": width,
        "updatedCells": sum(len(r) for r in rows),
    }


def _clear_range(book: Spreadsheet, text: str) -> str:
    parsed = views.parse_range(text)
    sheet = book.sheet_by_title(parsed.title)
    area = a1.bounds(parsed, sheet.row_count, sheet.column_count)
    for pos in list(sheet.cells):
        if area.start_row <= pos[0] < area.end_row and area.start_col <= pos[1] < area.end_col:
            sheet.cells[pos].pop("userEnteredValue", None)
            if not sheet.cells[pos]:
                del sheet.cells[pos]
    rendered: str = a1.render(sheet.title, area)
    return rendered
