"""The state tab: written hidden, read back whole, refused when damaged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest

from sheetsync import state
from sheetsync.model import RawTab, RawWorkbook, StructureError
from sheetsync.state import Closing, Reopen, RowPrint, Snapshot, State


def sample(journal_lines: int) -> State:
    values = (("Date", "2026-03-01"), ("Personne", "Ana"))
    closing = Closing(
        label="T1",
        until=dt.date(2026, 3, 31),
        time="2026-04-02 10:15+00:00",
        lang="fr",
        rows=({"row": 2, "payable": 8333, "date": "2026-03-01"},),
        payments=(),
        contribution_prints=(RowPrint(2, state.digest(values), values),),
        payment_prints=(),
        table=(("Groupe", "Communication", 50000, None, 50000, None, 0, 17.5, ""),),
    ).sealed()
    return State(
        closings=(closing, Closing(**{**closing.__dict__, "label": "T0"}).sealed()),
        reopens=(Reopen("T0", "erreur", "2026-04-01 09:00+00:00"),),
        snapshot=Snapshot((RowPrint(2, "d", values),), (), (("Communication", values),), values),
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
    assert state.read(raw_of(shuffled), "fr") == kept


def test_no_tab_or_a_foreign_tab_is_an_empty_state() -> None:
    assert state.read(RawWorkbook(tabs={}), "fr") == State()
    assert state.read(raw_of([(1, "{}")], owned=False), "en") == State()


def test_the_state_is_stored_compressed() -> None:
    text = "".join(str(r[1]) for r in state.table(sample(0)).rows)
    assert text.startswith(state.PACKED)
    assert "8333" in state.unpack(text)


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[:-5],  # cut short
        lambda text: state.pack(state.unpack(text).replace("8333", "9333", 1)),  # figure changed
    ],
)
def test_damaged_state_stops(damage: object) -> None:
    table = state.table(sample(0))
    text = "".join(str(r[1]) for r in table.rows)
    with pytest.raises(StructureError, match="sheetsync"):
        state.read(raw_of([(1, damage(text))]), "fr")  # type: ignore[operator]
