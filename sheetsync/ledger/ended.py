"""Groups that ended with an earlier period (SPEC §12): a treasurer who removes a group
from Groupes for the new year still has its rows frozen in the earlier period.

The parse keeps a row dated before the period's start whose group is no longer listed,
with its anomaly (parse.contributions._groups). Here, before the rows are matched
against the closings: a group some closing knew leaves the row in, and says nothing of
it (the match tells whether it is the row frozen, edited or added since); any other
group leaves the row out, as the parse does in the current period, its anomaly kept.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from sheetsync import sources
from sheetsync.ledger.state import Closing, State
from sheetsync.model import Book
from sheetsync.parse.rows import left_out_rows
from sheetsync.text import name_key

UNKNOWN = "group_unknown"


def with_ended_groups(book: Book, kept: State) -> Book:
    """The Book once each earlier row with a group no longer listed is settled."""
    rows, unlisted = book.contributions, unlisted_rows(book)
    if not unlisted.any():
        return book
    known = {key for c in kept.closings if c.reopened is None for key in _groups(c)}
    forgiven = unlisted & rows["group"].map(name_key).isin(known).to_numpy()
    refused = unlisted & ~forgiven
    quiet = {sources.located(book, int(r)) for r in rows["row"].to_numpy()[forgiven]}
    left = left_out_rows("contributions", rows[refused])
    return dataclasses.replace(
        book,
        contributions=rows[~refused].reset_index(drop=True),
        anomalies=tuple(
            a for a in book.anomalies if a.code != UNKNOWN or (a.tab, a.row) not in quiet
        ),
        left_out=left if book.left_out is None else pd.concat([book.left_out, left]),
    )


def unlisted_rows(book: Book) -> np.ndarray:
    """Which contribution rows have a group the Groupes tab no longer lists (only rows
    dated before the period's start can: the parse refuses the others)."""
    return ~book.contributions["group"].isin([g.name for g in book.groups]).to_numpy()


def _groups(closing: Closing) -> set[str]:
    """The name keys of the groups a closing knew: its recorded period's, else (made
    before periods were recorded) those of the rows it froze."""
    if closing.period is not None:
        return {name_key(str(g[0])) for g in closing.period["groups"]}
    return {name_key(str(g)) for g in closing.rows["group"].unique()}
