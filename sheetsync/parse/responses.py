"""Reading a form's responses tab (Google Forms, Framaforms, Microsoft Forms) as
contributions: each response is a Contributions row, Personne answered or found from
the email, a blank date taken from the Horodateur.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import pandas as pd

from sheetsync import cells, template
from sheetsync.messages import message, severity
from sheetsync.model import Anomaly, CellValue, Group, Person, Status
from sheetsync.parse.contributions import read_contributions
from sheetsync.parse.rows import Reading, Sheet, quoted
from sheetsync.sources import RESPONSE_ROWS
from sheetsync.text import name_key

_TIME_PART = re.compile(r"[ T].*$")


def read_responses(
    sheet: Sheet, reading: Reading, groups: Sequence[Group], people: Sequence[Person]
) -> tuple[pd.DataFrame, pd.DataFrame, list[Anomaly]]:
    """The responses as contribution rows numbered RESPONSE_ROWS + sheet row, those left
    out for an error numbered alike, and the problems found, located on the responses tab."""
    derived, anomalies = _as_contributions(sheet, reading, people)
    table, left_out, found = read_contributions(derived, reading, groups, people)
    table["row"] += RESPONSE_ROWS
    left_out["row"] += RESPONSE_ROWS
    return table, left_out, anomalies + found


def _as_contributions(
    sheet: Sheet, reading: Reading, people: Sequence[Person]
) -> tuple[Sheet, list[Anomaly]]:
    """The tab with Personne and Date filled as the rules read them, added as two
    columns at the right of each row (the cells of the tab stay as they are)."""
    width = max([len(row) for row in sheet.rows] + [max(sheet.index.values(), default=-1) + 1])
    by_email = {p.email.casefold(): p.name for p in people if p.email}
    rows: list[list[CellValue]] = []
    anomalies: list[Anomaly] = []
    answers, emails = sheet.cells("person"), sheet.cells("email")
    dates, stamps = sheet.cells("date"), sheet.cells("timestamp")
    for at, row in enumerate(sheet.rows):
        person: CellValue = answers[at]
        if cells.is_blank(person) and not cells.is_blank(emails[at]):
            person = by_email.get(cells.as_text(emails[at]).strip().casefold())
            if person is None and _answered(sheet, row):
                anomalies.append(_email_unknown(sheet, reading, at, emails[at]))
                rows.append([None] * (width + 2))  # reported once, then skipped as empty
                continue
        day = dates[at] if not cells.is_blank(dates[at]) else day_of(stamps[at])
        rows.append([*row, *([None] * (width - len(row))), person, day])
    index = {**sheet.index, "person": width, "date": width + 1}
    derived = Sheet(sheet.key, sheet.title, sheet.lang, index, headers_read(sheet), rows)
    return derived, anomalies


def headers_read(sheet: Sheet) -> dict[str, str]:
    """The headers messages name: Personne found from the Adresse e-mail column, a blank
    Date from the Horodateur, when the form does not ask them."""
    headers = dict(sheet.headers)
    for key, fallback in (("person", "email"), ("date", "timestamp")):
        if key not in headers and fallback in headers:
            headers[key] = headers[fallback]
    return headers


def _answered(sheet: Sheet, row: list[CellValue]) -> bool:
    """Whether a response holds more than its timestamp and email."""
    skip = {sheet.index.get("timestamp"), sheet.index.get("email")}
    return any(not cells.is_blank(v) for i, v in enumerate(row) if i not in skip)


def day_of(stamp: CellValue) -> CellValue:
    """The day of a submission time ("28/11/2026 14:03:12", a datetime, a serial), as a
    cell the date reader takes; any other cell as it is."""
    if isinstance(stamp, str):
        return _TIME_PART.sub("", stamp.strip())
    if isinstance(stamp, dt.datetime):
        return stamp.date()
    return stamp


def _email_unknown(sheet: Sheet, reading: Reading, at: int, email: CellValue) -> Anomaly:
    lang = reading.lang
    people = template.load().input("people")
    text = message(
        "response_email_unknown",
        lang,
        v=quoted(lang, cells.as_text(email)),
        tab=quoted(lang, people.name(lang)),
        column=quoted(lang, people.column("email").name(lang)),
    )
    return sheet.anomaly(at, "email", email, code="response_email_unknown", message=text)


# ---------------------------------------------------------------- across sources


_SAME = ("key", "date", "kind", "seconds", "requested")


def duplicates_across(
    typed: pd.DataFrame, sent: pd.DataFrame, titles: tuple[str, str], lang: template.Lang
) -> list[Anomaly]:
    """A response that repeats a Contributions row (same person, date, kind, hours and
    amount): the same contribution typed in the tab and sent by form."""
    if typed.empty or sent.empty:
        return []
    left, right = _keyed(typed), _keyed(sent)
    pairs = right.merge(left, on=list(_SAME), suffixes=("", "_typed"))
    pairs = pairs.sort_values(["row", "row_typed"]).drop_duplicates("row")
    tab, form = titles
    code = "duplicate_across_sources"
    found = []
    for row, earlier in zip(pairs["row"], pairs["row_typed"], strict=True):
        text = message(code, lang, earlier=int(earlier), tab=quoted(lang, tab))
        found.append(Anomaly(severity(code), form, int(row) - RESPONSE_ROWS, None, "", text, code))
    return found


def _keyed(rows: pd.DataFrame) -> pd.DataFrame:
    kept = rows[rows["status"] != Status.REJECTED.value]
    return pd.DataFrame(
        {
            "row": kept["row"].to_numpy(),
            "person": kept["person"].to_numpy(),
            "key": [name_key(str(p)) for p in kept["person"]],
            "date": kept["date"].to_numpy(),
            "kind": kept["kind"].to_numpy(),
            "seconds": kept["seconds"].fillna(-1).astype("int64").to_numpy(),
            "requested": kept["requested"].fillna(-1).astype("int64").to_numpy(),
        }
    )
