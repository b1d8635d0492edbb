"""`init airtable:…`: the template's input tables, made once through the metadata API
with field types and select choices from templates/template.toml; a Personne or a
Groupe of Contributions links to its table. Tables that exist already are untouched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any

from sheetsync import cells
from sheetsync.backends.airtable.client import Client
from sheetsync.backends.airtable.schema import SYMBOLS, TableSchema
from sheetsync.errors import CellError
from sheetsync.messages import say
from sheetsync.model import CellValue
from sheetsync.template import Column, Lang, Tab, load, normalize

Json = dict[str, Any]
_COLORS = ("blueLight2", "greenLight2", "yellowLight2", "redLight2", "purpleLight2")


def column_field(column: Column, lang: Lang, links: Mapping[str, str]) -> Json:  # noqa: PLR0911 - one field type a kind
    """An input column's field: typed, a list of choices, or a link to another table."""
    name, template = column.name(lang), load()
    if column.list is not None and column.list in links:
        return {
            "name": name,
            "type": "multipleRecordLinks",
            "options": {"linkedTableId": links[column.list]},
        }
    if column.enum is not None:
        labels = template.enums[column.enum].labels(lang)
        choices = [{"name": v, "color": _COLORS[i % len(_COLORS)]} for i, v in enumerate(labels)]
        return {"name": name, "type": "singleSelect", "options": {"choices": choices}}
    if column.kind == "bool":
        return {
            "name": name,
            "type": "checkbox",
            "options": {"icon": "check", "color": "greenBright"},
        }
    if column.kind == "money":
        return {
            "name": name,
            "type": "currency",
            "options": {"precision": 2, "symbol": SYMBOLS["EUR"]},
        }
    if column.kind == "date":
        form = say(lang, "format.airtable_date")
        return {"name": name, "type": "date", "options": {"dateFormat": {"name": form}}}
    if column.kind == "hours":
        return {"name": name, "type": "number", "options": {"precision": 2}}
    return {"name": name, "type": "multilineText" if column.width >= 40 else "singleLineText"}


def _fields(tab: Tab, lang: Lang, links: Mapping[str, str]) -> list[Json]:
    """The primary field first: the name column (a link cannot be primary)."""
    fields = [column_field(c, lang, links) for c in tab.columns]
    first = next((i for i, f in enumerate(fields) if f["type"] != "multipleRecordLinks"), 0)
    if fields[first]["type"] not in {"singleLineText", "multilineText", "date", "number"}:
        fields[first] = {"name": fields[first]["name"], "type": "singleLineText"}
    return [fields[first], *fields[:first], *fields[first + 1 :]]


def _value(  # noqa: PLR0911 - one conversion a field type
    value: CellValue, field: Json, ids: Mapping[str, dict[str, str]], tab: Tab
) -> Any:
    if value is None or value == "":
        return None
    if field["type"] == "multipleRecordLinks":
        column = next(
            c
            for c in tab.columns
            if normalize(c.en) == normalize(field["name"])
            or normalize(c.fr) == normalize(field["name"])
        )
        found = ids.get(column.list or "", {}).get(normalize(str(value)))
        return [found] if found else None
    kind = field["type"]
    if kind in {"singleLineText", "multilineText"}:
        return cells.as_text(value)
    if kind == "singleSelect":
        choices = {c["name"] for c in field["options"]["choices"]}
        return str(value) if str(value) in choices else None
    if kind == "checkbox":
        return _typed(lambda: cells.parse_bool(value))
    if kind == "date":
        return _typed(lambda: cells.parse_date(value).isoformat())
    if isinstance(value, dt.timedelta):
        return value.total_seconds() / 3600
    if kind == "number":  # hours: a typed duration ("1h30") as hours
        hours = Fraction(7)
        return _typed(
            lambda: cells.parse_hours(value, decimal_comma=True, hours_per_day=hours) / 3600
        )
    return _typed(lambda: float(cells.parse_number(value, decimal_comma=True)))


def _typed(read: Callable[[], Any]) -> Any:
    """A value a typed field takes; None for a text no field of that type can hold (an
    example row's deliberate mistake stays out of the base rather than in a wrong type)."""
    try:
        return read()
    except (CellError, ValueError, TypeError, ArithmeticError):
        return None


def create_inputs(
    client: Client, lang: Lang, rows: Mapping[str, Sequence[Sequence[CellValue]]]
) -> None:
    """Each input table missing from the base, then its rows (init --example)."""
    from sheetsync.backends.xlsx.init import setting_rows  # noqa: PLC0415 - template data

    given = {"settings": setting_rows(lang, airtable=True), **rows}
    existing = {normalize(t.name): t for t in client.tables()}
    links: dict[str, str] = {}
    ids: dict[str, dict[str, str]] = {}
    for tab in load().initial_inputs(rows.keys()):
        found = next((t for k, t in existing.items() if k in tab.match_keys()), None)
        if found is not None:
            links[tab.key] = found.id
            continue
        fields = _fields(tab, lang, links)
        made = client.create_table(tab.name(lang), "", fields)
        links[tab.key] = made.id
        ids[tab.key] = _fill(client, made, (tab, fields), given.get(tab.key, ()), ids)


def _fill(
    client: Client,
    table: TableSchema,
    shape: tuple[Tab, Sequence[Json]],
    rows: Sequence[Sequence[CellValue]],
    ids: Mapping[str, dict[str, str]],
) -> dict[str, str]:
    """The rows as records; their ids by the primary field's text, for links to them."""
    tab, fields = shape
    by_column = {normalize(c.name(lang)): c for c in tab.columns for lang in ("fr", "en")}
    order = [by_column[normalize(str(f["name"]))] for f in fields]
    records = []
    for row in rows:
        values = dict(zip(tab.columns, row, strict=False))
        record = {
            str(f["name"]): v
            for f, column in zip(fields, order, strict=True)
            if (v := _value(values.get(column), f, ids, tab)) is not None
        }
        if record:
            records.append(record)
    made = client.create(table.id, records)
    primary = str(fields[0]["name"])
    return {normalize(str(r.get(primary, ""))): i for r, i in zip(records, made, strict=True)}
