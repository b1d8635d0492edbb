"""The Airtable backend: a base's tables read as tabs, sheetsync's own tables written
record by record (only those that changed), paced below Airtable's limits.

See docs/AIRTABLE.md and SPEC §14; the write itself is in `writing.py`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

import requests
from requests.adapters import BaseAdapter

from sheetsync.backends.airtable import access, cells, limits, marks, refusals
from sheetsync.backends.airtable.client import Client
from sheetsync.backends.airtable.marks import BaseRead
from sheetsync.backends.airtable.records import owned_rows
from sheetsync.backends.airtable.schema import CLOSING_FIELD, KEY_FIELD, TableSchema, state_title
from sheetsync.backends.base import TitleFilter
from sheetsync.backends.gsheets.ratelimit import RateLimiter
from sheetsync.errors import BackendError
from sheetsync.model import CellValue, OutputTable, RawTab, RawWorkbook
from sheetsync.template import Lang, load, normalize, titles_language

Json = dict[str, object]
WRITING = "writing"  # the fingerprint shown for a table whose write did not end


class AirtableBackend:
    """An Airtable base sheetsync reads and writes (implements Backend)."""

    def __init__(
        self,
        base_id: str,
        credentials: Path | None = None,
        *,
        lang: Lang,
        token: str | None = None,
        endpoint: str | None = None,
        policy: limits.Policy | None = None,
        transport: BaseAdapter | None = None,
        token_limiter: RateLimiter | None = None,
        base_limiter: RateLimiter | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.base_id = base_id
        self.policy = policy or limits.Policy()
        self._credentials = credentials
        self._token = token
        self._endpoint = endpoint
        self._transport = transport
        self._token_limiter = token_limiter
        self._base_limiter = base_limiter  # shared when a run syncs the base twice
        self._clock = clock
        self._client: Client | None = None
        self._read: BaseRead | None = None
        # The language of its messages before the base is read (the command line's, a job's).
        self.lang: Lang = lang

    # ------------------------------------------------------------ Backend

    @property
    def display_name(self) -> str:
        return f"airtable:{self.base_id}"

    @property
    def title(self) -> str:
        return ""

    @property
    def requests(self) -> int:
        """Requests sent to Airtable so far, retries included."""
        return self._client.sent if self._client else 0

    def client(self) -> Client:
        if self._client is None:
            token = self._token or access.load_token(self._credentials, self.language())
            self._client = Client(
                self.base_id,
                token,
                self._endpoint or access.endpoint(),
                self.policy,
                transport=self._transport,
                token_limiter=self._token_limiter,
                base_limiter=self._base_limiter,
                clock=self._clock,
            )
        return self._client

    def language(self) -> Lang:
        """The base's own (its tables' names), else the caller's."""
        if self._read is not None:
            found = titles_language([t.name for t in self._read.tables])
            if found:
                return found
        return self.lang

    def read(self, wanted: TitleFilter) -> RawWorkbook:
        """The schema (1 request), the state table, then each wanted table a page of 100
        records a request; a table whose last write did not end is not read."""
        with self.errors():
            return self._read_base(wanted)

    def _read_base(self, wanted: TitleFilter) -> RawWorkbook:
        client = self.client()
        tables = client.tables()
        holder = next((t for t in tables if t.marker == state_title()), None)
        ledger = marks.read(client.records(holder.id) if holder else [])
        owned = _owned(tables, ledger)
        self._read = read = BaseRead(tables, ledger, owned)
        theirs = [t for t in tables if t not in owned.values()]
        titles = [t.name for t in theirs] + [
            title for title in owned if title != _closings_title(owned, title)
        ]
        titles += [m.title for m in ledger.marks.values() if m.closing]
        shown: dict[str, str] = {}
        for title in titles:
            mark = ledger.marks.get(title)
            if title in owned or (mark and mark.closing):
                shown[title] = WRITING if mark is None or mark.writing else mark.fingerprint
        tabs = self._tabs(read, theirs, wanted, shown)
        return RawWorkbook(tabs=tabs, owned=shown, locale=None, all_titles=tuple(titles))

    def _tabs(
        self,
        read: BaseRead,
        theirs: Sequence[TableSchema],
        wanted: TitleFilter,
        shown: Mapping[str, str],
    ) -> dict[str, RawTab]:
        client = self.client()
        inputs = [t for t in theirs if wanted(t.name)]
        linked = {
            str(f.options.get("linkedTableId"))
            for t in inputs
            for f in t.fields
            if f.type == "multipleRecordLinks"
        }
        for table in read.tables:
            if table in inputs or table.id in linked:
                read.records[table.id] = client.records(table.id)
                read.counts[table.id] = len(read.records[table.id])
        names = {
            str(r["id"]): cells.primary_text(r, t)
            for t in read.tables
            for r in read.records.get(t.id, [])
        }
        tabs: dict[str, RawTab] = {}
        for table in inputs:
            tabs[table.name] = _input_tab(table, read.records[table.id], names)
        for title, table in read.owned.items():
            if not wanted(title) or shown.get(title) == WRITING:
                continue
            if title == state_title():
                header = load().ledger_tab("state").columns
                rows = marks.state_rows(read.ledger, [c.en for c in header])
                tabs[title] = RawTab(title, rows)
                continue
            records = client.records(table.id)
            read.records[table.id] = records
            read.counts[table.id] = len(records)
            key = KEY_FIELD["en"] if table.field(KEY_FIELD["en"]) else KEY_FIELD["fr"]
            tabs[title] = RawTab(title, owned_rows(records, table, (), key))
        read.record_limit = _record_limit(tabs)
        return tabs

    def write(self, tables: Sequence[OutputTable], lang: Lang) -> None:
        """Only the records that changed, 10 a request; see writing.py. What Airtable
        refuses is said in `lang`, the base's."""
        from sheetsync.backends.airtable import writing  # noqa: PLC0415 - the write side

        with self.errors():
            if self._read is None:
                self._read_base(lambda _: False)
            assert self._read is not None
            writing.write(self.client(), self._read, tables, lang)
            self._read = None

    def init(self, lang: Lang, rows: Mapping[str, Sequence[Sequence[CellValue]]]) -> None:
        """The template's input tables, made once with their field types."""
        from sheetsync.backends.airtable import init  # noqa: PLC0415 - init only

        with self.errors():
            init.create_inputs(self.client(), lang, rows)

    @contextlib.contextmanager
    def errors(self) -> Iterator[None]:
        """Known failures become one BackendError (exit 4) in the base's language."""
        try:
            yield
        except requests.exceptions.HTTPError as error:
            raise BackendError(
                refusals.explain(error, self.language(), self.base_id, self.policy)
            ) from None
        except requests.exceptions.RequestException as error:
            raise BackendError(refusals.unreachable(error, self.language(), self.policy)) from None


def _owned(tables: Sequence[TableSchema], ledger: marks.Ledger) -> dict[str, TableSchema]:
    """sheetsync's tables by title: by the id its mark keeps, else by the description's
    marker (a table renamed by hand is still found)."""
    by_id = {t.id: t for t in tables}
    owned: dict[str, TableSchema] = {}
    for mark in ledger.marks.values():
        table = by_id.get(mark.table_id)
        if table is not None and not mark.closing:
            owned[mark.title] = table
    for table in tables:
        if table.marker and table not in owned.values() and table.marker not in owned:
            owned[table.marker] = table
    return owned


def _closings_title(owned: Mapping[str, TableSchema], title: str) -> str | None:
    """The title itself when it is the Clôtures table (its closings are the tabs)."""
    table = owned[title]
    closing = table.field(CLOSING_FIELD["fr"]) or table.field(CLOSING_FIELD["en"])
    return title if closing is not None else None


def _input_tab(
    table: TableSchema, records: Sequence[dict[str, object]], names: cells.Names
) -> RawTab:
    """A table as a tab: field names as the header (the schema gives the fields empty
    in every record), records in creation order numbered from 1 as Airtable's grid."""
    ordered = sorted(records, key=lambda r: str(r.get("createdTime") or ""))
    rows: list[list[CellValue]] = [[f.name for f in table.fields]]
    rows += [cells.record_row(r, table, names) for r in ordered]
    return RawTab(table.name, rows, first=1)


def _record_limit(tabs: Mapping[str, RawTab]) -> int:
    """The setting `Limite d'enregistrements` as the Paramètres table gives it."""
    setting = load().setting("record_limit")
    settings = load().input("settings")
    for title, tab in tabs.items():
        if normalize(title) not in settings.match_keys():
            continue
        for row in tab.rows[1:]:
            if len(row) >= 2 and normalize(str(row[0] or "")) in setting.match_keys():
                with contextlib.suppress(ValueError, TypeError):
                    return max(int(float(str(row[1]).replace(" ", "").replace(",", "."))), 1)
    return int(setting.default)
