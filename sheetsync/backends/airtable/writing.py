"""A write to a base: the owned tables whose content changed, record by record.

Airtable has no transactions. The `sheetsync` table first marks the tables about to
be written (and the write as begun); each table's changed records are upserted on
their key and the surplus deleted; the state's chunks go under a new generation; one
last request flips the generation and says the write completed. A sync stopped
anywhere is completed by the next: the marked tables are diffed again, replayed
upserts add no record, and the state read is always one whole generation.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from sheetsync.backends.airtable import marks
from sheetsync.backends.airtable.client import Client
from sheetsync.backends.airtable.marks import BaseRead, Mark
from sheetsync.backends.airtable.records import changes, row_fields
from sheetsync.backends.airtable.schema import (
    CLOSING_FIELD,
    CLOSINGS_TITLE,
    KEY_FIELD,
    TableSchema,
    description,
    state_fields,
    state_title,
    table_fields,
)
from sheetsync.errors import BackendError
from sheetsync.messages import say
from sheetsync.model import OutputTable
from sheetsync.template import Lang, load


def _stale(table: OutputTable, read: BaseRead) -> bool:
    mark = read.ledger.marks.get(table.title)
    if table.rewrite or mark is None or mark.writing:
        return True
    return mark.fingerprint != table.fingerprint()


def write(client: Client, read: BaseRead, tables: Sequence[OutputTable], lang: Lang) -> None:
    """Bring the owned tables to `tables`; nothing is sent when none changed."""
    own = next(t for t in tables if t.key == "state")
    closings = [t for t in tables if t.key == "closing"]
    others = [t for t in tables if t.key not in {"state", "closing"}]
    todo = [t for t in others if _stale(t, read)]
    closing_todo = closings if any(_stale(t, read) for t in closings) else []
    if not (todo or closing_todo or _stale(own, read)):
        return
    check_record_limit(client, read, tables, lang)
    holder = _state_table(client, read, lang)
    now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    begun = [*todo, *closing_todo]
    if begun:
        starting = [_begun(t, read) for t in begun]
        client.upsert(
            holder.id, [*starting, marks.write_record(lang, complete=False, time=now)], [marks.KEY]
        )
    done = [_write_table(client, read, t, lang) for t in todo]
    if closing_todo:
        done += _write_closings(client, read, closing_todo, lang)
    generation = read.ledger.generation + 1
    client.upsert(holder.id, marks.chunk_records(own.rows, generation), [marks.KEY])
    if done:
        client.upsert(holder.id, [m.record() for m in done], [marks.KEY])
    state_mark = Mark(own.title, holder.id, own.fingerprint(), len(own.rows))
    flip = [
        marks.write_record(lang, complete=True, time=now),
        marks.generation_record(generation),
        state_mark.record(),
    ]
    client.upsert(holder.id, flip, [marks.KEY])
    client.delete(holder.id, marks.stale_chunks(read.ledger, generation))


def _begun(table: OutputTable, read: BaseRead) -> dict[str, object]:
    mark = read.ledger.marks.get(table.title)
    found = read.owned.get(table.title)
    base = mark or Mark(table.title, found.id if found else "", "", closing=table.key == "closing")
    return dataclasses.replace(base, writing=True).record()


def _widths(table: OutputTable) -> list[int]:
    tab = next((t for t in (*load().outputs, *load().ledger) if t.key == table.key), None)
    return [c.width for c in tab.columns] if tab else []


def _ensure(
    client: Client, read: BaseRead, title: str, fields: Sequence[dict[str, object]], lang: Lang
) -> TableSchema:
    """The owned table, made once; fields a later release added are added to it."""
    table = read.owned.get(title)
    if table is None:
        table = client.create_table(title, description(title, lang), fields)
        read.owned[title] = table
        read.records[table.id] = []
        return table
    for spec in fields:
        if table.field(str(spec["name"])) is None:
            client.create_field(table.id, spec)
    return table


def _key(table: TableSchema, lang: Lang) -> str:
    """The key field the table was made with (in the language of that time)."""
    return next((k for k in KEY_FIELD.values() if table.field(k)), KEY_FIELD[lang])


def _existing(client: Client, read: BaseRead, table: TableSchema) -> list[dict[str, object]]:
    if table.id not in read.records:
        read.records[table.id] = client.records(table.id)
    return read.records[table.id]


def _write_table(client: Client, read: BaseRead, table: OutputTable, lang: Lang) -> Mark:
    schema = _ensure(client, read, table.title, table_fields(table, _widths(table), lang), lang)
    key = _key(schema, lang)
    wanted = row_fields(table, key)
    found = changes(_existing(client, read, schema), wanted, [key])
    client.upsert(schema.id, found.upserts, [key])
    client.delete(schema.id, found.deletes)
    return Mark(table.title, schema.id, table.fingerprint(), len(table.rows))


def _write_closings(
    client: Client, read: BaseRead, tables: Sequence[OutputTable], lang: Lang
) -> list[Mark]:
    """Every closing's rows in the one Clôtures table, its label in the first field."""
    title = CLOSINGS_TITLE[lang]
    fields = table_fields(tables[0], _widths(tables[0]), lang, closing=True)
    schema = _ensure(client, read, title, fields, lang)
    label_field = next((k for k in CLOSING_FIELD.values() if schema.field(k)), CLOSING_FIELD[lang])
    key = _key(schema, lang)
    existing = _existing(client, read, schema)
    done: list[Mark] = []
    for table in tables:
        label = closing_label(table)
        wanted = row_fields(table, key, {label_field: label})
        found = changes(existing, wanted, [label_field, key], scope=(label,))
        client.upsert(schema.id, found.upserts, [label_field, key])
        client.delete(schema.id, found.deletes)
        done.append(Mark(table.title, schema.id, table.fingerprint(), len(table.rows), True))
    return done


def closing_label(table: OutputTable) -> str:
    tab = load().ledger_tab("closing")
    for name in (tab.fr, tab.en):
        if table.title.startswith(name + " "):
            return table.title[len(name) + 1 :]
    return table.title


def _state_table(client: Client, read: BaseRead, lang: Lang) -> TableSchema:
    return _ensure(client, read, state_title(), state_fields(), lang)


def check_record_limit(
    client: Client, read: BaseRead, tables: Sequence[OutputTable], lang: Lang
) -> None:
    """Stop before any write when the base's tables would hold more records than its
    plan allows (the setting Limite d'enregistrements): exit 4, with the count needed."""
    ours = {t.id for t in read.owned.values()}
    needed = sum(len(t.rows) for t in tables if t.key != "state")
    needed += 2 * len(next(t for t in tables if t.key == "state").rows) + len(tables) + 2
    for table in read.tables:
        if table.id in ours:
            continue
        if table.id not in read.counts:
            read.counts[table.id] = len(client.records(table.id, [table.primary_name()]))
        needed += read.counts[table.id]
    if needed > read.record_limit:
        raise BackendError(
            say(
                lang,
                "airtable.writing.base_would_hold_records_above",
                needed=needed,
                limit=read.record_limit,
            )
        )
