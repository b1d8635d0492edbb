"""The PDF layout: column widths from the content (each column at least its longest word,
numbers whole), a smaller size or landscape before a word is cut, the page budget."""

from __future__ import annotations

import io
import re

import pypdf
import pytest

from sheetsync.report import pdf
from sheetsync.report.document import Document, Table

PAD = 2 * pdf.PAD_X + pdf.SLACK


def _mm(text: str, bold: bool) -> float:
    """A stand-in measure: 1 mm a character, 1.5 in bold."""
    return len(text) * (1.5 if bold else 1.0)


def _table(header: tuple[str, ...], *rows: tuple[str, ...], numeric: tuple[bool, ...]) -> Table:
    return Table("T", header, rows, numeric)


def test_the_widths_are_the_cells_whole_when_they_fit() -> None:
    table = _table(
        ("Groupe", "Montant"), ("Animation du réseau", "1 234,50 €"), numeric=(False, True)
    )
    widths = pdf.column_widths(table, _mm, 100)
    assert widths == pytest.approx([19 + PAD, 10.5 + PAD])  # "Montant" bold: 10.5 mm


@pytest.mark.parametrize(
    ("room", "expected"),
    [
        # Headers whole: "Montant demandé" bold is 22.5 mm.
        (19 + 22.5 + 2 * PAD, [19, 22.5]),
        # The header wraps at its space ("demandé" is 10.5 mm), the body stays whole.
        (19 + 12 + 2 * PAD, [19, 12]),
    ],
)
def test_headers_wrap_before_body_cells(room: float, expected: list[float]) -> None:
    table = _table(
        ("Groupe", "Montant demandé"),
        ("Animation du réseau", "1 234,50 €"),
        numeric=(False, True),
    )
    widths = pdf.column_widths(table, _mm, room, pdf.Wrap.HEADERS)
    assert widths == pytest.approx([w + PAD for w in expected])
    assert pdf.column_widths(table, _mm, room - 0.1, pdf.Wrap.NONE) is None


def test_a_body_cell_wraps_only_at_its_spaces_and_a_number_never() -> None:
    table = _table(("G", "M"), ("Animation du réseau", "1 234,50 €"), numeric=(False, True))
    narrow = 9 + 10 + 2 * PAD  # "Animation" and the whole amount
    assert pdf.column_widths(table, _mm, narrow, pdf.Wrap.HEADERS) is None
    assert pdf.column_widths(table, _mm, narrow, pdf.Wrap.BODY) == pytest.approx(
        [9 + PAD, 10 + PAD]
    )
    assert pdf.column_widths(table, _mm, narrow - 0.1, pdf.Wrap.BODY) is None


def test_the_columns_wanting_least_are_made_whole_first() -> None:
    table = _table(("Durée (h)", "Valeur de référence"), ("1,5", "42,86 €"), numeric=(True, True))
    # Room for the longest words, plus 5 mm: "Durée (h)" (13.5 mm whole, 9 for "Durée")
    # is made whole, "Valeur de référence" keeps wrapping.
    least = 9 + 13.5  # "Durée", "référence"
    widths = pdf.column_widths(table, _mm, least + 5 + 2 * PAD, pdf.Wrap.HEADERS)
    assert widths == pytest.approx([13.5 + PAD, 13.5 + 0.5 + PAD])


def _pdf(document: Document, *, system_font: bool = True) -> tuple[list[pypdf.PageObject], str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf.render(document, system_font=system_font)))
    return list(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def _wide(columns: int, word: str) -> Document:
    header = tuple(f"{word}{n}" for n in range(columns))
    rows = tuple(tuple(f"{word}{n}" for n in range(columns)) for _ in range(3))
    return Document("fr", "Titre", (), (Table("T", header, rows, (False,) * columns),))


def _fits(document: Document, orientation: pdf.Orientation, size: float) -> bool:
    """Whether the document's table fits whole in this layout, as fpdf2 measures it."""
    page = pdf._Page(pdf.unicode_font(), orientation)
    try:
        table = document.tables[0]
        return pdf.column_widths(table, page.measure(size), pdf.ROOM[orientation]) is not None
    finally:
        page.close()


def _columns(
    wanted: tuple[tuple[pdf.Orientation, float], ...], refused: tuple[pdf.Orientation, float]
) -> int:
    """The fewest columns of "production<n>" that fit none of `refused` and all of `wanted`."""
    for columns in range(2, 60):
        document = _wide(columns, "production")
        if not _fits(document, *refused) and all(_fits(document, *w) for w in wanted):
            return columns
    raise AssertionError("no such table")


def _sizes(page: pypdf.PageObject) -> set[float]:
    """The type sizes the page sets, in points."""
    contents = page.get_contents()
    assert contents is not None
    return {float(s) for s in re.findall(rb"/F\d+ ([\d.]+) Tf", contents.get_data())}


def test_a_smaller_size_is_used_before_landscape() -> None:
    columns = _columns((("portrait", 7.0),), ("portrait", 8.5))
    pages, text = _pdf(_wide(columns, "production"))
    box = pages[0].mediabox
    assert box.width < box.height  # portrait
    assert max(_sizes(pages[0])) < 2 * 8.5  # the title: twice the body's size
    assert {f"production{n}" for n in range(columns)} <= set(text.split())


def test_landscape_before_a_word_is_cut() -> None:
    columns = _columns((("landscape", 8.5),), ("portrait", 7.0))
    pages, text = _pdf(_wide(columns, "production"))
    box = pages[0].mediabox
    assert box.width > box.height  # landscape
    assert {f"production{n}" for n in range(columns)} <= set(text.split())


def test_helvetica_measures_its_own_widths() -> None:
    """Without a Unicode font the widths are Helvetica's: still no word cut."""
    _, text = _pdf(_wide(16, "coordination"), system_font=False)
    assert {f"coordination{n}" for n in range(16)} <= set(text.split())


def test_a_word_wider_than_any_page_is_cut_rather_than_lost() -> None:
    word = "x" * 400
    pages, text = _pdf(Document("fr", "Titre", (), (Table("T", ("A",), ((word,),), (False,)),)))
    assert len(pages) >= 1
    assert text.count("x") == 400
