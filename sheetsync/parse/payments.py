"""Reading the Versements tab: payments made, as one typed table, problems as anomalies.

Read column by column like the contributions, since a payment log can grow long.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sheetsync import cells
from sheetsync.messages import did_you_mean, message
from sheetsync.model import Anomaly, Person
from sheetsync.parse.rows import (
    Mask,
    Reading,
    Sheet,
    amount_unreadable,
    blank_mask,
    date_unreadable,
    dates_to_datetime64,
    error_cells,
    hits,
    left_out_rows,
    quoted,
    read_cells,
    text_cells,
)
from sheetsync.template import Lang
from sheetsync.text import clean_name, name_key
from sheetsync.units import per_distinct


def read_payments(
    sheet: Sheet, reading: Reading, payees: dict[str, str]
) -> tuple[pd.DataFrame, pd.DataFrame, list[Anomaly]]:
    """Payments as a table, the rows left out for an error (model.Book.left_out), and
    every problem found; `payees` maps name keys of known payees to their spelling."""
    live = ~sheet.empty_rows()
    dates, bad_dates = read_cells(
        sheet.cells("date"), lambda v: cells.parse_date(v, month_first=reading.month_first)
    )
    amounts, bad_amounts = read_cells(
        sheet.cells("amount"),
        lambda v: cells.parse_money(v, decimal_comma=reading.decimal_comma),
        blank=0,
    )
    written = per_distinct(sheet.cells("payee"), lambda v: clean_name(cells.as_text(v)))
    anomalies = [
        date_unreadable(sheet, reading.lang, at, value, month_first=reading.month_first)
        for at, value in bad_dates.items()
    ]
    anomalies += [
        amount_unreadable(sheet, reading.lang, at, "amount", value)
        for at, value in bad_amounts.items()
    ]
    anomalies += _missing_cells(sheet, reading.lang, live, written)
    anomalies += [
        sheet.anomaly(
            at,
            key,
            value,
            code="cell_error",
            message=message("cell_error", reading.lang, v=quoted(reading.lang, value)),
        )
        for at, key, value in error_cells(sheet, live)
    ]
    keep = live.copy()
    # Every one is an error: its row is left out.
    keep[sheet.positions([a.row for a in anomalies if a.row is not None])] = False
    known = np.array(per_distinct(written, lambda w: name_key(w) in payees), dtype=bool)
    anomalies += _unknown_payees(
        sheet, reading.lang, written, keep & ~known, sorted(set(payees.values()))
    )
    table = pd.DataFrame(
        {
            "row": sheet.row_numbers(),
            "date": dates_to_datetime64(dates),
            "payee": per_distinct(written, lambda w: payees.get(name_key(w), w)),
            "amount": np.array(amounts, dtype=np.int64),
            "reference": text_cells(sheet.cells("reference")),
            "note": text_cells(sheet.cells("note")),
        }
    )
    left_out = left_out_rows("payments", table[live & ~keep])
    return table[keep].reset_index(drop=True), left_out, anomalies


def _missing_cells(sheet: Sheet, lang: Lang, live: Mask, written: list[str]) -> list[Anomaly]:
    """A payment needs a payee and an amount; its date may stay blank."""
    anomalies = [_missing_payee(sheet, lang, at) for at in hits(live & blank_mask(written))]
    anomalies += [_missing_amount(sheet, lang, at) for at in hits(live & sheet.blanks("amount"))]
    return anomalies


def _missing_payee(sheet: Sheet, lang: Lang, at: int) -> Anomaly:
    text = message("payee_missing", lang)
    return sheet.anomaly(at, "payee", "", code="payee_missing", message=text)


def _missing_amount(sheet: Sheet, lang: Lang, at: int) -> Anomaly:
    text = message("amount_missing", lang)
    return sheet.anomaly(at, "amount", "", code="amount_missing", message=text)


def _unknown_payees(
    sheet: Sheet, lang: Lang, written: list[str], unknown: Mask, known: list[str]
) -> list[Anomaly]:
    hints: dict[str, str] = {}
    anomalies: list[Anomaly] = []
    for at in hits(unknown):
        name = written[at]
        if name not in hints:
            hints[name] = did_you_mean(lang, name, known)
        text = message("payee_unknown", lang, v=quoted(lang, name), hint=hints[name])
        anomalies.append(sheet.anomaly(at, "payee", name, code="payee_unknown", message=text))
    return anomalies


def payee_spellings(people: tuple[Person, ...], contributions: pd.DataFrame) -> dict[str, str]:
    """Name key -> spelling of whoever may be paid: people, billing entities, contributors."""
    spellings: dict[str, str] = {}
    names = [p.name for p in people] + [p.billing_entity for p in people if p.billing_entity]
    names += contributions["person"].unique().tolist()
    for name in names:
        spellings.setdefault(name_key(name), name)
    return spellings


def no_payments() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "row": pd.Series(dtype="int64"),
            "date": pd.Series(dtype="datetime64[ns]"),
            "payee": pd.Series(dtype="str"),
            "amount": pd.Series(dtype="int64"),
            "reference": pd.Series(dtype="str"),
            "note": pd.Series(dtype="str"),
        }
    )
