"""`jobs run FILE --shard K/N`: N runners, each with its own Google Cloud project, share
a job's sheets; each sheet's share is fixed by its name alone, so adding one moves none.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from sheetsync.errors import ShardError
from sheetsync.messages import say
from sheetsync.template import Lang
from sheetsync.text import name_key

_SHAPE = re.compile(r"\s*(\d{1,6})\s*/\s*(\d{1,6})\s*")


@dataclass(frozen=True)
class Shard:
    """Share `index` (1 to `count`) of a job's sheets."""

    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def holds(self, name: str) -> bool:
        """Whether the sheet of this name is in this share."""
        return share_of(name, self.count) == self.index


def share_of(name: str, count: int) -> int:
    """The share (1 to `count`) a sheet's name falls in: sha256 of the name as names are
    matched (case and spaces ignored), the same on every machine and Python version."""
    digest = hashlib.sha256(name_key(name).encode("utf-8")).digest()
    return 1 + int.from_bytes(digest[:8], "big") % count


def parse_shard(text: str, lang: Lang) -> Shard:
    """`2/4` as Shard(2, 4); ShardError, in the job's language, for anything else."""
    shape = _SHAPE.fullmatch(text)
    if shape is not None:
        index, count = int(shape.group(1)), int(shape.group(2))
        if 1 <= index <= count:
            return Shard(index, count)
    raise ShardError(say(lang, "jobs.shard.not_share_k_n_give", v=text)).said_in(lang)
