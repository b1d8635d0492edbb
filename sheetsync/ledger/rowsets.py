"""Input rows as whole columns: their typed frame, one 64-bit hash per row, and the rows
added, deleted and modified between two frames, with no Python loop over unchanged rows.

The journal and the closings both ask "which rows changed?"; this module answers it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sheetsync import display
from sheetsync.messages import say
from sheetsync.template import Lang, load

Field = tuple[str, str, str]  # template column key, frame column, how to show it
Values = tuple[tuple[str, str], ...]  # (column header, the cell as text)

CONTRIBUTION_FIELDS: tuple[Field, ...] = (
    ("date", "date", "date"),
    ("person", "person", "text"),
    ("group", "group", "text"),
    ("kind", "kind", "enum:kind"),
    ("hours", "seconds", "hours"),
    ("requested", "requested", "money"),
    ("description", "description", "text"),
    ("invited_by", "invited_by", "text"),
    ("status", "status", "enum:status"),
    ("exception", "exception", "bool"),
)
PAYMENT_FIELDS: tuple[Field, ...] = (
    ("date", "date", "date"),
    ("payee", "payee", "text"),
    ("amount", "amount", "money"),
    ("reference", "reference", "text"),
    ("note", "note", "text"),
)
FIELDS = {"contributions": CONTRIBUTION_FIELDS, "payments": PAYMENT_FIELDS}
# How each kind of field is typed before hashing, so both sides of a comparison agree.
DTYPES = {"date": "datetime64[ns]", "hours": "Int64", "money": "Int64", "bool": "bool"}


def typed(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """The sheet row and the input columns of a tab's rows, in one dtype per kind."""
    fields = FIELDS[key]
    columns = ["row", *(column for _, column, _ in fields)]
    types = {"row": "int64", **{c: DTYPES.get(kind, "str") for _, c, kind in fields}}
    picked = frame.reindex(columns=columns)
    text = [c for c, t in types.items() if t == "str"]
    picked[text] = picked[text].astype(object).where(picked[text].notna(), "")
    return picked.astype(types).reset_index(drop=True)


def hashes(rows: pd.DataFrame) -> np.ndarray:
    """One 64-bit hash per row of a `typed` frame, over its values, not its sheet row."""
    if rows.empty:
        return np.zeros(0, dtype=np.uint64)
    return pd.util.hash_pandas_object(rows.drop(columns="row"), index=False).to_numpy()


@dataclass(frozen=True)
class Changes:
    """Positions of changed rows: added (in after), deleted (in before), modified (pairs)."""

    added: np.ndarray
    deleted: np.ndarray
    modified: np.ndarray  # shape (n, 2): position in before, position in after

    def __bool__(self) -> bool:
        return bool(len(self.added) or len(self.deleted) or len(self.modified))


NO_CHANGE = Changes(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros((0, 2), np.int64))


def match(before: pd.DataFrame, before_hashes: np.ndarray, after: pd.DataFrame) -> Changes:
    """Rows added, deleted and modified from `before` to `after` (both `typed`).

    Identical values are the same row even if it moved (a row inserted above
    shifts the others): first at the same sheet row, then in order of
    appearance. What is left pairs by sheet row as a modification.
    """
    after_hashes = hashes(after)
    same_rows = np.array_equal(before["row"].to_numpy(), after["row"].to_numpy())
    if same_rows and np.array_equal(before_hashes, after_hashes):
        return NO_CHANGE
    old = _keys(before, before_hashes)
    new = _keys(after, after_hashes)
    old, new = _unpaired(old, new, ["hash", "row"])
    old, new = _unpaired(_ranked(old), _ranked(new), ["hash", "rank"])
    modified = old.merge(new, on="row", suffixes=("_old", "_new"))
    deleted = old[~old["at"].isin(modified["at_old"])]
    added = new[~new["at"].isin(modified["at_new"])].sort_values("row")
    return Changes(
        added["at"].to_numpy(),
        deleted["at"].to_numpy(),
        modified[["at_old", "at_new"]].to_numpy().reshape(-1, 2),
    )


def _keys(rows: pd.DataFrame, row_hashes: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(
        {"row": rows["row"].to_numpy(), "hash": row_hashes, "at": np.arange(len(rows))}
    )


def _ranked(keys: pd.DataFrame) -> pd.DataFrame:
    return keys.assign(rank=keys.groupby("hash").cumcount())


def _unpaired(
    old: pd.DataFrame, new: pd.DataFrame, on: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows of each side left once rows equal on `on` are paired off."""
    same = old.merge(new, on=on, suffixes=("_old", "_new"))
    return (
        old[~old["at"].isin(same["at_old"])].drop(columns="rank", errors="ignore"),
        new[~new["at"].isin(same["at_new"])].drop(columns="rank", errors="ignore"),
    )


# ---------------------------------------------------------------- rows as text


def cell_text(value: object, kind: str, lang: Lang) -> str:
    """A parsed cell as the journal shows it; "" for a blank."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, pd.Timestamp):
        value = value.date()
    if kind == "date" and isinstance(value, dt.date):
        return value.isoformat()[:10]
    if kind in NUMBER_TEXTS:
        return NUMBER_TEXTS[kind](int(value), lang)  # type: ignore[call-overload]
    if kind == "bool":
        return say(lang, "ledger.rowsets.yes") if value else say(lang, "ledger.rowsets.no")
    if kind.startswith("enum:"):
        return load().enums[kind[5:]].label(str(value), lang)
    return str(value)


NUMBER_TEXTS: dict[str, Callable[[int, Lang], str]] = {
    "money": display.amount,
    "hours": lambda seconds, _: display.duration(seconds),
}


def sheet_row(rows: pd.DataFrame, at: int) -> int:
    """The sheet row of the row at position `at` of a `typed` frame."""
    return int(rows["row"].to_numpy()[at])


def values(rows: pd.DataFrame, at: int, key: str, lang: Lang) -> Values:
    """One row of a `typed` frame as (column header, text) pairs, for a message."""
    tab = load().input(key)
    record = rows.iloc[int(at)]
    return tuple(
        (tab.column(name).name(lang), cell_text(record[column], kind, lang))
        for name, column, kind in FIELDS[key]
    )


def difference(before: Values, after: Values) -> str:
    """The values that changed, as `Column old → new`."""
    olds = dict(before)
    return "; ".join(
        f"{name} {olds.get(name, '')!s} → {value}"
        for name, value in after
        if olds.get(name, "") != value
    )


def describe(pairs: Sequence[tuple[str, str]]) -> str:
    """A row's non-blank values, as `Column value`."""
    return "; ".join(f"{name} {value}" for name, value in pairs if value)
