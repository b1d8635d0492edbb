"""Text as a workbook's XML holds it, escaped the way Excel escapes it.

XML 1.0 cannot hold most control characters (U+0000 to U+001F but tab and line
feed, U+FFFE, U+FFFF), and a carriage return in element text reads back as a
line feed. Excel stores each of them as `_xHHHH_` (a bell, U+0007, is
`_x0007_`) and escapes the underscore of a literal `_xHHHH_` typed in a cell as
`_x005F_`, so that `_x0007_` typed as text is stored `_x005F_x0007_`. Readers
of the format (Excel, LibreOffice, calamine, which sheetsync reads with) decode
both, so any text written here reads back exactly as `model.stored_text` keeps
it: what is fingerprinted on writing is what is read back.
"""

from __future__ import annotations

import re
from functools import lru_cache
from xml.sax.saxutils import escape

from sheetsync.model import stored_text

# A literal text that looks like an escape: its underscore is escaped in turn.
_LOOKS_ESCAPED = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
# What XML text cannot hold as it is (\r would read back as \n).
_UNWRITABLE = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]")
# Text without these is written as is (the common case, checked once).
_NEEDS_CARE = re.compile("[\x00-\x1f&<>_\ud800-\udfff\ufffe\uffff]|^\\s|\\s$")


def _escaped_char(found: re.Match[str]) -> str:
    return f"_x{ord(found.group(0)):04X}_"


def xml_text(text: str) -> str:
    """The content of an XML text element (<t>, <c:v>) that reads back as `text`
    as spreadsheets store it (`model.stored_text`)."""
    text = stored_text(text)
    text = _LOOKS_ESCAPED.sub("_x005F_", text)
    return escape(_UNWRITABLE.sub(_escaped_char, text))


@lru_cache(maxsize=4096)  # names and labels repeat on many rows
def text_xml(text: str) -> str:
    """An inline-string body: always text, never a formula, whatever it starts with."""
    if not _NEEDS_CARE.search(text) and text == stored_text(text):
        return f"<is><t>{text}</t></is>"
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    return f"<is><t{space}>{xml_text(text)}</t></is>"
