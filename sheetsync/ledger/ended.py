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

import pandas as pd

from sheetsync import sources
from sheetsync.ledger.state import Closing, State
from sheetsync.model import Anomaly, Book
from sheetsync.parse.rows import left_out_rows
from sheetsync.sources import tab_title
from sheetsync.text import name_key

UNKNOWN = "group_unknown"


def with_ended_groups(book: Book, kept: State) -> Book:
    """The Book once each earlier row with a group no longer listed is settled."""
    rows = book.contributions
    unlisted = ~rows["group"].isin([g.name for g in book.groups]).to_numpy()
    if not unlisted.any():
        return book
    known = {key for c in kept.closings if c.reopened is None for key in _groups(c)}
    keys = rows["group"].map(name_key).to_numpy()
    forgiven = unlisted & pd.Series(keys).isin(known).to_numpy()
    refused = unlisted & ~forgiven
    quiet = {int(r) for r in rows["row"].to_numpy()[forgiven]}
    left = left_out_rows("contributions", rows[refused])
    return dataclasses.replace(
        book,
        contributions=rows[~refused].reset_index(drop=True),
        anomalies=tuple(a for a in book.anomalies if not _about(book, a, quiet)),
        left_out=left if book.left_out is None else pd.concat([book.left_out, left]),
    )


def _groups(closing: Closing) -> set[str]:
    """The name keys of the groups a closing knew: its recorded period's, else (made
    before periods were recorded) those of the rows it froze."""
    if closing.period is not None:
        return {name_key(str(g[0])) for g in closing.period["groups"]}
    return {name_key(str(g)) for g in closing.rows["group"].unique()}


def _about(book: Book, anomaly: Anomaly, rows: set[int]) -> bool:
    """Whether an anomaly is the unknown group of one of these rows."""
    if anomaly.code != UNKNOWN or anomaly.row is None:
        return False
    if anomaly.tab == tab_title(book, "responses"):
        return anomaly.row + sources.RESPONSE_ROWS in rows
    return anomaly.tab == tab_title(book, "contributions") and anomaly.row in rows
