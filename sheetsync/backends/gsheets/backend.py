"""The Google Sheets backend: read tabs in two requests, write in one.

Talks to the Sheets API v4 through gspread's HTTP client; see docs/GOOGLE.md.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import gspread
import requests
from google.auth.exceptions import GoogleAuthError
from gspread.exceptions import APIError
from gspread.http_client import ParamsType
from gspread.urls import SPREADSHEET_URL, SPREADSHEET_VALUES_BATCH_URL

from sheetsync.backends.base import TitleFilter
from sheetsync.backends.gsheets import staging
from sheetsync.backends.gsheets.auth import Identity, load_identity, make_session
from sheetsync.backends.gsheets.init import matching_tab, plan_init
from sheetsync.backends.gsheets.plan import (
    METADATA_FIELDS,
    SheetsState,
    parse_state,
    plan_write,
)
from sheetsync.backends.gsheets.refusals import advice, classify, language
from sheetsync.backends.gsheets.retry import RetryPolicy, is_transient
from sheetsync.backends.gsheets.values import (
    FORMAT_FIELDS,
    VALUE_PARAMS,
    ValuesWorkbook,
    apply_formats,
    quote_title,
    type_inputs,
    type_output_dates,
    typed_rows,
)
from sheetsync.errors import BackendError, RefusedError
from sheetsync.messages import say
from sheetsync.model import CellValue, OutputTable, RawTab, RawWorkbook
from sheetsync.template import Lang, load

Json = dict[str, Any]


class _TooLargeError(Exception):
    """The write does not fit in one request: it goes through staging tabs."""


class GoogleBackend:
    """A Google spreadsheet sheetsync reads and writes (implements Backend)."""

    def __init__(
        self,
        spreadsheet_id: str,
        credentials_file: Path | None = None,
        *,
        identity: Identity | None = None,
        session: requests.Session | None = None,
        policy: RetryPolicy | None = None,
        payload_limit: int = staging.PAYLOAD_LIMIT - staging.MARGIN,
        fallback: Lang = "fr",
    ) -> None:
        self.spreadsheet_id = spreadsheet_id
        # Bytes of a request body: above, the write goes through staging tabs.
        self.payload_limit = payload_limit
        self.policy = policy or RetryPolicy()
        self._credentials_file = credentials_file
        self._identity = identity
        self._session = session
        self._client: gspread.Client | None = None
        self._state: SheetsState | None = None  # from the last read, reused by write
        # The spreadsheet's language when the caller knows it (a nightly job's); else its
        # locale, once read; else `fallback`, the caller's (French, SPEC §10's default).
        self.lang: Lang | None = None
        self.fallback = fallback

    # ------------------------------------------------------------ Backend

    @property
    def display_name(self) -> str:
        title = self._state.title if self._state else ""
        return (
            f"{title} (gsheet:{self.spreadsheet_id})" if title else f"gsheet:{self.spreadsheet_id}"
        )

    @property
    def title(self) -> str:
        """The spreadsheet's title, once read ("" before)."""
        return self._state.title if self._state else ""

    def read(self, wanted: TitleFilter) -> RawWorkbook:
        """Metadata (titles, locale, owned marks) then the wanted tabs' values: 2 requests.

        Dates, times and durations arrive as the text they show; the input tabs' are
        typed when the books need them (`ValuesWorkbook.complete`), which asks the
        formats of the cells whose text cannot be read (a third request, seldom made);
        a fast sync never does.
        """
        with self._errors(writing=False):
            state = self.policy.run(self._fetch_state)
            titles = [t.title for t in state.tabs if wanted(t.title)]
            grids = self.policy.run(lambda: self._fetch_values(titles)) if titles else {}
        self._state = state
        owned = {t.title: t.fingerprint for t in state.tabs if t.fingerprint is not None}
        tabs = {t: RawTab(t, grids.get(t, [])) for t in titles}
        unread_outputs = type_output_dates(tabs, owned)
        done: list[bool] = []

        def complete() -> None:
            if done:
                return
            done.append(True)
            unread = unread_outputs.merge(type_inputs(tabs, owned, state.locale))
            if unread:
                params: ParamsType = {"fields": FORMAT_FIELDS, "ranges": unread.ranges()}
                with self._errors(writing=False):
                    body = self.policy.run(lambda: self._get(params))
                apply_formats(tabs, body)

        return ValuesWorkbook(
            tabs=tabs,
            owned=owned,
            locale=state.locale,
            all_titles=tuple(t.title for t in state.tabs),
            pending=complete,
        )

    def write(self, tables: Sequence[OutputTable], lang: Lang) -> None:
        """All owned tabs in one spreadsheets.batchUpdate; a retry re-reads state first.

        A title held by a tab sheetsync did not create is refused in `lang`, the sheet's;
        what Google refuses is said in the spreadsheet's language (`language`)."""
        widths = {t.key: [c.width for c in t.columns] for t in load().outputs}
        attempt = 0

        def once() -> None:
            nonlocal attempt
            attempt += 1
            # A retry cannot trust the old state: the lost answer may hide an applied write.
            state = self._state if attempt == 1 and self._state else self._fetch_state()
            batch = plan_write(state, tables, widths, lang)
            if batch and staging.body_size(batch) > self.payload_limit:
                raise _TooLargeError
            if batch:
                self._send(batch)
            self._state = None

        with self._errors(writing=True):
            try:
                self.policy.run(once)
            except _TooLargeError:
                io = (self._send, lambda: self.policy.run(self._fetch_state), self.policy.run)
                staging.write(tables, widths, io, self.payload_limit, lang)
                self._state = None

    def _send(self, requests: list[Json]) -> None:
        self._api().batch_update(self.spreadsheet_id, {"requests": requests})

    def init(self, lang: Lang, rows: Mapping[str, Sequence[Sequence[CellValue]]]) -> None:
        """Template tabs, formats and dropdowns in one batchUpdate; filled tabs untouched."""
        from sheetsync.backends.xlsx.init import setting_rows  # noqa: PLC0415 - template data

        defaults = {"settings": setting_rows(lang)}

        def once() -> None:
            state = self._fetch_state()
            present = [t.title for tab in load().inputs if (t := matching_tab(state, tab))]
            cells = self._fetch_values(present) if present else {}
            filled = {title for title, grid in cells.items() if grid}
            batch = plan_init(state, filled, lang, rows, defaults)
            if batch:
                self._api().batch_update(self.spreadsheet_id, {"requests": batch})

        with self._errors(writing=True):
            self.policy.run(once)

    # ------------------------------------------------------------ auth check

    def check_readable(self) -> None:
        with self._errors(writing=False):
            self._state = self.policy.run(self._fetch_state)

    def language(self) -> Lang:
        """The language to talk to the user in: given, else the spreadsheet's locale once read."""
        return self.lang or language(self._state.locale if self._state else None, self.fallback)

    def check_writable(self) -> None:
        """A write that changes nothing: the title set to itself."""
        with self._errors(writing=True):
            state = self._state = self.policy.run(self._fetch_state)
            request = {
                "updateSpreadsheetProperties": {
                    "properties": {"title": state.title},
                    "fields": "title",
                }
            }
            self.policy.run(
                lambda: self._api().batch_update(self.spreadsheet_id, {"requests": [request]})
            )

    # ------------------------------------------------------------ requests

    def _api(self) -> gspread.http_client.HTTPClient:
        if self._client is None:
            session = self._session or make_session(self.identity())
            # With a session given, gspread sends through it and never uses `auth`.
            self._client = gspread.Client(None, session=session)  # type: ignore[arg-type]
            self._client.set_timeout(self.policy.timeout)
        client: gspread.http_client.HTTPClient = self._client.http_client
        return client

    def identity(self) -> Identity:
        if self._identity is None:
            self._identity = load_identity(self._credentials_file, self.language())
        return self._identity

    def _fetch_state(self) -> SheetsState:
        body = self._api().spreadsheets_get(self.spreadsheet_id, {"fields": METADATA_FIELDS})
        return parse_state(body)

    def _get(self, params: ParamsType) -> Json:
        answer = self._api().request("get", SPREADSHEET_URL % self.spreadsheet_id, params=params)
        body: Json = answer.json()
        return body

    def _fetch_values(self, titles: Sequence[str]) -> dict[str, list[list[CellValue]]]:
        """The tabs' cells with values.batchGet: raw numbers, dates and durations as shown."""
        params: ParamsType = {**VALUE_PARAMS, "ranges": [quote_title(t) for t in titles]}
        url = SPREADSHEET_VALUES_BATCH_URL % self.spreadsheet_id
        content = self._api().request("get", url, params=params).content
        # The answer's bytes go as soon as they are decoded; rows are typed in place.
        ranges = json.loads(content).get("valueRanges", [])
        del content
        found: dict[str, list[list[CellValue]]] = {}
        for title, value_range in zip(titles, ranges, strict=False):
            found[title] = typed_rows(value_range.pop("values", []))
        return found

    # ------------------------------------------------------------ errors

    @contextlib.contextmanager
    def _errors(self, *, writing: bool) -> Iterator[None]:
        """Known failures become one clear BackendError (exit 4), never a traceback."""
        try:
            yield
        except APIError as error:
            if error.code == 403:
                raise self._refused(error, writing) from None
            raise BackendError(self._explain(error)) from None
        except (requests.exceptions.RequestException, GoogleAuthError) as error:
            raise BackendError(
                say(
                    self.language(),
                    "gsheets.backend.cannot_reach_google_sheets_after",
                    kind=type(error).__name__,
                    n=self.policy.attempts,
                )
            ) from None

    def _explain(self, error: APIError) -> str:
        lang = self.language()
        where = f"gsheet:{self.spreadsheet_id}"
        message = str(error.error.get("message", ""))
        if error.code == 404:
            return say(
                lang,
                "gsheets.backend.spreadsheet_not_found_check_id",
                where=where,
                share=self._share_hint(lang),
            )
        if error.code == 429:
            return say(
                lang, "gsheets.backend.google_sheets_quota_exhausted_after", n=self.policy.attempts
            )
        if is_transient(error):
            return say(
                lang,
                "gsheets.backend.google_sheets_kept_failing_retry",
                code=error.code,
                message=message,
            )
        return say(
            lang, "gsheets.backend.google_sheets_refused_request", code=error.code, message=message
        )

    def _share_hint(self, lang: Lang) -> str:
        """Whom to share the spreadsheet with: the identity's email when known."""
        if self._identity:
            return self._identity.share_hint(lang)
        return say(lang, "gsheets.backend.account_sheetsync_uses_see_sheetsync")

    def _refused(self, error: APIError, writing: bool) -> RefusedError:
        """A 403: the API not enabled in the Cloud project, or the sheet not shared."""
        lang = self.language()
        refusal = classify(error.error, writing=writing)
        where = f"gsheet:{self.spreadsheet_id}"
        return RefusedError(advice(refusal, lang, where, self._share_hint(lang)), refusal)
