"""The journal: what changed in the input tabs between two syncs, appended line by line
to the Journal tab and never rewritten, so funders can follow a trail nobody edited.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from fractions import Fraction

import pandas as pd

from sheetsync import display, sources
from sheetsync.ledger import rowsets
from sheetsync.ledger.rowsets import Values, describe, difference
from sheetsync.ledger.snapshot import Snapshot
from sheetsync.ledger.state import JournalLine, State
from sheetsync.messages import say
from sheetsync.model import Book, OutputTable, Settings
from sheetsync.sources import tab_title
from sheetsync.template import Lang, load

cell_text = rowsets.cell_text


def group_values(book: Book) -> tuple[tuple[str, Values], ...]:
    tab, lang = load().input("groups"), book.lang
    return tuple(
        (
            group.name,
            (
                (tab.column("pilot").name(lang), group.pilot),
                (tab.column("envelope").name(lang), display.amount(group.envelope, lang)),
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
    """Every setting in force (defaults included) by its name in the template; an
    optional setting left blank (a link, a sender) is not listed."""
    template = load()
    pairs = (
        (
            template.setting(f.name).name(lang),
            _setting_text(getattr(settings, f.name), template.setting(f.name).type, lang),
        )
        for f in dataclasses.fields(settings)
    )
    return tuple((name, text) for name, text in pairs if text)


def _setting_text(value: object, kind: str, lang: Lang) -> str:
    if isinstance(value, Fraction):
        shown = value * 100 if kind == "percent" else value
        return f"{float(shown):g}"
    return cell_text(value, kind, lang)


def snapshot(book: Book, source: str = "") -> Snapshot:
    """The Book's input tabs as the journal compares them; `source`: the digest of the
    cells it was read from (ledger.unchanged.digest)."""
    return Snapshot(
        rowsets.typed(book.contributions, "contributions"),
        rowsets.typed(book.payments, "payments"),
        group_values(book),
        setting_values(book.settings, book.lang),
        source=source,
    )


# ---------------------------------------------------------------- journal lines


def _labels(lang: Lang) -> dict[str, str]:
    return {
        "added": say(lang, "ledger.journal.added"),
        "modified": say(lang, "ledger.journal.modified"),
        "deleted": say(lang, "ledger.journal.deleted"),
        "start": say(lang, "ledger.journal.starting_state"),
    }


def row_lines(
    snapshots: tuple[Snapshot, Snapshot], key: str, book: Book, time: str
) -> list[JournalLine]:
    """One line per row of a tab added, modified or deleted, in sheet-row order."""
    labels, lang = _labels(book.lang), book.lang
    before, after = (getattr(s, key) for s in snapshots)
    changes = rowsets.match(before, snapshots[0].hashes[key], after)
    lines: list[tuple[int, JournalLine]] = []

    def text(rows: pd.DataFrame, at: int) -> Values:
        return rowsets.values(rows, at, key, lang)

    def line(row: int, change: str, detail: str) -> tuple[int, JournalLine]:
        tab, number = where(book, key, row)
        return row, (time, tab, number, labels[change], detail)

    for at in changes.added:
        lines.append(line(rowsets.sheet_row(after, at), "added", describe(text(after, at))))
    for old, new in changes.modified:
        detail = difference(text(before, old), text(after, new))
        lines.append(line(rowsets.sheet_row(after, new), "modified", detail))
    for at in changes.deleted:
        lines.append(line(rowsets.sheet_row(before, at), "deleted", describe(text(before, at))))
    return [line for _, line in sorted(lines, key=lambda pair: pair[0])]


def where(book: Book, key: str, row: int) -> tuple[str, int]:
    """(tab title, sheet row) of a row of a tab's frame: a contribution row may come
    from the Contributions tab or from the form's responses tab."""
    if key == "contributions":
        return sources.located(book, row)
    return tab_title(book, key), row


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
    settings = [("", before.settings)], [("", after.settings)]
    return [
        *row_lines((before, after), "contributions", book, time),
        *row_lines((before, after), "payments", book, time),
        *named_lines(before.groups, after.groups, tab_title(book, "groups"), time, lang),
        *named_lines(*settings, tab_title(book, "settings"), time, lang),
    ]


def _starting(snapshot: Snapshot, lang: Lang) -> str:
    return say(
        lang,
        "ledger.journal.contributions_payments_groups_settings",
        contributions=len(snapshot.contributions),
        payments=len(snapshot.payments),
        groups=len(snapshot.groups),
        settings=describe(snapshot.settings),
    )


def record(state: State, book: Book, time: str, source: str = "") -> State:
    """The state with this sync's journal lines appended and the new snapshot kept.

    `source`: the digest of the cells the Book was read from. When the last snapshot
    was taken from the same cells, nothing changed: it is not even decoded.
    """
    if source and state.snapshot is not None and state.snapshot.source == source:
        return state
    after = snapshot(book, source)
    if state.snapshot == after:  # the same rows read from other cells: kept as it was
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
