"""Data frames as JSON, column by column (one list per column), and back with their
dtypes; JSON written canonically and packed (compressed, as ASCII): how the state
keeps the frozen rows and the snapshot of the input tabs."""

from __future__ import annotations

import base64
import hashlib
import json
import zlib
from typing import Any

import numpy as np
import pandas as pd

Json = Any
EPOCH = np.datetime64("1970-01-01", "D")
PACKED = "zlib:"  # marks a compressed state
# zlib level 3: measured on a 100k-row state (10.5 MB of JSON), 3.6x faster than
# level 6 for 10 % more bytes (benchmarks/RESULTS.md); any level reads back the same.
LEVEL = 3


def frame_json(frame: pd.DataFrame) -> Json:
    """A frame as {"types": [[column, dtype]...], "columns": {column: [values]}}.

    Dates become whole days since 1970 (None for a missing one); missing
    numbers None; the rest as JSON has it.
    """
    columns: dict[str, list[object]] = {}
    for name, series in frame.items():
        columns[str(name)] = _column_json(series)
    types = [[str(name), str(dtype)] for name, dtype in frame.dtypes.items()]
    return {"types": types, "columns": columns}


def _column_json(series: pd.Series) -> list[object]:
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        days = series.to_numpy(dtype="datetime64[D]")
        missing = np.isnat(days)
        numbers = (days - EPOCH).astype("int64").astype(object)
        numbers[missing] = None
        return list(numbers)
    if series.hasnans:
        return [None if pd.isna(v) else _plain(v) for v in series.tolist()]
    return [_plain(v) for v in series.tolist()] if series.dtype == object else series.tolist()


def _plain(value: object) -> object:
    return value.item() if isinstance(value, np.generic) else value


def frame_from(raw: Json) -> pd.DataFrame:
    """The frame `frame_json` stored, with its dtypes."""
    types = {str(name): str(dtype) for name, dtype in raw["types"]}
    data: dict[str, object] = {}
    for name, dtype in types.items():
        column = raw["columns"][name]
        if dtype.startswith("datetime64"):
            days = pd.array(column, dtype="Int64")
            data[name] = pd.to_datetime(days, unit="D").astype("datetime64[ns]")
        else:
            data[name] = pd.array(column, dtype=_readable(dtype))
    return pd.DataFrame(data, columns=list(types))


def _readable(dtype: str) -> str:
    """Dtypes JSON lists convert to directly (object columns hold text here)."""
    return "str" if dtype in {"object", "string"} else dtype


def canonical(content: Json) -> str:
    """A JSON value written canonically: sorted keys, ASCII, no spaces."""
    return json.dumps(content, sort_keys=True, ensure_ascii=True, separators=(",", ":"))


def text_checksum(text: str) -> str:
    """sha256 of a canonical JSON text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def pack(text: str) -> str:
    """JSON compressed, as ASCII: the state, and inside it each closing's content and
    the snapshot (which holds every input row: a large sheet would otherwise write and
    read its input a second time on each sync)."""
    return PACKED + base64.b64encode(zlib.compress(text.encode("utf-8"), LEVEL)).decode("ascii")


def unpack(text: str) -> str:
    if not text.startswith(PACKED):
        return text  # a state written before compression
    return zlib.decompress(base64.b64decode(text[len(PACKED) :], validate=True)).decode("utf-8")
