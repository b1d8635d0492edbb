"""The snapshot of the input tabs that each sync's journal is compared with.

It is kept packed in the state and decoded only when its frames are asked for: a
sync whose input cells are the ones it was taken from (its `source`, the digest of
ledger.unchanged) knows the snapshot unchanged without decoding it.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import numpy as np
import pandas as pd

from sheetsync.ledger import rowsets
from sheetsync.ledger.frames import canonical, frame_from, frame_json, pack, unpack
from sheetsync.ledger.rowsets import Values

Json = Any
Groups = tuple[tuple[str, Values], ...]  # (group name, its values)
_Parts = tuple[pd.DataFrame, pd.DataFrame, Groups, Values]


class Snapshot:
    """The input tabs as the journal last saw them: `rowsets.typed` frames of the
    contribution and payment rows, the groups' and the settings' values."""

    __hash__ = None  # type: ignore[assignment]

    def __init__(
        self,
        contributions: pd.DataFrame,
        payments: pd.DataFrame,
        groups: Groups,
        settings: Values,
        *,
        source: str = "",
    ) -> None:
        self._parts: _Parts | None = (contributions, payments, groups, settings)
        self._packed = ""
        # The digest of the cells it was taken from ("" when unknown).
        self.source = source

    @classmethod
    def packed_as(cls, packed: str, source: str = "") -> Snapshot:
        """A snapshot read from the state, decoded when first needed."""
        read = cls.__new__(cls)
        read._parts, read._packed, read.source = None, packed, source
        return read

    @classmethod
    def from_json(cls, raw: Json) -> Snapshot:
        """A snapshot written inline (state version 2)."""
        return cls(*_parts(raw))

    @property
    def packed(self) -> str:
        """`frames.pack` of its canonical JSON: as read, or encoded once."""
        if not self._packed:
            contributions, payments, groups, settings = self._decoded()
            self._packed = pack(
                canonical(
                    {
                        "contributions": frame_json(contributions),
                        "payments": frame_json(payments),
                        "groups": [[name, [list(v) for v in values]] for name, values in groups],
                        "settings": [list(v) for v in settings],
                    }
                )
            )
        return self._packed

    @property
    def decoded(self) -> bool:
        """Whether its frames were built (read from the state, they are built when used)."""
        return self._parts is not None

    def _decoded(self) -> _Parts:
        if self._parts is None:
            self._parts = _parts(json.loads(unpack(self._packed)))
        return self._parts

    @property
    def contributions(self) -> pd.DataFrame:
        return self._decoded()[0]

    @property
    def payments(self) -> pd.DataFrame:
        return self._decoded()[1]

    @property
    def groups(self) -> Groups:
        return self._decoded()[2]

    @property
    def settings(self) -> Values:
        return self._decoded()[3]

    @functools.cached_property
    def hashes(self) -> dict[str, np.ndarray]:
        return {
            "contributions": rowsets.hashes(self.contributions),
            "payments": rowsets.hashes(self.payments),
        }

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Snapshot):
            return False
        if (self.groups, self.settings) != (other.groups, other.settings):
            return False
        return all(
            np.array_equal(self.hashes[key], other.hashes[key])
            and np.array_equal(getattr(self, key)["row"], getattr(other, key)["row"])
            for key in ("contributions", "payments")
        )


def _values(raw: Json) -> Values:
    return tuple((str(k), str(v)) for k, v in raw)


def _parts(raw: Json) -> _Parts:
    return (
        rowsets.typed(frame_from(raw["contributions"]), "contributions"),
        rowsets.typed(frame_from(raw["payments"]), "payments"),
        tuple((str(name), _values(values)) for name, values in raw["groups"]),
        _values(raw["settings"]),
    )
