"""What one sheet's attempt in a nightly run consumed, known even when it fails
half-way: its requests (a paced Google session's, an Airtable base's own count) and the
input rows it read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from sheetsync.backends.base import Backend, TitleFilter
from sheetsync.backends.gsheets.ratelimit import PacedAdapter
from sheetsync.model import CellValue, OutputTable, RawWorkbook
from sheetsync.sync.pipeline import Outcome, is_input_title
from sheetsync.template import Lang


class CountingBackend:
    """A backend that remembers how many input rows it read (implements Backend).

    Only the tabs people type in count: the output tabs, read back to spot hand
    edits, would make `rows_read` grow with the report rather than the data.
    """

    def __init__(self, inner: Backend) -> None:
        self.inner = inner
        self.rows = 0

    @property
    def display_name(self) -> str:
        return self.inner.display_name

    def read(self, wanted: TitleFilter) -> RawWorkbook:
        raw = self.inner.read(wanted)
        self.rows = sum(
            max(len(tab.rows) - 1, 0) for title, tab in raw.tabs.items() if is_input_title(title)
        )
        return raw

    def write(self, tables: Sequence[OutputTable], lang: Lang) -> None:
        self.inner.write(tables, lang)

    def init(self, lang: Lang, rows: Mapping[str, Sequence[Sequence[CellValue]]]) -> None:
        self.inner.init(lang, rows)


@dataclass
class Tally:
    """What one sheet's attempt consumed, known even when it fails half-way."""

    adapter: PacedAdapter | None = None
    counted: Callable[[], int] | None = None  # an Airtable base's own count of requests
    backend: CountingBackend | None = None
    outcome: Outcome | None = None
    error: str | None = None
    kind: str | None = None

    @property
    def requests(self) -> int:
        if self.counted is not None:
            return self.counted()
        return self.adapter.sent if self.adapter else 0

    @property
    def rows(self) -> int:
        return self.backend.rows if self.backend else 0
