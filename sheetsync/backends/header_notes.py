"""What to type in each input column, from the template's [notes] table: the notes on
the headers of the tabs `init` creates, in the workbook's language.
"""

from __future__ import annotations

from functools import cache

from sheetsync import template
from sheetsync.template import Lang, Tab


@cache
def _notes() -> dict[str, dict[str, str]]:
    notes: dict[str, dict[str, str]] = template.definition().get("notes", {})
    return notes


def header_notes(tab: Tab, lang: Lang) -> list[str]:
    """One note per column of an input tab, "" where the template has none."""
    notes = _notes().get(tab.key, {})
    return [notes.get(f"{column.key}_{lang}", "") for column in tab.columns]
