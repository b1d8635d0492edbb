"""Reading the Paramètres tab into Settings: every value typed, defaults for the rest.

Missing settings are reported as info, unknown or unreadable ones as warnings; nothing here raises.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from sheetsync import cells, template
from sheetsync.errors import CellError
from sheetsync.messages import did_you_mean, message, say, severity
from sheetsync.model import Anomaly, CellValue, Settings
from sheetsync.parse.addresses import parse_address
from sheetsync.parse.rows import Reading, Sheet, attempt, quoted
from sheetsync.template import Lang, normalize


def _setting_reader(kind: str, reading: Reading) -> Callable[[CellValue], object]:
    """How a setting's Valeur cell is read, by the template's setting type."""
    comma = reading.decimal_comma
    readers: dict[str, Callable[[CellValue], object]] = {
        "text": lambda v: cells.as_text(v).strip(),
        "email": parse_address,  # the sender and reply-to of reminders: one address
        "money": lambda v: cells.parse_money(v, decimal_comma=comma),
        "number": lambda v: cells.parse_fraction(v, decimal_comma=comma),
        "date": lambda v: cells.parse_date(v, month_first=reading.month_first),
        "bool": cells.parse_bool,
        "percent": lambda v: cells.parse_percent(v, decimal_comma=comma),
        "integer": lambda v: cells.parse_integer(v, decimal_comma=comma),
    }
    return readers[kind]


def _plausible(setting: template.Setting, value: object) -> bool:
    """Values the rules can work with: within the template's bounds for the setting.

    Bounds keep every figure in range of 64-bit cents however extreme the cell
    (1e-300 hours a day, a factor of 1e300); a text setting must not be blank.
    """
    if isinstance(value, str):
        return bool(value)
    if isinstance(value, bool) or not isinstance(value, int | Fraction):
        return True
    reader = _setting_reader(setting.type, Reading("en", decimal_comma=False, month_first=False))
    low = reader(setting.min) if setting.min else 0
    high = reader(setting.max) if setting.max else None
    return low <= value and (high is None or value <= high)  # type: ignore[operator]


# A cell holding 7/3 as a float (2.3333333333333335) is read as 7/3: a setting's exact
# value keeps at most this denominator, so figures computed with it stay in 64 bits.
PRECISION = 10_000


def _rounded(value: object) -> object:
    return value.limit_denominator(PRECISION) if isinstance(value, Fraction) else value


def _defaults(as_of: dt.date) -> dict[str, Any]:
    reading = Reading("en", decimal_comma=False, month_first=False)
    values: dict[str, Any] = {
        s.key: _setting_reader(s.type, reading)(s.default)
        for s in template.load().settings
        if s.default
    }
    values.update({s.key: "" for s in template.load().settings if s.optional})
    values["period_start"] = dt.date(as_of.year, 1, 1)
    values["period_end"] = dt.date(as_of.year, 12, 31)
    return values


def default_settings(as_of: dt.date) -> Settings:
    """Every setting at the template's default; the period is as_of's calendar year."""
    return Settings(**_defaults(as_of))


def read_settings(
    sheet: Sheet | None, reading: Reading, as_of: dt.date
) -> tuple[Settings, list[Anomaly]]:
    """Settings from the Paramètres tab; anything missing or unreadable takes its default."""
    defaults = _defaults(as_of)
    given, anomalies = _given_settings(sheet, reading) if sheet else ({}, [])
    lang = reading.lang
    title = sheet.title if sheet else template.load().input("settings").name(lang)
    for setting in template.load().settings:
        if setting.key not in given and not setting.optional:
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
            first_row[setting.key] = sheet.row_number(at)
            parsed = _rounded(attempt(_setting_reader(setting.type, reading), value))
            if isinstance(parsed, CellError) or not _plausible(setting, parsed):
                anomalies.append(_unreadable_setting(sheet, reading.lang, at, setting, value))
            else:
                given[setting.key] = parsed
    return given, anomalies


def _unknown_setting(sheet: Sheet, lang: Lang, at: int, name: str) -> Anomaly:
    known = [s.name(lang) for s in template.load().settings]
    text = message(
        "setting_unknown", lang, v=quoted(lang, name), hint=did_you_mean(lang, name, known)
    )
    return sheet.anomaly(at, "setting", name, code="setting_unknown", message=text)


def _duplicate_setting(
    sheet: Sheet, lang: Lang, at: int, name: str, first_row: dict[str, int]
) -> Anomaly:
    by_name = {n: s for s in template.load().settings for n in s.match_keys()}
    first = first_row[by_name[normalize(name)].key]
    text = message("setting_duplicate", lang, v=quoted(lang, name), first=first)
    return sheet.anomaly(at, "setting", name, code="setting_duplicate", message=text)


def _unreadable_setting(
    sheet: Sheet, lang: Lang, at: int, setting: template.Setting, value: CellValue
) -> Anomaly:
    text = message(
        "setting_unreadable",
        lang,
        name=quoted(lang, setting.name(lang)),
        help=setting.help(lang),
        default=setting.default or "-",
    )
    return sheet.anomaly(at, "value", value, code="setting_unreadable", message=text)


def _defaulted(lang: Lang, title: str, setting: template.Setting, value: object) -> Anomaly:
    shown = setting_text(setting, value, lang)
    code = "setting_default"
    text = message(
        code,
        lang,
        name=quoted(lang, setting.name(lang)),
        value=shown,
        tab=quoted(lang, title),
    )
    return Anomaly(severity(code), title, None, None, shown, text, code)


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
        return text.replace(".", say(lang, "format.decimal_mark"))
    return str(value)


def _reversed_period(lang: Lang, title: str) -> Anomaly:
    code = "period_reversed"
    return Anomaly(severity(code), title, None, None, "", message(code, lang), code)
