"""Floors: the fastest plain way to do each stage's work alone, on the same data.

A floor is a lower bound a stage can be held against, not a competitor: it does the
bulk of the stage's work with one or two C-level library calls and skips everything
that makes the result right (typing, validation, messages, rounding, the many groupings).

- parse: one `pandas.DataFrame` per input tab, built from the same raw rows;
- rules: a groupby-sum of the same row amounts, per group and per person;
- checks: `duplicated()` over the input columns and a groupby-sum of the hours per
  (person, day), the two checks that look at every row;
- report: building as many tuples, of the same widths, as the output tables hold;
- ledger (first sync): the rules floor + `pd.util.hash_pandas_object` of the input
  columns (contributions and payments) + zlib + base64 of the same state JSON bytes;
- ledger (repeat sync): the rules floor + the same hashes + the state read floor
  (the state is unchanged and written back as read);
- ledger (close): the repeat floor + zlib + base64 of the new state's JSON bytes;
- state read: base64-decode + zlib.decompress + json.loads of the same data packed
  as one document.

The ledger stage computes the figures under the closings (the one computation of the
rules in a sync), which is why the ledger floors include the rules floor; a close
works out the rows' payables before freezing them and the figures after, its floor
counts the rules once.
"""

from __future__ import annotations

import base64
import json
import time
import zlib
from collections.abc import Callable, Sequence
from typing import TypeVar

import pandas as pd

from sheetsync.books.rules import Figures
from sheetsync.ledger import frames
from sheetsync.model import Book, OutputTable, RawWorkbook

T = TypeVar("T")
# The input columns of the parsed tabs (those the journal and the closings compare).
INPUT_COLUMNS = {
    "contributions": ["date", "person", "group", "kind", "seconds", "requested",
                      "description", "invited_by", "status", "exception"],
    "payments": ["date", "payee", "amount", "reference", "note"],
}  # fmt: skip


def fastest(action: Callable[[], T], repeats: int) -> tuple[T, float]:
    """The result of `action` and its fastest time over `repeats` runs."""
    best = float("inf")
    result: T
    for _ in range(max(repeats, 1)):
        start = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - start)
    return result, best


def measure(
    raw: RawWorkbook,
    book: Book,
    figures: Figures,
    rendered: Sequence[OutputTable],
    *,
    packed: dict[str, str],
    repeats: int,
) -> dict[str, float]:
    """Each stage's floor in seconds, by the stage's name."""

    def timed(action: Callable[[], object]) -> float:
        return fastest(action, repeats)[1]

    first, closed = state_bytes(packed["first"]), state_bytes(packed["closed"])
    one_document = frames.pack(first.decode("utf-8"))
    found = {
        "parse": timed(lambda: parse(raw)),
        "rules": timed(lambda: rules(figures.rows)),
        "checks": timed(lambda: checks(book.contributions)),
        "report": timed(lambda: report(rendered)),
        "hashes": timed(lambda: hashes(book)),
        "state_write": timed(lambda: write_state(first)),
        "state_write_closed": timed(lambda: write_state(closed)),
        "state_read": timed(lambda: read_state(one_document)),
    }
    row_work = found["rules"] + found["hashes"]
    found["ledger_first"] = row_work + found["state_write"]
    found["ledger_repeat"] = row_work + found["state_read"]
    found["ledger_close"] = found["ledger_repeat"] + found["state_write_closed"]
    return found


def parse(raw: RawWorkbook) -> list[pd.DataFrame]:
    return [pd.DataFrame(tab.rows[1:]) for tab in raw.tabs.values()]


def rules(rows: pd.DataFrame) -> list[pd.Series]:
    return [rows.groupby(key)["amount"].sum() for key in ("group", "person")]


def checks(contributions: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    duplicated = contributions.duplicated(subset=INPUT_COLUMNS["contributions"])
    per_day = contributions.groupby(["person", "date"])["seconds"].sum()
    return duplicated, per_day


def report(tables: Sequence[OutputTable]) -> list[list[tuple[int, ...]]]:
    return [list(zip(*[range(len(t.rows))] * len(t.header), strict=True)) for t in tables]


def hashes(book: Book) -> list[pd.Series]:
    found = []
    for frame, key in ((book.contributions, "contributions"), (book.payments, "payments")):
        found.append(pd.util.hash_pandas_object(frame[INPUT_COLUMNS[key]], index=False))
    return found


def state_bytes(packed: str) -> bytes:
    """The JSON bytes a packed state holds, its packed parts (each closing's content,
    the snapshot) unpacked in place: the same data as one plain document."""
    document = json.loads(frames.unpack(packed))
    for closing in document.get("closings", []):
        closing["content"] = json.loads(frames.unpack(closing["content"]))
    if isinstance(document.get("snapshot"), str):
        document["snapshot"] = json.loads(frames.unpack(document["snapshot"]))
    return json.dumps(document, separators=(",", ":")).encode("utf-8")


def write_state(data: bytes) -> bytes:
    return base64.b64encode(zlib.compress(data, frames.LEVEL))


def read_state(packed: str) -> object:
    """Decoding a state packed as one document."""
    body = packed.removeprefix(frames.PACKED)
    return json.loads(zlib.decompress(base64.b64decode(body, validate=True)))
