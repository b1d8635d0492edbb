"""Small text helpers shared by every stage: visible control characters, names,
suggestions. Sentences come from the catalogue (sheetsync.messages.say)."""

from __future__ import annotations

import difflib
import re

from sheetsync.template import normalize

# Control characters but tab and line feed: invisible in a cell, and a terminal
# obeys them (a bell rings, an escape sequence redraws the screen).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _picture(found: re.Match[str]) -> str:
    code = ord(found.group(0))
    if code < 0x20:
        return chr(0x2400 + code)  # its Unicode picture: U+0007 is shown ␇
    return "\u2421" if code == 0x7F else "\ufffd"


def visible(text: str) -> str:
    """The text with each control character shown as a visible sign of the same width,
    for messages and the terminal: a bell (U+0007) is shown ␇."""
    return _CONTROLS.sub(_picture, text)


def clean_name(text: str) -> str:
    """A person or group name as written: trimmed, inner spaces collapsed."""
    return re.sub(r"\s+", " ", text).strip()


def name_key(text: str) -> str:
    """How names are matched: trimmed, spaces collapsed, ignoring case."""
    return clean_name(text).casefold()


def closest(name: str, known: list[str]) -> str | None:
    """The known name a misspelled one most probably meant, if any is close."""
    by_key = {normalize(k): k for k in known}
    found = difflib.get_close_matches(normalize(name), list(by_key), n=1, cutoff=0.6)
    return by_key[found[0]] if found else None
