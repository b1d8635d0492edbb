"""Each output table is fingerprinted once per sync (issue "House in order", item 3):
the pipeline's change check, the fast path's memory and the backend's owner marks all
ask for the digest of the same table, and hashing a large tab is not free."""

from __future__ import annotations

import collections
from functools import cached_property
from pathlib import Path

import pytest

from sheetsync.model import OutputTable
from sheetsync.sync import pipeline
from tests.support.ledger_cases import AS_OF, NOW, make_sheet


@pytest.mark.parametrize("kind", ["xlsx", "google"])
def test_each_table_is_hashed_once_per_sync(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    digest = OutputTable.__dict__["_digest"].func
    hashed: collections.Counter[int] = collections.Counter()

    def counted(table: OutputTable) -> str:
        hashed[id(table)] += 1
        return str(digest(table))

    counting = cached_property(counted)
    counting.__set_name__(OutputTable, "_digest")
    monkeypatch.setattr(OutputTable, "_digest", counting)
    sheet = make_sheet(kind, tmp_path)
    outcome = pipeline.run_sync(sheet.backend(), AS_OF, now=NOW)
    assert outcome.written
    asked = {t.title: hashed[id(t)] for t in outcome.tables}
    # Every table was asked for (the change check at least) and hashed only that once.
    assert set(asked.values()) == {1}, asked
