"""The state sheetsync keeps inside the spreadsheet, in a hidden owned tab: closings,
reopenings, the journal and the last snapshot of the input tabs.

A nightly job on a fresh machine reads it back like any tab, so nothing lives elsewhere.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sheetsync.model import OutputTable, RawWorkbook, StructureError
from sheetsync.template import Lang, load
from sheetsync.text import tr

VERSION = 1
# Both spreadsheet programs hold at least this many characters in one cell.
CHUNK = 30000
PACKED = "zlib:"  # marks a compressed state

Json = Any
Values = tuple[tuple[str, str], ...]  # (column header, the cell as text)
JournalLine = tuple[str, str, int | None, str, str]  # time, tab, row, change, detail


def title() -> str:
    """The hidden tab's title, the same in every language."""
    return load().ledger_tab("state").fr


def is_state_title(text: str) -> bool:
    return text == title()


@dataclass(frozen=True)
class RowPrint:
    """One input row as it stood: its sheet row, a digest of its values, the values."""

    row: int
    digest: str
    values: Values


def digest(values: Values) -> str:
    """sha256 of a row's parsed values, whatever row of the sheet holds them."""
    return checksum([list(pair) for pair in values])


def checksum(content: Json) -> str:
    """sha256 of a JSON value written canonically."""
    text = json.dumps(content, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Reopen:
    label: str
    reason: str
    time: str


@dataclass(frozen=True)
class Closing:
    """Everything dated up to `until`, frozen as it stood when the closing was made.

    rows: the contribution rows with their computed amounts (rules.Figures.rows
    as JSON records); payments: the payment rows; prints: one RowPrint per
    frozen contribution and payment row; table: the closing tab's rows.
    """

    label: str
    until: dt.date
    time: str
    lang: Lang
    rows: tuple[Mapping[str, Json], ...]
    payments: tuple[Mapping[str, Json], ...]
    contribution_prints: tuple[RowPrint, ...]
    payment_prints: tuple[RowPrint, ...]
    table: tuple[tuple[Json, ...], ...]
    checksum: str = ""
    reopened: Reopen | None = None

    def content(self) -> Json:
        """What the checksum covers: every frozen value, not the reopening."""
        return {
            "label": self.label,
            "until": self.until.isoformat(),
            "time": self.time,
            "lang": self.lang,
            "rows": list(self.rows),
            "payments": list(self.payments),
            "contribution_prints": [_print_json(p) for p in self.contribution_prints],
            "payment_prints": [_print_json(p) for p in self.payment_prints],
            "table": [list(r) for r in self.table],
        }

    def sealed(self) -> Closing:
        """This closing with the checksum of its content."""
        return replace(self, checksum=checksum(self.content()))


@dataclass(frozen=True)
class Snapshot:
    """The input tabs as the journal last saw them."""

    contributions: tuple[RowPrint, ...]
    payments: tuple[RowPrint, ...]
    groups: tuple[tuple[str, Values], ...]  # (group name, its values)
    settings: Values


@dataclass(frozen=True)
class State:
    closings: tuple[Closing, ...] = ()
    reopens: tuple[Reopen, ...] = ()
    snapshot: Snapshot | None = None
    journal: tuple[JournalLine, ...] = ()

    def active(self) -> Closing | None:
        """The latest closing still in force; it holds every earlier frozen row."""
        standing = [c for c in self.closings if c.reopened is None]
        return max(standing, key=lambda c: c.until, default=None)

    def latest(self, label: str) -> Closing | None:
        """The last closing made under this label, reopened or not."""
        return next((c for c in reversed(self.closings) if c.label == label), None)


# ---------------------------------------------------------------- to and from JSON


def _print_json(p: RowPrint) -> Json:
    return [p.row, p.digest, [list(v) for v in p.values]]


def _print(raw: Json) -> RowPrint:
    return RowPrint(int(raw[0]), str(raw[1]), _values(raw[2]))


def _values(raw: Json) -> Values:
    return tuple((str(k), str(v)) for k, v in raw)


def _reopen_json(r: Reopen | None) -> Json:
    return None if r is None else {"label": r.label, "reason": r.reason, "time": r.time}


def _reopen(raw: Json) -> Reopen | None:
    return None if raw is None else Reopen(str(raw["label"]), str(raw["reason"]), str(raw["time"]))


def _closing(raw: Json) -> Closing:
    return Closing(
        label=str(raw["label"]),
        until=dt.date.fromisoformat(raw["until"]),
        time=str(raw["time"]),
        lang="en" if raw["lang"] == "en" else "fr",
        rows=tuple(raw["rows"]),
        payments=tuple(raw["payments"]),
        contribution_prints=tuple(_print(p) for p in raw["contribution_prints"]),
        payment_prints=tuple(_print(p) for p in raw["payment_prints"]),
        table=tuple(tuple(r) for r in raw["table"]),
        checksum=str(raw["checksum"]),
        reopened=_reopen(raw.get("reopened")),
    )


def _snapshot_json(s: Snapshot | None) -> Json:
    if s is None:
        return None
    return {
        "contributions": [_print_json(p) for p in s.contributions],
        "payments": [_print_json(p) for p in s.payments],
        "groups": [[name, [list(v) for v in values]] for name, values in s.groups],
        "settings": [list(v) for v in s.settings],
    }


def _snapshot(raw: Json) -> Snapshot | None:
    if raw is None:
        return None
    return Snapshot(
        contributions=tuple(_print(p) for p in raw["contributions"]),
        payments=tuple(_print(p) for p in raw["payments"]),
        groups=tuple((str(name), _values(values)) for name, values in raw["groups"]),
        settings=_values(raw["settings"]),
    )


def to_json(state: State) -> Json:
    return {
        "version": VERSION,
        "closings": [
            {**c.content(), "checksum": c.checksum, "reopened": _reopen_json(c.reopened)}
            for c in state.closings
        ],
        "reopens": [_reopen_json(r) for r in state.reopens],
        "snapshot": _snapshot_json(state.snapshot),
        "journal": [list(line) for line in state.journal],
    }


def from_json(raw: Json) -> State:
    return State(
        closings=tuple(_closing(c) for c in raw["closings"]),
        reopens=tuple(r for r in (_reopen(x) for x in raw["reopens"]) if r is not None),
        snapshot=_snapshot(raw["snapshot"]),
        journal=tuple(_line(line) for line in raw["journal"]),
    )


def _line(raw: Json) -> JournalLine:
    row = raw[2]
    return (str(raw[0]), str(raw[1]), None if row is None else int(row), str(raw[3]), str(raw[4]))


# ---------------------------------------------------------------- the hidden tab


def table(state: State) -> OutputTable:
    """The state as a hidden owned tab: numbered chunks of one JSON document."""
    tab = load().ledger_tab("state")
    text = pack(json.dumps(to_json(state), sort_keys=True, separators=(",", ":")))
    chunks = [text[i : i + CHUNK] for i in range(0, len(text), CHUNK)]
    return OutputTable(
        key=tab.key,
        title=title(),
        header=tuple(c.en for c in tab.columns),
        kinds=tuple(c.kind for c in tab.columns),
        rows=[(n, chunk) for n, chunk in enumerate(chunks, start=1)],
        hidden=True,
    )


def read(raw: RawWorkbook, lang: Lang) -> State:
    """The state held by the spreadsheet; an empty state when it has none yet.

    A damaged state stops the run: writing over it would lose the closings.
    """
    sheet = raw.tabs.get(title())
    if sheet is None or title() not in raw.owned:
        return State()
    chunks = sorted((float(str(r[0])), str(r[1])) for r in sheet.rows[1:] if _is_chunk(r))
    try:
        state = from_json(json.loads(unpack("".join(text for _, text in chunks))))
    except (ValueError, KeyError, TypeError, IndexError, zlib.error) as error:
        raise _damaged(lang, str(error)) from error
    for closing in state.closings:
        if closing.sealed().checksum != closing.checksum:
            raise _damaged(lang, f"checksum of {closing.label}")
    return state


def pack(text: str) -> str:
    """The state's JSON compressed: it holds a snapshot of every input row, so a large
    sheet would otherwise write and read its input a second time on each sync."""
    return PACKED + base64.b64encode(zlib.compress(text.encode("utf-8"), 6)).decode("ascii")


def unpack(text: str) -> str:
    if not text.startswith(PACKED):
        return text  # a state written before compression
    return zlib.decompress(base64.b64decode(text[len(PACKED) :], validate=True)).decode("utf-8")


def _is_chunk(row: Sequence[object]) -> bool:
    return len(row) >= 2 and isinstance(row[0], int | float) and isinstance(row[1], str)


def _damaged(lang: Lang, detail: str) -> StructureError:
    return StructureError(
        tr(
            lang,
            "L'onglet caché « {title} » (l'état de sheetsync : clôtures, journal) a été "
            "modifié à la main ({detail}) : restaurez une version antérieure du classeur. "
            "Rien n'a été écrit.",
            "The hidden tab '{title}' (sheetsync's state: closings, journal) was edited by "
            "hand ({detail}): restore an earlier version of the spreadsheet. Nothing was written.",
            title=title(),
            detail=detail,
        )
    )
