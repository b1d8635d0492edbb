"""Owned tables as records: an output table's rows as the fields sheetsync writes, the
records read back as the tab a sheet would show, and the changes between the two.

Each owned record carries its rank (`N°`) as its key: a sync upserts the records whose
fields changed, on that key, and deletes the surplus, so a replayed write adds nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sheetsync.backends.airtable.cells import cell
from sheetsync.backends.airtable.schema import TableSchema
from sheetsync.model import CellValue, OutputTable
from sheetsync.units import to_units

Json = dict[str, Any]
Key = tuple[Any, ...]


def json_value(value: object, kind: str) -> Any:
    """A cell as Airtable takes it: money in units, dates ISO; blanks null (which clears)."""
    if value is None or value == "":
        return None
    if kind == "money" and isinstance(value, int) and not isinstance(value, bool):
        return to_units(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


def row_fields(
    table: OutputTable, key_name: str, head: Mapping[str, Any] | None = None
) -> list[Json]:
    """Every row of the table as the fields of its record, its rank (1 first) as key."""
    prefix = dict(head or {})
    return [
        {
            **prefix,
            key_name: rank,
            **{
                name: json_value(value, kind)
                for name, value, kind in zip(table.header, row, table.kinds, strict=False)
            },
        }
        for rank, row in enumerate(table.rows, start=1)
    ]


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, float | int) and isinstance(new, float | int):
        return float(f"{float(old):.15g}") == float(f"{float(new):.15g}")
    return bool(old == new)


@dataclass
class Changes:
    """The writes that bring a table's records to the wanted ones."""

    upserts: list[Json] = field(default_factory=list)
    deletes: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.upserts or self.deletes)


def changes(
    existing: Sequence[Json], wanted: Sequence[Json], keys: Sequence[str], *, scope: Key = ()
) -> Changes:
    """Records to upsert (new or changed fields) and ids to delete (surplus, keyless or a
    second record of one key). `scope`: only existing records whose first keys are these
    (one closing's rows of the Clôtures table) are the table's."""
    found: dict[Key, Json] = {}
    result = Changes()
    for record in existing:
        values = record.get("fields") or {}
        key = tuple(values.get(k) for k in keys)
        if scope and key[: len(scope)] != scope:
            continue
        if any(k is None for k in key) or key in found:
            result.deletes.append(str(record["id"]))
        else:
            found[key] = record
    wanted_keys = set()
    for fields in wanted:
        key = tuple(fields.get(k) for k in keys)
        wanted_keys.add(key)
        old = found.get(key)
        values = (old or {}).get("fields") or {}
        if old is None or not all(_same(values.get(n), v) for n, v in fields.items()):
            result.upserts.append(fields)
    result.deletes += [str(r["id"]) for key, r in found.items() if key not in wanted_keys]
    return result


def owned_rows(
    records: Sequence[Json], table: TableSchema, skip: Sequence[str], key_name: str
) -> list[list[CellValue]]:
    """An owned table as a tab: the header, then the records in key order (those without
    a key last), the key and `skip` fields left out."""
    shown = [f for f in table.fields if f.name not in {*skip, key_name}]

    def rank(record: Json) -> float:
        value = (record.get("fields") or {}).get(key_name)
        return float(value) if isinstance(value, int | float) else float("inf")

    rows: list[list[CellValue]] = [[f.name for f in shown]]
    for record in sorted(records, key=rank):
        values = record.get("fields") or {}
        row = [cell(values.get(f.name), f, {}) for f in shown]
        while row and row[-1] is None:
            row.pop()
        rows.append(row)
    return rows
