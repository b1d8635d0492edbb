"""A base's tables as the metadata API describes them, the marker that makes a table
sheetsync's, and the field types of the tables sheetsync creates.

A table sheetsync created carries `[sheetsync:<title>]` at the start of its description:
found again by it (and by its id, kept in the state table) when someone renamed it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sheetsync.messages import say
from sheetsync.model import OutputTable
from sheetsync.template import Lang, load

Json = dict[str, Any]

_MARKER = re.compile(r"^\[sheetsync:([^\]]+)\]")
KEY_FIELD = {"fr": "N°", "en": "No."}  # each owned record's rank: the key upserts merge on
CLOSING_FIELD = {"fr": "Clôture", "en": "Closing"}
CLOSINGS_TITLE = {"fr": "Clôtures", "en": "Closings"}
STATE_FIELDS = ("Clé", "Partie", "Données")  # the state table's, in every language
SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "CAD": "$", "JPY": "¥"}
LONG_TEXT = 60  # template widths from which a text column is a long text field


def state_title() -> str:
    """The state table's title, the same in every language (the ledger's state tab)."""
    return load().ledger_tab("state").fr


@dataclass(frozen=True)
class Field:
    id: str
    name: str
    type: str
    options: Json


@dataclass(frozen=True)
class TableSchema:
    id: str
    name: str
    description: str
    primary: str  # the primary field's id
    fields: tuple[Field, ...]

    @property
    def marker(self) -> str | None:
        """The title sheetsync created the table under; None: not sheetsync's."""
        found = _MARKER.match(self.description or "")
        return found.group(1) if found else None

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    def primary_name(self) -> str:
        return next((f.name for f in self.fields if f.id == self.primary), self.fields[0].name)


def parse_tables(body: Json) -> tuple[TableSchema, ...]:
    """The tables of a GET meta/bases/{base}/tables answer."""
    return tuple(parse_table(t) for t in body.get("tables", []))


def parse_table(raw: Json) -> TableSchema:
    fields = tuple(
        Field(str(f["id"]), str(f["name"]), str(f["type"]), dict(f.get("options") or {}))
        for f in raw.get("fields", [])
    )
    return TableSchema(
        id=str(raw["id"]),
        name=str(raw["name"]),
        description=str(raw.get("description") or ""),
        primary=str(raw.get("primaryFieldId") or (fields[0].id if fields else "")),
        fields=fields,
    )


def description(title: str, lang: Lang) -> str:
    return f"[sheetsync:{title}] " + say(
        lang, "airtable.schema.table_computed_sheetsync_rewritten_each"
    )


def kind_field(name: str, kind: str, currency: str, width: int, lang: Lang) -> Json:
    """The field a column of this kind is written to: read well in Airtable."""
    if kind == "money":
        symbol = SYMBOLS.get(currency, currency)
        return {"name": name, "type": "currency", "options": {"precision": 2, "symbol": symbol}}
    if kind == "percent":
        return {"name": name, "type": "percent", "options": {"precision": 1}}
    if kind == "date":
        form = say(lang, "format.airtable_date")
        return {"name": name, "type": "date", "options": {"dateFormat": {"name": form}}}
    precision = {"integer": 0, "hours": 2, "factor": 3, "number": 2}.get(kind)
    if precision is not None:
        return {"name": name, "type": "number", "options": {"precision": precision}}
    return {"name": name, "type": "multilineText" if width >= LONG_TEXT else "singleLineText"}


def key_field(lang: Lang) -> Json:
    return {"name": KEY_FIELD[lang], "type": "number", "options": {"precision": 0}}


def table_fields(
    table: OutputTable, widths: Sequence[int], lang: Lang, *, closing: bool = False
) -> list[Json]:
    """An owned table's fields: the key (a closing's label before it), then its columns."""
    head = [{"name": CLOSING_FIELD[lang], "type": "singleLineText"}] if closing else []
    columns = [
        kind_field(name, kind, table.currency, widths[at] if at < len(widths) else 0, lang)
        for at, (name, kind) in enumerate(zip(table.header, table.kinds, strict=False))
    ]
    return [*head, key_field(lang), *columns]


def state_fields() -> list[Json]:
    key, part, data = STATE_FIELDS
    return [
        {"name": key, "type": "singleLineText"},
        {"name": part, "type": "number", "options": {"precision": 0}},
        {"name": data, "type": "multilineText"},
    ]
