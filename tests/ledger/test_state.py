"""The state tab: written hidden, read back whole, refused when damaged."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Sequence

import pandas as pd
import pytest

from sheetsync.ledger import frames, rowsets, state
from sheetsync.ledger.snapshot import Snapshot
from sheetsync.ledger.state import Closing, Reopen, State
from sheetsync.model import RawTab, RawWorkbook, StructureError


def contribution_rows(payable: int) -> pd.DataFrame:
    """One frozen contribution row, typed as the rules compute it."""
    return pd.DataFrame(
        {
            "row": [2],
            "date": pd.to_datetime(["2026-03-01"]).astype("datetime64[ns]"),
            "person": ["Ana"],
            "group": ["Communication"],
            "seconds": pd.array([25200], dtype="Int64"),
            "requested": pd.array([None], dtype="Int64"),
            "exception": [False],
            "payable": [payable],
        }
    )


PAYMENTS = pd.DataFrame(
    {
        "row": pd.Series([], dtype="int64"),
        "date": pd.Series([], dtype="datetime64[ns]"),
        "payee": pd.Series([], dtype="str"),
        "amount": pd.Series([], dtype="int64"),
    }
)


def sample(journal_lines: int) -> State:
    values = (("Date", "2026-03-01"), ("Personne", "Ana"))
    closing = Closing(
        label="T1",
        until=dt.date(2026, 3, 31),
        time="2026-04-02 10:15+00:00",
        lang="fr",
        rows=contribution_rows(8333),
        payments=PAYMENTS,
        table=(("Groupe", "Communication", 50000, None, 50000, None, 0, 17.5, ""),),
    ).sealed()
    contributions = rowsets.typed(contribution_rows(8333), "contributions")
    return State(
        closings=(closing, dataclasses.replace(closing, label="T0").sealed()),
        reopens=(Reopen("T0", "erreur", "2026-04-01 09:00+00:00"),),
        snapshot=Snapshot(
            contributions,
            rowsets.typed(PAYMENTS, "payments"),
            (("Communication", values),),
            values,
        ),
        journal=tuple(("t", "Contributions", n, "ajout", "x" * 500) for n in range(journal_lines)),
    )


def raw_of(table_rows: Sequence[tuple[object, ...]], owned: bool = True) -> RawWorkbook:
    title = state.title()
    rows = [["Part", "Data"], *[list(r) for r in table_rows]]
    return RawWorkbook(
        tabs={title: RawTab(title, rows)},  # type: ignore[arg-type]
        owned={title: "x"} if owned else {},
    )


@pytest.mark.parametrize("journal_lines", [0, 3, 200])
def test_round_trip(journal_lines: int) -> None:
    kept = sample(journal_lines)
    table = state.table(kept)
    assert table.hidden
    assert all(len(str(r[1])) <= state.CHUNK for r in table.rows)
    # Chunks may come back in any order, numbered as floats by some readers.
    shuffled = [(float(str(n)), text) for n, text in reversed(table.rows)]
    back = state.read(raw_of(shuffled), "fr")
    assert state.to_json(back) == state.to_json(kept)
    assert back.snapshot == kept.snapshot
    assert [c.rows.dtypes.to_dict() for c in back.closings] == [
        c.rows.dtypes.to_dict() for c in kept.closings
    ]


def test_a_state_read_and_unchanged_is_written_back_as_read() -> None:
    table = state.table(sample(3))
    kept, as_read = state.read_as_packed(raw_of(table.rows), "fr")
    assert as_read == "".join(str(r[1]) for r in table.rows)
    assert state.table(kept, as_read).fingerprint() == table.fingerprint()


def test_no_row_digest_is_stored() -> None:
    text = frames.unpack("".join(str(r[1]) for r in state.table(sample(0)).rows))
    assert "digest" not in text
    assert "prints" not in text


def test_a_version_1_state_keeps_its_closings_and_journal() -> None:
    """A state written row by row by an earlier version is still read, checksums checked."""
    content = {
        "label": "T1",
        "until": "2026-03-31",
        "time": "2026-04-02 10:15+00:00",
        "lang": "fr",
        "rows": [{"row": 2, "date": "2026-03-01", "person": "Ana", "payable": 8333}],
        "payments": [],
        "contribution_prints": [[2, "d", [["Date", "2026-03-01"]]]],
        "payment_prints": [],
        "table": [["Groupe", "Communication", 8333]],
    }
    old = {**content, "checksum": state.checksum(content), "reopened": None}
    document = {"version": 1, "closings": [old], "reopens": [], "snapshot": None, "journal": []}
    packed = frames.pack(json.dumps(document))
    back = state.read(raw_of([(1, packed)]), "fr")
    (closing,) = back.closings
    assert closing.label == "T1"
    assert int(closing.rows["payable"].iloc[0]) == 8333
    assert back.snapshot is None
    damaged = frames.pack(json.dumps(document).replace("8333", "9333", 1))
    with pytest.raises(StructureError, match="sheetsync"):
        state.read(raw_of([(1, damaged)]), "fr")


def test_a_version_2_state_is_read_and_its_closings_checked() -> None:
    """Version 2 kept a closing's content and the snapshot inline, not as texts."""
    kept = sample(2)
    closings = [{**c.content(), "checksum": c.checksum, "reopened": None} for c in kept.closings]
    snapshot = json.loads(frames.unpack(state.to_json(kept)["snapshot"]))
    document = {**state.to_json(kept), "version": 2, "closings": closings, "snapshot": snapshot}
    back, as_read = state.read_as_packed(raw_of([(1, frames.pack(json.dumps(document)))]), "fr")
    assert as_read == ""  # rewritten in the current layout at the next write
    assert [c.checksum for c in back.closings] == [c.checksum for c in kept.closings]
    assert back.snapshot == kept.snapshot
    assert state.to_json(back) == state.to_json(kept)
    closings[0]["rows"]["columns"]["payable"] = [9333]
    damaged = frames.pack(json.dumps({**document, "closings": closings}))
    with pytest.raises(StructureError, match="T1"):
        state.read(raw_of([(1, damaged)]), "fr")


def test_parts_read_unchanged_are_written_as_read() -> None:
    """A closing's content and the snapshot keep their packed text: not encoded again."""
    read = state.read(raw_of(state.table(sample(0)).rows), "fr")
    assert all(c.packed for c in read.closings)
    assert read.snapshot is not None
    assert read.snapshot.packed
    later = dataclasses.replace(read, journal=(("t", "Journal", None, "note", "x"),))
    document = state.to_json(later)
    assert [c["content"] for c in document["closings"]] == [c.packed for c in read.closings]
    assert document["snapshot"] is read.snapshot.packed


def test_no_tab_or_a_foreign_tab_is_an_empty_state() -> None:
    assert state.read(RawWorkbook(tabs={}), "fr") == State()
    assert state.read(raw_of([(1, "{}")], owned=False), "en") == State()


def test_the_state_is_stored_compressed() -> None:
    """The document, and inside it each closing's content and the snapshot."""
    text = "".join(str(r[1]) for r in state.table(sample(0)).rows)
    assert text.startswith(frames.PACKED)
    document = json.loads(frames.unpack(text))
    parts = [*(c["content"] for c in document["closings"]), document["snapshot"]]
    assert all(part.startswith(frames.PACKED) for part in parts)
    assert "8333" in frames.unpack(parts[0])


def edit_closing(text: str, old: str, new: str) -> str:
    """The packed state with `old` replaced in its first closing's content, repacked."""
    document = json.loads(frames.unpack(text))
    content = frames.unpack(document["closings"][0]["content"])
    document["closings"][0]["content"] = frames.pack(content.replace(old, new, 1))
    return frames.pack(json.dumps(document))


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[:-5],  # cut short
        lambda text: edit_closing(text, "8333", "9333"),  # a frozen figure changed
    ],
)
def test_damaged_state_stops(damage: object) -> None:
    table = state.table(sample(0))
    text = "".join(str(r[1]) for r in table.rows)
    said = r"sheetsync.*(la clôture « T1 » ne correspond plus|Incorrect|Invalid)"
    with pytest.raises(StructureError, match=said):
        state.read(raw_of([(1, damage(text))]), "fr")  # type: ignore[operator]
