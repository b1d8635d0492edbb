"""What each payee is owed and was paid (SPEC §5 Paiements): brought forward from the
earlier periods, due, paid and the balance, money in integer cents.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import pandas as pd

from sheetsync.books.figures import alphabetical_key
from sheetsync.model import Book
from sheetsync.text import name_key
from sheetsync.units import per_distinct_array

PAYOUT_COLUMNS = [
    "payee",
    "people",
    "payment_method",
    "brought_forward",
    "payable",
    "paid",
    "balance",
    "last_payment_row",
]


@dataclass(frozen=True)
class Carried:
    """A payee's balance left by the earlier periods (SPEC §12 "Carried balances")."""

    payee: str
    people: tuple[str, ...]
    payment_method: str
    amount: int  # cents


def payouts(
    book: Book,
    people: pd.DataFrame,
    carried: Mapping[str, Carried] | None = None,
    top_ups: Sequence[tuple[str, int]] = (),
) -> pd.DataFrame:
    """Brought forward, due, paid and balance per payee (billing entity when set, else
    the person); balance = brought forward + due − paid.

    Payees match payments by text.name_key. Every payment of the Book counts: work of
    the period is often paid after it ends. `carried`: the balances left by earlier
    periods, by payee key; `top_ups`: the smoothing of a year-end closing, (person,
    cents), due to the person's payee.
    """
    payments = book.payments.astype({"row": "int64", "amount": "int64"})
    keys = per_distinct_array(payments["payee"], lambda name: name_key(str(name)), object)
    paid = payments["amount"].groupby(keys).sum().to_dict()
    last_row = payments["row"].groupby(keys).max().to_dict()
    names: dict[str, str] = {}
    members: dict[str, list[dict[str, Any]]] = {}
    for person in cast("list[dict[str, Any]]", people.to_dict("records")):
        key = name_key(person["payee"])
        names.setdefault(key, person["payee"])
        members.setdefault(key, []).append(person)
    smoothing: dict[str, int] = {}
    pairs = zip(people["person"], people["payee"], strict=True)
    payee_of = {name_key(str(name)): str(entity) for name, entity in pairs}
    for name, amount in top_ups:
        payee = payee_of.get(name_key(name), name)
        names.setdefault(name_key(payee), payee)
        smoothing[name_key(payee)] = smoothing.get(name_key(payee), 0) + amount
    carried = carried or {}
    for key, balance in carried.items():
        names.setdefault(key, balance.payee)
    for payee in payments["payee"]:
        names.setdefault(name_key(payee), payee)
    records = [
        _payout_record(
            names[key],
            members.get(key, []),
            (paid.get(key, 0), last_row.get(key)),
            carried.get(key),
            smoothing.get(key, 0),
        )
        for key in names
    ]
    kept = [r for r in records if r["brought_forward"] or r["payable"] or r["paid"]]
    kept.sort(key=lambda r: alphabetical_key(str(r["payee"])))
    frame = pd.DataFrame.from_records(kept, columns=PAYOUT_COLUMNS)
    return frame.astype({"brought_forward": "int64", "payable": "int64", "paid": "int64"}).astype(
        {"last_payment_row": "Int64"}
    )


def _payout_record(
    payee: str,
    members: list[dict[str, Any]],
    payments: tuple[object, object],
    carried: Carried | None,
    smoothing: int,
) -> dict[str, object]:
    paid, last_row = int(payments[0]), payments[1]  # type: ignore[call-overload]
    due = sum(int(m["payable"]) for m in members) + smoothing
    forward = 0 if carried is None else carried.amount
    methods = dict.fromkeys(m["payment_method"] for m in members if m["payment_method"])
    names = [m["person"] for m in members] or list(carried.people if carried else ())
    method = ", ".join(methods) or (carried.payment_method if carried else "")
    return {
        "payee": payee,
        "people": tuple(sorted(names, key=alphabetical_key)),
        "payment_method": method,
        "brought_forward": forward,
        "payable": due,
        "paid": paid,
        "balance": forward + due - paid,
        "last_payment_row": None if last_row is None else int(last_row),  # type: ignore[call-overload]
    }
