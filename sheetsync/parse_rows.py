"""Reading the rows of the Groupes, Personnes and Versements tabs into typed records.

Each reader turns one located tab into records and anomalies; bad rows never raise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from itertools import repeat
from operator import itemgetter
from typing import Any, TypeVar, overload

import numpy as np
import numpy.typing as npt
import pandas as pd

from sheetsync import cells
from sheetsync.cells import CellError
from sheetsync.model import Anomaly, CellValue, Group, Person, Policy, Retribution, Severity
from sheetsync.template import Lang
from sheetsync.text import clean_name, closest, name_key, tr

T = TypeVar("T")
B = TypeVar("B")
K = TypeVar("K", bound=Hashable)
Mask = npt.NDArray[np.bool_]
# Days from 0001-01-01 (date.toordinal() == 1) to 1970-01-01, numpy's datetime origin.
_UNIX_ORDINAL = 719163
_NAT = np.iinfo(np.int64).min  # numpy's "not a time"
_ZERO_ONE_TYPES = (bool, int, float)


@dataclass(frozen=True)
class Reading:
    """How this spreadsheet writes numbers, dates and days."""

    lang: Lang
    decimal_comma: bool
    month_first: bool
    hours_per_day: Fraction = Fraction(7)


@dataclass(frozen=True)
class Sheet:
    """One input tab found in the spreadsheet, with its columns located."""

    key: str
    title: str
    lang: Lang
    index: dict[str, int]  # column key -> position in the row
    headers: dict[str, str]  # column key -> header text as written
    rows: list[list[CellValue]]  # data rows: sheet row 2 onwards
    # Columns are read by several checks: each is extracted, and its blanks found, once.
    _columns: dict[str, list[CellValue]] = field(default_factory=dict, repr=False, compare=False)
    _blanks: dict[str, Mask] = field(default_factory=dict, repr=False, compare=False)

    def has(self, key: str) -> bool:
        return key in self.index

    def cells(self, key: str) -> list[CellValue]:
        """The column's cells, one per data row; None when absent or past a short row."""
        if key not in self._columns:
            self._columns[key] = self._extract(key)
        return self._columns[key]

    def blanks(self, key: str) -> Mask:
        """True where the column's cell is blank."""
        if key not in self._blanks:
            self._blanks[key] = blank_mask(self.cells(key))
        return self._blanks[key]

    @cached_property
    def _shortest_row(self) -> int:
        return min(map(len, self.rows), default=0)

    def _extract(self, key: str) -> list[CellValue]:
        at = self.index.get(key)
        if at is None:
            return [None] * len(self.rows)
        if self._shortest_row > at:
            return list(map(itemgetter(at), self.rows))
        return [row[at] if at < len(row) else None for row in self.rows]

    def empty_rows(self) -> Mask:
        """True for rows whose template columns are all blank: skipped silently."""
        empty = np.ones(len(self.rows), dtype=bool)
        for key in self.index:
            empty &= self.blanks(key)
        return empty

    def anomaly(
        self,
        severity: Severity,
        at: int | None,
        key: str | None,
        value: CellValue,
        *,
        code: str,
        message: str,
    ) -> Anomaly:
        """A problem found at data row `at` (0-based) in column `key`."""
        return Anomaly(
            severity=severity,
            tab=self.title,
            row=None if at is None else at + 2,
            column=self.headers.get(key) if key else None,
            value=cells.as_text(value),
            message=message,
            code=code,
        )


def per_distinct(values: Sequence[K], convert: Callable[[K], T]) -> list[T]:
    """`convert` applied once per distinct cell and mapped back over the column.

    Spreadsheets repeat the same dates, names and hours, so this is what keeps a
    million rows fast.
    """
    distinct = dict.fromkeys(values)
    if _may_hide_booleans(distinct) and bool in set(map(type, values)):
        # True == 1 and False == 0: a yes/no cell would share a number's result.
        return [convert(v) for v in values]
    converted = {value: convert(value) for value in distinct}
    return list(map(converted.__getitem__, values))


def _may_hide_booleans(distinct: dict[K, None]) -> bool:
    return any(v.__class__ in _ZERO_ONE_TYPES and v in (0, 1) for v in distinct)


def blank_mask(values: Sequence[CellValue]) -> Mask:
    """True where a cell is blank (None or only spaces)."""
    # Equal numbers and booleans share a set entry, harmlessly: none of them is blank.
    blanks = {value for value in set(values) if cells.is_blank(value)}
    return np.fromiter(map(blanks.__contains__, values), dtype=bool, count=len(values))


@overload
def read_cells(
    values: list[CellValue], parse: Callable[[CellValue], T]
) -> tuple[list[T | None], dict[int, CellValue]]: ...
@overload
def read_cells(
    values: list[CellValue], parse: Callable[[CellValue], T], blank: B
) -> tuple[list[T | B], dict[int, CellValue]]: ...
def read_cells(
    values: list[CellValue], parse: Callable[[CellValue], T], blank: object = None
) -> tuple[list[Any], dict[int, CellValue]]:
    """Each cell parsed (`blank` when blank) and the unreadable ones by position."""

    def read(value: CellValue) -> object:
        outcome = attempt(parse, value)
        return blank if outcome is None else outcome

    outcomes = per_distinct(values, read)
    failed = np.fromiter(map(isinstance, outcomes, repeat(CellError)), dtype=bool)
    errors: dict[int, CellValue] = {}
    for at in np.flatnonzero(failed).tolist():
        errors[at] = values[at]
        outcomes[at] = blank
    return outcomes, errors


def attempt(parse: Callable[[CellValue], T], value: CellValue) -> T | CellError | None:
    """One cell parsed: None when blank, the CellError when unreadable."""
    if cells.is_blank(value):
        return None
    try:
        return parse(value)
    except CellError as error:
        return error


def text_cells(values: list[CellValue]) -> list[str]:
    """Free-text cells as text, surrounding spaces removed."""
    return per_distinct(values, lambda v: cells.as_text(v).strip())


def dates_to_datetime64(dates: Sequence[dt.date | None]) -> npt.NDArray[np.datetime64]:
    """Dates as datetime64[ns], NaT for None, without a slow per-object conversion."""
    days = per_distinct(dates, lambda d: _NAT if d is None else d.toordinal() - _UNIX_ORDINAL)
    return np.array(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[ns]")


def quoted(lang: Lang, text: str) -> str:
    return f"« {text} »" if lang == "fr" else f'"{text}"'


def did_you_mean(lang: Lang, name: str, known: list[str]) -> str:
    """ " (vouliez-vous dire « X » ?)" when a known name is close, else ""."""
    suggestion = closest(name, known)
    if suggestion is None:
        return ""
    return tr(
        lang, " (vouliez-vous dire {s} ?)", " (did you mean {s}?)", s=quoted(lang, suggestion)
    )


# ---------------------------------------------------------------- Groupes


def read_groups(sheet: Sheet, reading: Reading) -> tuple[tuple[Group, ...], list[Anomaly]]:
    """Groups in sheet order; a later duplicate name is reported and ignored."""
    groups: list[Group] = []
    anomalies: list[Anomaly] = []
    first_row: dict[str, int] = {}
    empty = sheet.empty_rows()
    for at, row in enumerate(sheet.rows):
        if empty[at]:
            continue
        group, problems = _group_row(sheet, reading, at, row)
        anomalies += problems
        if group is None:
            continue
        if name_key(group.name) in first_row:
            anomalies.append(_duplicate(sheet, at, group.name, first_row[name_key(group.name)]))
            continue
        first_row[name_key(group.name)] = group.row
        groups.append(group)
    return tuple(groups), anomalies


def _cell(sheet: Sheet, row: list[CellValue], key: str) -> CellValue:
    at = sheet.index.get(key)
    return row[at] if at is not None and at < len(row) else None


def _group_row(
    sheet: Sheet, reading: Reading, at: int, row: list[CellValue]
) -> tuple[Group | None, list[Anomaly]]:
    lang = reading.lang
    name = clean_name(cells.as_text(_cell(sheet, row, "group")))
    if not name:
        message = tr(
            lang,
            "Nom de groupe manquant : indiquez le nom du groupe (la ligne est ignorée).",
            "Missing group name: enter the group's name (the row is ignored).",
        )
        return None, [
            sheet.anomaly(
                Severity.ERROR, at, "group", "", code="group-name-missing", message=message
            )
        ]
    envelope, problems = _envelope(sheet, reading, at, _cell(sheet, row, "envelope"))
    policy, policy_problems = _policy(sheet, lang, at, _cell(sheet, row, "policy"))
    daily_rate, rate_problems = _daily_rate(sheet, reading, at, _cell(sheet, row, "daily_rate"))
    group = Group(
        name=name,
        pilot=clean_name(cells.as_text(_cell(sheet, row, "pilot"))),
        envelope=envelope,
        policy=policy,
        daily_rate=daily_rate,
        row=at + 2,
    )
    return group, problems + policy_problems + rate_problems


def _money(reading: Reading, value: CellValue) -> int | CellError | None:
    return attempt(lambda v: cells.parse_money(v, decimal_comma=reading.decimal_comma), value)


def _envelope(
    sheet: Sheet, reading: Reading, at: int, value: CellValue
) -> tuple[int, list[Anomaly]]:
    cents = _money(reading, value)
    if isinstance(cents, int) and cents >= 0:
        return cents, []
    lang = reading.lang
    if cents is None:
        code, what = "envelope-missing", tr(lang, "Enveloppe manquante", "Missing envelope")
    elif isinstance(cents, CellError):
        code, what = "envelope-unreadable", tr(lang, "Enveloppe illisible", "Unreadable envelope")
    else:
        code, what = "envelope-negative", tr(lang, "Enveloppe négative", "Negative envelope")
    message = what + tr(
        lang,
        " : indiquez le budget du groupe, par ex. 5000 (0 est utilisé en attendant).",
        ": enter the group's budget, e.g. 5000 (0 is used meanwhile).",
    )
    return 0, [sheet.anomaly(Severity.ERROR, at, "envelope", value, code=code, message=message)]


def _policy(sheet: Sheet, lang: Lang, at: int, value: CellValue) -> tuple[Policy, list[Anomaly]]:
    key = attempt(lambda v: cells.parse_enum(v, "policy"), value)
    if isinstance(key, str):
        return Policy(key), []
    if key is None:
        return Policy.FLAG, []
    message = tr(
        lang,
        "Politique inconnue {v} : choisissez parmi {values} ({default} en attendant).",
        "Unknown policy {v}: choose among {values} ({default} meanwhile).",
        v=quoted(lang, cells.as_text(value)),
        values=cells.enum_labels("policy", lang),
        default=cells.enum_labels("policy", lang).split(", ")[0],
    )
    return Policy.FLAG, [
        sheet.anomaly(Severity.ERROR, at, "policy", value, code="policy-unknown", message=message)
    ]


def _daily_rate(
    sheet: Sheet, reading: Reading, at: int, value: CellValue
) -> tuple[int | None, list[Anomaly]]:
    cents = _money(reading, value)
    if cents is None or (isinstance(cents, int) and cents >= 0):
        return cents, []
    message = tr(
        reading.lang,
        "Taux journalier illisible ou négatif : écrivez un montant, par ex. 300, ou laissez vide "
        "(le taux de référence est utilisé en attendant).",
        "Unreadable or negative daily rate: enter an amount, e.g. 300, or leave it blank "
        "(the reference rate is used meanwhile).",
    )
    return None, [
        sheet.anomaly(
            Severity.ERROR, at, "daily_rate", value, code="rate-unreadable", message=message
        )
    ]


def _duplicate(sheet: Sheet, at: int, name: str, first: int) -> Anomaly:
    lang = sheet.lang
    column = "group" if sheet.key == "groups" else "person"
    # A second group definition could change envelopes: an error. A repeated person is harmless.
    severity = Severity.ERROR if sheet.key == "groups" else Severity.WARNING
    message = tr(
        lang,
        "{name} figure déjà ligne {first} : fusionnez les deux lignes (celle-ci est ignorée).",
        "{name} is already on row {first}: merge both rows (this one is ignored).",
        name=quoted(lang, name),
        first=first,
    )
    return sheet.anomaly(severity, at, column, name, code=f"{column}-duplicate", message=message)


# ---------------------------------------------------------------- Personnes


def read_people(sheet: Sheet, lang: Lang) -> tuple[tuple[Person, ...], list[Anomaly]]:
    """People in sheet order; a row with an unknown retribution is left out."""
    people: list[Person] = []
    anomalies: list[Anomaly] = []
    first_row: dict[str, int] = {}
    empty = sheet.empty_rows()
    for at, row in enumerate(sheet.rows):
        if empty[at]:
            continue
        person, problems = _person_row(sheet, lang, at, row)
        anomalies += problems
        if person is None:
            continue
        if name_key(person.name) in first_row:
            anomalies.append(_duplicate(sheet, at, person.name, first_row[name_key(person.name)]))
            continue
        first_row[name_key(person.name)] = person.row
        people.append(person)
    return tuple(people), anomalies


def _person_row(
    sheet: Sheet, lang: Lang, at: int, row: list[CellValue]
) -> tuple[Person | None, list[Anomaly]]:
    name = clean_name(cells.as_text(_cell(sheet, row, "person")))
    if not name:
        message = tr(
            lang,
            "Nom manquant : indiquez le nom de la personne (la ligne est ignorée).",
            "Missing name: enter the person's name (the row is ignored).",
        )
        return None, [
            sheet.anomaly(
                Severity.ERROR, at, "person", "", code="person-name-missing", message=message
            )
        ]
    value = _cell(sheet, row, "retribution")
    retribution = attempt(lambda v: cells.parse_enum(v, "retribution"), value)
    if isinstance(retribution, CellError):
        message = tr(
            lang,
            "Rétribution inconnue {v} : choisissez parmi {values} (en attendant, {name} est "
            "traité·e comme une personne inconnue).",
            "Unknown retribution {v}: choose among {values} (meanwhile {name} is treated as "
            "an unknown person).",
            v=quoted(lang, cells.as_text(value)),
            values=cells.enum_labels("retribution", lang),
            name=name,
        )
        return None, [
            sheet.anomaly(
                Severity.ERROR,
                at,
                "retribution",
                value,
                code="retribution-unknown",
                message=message,
            )
        ]
    person = Person(
        name=name,
        email=cells.as_text(_cell(sheet, row, "email")).strip(),
        retribution=Retribution(retribution or Retribution.FINANCIAL),
        billing_entity=clean_name(cells.as_text(_cell(sheet, row, "billing_entity"))),
        payment_method=cells.as_text(_cell(sheet, row, "payment_method")).strip(),
        row=at + 2,
    )
    return person, []


# ---------------------------------------------------------------- Versements


def read_payments(
    sheet: Sheet, reading: Reading, payees: dict[str, str]
) -> tuple[pd.DataFrame, list[Anomaly]]:
    """Payments as a table; `payees` maps name keys of known payees to their spelling."""
    lang = reading.lang
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
        date_unreadable(sheet, lang, at, v, month_first=False) for at, v in bad_dates.items()
    ]
    anomalies += [amount_unreadable(sheet, lang, at, "amount", v) for at, v in bad_amounts.items()]
    anomalies += [_missing_payee(sheet, lang, at) for at in hits(live & blank_mask(written))]
    no_amount = live & sheet.blanks("amount")
    anomalies += [_missing_amount(sheet, lang, at) for at in hits(no_amount)]
    keep = live.copy()
    keep[[a.row - 2 for a in anomalies if a.row is not None]] = False
    known = np.array(per_distinct(written, lambda w: name_key(w) in payees), dtype=bool)
    anomalies += _unknown_payees(sheet, lang, written, keep & ~known, sorted(set(payees.values())))
    table = pd.DataFrame(
        {
            "row": np.arange(2, len(sheet.rows) + 2, dtype=np.int64),
            "date": dates_to_datetime64(dates),
            "payee": per_distinct(written, lambda w: payees.get(name_key(w), w)),
            "amount": np.array(amounts, dtype=np.int64),
            "reference": text_cells(sheet.cells("reference")),
            "note": text_cells(sheet.cells("note")),
        }
    )
    return table[keep].reset_index(drop=True), anomalies


def hits(mask: Mask) -> list[int]:
    """Positions where the mask is true."""
    return np.flatnonzero(mask).tolist()


def hits_among(values: Sequence[object], wanted: AbstractSet[object]) -> list[int]:
    """Positions of the values that are in `wanted` (usually none: checked fast)."""
    if not wanted:
        return []
    return hits(np.fromiter(map(wanted.__contains__, values), dtype=bool, count=len(values)))


def _missing_payee(sheet: Sheet, lang: Lang, at: int) -> Anomaly:
    message = tr(
        lang,
        "Bénéficiaire manquant : indiquez à qui le versement a été fait.",
        "Missing payee: enter who the payment was made to.",
    )
    return sheet.anomaly(Severity.ERROR, at, "payee", "", code="payee-missing", message=message)


def _missing_amount(sheet: Sheet, lang: Lang, at: int) -> Anomaly:
    message = tr(
        lang,
        "Montant manquant : indiquez le montant versé.",
        "Missing amount: enter the amount paid.",
    )
    return sheet.anomaly(Severity.ERROR, at, "amount", "", code="amount-missing", message=message)


def _unknown_payees(
    sheet: Sheet, lang: Lang, written: list[str], unknown: Mask, known: list[str]
) -> list[Anomaly]:
    hints: dict[str, str] = {}
    anomalies: list[Anomaly] = []
    for at in hits(unknown):
        name = written[at]
        if name not in hints:
            hints[name] = did_you_mean(lang, name, known)
        message = tr(
            lang,
            "Bénéficiaire inconnu {v}{hint} : ce n'est ni une personne, ni une structure de "
            "facturation, ni un contributeur ; corrigez le nom.",
            "Unknown payee {v}{hint}: neither a person, a billing entity nor a contributor; "
            "correct the name.",
            v=quoted(lang, name),
            hint=hints[name],
        )
        anomalies.append(
            sheet.anomaly(
                Severity.WARNING, at, "payee", name, code="payee-unknown", message=message
            )
        )
    return anomalies


# ---------------------------------------------------------------- shared messages


def date_unreadable(
    sheet: Sheet, lang: Lang, at: int, value: CellValue, *, month_first: bool
) -> Anomaly:
    pattern = (
        tr(lang, "MM/JJ/AAAA", "MM/DD/YYYY")
        if month_first
        else tr(lang, "JJ/MM/AAAA", "DD/MM/YYYY")
    )
    message = tr(
        lang,
        "Date illisible {v} : écrivez la date au format {pattern} (ou AAAA-MM-JJ).",
        "Unreadable date {v}: write the date as {pattern} (or YYYY-MM-DD).",
        v=quoted(lang, cells.as_text(value)),
        pattern=pattern,
    )
    return sheet.anomaly(Severity.ERROR, at, "date", value, code="date-unreadable", message=message)


def amount_unreadable(sheet: Sheet, lang: Lang, at: int, key: str, value: CellValue) -> Anomaly:
    message = tr(
        lang,
        "Montant illisible {v} : écrivez un nombre, par ex. 150 ou 150,50.",
        "Unreadable amount {v}: write a number, e.g. 150 or 150.50.",
        v=quoted(lang, cells.as_text(value)),
    )
    return sheet.anomaly(Severity.ERROR, at, key, value, code="amount-unreadable", message=message)
