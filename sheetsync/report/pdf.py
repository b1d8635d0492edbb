"""A statement as a one-page PDF (fpdf2): a title, a note, then each table with its header.

French text needs accents and the euro sign: a DejaVu Sans font is used when the system
has one; otherwise PDF's built-in Helvetica, with the few characters it lacks spelled out
(€ as EUR, œ as oe, narrow spaces as spaces).
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

Section = tuple[str, list[str], list[list[str]]]  # heading, header, rows

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


def unicode_font() -> Path | None:
    """A TrueType font with accents and the euro sign, if the system has one."""
    return next((path for path in FONT_PLACES if path.is_file()), None)


class _Page:
    """One statement being drawn: the font chosen once, text made printable with it."""

    def __init__(self, font: Path | None) -> None:
        self.pdf = FPDF(orientation="portrait", unit="mm", format="A4")
        self.pdf.set_auto_page_break(auto=True, margin=12)
        self.pdf.add_page()
        if font is not None:
            bold = font.with_name(font.stem + "-Bold" + font.suffix)
            self.pdf.add_font("body", fname=str(font))
            # Table headings are bold: the bold face when the system has it, else the same.
            self.pdf.add_font("body", style="B", fname=str(bold if bold.is_file() else font))
            self.family = "body"
        else:
            self.family = "helvetica"
        self.unicode = font is not None

    def text(self, value: str) -> str:
        if self.unicode:
            return value
        spelled = value.translate(LATIN1_SPELLING)
        return spelled.encode("latin-1", "replace").decode("latin-1")

    def heading(self, value: str, size: int) -> None:
        self.pdf.set_font(self.family, size=size)
        self.pdf.multi_cell(0, size * 0.5, self.text(value), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(2)

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        self.pdf.set_font(self.family, size=8)
        with self.pdf.table(first_row_as_headings=True, line_height=4.5) as table:
            for values in [header, *rows]:
                line = table.row()
                for value in values:
                    line.cell(self.text(value))
        self.pdf.ln(4)


def render(title: str, note: str, sections: list[Section], *, system_font: bool = True) -> bytes:
    """The statement's PDF bytes, in the system's Unicode font when it has one
    (`system_font=False`: always Helvetica)."""
    page = _Page(unicode_font() if system_font else None)
    page.heading(title, 16)
    page.heading(note, 9)
    for heading, header, rows in sections:
        page.heading(heading, 12)
        page.table(header, rows)
    return bytes(page.pdf.output())
