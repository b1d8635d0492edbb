"""The requests sheetsync sends to one base, through pyairtable's HTTP code with its
retries off: each one paced and counted (limits.CountingAdapter), retried by sheetsync's
policy, and a write never larger than Airtable takes (10 records, pages of 100).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import requests
from pyairtable import Api, Table
from requests.adapters import BaseAdapter

from sheetsync.backends.airtable import limits
from sheetsync.backends.airtable.schema import TableSchema, parse_table, parse_tables
from sheetsync.backends.gsheets.ratelimit import RateLimiter

Json = dict[str, Any]
BATCH = 10  # records per create, update or delete: Airtable refuses more
PAGE = 100  # records per page of a list: Airtable's most


class Client:
    """One base's API: paced below its limits, every request counted in `sent`."""

    def __init__(
        self,
        base_id: str,
        token: str,
        endpoint: str,
        policy: limits.Policy,
        *,
        transport: BaseAdapter | None = None,
        token_limiter: RateLimiter | None = None,
        base_limiter: RateLimiter | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.base_id = base_id
        self.policy = policy
        # retry_strategy=None: a plain requests Session, no urllib3 Retry (pyairtable's
        # Api.__init__); sheetsync paces and retries itself.
        self.api = Api(token, retry_strategy=None, endpoint_url=endpoint, timeout=policy.timeout)
        prefix = endpoint.rstrip("/") + "/"
        inner = transport or self.api.session.get_adapter(prefix)
        per_base = base_limiter or (
            limits.base_limiter(clock, policy.sleep)
            if clock
            else limits.base_limiter(sleep=policy.sleep)
        )
        limiters = (per_base, *((token_limiter,) if token_limiter else ()))
        self.adapter = limits.CountingAdapter(inner, limiters)
        self.api.session.mount(prefix, self.adapter)

    @property
    def sent(self) -> int:
        return self.adapter.sent

    def _meta(self, *parts: str) -> str:
        return str(self.api.build_url("meta/bases", self.base_id, "tables", *parts))

    def tables(self) -> tuple[TableSchema, ...]:
        """The base's schema: one request."""
        return parse_tables(self.policy.run(lambda: self.api.request("GET", self._meta())))

    def create_table(self, name: str, description: str, fields: Sequence[Json]) -> TableSchema:
        """A table made once; a retry first looks for it (a lost answer may hide it)."""
        attempt = 0

        def once() -> TableSchema:
            nonlocal attempt
            attempt += 1
            if attempt > 1:
                made = next((t for t in self.tables() if t.name == name), None)
                if made is not None:
                    return made
            body = {"name": name, "description": description, "fields": list(fields)}
            return parse_table(self.api.request("POST", self._meta(), json=body))

        return self.policy.run(once)

    def create_field(self, table_id: str, field: Json) -> None:
        url = self._meta(table_id, "fields")
        self.policy.run(lambda: self.api.request("POST", url, json=dict(field)))

    def records(self, table_id: str, fields: Sequence[str] | None = None) -> list[Json]:
        """Every record of a table, a page of 100 at a time (each page retried alone)."""
        found: list[Json] = []
        for page in self._pages(table_id, fields):
            found += page
        return found

    def _pages(self, table_id: str, fields: Sequence[str] | None) -> Iterator[list[Json]]:
        url = str(self.api.table(self.base_id, table_id).urls.records)
        params: dict[str, Any] = {"pageSize": PAGE}
        if fields is not None:
            params["fields[]"] = list(fields)
        while True:
            body = self._page(url, dict(params))
            yield list(body.get("records", []))
            offset = body.get("offset")
            if not offset:
                return
            params["offset"] = offset

    def _page(self, url: str, params: dict[str, Any]) -> Json:
        body: Json = self.policy.run(lambda: self.api.request("GET", url, params=params))
        return body

    def upsert(self, table_id: str, records: Sequence[Json], keys: Sequence[str]) -> None:
        """Records upserted on `keys`, 10 a request: replaying one adds no duplicate."""
        table = self.api.table(self.base_id, table_id)
        for start in range(0, len(records), BATCH):
            chunk = [{"fields": r} for r in records[start : start + BATCH]]
            self._upsert_chunk(table, chunk, list(keys))

    def _upsert_chunk(self, table: Table, chunk: list[Json], keys: list[str]) -> None:
        self.policy.run(lambda: table.batch_upsert(chunk, key_fields=keys))

    def create(self, table_id: str, records: Sequence[Json]) -> list[str]:
        """New records, 10 a request (init only: a 5xx is not replayed); their ids."""
        table = self.api.table(self.base_id, table_id)
        made: list[str] = []
        for start in range(0, len(records), BATCH):
            chunk = list(records[start : start + BATCH])
            made += self._create_chunk(table, chunk)
        return made

    def _create_chunk(self, table: Table, chunk: list[Json]) -> list[str]:
        answer = self.policy.run(lambda: table.batch_create(chunk), replayable=False)
        return [str(r["id"]) for r in answer]

    def delete(self, table_id: str, ids: Sequence[str]) -> None:
        """Records deleted, 10 a request; a replay finding them gone already is done."""
        table = self.api.table(self.base_id, table_id)
        for start in range(0, len(ids), BATCH):
            chunk = list(ids[start : start + BATCH])
            tries = 0

            def once(c: list[str] = chunk) -> None:
                nonlocal tries
                tries += 1
                try:
                    table.batch_delete(c)
                except requests.exceptions.HTTPError as error:
                    if tries == 1 or limits.status(error) != 404:
                        raise

            self.policy.run(once)
