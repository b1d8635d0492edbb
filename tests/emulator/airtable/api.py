"""The emulator's bases and its answers to each endpoint sheetsync calls, in-process
through a requests adapter mounted on pyairtable's session.

Strict as Airtable: rates per base and per token with the 30-second penalty, 10
records a write, pages of 100, no deletion of tables or fields, no change of a field's
type, values checked by type, records per base, a monthly quota of calls.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from tests.emulator.airtable import fields as checks
from tests.emulator.airtable.limits import (
    BATCH,
    PAGE,
    PER_BASE,
    PER_TOKEN,
    ApiError,
    Clock,
    Window,
    billing,
    invalid,
    not_found,
)

Json = dict[str, Any]
ENDPOINT = "https://api.airtable.com"
_ids = itertools.count(1)


def new_id(prefix: str) -> str:
    return f"{prefix}{next(_ids):014d}"[:17]


class Killed(BaseException):
    """The sync's process killed between two requests (not an error a program sees)."""


@dataclass
class Table:
    id: str
    name: str
    description: str
    fields: list[Json]
    records: list[Json] = field(default_factory=list)  # creation order

    def field(self, name: str) -> Json | None:
        return next((f for f in self.fields if f["name"] == name or f["id"] == name), None)

    def schema(self) -> Json:
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "primaryFieldId": self.fields[0]["id"],
            "fields": self.fields,
            "views": [],
        }


@dataclass
class Base:
    id: str
    tables: list[Table] = field(default_factory=list)
    record_limit: int = 1000
    window: Window = field(default_factory=lambda: Window(PER_BASE))

    def table(self, ref: str) -> Table:
        ref = unquote(ref)
        found = next((t for t in self.tables if ref in {t.id, t.name}), None)
        if found is None:
            raise not_found()
        return found

    def count(self) -> int:
        return sum(len(t.records) for t in self.tables)


@dataclass
class Logged:
    method: str
    path: str
    status: int
    base: str
    time: float
    records: int = 0


class AirtableEmulator:
    def __init__(self, clock: Clock | None = None, monthly_quota: int | None = None) -> None:
        self.clock = clock or Clock()
        self.bases: dict[str, Base] = {}
        self.tokens: dict[str, Window] = {}
        self.monthly_quota = monthly_quota
        self.calls = 0
        self.log: list[Logged] = []
        self.kill_after: int | None = None  # writes answered before the process dies
        self.fail_after: int | None = None  # writes answered before one 500 (applied)
        self.inject_429: int = 0  # next requests answered 429 whatever the rate
        # token -> (scopes, bases) once a test grants any: a personal access token's reach.
        self.grants: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
        self.writes = 0

    # ------------------------------------------------------------ set up by tests

    def base(self, base_id: str = "appTESTBASE000001", record_limit: int = 1000) -> Base:
        return self.bases.setdefault(base_id, Base(base_id, record_limit=record_limit))

    def add_table(self, base_id: str, name: str, specs: list[Json], description: str = "") -> Table:
        base = self.base(base_id)
        table = Table(new_id("tbl"), name, description, [_field(s) for s in specs])
        base.tables.append(table)
        return table

    def add_records(
        self, base_id: str, table: str, rows: list[Json], *, raw: bool = False
    ) -> list[str]:
        """Records as a user types them (`raw`: computed values set as they are)."""
        base = self.base(base_id)
        target = base.table(table)
        made = []
        for values in rows:
            stored = dict(values) if raw else self._checked(base, target, values)
            made.append(self._new_record(target, stored)["id"])
        return made

    def table(self, base_id: str, name: str) -> Table:
        return self.base(base_id).table(name)

    def grant(self, token: str, scopes: Sequence[str], bases: Sequence[str]) -> None:
        """From now on only granted tokens pass, each with its scopes on its bases."""
        self.grants[f"Bearer {token}"] = (frozenset(scopes), frozenset(bases))

    # ------------------------------------------------------------ requests

    def handle(self, method: str, url: str, body: bytes, token: str) -> tuple[int, Json]:
        parts = urlsplit(url)
        path = [unquote(p) for p in parts.path.split("/") if p]
        query = parse_qs(parts.query)
        base_id = (
            path[3]
            if path[1:3] == ["meta", "bases"] and len(path) > 3
            else (path[1] if len(path) > 1 else "")
        )
        now = self.clock()
        status, answer, count = 200, {}, 0
        try:
            self._admit(token, base_id, now)
            self._authorize(token, method.upper(), path, base_id)
            payload = json.loads(body) if body else {}
            answer = self._route(method.upper(), path, query, payload)
            count = len(payload.get("records", [])) if isinstance(payload, dict) else 0
        except ApiError as error:
            status, answer = error.status, error.body
        self.log.append(Logged(method.upper(), parts.path, status, base_id, now, count))
        return status, answer

    def _admit(self, token: str, base_id: str, now: float) -> None:
        self.calls += 1
        if self.inject_429:
            self.inject_429 -= 1
            raise ApiError(
                429,
                {"errors": [{"error": "RATE_LIMIT_REACHED", "message": "Rate limit exceeded."}]},
            )
        self.tokens.setdefault(token, Window(PER_TOKEN)).admit(now)
        if base_id in self.bases:
            self.bases[base_id].window.admit(now)
        if self.monthly_quota is not None and self.calls > self.monthly_quota:
            raise billing()

    def _authorize(self, token: str, method: str, path: list[str], base_id: str) -> None:
        """As Airtable answers a token lacking the scope or the base: 403, one body."""
        if not self.grants:
            return
        if token not in self.grants:
            raise ApiError(401, {"error": {"type": "AUTHENTICATION_REQUIRED", "message": ""}})
        scopes, bases = self.grants[token]
        meta = path[1:3] == ["meta", "bases"]
        reading = method == "GET" or (method == "POST" and path[-1:] == ["listRecords"])
        kind = "schema.bases" if meta else "data.records"
        needed = f"{kind}:{'read' if reading else 'write'}"
        if needed not in scopes or base_id not in bases:
            raise ApiError(
                403,
                {
                    "error": {
                        "type": "INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND",
                        "message": "Invalid permissions, or the requested model was not found. "
                        "Check that both your user and your token have the required permissions, "
                        "and that the model names and/or ids are correct.",
                    }
                },
            )

    def _route(
        self, method: str, path: list[str], query: Mapping[str, list[str]], body: Any
    ) -> Json:
        if len(path) >= 4 and path[1:3] == ["meta", "bases"]:
            return self._meta(method, path[3], path[4:], body)
        if len(path) < 3:
            raise not_found()
        base = self.bases.get(path[1])
        if base is None:
            raise ApiError(
                403,
                {
                    "error": {
                        "type": "INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND",
                        "message": "Invalid permissions, or the requested model was not found.",
                    }
                },
            )
        table = base.table(path[2])
        if method == "GET" or (method == "POST" and path[3:] == ["listRecords"]):
            params = body if method == "POST" else query
            return self._list(table, params)
        self.writes += 1
        if self.kill_after is not None and self.writes > self.kill_after:
            raise Killed
        answer = self._write(method, base, table, query, body)
        if self.fail_after is not None and self.writes > self.fail_after:
            self.fail_after = None
            raise ApiError(
                503, {"error": {"type": "SERVICE_UNAVAILABLE", "message": "Unavailable"}}
            )
        return answer

    # ------------------------------------------------------------ metadata

    def _meta(self, method: str, base_id: str, rest: list[str], body: Json) -> Json:
        base = self.bases.get(base_id)
        if base is None or not rest or rest[0] != "tables":
            raise not_found()
        if method == "GET" and len(rest) == 1:
            return {"tables": [t.schema() for t in base.tables]}
        if method == "POST" and len(rest) == 1:
            return self._create_table(base, body)
        table = base.table(rest[1]) if len(rest) > 1 else None
        if table is None or method == "DELETE":
            raise not_found()  # Airtable's API deletes neither tables nor fields
        if method == "PATCH" and len(rest) == 2:
            table.name = body.get("name", table.name)
            table.description = body.get("description", table.description)
            return table.schema()
        if method == "POST" and rest[2:] == ["fields"]:
            return self._create_field(table, body)
        if method == "PATCH" and len(rest) == 4 and rest[2] == "fields":
            if "type" in body or "options" in body:
                raise invalid("INVALID_REQUEST_UNKNOWN", "A field's type cannot be changed")
            target = table.field(rest[3]) or {}
            target.update({k: v for k, v in body.items() if k in {"name", "description"}})
            return target
        raise not_found()

    def _create_table(self, base: Base, body: Json) -> Json:
        name = str(body.get("name") or "")
        if any(t.name.casefold() == name.casefold() for t in base.tables):
            raise invalid("DUPLICATE_TABLE_NAME", f"Table name {name!r} already exists")
        specs = body.get("fields") or []
        if not name or not specs:
            raise invalid("INVALID_REQUEST_UNKNOWN", "A table needs a name and fields")
        for spec in specs:
            checks.check_new_field(spec)
        if specs[0]["type"] not in checks.PRIMARY:
            raise invalid("INVALID_FIELD_TYPE", "This field type cannot be the primary field")
        names = [s["name"].casefold() for s in specs]
        if len(set(names)) != len(names):
            raise invalid("DUPLICATE_OR_EMPTY_FIELD_NAME", "Field names must be unique")
        table = Table(
            new_id("tbl"), name, str(body.get("description") or ""), [_field(s) for s in specs]
        )
        base.tables.append(table)
        return table.schema()

    def _create_field(self, table: Table, body: Json) -> Json:
        checks.check_new_field(body)
        if any(f["name"].casefold() == str(body["name"]).casefold() for f in table.fields):
            raise invalid("DUPLICATE_OR_EMPTY_FIELD_NAME", "Field name already exists")
        made = _field(body)
        table.fields.append(made)
        return made

    # ------------------------------------------------------------ records

    def _list(self, table: Table, params: Mapping[str, Any]) -> Json:
        def one(key: str) -> Any:
            value = params.get(key)
            return value[0] if isinstance(value, list) else value

        size = int(one("pageSize") or PAGE)
        if not 1 <= size <= PAGE:
            raise invalid("INVALID_REQUEST_UNKNOWN", "pageSize must be at most 100")
        start = 0
        if one("offset"):
            text = str(one("offset"))
            if not text.startswith("itr") or not text[3:].isdigit():
                raise invalid("LIST_RECORDS_ITERATOR_NOT_AVAILABLE", "Invalid offset")
            start = int(text[3:])
        wanted = params.get("fields[]") or params.get("fields")
        page = table.records[start : start + size]
        answer: Json = {"records": [_shown(r, wanted) for r in page]}
        if start + size < len(table.records):
            answer["offset"] = f"itr{start + size}"
        return answer

    def _write(
        self, method: str, base: Base, table: Table, query: Mapping[str, list[str]], body: Json
    ) -> Json:
        if method == "DELETE":
            ids = query.get("records[]", [])
            if len(ids) > BATCH:
                raise invalid("INVALID_RECORDS", "You can delete at most 10 records per request")
            known = {r["id"] for r in table.records}
            if any(i not in known for i in ids):
                raise not_found()
            table.records = [r for r in table.records if r["id"] not in ids]
            return {"records": [{"id": i, "deleted": True} for i in ids]}
        records = body.get("records") or []
        if not records or len(records) > BATCH:
            raise invalid("INVALID_RECORDS", "You can write 1 to 10 records per request")
        if method == "POST":
            self._room(base, len(records))
            made = [
                self._new_record(table, self._checked(base, table, r.get("fields") or {}))
                for r in records
            ]
            return {"records": [_shown(r) for r in made]}
        return self._update(base, table, records, body.get("performUpsert"), method == "PUT")

    def _update(
        self, base: Base, table: Table, records: list[Json], upsert: Json | None, replace: bool
    ) -> Json:
        keys = (upsert or {}).get("fieldsToMergeOn")
        checked = [
            (r.get("id"), self._checked(base, table, r.get("fields") or {})) for r in records
        ]
        plan: list[tuple[Json | None, Json]] = []
        for record_id, values in checked:
            if record_id:
                found = next((r for r in table.records if r["id"] == record_id), None)
                if found is None:
                    raise not_found()
            elif keys:
                matches = [
                    r
                    for r in table.records
                    if all(r["fields"].get(k) == values.get(k) for k in keys)
                ]
                if len(matches) > 1:
                    raise invalid("INVALID_VALUE_FOR_COLUMN", "More than one record matches")
                found = matches[0] if matches else None
            else:
                raise invalid("INVALID_RECORDS", "Each record needs an id")
            plan.append((found, values))
        self._room(base, sum(1 for found, _ in plan if found is None))
        created, updated, shown = [], [], []
        for old, values in plan:
            if old is None:
                made = self._new_record(table, values)
                created.append(made["id"])
                shown.append(_shown(made))
                continue
            merged = {**({} if replace else old["fields"]), **values}
            old["fields"] = {k: v for k, v in merged.items() if v is not None}
            updated.append(old["id"])
            shown.append(_shown(old))
        return {"records": shown, "createdRecords": created, "updatedRecords": updated}

    def _room(self, base: Base, more: int) -> None:
        if base.count() + more > base.record_limit:
            raise invalid(
                "ROW_LIMIT_EXCEEDED",
                f"Record limit of {base.record_limit} records per base reached",
            )

    def _checked(self, base: Base, table: Table, values: Json) -> Json:
        stored: Json = {}
        for name, value in values.items():
            spec = table.field(name)
            if spec is None:
                raise invalid("UNKNOWN_FIELD_NAME", f'Unknown field name: "{name}"')
            linked = None
            if spec["type"] == "multipleRecordLinks":
                other = base.table(spec["options"]["linkedTableId"])
                linked = {r["id"] for r in other.records}
            stored[spec["name"]] = checks.check(spec, value, linked)
        return stored

    def _new_record(self, table: Table, values: Json) -> Json:
        moment = dt.datetime.fromtimestamp(self.clock(), dt.UTC)
        record = {
            "id": new_id("rec"),
            "createdTime": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "fields": {k: v for k, v in values.items() if v is not None},
        }
        table.records.append(record)
        return record


def _field(spec: Json) -> Json:
    made = {"id": new_id("fld"), "name": spec["name"], "type": spec["type"]}
    if spec.get("options"):
        made["options"] = spec["options"]
    return made


def _shown(record: Json, wanted: Any = None) -> Json:
    values = {
        k: v for k, v in record["fields"].items() if v is not False and v not in (None, "", [])
    }
    if wanted:
        values = {k: v for k, v in values.items() if k in wanted}
    return {"id": record["id"], "createdTime": record["createdTime"], "fields": values}


class EmulatorAdapter(BaseAdapter):
    """Answers pyairtable's requests from the emulator, in-process."""

    def __init__(self, emulator: AirtableEmulator) -> None:
        super().__init__()
        self.emulator = emulator

    def send(
        self, request: requests.PreparedRequest, *args: Any, **kwargs: Any
    ) -> requests.Response:
        body = request.body or b""
        data = body.encode("utf-8") if isinstance(body, str) else bytes(body)
        token = str(request.headers.get("Authorization", ""))
        status, answer = self.emulator.handle(
            request.method or "GET", request.url or "", data, token
        )
        response = requests.Response()
        response.status_code = status
        response._content = json.dumps(answer).encode("utf-8")
        response.headers = CaseInsensitiveDict({"Content-Type": "application/json"})
        response.encoding = "utf-8"
        response.url = request.url or ""
        response.request = request
        response.reason = "OK" if status == 200 else "Error"
        return response

    def close(self) -> None:
        """No sockets."""


def mount(emulator: AirtableEmulator) -> EmulatorAdapter:
    return EmulatorAdapter(emulator)
