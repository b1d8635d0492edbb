"""The Scenarios tab: for each group over its envelope, what each person would
receive under each overrun policy, so the group decides with the numbers in front of it.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from sheetsync.books.allocate import first_come, largest_remainder
from sheetsync.books.figures import alphabetical_key
from sheetsync.books.rules import Figures
from sheetsync.model import TOTAL, Anomaly, Book, Group

POLICY_COLUMNS = ("flag", "pro_rata", "first_come")


def over_groups(book: Book, figures: Figures) -> list[Group]:
    """Groups whose validated candidates exceed the envelope, in Groupes-tab order."""
    candidates = dict(zip(figures.groups["group"], figures.groups["candidate"], strict=True))
    return [g for g in book.groups if int(candidates.get(g.name, 0)) > g.envelope]


def policy_shares(envelope: int, rows: pd.DataFrame) -> pd.DataFrame:
    """Per validated row of one group: its candidate under each policy, in cents.

    The same order as the rules: pro-rata by sheet row, first-come by (date,
    sheet row); rows whose candidates fit in the envelope get them in full.
    """
    shares = pd.DataFrame(index=rows.index)
    shares["flag"] = rows["candidate"].astype("int64")
    if int(rows["candidate"].sum()) <= envelope:
        shares["pro_rata"] = shares["first_come"] = shares["flag"]
        return shares
    by_row = rows.sort_values("row", kind="stable")
    pro_rata = largest_remainder(envelope, by_row["candidate"].tolist())
    shares.loc[by_row.index, "pro_rata"] = np.array(pro_rata, dtype=np.int64)
    by_date = rows.sort_values(["date", "row"], kind="stable")
    arrival = first_come(envelope, by_date["candidate"].tolist())
    shares.loc[by_date.index, "first_come"] = np.array(arrival, dtype=np.int64)
    return shares.astype("int64")


def group_shares(group: Group, rows: pd.DataFrame) -> pd.DataFrame:
    """Per validated row of the group: what it gets under each policy.

    Rows frozen by a closing keep their frozen payable in every column; the
    open rows share what the closing left of the envelope, as the books do.
    So the group's own policy column is what the books pay.
    """
    mine = rows[rows["charged"] == group.name]
    frozen = mine["frozen"].astype(bool)
    frozen_consumed = int(mine.loc[frozen, "payable"].sum())
    closed = mine[frozen & mine["counted"] & ~mine["pending"]]
    open_rows = mine[~frozen & mine["counted"] & ~mine["pending"]]
    kept = pd.DataFrame({p: closed["payable"].astype("int64") for p in POLICY_COLUMNS})
    left = max(group.envelope - frozen_consumed, 0)
    parts = [part for part in (kept, policy_shares(left, open_rows)) if not part.empty]
    if not parts:
        return pd.DataFrame(columns=list(POLICY_COLUMNS), dtype="int64")
    return pd.concat(parts).astype("int64")


def group_records(group: Group, rows: pd.DataFrame) -> list[Mapping[str, object]]:
    """One record per person of the group, alphabetically, then the group's Total.

    Demandé sums the person's non-refused rows (pending included), as in
    every output; the policies share only validated rows, as the rules do.
    """
    counted = rows[rows["counted"] & (rows["charged"] == group.name)]
    shares = group_shares(group, rows)
    by_person = shares.groupby(rows.loc[shares.index, "person"]).sum()
    requested = counted.groupby("person")["amount"].sum()
    people = sorted(requested.index, key=alphabetical_key)
    received = {
        person: {p: int(by_person[p].get(person, 0)) for p in POLICY_COLUMNS} for person in people
    }
    totals = {p: sum(by_policy[p] for by_policy in received.values()) for p in POLICY_COLUMNS}
    records = [_record(group, p, int(requested[p]), received[p]) for p in people]
    return [*records, _record(group, TOTAL, int(requested.sum()), totals)]


def _record(
    group: Group, person: str, requested: int, by_policy: Mapping[str, int]
) -> dict[str, object]:
    return {
        "group": group.name,
        "envelope": group.envelope,
        "person": person,
        "requested": requested,
        **by_policy,
    }


def scenario_rows(
    book: Book, figures: Figures, anomalies: list[Anomaly]
) -> list[Mapping[str, object]]:
    """The Scenarios tab's records (a report builder): empty when no group is over."""
    return [
        record
        for group in over_groups(book, figures)
        for record in group_records(group, figures.rows)
    ]
