"""Typed records passed between the stages: raw cells, the parsed book, outputs.

backend.read -> RawWorkbook -> parse -> Book -> rules -> Figures -> report -> [OutputTable]
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING

from sheetsync.errors import BackendError as BackendError  # noqa: PLC0414 - re-exported
from sheetsync.errors import StructureError as StructureError  # noqa: PLC0414 - re-exported
from sheetsync.template import Lang

if TYPE_CHECKING:
    import pandas as pd

# A cell as a backend hands it over: typed where the spreadsheet knew the type.
# Time-formatted cells arrive as dt.time or dt.timedelta.
CellValue = str | int | float | bool | dt.datetime | dt.date | dt.time | dt.timedelta | None


class ErrorCell(str):
    """A cell whose saved value is a spreadsheet error (#DIV/0!, #REF!, #N/A…), not text:
    backends hand it over as its error text, typed so that nobody takes it for data."""

    __slots__ = ()


@dataclass(frozen=True)
class RawTab:
    """One tab's cells, row 1 first, as the user sees them."""

    title: str
    rows: list[list[CellValue]]
    # The number the spreadsheet shows for the first row below the header: 2 in a
    # sheet (the header is row 1), 1 in an Airtable grid (records are numbered alone).
    first: int = 2


@dataclass(frozen=True)
class RawWorkbook:
    """What a backend reads: every tab's cells, and which tabs sheetsync owns."""

    tabs: dict[str, RawTab]  # by title, in sheet order
    # Tabs sheetsync created: title -> fingerprint of what it last wrote there.
    owned: dict[str, str] = field(default_factory=dict)
    locale: str | None = None  # e.g. "fr_FR", "en_US"; None when unknown
    all_titles: tuple[str, ...] = ()  # every tab title, input or not, in order


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Anomaly:
    """A problem in the data: a record to show, never an exception."""

    severity: Severity
    tab: str  # the tab's title as it is in the spreadsheet
    row: int | None  # the row number the user sees (header = 1); None for the tab
    column: str | None  # the column header as it is in the spreadsheet
    value: str  # the offending cell as text ("" when none)
    message: str  # what is wrong and what to do, in the template's language
    code: str = ""  # stable identifier of the check, for tests and --json


class Policy(StrEnum):
    FLAG = "flag"
    PRO_RATA = "pro_rata"
    FIRST_COME = "first_come"


class Retribution(StrEnum):
    FINANCIAL = "financial"
    NON_FINANCIAL = "non_financial"
    VOLUNTEER = "volunteer"


class Kind(StrEnum):
    PRODUCTION = "production"
    COORDINATION = "coordination"
    CREATIVE = "creative"


class Status(StrEnum):
    DECLARED = "declared"
    VALIDATED = "validated"
    REJECTED = "rejected"


# The word of the total rows, the same in French and English; no group may be named it.
TOTAL = "Total"


@dataclass(frozen=True)
class Settings:
    """The Paramètres tab as read. Defaults live in the template alone
    (templates/template.toml); sheetsync.parse.settings.default_settings gives them."""

    currency: str
    reference_rate: int  # cents per day
    hours_per_day: Fraction
    period_start: dt.date
    period_end: dt.date
    validation_required: bool
    coordination_paid: bool
    alert_threshold: Fraction
    rate_deviation_factor: Fraction
    reminder_days: int
    surplus_commons: Fraction
    surplus_smoothing: Fraction
    network_name: str  # Nom du réseau: the head of statements and the public page
    form_link: str
    sheet_link: str
    reminder_sender: str
    reminder_reply_to: str
    record_limit: int  # Airtable: the base's plan limit of records (SPEC §14)


@dataclass(frozen=True)
class Group:
    name: str
    pilot: str
    envelope: int  # cents
    policy: Policy
    daily_rate: int | None  # cents per day; None = the reference rate
    row: int


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    retribution: Retribution
    billing_entity: str
    payment_method: str
    row: int
    no_reminder: bool = False  # Pas de relance: never emailed by `sheetsync remind`
    publish: bool = False  # Publier mon nom: named on the public page (SPEC §13)


@dataclass(frozen=True)
class Book:
    """The parsed, typed content of the input tabs.

    contributions: one row per valid contribution row (rows with an error
    are left out), columns: row (int, sheet row), date (datetime64[ns]),
    person (str, canonical name), person_known (bool), group (str, canonical
    name), charged (str, the group that pays: SPEC §4 "Charged group"),
    kind (Kind value), seconds (Int64, <NA> when no hours),
    requested (Int64 cents, <NA> when no amount), description (str),
    invited_by (str), status (Status value), exception (bool).

    payments: row, date (datetime64[ns], NaT allowed), payee (str, as
    written, normalised spaces), amount (int64 cents), reference, note.
    """

    lang: Lang
    settings: Settings
    groups: tuple[Group, ...]
    people: tuple[Person, ...]
    contributions: pd.DataFrame
    payments: pd.DataFrame
    anomalies: tuple[Anomaly, ...]
    titles: dict[str, str] = field(default_factory=dict)  # input key -> tab title found
    headers: dict[str, dict[str, str]] = field(default_factory=dict)  # key -> col key -> header
    # The live rows of Contributions, the form's responses (numbered as in contributions)
    # and Versements left out for an error, with what could be read of them: columns tab
    # ("contributions" or "payments"), row, date (NaT when unreadable), group ("" for a
    # payment). Later stages ask it instead of reading the cells again; None when the
    # tabs were not parsed (the unchanged-sync fast path).
    left_out: pd.DataFrame | None = None


@dataclass(frozen=True)
class ChartSpec:
    """A native chart drawn on an output tab, described once for every backend.

    The data are columns of a table written in the same sync: `source` is that
    tab's title ("" for the chart's own tab); `category` and `values` are its
    column headers (the x axis, then one series per value column), read over
    the first `rows` data rows below the header.
    """

    kind: str  # "bar" or "line"
    title: str
    category: str
    values: tuple[str, ...]
    rows: int
    anchor: str  # top-left cell of the chart on its tab, e.g. "H2"
    source: str = ""
    percent: bool = False  # values are fractions shown as percentages


@dataclass(frozen=True)
class OutputTable:
    """One output tab ready to write: localized title, header, typed rows.

    Cell types by column kind: money -> int cents, percent/factor/hours ->
    float, integer -> int, date -> dt.date, text -> str; None for blank.
    """

    key: str
    title: str
    header: tuple[str, ...]
    kinds: tuple[str, ...]
    rows: list[tuple[object, ...]]
    currency: str = "EUR"
    charts: tuple[ChartSpec, ...] = ()
    hidden: bool = False  # a tab kept out of sight (sheetsync's own state)
    # Written even when its fingerprint matches the mark: someone edited the tab by hand.
    rewrite: bool = False
    # The rows that are totals (0-based, into rows), flagged by whoever built the table:
    # shown bold, never told from the word "Total", which a group's name could be.
    total_rows: tuple[int, ...] = ()

    def fingerprint(self) -> str:
        """A digest of everything written to the tab: equal digests, equal tabs.

        Computed once per table (a table is not changed once built): the pipeline, the
        fast path's memory and the backend's marks all ask for it.
        """
        return self._digest

    @cached_property
    def _digest(self) -> str:
        """The digest itself.

        Charts are left out: their specs are derived from the tables' own
        content (see sheetsync.charts), and a tab's cells read back alone must
        give its digest again (hand-edit detection). Floats count at the 15
        significant digits spreadsheet programs keep, so a plain load-and-save
        by another program is not an edit.
        """
        # The JSON of [title, header, kinds, currency, rows], hashed a batch of rows at a
        # time, a row object repeated (the blank rows of a far value) made stored once.
        digest = hashlib.sha256()
        head = _canonical([self.title, self.header, self.kinds, self.currency])
        digest.update(head[:-1].encode("utf-8") + b",[")
        last: object = None
        stored: tuple[object, ...] = ()
        for start in range(0, len(self.rows), _HASH_BATCH):
            batch = []
            for row in self.rows[start : start + _HASH_BATCH]:
                if row is not last:
                    last, stored = row, tuple(map(as_stored, row))
                batch.append(stored)
            digest.update((b"," if start else b"") + _canonical(batch)[1:-1].encode("utf-8"))
        digest.update(b"]]")
        return digest.hexdigest()


_HASH_BATCH = 4096


def _canonical(value: object) -> str:
    return json.dumps(value, default=str, ensure_ascii=False, separators=(",", ":"))


def as_stored(value: object) -> object:
    """A value as spreadsheet programs keep it, so that what sheetsync writes survives
    another program's load-and-save unchanged: a float to 15 significant digits,
    a text as `stored_text`."""
    if type(value) is float:
        return float(f"{value:.15g}")
    return stored_text(value) if isinstance(value, str) else value


MAX_CELL_TEXT = 32767  # Excel repairs (and truncates) longer cells on opening
_SURROGATE = re.compile("[\ud800-\udfff]")


def stored_text(text: str) -> str:
    """A text as every spreadsheet can keep it: at most 32,767 characters (Excel's
    limit), a lone surrogate half (which no file can encode) as U+FFFD. Control
    characters are kept: writers escape them (see backends/xlsx/xmltext.py)."""
    if len(text) <= MAX_CELL_TEXT and (text.isascii() or not _SURROGATE.search(text)):
        return text
    return _SURROGATE.sub("\ufffd", text[:MAX_CELL_TEXT])
