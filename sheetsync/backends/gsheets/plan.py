"""The spreadsheets.batchUpdate requests of a write, planned from the current state.

Planning from a fresh state makes a retried write safe: what is done is not redone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sheetsync.backends.base import tab_not_ours
from sheetsync.backends.gsheets.cells import header_cell, number_format, write_cell
from sheetsync.backends.gsheets.charts import Place, chart_requests, rows_for_charts
from sheetsync.backends.gsheets.layout import (
    PIXELS_PER_WIDTH,
    rule_requests,
    total_format,
    widths_requests,
)
from sheetsync.layout import Layout, describe
from sheetsync.model import OutputTable
from sheetsync.template import Lang

Json = dict[str, Any]

OWNER_KEY = "sheetsync"  # developer metadata key marking the tabs sheetsync created
PROTECTION_NOTE = "sheetsync: computed tab, rewritten at each sync"

# Asked for in the first read: enough to plan a write without another request.
METADATA_FIELDS = (
    "properties(title,locale),"
    "sheets(properties(sheetId,title,index,gridProperties(rowCount,columnCount)),"
    "developerMetadata(metadataId,metadataKey,metadataValue),"
    "protectedRanges(protectedRangeId,description,warningOnly),"
    "charts(chartId),conditionalFormats(ranges(sheetId)))"
)


@dataclass(frozen=True)
class TabState:
    """One existing tab as far as a write is concerned."""

    sheet_id: int
    title: str
    fingerprint: str | None  # value of our developer metadata; None: not ours
    protected: bool  # already carries our warning-only protection
    chart_ids: tuple[int, ...] = ()  # every chart on the tab, sheetsync's or not
    index: int = 0  # its place among the tabs
    rules: int = 0  # conditional format rules on the tab


@dataclass(frozen=True)
class SheetsState:
    """The spreadsheet's title, locale and tabs, in sheet order."""

    title: str
    locale: str | None
    tabs: tuple[TabState, ...]

    def find(self, title: str) -> TabState | None:
        # Google refuses two tabs whose titles differ only by case.
        return next((t for t in self.tabs if t.title.casefold() == title.casefold()), None)


def _tab_state(sheet: Json) -> TabState:
    props = sheet.get("properties", {})
    ours = [m for m in sheet.get("developerMetadata", []) if m.get("metadataKey") == OWNER_KEY]
    protections = sheet.get("protectedRanges", [])
    return TabState(
        sheet_id=int(props.get("sheetId", 0)),
        title=str(props.get("title", "")),
        fingerprint=str(ours[0].get("metadataValue", "")) if ours else None,
        protected=any(p.get("description") == PROTECTION_NOTE for p in protections),
        chart_ids=tuple(int(c.get("chartId", 0)) for c in sheet.get("charts", [])),
        index=int(props.get("index", 0)),
        rules=len(sheet.get("conditionalFormats", [])),
    )


def parse_state(body: Json) -> SheetsState:
    """The state from a spreadsheets.get answer asked with METADATA_FIELDS."""
    props = body.get("properties", {})
    tabs = tuple(_tab_state(s) for s in body.get("sheets", []))
    return SheetsState(str(props.get("title", "")), props.get("locale"), tabs)


def sheet_id_for(title: str, taken: set[int]) -> int:
    """A sheet id derived from the title, so a replayed addSheet names the same sheet."""
    candidate = int(hashlib.sha256(title.encode("utf-8")).hexdigest()[:8], 16) % 2_000_000_000
    while candidate in taken or candidate == 0:
        candidate += 1
    return candidate


def check_titles(state: SheetsState, titles: Sequence[str], lang: Lang) -> None:
    """A wanted title held by a tab sheetsync did not create stops everything (said in
    `lang`)."""
    foreign = [t for t in titles if (tab := state.find(t)) and tab.fingerprint is None]
    if foreign:
        raise tab_not_ours(lang, foreign)


def grid(table: OutputTable) -> Json:
    # One spare row: Google refuses to freeze every row of a sheet; more for a chart below.
    return {
        "rowCount": max(len(table.rows) + 2, rows_for_charts(table)),
        "columnCount": max(len(table.header), 1),
        "frozenRowCount": 1,
    }


def sheet_rows(table: OutputTable) -> list[Json]:
    """Header and data rows as RowData; Total rows bold with a border above."""
    formats = [number_format(kind, table.currency) for kind in table.kinds]
    totals = set(describe(table).total_rows)
    rows = [{"values": [header_cell(h) for h in table.header]}]
    for number, row in enumerate(table.rows):
        cells = []
        for value, kind, fmt in zip(row, table.kinds, formats, strict=False):
            cell = write_cell(value, kind, table.currency)
            if number in totals:
                cell = total_format(cell, fmt)
            elif cell and fmt and "userEnteredFormat" not in cell:
                cell["userEnteredFormat"] = fmt
            cells.append(cell)
        rows.append({"values": cells})
    return rows


def column_widths(layout: Layout, floor: Sequence[int]) -> list[int]:
    """The layout's widths, never narrower than the backend's own (`floor`)."""
    return [max(w, floor[i] if i < len(floor) else 0) for i, w in enumerate(layout.widths)]


def layout_requests(
    table: OutputTable, sheet_id: int, floor: Sequence[int], rules: int
) -> list[Json]:
    """Widths and conditional rules of a tab whose content was just written.

    `rules`: how many conditional rules the tab holds now (all sheetsync's).
    """
    layout = describe(table)
    widths = column_widths(layout, floor)
    return [*widths_requests(sheet_id, widths), *rule_requests(sheet_id, layout, rules)]


def owner_marks(sheet_id: int, fingerprint: str, existing: TabState | None) -> list[Json]:
    marks: list[Json] = []
    if existing is not None:
        lookup = {"metadataKey": OWNER_KEY, "metadataLocation": {"sheetId": sheet_id}}
        marks.append(
            {"deleteDeveloperMetadata": {"dataFilter": {"developerMetadataLookup": lookup}}}
        )
    marks.append(
        {
            "createDeveloperMetadata": {
                "developerMetadata": {
                    "metadataKey": OWNER_KEY,
                    "metadataValue": fingerprint,
                    "location": {"sheetId": sheet_id},
                    "visibility": "DOCUMENT",
                }
            }
        }
    )
    if existing is None or not existing.protected:
        protection = {"range": {"sheetId": sheet_id}, "description": PROTECTION_NOTE}
        marks.append({"addProtectedRange": {"protectedRange": {**protection, "warningOnly": True}}})
    return marks


def _sheet_requests(
    table: OutputTable, existing: TabState | None, sheet_id: int, widths: Sequence[int]
) -> list[Json]:
    props = {"sheetId": sheet_id, "title": table.title, "gridProperties": grid(table)}
    hidden = describe(table).hidden
    if hidden:
        # Also an older sync's visible tab; a tab a user hid is never shown again.
        props["hidden"] = True
    if existing is None:
        first: Json = {"addSheet": {"properties": props}}
    else:
        fields = "gridProperties.rowCount,gridProperties.columnCount,gridProperties.frozenRowCount"
        fields += ",hidden" if hidden else ""
        first = {"updateSheetProperties": {"properties": props, "fields": fields}}
    content = {
        "updateCells": {
            "range": {"sheetId": sheet_id},
            "rows": sheet_rows(table),
            "fields": "userEnteredValue,userEnteredFormat",
        }
    }
    marks = owner_marks(sheet_id, table.fingerprint(), existing)
    rules = existing.rules if existing else 0
    return [first, content, *layout_requests(table, sheet_id, widths, rules), *marks]


def plan_write(
    state: SheetsState,
    tables: Sequence[OutputTable],
    widths: Mapping[str, Sequence[int]],
    lang: Lang,
) -> list[Json]:
    """Requests bringing every table's tab to its content; [] when all are current.

    `lang`: the sheet's, for the refusal of a title held by a tab sheetsync did not create.
    """
    check_titles(state, [t.title for t in tables], lang)
    taken = {t.sheet_id for t in state.tabs}
    requests: list[Json] = []
    written: dict[str, int] = {}
    for table in tables:
        existing = state.find(table.title)
        current = existing is not None and existing.fingerprint == table.fingerprint()
        if current and not table.rewrite:
            continue
        sheet_id = existing.sheet_id if existing else sheet_id_for(table.title, taken)
        taken.add(sheet_id)
        written[table.title] = sheet_id
        requests += _sheet_requests(table, existing, sheet_id, widths.get(table.key, ()))
    # Charts last, once every tab they draw from exists.
    return requests + _chart_requests(state, tables, written, widths)


def _chart_requests(
    state: SheetsState,
    tables: Sequence[OutputTable],
    written: Mapping[str, int],
    widths: Mapping[str, Sequence[int]],
) -> list[Json]:
    """Each rewritten tab's charts drawn again (see gsheets_charts)."""
    sheet_ids = {t.title: tab.sheet_id for t in tables if (tab := state.find(t.title))}
    sheet_ids |= written
    requests: list[Json] = []
    for table in tables:
        if table.title not in written:
            continue
        existing = state.find(table.title)
        last = max(len(table.header), 1) - 1
        known = column_widths(describe(table), widths.get(table.key, ()))
        pixels = known[last] * PIXELS_PER_WIDTH if last < len(known) else 100
        where = Place(written[table.title], last, pixels, grid(table)["rowCount"])
        old = existing.chart_ids if existing else ()
        requests += chart_requests(table, where, old, tables, sheet_ids)
    return requests
