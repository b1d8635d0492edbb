"""A document (sheetsync.report.document) as an A4 PDF with fpdf2, its column widths
from the content.

Each column gets at least its longest word, measured in the font drawn, so a cell
wraps only at spaces; numbers and dates never wrap. When the tables do not fit the
page that way, a smaller size is tried, then landscape, before any word is cut; among
the layouts that fit, the first that keeps the document within PAGE_BUDGET pages wins.

French text needs accents and the euro sign: a DejaVu Sans font is used when the system
has one; otherwise PDF's built-in Helvetica, with the few characters it lacks spelled out
(€ as EUR, œ as oe, narrow spaces as spaces).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import IntEnum
from pathlib import Path
from typing import Literal

from fpdf import FPDF, FontFace

from sheetsync.report.document import Document, Table

Orientation = Literal["portrait", "landscape"]


class Wrap(IntEnum):
    """What may wrap (at its spaces) to fit a table on the page, each step more."""

    NONE = 0
    HEADERS = 1
    BODY = 2  # headers and body cells


# Where Linux distributions, macOS and Windows keep DejaVu Sans or a close relative.
FONT_PLACES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/TTF/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
    Path("/Library/Fonts/Arial Unicode.ttf"),
    Path("C:/Windows/Fonts/arial.ttf"),
)
# What Helvetica (Latin-1) cannot show, and how it is spelled instead.
LATIN1_SPELLING = str.maketrans(
    {"€": "EUR", "œ": "oe", "Œ": "OE", "\u202f": " ", "—": "-", "–": "-", "…": "...", "’": "'"}
)

# The layouts tried in turn, each an orientation, a body size (points) and what may wrap:
# portrait keeps more rows on a page, so smaller type comes before landscape, which is
# for tables too wide at every portrait size. A smaller size comes before a header
# wrapped at its spaces, and body cells wrap only when nothing else fits.
SIZES: dict[Orientation, tuple[float, ...]] = {
    "portrait": (8.5, 8.0, 7.5, 7.0),
    "landscape": (8.5, 8.0, 7.5, 7.0, 6.5, 6.0, 5.5),
}
STEPS: tuple[tuple[Orientation, Wrap], ...] = (
    ("portrait", Wrap.NONE),
    ("portrait", Wrap.HEADERS),
    ("landscape", Wrap.NONE),
    ("landscape", Wrap.HEADERS),
    ("portrait", Wrap.BODY),
    ("landscape", Wrap.BODY),
)
LAYOUTS: tuple[tuple[Orientation, float, Wrap], ...] = tuple(
    (orientation, size, wrap) for orientation, wrap in STEPS for size in SIZES[orientation]
)
PAGE_BUDGET = 2  # a year of one person's rows, with every table
MARGIN = 12.0  # mm, every side
# The width between the margins of an A4 page, mm.
ROOM: dict[Orientation, float] = {"portrait": 210 - 2 * MARGIN, "landscape": 297 - 2 * MARGIN}
PAD_X, PAD_Y = 0.75, 0.45  # mm inside each cell
SLACK = 0.3  # mm: measured widths are exact, the line breaker's sums may round above
LEADING = 0.42  # mm of line per point of type: 1.2 times the type
RULE = 0.15  # mm, the table lines
GREY = 235  # the header rows' fill


def unicode_font() -> Path | None:
    """A TrueType font with accents and the euro sign, if the system has one."""
    return next((path for path in FONT_PLACES if path.is_file()), None)


class _Pdf(FPDF):
    """An FPDF whose pages are numbered "1/2" at the foot."""

    family = "helvetica"

    def footer(self) -> None:
        self.set_y(-MARGIN + 3)
        self.set_font(self.family, size=7)
        self.cell(0, 4, f"{self.page_no()}/{{nb}}", align="R")


class _Page:
    """One document being drawn: the font chosen once, text made printable with it."""

    def __init__(self, font: Path | None, orientation: Orientation) -> None:
        self.pdf = _Pdf(orientation=orientation, unit="mm", format="A4")
        self.pdf.set_margins(MARGIN, MARGIN, MARGIN)
        self.pdf.set_auto_page_break(auto=True, margin=MARGIN)
        if font is not None:
            bold = font.with_name(font.stem + "-Bold" + font.suffix)
            self.pdf.add_font("body", fname=str(font))
            # Headers and totals are bold: the bold face when the system has it, else the same.
            self.pdf.add_font("body", style="B", fname=str(bold if bold.is_file() else font))
            self.pdf.family = "body"
        self.family = self.pdf.family
        self.unicode = font is not None
        self.pdf.set_line_width(RULE)
        self.pdf.add_page()

    def close(self) -> None:
        """Let go of the font files of a page never output (output() closes them)."""
        for font in self.pdf.fonts.values():
            close = getattr(font, "close", None)
            if close is not None:
                close()

    def output(self) -> bytes:
        return bytes(self.pdf.output())

    def text(self, value: str) -> str:
        if self.unicode:
            return value
        spelled = value.translate(LATIN1_SPELLING)
        return spelled.encode("latin-1", "replace").decode("latin-1")

    def measure(self, size: float) -> Callable[[str, bool], float]:
        """How wide a text is at this size, in mm, bold or not (each text measured once:
        a year of rows repeats its groups, kinds and amounts)."""
        known: dict[tuple[str, bool], float] = {}

        def width(value: str, bold: bool) -> float:
            if (value, bold) not in known:
                self.pdf.set_font(self.family, style="B" if bold else "", size=size)
                known[value, bold] = float(self.pdf.get_string_width(self.text(value)))
            return known[value, bold]

        return width

    def lines(self, values: Sequence[str], size: float, *, bold: bool = False) -> None:
        self.pdf.set_font(self.family, style="B" if bold else "", size=size)
        for value in values:
            self.pdf.multi_cell(0, size * LEADING, self.text(value), new_x="LMARGIN", new_y="NEXT")

    def table(self, table: Table, size: float, widths: list[float]) -> None:
        row_height = size * LEADING + 2 * PAD_Y
        heading = (size + 2) * LEADING + 1.5
        if self.pdf.will_page_break(heading + 3 * row_height):
            self.pdf.add_page()  # a heading stays with its table's first rows
        self.pdf.ln(1.5)
        self.lines([table.heading], size + 2, bold=True)
        self.pdf.ln(0.5)
        self.pdf.set_font(self.family, size=size)
        self.pdf.set_draw_color(150)
        total = len(table.rows) - 1 if table.total else -1
        with self.pdf.table(
            width=min(sum(widths), self.pdf.epw),  # not above it by a rounding
            col_widths=tuple(widths),
            align="LEFT",
            text_align=tuple("RIGHT" if numeric else "LEFT" for numeric in table.numeric),
            line_height=size * LEADING,
            padding=(PAD_Y, PAD_X),
            first_row_as_headings=not table.labelled,
            headings_style=FontFace(emphasis="BOLD", fill_color=GREY),
            borders_layout="HORIZONTAL_LINES",
            repeat_headings=1,
        ) as drawn:
            if table.header:
                drawn.row([self.text(value) for value in table.header])
            for at, row in enumerate(table.rows):
                style = FontFace(emphasis="BOLD") if at == total else None
                drawn.row([self.text(value) for value in row], style=style)
        self.pdf.ln(2)


def column_widths(
    table: Table, measure: Callable[[str, bool], float], room: float, wrap: Wrap = Wrap.NONE
) -> list[float] | None:
    """Widths (mm) for the columns of `table` within `room`; None when they do not fit.

    Three widths per column: its longest word (a number or a date: all of it), its
    longest body cell, its header whole. The widest set that fits, as far as `wrap`
    allows, is used and the room left is shared by what each column would take to
    reach the next (see `_widen`): cells wrap at their spaces, headers before body cells.
    """
    count = len(table.numeric)
    least, body, most = [0.0] * count, [0.0] * count, [0.0] * count
    if table.header:
        for column, value in enumerate(table.header):
            least[column] = _longest(value.split(" "), True, measure)
            most[column] = measure(value, True)
    last = len(table.rows) - 1
    for at, row in enumerate(table.rows):
        bold = table.total and at == last
        for column, value in enumerate(row):
            whole = measure(value, bold)
            word = whole if table.numeric[column] else _longest(value.split(" "), bold, measure)
            least[column] = max(least[column], word)
            body[column] = max(body[column], whole)
    body = [max(b, n) for b, n in zip(body, least, strict=True)]
    most = [max(m, b) for m, b in zip(most, body, strict=True)]
    pad = 2 * PAD_X + SLACK
    room -= count * pad
    tiers = ((most, most), (body, most), (least, body))[: wrap + 1]
    for narrow, wide in tiers:
        if sum(narrow) <= room:
            return [width + pad for width in _widen(narrow, wide, room - sum(narrow))]
    return None


def _widen(narrow: list[float], wide: list[float], spare: float) -> list[float]:
    """`narrow` widened towards `wide` by `spare` mm, the columns wanting least first:
    as few columns as can be are left to wrap."""
    widths = list(narrow)
    for column in sorted(range(len(widths)), key=lambda c: wide[c] - narrow[c]):
        given = min(wide[column] - narrow[column], spare)
        widths[column] += given
        spare -= given
    return widths


def _longest(words: list[str], bold: bool, measure: Callable[[str, bool], float]) -> float:
    return max((measure(word, bold) for word in words), default=0.0)


def _widths(
    measurer: _Page,
    tables: Sequence[Table],
    layout: tuple[Orientation, float, Wrap],
    *,
    cut: bool = False,
) -> list[list[float]] | None:
    """Each table's column widths in this layout; None when a table does not fit (with
    `cut`, the last resort: its columns share the width and fpdf2 cuts the words)."""
    orientation, size, wrap = layout
    measure, room, found = measurer.measure(size), ROOM[orientation] - SLACK, []
    for table in tables:
        widths = column_widths(table, measure, room, wrap)
        if widths is None and not cut:
            return None
        found.append(widths or [room / len(table.numeric)] * len(table.numeric))
    return found


def _draw(
    document: Document,
    font: Path | None,
    orientation: Orientation,
    size: float,
    widths: list[list[float]],
) -> _Page:
    page = _Page(font, orientation)
    page.lines([document.title], size * 2, bold=True)
    page.pdf.ln(1)
    page.lines(document.lines, size + 1)
    for table, found in zip(document.tables, widths, strict=True):
        page.table(table, size, found)
    return page


def render(document: Document, *, system_font: bool = True) -> bytes:
    """The document's PDF bytes, in the system's Unicode font when it has one
    (`system_font=False`: always Helvetica).

    The first layout (LAYOUTS) that fits and keeps the document within PAGE_BUDGET
    pages wins; a document longer than that at every size gets the first that fit (the
    largest type); when none fits, the last, its longest words cut.
    """
    font = unicode_font() if system_font else None
    measurer = _Page(font, "portrait")  # text widths do not depend on the orientation
    first: _Page | None = None
    tried: set[tuple[object, ...]] = set()
    try:
        for layout in LAYOUTS:
            orientation, size, wrap = layout
            if first is not None and (orientation == "landscape" or wrap is Wrap.BODY):
                continue  # too long, not too wide: fewer rows a page would not help
            widths = _widths(measurer, document.tables, layout)
            if widths is None or (orientation, size, str(widths)) in tried:
                continue  # does not fit, or fits as it did with less wrapping allowed
            tried.add((orientation, size, str(widths)))
            page = _draw(document, font, orientation, size, widths)
            if page.pdf.pages_count <= PAGE_BUDGET:
                if first is not None:
                    first.close()
                return page.output()
            if first is None:
                first = page
            else:
                page.close()
        if first is None:
            orientation, size, _ = LAYOUTS[-1]
            widths = _widths(measurer, document.tables, LAYOUTS[-1], cut=True) or []
            first = _draw(document, font, orientation, size, widths)
        return first.output()
    finally:
        measurer.close()
