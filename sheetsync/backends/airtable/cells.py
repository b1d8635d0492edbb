"""Airtable field values as the cells the parser reads (SPEC §14 "Reading").

Numbers and currency as numbers, percent as a fraction, a duration (seconds) as a
timedelta, dates as dates, a date-time as its date in the field's time zone, a
checkbox as yes/no, selects by name, linked records by their primary field, an error
of a computed field as an unreadable (error) cell. An absent field is a blank.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sheetsync.backends.airtable.schema import Field, TableSchema
from sheetsync.model import CellValue, ErrorCell

Names = Mapping[str, str]  # record id -> its primary field as text
_LISTS = frozenset({"multipleSelects", "multipleLookupValues", "multipleCollaborators"})


def zone(options: Mapping[str, Any]) -> dt.tzinfo:
    """A date-time field's time zone: its own IANA zone, else UTC ("client" has none)."""
    name = str(options.get("timeZone") or "utc")
    if name in {"utc", "client"}:
        return dt.UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def _date_time(text: str, options: Mapping[str, Any]) -> CellValue:
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(zone(options)).date()


def _date(text: str) -> CellValue:
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return text


def _special(value: Mapping[str, Any]) -> CellValue:
    """An error of a formula, rollup or lookup: {"error": "#ERROR!"}, {"specialValue": "NaN"}."""
    text = value.get("error") or value.get("specialValue") or "#ERROR!"
    return ErrorCell(f"#{text}" if not str(text).startswith("#") else str(text))


def _named(value: Any) -> str:
    if isinstance(value, Mapping):
        return str(value.get("name") or value.get("email") or value.get("filename") or "")
    return "" if value is None else str(value)


def cell(value: Any, field: Field, names: Names) -> CellValue:  # noqa: PLR0911 - one case a type
    """One field's value in one record."""
    if value is None:
        return None
    if isinstance(value, Mapping) and ("error" in value or "specialValue" in value):
        return _special(value)
    kind = field.type
    if kind in {"formula", "rollup"}:
        result = field.options.get("result") or {}
        kind = str(result.get("type") or "")
        options: Mapping[str, Any] = result.get("options") or {}
        field = Field(field.id, field.name, kind, dict(options))
    if kind == "multipleRecordLinks":
        return ", ".join(names.get(str(v), str(v)) for v in value) if value else None
    if isinstance(value, list):
        shown = [cell(v, Field(field.id, field.name, "", {}), names) for v in value]
        if any(isinstance(v, ErrorCell) for v in shown):
            return next(v for v in shown if isinstance(v, ErrorCell))
        if len(shown) == 1 and kind not in _LISTS:
            return shown[0]
        return ", ".join(_named(v) for v in shown if v is not None) or None
    return _scalar(value, kind, field.options)


def _scalar(value: Any, kind: str, options: Mapping[str, Any]) -> CellValue:
    if kind == "checkbox":
        return bool(value)
    if kind == "duration" and isinstance(value, int | float):
        return dt.timedelta(seconds=float(value))
    if kind == "date" and isinstance(value, str):
        return _date(value)
    if kind in {"dateTime", "createdTime", "lastModifiedTime"} and isinstance(value, str):
        return _date_time(value, options)
    if isinstance(value, bool | int | float | str):
        return value
    return _named(value) or None


def record_row(record: Mapping[str, Any], table: TableSchema, names: Names) -> list[CellValue]:
    """A record's cells in the order of the table's fields; absent fields blank."""
    values = record.get("fields") or {}
    row = [cell(values.get(f.name), f, names) for f in table.fields]
    while row and row[-1] is None:
        row.pop()
    return row


def primary_text(record: Mapping[str, Any], table: TableSchema) -> str:
    """What a link to this record shows: its primary field, as text."""
    primary = next((f for f in table.fields if f.id == table.primary), None)
    if primary is None:
        return ""
    value = cell((record.get("fields") or {}).get(primary.name), primary, {})
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)
