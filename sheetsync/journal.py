"""The journal: what changed in the input tabs between two syncs, appended line by line
to the Journal tab and never rewritten, so funders can follow a trail nobody edited.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

from sheetsync.model import Book, OutputTable, Settings
from sheetsync.state import JournalLine, RowPrint, Snapshot, State, Values, digest
from sheetsync.template import Lang, load
from sheetsync.text import tr

# ---------------------------------------------------------------- cells as text


def money_text(cents: int, lang: Lang) -> str:
    """Cents as units, exactly: 123456 -> 1234.56 (1234,56 in French)."""
    units, rest = divmod(abs(cents), 100)
    sign = "-" if cents < 0 else ""
    return f"{sign}{units}{',' if lang == 'fr' else '.'}{rest:02d}"


def hours_text(seconds: int) -> str:
    """3h, 1h30: whole minutes are what people type."""
    hours, rest = divmod(seconds, 3600)
    minutes = rest // 60
    return f"{hours}h{minutes:02d}" if minutes else f"{hours}h"


def cell_text(value: object, kind: str, lang: Lang) -> str:
    """A parsed cell as the journal shows it; "" for a blank."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if kind == "date" and isinstance(value, dt.date):
        return value.isoformat()[:10]
    if kind in NUMBER_TEXTS:
        return NUMBER_TEXTS[kind](int(value), lang)  # type: ignore[call-overload]
    if kind == "bool":
        return tr(lang, "oui", "yes") if value else tr(lang, "non", "no")
    if kind.startswith("enum:"):
        return load().enums[kind[5:]].label(str(value), lang)
    return str(value)


NUMBER_TEXTS: dict[str, Callable[[int, Lang], str]] = {
    "money": money_text,
    "hours": lambda seconds, _: hours_text(seconds),
}


CONTRIBUTION_FIELDS = (
    ("date", "date", "date"),
    ("person", "person", "text"),
    ("group", "group", "text"),
    ("kind", "kind", "enum:kind"),
    ("hours", "seconds", "hours"),
    ("requested", "requested", "money"),
    ("description", "description", "text"),
    ("invited_by", "invited_by", "text"),
    ("status", "status", "enum:status"),
    ("exception", "exception", "bool"),
)
PAYMENT_FIELDS = (
    ("date", "date", "date"),
    ("payee", "payee", "text"),
    ("amount", "amount", "money"),
    ("reference", "reference", "text"),
    ("note", "note", "text"),
)
Field = tuple[str, str, str]  # template column key, data frame column, how to show it


def row_prints(
    frame: pd.DataFrame, tab_key: str, fields: Sequence[Field], lang: Lang
) -> tuple[RowPrint, ...]:
    """Each row of a parsed input frame as (sheet row, digest, values as text)."""
    tab = load().input(tab_key)
    names = [(tab.column(key).name(lang), column, kind) for key, column, kind in fields]
    prints = []
    for record in frame.to_dict("records"):
        values = tuple(
            (name, cell_text(_plain(record.get(column)), kind, lang))
            for name, column, kind in names
        )
        prints.append(RowPrint(int(record["row"]), digest(values), values))
    return tuple(prints)


def _plain(value: object) -> object:
    """pandas timestamps as dates, so every cell reaches cell_text as plain Python."""
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date()
    return value


def contribution_prints(book: Book) -> tuple[RowPrint, ...]:
    return row_prints(book.contributions, "contributions", CONTRIBUTION_FIELDS, book.lang)


def payment_prints(book: Book) -> tuple[RowPrint, ...]:
    return row_prints(book.payments, "payments", PAYMENT_FIELDS, book.lang)


def group_values(book: Book) -> tuple[tuple[str, Values], ...]:
    tab, lang = load().input("groups"), book.lang
    return tuple(
        (
            group.name,
            (
                (tab.column("pilot").name(lang), group.pilot),
                (tab.column("envelope").name(lang), money_text(group.envelope, lang)),
                (
                    tab.column("policy").name(lang),
                    cell_text(group.policy.value, "enum:policy", lang),
                ),
                (tab.column("daily_rate").name(lang), cell_text(group.daily_rate, "money", lang)),
            ),
        )
        for group in book.groups
    )


def setting_values(settings: Settings, lang: Lang) -> Values:
    """Every setting in force (defaults included) by its name in the template."""
    template = load()
    return tuple(
        (
            template.setting(f.name).name(lang),
            _setting_text(getattr(settings, f.name), template.setting(f.name).type, lang),
        )
        for f in dataclasses.fields(settings)
    )


def _setting_text(value: object, kind: str, lang: Lang) -> str:
    if isinstance(value, Fraction):
        shown = value * 100 if kind == "percent" else value
        return f"{float(shown):g}"
    return cell_text(value, kind, lang)


def snapshot(book: Book) -> Snapshot:
    return Snapshot(
        contributions=contribution_prints(book),
        payments=payment_prints(book),
        groups=group_values(book),
        settings=setting_values(book.settings, book.lang),
    )


# ---------------------------------------------------------------- what changed


@dataclass(frozen=True)
class Changes:
    added: tuple[RowPrint, ...]
    deleted: tuple[RowPrint, ...]
    modified: tuple[tuple[RowPrint, RowPrint], ...]  # (before, after)


def match(before: Iterable[RowPrint], after: Iterable[RowPrint]) -> Changes:
    """Rows added, deleted and modified between two sets of rows.

    Identical values are the same row even if it moved (a row inserted above
    shifts the others); what is left pairs by sheet row as a modification.
    """
    waiting: dict[str, list[RowPrint]] = {}
    for new in after:
        waiting.setdefault(new.digest, []).append(new)
    unmatched_old = []
    for old in before:
        same = waiting.get(old.digest, [])
        if not same:
            unmatched_old.append(old)
            continue
        at = next((i for i, p in enumerate(same) if p.row == old.row), 0)
        same.pop(at)
    unmatched_new = {p.row: p for rows in waiting.values() for p in rows}
    modified: list[tuple[RowPrint, RowPrint]] = []
    deleted: list[RowPrint] = []
    for old in unmatched_old:
        if old.row in unmatched_new:
            modified.append((old, unmatched_new.pop(old.row)))
        else:
            deleted.append(old)
    added = sorted(unmatched_new.values(), key=lambda p: p.row)
    return Changes(tuple(added), tuple(deleted), tuple(modified))


def difference(before: Values, after: Values) -> str:
    """The values that changed, as `Column old → new`."""
    olds = dict(before)
    return "; ".join(
        f"{name} {olds.get(name, '')!s} → {value}"
        for name, value in after
        if olds.get(name, "") != value
    )


def describe(values: Values) -> str:
    """A row's non-blank values, as `Column value`."""
    return "; ".join(f"{name} {value}" for name, value in values if value)


# ---------------------------------------------------------------- journal lines


def _labels(lang: Lang) -> dict[str, str]:
    return {
        "added": tr(lang, "ajout", "added"),
        "modified": tr(lang, "modification", "modified"),
        "deleted": tr(lang, "suppression", "deleted"),
        "start": tr(lang, "état initial", "starting state"),
    }


def title_of(book: Book, key: str) -> str:
    """An input tab's title as found in the sheet, else its template name."""
    return book.titles.get(key) or load().input(key).name(book.lang)


def row_lines(changes: Changes, tab: str, time: str, lang: Lang) -> list[JournalLine]:
    labels = _labels(lang)
    lines: list[tuple[int, JournalLine]] = []
    for p in changes.added:
        lines.append((p.row, (time, tab, p.row, labels["added"], describe(p.values))))
    for old, new in changes.modified:
        detail = difference(old.values, new.values)
        lines.append((new.row, (time, tab, new.row, labels["modified"], detail)))
    for p in changes.deleted:
        lines.append((p.row, (time, tab, p.row, labels["deleted"], describe(p.values))))
    return [line for _, line in sorted(lines, key=lambda pair: pair[0])]


def _named(name: str, detail: str) -> str:
    return f"{name} : {detail}" if name else detail


def named_lines(
    before: Sequence[tuple[str, Values]],
    after: Sequence[tuple[str, Values]],
    tab: str,
    time: str,
    lang: Lang,
) -> list[JournalLine]:
    """Groups (or any named entries) added, modified or deleted."""
    labels, olds, news = _labels(lang), dict(before), dict(after)
    lines: list[JournalLine] = []
    for name, values in after:
        if name not in olds:
            lines.append((time, tab, None, labels["added"], _named(name, describe(values))))
        elif olds[name] != values:
            detail = difference(olds[name], values)
            lines.append((time, tab, None, labels["modified"], _named(name, detail)))
    lines += [
        (time, tab, None, labels["deleted"], _named(name, describe(values)))
        for name, values in before
        if name not in news
    ]
    return lines


def lines(before: Snapshot | None, after: Snapshot, book: Book, time: str) -> list[JournalLine]:
    """The journal lines from one snapshot to the next ([] when nothing changed)."""
    lang = book.lang
    if before is None:
        return [(time, "", None, _labels(lang)["start"], _starting(after, lang))]
    contributions = match(before.contributions, after.contributions)
    settings = [("", before.settings)], [("", after.settings)]
    return [
        *row_lines(contributions, title_of(book, "contributions"), time, lang),
        *row_lines(match(before.payments, after.payments), title_of(book, "payments"), time, lang),
        *named_lines(before.groups, after.groups, title_of(book, "groups"), time, lang),
        *named_lines(*settings, title_of(book, "settings"), time, lang),
    ]


def _starting(snapshot: Snapshot, lang: Lang) -> str:
    return tr(
        lang,
        "{contributions} contributions, {payments} versements, {groups} groupes ; "
        "paramètres : {settings}",
        "{contributions} contributions, {payments} payments, {groups} groups; settings: {settings}",
        contributions=len(snapshot.contributions),
        payments=len(snapshot.payments),
        groups=len(snapshot.groups),
        settings=describe(snapshot.settings),
    )


def record(state: State, book: Book, time: str) -> State:
    """The state with this sync's journal lines appended and the new snapshot kept."""
    after = snapshot(book)
    if state.snapshot == after:
        return state
    added = lines(state.snapshot, after, book, time)
    return dataclasses.replace(state, snapshot=after, journal=(*state.journal, *added))


def note(state: State, line: JournalLine) -> State:
    """The state with one more journal line (a closing, a reopening)."""
    return dataclasses.replace(state, journal=(*state.journal, line))


def table(state: State, lang: Lang) -> OutputTable:
    """The Journal tab: every line ever appended, in order, as first written."""
    tab = load().ledger_tab("journal")
    return OutputTable(
        key=tab.key,
        title=tab.name(lang),
        header=tuple(c.name(lang) for c in tab.columns),
        kinds=tuple(c.kind for c in tab.columns),
        rows=[tuple(line) for line in state.journal],
    )
