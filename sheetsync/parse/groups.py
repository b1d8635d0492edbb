"""Reading the Groupes and Personnes tabs: one record per row, problems as anomalies.

A bad envelope or policy keeps the group with a safe value; a bad retribution drops the person.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sheetsync import cells
from sheetsync.errors import AddressError, CellError
from sheetsync.messages import message
from sheetsync.model import TOTAL, Anomaly, CellValue, Group, Person, Policy, Retribution
from sheetsync.parse.addresses import parse_address, shown
from sheetsync.parse.rows import Reading, Sheet, attempt, quoted
from sheetsync.template import Lang
from sheetsync.text import clean_name, name_key

# ---------------------------------------------------------------- Groupes


def read_groups(sheet: Sheet, reading: Reading) -> tuple[tuple[Group, ...], list[Anomaly]]:
    """Groups in sheet order; a later duplicate name is reported and ignored."""
    return _read_named(sheet, lambda at, row: _group_row(sheet, reading, at, row))


Named = TypeVar("Named", Group, Person)
RowReader = Callable[[int, list[CellValue]], tuple[Named | None, list[Anomaly]]]


def _read_named(
    sheet: Sheet, read_row: RowReader[Named]
) -> tuple[tuple[Named, ...], list[Anomaly]]:
    """Records of a tab keyed by name, in sheet order; later duplicates reported, ignored."""
    records: list[Named] = []
    anomalies: list[Anomaly] = []
    first_row: dict[str, int] = {}
    empty = sheet.empty_rows()
    for at, row in enumerate(sheet.rows):
        if empty[at]:
            continue
        record, problems = read_row(at, row)
        anomalies += problems
        if record is None:
            continue
        key = name_key(record.name)
        if key in first_row:
            anomalies.append(_duplicate(sheet, at, record.name, first_row[key]))
            continue
        first_row[key] = record.row
        records.append(record)
    return tuple(records), anomalies


def _cell(sheet: Sheet, row: list[CellValue], key: str) -> CellValue:
    at = sheet.index.get(key)
    return row[at] if at is not None and at < len(row) else None


def _group_row(
    sheet: Sheet, reading: Reading, at: int, row: list[CellValue]
) -> tuple[Group | None, list[Anomaly]]:
    lang = reading.lang
    name = clean_name(cells.as_text(_cell(sheet, row, "group")))
    if not name:
        text = message("group_name_missing", lang)
        return None, [sheet.anomaly(at, "group", "", code="group_name_missing", message=text)]
    if name.casefold() == TOTAL.casefold():  # would be read and styled as the total row
        text = message("group_name_reserved", lang, name=quoted(lang, name))
        return None, [sheet.anomaly(at, "group", name, code="group_name_reserved", message=text)]
    envelope, problems = _envelope(sheet, reading, at, _cell(sheet, row, "envelope"))
    policy, policy_problems = _policy(sheet, lang, at, _cell(sheet, row, "policy"))
    daily_rate, rate_problems = _daily_rate(sheet, reading, at, _cell(sheet, row, "daily_rate"))
    group = Group(
        name=name,
        pilot=clean_name(cells.as_text(_cell(sheet, row, "pilot"))),
        envelope=envelope,
        policy=policy,
        daily_rate=daily_rate,
        row=sheet.row_number(at),
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
    if cents is None:
        code = "envelope_missing"
    elif isinstance(cents, CellError):
        code = "envelope_unreadable"
    else:
        code = "envelope_negative"
    text = message(code, reading.lang)
    return 0, [sheet.anomaly(at, "envelope", value, code=code, message=text)]


def _policy(sheet: Sheet, lang: Lang, at: int, value: CellValue) -> tuple[Policy, list[Anomaly]]:
    key = attempt(lambda v: cells.parse_enum(v, "policy"), value)
    if isinstance(key, str):
        return Policy(key), []
    if key is None:
        return Policy.FLAG, []
    text = message(
        "policy_unknown",
        lang,
        v=quoted(lang, cells.as_text(value)),
        values=cells.enum_labels("policy", lang),
        default=cells.enum_labels("policy", lang).split(", ")[0],
    )
    return Policy.FLAG, [sheet.anomaly(at, "policy", value, code="policy_unknown", message=text)]


def _daily_rate(
    sheet: Sheet, reading: Reading, at: int, value: CellValue
) -> tuple[int | None, list[Anomaly]]:
    cents = _money(reading, value)
    if cents is None or (isinstance(cents, int) and cents >= 0):
        return cents, []
    text = message("rate_unreadable", reading.lang)
    return None, [sheet.anomaly(at, "daily_rate", value, code="rate_unreadable", message=text)]


def _duplicate(sheet: Sheet, at: int, name: str, first: int) -> Anomaly:
    lang = sheet.lang
    column = "group" if sheet.key == "groups" else "person"
    # The catalogue makes a second group an error (it could change envelopes), a repeated
    # person a warning (harmless).
    code = f"{column}_duplicate"
    text = message(code, lang, name=quoted(lang, name), first=first)
    return sheet.anomaly(at, column, name, code=code, message=text)


# ---------------------------------------------------------------- Personnes


def read_people(sheet: Sheet, lang: Lang) -> tuple[tuple[Person, ...], list[Anomaly]]:
    """People in sheet order; a row with an unknown retribution is left out."""
    return _read_named(sheet, lambda at, row: _person_row(sheet, lang, at, row))


def _opted_out(value: CellValue) -> bool:
    """Pas de relance: yes, or any text that is not a clear no (never email on a guess)."""
    flag = attempt(cells.parse_bool, value)
    return isinstance(flag, CellError) or bool(flag)


def _consents(value: CellValue) -> bool:
    """Publier mon nom: only a clear yes; blank, no or any other text keeps the name
    private (never publish on a guess)."""
    flag = attempt(cells.parse_bool, value)
    return flag is True


def _person_row(
    sheet: Sheet, lang: Lang, at: int, row: list[CellValue]
) -> tuple[Person | None, list[Anomaly]]:
    name = clean_name(cells.as_text(_cell(sheet, row, "person")))
    if not name:
        text = message("person_name_missing", lang)
        return None, [sheet.anomaly(at, "person", "", code="person_name_missing", message=text)]
    value = _cell(sheet, row, "retribution")
    retribution = attempt(lambda v: cells.parse_enum(v, "retribution"), value)
    if isinstance(retribution, CellError):
        text = message(
            "retribution_unknown",
            lang,
            v=quoted(lang, cells.as_text(value)),
            values=cells.enum_labels("retribution", lang),
            name=name,
        )
        return None, [
            sheet.anomaly(at, "retribution", value, code="retribution_unknown", message=text)
        ]
    email, problems = _email(sheet, lang, at, _cell(sheet, row, "email"), name)
    person = Person(
        name=name,
        email=email,
        retribution=Retribution(retribution or Retribution.FINANCIAL),
        billing_entity=clean_name(cells.as_text(_cell(sheet, row, "billing_entity"))),
        payment_method=cells.as_text(_cell(sheet, row, "payment_method")).strip(),
        row=sheet.row_number(at),
        no_reminder=_opted_out(_cell(sheet, row, "no_reminder")),
        publish=_consents(_cell(sheet, row, "publish")),
    )
    return person, problems


def _email(
    sheet: Sheet, lang: Lang, at: int, value: CellValue, name: str
) -> tuple[str, list[Anomaly]]:
    """The one address of an Email cell; any other content is an error and leaves the
    person without an address, so nothing is ever sent from a guess."""
    address = attempt(parse_address, value)
    if not isinstance(address, CellError):
        return address or "", []
    reason = address.reason if isinstance(address, AddressError) else "malformed"
    typed = shown(cells.as_text(value).strip())
    text = message(f"email_invalid.{reason}", lang, v=quoted(lang, typed), name=name)
    return "", [sheet.anomaly(at, "email", value, code="email_invalid", message=text)]
