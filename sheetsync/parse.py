"""Reading a raw workbook as the template: tabs and columns located, settings read, rows typed.

A workbook without the template's shape raises StructureError; bad cells become anomalies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

import pandas as pd

from sheetsync import cells, template
from sheetsync.cells import CellError
from sheetsync.model import (
    Anomaly,
    Book,
    CellValue,
    Person,
    RawTab,
    RawWorkbook,
    Settings,
    Severity,
    StructureError,
)
from sheetsync.parse_contributions import read_contributions
from sheetsync.parse_rows import (
    Reading,
    Sheet,
    attempt,
    did_you_mean,
    quoted,
    read_groups,
    read_payments,
    read_people,
)
from sheetsync.template import Lang, Tab, normalize
from sheetsync.text import name_key, tr

# Languages whose locales write 1,234.5; every other one writes 1 234,5 or 1.234,5.
_DOT_LANGUAGES = frozenset({"en", "ja", "zh", "ko", "he", "th", "hi", "ms", "ga", "mt", "sw"})
_DOT_LOCALES = frozenset({"de_CH", "it_CH", "es_MX", "es_US", "fr_CH"})
_MONTH_FIRST_LOCALES = frozenset({"en_US", "en_PH", "es_US"})


@dataclass(frozen=True)
class _Found:
    """An input tab of the template and the spreadsheet tab that matched it."""

    tab: Tab
    raw: RawTab


def read_template(raw: RawWorkbook, as_of: dt.date) -> Book:
    """The typed book, or StructureError naming the tab and the expected column(s)."""
    found, duplicates = _match_tabs(raw)
    lang = book_language(found)
    problems = [_duplicate_tabs(lang, key, titles) for key, titles in duplicates.items()]
    sheets: dict[str, Sheet] = {}
    for key, match in found.items():
        sheet, sheet_problems = _locate_columns(match, lang)
        sheets[key] = sheet
        problems += sheet_problems
    problems += _missing_tabs(found, lang)
    if problems:
        raise StructureError("\n".join(problems))
    return _read_book(raw, sheets, lang, as_of)


def _read_book(raw: RawWorkbook, sheets: dict[str, Sheet], lang: Lang, as_of: dt.date) -> Book:
    decimal_comma, month_first = number_conventions(raw.locale, lang)
    reading = Reading(lang, decimal_comma, month_first)
    settings, anomalies = read_settings(sheets.get("settings"), reading, as_of)
    reading = replace(reading, hours_per_day=settings.hours_per_day)
    groups, found = read_groups(sheets["groups"], reading)
    anomalies += found
    people, found = read_people(sheets["people"], lang) if "people" in sheets else ((), [])
    anomalies += found
    contributions, found = read_contributions(sheets["contributions"], reading, groups, people)
    anomalies += found
    payees = _payee_spellings(people, contributions)
    payments, found = (
        read_payments(sheets["payments"], reading, payees)
        if "payments" in sheets
        else (_no_payments(), [])
    )
    return Book(
        lang=lang,
        settings=settings,
        groups=groups,
        people=people,
        contributions=contributions,
        payments=payments,
        anomalies=tuple(anomalies + found),
        titles={key: sheet.title for key, sheet in sheets.items()},
        headers={key: dict(sheet.headers) for key, sheet in sheets.items()},
    )


# ---------------------------------------------------------------- tabs and columns


def _match_tabs(raw: RawWorkbook) -> tuple[dict[str, _Found], dict[str, list[str]]]:
    """The first spreadsheet tab matching each input tab, and the titles of extra matches."""
    found: dict[str, _Found] = {}
    duplicates: dict[str, list[str]] = {}
    by_name = {name: tab for tab in template.load().inputs for name in tab.match_keys()}
    for title, raw_tab in raw.tabs.items():
        tab = by_name.get(normalize(title))
        if tab is None or title in raw.owned:
            continue
        if tab.key in found:
            duplicates.setdefault(tab.key, [found[tab.key].raw.title]).append(title)
            continue
        found[tab.key] = _Found(tab, raw_tab)
    return found, duplicates


def book_language(found: dict[str, _Found]) -> Lang:
    """The language whose names match more tab titles and headers (a tie: the default)."""
    votes = dict.fromkeys(template.LANGS, 0)
    for match in found.values():
        header = match.raw.rows[0] if match.raw.rows else []
        pairs: list[tuple[str, template.Named]] = [(match.raw.title, match.tab)]
        pairs += [(cells.as_text(cell), column) for cell in header for column in match.tab.columns]
        for text, named in pairs:
            for lang in template.LANGS:
                votes[lang] += normalize(text) == normalize(named.name(lang))
    default = template.load().default_language
    best = max(votes.values())
    return default if votes[default] == best else next(k for k, v in votes.items() if v == best)


def number_conventions(locale: str | None, lang: Lang) -> tuple[bool, bool]:
    """(decimal comma, month-first dates) from the spreadsheet's locale, else its language."""
    if not locale:
        return lang == "fr", False
    code = locale.replace("-", "_")
    language = code.split("_")[0].lower()
    decimal_comma = language not in _DOT_LANGUAGES and code not in _DOT_LOCALES
    return decimal_comma, code in _MONTH_FIRST_LOCALES


def _locate_columns(match: _Found, lang: Lang) -> tuple[Sheet, list[str]]:
    """Column positions from the header row (row 1), and the structure problems met."""
    tab, raw = match.tab, match.raw
    header = raw.rows[0] if raw.rows else []
    index: dict[str, int] = {}
    headers: dict[str, str] = {}
    problems: list[str] = []
    by_name = {name: column for column in tab.columns for name in column.match_keys()}
    for at, cell in enumerate(header):
        column = by_name.get(normalize(cells.as_text(cell)))
        if column is None:
            continue
        if column.key in index:
            problems.append(
                _same_meaning(lang, raw.title, headers[column.key], cells.as_text(cell))
            )
            continue
        index[column.key] = at
        headers[column.key] = cells.as_text(cell)
    problems += _missing_columns(tab, raw.title, index, lang)
    sheet = Sheet(tab.key, raw.title, lang, index, headers, raw.rows[1:])
    return sheet, problems


def _missing_columns(tab: Tab, title: str, index: dict[str, int], lang: Lang) -> list[str]:
    required = [c.name(lang) for c in tab.columns if c.required and c.key not in index]
    problems = []
    if required:
        problems.append(
            tr(
                lang,
                "Onglet {tab} : colonne(s) manquante(s) {columns} : ajoutez ces en-têtes en "
                "ligne 1.",
                "Tab {tab}: missing column(s) {columns}: add these headers in row 1.",
                tab=quoted(lang, title),
                columns=", ".join(quoted(lang, name) for name in required),
            )
        )
    if tab.one_of and not any(key in index for key in tab.one_of):
        names = " / ".join(quoted(lang, tab.column(key).name(lang)) for key in tab.one_of)
        problems.append(
            tr(
                lang,
                "Onglet {tab} : il faut au moins une des colonnes {columns} : ajoutez-en une en "
                "ligne 1.",
                "Tab {tab}: at least one of the columns {columns} is needed: add one in row 1.",
                tab=quoted(lang, title),
                columns=names,
            )
        )
    return problems


def _same_meaning(lang: Lang, title: str, first: str, second: str) -> str:
    return tr(
        lang,
        "Onglet {tab} : les colonnes {a} et {b} ont le même sens : renommez ou supprimez l'une "
        "d'elles.",
        "Tab {tab}: the columns {a} and {b} mean the same: rename or delete one of them.",
        tab=quoted(lang, title),
        a=quoted(lang, first),
        b=quoted(lang, second),
    )


def _duplicate_tabs(lang: Lang, key: str, titles: list[str]) -> str:
    return tr(
        lang,
        "Les onglets {titles} correspondent tous à l'onglet {tab} : renommez ou supprimez les "
        "autres.",
        "The tabs {titles} all match the {tab} tab: rename or delete the others.",
        titles=", ".join(quoted(lang, t) for t in titles),
        tab=quoted(lang, template.load().input(key).name(lang)),
    )


def _missing_tabs(found: dict[str, _Found], lang: Lang) -> list[str]:
    problems = []
    for tab in template.load().inputs:
        if tab.required and tab.key not in found:
            columns = [c.name(lang) for c in tab.columns if c.required or c.key in tab.one_of]
            problems.append(
                tr(
                    lang,
                    "Onglet {tab} introuvable : ajoutez un onglet {tab} avec en ligne 1 les "
                    "colonnes {columns}.",
                    "Tab {tab} not found: add a tab named {tab} with the columns {columns} "
                    "in row 1.",
                    tab=quoted(lang, tab.name(lang)),
                    columns=", ".join(quoted(lang, c) for c in columns),
                )
            )
    return problems


# ---------------------------------------------------------------- Paramètres


def _setting_reader(kind: str, reading: Reading) -> Callable[[CellValue], object]:
    """How a setting's Valeur cell is read, by the template's setting type."""
    comma = reading.decimal_comma
    readers: dict[str, Callable[[CellValue], object]] = {
        "text": lambda v: cells.as_text(v).strip(),
        "money": lambda v: cells.parse_money(v, decimal_comma=comma),
        "number": lambda v: cells.parse_fraction(v, decimal_comma=comma),
        "date": lambda v: cells.parse_date(v, month_first=reading.month_first),
        "bool": cells.parse_bool,
        "percent": lambda v: cells.parse_percent(v, decimal_comma=comma),
        "integer": lambda v: cells.parse_integer(v, decimal_comma=comma),
    }
    return readers[kind]


def _plausible(key: str, value: object) -> bool:
    """Values the rules can work with: no negative rate, between 0 and 24 hours a day…"""
    if key == "hours_per_day":
        return isinstance(value, Fraction) and 0 < value <= 24
    if key == "rate_deviation_factor":
        return isinstance(value, Fraction) and value > 0
    if isinstance(value, str):
        return bool(value)
    return not isinstance(value, int | Fraction) or value >= 0


def _defaults(as_of: dt.date) -> dict[str, Any]:
    reading = Reading("en", decimal_comma=False, month_first=False)
    values: dict[str, Any] = {
        s.key: _setting_reader(s.type, reading)(s.default)
        for s in template.load().settings
        if s.default
    }
    values["period_start"] = dt.date(as_of.year, 1, 1)
    values["period_end"] = dt.date(as_of.year, 12, 31)
    return values


def read_settings(
    sheet: Sheet | None, reading: Reading, as_of: dt.date
) -> tuple[Settings, list[Anomaly]]:
    """Settings from the Paramètres tab; anything missing or unreadable takes its default."""
    defaults = _defaults(as_of)
    given, anomalies = _given_settings(sheet, reading) if sheet else ({}, [])
    lang = reading.lang
    title = sheet.title if sheet else template.load().input("settings").name(lang)
    for setting in template.load().settings:
        if setting.key not in given:
            anomalies.append(_defaulted(lang, title, setting, defaults[setting.key]))
    values = {**defaults, **given}
    if values["period_start"] > values["period_end"]:
        anomalies.append(_reversed_period(lang, title))
        values["period_start"], values["period_end"] = (
            defaults["period_start"],
            defaults["period_end"],
        )
    return Settings(**values), anomalies


def _given_settings(sheet: Sheet, reading: Reading) -> tuple[dict[str, Any], list[Anomaly]]:
    by_name = {name: s for s in template.load().settings for name in s.match_keys()}
    given: dict[str, Any] = {}
    first_row: dict[str, int] = {}
    anomalies: list[Anomaly] = []
    names, values = sheet.cells("setting"), sheet.cells("value")
    for at, (name_cell, value) in enumerate(zip(names, values, strict=True)):
        name = cells.as_text(name_cell).strip()
        setting = by_name.get(normalize(name))
        # A known setting left blank takes its default, reported like a missing one.
        if not name or (cells.is_blank(value) and setting is not None):
            continue
        if setting is None:
            anomalies.append(_unknown_setting(sheet, reading.lang, at, name))
        elif setting.key in first_row:
            anomalies.append(_duplicate_setting(sheet, reading.lang, at, name, first_row))
        else:
            first_row[setting.key] = at + 2
            parsed = attempt(_setting_reader(setting.type, reading), value)
            if isinstance(parsed, CellError) or not _plausible(setting.key, parsed):
                anomalies.append(_unreadable_setting(sheet, reading.lang, at, setting, value))
            else:
                given[setting.key] = parsed
    return given, anomalies


def _unknown_setting(sheet: Sheet, lang: Lang, at: int, name: str) -> Anomaly:
    known = [s.name(lang) for s in template.load().settings]
    message = tr(
        lang,
        "Paramètre inconnu {v}{hint} : corrigez son nom ou supprimez la ligne (elle est ignorée).",
        "Unknown setting {v}{hint}: correct its name or delete the row (it is ignored).",
        v=quoted(lang, name),
        hint=did_you_mean(lang, name, known),
    )
    return sheet.anomaly(
        Severity.WARNING, at, "setting", name, code="setting-unknown", message=message
    )


def _duplicate_setting(
    sheet: Sheet, lang: Lang, at: int, name: str, first_row: dict[str, int]
) -> Anomaly:
    by_name = {n: s for s in template.load().settings for n in s.match_keys()}
    message = tr(
        lang,
        "Paramètre {v} déjà donné ligne {first} : supprimez cette ligne (elle est ignorée).",
        "Setting {v} already given on row {first}: delete this row (it is ignored).",
        v=quoted(lang, name),
        first=first_row[by_name[normalize(name)].key],
    )
    return sheet.anomaly(
        Severity.WARNING, at, "setting", name, code="setting-duplicate", message=message
    )


def _unreadable_setting(
    sheet: Sheet, lang: Lang, at: int, setting: template.Setting, value: CellValue
) -> Anomaly:
    message = tr(
        lang,
        "Valeur illisible ou impossible pour {name} : {help} La valeur par défaut ({default}) "
        "est utilisée en attendant.",
        "Unreadable or impossible value for {name}: {help} The default ({default}) is used "
        "meanwhile.",
        name=quoted(lang, setting.name(lang)),
        help=setting.help(lang),
        default=setting.default or "-",
    )
    return sheet.anomaly(
        Severity.WARNING, at, "value", value, code="setting-unreadable", message=message
    )


def _defaulted(lang: Lang, title: str, setting: template.Setting, value: object) -> Anomaly:
    shown = setting_text(setting, value, lang)
    message = tr(
        lang,
        "Paramètre {name} non renseigné : {value} est utilisé. Ajoutez-le à l'onglet {tab} pour "
        "le changer.",
        "Setting {name} not given: {value} is used. Add it to the {tab} tab to change it.",
        name=quoted(lang, setting.name(lang)),
        value=shown,
        tab=quoted(lang, title),
    )
    return Anomaly(Severity.INFO, title, None, None, shown, message, "setting-default")


def setting_text(setting: template.Setting, value: object, lang: Lang) -> str:
    """A setting's value as a user would type it: 300 (not cents), 80 (percent), oui."""
    if isinstance(value, bool):
        return template.load().enums["bool"].label("yes" if value else "no", lang)
    if isinstance(value, dt.date):
        return value.isoformat()
    if setting.type == "money" and isinstance(value, int):
        value = Fraction(value, 100)
    elif setting.type == "percent" and isinstance(value, Fraction):
        value *= 100
    if isinstance(value, Fraction):
        text = f"{float(value):.6g}"
        return text.replace(".", ",") if lang == "fr" else text
    return str(value)


def _reversed_period(lang: Lang, title: str) -> Anomaly:
    message = tr(
        lang,
        "La période finit avant de commencer : corrigez Début et Fin de période (l'année "
        "civile est utilisée en attendant).",
        "The period ends before it starts: correct Period start and end (the calendar year "
        "is used meanwhile).",
    )
    return Anomaly(Severity.WARNING, title, None, None, "", message, "period-reversed")


# ---------------------------------------------------------------- payees


def _payee_spellings(people: tuple[Person, ...], contributions: pd.DataFrame) -> dict[str, str]:
    """Name key -> spelling of whoever may be paid: people, billing entities, contributors."""
    spellings: dict[str, str] = {}
    names = [p.name for p in people] + [p.billing_entity for p in people if p.billing_entity]
    names += contributions["person"].unique().tolist()
    for name in names:
        spellings.setdefault(name_key(name), name)
    return spellings


def _no_payments() -> pd.DataFrame:
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
