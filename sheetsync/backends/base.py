"""The backend interface: read raw cells, write owned tabs atomically.

Backends never import the rules; the rules never import a backend. A backend is opened
with the language of its messages (the caller's); a write is told the sheet's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol, runtime_checkable

from sheetsync.messages import say
from sheetsync.model import CellValue, OutputTable, RawWorkbook, StructureError
from sheetsync.template import Lang

TitleFilter = Callable[[str], bool]


class Backend(Protocol):
    """A spreadsheet sheetsync can read and write."""

    @property
    def display_name(self) -> str:
        """How to name the spreadsheet in messages (a file name, a title)."""
        ...

    def read(self, wanted: TitleFilter) -> RawWorkbook:
        """Cells of every tab whose title `wanted` accepts, plus owned-tab marks.

        `all_titles` and `owned` cover every tab, wanted or not.
        """
        ...

    def write(self, tables: Sequence[OutputTable], lang: Lang) -> None:
        """Create or replace these owned tabs in one atomic write.

        Each tab is marked as owned with its fingerprint. Tabs not named
        here are left exactly as they are. Raises StructureError if a title
        is held by a tab sheetsync did not create, BackendError if the
        spreadsheet cannot be written (locked, permission, network), said in
        `lang`: the sheet's, once read.
        """
        ...

    def init(self, lang: Lang, rows: Mapping[str, Sequence[Sequence[CellValue]]]) -> None:
        """Create the template's input tabs (with `rows` below each header).

        `rows` maps an input tab key to its data rows (may be empty). Tabs
        that already hold data are left untouched.
        """
        ...


@runtime_checkable
class CountsRequests(Protocol):
    """A backend that counts the HTTP requests it sent (Airtable): `-v` shows them."""

    @property
    def requests(self) -> int:
        """Requests sent so far, retries included."""
        ...


def tab_not_ours(lang: Lang, titles: Sequence[str]) -> StructureError:
    """A tab sheetsync must write is held by one it did not create: the one refusal every
    backend and the pipeline say, naming the user's tabs as they are spelled."""
    tabs = ", ".join(say(lang, "backend.tab_name", title=title) for title in titles)
    return StructureError(say(lang, "backend.tab_not_ours", tabs=tabs))
