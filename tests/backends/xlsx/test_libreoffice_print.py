"""LibreOffice prints the synced demo: every owned tab one page wide, its header row on
every page, its headers whole, in a few pages (the issue counted 63 for the workbook)."""

from __future__ import annotations

import math

import pypdf
import pytest

from sheetsync import demo
from sheetsync.layout import describe
from sheetsync.model import OutputTable
from tests.support.libreoffice import convert

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]

# A landscape page holds about 35 rows at full size (A4 or Letter, default margins);
# fitting the width only ever shrinks rows, so 30 bounds the pages from above.
ROWS_PER_PAGE = 30


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[OutputTable], list[str]]:
    """The owned tabs a user sees, and the first line of text of each printed page."""
    folder = tmp_path_factory.mktemp("print")
    path, outcome = demo.run(folder, "fr")
    convert(path, "pdf", folder, folder / "profile")
    reader = pypdf.PdfReader(folder / path.with_suffix(".pdf").name)
    firsts = [(page.extract_text() or "").split("\n")[0] for page in reader.pages]
    shown = [t for t in outcome.tables if not describe(t).hidden]
    return shown, firsts


def pages_by_tab(tables: list[OutputTable], firsts: list[str]) -> dict[str, int]:
    headers = {" ".join(t.header): t.title for t in tables}
    counted = dict.fromkeys((t.title for t in tables), 0)
    for first in firsts:
        if first in headers:
            counted[headers[first]] += 1
    return counted


def test_every_page_of_an_owned_tab_starts_with_its_whole_header(
    printed: tuple[list[OutputTable], list[str]],
) -> None:
    """Owned tabs print after the input tabs; a tab split across the width, a header
    row not repeated or a header cut short would give a page starting otherwise."""
    tables, firsts = printed
    headers = {" ".join(t.header) for t in tables}
    start = next(n for n, first in enumerate(firsts) if first in headers)
    assert [first for first in firsts[start:] if first not in headers] == []


def test_each_owned_tab_prints_on_few_pages(
    printed: tuple[list[OutputTable], list[str]],
) -> None:
    tables, firsts = printed
    counted = pages_by_tab(tables, firsts)
    for table in tables:
        bound = math.ceil((len(table.rows) + 1) / ROWS_PER_PAGE) + len(table.charts)
        assert 1 <= counted[table.title] <= bound, (table.title, counted[table.title], bound)
    assert counted["Synthèse groupes"] == 1  # the table and its chart below it, on one page


def test_hidden_tabs_are_not_printed(printed: tuple[list[OutputTable], list[str]]) -> None:
    _, firsts = printed
    assert not any(first.startswith("Mois ") and "Enveloppe (100 %)" in first for first in firsts)
