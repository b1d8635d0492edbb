"""Reading the Groupes and Personnes tabs: one record per row, problems as anomalies.

A bad envelope or policy keeps the group with a safe value; a bad retribution drops the person.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sheetsync.model import Anomaly, CellValue, Group, Person, Policy, Retribution, Severity
from sheetsync.parse import cells
from sheetsync.parse.cells import CellError
from sheetsync.parse.rows import Reading, Sheet, attempt, quoted
from sheetsync.template import Lang
from sheetsync.text import clean_name, name_key, tr

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
        message = tr(
            lang,
            "Nom de groupe manquant : indiquez le nom du groupe (la ligne est ignorée).",
            "Missing group name: enter the group's name (the row is ignored).",
        )
        return None, [
            sheet.anomaly(
                Severity.ERROR, at, "group", "", code="group_name_missing", message=message
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
        code, what = "envelope_missing", tr(lang, "Enveloppe manquante", "Missing envelope")
    elif isinstance(cents, CellError):
        code, what = "envelope_unreadable", tr(lang, "Enveloppe illisible", "Unreadable envelope")
    else:
        code, what = "envelope_negative", tr(lang, "Enveloppe négative", "Negative envelope")
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
        sheet.anomaly(Severity.ERROR, at, "policy", value, code="policy_unknown", message=message)
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
            Severity.ERROR, at, "daily_rate", value, code="rate_unreadable", message=message
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
    return sheet.anomaly(severity, at, column, name, code=f"{column}_duplicate", message=message)


# ---------------------------------------------------------------- Personnes


def read_people(sheet: Sheet, lang: Lang) -> tuple[tuple[Person, ...], list[Anomaly]]:
    """People in sheet order; a row with an unknown retribution is left out."""
    return _read_named(sheet, lambda at, row: _person_row(sheet, lang, at, row))


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
                Severity.ERROR, at, "person", "", code="person_name_missing", message=message
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
                code="retribution_unknown",
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
