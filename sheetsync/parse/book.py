"""Reading a raw workbook as the template: tabs and columns located, settings read, rows typed.

A workbook without the template's shape raises StructureError; bad cells become anomalies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

import pandas as pd

from sheetsync import cells, template
from sheetsync.cells import number_conventions
from sheetsync.messages import say
from sheetsync.model import Anomaly, Book, Group, Person, RawTab, RawWorkbook, StructureError
from sheetsync.parse import responses
from sheetsync.parse.contributions import read_contributions
from sheetsync.parse.groups import read_groups, read_people
from sheetsync.parse.payments import no_payments, payee_spellings, read_payments
from sheetsync.parse.rows import Reading, Sheet, data_rows, quoted
from sheetsync.parse.settings import read_settings
from sheetsync.template import Lang, Tab, normalize


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
    reading = replace(
        reading, hours_per_day=settings.hours_per_day, period_start=settings.period_start
    )
    groups, found = read_groups(sheets["groups"], reading)
    anomalies += found
    people, found = read_people(sheets["people"], lang) if "people" in sheets else ((), [])
    anomalies += found
    contributions, left_out, found = read_contributions(
        sheets["contributions"], reading, groups, people
    )
    anomalies += found
    if "responses" in sheets:
        contributions, left, found = _with_responses(contributions, sheets, reading, groups, people)
        left_out, anomalies = _joined(left_out, left), anomalies + found
    payees = payee_spellings(people, contributions)
    if "payments" in sheets:
        payments, left, found = read_payments(sheets["payments"], reading, payees)
        left_out = _joined(left_out, left)
    else:
        payments, found = no_payments(), []
    return Book(
        lang=lang,
        settings=settings,
        groups=groups,
        people=people,
        contributions=contributions,
        payments=payments,
        anomalies=tuple(anomalies + found),
        titles={key: sheet.title for key, sheet in sheets.items()},
        headers={key: _headers(sheet) for key, sheet in sheets.items()},
        left_out=left_out,
    )


def _with_responses(
    typed: pd.DataFrame,
    sheets: dict[str, Sheet],
    reading: Reading,
    groups: Sequence[Group],
    people: Sequence[Person],
) -> tuple[pd.DataFrame, pd.DataFrame, list[Anomaly]]:
    """The Contributions rows followed by the form's responses, the responses left out,
    and what was found."""
    sent, left_out, found = responses.read_responses(sheets["responses"], reading, groups, people)
    titles = (sheets["contributions"].title, sheets["responses"].title)
    found += responses.duplicates_across(typed, sent, titles, reading.lang)
    both = pd.concat([typed, sent], ignore_index=True) if len(sent) else typed
    return both, left_out, found


def _joined(first: pd.DataFrame, more: pd.DataFrame) -> pd.DataFrame:
    """Both tables of rows left out, one after the other (an empty one adds nothing)."""
    return (
        pd.concat([first, more], ignore_index=True)
        if len(more) and len(first)
        else (more if len(more) else first)
    )


def _headers(sheet: Sheet) -> dict[str, str]:
    return responses.headers_read(sheet) if sheet.key == "responses" else dict(sheet.headers)


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
    """The language whose names match more tab titles and headers (a tie: the default);
    a form's responses tab does not vote."""
    votes = dict.fromkeys(template.LANGS, 0)
    for match in found.values():
        if not match.tab.on_init:
            continue  # a form's tab follows its owner's Google account, not the sheet
        header = match.raw.rows[0] if match.raw.rows else []
        pairs: list[tuple[str, template.Named]] = [(match.raw.title, match.tab)]
        texts = [cells.as_text(cell) for cell in header if not cells.is_blank(cell)]
        pairs += [(text, column) for text in texts for column in match.tab.columns]
        for text, named in pairs:
            for lang in template.LANGS:
                votes[lang] += normalize(text) == normalize(named.name(lang))
    default = template.load().default_language
    best = max(votes.values())
    return default if votes[default] == best else next(k for k, v in votes.items() if v == best)


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
    sheet = Sheet(tab.key, raw.title, lang, index, headers, *data_rows(raw.rows[1:], raw.first))
    return sheet, problems


def _missing_columns(tab: Tab, title: str, index: dict[str, int], lang: Lang) -> list[str]:
    required = [c.name(lang) for c in tab.columns if c.required and c.key not in index]
    problems = []
    if required:
        problems.append(
            say(
                lang,
                "parse.book.tab_missing_column_s_add",
                tab=quoted(lang, title),
                columns=", ".join(quoted(lang, name) for name in required),
            )
        )
    if tab.one_of and not any(key in index for key in tab.one_of):
        names = " / ".join(quoted(lang, tab.column(key).name(lang)) for key in tab.one_of)
        problems.append(
            say(
                lang,
                "parse.book.tab_least_one_columns_needed",
                tab=quoted(lang, title),
                columns=names,
            )
        )
    return problems


def _same_meaning(lang: Lang, title: str, first: str, second: str) -> str:
    return say(
        lang,
        "parse.book.tab_columns_mean_same_rename",
        tab=quoted(lang, title),
        a=quoted(lang, first),
        b=quoted(lang, second),
    )


def _duplicate_tabs(lang: Lang, key: str, titles: list[str]) -> str:
    return say(
        lang,
        "parse.book.tabs_all_match_tab_rename",
        titles=", ".join(quoted(lang, t) for t in titles),
        tab=quoted(lang, template.load().input(key).name(lang)),
    )


def _missing_tabs(found: dict[str, _Found], lang: Lang) -> list[str]:
    problems = []
    for tab in template.load().inputs:
        if tab.required and tab.key not in found:
            columns = [c.name(lang) for c in tab.columns if c.required or c.key in tab.one_of]
            problems.append(
                say(
                    lang,
                    "parse.book.tab_not_found_add_tab",
                    tab=quoted(lang, tab.name(lang)),
                    columns=", ".join(quoted(lang, c) for c in columns),
                )
            )
    return problems
