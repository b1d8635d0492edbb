"""The state sheetsync keeps inside the spreadsheet, in a hidden owned tab: closings,
reopenings, the journal and the last snapshot of the input tabs.

Frames are stored column by column (one JSON list per column, compressed); row hashes
are never stored, they are recomputed from the values when read. A nightly job on a
fresh machine reads the state back like any tab, so nothing lives elsewhere.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, overload

import numpy as np
import pandas as pd

from sheetsync.errors import StructureError
from sheetsync.ledger import rowsets
from sheetsync.ledger.frames import (
    PACKED,
    canonical,
    frame_from,
    frame_json,
    pack,
    text_checksum,
    unpack,
)
from sheetsync.ledger.snapshot import Snapshot
from sheetsync.messages import say
from sheetsync.model import OutputTable, RawTab, RawWorkbook
from sheetsync.template import Lang, lang_of, load

# 3: a closing's content and the snapshot each packed on its own inside the document
# (`pack` of their canonical JSON): the seal is checked on the text read, and a part
# left unchanged is written back as read, its frames never encoded again.
# 2: frames column by column, inline. 1: row by row.
VERSION = 3
# Both spreadsheet programs hold at least this many characters in one cell.
CHUNK = 30000

Json = Any
JournalLine = tuple[str, str, int | None, str, str]  # time, tab, row, change, detail
# An email sheetsync remind sent: kind ("person" or "pilot"), to whom (a name key),
# the mark of what it said (the silence's start, or the digest's fingerprint), the time.
Reminder = tuple[str, str, str, str]


def title() -> str:
    """The hidden tab's title, the same in every language."""
    return load().ledger_tab("state").fr


def is_state_title(text: str) -> bool:
    return text == title()


def checksum(content: Json) -> str:
    """sha256 of a JSON value written canonically."""
    return text_checksum(canonical(content))


# ---------------------------------------------------------------- the records


class _SealBrokenError(ValueError):
    """A closing whose content no longer gives the checksum it was sealed with."""

    def __init__(self, label: str) -> None:
        super().__init__(f"checksum of {label}")
        self.label = label


@dataclass(frozen=True)
class Reopen:
    label: str
    reason: str
    time: str


Decode = Callable[[], pd.DataFrame]


class _Frame:
    """A closing's frozen frame, decoded from the state only when first read: a sync
    whose earlier periods are unchanged never reads theirs (ledger.history)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = "_" + name

    @overload
    def __get__(self, closing: None, owner: type) -> _Frame: ...
    @overload
    def __get__(self, closing: object, owner: type) -> pd.DataFrame: ...
    def __get__(self, closing: object, owner: type) -> pd.DataFrame | _Frame:
        if closing is None:
            # No default for the dataclass field (see dataclasses, descriptor fields).
            raise AttributeError(self._name)
        value = closing.__dict__[self._name]
        if not isinstance(value, pd.DataFrame):
            value = closing.__dict__[self._name] = value()
        return value  # type: ignore[no-any-return]

    def __set__(self, closing: object, value: pd.DataFrame | Decode) -> None:
        closing.__dict__[self._name] = value


@dataclass(frozen=True, eq=False)
class Closing:
    """Everything dated up to `until`, frozen as it stood when the closing was made.

    rows: the contribution rows with their computed amounts (rules.Figures.rows
    columns); payments: the payment rows; table: the closing tab's rows.
    """

    label: str
    until: dt.date
    time: str
    lang: Lang
    rows: _Frame = _Frame()  # a DataFrame, or how to decode it (read lazily)
    payments: _Frame = _Frame()
    table: tuple[tuple[Json, ...], ...] = ()
    checksum: str = ""
    reopened: Reopen | None = None
    # The period in force when the closing was made (ledger.periods.record): its dates,
    # settings, groups and people. None for a closing made before periods were recorded.
    period: Json = None
    # `pack` of the canonical text of `content()` the checksum was taken on (set by
    # `sealed` and when read): written as it is, never encoded from the frames again.
    packed: str = field(default="", repr=False)

    def content(self) -> Json:
        """What the checksum covers: every frozen value, not the reopening."""
        content = {
            "label": self.label,
            "until": self.until.isoformat(),
            "time": self.time,
            "lang": self.lang,
            "rows": frame_json(self.rows),
            "payments": frame_json(self.payments),
            "table": [list(r) for r in self.table],
        }
        # Absent rather than null, so a closing made before periods were recorded
        # keeps the content, and the checksum, it was sealed with.
        return content if self.period is None else {**content, "period": self.period}

    def sealed(self) -> Closing:
        """This closing with the checksum of its content (and the content packed)."""
        text = canonical(self.content())
        return replace(self, checksum=text_checksum(text), packed=pack(text))

    def frozen(self, key: str) -> tuple[pd.DataFrame, np.ndarray]:
        """The frozen input rows of a tab ("contributions", "payments") and their hashes."""
        return _typed_and_hashed(self, key)


@functools.lru_cache(maxsize=8)  # closings compare and hash by identity
def _typed_and_hashed(closing: Closing, key: str) -> tuple[pd.DataFrame, np.ndarray]:
    rows = rowsets.typed(closing.rows if key == "contributions" else closing.payments, key)
    return rows, rowsets.hashes(rows)


@dataclass(frozen=True)
class State:
    closings: tuple[Closing, ...] = ()
    reopens: tuple[Reopen, ...] = ()
    snapshot: Snapshot | None = None
    journal: tuple[JournalLine, ...] = ()
    reminders: tuple[Reminder, ...] = ()
    # What the last sync saw and wrote, for the unchanged-sync fast path (ledger.unchanged).
    unchanged: Json = None
    # What the last full sync found of the earlier periods, for the next (ledger.history).
    history: Json = None

    def active(self) -> Closing | None:
        """The latest closing still in force; it holds every earlier frozen row."""
        standing = [c for c in self.closings if c.reopened is None]
        return max(standing, key=lambda c: c.until, default=None)

    def latest(self, label: str) -> Closing | None:
        """The last closing made under this label, reopened or not."""
        return next((c for c in reversed(self.closings) if c.label == label), None)


# ---------------------------------------------------------------- to and from JSON


def _reopen_json(r: Reopen | None) -> Json:
    return None if r is None else {"label": r.label, "reason": r.reason, "time": r.time}


def _reopen(raw: Json) -> Reopen | None:
    return None if raw is None else Reopen(str(raw["label"]), str(raw["reason"]), str(raw["time"]))


def _lang(raw: Json) -> Lang:
    return lang_of(raw) or "fr"


def _closing(raw: Json) -> Closing:
    """A closing as version 3 keeps it: its content packed, checksum, reopening."""
    packed = str(raw["content"])
    text = unpack(packed)
    return _closing_of(json.loads(text), text, raw, packed)


def _closing_v2(raw: Json) -> Closing:
    """A closing as version 2 kept it: its content inline, taken canonically."""
    content = {k: v for k, v in raw.items() if k not in {"checksum", "reopened"}}
    text = canonical(content)
    return _closing_of(content, text, raw, pack(text))


def _closing_of(content: Json, text: str, raw: Json, packed: str) -> Closing:
    """The closing read, once its content's text is found to be the one sealed."""
    if text_checksum(text) != raw["checksum"]:
        raise _SealBrokenError(str(content["label"]))
    return Closing(
        label=str(content["label"]),
        until=dt.date.fromisoformat(content["until"]),
        time=str(content["time"]),
        lang=_lang(content["lang"]),
        rows=functools.partial(frame_from, content["rows"]),
        payments=functools.partial(frame_from, content["payments"]),
        table=tuple(tuple(r) for r in content["table"]),
        checksum=str(raw["checksum"]),
        reopened=_reopen(raw.get("reopened")),
        packed=packed,
        period=content.get("period"),
    )


def _snapshot(raw: Json, *, v2: bool) -> Snapshot | None:
    if raw["snapshot"] is None:
        return None
    if v2:
        return Snapshot.from_json(raw["snapshot"])
    return Snapshot.packed_as(str(raw["snapshot"]), str(raw.get("snapshot_source") or ""))


def to_json(state: State) -> Json:
    return {
        "version": VERSION,
        "closings": [
            {
                "content": c.packed or pack(canonical(c.content())),
                "checksum": c.checksum,
                "reopened": _reopen_json(c.reopened),
            }
            for c in state.closings
        ],
        "reopens": [_reopen_json(r) for r in state.reopens],
        "snapshot": None if state.snapshot is None else state.snapshot.packed,
        "snapshot_source": None if state.snapshot is None else state.snapshot.source,
        "journal": [list(line) for line in state.journal],
        "reminders": [list(sent) for sent in state.reminders],
        "unchanged": state.unchanged,
        "history": state.history,
    }


def from_json(raw: Json) -> State:
    version = raw.get("version", 1)
    if version < 2:
        return _from_version_1(raw)
    v2 = version == 2
    return State(
        closings=tuple((_closing_v2 if v2 else _closing)(c) for c in raw["closings"]),
        reopens=tuple(r for r in (_reopen(x) for x in raw["reopens"]) if r is not None),
        snapshot=_snapshot(raw, v2=v2),
        journal=tuple(_line(line) for line in raw["journal"]),
        reminders=tuple(_reminder(sent) for sent in raw.get("reminders", ())),
        unchanged=raw.get("unchanged"),
        history=raw.get("history"),
    )


def _reminder(raw: Json) -> Reminder:
    return (str(raw[0]), str(raw[1]), str(raw[2]), str(raw[3]))


def _from_version_1(raw: Json) -> State:
    """A state written row by row (version 1): closings and journal kept, checked
    against their own checksums; the snapshot is taken anew at the next sync."""
    closings = []
    for old in raw["closings"]:
        content = {k: v for k, v in old.items() if k not in {"checksum", "reopened"}}
        if checksum(content) != old["checksum"]:
            raise _SealBrokenError(str(old["label"]))
        closing = Closing(
            label=str(old["label"]),
            until=dt.date.fromisoformat(old["until"]),
            time=str(old["time"]),
            lang=_lang(old["lang"]),
            rows=_records_frame(old["rows"], "contributions"),
            payments=_records_frame(old["payments"], "payments"),
            table=tuple(tuple(r) for r in old["table"]),
            reopened=_reopen(old.get("reopened")),
        )
        closings.append(closing.sealed())
    return State(
        closings=tuple(closings),
        reopens=tuple(r for r in (_reopen(x) for x in raw["reopens"]) if r is not None),
        journal=tuple(_line(line) for line in raw["journal"]),
    )


def _records_frame(records: Sequence[Mapping[str, Json]], key: str) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(list(records))
    columns = ["row", *(c for _, c, _ in rowsets.FIELDS[key])]
    frame = frame.reindex(columns=list(dict.fromkeys([*columns, *frame.columns])))
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
    return frame


def _line(raw: Json) -> JournalLine:
    row = raw[2]
    return (str(raw[0]), str(raw[1]), None if row is None else int(row), str(raw[3]), str(raw[4]))


# ---------------------------------------------------------------- the hidden tab


def table(state: State, as_read: str = "") -> OutputTable:
    """The state as a hidden owned tab: numbered chunks of one packed JSON document.

    `as_read` is the packed text of a state read and left unchanged: it is
    written back as it was read, without encoding the state again.
    """
    tab = load().ledger_tab("state")
    text = as_read or pack(json.dumps(to_json(state), sort_keys=True, separators=(",", ":")))
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
    return read_as_packed(raw, lang)[0]


def read_as_packed(raw: RawWorkbook, lang: Lang) -> tuple[State, str]:
    """The state, and its packed text when it can be written back as it is ("" if not)."""
    sheet = raw.tabs.get(title())
    if sheet is None or title() not in raw.owned:
        return State(), ""
    text = packed_text(sheet)
    try:
        document = json.loads(unpack(text))
        state = from_json(document)
    except _SealBrokenError as error:
        detail = say(lang, "ledger.state.closing_no_longer_matches_checksum", label=error.label)
        raise _damaged(lang, detail) from error
    except (ValueError, KeyError, TypeError, IndexError, zlib.error) as error:
        raise _damaged(lang, str(error)) from error
    current = text.startswith(PACKED) and document.get("version") == VERSION
    return state, text if current else ""


def packed_text(sheet: RawTab) -> str:
    """The chunks of the state tab joined in their numbered order."""
    chunks = sorted((float(str(r[0])), str(r[1])) for r in sheet.rows[1:] if _is_chunk(r))
    return "".join(text for _, text in chunks)


def _is_chunk(row: Sequence[object]) -> bool:
    return len(row) >= 2 and isinstance(row[0], int | float) and isinstance(row[1], str)


def _damaged(lang: Lang, detail: str) -> StructureError:
    return StructureError(
        say(lang, "ledger.state.hidden_tab_sheetsync_s_state", title=title(), detail=detail)
    )
