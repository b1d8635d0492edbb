"""The earlier periods' fast path (SPEC §12: history is frozen, so it must cost little).

A full sync keeps in the state what it found of the earlier periods: each one's first
day, its Exercices lines, the balances they carry into the current period, and a digest
of each one's frozen rows (sheet row and values). The next sync whose earlier closings
are the same reuses them: it decodes no earlier closing's rows and computes no earlier
period's books; when the rows dated in an earlier period are exactly the ones it froze
(same digest), they are not matched again. Any difference and the sync does the whole
work, so an edit of a frozen row is still the §9 error naming its closing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

import sheetsync
from sheetsync.books.payouts import Carried
from sheetsync.ledger.state import Closing, Json

Line = tuple[object, ...]  # one row of the Exercices tab
KEYS = ("contributions", "payments")


@dataclass(frozen=True)
class Summary:
    """What a full sync found of the earlier periods, oldest first."""

    key: str
    lows: tuple[dt.date, ...]
    lines: tuple[tuple[Line, ...], ...]
    carried: dict[str, Carried]
    frozen: dict[str, tuple[str, ...]]  # tab key -> each period's digest of frozen rows


def key(earlier: Sequence[Closing], lang: str) -> str | None:
    """What the summary depends on: the program, the language and the earlier closings
    (by checksum); None when one was made before periods were recorded (its period is
    then inferred from the spreadsheet as it is now: never reused)."""
    if not earlier or any(c.period is None for c in earlier):
        return None
    head = [sheetsync.__version__, pd.__version__, lang, [c.checksum for c in earlier]]
    return hashlib.sha256(json.dumps(head).encode("utf-8")).hexdigest()


def rows_digest(rows: np.ndarray, hashes: np.ndarray) -> str:
    """sha256 of a set of rows by sheet row and value hash (rowsets.hashes), whatever
    their order."""
    order = np.argsort(rows, kind="stable")
    pairs = np.stack([rows[order].astype(np.int64), hashes[order].astype(np.uint64).view(np.int64)])
    return hashlib.sha256(np.ascontiguousarray(pairs).tobytes()).hexdigest()


def summary(raw: Json, wanted: str | None) -> Summary | None:
    """The state's summary when it is for these earlier closings; None otherwise."""
    if wanted is None or not isinstance(raw, dict) or raw.get("key") != wanted:
        return None
    try:
        return Summary(
            key=wanted,
            lows=tuple(dt.date.fromisoformat(d) for d in raw["lows"]),
            lines=tuple(tuple(_line(line) for line in lines) for lines in raw["lines"]),
            carried={
                str(k): Carried(str(payee), tuple(map(str, people)), str(method), int(amount))
                for k, payee, people, method, amount in raw["carried"]
            },
            frozen={k: tuple(map(str, raw["frozen"][k])) for k in KEYS},
        )
    except (KeyError, TypeError, ValueError):
        return None  # not what this release writes: the whole work, then a new one


def record(found: Summary) -> Json:
    return {
        "key": found.key,
        "lows": [d.isoformat() for d in found.lows],
        "lines": [[_line_json(line) for line in lines] for lines in found.lines],
        "carried": [
            [k, c.payee, list(c.people), c.payment_method, c.amount]
            for k, c in found.carried.items()
        ],
        "frozen": {k: list(found.frozen[k]) for k in KEYS},
    }


def _line_json(line: Line) -> Json:
    return [["date", v.isoformat()] if isinstance(v, dt.date) else v for v in line]


def _line(raw: Json) -> Line:
    return tuple(
        dt.date.fromisoformat(v[1]) if isinstance(v, list) and v[:1] == ["date"] else v for v in raw
    )
